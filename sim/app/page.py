"""The classroom app: the hex map turn by turn in the browser, with Mesa's SolaraViz.

Start it with `scripts/app.sh` (or `.venv/bin/solara run sim.app`) and open
http://localhost:8765. See docs/app.md for a tour.

- Sidebar (`Layout`, always shown, for a projector at 1024x768 as at 1280x720): the
  scenario file (any `scenarios/*.yaml`), SolaraViz's Step, Play and Reset (kept in
  view), the random seed and the inputs that act on the chosen scenario. Inputs take
  effect on Reset; choosing another scenario starts it at once, with its own values.
- Main area: the map (`sim.app.map`: terrain, rivers, roads, named settlements,
  control shading and the front line, units by nation and kind with their
  strength) beside live plots of the per-turn metrics of
  `sim.battle.metrics.TIMESERIES` against dates, downloads of the run (its turns
  as CSV, the map as PNG), the inputs in force and the units, one row each.

The model is `sim.app.model.AppModel`, i.e. `SudzhaModel(load_scenario(file,
overrides), rng=seed)`: the same code the command line runs. This module is
imported by nothing but the app package (Mesa's app -> model -> agents rule).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import solara
import solara.server.settings
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter
from solara.components.applayout import sidebar_portal

from sim.app.events import EventsPanel
from sim.app.map import MapPicture, units_on_map
from sim.app.model import (
    DEFAULT_SCENARIO,
    AppModel,
    applicable_inputs,
    base_scenario,
    declared,
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

# Solara's page: the wargame's name in the browser tab, no "This website runs on Solara" badge
# over the plots (read by the server each time it serves the page)
solara.server.settings.theme.title = TITLE
solara.server.settings.theme.show_banner = False

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
def MapPanel(model: AppModel, picture: MapPicture):
    """The map of the current turn, with the turn counter and any refused inputs above it."""
    update_counter.get()  # redrawn after every step, like Mesa's own components

    def render() -> bytes:
        picture.update(model.battlefield.control, units_on_map(model))
        return picture.png()

    png = solara.use_memo(render, dependencies=[id(model), model.turn, id(picture)])
    date = turn_date(model)
    with solara.Column(gap="4px", style={"width": "100%"}):
        with solara.Row(gap="10px", classes=["sudzha-maphead"]):
            solara.Text(turn_text(model), classes=["sudzha-turn"], style={"font-weight": "bold"})
            if date:
                solara.Text(f"start: {date}" if model.turn == 0 else date, classes=["sudzha-date"])
            solara.Text(f"Ukraine holds {model.battlefield.ua_area_km2():,.0f} km² of Russia")
            if not model.running:
                solara.Text("finished: Reset to play again", style={"color": "#b00"})
        for problem in model.problems:
            solara.Warning(problem, dense=True)
        solara.Image(png, width="100%", classes=["sudzha-map"])


@solara.component
def MapKey(model: AppModel, picture: MapPicture):
    """Under the map: its key, the changes from the file as --set options, the scenario's description."""
    key = solara.use_memo(picture.legend_png, dependencies=[id(picture)])
    solara.Image(key, width="100%", classes=["sudzha-key"])
    if model.overrides:
        with solara.Details(f"{len(model.overrides)} value(s) changed from {model.scenario_file}"):
            solara.Markdown(
                "Same as on the command line:\n\n"
                + "\n".join(f"- `--set` {plain(o)}" for o in model.overrides)
            )
    spec = model.battlefield.spec
    solara.Markdown(f"**{plain(spec.name)}**: {plain(spec.description.strip())}")


# --------------------------------------------------------------------------- plots


def _always(model: AppModel) -> bool:
    return True


def _has_aviation(model: AppModel) -> bool:
    """Whether the scenario gives either side aviation (an `air:` block, or aircraft)."""
    spec = model.battlefield.spec
    return any(
        declared(spec, f"sides.{side}.air") or getattr(spec.sides, side).air.aircraft > 0
        for side in ("UA", "RU")
    )


def _has_logistics(model: AppModel) -> bool:
    """Whether the scenario has supply sources; without them every unit is always supplied."""
    return bool(model.battlefield.spec.logistics.sources)


def _nations_present(model: AppModel) -> set[str]:
    f = model.battlefield.forces
    return {NATIONS[c].lower() for c in np.unique(f.nation)}


