"""The figures of a study: outcome distributions, the area fan chart, and the maps.

Every `plot_*` function has the form `plot_x(data, ax=None) -> Axes` (as in SALib):
it draws on `ax`, or on a new figure when `ax` is None, and never calls `show()`.
`make_all_plots` draws the standard set for an output folder on figures that are
not registered with pyplot, so it runs headless whatever the backend, and writes
them with `save_figure` (PNG, atomic). The sides keep one colour everywhere:
`SIDE_COLOURS`.

Maps are drawn on the model's own plane: x and y in km on the equal-area projection
of `sim.geography`, north up, hexes pointy-top with circumradius hex_km / sqrt 3.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.geography import RU, UA, HexMap
from sim.mapfile import MapSpec
from sim.output import atomic_write_bytes
from sim.report.maps import (
    RIVER_WIDTHS,
    ROAD_WIDTHS,
    country_labels,
    draw_border,
    draw_hexes,
    draw_rivers,
    draw_roads,
    draw_settlements,
    graticule,
    hex_boundary,
    hex_polygons,
    label_settlements,
    map_frame,
    place_labels,
    project,
    scale_bar,
    settlements_by_importance,
    terrain_handles,
)
from sim.report.style import (
    CAUSE_COLOURS,
    DPI,
    NEUTRAL_COLOUR,
    RIVER_COLOUR,
    ROAD_COLOURS,
    SIDE_COLOURS,
    TERRAIN_COLOURS,
    metric_colour,
    metric_description,
    metric_label,
    metric_unit,
    number_for_figure,
    settlement_label,
)

CONTROL_CMAP = LinearSegmentedColormap.from_list("ru_ua", [SIDE_COLOURS["RU"], "#f7f7f7", SIDE_COLOURS["UA"]])
"""P(UA control): 0 red (always held by the Russian side) .. 1 blue (always Ukrainian)."""

KEY_OUTCOMES = (
    "ua_area_km2",
    "ua_casualties",
    "ru_casualties",
    "dprk_casualties",
    "ua_vehicles_lost",
    "ru_vehicles_lost",
)
"""The outcomes of the histogram grid, in reading order."""


# --------------------------------------------------------------------------- helpers


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """`ax` itself, or the axes of a new pyplot figure (shown in notebooks, Agg headless)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure outside pyplot: no GUI, no global registry, freed when dropped."""
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _no_data(ax: Axes, message: str) -> None:
    ax.text(
        0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=12, color=NEUTRAL_COLOUR
    )


def _bin_edges(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi == lo:
        half = max(abs(lo) * 0.05, 0.5)
        return np.array([lo - half, hi + half])
    if np.all(values == np.round(values)) and hi - lo <= 40:
        return np.arange(lo - 0.5, hi + 1.5)  # one bar per whole number
    edges = np.histogram_bin_edges(values, bins="auto")
    if edges.size > 41:
        edges = np.linspace(lo, hi, 41)
    return edges


# --------------------------------------------------------------------------- distributions


def plot_histogram(runs: pd.DataFrame, metric: str, ax: Axes | None = None) -> Axes:
    """Histogram of one end-of-run outcome across runs, with its median and 5-95 % range."""
    ax = new_axes(ax, (7, 4.5))
    column = runs[metric] if metric in runs else pd.Series(dtype=float)
    values = pd.to_numeric(column, errors="coerce").dropna().to_numpy(float)
    unit = metric_unit(metric)
    ax.set_title(metric_description(metric))
    ax.set_xlabel(metric_label(metric))
    ax.set_ylabel("runs")
    if values.size == 0:
        _no_data(ax, "no runs")
        return ax
    colour = metric_colour(metric)
    ax.hist(values, bins=_bin_edges(values), color=colour, alpha=0.75, edgecolor="white", linewidth=0.8)
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    ax.axvspan(
        p5,
        p95,
        color="0.5",
        alpha=0.15,
        zorder=0,
        label=f"5–95 % of runs: {number_for_figure(p5)} – {number_for_figure(p95)} {unit}".rstrip(),
    )
    ax.axvline(p50, color="black", linewidth=2, label=f"median: {number_for_figure(p50)} {unit}".rstrip())
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.4)  # headroom for the legend
    ax.legend(
        title=f"{values.size} run{'s' if values.size != 1 else ''}",
        fontsize=9,
        title_fontsize=9,
        loc="best",
        framealpha=0.9,
    )
    return ax


def _dates(turns: np.ndarray, start_date, turn_hours: float) -> np.ndarray:
    """Turn t ends `t` turns after the start of `start_date` (turn 0 is the starting position)."""
    start = pd.Timestamp(start_date)
    return (start + pd.to_timedelta(np.asarray(turns, dtype=float) * turn_hours, unit="h")).to_numpy()


def plot_fan_chart(
    timeseries: pd.DataFrame,
    metric: str = "ua_area_km2",
    ax: Axes | None = None,
    start_date: dt.date | str | None = None,
    *,
    turn_hours: float = 24.0,
) -> Axes:
    """Median over runs per turn with the bands holding the middle 50 % and 90 % of runs."""
    ax = new_axes(ax, (9, 5))
    if metric not in timeseries:
        raise KeyError(f"timeseries has no column {metric!r}")
    data = timeseries[["turn", metric]].dropna()
    n_runs = timeseries["run"].nunique() if "run" in timeseries else 1
    ax.set_title(f"{metric_description(metric)}, turn by turn ({n_runs} run{'s' if n_runs != 1 else ''})")
    ax.set_ylabel(metric_label(metric))
    if start_date is None:
        ax.set_xlabel("turn (0 = starting position)")
    else:
        start = pd.Timestamp(start_date)
        ax.set_xlabel(f"date (turn 1 starts {start:%d %b %Y}; each point is the end of a turn)")
    if data.empty:
        _no_data(ax, "no data")
        return ax
    q = data.groupby("turn")[metric].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack().sort_index()
    turns = q.index.to_numpy()
    x = turns if start_date is None else _dates(turns, start_date, turn_hours)
    colour = metric_colour(metric)
    ax.fill_between(
        x,
        q[0.05],
        q[0.95],
        color=colour,
        alpha=0.18,
        linewidth=0,
        label="middle 90 % of runs (5–95 %)",
        gid="band90",
    )
    ax.fill_between(
        x,
        q[0.25],
        q[0.75],
        color=colour,
        alpha=0.38,
        linewidth=0,
        label="middle 50 % of runs (25–75 %)",
        gid="band50",
    )
    ax.plot(x, q[0.5], color=colour, linewidth=2.2, label="median", gid="median")
    if start_date is None:
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(turns.min(), max(turns.max(), turns.min() + 1))
    else:
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.set_xlim(x[0], x[-1])
    ax.grid(True, color="0.9")
    ax.legend(loc="best", framealpha=0.9)
    return ax


def _date_axis(ax: Axes, turns: np.ndarray, start_date, turn_hours: float):
    """x values for turns: the turn numbers, or the dates the turns end."""
    if start_date is None:
        ax.set_xlabel("turn (0 = starting position)")
        return turns
    ax.set_xlabel(
        f"date (turn 1 starts {pd.Timestamp(start_date):%d %b %Y}; each point is the end of a turn)"
    )
    return _dates(turns, start_date, turn_hours)


def _finish_time_axis(ax: Axes, x, start_date) -> None:
    if start_date is None:
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(x.min(), max(x.max(), x.min() + 1))
    else:
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.set_xlim(x[0], x[-1])


def plot_air_superiority(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    start_date: dt.date | str | None = None,
    *,
    turn_hours: float = 24.0,
    threshold: float = 0.5,
) -> Axes:
    """Each side's air-superiority index per turn: median and the middle 50 % of runs, with the threshold."""
    ax = new_axes(ax, (9, 4.5))
    n_runs = timeseries["run"].nunique() if "run" in timeseries else 1
    ax.set_title(f"Air superiority, turn by turn ({n_runs} run{'s' if n_runs != 1 else ''})")
    ax.set_ylabel("air-superiority index (0-1)")
    columns = [(s, f"{s.lower()}_air_superiority") for s in ("UA", "RU")]
    columns = [(s, c) for s, c in columns if c in timeseries]
    data = timeseries[timeseries["turn"] > 0] if "turn" in timeseries else timeseries
    if not columns or data.empty:
        _date_axis(ax, np.array([0]), start_date, turn_hours)
        _no_data(ax, "no air activity recorded")
        return ax
    turns = np.sort(data["turn"].unique())
    x = _date_axis(ax, turns, start_date, turn_hours)
    for side, column in columns:
        q = data.groupby("turn")[column].quantile([0.25, 0.5, 0.75]).unstack().reindex(turns)
        colour = SIDE_COLOURS[side]
        ax.fill_between(
            x, q[0.25], q[0.75], color=colour, alpha=0.25, linewidth=0, label=f"{side}: middle 50 % of runs"
        )
        ax.plot(x, q[0.5], color=colour, linewidth=2.2, label=f"{side}: median", drawstyle="steps-mid")
    ax.axhline(
        threshold,
        color=NEUTRAL_COLOUR,
        linestyle="--",
        linewidth=1.2,
        label=f"superiority threshold ({threshold:g})",
    )
    ax.set_ylim(-0.02, 1.02)
    _finish_time_axis(ax, x, start_date)
    ax.grid(True, color="0.9")
    ax.legend(loc="best", fontsize=9, framealpha=0.9)
    return ax


