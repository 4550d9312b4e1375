"""The classroom app: its inputs, its model factory and map, and the app itself in a real browser.

The browser test starts `solara run sim.app` on a free local port, drives Debian's
Chromium (/usr/bin/chromium, installed by scripts/install-chromium.sh) through
Playwright, and is skipped only where that Chromium is missing. It checks the app at
the sizes of a classroom projector, 1024x768 and 1280x720; SAVE_SCREENSHOTS=1 also
writes its screenshots to docs/img/app.png (1280x720) and docs/img/app-1024x768.png.
"""

from __future__ import annotations

import inspect
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from sim.app.map import MapPicture, units_on_map
from sim.app.model import (
    DEFAULT_SCENARIO,
    DEFAULT_SEED,
    INPUTS,
    AppModel,
    ForceScale,
    ListScale,
    Setting,
    applicable_inputs,
    available_inputs,
    base_scenario,
    model_params,
    resolve,
    scenario_files,
    scenario_path,
)
from sim.battle.metrics import TIMESERIES
from sim.errors import UserInputError
from sim.loading import load_scenario
from sim.replications import run_once

from conftest import MAP, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCENARIOS = scenario_files()


# --------------------------------------------------------------------------- inputs


def test_app_offers_every_scenario_file():
    """The scenario dropdown lists scenarios/*.yaml and nothing else."""
    assert sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")) == SCENARIOS
    assert DEFAULT_SCENARIO in SCENARIOS
    with pytest.raises(UserInputError, match="no scenario"):
        scenario_path("../pyproject.toml")


def test_inputs_are_declared_once_and_exist_in_the_schema():
    """Every input has a unique name, and today's main parameters are all wired."""
    names = [i.name for i in INPUTS]
    assert len(names) == len(set(names))
    wired = {i.name for i in available_inputs()}
    assert {
        "ru_forces",
        "ru_attack_tempo",
        "ru_assault_commitment",
        "combat_intensity",
        "ua_recon_effort",
        "breakthrough_ratio",
    } <= wired


def test_an_input_not_yet_in_the_schema_is_left_out():
    """A one-line input for a parameter the schema lacks (yet) is simply not shown."""
    future = Setting("ua_jammers", "parameters.ew_not_there.ua_jammers", "UA jammers")
    assert not future.available()
    assert Setting("x", "parameters.combat.intensity", "x").available()


@pytest.mark.parametrize("name", SCENARIOS)
def test_slider_ends_are_valid_overrides(name):
    """Each input's smallest and largest slider value is a --set that the scenario validator accepts."""
    base = load_scenario(scenario_path(name))
    params = model_params(name)
    for item in applicable_inputs(base.spec):
        widget = params[item.name]
        assert widget["min"] <= widget["value"] <= widget["max"], item.name
        if isinstance(item, ListScale) and not item.items(base.spec):
            continue  # e.g. no jammers in this scenario: nothing to scale
        ends = (widget["min"], widget["max"]) if isinstance(item, Setting) else (widget["min"], 2.0)
        for value in ends:
            sets = item.overrides(value, base.spec)
            unchanged = isinstance(item, Setting) and value == item.current(base.spec)
            assert sets or unchanged, f"{item.name}={value} should change {name}"
            load_scenario(scenario_path(name), sets)  # raises UserInputError if invalid


@pytest.mark.parametrize("name", SCENARIOS)
def test_untouched_inputs_leave_the_scenario_as_written(name):
    """With every input at its starting value the app runs the file exactly as the CLI does."""
    params = model_params(name)
    values = {i.name: params[i.name]["value"] for i in applicable_inputs(base_scenario(name).spec)}
    resolved = resolve(name, params["seed"]["value"], values)
    assert resolved.overrides == ()
    assert resolved.problems == ()
    assert resolved.scenario.digest == load_scenario(scenario_path(name)).digest


def test_inputs_become_set_overrides():
    """A changed input is the --set a student would type; a force scale is one --set per unit."""
    resolved = resolve(DEFAULT_SCENARIO, 7, {"ru_attack_tempo": 0.9, "ua_forces": 1.5})
    assert "sides.RU.doctrine.attack_tempo=0.9" in resolved.overrides
    spec = resolved.scenario.spec
    base = load_scenario(scenario_path(DEFAULT_SCENARIO)).spec
    assert spec.sides.RU.doctrine.attack_tempo == 0.9
    for unit, before in zip(spec.forces, base.forces, strict=True):
        expected = round(before.personnel * 1.5) if unit.side == "UA" else before.personnel
        assert unit.personnel == expected
    assert set(resolved.applied) == {"ru_attack_tempo", "ua_forces"}