@dataclass(frozen=True)
class PlotSpec:
    """One live plot: the TIMESERIES metrics whose names match `pattern`, if there are any.

    `applies` says whether the plot means anything for a model's scenario (an air plot
    without aviation is two flat lines); a metric about a nation without units in the
    scenario is left out. The y axis starts at 0 and ends at `ylim_top` when that is
    given (shares and indices: 1), or else at a round number above the largest value so
    far (`headroom` times it): it never autoscales to the noise, and only grows, in
    steps, when a line passes it. The x axis spans the whole scenario from the start.
    """

    title: str
    pattern: str
    ylabel: str
    applies: Callable[[AppModel], bool] = _always
    ylim_top: float | None = None
    headroom: float = 1.15
    min_top: float = 10.0

    def metrics(self) -> list[str]:
        return [m.name for m in TIMESERIES if re.fullmatch(self.pattern, m.name)]

    def lines(self, model: AppModel) -> list[str]:
        """The metrics drawn for this model: those about nations it has units of (or no nation)."""
        present = _nations_present(model)
        prefixes = {n.lower() for n in NATIONS}
        return [m for m in self.metrics() if m.split("_", 1)[0] not in prefixes - present]

    def y_top(self, values: np.ndarray) -> float:
        if self.ylim_top is not None:
            return self.ylim_top
        largest = float(np.nanmax(values)) if values.size else 0.0
        return nice_ceiling(max(largest * self.headroom, self.min_top))


PLOTS: tuple[PlotSpec, ...] = (
    PlotSpec("Russian land held by Ukraine", r"ua_area_km2", "km²", headroom=1.1),
    PlotSpec(
        "Casualties",
        r"(ua|ru|dprk)_casualties",
        "people",
        headroom=1.5,
        min_top=100,
    ),
    PlotSpec("Air superiority", r".*air_superiority.*", "index 0-1", applies=_has_aviation, ylim_top=1.0),
    PlotSpec("Supply", r".*supply.*", "share of need", applies=_has_logistics, ylim_top=1.0),
)
"""The live plots, in order; a plot whose metrics `sim.battle.metrics` does not (yet) report is
left out, and so is one that does not apply to the scenario on screen."""

NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) >= value."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in NICE_STEPS if m * power >= value * (1 - 1e-12))


def plots_for(model: AppModel) -> list[PlotSpec]:
    """The live plots shown for this model."""
    return [spec for spec in PLOTS if spec.metrics() and spec.applies(model) and spec.lines(model)]


def _legend_label(metric: str) -> str:
    """A line's name in its plot: the nation when the metric is about one (the title says what)."""
    prefix = metric.split("_", 1)[0]
    if prefix.upper() in NATIONS:
        return prefix.upper()
    return re.sub(r"\s*\([^)]*\)$", "", metric_label(metric))


def turn_times(model: AppModel, turns) -> np.ndarray:
    """x values of turns: the moment each ends (turn 0: the start), or the turn numbers when the
    scenario has no date."""
    spec = model.battlefield.spec
    turns = np.asarray(turns, dtype=float)
    if spec.start_date is None:
        return turns
    start = pd.Timestamp(spec.start_date)
    return (start + pd.to_timedelta(turns * spec.turn_hours, unit="h")).to_numpy()


PLOT_SIZE = (2.9, 2.0)
"""Inches: shown 250-300 px wide at 1024x768 and 1280x720, so 8-point text reads about 10 px."""
PLOT_DPI = 150


def plot_png(model: AppModel, spec: PlotSpec) -> bytes:
    """One live plot as PNG bytes (`plot_figure`)."""
    buffer = io.BytesIO()
    plot_figure(model, spec).savefig(buffer, format="png", dpi=PLOT_DPI)
    return buffer.getvalue()


