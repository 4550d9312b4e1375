"""The classroom app: the hex map turn by turn in the browser, with Mesa's SolaraViz.

Start it with `scripts/app.sh` (or `.venv/bin/solara run sim.app`) and open
http://localhost:8765. See docs/app.md for a tour.

- Sidebar: the scenario file (any `scenarios/*.yaml`), SolaraViz's Step, Play and
  Reset, the random seed and the main parameters. Inputs take effect on Reset;
  choosing another scenario starts it at once, with its own values in the inputs.
- Page 0: the map (`sim.app.map`: terrain, rivers, roads, named settlements,
  control shading and the front line, units by nation and kind with their
  strength) and live plots of the per-turn metrics of `sim.battle.metrics.TIMESERIES`.
- Page 1: the units, one row each.

The model is `sim.app.model.AppModel`, i.e. `SudzhaModel(load_scenario(file,
overrides), rng=seed)`: the same code the command line runs. This module is
imported by nothing but the app package (Mesa's app -> model -> agents rule).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import solara
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.utils import update_counter

from sim.app.map import MapPicture, units_on_map
from sim.app.model import (
    DEFAULT_SCENARIO,
    AppModel,
    available_inputs,
    base_scenario,
    model_params,
    scenario_files,
)
from sim.battle.metrics import TIMESERIES
from sim.codes import NATIONS, POSTURES, UNIT_KINDS
from sim.errors import UserInputError
from sim.report.style import metric_colour, metric_label

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def plain(text: object) -> str:
    """User text (a scenario's name, description, unit names, a --set value) shown as text, never as
    markup: HTML is escaped and Markdown's special characters are taken literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


TITLE = "Sudzha wargame"
PLAY_INTERVAL_MS = 250

scenario_choice = solara.reactive(DEFAULT_SCENARIO)
"""The scenario file shown (one per browser session)."""

scenario_switches = solara.reactive(0)
"""How often the scenario was changed in this session (see `Page`)."""


def choose_scenario(name: str) -> None:
    if name != scenario_choice.value:
        scenario_switches.value += 1
        scenario_choice.set(name)


# --------------------------------------------------------------------------- the map


def turn_date(model: AppModel) -> str:
    """The calendar day of the last turn played (or of the start), when the scenario has a date."""
    start = model.battlefield.spec.start_date
    if start is None:
        return ""
    hours = max(model.turn - 1, 0) * model.battlefield.spec.turn_hours
    day = dt.datetime.combine(start, dt.time()) + dt.timedelta(hours=hours)
    return f"{day:%-d %b %Y}"


def turn_text(model: AppModel) -> str:
    return f"Turn {model.turn} of {model.battlefield.spec.turn_count}"


@solara.component
def MapPanel(model: AppModel):
    """The map of the current turn, with the turn counter and any refused inputs above it."""
    update_counter.get()  # redrawn after every step, like Mesa's own components
    hexmap = model.battlefield.hexmap
    picture = solara.use_memo(lambda: MapPicture(hexmap, model.loaded.map), dependencies=[id(hexmap)])

    def render() -> bytes:
        picture.update(model.battlefield.control, units_on_map(model))
        return picture.png()

    png = solara.use_memo(render, dependencies=[id(model), model.turn])
    date = turn_date(model)
    with solara.Column(gap="4px", style={"width": "100%"}):
        with solara.Row(gap="12px", style={"align-items": "baseline", "flex-wrap": "wrap"}):
            solara.Text(turn_text(model), classes=["sudzha-turn"], style={"font-weight": "bold"})
            if date:
                solara.Text(f"start: {date}" if model.turn == 0 else date, style={"color": "#555"})
            solara.Text(
                f"Ukraine holds {model.battlefield.ua_area_km2():,.0f} km² of Russia", style={"color": "#555"}
            )
            if not model.running:
                solara.Text("finished: Reset to play again", style={"color": "#b00"})
        for problem in model.problems:
            solara.Warning(problem, dense=True)
        solara.Image(png, width="100%", classes=["sudzha-map"])
        if model.overrides:
            with solara.Details(f"{len(model.overrides)} value(s) changed from {model.scenario_file}"):
                solara.Markdown(
                    "Same as on the command line:\n\n"
                    + "\n".join(f"- `--set` {plain(o)}" for o in model.overrides)
                )


# --------------------------------------------------------------------------- plots


@dataclass(frozen=True)
class PlotSpec:
    """One live plot: the TIMESERIES metrics whose names match `pattern`, if there are any."""

    title: str
    pattern: str
    ylabel: str

    def metrics(self) -> list[str]:
        return [m.name for m in TIMESERIES if re.fullmatch(self.pattern, m.name)]


PLOTS: tuple[PlotSpec, ...] = (
    PlotSpec("Russian land held by Ukraine", r"ua_area_km2", "km²"),
    PlotSpec("Casualties by nation (killed, wounded, captured)", r"(ua|ru|dprk)_casualties", "people"),
    PlotSpec("Air superiority", r".*air_superiority.*", "index"),
    PlotSpec("Supply", r".*supply.*", "share of need"),
)
"""The live plots, in order; a plot whose metrics `sim.battle.metrics` does not (yet) report is left out."""


def _legend_label(metric: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", metric_label(metric))


def _post_process(spec: PlotSpec, metrics: list[str]) -> Callable:
    def style(ax) -> None:
        ax.figure.set_size_inches(6.4, 3.3)
        ax.set_title(spec.title, fontsize=11)
        ax.set_ylabel(spec.ylabel)
        ax.grid(True, color="0.9")
        for line in ax.get_lines():
            line.set_label(_legend_label(line.get_label()))
            line.set_linewidth(2)
            line.set_marker("o")  # turn 0 alone is a point, not a line
            line.set_markersize(3)
        if len(metrics) > 1:
            ax.legend(loc="best", fontsize=9)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.set_xlabel("turn")

    return style


def plot_components() -> list[tuple[Callable, int]]:
    out = []
    for spec in PLOTS:
        metrics = spec.metrics()
        if metrics:
            measure = {m: metric_colour(m) for m in metrics}
            out.append(make_plot_component(measure, post_process=_post_process(spec, metrics), page=0))
    return out


# --------------------------------------------------------------------------- units


def _place(model: AppModel, hex_index: int) -> str:
    """The settlement in a hex, or the nearest one: `Sudzha`, `near Sudzha (2 hexes)`."""
    hm = model.battlefield.hexmap
    if hm.settlement_at[hex_index] >= 0:
        return hm.settlements[hm.settlement_at[hex_index]].name
    steps = hm.distance(model.battlefield.site_hex, hex_index)
    nearest = int(np.argmin(steps))
    n = int(steps[nearest])
    return f"near {hm.settlements[nearest].name} ({n} hex{'es' if n != 1 else ''})"


def unit_table(model: AppModel) -> pd.DataFrame:
    """One row per unit: who, where, how strong."""
    f = model.battlefield.forces
    rows = []
    for i in range(f.n):
        rows.append(
            {
                "unit": f.names[i],
                "nation": NATIONS[f.nation[i]],
                "kind": UNIT_KINDS[f.kind[i]].replace("_", " "),
                "personnel": int(f.personnel[i]),
                "strength %": round(100 * f.personnel[i] / max(f.personnel0[i], 1)),
                "vehicles": int(f.vehicles[i]),
                "morale": round(float(f.morale[i]), 2),
                "posture": POSTURES[f.posture[i]] + (" (broken)" if f.broken[i] else ""),
                "at": _place(model, int(f.hex[i])),
                "on map": "yes" if f.active[i] else "no",
            }
        )
    return pd.DataFrame(rows)


@solara.component
def UnitsPanel(model: AppModel):
    update_counter.get()
    table = unit_table(model)
    align = ["---:" if pd.api.types.is_numeric_dtype(table[c]) else ":---" for c in table.columns]
    header = "| " + " | ".join(table.columns) + " |\n|" + "|".join(align) + "|"
    lines = ["| " + " | ".join(plain(v) for v in row) + " |" for row in table.itertuples(index=False)]
    solara.Markdown(
        f"**Units after {turn_text(model).lower()}** (strength: share of the starting personnel)\n\n"
        + header
        + "\n"
        + "\n".join(lines)
    )


# --------------------------------------------------------------------------- page


@solara.component
def InForceCard(model: AppModel):
    """The seed and the inputs the running model was built with; changes from the file in bold."""
    update_counter.get()
    rows = [f"| seed | {model.seed} |"]
    for item in available_inputs():
        text = item.shown(model.battlefield.spec, model.applied)
        rows.append(
            f"| {item.label} | **{text}** |" if item.name in model.applied else f"| {item.label} | {text} |"
        )
    with solara.Card(margin=0):
        solara.Markdown("| this run | |\n|:---|:---|\n" + "\n".join(rows))


@solara.component
def ScenarioCard():
    """The scenario dropdown: choosing a file starts it, with its own values in the inputs."""
    files = scenario_files()
    with solara.Card("Scenario", margin=0):
        solara.Select(
            label="Scenario file (scenarios/*.yaml)",
            values=files,
            value=scenario_choice.value,
            on_value=choose_scenario,
        )
        try:
            spec = base_scenario(scenario_choice.value).spec
        except UserInputError:
            return
        text = spec.description.strip().split("\n\n")[0]
        if len(text) > 260:
            text = text[:257].rsplit(" ", 1)[0] + " ..."
        solara.Markdown(
            f"**{plain(spec.name)}**: {spec.turn_count} turns of {spec.turn_hours:g} h, "
            f"{spec.hex_km:g} km hexes. {plain(text)}"
        )
        solara.Text(
            "Step plays one turn, ▶ plays on, Reset starts again with the seed and inputs below.",
            style={"font-size": "0.85em", "color": "#555"},
        )


PLOT_COMPONENTS = plot_components()


@solara.component
def Dashboard(model: AppModel):
    """The main area: the map beside the live plots, the units below.

    Each panel reads Mesa's `update_counter`, so it is redrawn after every step.
    """
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Card(margin=0, style={"flex": "2 1 560px", "min-width": "340px", "max-width": "900px"}):
            MapPanel(model)
        with solara.Column(gap="12px", style={"flex": "1 1 340px", "min-width": "300px"}):
            for make, _page in PLOT_COMPONENTS:
                with solara.Card(margin=0, classes=["sudzha-plot"]):
                    make(model)
            InForceCard(model)
    with (
        solara.Card(margin=0, style={"margin-top": "12px"}),
        solara.Details(f"Units ({model.battlefield.forces.n})"),
    ):
        UnitsPanel(model)


@solara.component
def Workspace(initial: AppModel, params: dict):
    """SolaraViz's controls and inputs in the sidebar; our dashboard in the main area.

    SolaraViz shows its `components` in a draggable grid (solara.GridDraggable), which
    fails to load with ipyvuetify 3 ("GlobalVue.use is not a function": its grid library
    is a Vue 2 plugin). So SolaraViz gets no components and shares its model with the
    dashboard through a reactive variable: Reset puts the new model there.
    """
    model = solara.use_reactive(initial)
    SolaraViz(
        model,
        components=[],
        model_params=params,
        name=f"{TITLE}: {initial.loaded.spec.name}",
        play_interval=PLAY_INTERVAL_MS,
    )
    Dashboard(model.value)


@solara.component
def Page():
    name = scenario_choice.value

    def build():
        try:
            return AppModel(scenario_file=name), model_params(name), None
        except UserInputError as exc:
            return None, None, exc

    model, params, error = solara.use_memo(build, dependencies=[name])
    with solara.Sidebar():
        ScenarioCard()
        # SolaraViz's controls and inputs are drawn in the sidebar, where their state lives at
        # their position among the sidebar's elements: a new scenario must move them, or they
        # would keep the old scenario's inputs. An empty element before them on every other
        # change of scenario does that, so they start afresh with the new scenario's values.
        if scenario_switches.value % 2:
            solara.Div()
    if error is not None:
        solara.Error(f"{name} cannot be run:\n" + "\n".join(str(p) for p in error.problems))
        return
    Workspace(model, params).key(name)