def test_refused_inputs_are_reported_and_left_out(tmp_path):
    """An input the validator refuses is named in the problems; the model runs without it."""
    (tmp_path / "big.yaml").write_text(
        f"""\
name: big
map: {MAP}
line_of_control: "2025-01-05"
turns: 3
forces:
  - {{id: ua_a, name: UA A, side: UA, kind: mechanised, personnel: 600, at: sudzha}}
  - {{id: ru_a, name: RU A, side: RU, kind: airborne, personnel: 15000, position: [51.30, 35.50]}}
""",
        encoding="utf-8",
    )
    resolved = resolve("big.yaml", "12", {"ru_forces": 2.0, "ru_attack_tempo": 0.8}, folder=tmp_path)
    assert resolved.seed == 12
    assert any(p.startswith("RU-side forces") and "20000" in p for p in resolved.problems)
    assert resolved.overrides == ("sides.RU.doctrine.attack_tempo=0.8",)
    assert resolved.scenario.spec.forces[1].personnel == 15000


def test_a_bad_seed_is_reported_not_fatal():
    """A seed that is not a whole number falls back to the default, with a message."""
    resolved = resolve(DEFAULT_SCENARIO, "twelve", {})
    assert resolved.seed == DEFAULT_SEED
    assert "seed" in resolved.problems[0]


def test_solaraviz_sees_the_inputs_in_the_constructor_signature():
    """SolaraViz checks model_params against the constructor and must not pass it a Mesa scenario."""
    signature = inspect.signature(AppModel.__init__)
    assert not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    assert set(model_params()) <= set(signature.parameters)


# --------------------------------------------------------------------------- model factory


@pytest.mark.parametrize("name", SCENARIOS)
def test_model_factory_builds_every_scenario(name):
    """Every scenario file gives a model that steps, quickly."""
    AppModel(scenario_file=name)  # warm the caches (YAML, hex map)
    start = time.perf_counter()
    model = AppModel(scenario_file=name, seed=3)
    built = time.perf_counter() - start
    model.step()
    assert model.turn == 1
    assert model.problems == ()
    assert built < 1.0, f"building {name} took {built:.2f} s"


def test_app_model_is_the_command_line_model():
    """The app's model with seed s plays exactly the CLI's run with seed s."""
    app = AppModel(scenario_file="tutorial.yaml", seed=99)
    while app.running:
        app.step()
    cli = run_once(load_scenario(scenario_path("tutorial.yaml")), 99)
    assert app.datacollector.model_vars["ua_area_km2"] == cli.timeseries["ua_area_km2"]
    assert app.datacollector.model_vars["ru_casualties"] == cli.timeseries["ru_casualties"]


# --------------------------------------------------------------------------- map and plots


def test_map_picture_redraws_quickly():
    """The map renders to a PNG each turn in well under a second."""
    model = AppModel(seed=5)
    picture = MapPicture(model.battlefield.hexmap, model.loaded.map)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        picture.update(model.battlefield.control, units_on_map(model), f"Turn {model.turn}")
        png = picture.png()
        times.append(time.perf_counter() - start)
        model.step()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 20_000
    assert min(times) < 0.5, times
    units = units_on_map(model)
    assert len(units["hex"]) == int(model.battlefield.forces.active.sum())
    assert np.all((units["strength"] >= 0) & (units["strength"] <= 1))


def test_live_plots_follow_the_reported_metrics():
    """Area and casualties are always plotted; other plots appear when their metrics exist."""
    import sim.app.page as app

    names = {m.name for m in TIMESERIES}
    plotted = {spec.title: spec.metrics() for spec in app.PLOTS}
    assert plotted["Russian land held by Ukraine"] == ["ua_area_km2"]
    assert set(plotted["Casualties"]) == {
        "ua_casualties",
        "ru_casualties",
        "dprk_casualties",
    }
    for metrics in plotted.values():
        assert set(metrics) <= names
    assert all(spec.lines(AppModel()) for spec in app.PLOTS if spec.metrics())