def plot_figure(model: AppModel, spec: PlotSpec) -> Figure:
    """One live plot: the run so far against dates, on axes fixed for the whole scenario."""
    import matplotlib.dates as mdates

    frame = model.datacollector.get_model_vars_dataframe()
    lines = spec.lines(model)
    fig = Figure(figsize=PLOT_SIZE, dpi=PLOT_DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.17, right=0.96, top=0.74 if len(lines) > 1 else 0.84, bottom=0.13)
    ax = fig.add_subplot()
    x = turn_times(model, frame.index.to_numpy())
    for metric in lines:
        ax.plot(
            x,
            frame[metric].to_numpy(dtype=float),
            color=metric_colour(metric),
            linewidth=2,
            marker="o",
            markersize=2.5,  # turn 0 alone is a point, not a line
            label=_legend_label(metric),
        )
    values = frame[lines].to_numpy(dtype=float)
    ax.set_ylim(0, spec.y_top(values))
    ends = turn_times(model, [0, model.battlefield.spec.turn_count])
    ax.set_xlim(ends[0], ends[1])
    if model.battlefield.spec.start_date is not None:
        days = model.battlefield.spec.turn_count * model.battlefield.spec.turn_hours / 24
        every = next((k for k in (1, 2, 3, 5, 7, 14) if days / k <= 5), 30)
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=every) if every < 30 else mdates.MonthLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    else:
        ax.set_xlabel("turn", fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(labelsize=8, pad=2)
    ax.grid(True, color="0.9")
    fig.text(
        0.01, 0.985, f"{spec.title} ({spec.ylabel})", ha="left", va="top", fontsize=8.5, fontweight="bold"
    )
    if len(lines) > 1:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
            ncol=len(lines),
            fontsize=8,
            frameon=False,
            handlelength=1.2,
            columnspacing=0.8,
            borderaxespad=0.2,
        )
    return fig


@solara.component
def LivePlot(model: AppModel, spec: PlotSpec):
    """One live plot, redrawn after every step."""
    update_counter.get()
    png = solara.use_memo(lambda: plot_png(model, spec), dependencies=[id(model), model.turn, spec.title])
    with solara.Div(classes=["sudzha-plot"]):
        solara.Image(png, width="100%")


# --------------------------------------------------------------------------- downloads


def download_stem(model: AppModel) -> str:
    """`tutorial-seed7-turn5`: what the run's files are called."""
    return f"{Path(model.scenario_file).stem}-seed{model.seed}-turn{model.turn}"


def turns_csv(model: AppModel) -> bytes:
    """The run on screen turn by turn: `turn`, `date` (when the scenario has one) and every
    per-turn metric, the columns of a study's timeseries.csv."""
    frame = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    frame.insert(0, "turn", range(len(frame)))
    spec = model.battlefield.spec
    if spec.start_date is not None:
        frame.insert(1, "date", pd.DatetimeIndex(turn_times(model, frame["turn"])).strftime("%Y-%m-%d %H:%M"))
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")


def map_export(model: AppModel, picture: MapPicture) -> bytes:
    """The map of the turn on screen, with a title (scenario, turn, date, seed, changes) and its key."""
    picture.update(model.battlefield.control, units_on_map(model))
    date = turn_date(model)
    title = f"{model.battlefield.spec.name}: {turn_text(model).lower()}" + (f", {date}" if date else "")
    changes = "; ".join(f"--set {o}" for o in model.overrides) or "as in the file"
    subtitle = (
        f"{model.scenario_file}, seed {model.seed}: {changes}; "
        f"Ukraine holds {model.battlefield.ua_area_km2():,.0f} km² of Russia"
    )
    if len(subtitle) > 140:
        subtitle = subtitle[:137] + "..."
    return picture.export_png(title, subtitle)


@solara.component
def Downloads(model: AppModel, picture: MapPicture):
    """This run as files: its turns as CSV, the map of the turn on screen as PNG."""
    update_counter.get()
    stem = download_stem(model)
    with solara.Row(gap="8px", classes=["sudzha-downloads"], style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: turns_csv(model), filename=f"{stem}.csv", label="Turns (CSV)", mime_type="text/csv"
        )
        solara.FileDownload(
            lambda: map_export(model, picture),
            filename=f"{stem}.png",
            label="Map (PNG)",
            mime_type="image/png",
        )


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
    for item in applicable_inputs(model.loaded.spec):
        text = item.shown(model.battlefield.spec, model.applied)
        rows.append(
            f"| {item.label} | **{text}** |" if item.name in model.applied else f"| {item.label} | {text} |"
        )
    with solara.Card(margin=0, classes=["sudzha-inforce"]):
        solara.Markdown("| this run | |\n|:---|:---|\n" + "\n".join(rows))


