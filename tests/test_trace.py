"""One run told turn by turn (`run --trace RUN`, `sim.trace`): the events are what the state shows,
the run is the batch's run RUN, and the animated map has a frame per turn."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from sim import engine
from sim.battle.battlefield import Battlefield
from sim.codes import CAUSES, NATIONS, SIDES
from sim.loading import load_scenario
from sim.output import MANIFEST, format_value
from sim.replications import iter_jobs, run_once
from sim.trace import COLUMNS, model_events, play_traced, trace_run, write_trace

from conftest import ROOT

DEFAULT = ROOT / "scenarios" / "sudzha_jan2025.yaml"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
SEED = 20250106
RUN = 2
PER_DRAW = 5


@pytest.fixture(scope="module")
def default():
    return load_scenario(DEFAULT)


@pytest.fixture(scope="module")
def traced(default):
    return trace_run(default, SEED, RUN, per_draw=PER_DRAW)


def test_events_have_the_columns_and_the_kinds_a_wargamer_asks_for(traced):
    table = traced.table()
    assert list(table.columns) == list(COLUMNS)
    kinds = set(table["kind"])
    for kind in ("moved", "assaulted", "defended", "captured hex", "lost hex", "losses", "broke"):
        assert kind in kinds, f"no {kind!r} event in run {RUN} of the default scenario: {sorted(kinds)}"
    assert table["turn"].between(1, traced.battlefield.spec.turn_count).all()
    assert table["date"].iloc[0] == "2025-01-06 00:00"  # turn 1 starts on the scenario's first day
    assert set(table["phase"]) <= {engine.phase_name(p) for p in engine.PHASES}
    assert set(table["side"]) <= set(SIDES) and set(table["nation"]) <= set(NATIONS)
    losses = table[table["kind"] == "losses"]
    assert (losses["personnel_lost"] + losses["vehicles_lost"] > 0).all()
    assert set(losses["cause"]) <= set(CAUSES)
    assert (table.loc[table["kind"] != "losses", "cause"] == "").all()
    named = table[table["unit_id"] != ""]
    assert (named["unit"] != "").all() and (table["place"] != "").all()


def test_every_capture_is_a_hex_that_changed_hands_in_that_phase(default, traced):
    """Watched independently of the trace's own diffing: the hexes whose control a phase changed."""
    changes = set()

    def watch(phase, before, bf):
        for h in np.flatnonzero(before.control != bf.control):
            changes.add((bf.turn, phase, int(h), SIDES[int(bf.control[h])]))

    job = next(iter_jobs(SEED, RUN + 1, PER_DRAW, first=RUN))
    from sim.scenario import uncertain

    played = default.with_inputs(uncertain.draw(default.inputs, job.draw_seed))
    engine.play(Battlefield.from_scenario(played, job.seed), watch)
    table = traced.table()
    captures = table[table["kind"] == "captured hex"]
    assert len(captures) > 0
    seen = set(zip(captures["turn"], captures["phase"], captures["hex"], captures["side"], strict=True))
    assert seen == changes
    lost = table[table["kind"] == "lost hex"]
    assert sorted(zip(lost["turn"], lost["hex"], strict=True)) == sorted(
        zip(captures["turn"], captures["hex"], strict=True)
    )


def test_the_trace_is_run_RUN_of_the_batch_and_its_losses_add_up(default, traced, tmp_path):
    """Same seed, same inputs, same end state as the batch's row; the loss events sum to its casualties."""
    from sim.study import run_study

    run_study(
        default, tmp_path, runs=RUN + 1, seed=SEED, workers=1, progress=False, plots=False, per_draw=PER_DRAW
    )
    with open(tmp_path / "runs.csv", encoding="utf-8") as fh:
        row = list(csv.DictReader(fh))[RUN]
    assert int(row["seed"]) == traced.seed
    assert {k: format_value(v) for k, v in traced.outcomes.items()} == {k: row[k] for k in traced.outcomes}
    for name, value in traced.inputs.items():
        assert row[name] == format_value(value)
    losses = traced.table().query("kind == 'losses'")
    for nation in NATIONS:
        for cause in CAUSES:
            mine = losses[(losses["nation"] == nation) & (losses["cause"] == cause)]["personnel_lost"].sum()
            assert mine == int(row[f"{nation.lower()}_casualties_{cause}"]), (nation, cause)
    assert losses["personnel_lost"].sum() == sum(int(row[f"{n.lower()}_casualties"]) for n in NATIONS)