def plot_casualties_by_cause(runs: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean casualties per nation, stacked by cause (means add up; medians would not)."""
    ax = new_axes(ax, (8, 5))
    n = len(runs)
    ax.set_title(f"What caused the casualties: mean per run by cause ({n} run{'s' if n != 1 else ''})")
    ax.set_ylabel("casualties per run (people, mean)")
    ax.set_xlabel("nation")
    nations = [s for s in SIDE_COLOURS if any(c.startswith(f"{s.lower()}_casualties_") for c in runs.columns)]
    if not nations or n == 0:
        _no_data(ax, "no casualty data by cause")
        return ax
    positions = np.arange(len(nations))
    bottom = np.zeros(len(nations))
    for cause, colour in CAUSE_COLOURS.items():
        columns = [f"{s.lower()}_casualties_{cause}" for s in nations]
        if not any(c in runs for c in columns):
            continue
        values = np.array([runs[c].mean() if c in runs else 0.0 for c in columns])
        ax.bar(positions, values, bottom=bottom, color=colour, width=0.55, label=cause, edgecolor="white")
        for x, b, v in zip(positions, bottom, values, strict=True):
            total = (
                runs[[c for c in runs.columns if c.startswith(f"{nations[x].lower()}_casualties_")]]
                .sum(axis=1)
                .mean()
            )
            if total > 0 and v / total >= 0.06:
                ax.text(x, b + v / 2, f"{v / total:.0%}", ha="center", va="center", color="white", fontsize=9)
        bottom += values
    ax.set_xticks(positions, nations)
    for tick, nation in zip(ax.get_xticklabels(), nations, strict=True):
        tick.set_color(SIDE_COLOURS[nation])
    ax.set_xlim(-0.6, len(nations) - 0.4 + 0.9)  # room on the right for the legend
    ax.set_ylim(0, max(bottom.max(), 1.0) * 1.1)
    ax.grid(True, axis="y", color="0.9")
    ax.legend(title="cause", loc="upper right", framealpha=0.9)
    return ax


def mark_reported(ax: Axes, item: dict, axis: str = "x") -> None:
    """A reported figure and its band on a distribution plot, whether the model agrees or not."""
    inside = item.get("median_inside_band")
    verdict = "" if inside is None else (" (model median inside)" if inside else " (model median outside)")
    ax.axvspan(item["low"], item["high"], color="#e6a700", alpha=0.18, zorder=0)
    ax.axvline(
        item["value"],
        color="#b07a00",
        linestyle="--",
        linewidth=2,
        label=f"reported: {number_for_figure(item['value'])}{verdict}",
    )
    ax.legend(fontsize=8, framealpha=0.9)


def plot_casualties(runs: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Casualties per nation across runs: a box of the middle 50 % and one dot per run."""
    ax = new_axes(ax, (8, 5))
    sides = [s for s in SIDE_COLOURS if f"{s.lower()}_casualties" in runs]
    n = len(runs)
    ax.set_title(f"Casualties by nation (killed, wounded, captured), {n} run{'s' if n != 1 else ''}")
    ax.set_ylabel("casualties (people)")
    ax.set_xlabel("nation")
    if not sides or n == 0:
        _no_data(ax, "no casualty data")
        return ax
    data = [
        pd.to_numeric(runs[f"{s.lower()}_casualties"], errors="coerce").dropna().to_numpy(float)
        for s in sides
    ]
    positions = np.arange(1, len(sides) + 1)
    boxes = ax.boxplot(
        data,
        positions=positions,
        widths=0.5,
        patch_artist=True,
        showfliers=False,
        medianprops={"color": "black", "linewidth": 2},
        whis=(5, 95),
    )
    jitter = np.random.default_rng(0)  # fixed: the same data gives the same picture
    for pos, side, values, box in zip(positions, sides, data, boxes["boxes"], strict=True):
        colour = SIDE_COLOURS[side]
        box.set(facecolor=colour, alpha=0.3, edgecolor=colour)
        xs = pos + jitter.uniform(-0.18, 0.18, values.size)
        ax.scatter(xs, values, s=14, color=colour, alpha=0.7, edgecolors="none", zorder=3)
    ax.set_xticks(positions, sides)
    top = max(1.0, max((v.max() for v in data if v.size), default=1.0) * 1.08)
    ax.set_ylim(-0.02 * top, top)  # a little below 0, so that runs with no losses stay visible
    ax.grid(True, axis="y", color="0.9")
    handles = [Patch(facecolor=SIDE_COLOURS[s], alpha=0.5, label=s) for s in sides] + [
        Line2D([], [], marker="o", linestyle="", color="0.3", markersize=4, label="one run"),
        Line2D([], [], color="black", linewidth=2, label="median (box: 25–75 %, whiskers: 5–95 %)"),
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=9, framealpha=0.9)
    return ax


def plot_objectives(
    runs: pd.DataFrame, ax: Axes | None = None, names: Mapping[str, str] | None = None
) -> Axes:
    """P(Ukraine holds it at the end) per objective settlement, most likely held on top."""
    columns = [c for c in runs.columns if c.startswith("held_")]
    ax = new_axes(ax, (8, 1.2 + 0.45 * max(len(columns), 3)))
    n = len(runs)
    ax.set_title(f"Objective settlements: who holds them at the end ({n} run{'s' if n != 1 else ''})")
    ax.set_xlabel("share of runs (%)")
    ax.set_ylabel("settlement")
    if not columns or n == 0:
        _no_data(ax, "no objective settlements in this scenario" if not columns else "no runs")
        ax.set_xlim(0, 100)
        ax.set_yticks([])
        return ax
    p = {c[len("held_") :]: float(pd.to_numeric(runs[c], errors="coerce").mean()) for c in columns}
    order = sorted(p, key=lambda k: (-p[k], settlement_label(k, names)))[::-1]  # barh draws bottom-up
    labels = [settlement_label(k, names) for k in order]
    ua = np.array([p[k] for k in order]) * 100
    y = np.arange(len(order))
    ax.barh(y, ua, color=SIDE_COLOURS["UA"], height=0.7, label="held by Ukraine")
    ax.barh(
        y,
        100 - ua,
        left=ua,
        color=SIDE_COLOURS["RU"],
        alpha=0.35,
        height=0.7,
        label="held by the Russian side",
    )
    for yi, v in zip(y, ua, strict=True):
        inside = v >= 15
        ax.text(
            v - 1.5 if inside else v + 1.5,
            yi,
            f"{v:.0f} %",
            va="center",
            ha="right" if inside else "left",
            fontsize=9,
            color="white" if inside else "black",
        )
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(order) - 0.4)
    fig = ax.get_figure()
    height_in = max(ax.get_position().height * fig.get_figheight(), 1.0)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.55 / height_in),
        ncol=2,  # below the x label
        frameon=False,
        fontsize=9,
    )
    return ax