def test_inputs_that_do_nothing_in_a_scenario_are_not_offered():
    """The tutorial has no aviation, jammers or drones: no slider for them; the default has them all."""
    tutorial, default = model_params("tutorial.yaml"), model_params(DEFAULT_SCENARIO)
    for name in ("ru_aircraft", "ua_ew", "ru_ew", "ua_drones", "ru_drones"):
        assert name not in tutorial, name
        assert name in default, name
    assert {"ru_forces", "ua_forces", "combat_intensity", "breakthrough_ratio"} <= set(tutorial)
    no_ew = model_params("whatif_no_ew.yaml")  # jammers: [] on both sides
    assert "ua_ew" not in no_ew and "ru_ew" not in no_ew and "ru_aircraft" in no_ew
    assert "ru_aircraft" in model_params("whatif_no_air.yaml")  # aircraft: 0, put back by the slider


def test_plots_that_do_not_apply_are_left_out():
    """No air or supply plot without aviation or supply sources, no DPRK line without DPRK units."""
    import sim.app.page as app

    tutorial = AppModel(scenario_file="tutorial.yaml")
    assert [p.title for p in app.plots_for(tutorial)] == ["Russian land held by Ukraine", "Casualties"]
    assert "dprk_casualties" not in app.PLOTS[1].lines(tutorial)
    default = AppModel()
    assert len(app.plots_for(default)) == 4
    assert "dprk_casualties" in app.PLOTS[1].lines(default)


def test_live_plots_have_dates_and_fixed_scales():
    """x: the scenario's dates, start to end, from turn 0 (never "Step -0.045 ... 0.045"); y: from 0
    to a round number that a 2 km² change does not move; shares and indices from 0 to 1."""
    import sim.app.page as app

    model = AppModel(seed=4)
    area, _, air, supply = app.PLOTS
    fig = app.plot_figure(model, area)
    ax = fig.axes[0]
    fig.canvas.draw()
    spec = model.battlefield.spec
    start, end = app.turn_times(model, [0, spec.turn_count])
    assert ax.get_xlim() == pytest.approx(tuple(mdates.date2num([start, end])))
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 3 and all(label.split()[1] in ("Jan", "Feb") for label in labels), labels
    low, top = ax.get_ylim()
    assert low == 0 and top == app.nice_ceiling(model.battlefield.ua_area_km2() * 1.1) == 600
    model.step()
    assert app.plot_figure(model, area).axes[0].get_ylim() == (0, 600)
    for spec_ in (air, supply):
        assert app.plot_figure(model, spec_).axes[0].get_ylim() == (0, 1)
    assert [app.nice_ceiling(v) for v in (0.7, 1, 549, 101, 2600)] == [0.8, 1, 600, 120, 3000]


def test_the_run_downloads_as_csv_and_png():
    """The turns on screen as CSV (turn, date, every per-turn metric); the map as a PNG with its key."""
    import sim.app.page as app

    model = AppModel(scenario_file="tutorial.yaml", seed=7)
    model.step()
    model.step()
    table = pd.read_csv(io.BytesIO(app.turns_csv(model)))
    assert list(table["turn"]) == [0, 1, 2]
    assert list(table.columns[:3]) == ["turn", "date", "ua_area_km2"]
    assert table["date"].iloc[0].startswith("2025-01-06")
    assert set(m.name for m in TIMESERIES) <= set(table.columns)
    assert table["ru_casualties"].tolist() == model.datacollector.model_vars["ru_casualties"]
    assert app.download_stem(model) == "tutorial-seed7-turn2"
    picture = MapPicture(model.battlefield.hexmap, model.loaded.map)
    picture.update(model.battlefield.control, units_on_map(model))
    on_screen = picture.png()
    png = app.map_export(model, picture)
    assert png.startswith(b"\x89PNG") and len(png) > len(on_screen)
    assert picture.png() == on_screen  # exporting leaves the picture on screen as it was


def test_place_names_are_drawn_over_units():
    """Names stay readable where units crowd: above the unit markers and strength bars."""
    model = AppModel()
    picture = MapPicture(model.battlefield.hexmap, model.loaded.map)
    assert len(picture.names) > 10
    units = [*picture.unit_markers.values(), picture.bar_back, picture.bar_fill]
    assert min(n.get_zorder() for n in picture.names) > max(u.get_zorder() for u in units)