def test_without_an_observer_no_snapshot_is_taken(monkeypatch):
    def refuse(bf):
        raise AssertionError("a snapshot was taken with no observer")

    monkeypatch.setattr(engine.Snapshot, "of", classmethod(lambda cls, bf: refuse(bf)))
    run_once(load_scenario(TUTORIAL), 1)


def test_the_app_sees_the_same_events_as_the_trace():
    """`model_events` of a SudzhaModel after some steps is the trace of its seed up to that turn."""
    from sim.model import SudzhaModel

    loaded = load_scenario(TUTORIAL)
    model = SudzhaModel(loaded, rng=7)
    full = play_traced(loaded, 7).table()
    for turns in (0, 3, 5):
        while model.turn < turns:
            model.step()
        shown = model_events(model)
        expected = full[full["turn"] <= turns].reset_index(drop=True)
        assert shown.astype(str).equals(expected.astype(str)), turns


def test_the_app_panel_filters_by_kind():
    from sim.app.events import recent_events
    from sim.model import SudzhaModel

    model = SudzhaModel(load_scenario(TUTORIAL), rng=3)
    for _ in range(4):
        model.step()
    table = recent_events(model, ["losses"])
    assert set(table["kind"]) == {"losses"}
    assert list(table["turn"]) == sorted(table["turn"], reverse=True)


def test_trace_beyond_the_runs_exits_2_with_a_clear_message(capsys):
    from sim.cli import main

    for argv in (
        ["run", str(TUTORIAL), "--runs", "3", "--trace", "3"],
        [str(TUTORIAL), "--runs", "3", "--trace", "5", "--validate"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "--trace" in err and "0 to 2" in err and "--runs 3" in err, err
    assert main(["compare", str(TUTORIAL), str(TUTORIAL), "--trace", "1"]) == 2


@pytest.mark.slow
def test_the_animated_map_has_a_frame_per_turn_and_the_start(traced, tmp_path):
    import time

    from sim.report.animation import frame_count

    started = time.perf_counter()
    written = write_trace(traced, tmp_path)
    took = time.perf_counter() - started
    gif = tmp_path / "turns.gif"
    assert gif in written and gif.exists()
    assert frame_count(gif) == traced.battlefield.spec.turn_count + 1 == len(traced.frames)
    assert gif.stat().st_size < 5_000_000
    assert took < 30, f"the GIF took {took:.1f} s"  # about 7 s on the reference machine; slack for load


@pytest.mark.slow
def test_run_trace_on_the_command_line_writes_the_batch_run(tmp_path):
    out = tmp_path / "study"
    done = subprocess.run(
        [sys.executable, "run_scenario.py", "run", str(TUTORIAL), "--runs", "4", "--trace", "3"]
        + ["--workers", "1", "--no-plots", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with open(out / "runs.csv", encoding="utf-8") as fh:
        row = list(csv.DictReader(fh))[3]
    about = json.loads((out / "trace" / "run.json").read_text(encoding="utf-8"))
    assert about["run"] == 3 and about["seed"] == int(row["seed"])
    assert {k: format_value(v) for k, v in about["outcomes"].items()} == {
        k: row[k] for k in about["outcomes"]
    }
    with open(out / "trace" / "events.csv", encoding="utf-8") as fh:
        events = list(csv.DictReader(fh))
    assert events and list(events[0]) == list(COLUMNS) and about["events"] == len(events)
    assert not (out / "trace" / "turns.gif").exists()  # --no-plots: no pictures
    written = json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # what --force will replace
    assert "trace/events.csv" in written and "trace/run.json" in written