# --------------------------------------------------------------------------- maps


def plot_control_probability(
    hexmap: HexMap,
    p_ua: np.ndarray,
    ax: Axes | None = None,
    map_spec: MapSpec | None = None,
    *,
    initial_control: np.ndarray | None = None,
) -> Axes:
    """Each hex coloured by the share of runs in which Ukraine held it at the end.

    Ukrainian territory that Ukraine held in every run is greyed (it is not in play);
    `initial_control`, if given, is drawn as the starting front line.
    """
    ax = new_axes(ax, (10, 9.5))
    p_ua = np.asarray(p_ua, dtype=float)
    if p_ua.shape != (hexmap.n,):
        raise ValueError(f"p_ua has shape {p_ua.shape}; expected ({hexmap.n},), one value per hex")
    norm = Normalize(0.0, 1.0)
    colours = CONTROL_CMAP(norm(np.nan_to_num(p_ua, nan=0.5)))
    quiet = (hexmap.country == UA) & (p_ua >= 1.0)
    colours[quiet] = (0.86, 0.86, 0.86, 1.0)
    draw_hexes(ax, hexmap, colours, gid="hexes")
    map_frame(ax, hexmap)
    handles = [draw_border(ax, hexmap, map_spec)]
    if initial_control is not None:
        segments = hex_boundary(hexmap, np.asarray(initial_control))
        ax.add_collection(LineCollection(segments, colors="0.1", linewidths=1.2, linestyles="--", zorder=5))
        handles.append(
            Line2D([], [], color="0.1", linestyle="--", linewidth=1.2, label="front line at the start")
        )
    handles.append(Patch(facecolor=(0.86, 0.86, 0.86), label="Ukraine, held by UA in every run"))
    colorbar = ax.get_figure().colorbar(
        ScalarMappable(norm=norm, cmap=CONTROL_CMAP), ax=ax, shrink=0.75, pad=0.02
    )
    colorbar.set_label("share of runs in which Ukraine holds the hex at the end")
    colorbar.set_ticks(
        [0, 0.25, 0.5, 0.75, 1.0], labels=["0\nalways RU", "0.25", "0.5", "0.75", "1\nalways UA"]
    )
    sites = [s for s in hexmap.settlements if s.value > 0]
    handles.append(
        Line2D([], [], marker="o", linestyle="", color="black", markersize=5, label="objective settlement")
    )
    for s in sites:
        ax.plot(
            hexmap.x[s.hex],
            hexmap.y[s.hex],
            "o",
            color="black",
            markersize=4,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=6,
        )
    ax.set_title(
        f"Who holds the ground at the end: P(Ukrainian control) per hex ({hexmap.hex_km:g} km hexes)"
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=4, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    avoid = country_labels(ax, hexmap)
    ordered = sorted(sites, key=lambda s: (-s.value, -s.population))
    place_labels(ax, [(hexmap.x[s.hex], hexmap.y[s.hex], s.name, True) for s in ordered], avoid=avoid)
    return ax


def _hex_value_map(
    ax: Axes,
    hexmap: HexMap,
    values: np.ndarray,
    cmap,
    *,
    label: str,
    map_spec: MapSpec | None,
    front: np.ndarray | None,
    title: str,
    names: bool = True,
) -> list:
    """Hexes coloured by a 0-1 value, with border, front line, scale and settlement names."""
    norm = Normalize(0.0, 1.0)
    draw_hexes(ax, hexmap, cmap(norm(np.clip(np.nan_to_num(values), 0.0, 1.0))), gid="hexes")
    map_frame(ax, hexmap)
    handles = [draw_border(ax, hexmap, map_spec)]
    if front is not None:
        segments = hex_boundary(hexmap, np.asarray(front))
        ax.add_collection(LineCollection(segments, colors="0.1", linewidths=1.2, linestyles="--", zorder=5))
        handles.append(Line2D([], [], color="0.1", linestyle="--", linewidth=1.2, label="front line"))
    bar = ax.get_figure().colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.75, pad=0.02)
    bar.set_label(label)
    ax.set_title(title)
    scale_bar(ax, hexmap)
    if names:
        sites = sorted(
            (s for s in hexmap.settlements if s.value > 0), key=lambda s: (-s.value, -s.population)
        )
        for s in sites:
            ax.plot(hexmap.x[s.hex], hexmap.y[s.hex], "o", color="black", markersize=3, zorder=6)
        place_labels(ax, [(hexmap.x[s.hex], hexmap.y[s.hex], s.name, True) for s in sites[:14]], avoid=[])
    return handles