@solara.component
def ScenarioCard():
    """The scenario dropdown: choosing a file starts it, with its own values in the inputs."""
    files = scenario_files()
    with solara.Card(margin=0, classes=["sudzha-scenario"]):
        solara.Select(
            label="Scenario",
            values=files,
            value=scenario_choice.value,
            on_value=choose_scenario,
        )
        try:
            spec = base_scenario(scenario_choice.value).spec
        except UserInputError:
            return
        solara.Markdown(
            f"**{plain(spec.name)}**: {spec.turn_count} turns of {spec.turn_hours:g} h, "
            f"{spec.hex_km:g} km hexes"
        )
        solara.Text(
            "Step plays one turn, ▶ plays on, Reset starts again with the seed and inputs below.",
            classes=["sudzha-hint"],
        )


@solara.component
def Dashboard(model: AppModel):
    """The main area: the map beside the live plots, this run's files, inputs and units.

    Each panel reads Mesa's `update_counter`, so it is redrawn after every step.
    """
    hexmap = model.battlefield.hexmap
    picture = solara.use_memo(lambda: MapPicture(hexmap, model.loaded.map), dependencies=[id(hexmap)])
    width, height = picture.fig.get_size_inches()
    with solara.Div(classes=["sudzha-dash"], style={"--map-aspect": f"{width / height:.4f}"}):
        with solara.Div(classes=["sudzha-mapcol"]):
            MapPanel(model, picture)
            MapKey(model, picture)
        with solara.Div(classes=["sudzha-plotcol"]):
            for spec in plots_for(model):
                LivePlot(model, spec)
            Downloads(model, picture)
            InForceCard(model)
            with solara.Card(margin=0), solara.Details(f"Units ({model.battlefield.forces.n})"):
                UnitsPanel(model)
            with solara.Card(margin=0), solara.Details("Events of this run"):
                EventsPanel(model)


@solara.component
def Workspace(initial: AppModel, params: dict):
    """SolaraViz's controls and inputs in the sidebar; our dashboard in the main area.

    SolaraViz shows its `components` in a draggable grid (solara.GridDraggable), which
    fails to load with ipyvuetify 3 ("GlobalVue.use is not a function": its grid library
    is a Vue 2 plugin). So SolaraViz gets no components and shares its model with the
    dashboard through a reactive variable: Reset puts the new model there.
    """
    model = solara.use_reactive(initial)
    Dashboard(model.value)
    SolaraViz(  # its controls and inputs go to the sidebar; in place it leaves only empty elements
        model,
        components=[],
        model_params=params,
        name=f"{TITLE}: {initial.loaded.spec.name}",
        play_interval=PLAY_INTERVAL_MS,
    )


@solara.component
def Page():
    name = scenario_choice.value

    def build():
        try:
            return AppModel(scenario_file=name), model_params(name), None
        except UserInputError as exc:
            return None, None, exc

    model, params, error = solara.use_memo(build, dependencies=[name])
    solara.Title(f"{TITLE}: {model.loaded.spec.name}" if model is not None else TITLE)
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


# --------------------------------------------------------------------------- the frame