def test_force_scale_applies_to_the_side_only():
    """Scaling one side's forces leaves the other side's units alone."""
    spec = load_scenario(scenario_path("tutorial.yaml")).spec
    sets = ForceScale("x", "RU", "x").overrides(0.5, spec)
    ids = {s.split(".")[1] for s in sets}
    assert ids == {u.id for u in spec.forces if u.side == "RU"}
    assert ForceScale("x", "RU", "x").overrides(1.0, spec) == []


# --------------------------------------------------------------------------- in a real browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"solara exited with code {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"solara did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture
def app_server(tmp_path):
    """`solara run sim.app` on a free local port, stopped (with its children) afterwards."""
    port = _free_port()
    log = tmp_path / "solara.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "solara", "run", "sim.app", "--host", "127.0.0.1", "--port", str(port)]
            + ["--no-open", "--production"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so that cleanup reaches every child
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_serving(url, proc, log, timeout=120)
        yield url, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


def _wait_for_turn(page, text: str) -> None:
    page.wait_for_function(
        "t => { const e = document.querySelector('.sudzha-turn'); return e && e.innerText.startsWith(t); }",
        arg=text,
        timeout=60_000,
    )


def _image_bytes(img) -> int:
    """Decoded size of an <img>: its natural width x height (0 until it has loaded)."""
    return img.evaluate("e => e.complete ? e.naturalWidth * e.naturalHeight : 0")


PROJECTOR_SIZES = ((1024, 768), (1280, 720))
"""Viewports of a classroom projector: everything needed to play a turn must fit without scrolling."""


def _inside(box, width: int, height: int) -> bool:
    return (
        box is not None
        and box["width"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width + 0.5
        and box["y"] + box["height"] <= height + 0.5
    )


def _check_projector_view(page, width: int, height: int) -> None:
    """Map, controls and a live plot inside the viewport; the sidebar beside the map, not over it;
    slider values shown; the framework's leftovers hidden."""
    the_map = page.locator("img.sudzha-map")
    page.wait_for_function("e => e.complete && e.naturalWidth > 300", arg=the_map.element_handle())
    map_box = the_map.bounding_box()
    assert _inside(map_box, width, height), (width, height, map_box)
    assert map_box["width"] > 0.4 * width, map_box
    for name in ("Step", "Reset", "▶"):
        button = page.get_by_role("button", name=name, exact=True)
        assert _inside(button.bounding_box(), width, height), (name, width, height)
    page.wait_for_function("() => document.querySelectorAll('.sudzha-plot img').length >= 2")
    plot = page.locator(".sudzha-plot img").first
    page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=plot.element_handle())
    assert _inside(plot.bounding_box(), width, height), (width, height, plot.bounding_box())
    side = page.locator(".sudzha-side").bounding_box()
    assert side["x"] + side["width"] <= map_box["x"], (side, map_box)  # beside the map, not over it
    # every slider shows its value all the time, not only while dragged
    values = page.locator(".sudzha-side .v-slider-thumb__label")
    assert values.count() >= 8
    for k in range(values.count()):
        assert values.nth(k).is_visible() and values.nth(k).inner_text().strip(), k
    # leftovers: a thread switch, a step clock, a badge over the plots, an app bar, tabs of modules
    assert not page.get_by_label("Use Threads").is_visible()
    assert not page.get_by_text("Time:").first.is_visible()
    assert not page.get_by_text("runs on Solara").is_visible()
    assert page.locator(".v-app-bar, .v-tabs").count() == 0


def _download(page, label: str, target: Path) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=label).click()
    info.value.save_as(target)
    return target.read_bytes()


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser test needs Debian's Chromium at /usr/bin/chromium: run scripts/install-chromium.sh",
)
@pytest.mark.slow
def test_app_in_a_real_browser(app_server, tmp_path):
    """At projector sizes the map, controls and plots are in view; Step advances the turn and redraws;
    the run downloads as CSV and PNG; the scenario dropdown works, and the tutorial shows only the
    inputs and plots that apply to it; a run played to its end shows no stuck pause sign."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    url, log = app_server
    started = time.monotonic()
    save = os.environ.get("SAVE_SCREENSHOTS") == "1"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width, height in PROJECTOR_SIZES:
                page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                page.goto(url, timeout=60_000)
                try:
                    page.wait_for_selector("img.sudzha-map", state="visible", timeout=120_000)
                except sync_api.TimeoutError:
                    page.screenshot(path=str(tmp_path / "app-failed.png"), full_page=True)
                    pytest.fail(
                        "the map did not appear within 120 s (offline? scripts/install-chromium.sh fills "
                        f"Solara's asset cache); page errors: {errors}\n"
                        + log.read_text(errors="replace")[-3000:]
                    )
                the_map = page.locator("img.sudzha-map")
                assert _image_bytes(the_map) > 300 * 300
                turn = page.locator(".sudzha-turn")
                assert turn.inner_text().startswith("Turn 0 of ")
                _check_projector_view(page, width, height)
                area_plot = page.locator(".sudzha-plot img").first
                before, map_before = area_plot.get_attribute("src"), the_map.get_attribute("src")

                page.get_by_role("button", name="Step", exact=True).click()
                _wait_for_turn(page, "Turn 1 of ")
                page.wait_for_function(
                    "old => { const i = document.querySelector('.sudzha-plot img');"
                    " return i && i.src !== old; }",
                    arg=before,
                    timeout=60_000,
                )
                assert the_map.get_attribute("src") != map_before
                _check_projector_view(page, width, height)
                if save:  # the pictures in docs/app.md, a few turns in
                    for k in range(2, 9):
                        page.get_by_role("button", name="Step", exact=True).click()
                        _wait_for_turn(page, f"Turn {k} of ")
                time.sleep(0.5)  # let the last image paint
                shot = tmp_path / f"app-{width}x{height}.png"
                page.screenshot(path=str(shot))
                assert shot.stat().st_size > 50_000
                if save:
                    name = "app.png" if (width, height) == (1280, 720) else f"app-{width}x{height}.png"
                    shutil.copyfile(shot, ROOT / "docs" / "img" / name)
                if (width, height) == PROJECTOR_SIZES[0]:
                    # the run as files: its turns as CSV, the map of the turn on screen as PNG
                    shown = int(turn.inner_text().split()[1])
                    csv = _download(page, "Turns (CSV)", tmp_path / "turns.csv").decode("utf-8")
                    lines = csv.strip().splitlines()
                    assert lines[0].startswith("turn,date,ua_area_km2,")
                    assert len(lines) == shown + 2  # a header, turn 0 and every turn played
                    png = _download(page, "Map (PNG)", tmp_path / "map.png")
                    assert png.startswith(b"\x89PNG") and len(png) > 50_000
                    # the run told turn by turn: the events panel opens on what happened so far
                    page.get_by_text("Events of this run").first.click()
                    page.get_by_text("Download every event (CSV)").first.wait_for(timeout=60_000)
                    _check_scenario_switch(page, width, height)
                assert not errors, errors
                page.close()
        finally:
            browser.close()
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]
    print(f"browser test: {time.monotonic() - started:.1f} s after the server answered")


def _check_scenario_switch(page, width: int, height: int) -> None:
    """Another scenario from the dropdown starts at once, with its own inputs and plots; Reset
    rebuilds it; played to the end, the play button shows a greyed play sign, not a pause sign."""
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="tutorial.yaml").click()
    _wait_for_turn(page, "Turn 0 of 10")
    # the sidebar's controls are redrawn for the new model just after the map
    page.get_by_text("Time: 0.0").wait_for(state="attached", timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('.sudzha-plot img').length === 2")
    assert page.get_by_text("UA forces").first.is_visible()
    for absent in ("RU strike aircraft", "EW strength", "drone sorties"):
        assert page.get_by_text(absent).count() == 0, absent
    _check_projector_view(page, width, height)
    page.get_by_role("button", name="Step", exact=True).click()
    _wait_for_turn(page, "Turn 1 of 10")
    page.get_by_role("button", name="Reset", exact=True).click()
    _wait_for_turn(page, "Turn 0 of 10")
    play = page.get_by_role("button", name="▶", exact=True)
    play.click()
    page.get_by_text("finished: Reset to play again").wait_for(timeout=60_000)
    assert page.locator(".sudzha-turn").inner_text().startswith("Turn 10 of 10")
    button = page.locator(".sudzha-side .v-sheet:has(> .v-btn) > .v-btn:nth-child(2)")
    page.wait_for_function(
        "b => b.disabled || b.classList.contains('v-btn--disabled')", arg=button.element_handle()
    )
    shown = button.evaluate(
        "b => { const c = b.querySelector('.v-btn__content'); const s = getComputedStyle(c);"
        " return [s.fontSize, getComputedStyle(c, '::after').content]; }"
    )
    assert shown[0] == "0px" and "\u25b6" in shown[1], shown