EW_CMAPS = {
    "UA": LinearSegmentedColormap.from_list("ew_ua", ["#ffffff", SIDE_COLOURS["UA"]]),
    "RU": LinearSegmentedColormap.from_list("ew_ru", ["#ffffff", SIDE_COLOURS["RU"]]),
}
CUT_OFF_CMAP = LinearSegmentedColormap.from_list("cut_off", ["#ffffff", "#6a3d9a"])


def plot_ew_coverage(
    hexmap: HexMap,
    coverage: np.ndarray,
    side: str,
    ax: Axes | None = None,
    *,
    control: np.ndarray | None = None,
    jammers: np.ndarray | None = None,
    turn: int | None = None,
    map_spec: MapSpec | None = None,
) -> Axes:
    """One side's jamming coverage per hex: the chance a radio drone over the hex is jammed."""
    ax = new_axes(ax, (9, 8.5))
    when = f" at turn {turn}" if turn is not None else ""
    handles = _hex_value_map(
        ax,
        hexmap,
        coverage,
        EW_CMAPS[side],
        label="chance a radio-controlled drone is jammed",
        map_spec=map_spec,
        front=control,
        title=f"{side} electronic-warfare coverage{when}",
        names=False,
    )
    if jammers is not None and len(jammers):
        ax.plot(
            hexmap.x[jammers],
            hexmap.y[jammers],
            "^",
            color="black",
            markersize=7,
            markerfacecolor=SIDE_COLOURS[side],
            zorder=7,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                color="black",
                markerfacecolor=SIDE_COLOURS[side],
                label=f"{side} jammer",
            )
        )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9, frameon=False
    )
    return ax