CSS = """
.sudzha-shell { position: fixed; inset: 0; display: flex; background: #f2f2f2; z-index: 1;
  --side-w: 300px; --plot-w: 250px; --head-h: 34px; }
@media (max-width: 1150px) { .sudzha-shell { --side-w: 270px; } }
.sudzha-side { flex: 0 0 var(--side-w); width: var(--side-w); overflow-y: auto; overflow-x: hidden;
  background: #fff; border-right: 1px solid #ddd; padding: 6px 8px 40px; }
.sudzha-main { flex: 1 1 0; min-width: 0; overflow-y: auto; padding: 6px 8px 24px; }
.sudzha-main div:empty { display: none; }
.sudzha-main .v-sheet { background: transparent; }
.sudzha-title { font-weight: 700; font-size: 1.05rem; padding: 2px 4px 6px; display: block; }
.sudzha-hint { font-size: 0.8em; color: #555; }
.sudzha-side .v-card { margin: 0 0 8px 0 !important; }
.sudzha-side .v-card-title { font-size: 0.95rem; padding: 4px 12px 0; line-height: 1.5rem; }
.sudzha-side .v-card-text { padding: 2px 12px 6px; }
.sudzha-scenario { padding: 8px 12px 6px; }
.sudzha-scenario p { margin: 0 0 2px; font-size: 0.9em; }
/* SolaraViz's own controls: no thread switch, no step clock ("Information"); the buttons on
   top of their card, and the card kept in view while the inputs below it scroll */
.sudzha-side .v-checkbox:has(input[aria-label="Use Threads"]) { display: none; }
.sudzha-side .v-card:has(input[aria-label="Use Threads"]) ~ .v-card:last-child { display: none; }
.sudzha-side .v-card:has(input[aria-label="Use Threads"]) { position: sticky; top: -6px; z-index: 3; }
.sudzha-side .v-card:has(input[aria-label="Use Threads"]) > .v-card-text {
  display: flex; flex-direction: column; }
.sudzha-side .v-card-text > .v-sheet:has(> .v-btn) { order: -1; margin: 2px 0 4px; }
/* a run that has finished shows a greyed play sign, not a pause sign */
.sudzha-side .v-sheet:has(> .v-btn) > .v-btn:nth-child(2).v-btn--disabled .v-btn__content { font-size: 0; }
.sudzha-side .v-sheet:has(> .v-btn) > .v-btn:nth-child(2).v-btn--disabled .v-btn__content::after {
  content: "\\25B6"; font-size: 0.875rem; }
/* sliders: the label above the track, the value always shown under the thumb */
.sudzha-side .v-slider.v-input--horizontal { grid-template-areas: "prepend" "control" "messages";
  grid-template-columns: minmax(0, 1fr); margin-inline: 0; }
.sudzha-side .v-slider .v-input__prepend { margin: 0; padding: 0; }
.sudzha-side .v-slider__label { white-space: normal; line-height: 1.15; font-size: 0.85rem; margin: 0; }
.sudzha-side .v-slider .v-slider__container { min-height: 26px; }
.sudzha-side .v-slider .v-input__control { min-height: 26px; }
.sudzha-side .v-slider .v-input__details { min-height: 20px; padding: 0; }
.sudzha-side .v-card:has(input[aria-label="Use Threads"]) .v-slider { margin-bottom: 14px; }
.sudzha-side .v-slider-thumb__label-container { display: block !important; }
.sudzha-side .v-slider-thumb__label { top: 17px; bottom: auto; height: 14px; min-width: 0; padding: 0 2px;
  background: transparent !important; color: #222 !important; font-size: 11px; font-weight: 600;
  transform: translateX(-50%) !important; pointer-events: none; }
.sudzha-side .v-slider-thumb__label-wedge { display: none; }
/* the dashboard: the map as large as the screen allows beside a column of plots */
.sudzha-dash { display: flex; gap: 8px; align-items: flex-start; }
.sudzha-mapcol { flex: 0 0 auto; min-width: 300px;
  width: min(calc((100vh - var(--head-h) - 14px) * var(--map-aspect)),
             calc(100vw - var(--side-w) - var(--plot-w) - 32px)); }
.sudzha-plotcol { flex: 1 1 var(--plot-w); min-width: var(--plot-w); display: flex; flex-direction: column;
  gap: 8px; }
.sudzha-maphead { min-height: var(--head-h); align-items: center; flex-wrap: wrap; row-gap: 0;
  font-size: 0.9rem; }
.sudzha-maphead span { color: #444; }
.sudzha-maphead .sudzha-turn { color: #000; }
.sudzha-mapcol img, .sudzha-plot img { display: block; width: 100%; height: auto; }
.sudzha-plot { background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.2);
  overflow: hidden; }
.sudzha-key { margin-top: 6px; background: #fff; }
.sudzha-inforce { font-size: 0.85em; }
"""


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara's signature for a layout)
    """The app's frame, for a projector: the sidebar (the scenario, then SolaraViz's controls and
    inputs) always shown at the left and scrolling on its own; the dashboard beside it.

    Solara's default frame (AppLayout) turns the sidebar into a drawer over the map below
    1280 px and adds an app bar; this frame keeps SolaraViz's sidebar (its `solara.Sidebar`
    content, which reaches a layout through Solara's sidebar portal) and leaves out its app
    bar (title and theme switch).
    """
    sidebar = sidebar_portal.use_portal()
    solara.Style(CSS)
    with solara.Div(classes=["sudzha-shell"]):
        with solara.Div(classes=["sudzha-side"]):
            solara.Text(TITLE, classes=["sudzha-title"])
            for element in sidebar:
                solara.display(element)
        solara.Div(classes=["sudzha-main"], children=children)