def plot_cut_off_probability(
    hexmap: HexMap,
    p_cut: np.ndarray,
    ax: Axes | None = None,
    *,
    initial_control: np.ndarray | None = None,
    map_spec: MapSpec | None = None,
) -> Axes:
    """Each hex coloured by the share of runs in which Ukraine held it at the end with no supply route."""
    ax = new_axes(ax, (10, 9.5))
    handles = _hex_value_map(
        ax,
        hexmap,
        p_cut,
        CUT_OFF_CMAP,
        label="share of runs: held by Ukraine but cut off at the end",
        map_spec=map_spec,
        front=initial_control,
        title="Where Ukraine's units end up cut off from supply",
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9, frameon=False
    )
    return ax


def plot_supply(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    start_date: dt.date | str | None = None,
    *,
    turn_hours: float = 24.0,
) -> Axes:
    """Mean unit supply per side and turn (median, 50 % and 90 % of runs); the main route's throughput."""
    ax = new_axes(ax, (9, 4.5))
    n_runs = timeseries["run"].nunique() if "run" in timeseries else 1
    ax.set_title(f"Supply, turn by turn ({n_runs} run{'s' if n_runs != 1 else ''})")
    ax.set_ylabel("share of needed supply (0-1)")
    columns = [(s, f"{s.lower()}_supply") for s in ("UA", "RU") if f"{s.lower()}_supply" in timeseries]
    if not columns or timeseries.empty:
        _date_axis(ax, np.array([0]), start_date, turn_hours)
        _no_data(ax, "no supply recorded")
        return ax
    turns = np.sort(timeseries["turn"].unique())
    x = _date_axis(ax, turns, start_date, turn_hours)
    for side, column in columns:
        q = (
            timeseries.groupby("turn")[column]
            .quantile([0.05, 0.25, 0.5, 0.75, 0.95])
            .unstack()
            .reindex(turns)
        )
        colour = SIDE_COLOURS[side]
        ax.fill_between(
            x, q[0.05], q[0.95], color=colour, alpha=0.12, linewidth=0, label=f"{side}: middle 90 %"
        )
        ax.fill_between(
            x, q[0.25], q[0.75], color=colour, alpha=0.3, linewidth=0, label=f"{side}: middle 50 %"
        )
        ax.plot(x, q[0.5], color=colour, linewidth=2.2, label=f"{side}: median unit supply")
    if "route_throughput" in timeseries and (timeseries["route_throughput"] < 1).any():
        median = timeseries.groupby("turn")["route_throughput"].median().reindex(turns)
        ax.plot(
            x,
            median,
            color=NEUTRAL_COLOUR,
            linestyle=":",
            linewidth=2,
            label="main supply route throughput (median)",
        )
    ax.set_ylim(-0.02, 1.05)
    _finish_time_axis(ax, x, start_date)
    ax.grid(True, color="0.9")
    ax.legend(loc="lower left", fontsize=9, framealpha=0.9, ncol=2)
    return ax


def plot_scenario_map(
    hexmap: HexMap,
    map_spec: MapSpec,
    control: np.ndarray | None = None,
    ax: Axes | None = None,
    line_of_control: str | None = None,
) -> Axes:
    """The map as the model sees it, to hold against a real map: terrain, water, roads, places."""
    ax = new_axes(ax, (10, 10))
    draw_hexes(
        ax,
        hexmap,
        np.asarray(TERRAIN_COLOURS)[hexmap.terrain],
        edgecolor=(1, 1, 1, 0.5),
        linewidth=0.3,
        gid="terrain",
    )
    map_frame(ax, hexmap)
    handles = terrain_handles()
    if control is not None:
        tint = (np.asarray(control) == UA) & (hexmap.country == RU)
        if tint.any():
            ax.add_collection(
                PolyCollection(
                    hex_polygons(hexmap)[tint],
                    facecolors=SIDE_COLOURS["UA"],
                    edgecolors="none",
                    alpha=0.22,
                    zorder=2,
                )
            )
        handles.append(Patch(facecolor=SIDE_COLOURS["UA"], alpha=0.3, label="held by Ukraine (in Russia)"))
    graticule(ax, hexmap)
    draw_rivers(ax, hexmap, map_spec)
    draw_roads(ax, hexmap, map_spec)
    handles += [
        Line2D([], [], color=RIVER_COLOUR, linewidth=RIVER_WIDTHS["major"], label="major river"),
        Line2D([], [], color=RIVER_COLOUR, linewidth=RIVER_WIDTHS["minor"], label="minor river"),
        Line2D([], [], color=ROAD_COLOURS["main"], linewidth=ROAD_WIDTHS["main"], label="main road"),
        Line2D(
            [],
            [],
            color=ROAD_COLOURS["secondary"],
            linewidth=ROAD_WIDTHS["secondary"],
            label="secondary road",
        ),
        draw_border(ax, hexmap, map_spec),
    ]
    if line_of_control is not None and line_of_control in map_spec.lines_of_control:
        xy = project(hexmap, map_spec.lines_of_control[line_of_control].polygon)
        xy = np.vstack([xy, xy[:1]])
        ax.plot(xy[:, 0], xy[:, 1], color=SIDE_COLOURS["UA"], linewidth=2, linestyle="--", zorder=5)
        handles.append(
            Line2D(
                [],
                [],
                color=SIDE_COLOURS["UA"],
                linewidth=2,
                linestyle="--",
                label=f"line of control {line_of_control}",
            )
        )
    elif line_of_control is not None:
        raise KeyError(f"map has no line of control {line_of_control!r}")
    sites = settlements_by_importance(hexmap)
    draw_settlements(ax, hexmap, sites)
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="black",
            markersize=6,
            label="settlement (bold: objective)",
        )
    )
    ax.set_title(f"Scenario map: {map_spec.name} ({hexmap.hex_km:g} km hexes, {hexmap.cols} × {hexmap.rows})")
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    label_settlements(ax, hexmap, sites, avoid=country_labels(ax, hexmap))
    return ax


# --------------------------------------------------------------------------- files


def save_figure(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Write `fig` as a PNG atomically (temporary file, then rename) and close it."""
    path = Path(path)
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, buffer.getvalue())
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)  # a no-op for figures made outside pyplot
    return path


def make_all_plots(
    out_dir: str | Path,
    runs: pd.DataFrame,
    timeseries: pd.DataFrame,
    hexmap: HexMap,
    map_spec: MapSpec,
    p_ua: np.ndarray,
    *,
    line_of_control: str | None,
    initial_control: np.ndarray | None,
    start_date: dt.date | str | None = None,
    turn_hours: float = 24.0,
    air_threshold: float = 0.5,
    p_cut: np.ndarray | None = None,
    ew: dict | None = None,
    reported: list[dict] | None = None,
) -> dict[str, Path]:
    """Draw the standard figures into `out_dir/plots`; returns {name: path}, in reading order."""
    folder = Path(out_dir) / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    metrics = [m for m in KEY_OUTCOMES if m in runs]
    ncols = 3 if len(metrics) > 2 else max(len(metrics), 1)
    nrows = max(1, math.ceil(len(metrics) / ncols))
    fig = new_figure((5.2 * ncols, 4.0 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    last_turn = int(timeseries["turn"].max()) if "turn" in timeseries and len(timeseries) else None
    for ax, metric in zip(axes, metrics, strict=False):
        plot_histogram(runs, metric, ax=ax)
        for item in reported or []:
            if item["metric"] == metric and item["turn"] == last_turn:
                mark_reported(ax, item, axis="x")
    for ax in axes[len(metrics) :]:
        ax.set_axis_off()
    if not metrics:
        _no_data(axes[0], "no outcomes")
    fig.suptitle(
        f"Outcomes at the end of the run, across {len(runs)} run{'s' if len(runs) != 1 else ''}", fontsize=14
    )
    written["histograms"] = save_figure(fig, folder / "histograms.png")

    fig = new_figure((10, 5.5))
    ax = fig.subplots()
    if "ua_area_km2" in timeseries:
        plot_fan_chart(timeseries, "ua_area_km2", ax=ax, start_date=start_date, turn_hours=turn_hours)
        points = [r for r in reported or [] if r["metric"] == "ua_area_km2"]
        if points:
            turns = np.array([r["turn"] for r in points])
            x = turns if start_date is None else _dates(turns, start_date, turn_hours)
            value = np.array([r["value"] for r in points])
            ax.errorbar(
                x,
                value,
                yerr=[
                    value - np.array([r["low"] for r in points]),
                    np.array([r["high"] for r in points]) - value,
                ],
                fmt="D",
                color="black",
                markersize=7,
                capsize=4,
                label="reported (band: where the median should fall)",
                zorder=6,
            )
            ax.legend(loc="best", framealpha=0.9)
    else:
        ax.set_title("Russian territory held by Ukraine, turn by turn")
        _no_data(ax, "no time series")
    written["area_fan_chart"] = save_figure(fig, folder / "area_fan_chart.png")

    fig = new_figure((9, 5.5))
    plot_casualties(runs, ax=fig.subplots())
    written["casualties"] = save_figure(fig, folder / "casualties.png")

    fig = new_figure((9, 5.5))
    plot_casualties_by_cause(runs, ax=fig.subplots())
    written["casualties_by_cause"] = save_figure(fig, folder / "casualties_by_cause.png")

    fig = new_figure((10, 4.8))
    plot_air_superiority(
        timeseries, ax=fig.subplots(), start_date=start_date, turn_hours=turn_hours, threshold=air_threshold
    )
    written["air_superiority"] = save_figure(fig, folder / "air_superiority.png")

    fig = new_figure((10, 4.8))
    plot_supply(timeseries, ax=fig.subplots(), start_date=start_date, turn_hours=turn_hours)
    written["supply"] = save_figure(fig, folder / "supply.png")

    n_objectives = sum(c.startswith("held_") for c in runs.columns)
    fig = new_figure((9, 1.6 + 0.45 * max(n_objectives, 3)))
    plot_objectives(runs, ax=fig.subplots(), names={s.key: s.name for s in hexmap.settlements})
    written["objectives"] = save_figure(fig, folder / "objectives.png")

    fig = new_figure((10.5, 8.8))
    plot_control_probability(
        hexmap, p_ua, ax=fig.subplots(), map_spec=map_spec, initial_control=initial_control
    )
    written["control_probability"] = save_figure(fig, folder / "control_probability.png")

    if p_cut is not None:
        fig = new_figure((10.5, 8.8))
        plot_cut_off_probability(
            hexmap, p_cut, ax=fig.subplots(), initial_control=initial_control, map_spec=map_spec
        )
        written["cut_off_probability"] = save_figure(fig, folder / "cut_off_probability.png")

    if ew is not None:
        fig = new_figure((17, 8))
        for ax, side in zip(fig.subplots(1, 2), ("UA", "RU"), strict=True):
            code = 0 if side == "UA" else 1
            plot_ew_coverage(
                hexmap,
                ew[side.lower()],
                side,
                ax=ax,
                control=ew["control"],
                jammers=ew["jammers"][ew["jammer_side"] == code],
                turn=ew["turn"],
                map_spec=map_spec,
            )
        written["ew_coverage"] = save_figure(fig, folder / "ew_coverage.png")

    fig = new_figure((10, 10.5))
    plot_scenario_map(
        hexmap, map_spec, control=initial_control, ax=fig.subplots(), line_of_control=line_of_control
    )
    written["scenario_map"] = save_figure(fig, folder / "scenario_map.png")
    return written
