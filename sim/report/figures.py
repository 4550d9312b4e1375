"""The figures of a study: outcome distributions, time series, and `make_all_plots`.

`make_all_plots` draws the standard set for an output folder, the maps of
`sim.report.map_figures` included, on figures outside pyplot (`sim.report.canvas`),
and writes them as `plots/*.png`. Each `plot_*` function has the form
`plot_x(data, ax=None) -> Axes`. The sides keep one colour everywhere:
`sim.report.style.SIDE_COLOURS`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.battle.forces import Forces
from sim.battle.geography import HexMap
from sim.battle.metrics import CHANGE_PREFIX, held_key, is_change_day_column, is_held_column
from sim.codes import SIDES
from sim.report.canvas import new_axes, new_figure, no_data, save_figure
from sim.report.map_figures import (
    plot_control_probability,
    plot_cut_off_probability,
    plot_ew_coverage,
    plot_scenario_map,
)
from sim.report.style import (
    CAUSE_COLOURS,
    HISTOGRAM_METRICS,
    NEUTRAL_COLOUR,
    SIDE_COLOURS,
    metric_colour,
    metric_description,
    metric_label,
    metric_unit,
    number_for_figure,
    settlement_label,
    short_title,
)
from sim.scenario.document import Scenario
from sim.scenario.mapfile import MapSpec

# --------------------------------------------------------------------------- helpers


def _bin_edges(values: np.ndarray) -> np.ndarray:
    """Histogram bins: one per whole number for small counts, else numpy's choice, at most 40."""
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


def _legend_below(ax: Axes, *, ncol: int = 1, title: str | None = None, **kw):
    """The axes' legend under its x label, outside the data (the layout makes room for it)."""
    fig = ax.get_figure()
    height_in = max(ax.get_position().height * fig.get_figheight(), 1.0)
    return ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.5 / height_in),
        ncol=ncol,
        title=title,
        frameon=False,
        fontsize=kw.pop("fontsize", 9),
        title_fontsize=9,
        **kw,
    )


def _runs_title(n: int) -> str:
    return f"{n} run{'s' if n != 1 else ''}"


def plot_histogram(runs: pd.DataFrame, metric: str, ax: Axes | None = None) -> Axes:
    """Histogram of one end-of-run outcome across runs, with its median and 5-95 % range; the
    legend below the axes."""
    ax = new_axes(ax, (7, 4.5))
    column = runs[metric] if metric in runs else pd.Series(dtype=float)
    values = pd.to_numeric(column, errors="coerce").dropna().to_numpy(float)
    unit = metric_unit(metric)
    ax.set_title(metric_description(metric))
    ax.set_xlabel(metric_label(metric))
    ax.set_ylabel("runs")
    if values.size == 0:
        no_data(ax, "no runs")
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
    ax.set_ylim(0, ax.get_ylim()[1] * 1.05)
    _legend_below(ax, title=_runs_title(values.size))
    return ax


def _dates(turns: np.ndarray, start_date, turn_hours: float) -> np.ndarray:
    """Turn t ends `t` turns after the start of `start_date` (turn 0 is the starting position)."""
    start = pd.Timestamp(start_date)
    return (start + pd.to_timedelta(np.asarray(turns, dtype=float) * turn_hours, unit="h")).to_numpy()


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
    """Ticks on whole turns, or on dates; the axis spans the turns drawn."""
    if start_date is None:
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(x.min(), max(x.max(), x.min() + 1))
    else:
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.set_xlim(x[0], x[-1])


def plot_fan_chart(
    timeseries: pd.DataFrame,
    metric: str = "ua_area_km2",
    ax: Axes | None = None,
    start_date: dt.date | str | None = None,
    *,
    turn_hours: float = 24.0,
    draws: pd.Series | None = None,
) -> Axes:
    """Median over runs per turn with the bands holding the middle 50 % and 90 % of runs.

    With `draws` (each run's draw of the uncertain inputs, indexed by run) the chart also
    outlines the 90 % band of the model's own randomness alone: each run's distance from
    the mean of its draw, around the median.
    """
    ax = new_axes(ax, (9, 5))
    if metric not in timeseries:
        raise KeyError(f"timeseries has no column {metric!r}")
    data = timeseries[["turn", metric]].dropna()
    n_runs = timeseries["run"].nunique() if "run" in timeseries else 1
    ax.set_title(f"{metric_description(metric)}, turn by turn ({n_runs} run{'s' if n_runs != 1 else ''})")
    ax.set_ylabel(metric_label(metric))
    if data.empty:
        _date_axis(ax, np.array([0]), start_date, turn_hours)
        no_data(ax, "no data")
        return ax
    q = data.groupby("turn")[metric].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack().sort_index()
    x = _date_axis(ax, q.index.to_numpy(), start_date, turn_hours)
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
    if draws is not None and draws.value_counts().max() > 1:
        with_draw = data.assign(draw=timeseries.loc[data.index, "run"].map(draws))
        residual = with_draw[metric] - with_draw.groupby(["turn", "draw"])[metric].transform("mean")
        spread = residual.groupby(with_draw["turn"]).quantile([0.05, 0.95]).unstack().sort_index()
        for end, label in ((0.05, "the model's own randomness alone (90 %)"), (0.95, None)):
            ax.plot(
                x,
                q[0.5] + spread[end].reindex(q.index).to_numpy(),
                color="0.15",
                linestyle="--",
                linewidth=1.2,
                label=label,
                gid="dice90",
            )
        for collection in ax.collections:
            if collection.get_gid() == "band90":
                collection.set_label("middle 90 % of runs: uncertain inputs and randomness")
    _finish_time_axis(ax, x, start_date)
    ax.grid(True, color="0.9")
    _legend_below(ax, ncol=2)
    return ax


AIR_INDEX_MEANING = (
    "index = the side's share of the strike sorties flown × share not shot down\n"
    "× chance a sortie met no enemy air defence (a day without flying keeps the day before's)"
)
"""What the air-superiority index is, in the words of its plot."""


def superiority_shares(timeseries: pd.DataFrame, side: str, threshold: float = 0.5) -> pd.Series:
    """Per run, the share of its turns (after the start) on which `side`'s index reached `threshold`:
    the end-of-run metric `<side>_air_superiority_share`, from the time series."""
    column = f"{side.lower()}_air_superiority"
    data = timeseries[timeseries["turn"] > 0]
    return (data[column] >= threshold).groupby(data["run"]).mean()


def plot_air_superiority(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    start_date: dt.date | str | None = None,
    *,
    turn_hours: float = 24.0,
    threshold: float = 0.5,
) -> Axes:
    """Each side's air-superiority index day by day (median and the middle 90 % of runs) against the
    threshold above which the side holds air superiority that day; the share of runs holding it
    each day (dotted); and in the title, on what share of days each side held it (median over runs)."""
    ax = new_axes(ax, (9, 4.8))
    n_runs = timeseries["run"].nunique() if "run" in timeseries else 1
    unit = "days" if turn_hours == 24 else "turns"
    ax.set_ylabel("air-superiority index (0-1)")
    columns = [(s, f"{s.lower()}_air_superiority") for s in SIDES]
    columns = [(s, c) for s, c in columns if c in timeseries]
    data = timeseries[timeseries["turn"] > 0] if "turn" in timeseries else timeseries
    title = f"Air superiority, {unit[:-1]} by {unit[:-1]} ({_runs_title(n_runs)})"
    ax.set_ylim(-0.02, 1.05)
    if not columns or data.empty or not any(data[c].abs().max() > 0 for _, c in columns):
        ax.set_title(title)
        _date_axis(ax, np.array([0]), start_date, turn_hours)
        ax.set_xticks([])
        no_data(
            ax,
            "no strike aviation in this scenario:\nneither side's index rose above 0"
            if columns and not data.empty
            else "no air activity recorded",
        )
        return ax
    turns = np.sort(data["turn"].unique())
    x = _date_axis(ax, turns, start_date, turn_hours)
    ax.axhspan(threshold, 1.05, color="0.5", alpha=0.08, linewidth=0, zorder=0)
    ax.axhline(
        threshold,
        color=NEUTRAL_COLOUR,
        linestyle="--",
        linewidth=1.4,
        label=f"threshold {threshold:g}: at or above it, air superiority that {unit[:-1]}",
    )
    shares = []
    for side, column in columns:
        q = data.groupby("turn")[column].quantile([0.05, 0.5, 0.95]).unstack().reindex(turns)
        held = (data[column] >= threshold).groupby(data["turn"]).mean().reindex(turns)
        share = superiority_shares(data, side, threshold)
        lo, mid, hi = np.percentile(share.to_numpy(float), [5, 50, 95])
        shares.append(f"{side} {mid:.0%}" + (f" (90 % of runs: {lo:.0%} – {hi:.0%})" if hi > lo else ""))
        colour = SIDE_COLOURS[side]
        ax.fill_between(
            x,
            q[0.05],
            q[0.95],
            color=colour,
            alpha=0.3,
            linewidth=0,
            step="mid",
            label=f"{side} index: 90 % of runs ({number_for_figure(q[0.05].min())}"
            f" – {number_for_figure(q[0.95].max())})",
        )
        ax.plot(x, q[0.5], color=colour, linewidth=2.6, label=f"{side} index: median", drawstyle="steps-mid")
        ax.plot(
            x,
            held,
            color=colour,
            linewidth=1.6,
            linestyle=":",
            drawstyle="steps-mid",
            label=f"{side}: share of runs with superiority that {unit[:-1]}",
        )
    ax.set_title(f"{title}\nshare of {unit} with air superiority (median over runs): {', '.join(shares)}")
    _finish_time_axis(ax, x, start_date)
    ax.grid(True, color="0.9")
    _legend_below(ax, title=AIR_INDEX_MEANING, ncol=2, fontsize=8.5)
    return ax


def plot_casualties_by_cause(runs: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean casualties per nation, stacked by cause (means add up; medians would not)."""
    ax = new_axes(ax, (8, 5))
    n = len(runs)
    ax.set_title(f"What caused the casualties: mean per run by cause ({n} run{'s' if n != 1 else ''})")
    ax.set_ylabel("casualties per run (people, mean)")
    ax.set_xlabel("nation")
    present = [s for s in SIDE_COLOURS if any(c.startswith(f"{s.lower()}_casualties_") for c in runs.columns)]
    nations = [
        s
        for s in present
        if not _all_zero(
            runs[[c for c in runs.columns if c.startswith(f"{s.lower()}_casualties_")]].sum(axis=1)
        )
    ]
    note = _zero_note([s for s in present if s not in nations])
    if note:
        ax.set_xlabel(f"nation ({note})")
    if not nations or n == 0:
        no_data(ax, "no casualty data by cause" if not present or n == 0 else "no casualties in any run")
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


def mark_reported(ax: Axes, item: dict) -> None:
    """A reported figure and its band on a distribution plot, whether the model agrees or not, each
    with its legend entry. The axis is widened to show the reported figure, not the whole band (a
    wide band would squeeze the runs into a sliver); a band that runs off the axis says so."""
    inside = item.get("median_inside_band")
    verdict = "" if inside is None else (" (model median inside)" if inside else " (model median outside)")
    x0, x1 = ax.get_xlim()
    lo, hi = min(x0, item["value"]), max(x1, item["value"])
    margin = 0.04 * (hi - lo) if hi > lo else 1.0
    lo, hi = (x0 if lo == x0 else lo - margin), (x1 if hi == x1 else hi + margin)
    beyond = item["low"] < lo or item["high"] > hi
    ax.axvspan(
        item["low"],
        item["high"],
        color="#e6a700",
        alpha=0.18,
        zorder=0,
        label=f"reported range: {number_for_figure(item['low'])} – {number_for_figure(item['high'])}"
        + (" (runs off the axis)" if beyond else ""),
    )
    ax.axvline(
        item["value"],
        color="#b07a00",
        linestyle="--",
        linewidth=2,
        label=f"reported: {number_for_figure(item['value'])}{verdict}",
    )
    ax.set_xlim(lo, hi)
    legend = ax.get_legend()
    _legend_below(ax, title=legend.get_title().get_text() if legend else None)


def _zero_note(left_out: list[str]) -> str:
    """`DPRK left out: 0 in every run`, or nothing."""
    if not left_out:
        return ""
    return f"{' and '.join(left_out)} left out: 0 in every run"


def _all_zero(values) -> bool:
    values = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    return bool(len(values)) and bool((values == 0).all())


def plot_casualties(runs: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Casualties per nation across runs: one dot per run in a strip, beside the box of the middle
    50 % and the whiskers of 5-95 % (drawn over the dots, never under them). A nation with no
    casualties in any run is left out, and the x label says so."""
    ax = new_axes(ax, (8, 5))
    present = [s for s in SIDE_COLOURS if f"{s.lower()}_casualties" in runs]
    sides = [s for s in present if not _all_zero(runs[f"{s.lower()}_casualties"])]
    n = len(runs)
    ax.set_title(f"Casualties by nation (killed, wounded, captured), {_runs_title(n)}")
    ax.set_ylabel("casualties (people)")
    note = _zero_note([s for s in present if s not in sides])
    ax.set_xlabel("nation" + (f" ({note})" if note else ""))
    if not sides or n == 0:
        no_data(ax, "no casualty data" if not present or n == 0 else "no casualties in any run")
        return ax
    data = [
        pd.to_numeric(runs[f"{s.lower()}_casualties"], errors="coerce").dropna().to_numpy(float)
        for s in sides
    ]
    positions = np.arange(1, len(sides) + 1)
    jitter = np.random.default_rng(0)  # fixed: the same data gives the same picture
    for pos, side, values in zip(positions, sides, data, strict=True):
        colour = SIDE_COLOURS[side]
        xs = pos - 0.2 + jitter.uniform(-0.12, 0.12, values.size)
        ax.scatter(xs, values, s=12, color=colour, alpha=0.55, edgecolors="none", zorder=2, gid="runs")
    boxes = ax.boxplot(
        data,
        positions=positions + 0.17,
        widths=0.22,
        patch_artist=True,
        showfliers=False,
        medianprops={"color": "black", "linewidth": 2.5},
        whiskerprops={"linewidth": 1.4},
        capprops={"linewidth": 1.4},
        whis=(5, 95),
        zorder=4,
    )
    for side, box in zip(sides, boxes["boxes"], strict=True):
        colour = SIDE_COLOURS[side]
        box.set(facecolor=colour, alpha=0.85, edgecolor="black", zorder=4)
    for pos, values in zip(positions, data, strict=True):
        median = float(np.median(values))
        ax.annotate(
            number_for_figure(median),
            (pos + 0.3, median),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            fontweight="bold",
        )
    ax.set_xticks(positions, sides)
    ax.set_xlim(0.4, len(sides) + 0.75)
    top = max(1.0, max((v.max() for v in data if v.size), default=1.0) * 1.08)
    ax.set_ylim(-0.02 * top, top)  # a little below 0, so that runs with no losses stay visible
    ax.grid(True, axis="y", color="0.9")
    handles = [Patch(facecolor=SIDE_COLOURS[s], alpha=0.85, label=s) for s in sides] + [
        Line2D([], [], marker="o", linestyle="", color="0.3", markersize=4, label="one run (left)"),
        Line2D([], [], color="black", linewidth=2.5, label="median (box: 25–75 %, whiskers: 5–95 %)"),
    ]
    _legend_below(ax, handles=handles, ncol=len(handles))
    return ax


SETTLED_SHARE = 0.02
"""An objective Ukraine holds in at most this share of runs, or in all but this share, is settled:
`objectives.png` names it in a line under the bars instead of drawing a bar of ~0 or ~100 %."""


def split_objectives(p: Mapping[str, float]) -> tuple[list[str], list[str], list[str]]:
    """(contested, held by Ukraine in nearly every run, in nearly none): the contested most likely
    held first, each of the others in alphabetical order."""
    contested = sorted(
        (k for k, v in p.items() if SETTLED_SHARE < v < 1 - SETTLED_SHARE), key=lambda k: (-p[k], k)
    )
    ua = sorted(k for k, v in p.items() if v >= 1 - SETTLED_SHARE)
    ru = sorted(k for k, v in p.items() if v <= SETTLED_SHARE)
    return contested, ua, ru


def _name_list(keys: list[str], names: Mapping[str, str] | None, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(", ".join(settlement_label(k, names) for k in keys), width))


def plot_objectives(
    runs: pd.DataFrame, ax: Axes | None = None, names: Mapping[str, str] | None = None
) -> Axes:
    """P(Ukraine holds it at the end) for the contested objective settlements, most likely held on
    top; those Ukraine holds in (nearly) every run or in (nearly) none are named under the bars."""
    columns = [c for c in runs.columns if is_held_column(c)]
    ax = new_axes(ax, (8, 1.2 + 0.45 * max(len(columns), 3)))
    n = len(runs)
    ax.set_title(f"Objective settlements: who holds them at the end ({_runs_title(n)})")
    ax.set_xlabel("share of runs in which Ukraine holds it at the end (%)")
    ax.set_ylabel("contested settlement")
    if not columns or n == 0:
        no_data(ax, "no objective settlements in this scenario" if not columns else "no runs")
        ax.set_xlim(0, 100)
        ax.set_yticks([])
        return ax
    p = {held_key(c): float(pd.to_numeric(runs[c], errors="coerce").mean()) for c in columns}
    contested, ua_settled, ru_settled = split_objectives(p)
    lines = []
    low, high = f"{SETTLED_SHARE:.0%}", f"{1 - SETTLED_SHARE:.0%}"
    if ua_settled:
        lines.append(f"Held by Ukraine in {high} of runs or more ({len(ua_settled)}):")
        lines.append(_name_list(ua_settled, names))
    if ru_settled:
        lines.append(f"Held by Ukraine in {low} of runs or fewer ({len(ru_settled)}):")
        lines.append(_name_list(ru_settled, names))
    order = contested[::-1]  # barh draws bottom-up
    labels = [settlement_label(k, names) for k in order]
    ua = np.array([p[k] for k in order]) * 100
    y = np.arange(len(order))
    ax.set_xlim(0, 100)
    if not order:
        no_data(ax, "no objective was contested: each was held by the same side in (nearly) every run")
        ax.set_yticks([])
    else:
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
                fontsize=10,
                color="white" if inside else "black",
            )
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.axvline(50, color="0.5", linewidth=0.8, linestyle=":")
    handles = []
    if order:
        handles += [
            Patch(facecolor=SIDE_COLOURS["UA"], label="held by Ukraine"),
            Patch(facecolor=SIDE_COLOURS["RU"], alpha=0.35, label="held by the Russian side"),
        ]
    for i in range(0, len(lines), 2):  # the settled ones: a line of text each, without a mark
        handles.append(Line2D([], [], linestyle="", label=f"{lines[i]}\n{lines[i + 1]}"))
    _legend_below(ax, handles=handles, ncol=1, handlelength=1.5 if order else 0, alignment="left")
    return ax


def plot_change_days(
    runs: pd.DataFrame,
    reported: list[dict] | None = None,
    ax: Axes | None = None,
    names: Mapping[str, str] | None = None,
    start_date=None,
    days: float | None = None,
) -> Axes:
    """The day each objective last changed hands, one dot per run (never: counted at the right),
    with the dates reported for who held it marked (a ring: the model's majority agrees; a cross:
    it does not)."""
    columns = [c for c in runs.columns if is_change_day_column(c)]
    places = [r for r in reported or [] if r.get("kind") == "place"]
    keys = [c[len(CHANGE_PREFIX) :] for c in columns]
    values = {k: pd.to_numeric(runs[CHANGE_PREFIX + k], errors="coerce").to_numpy() for k in keys}
    shown = [k for k in keys if np.isfinite(values[k]).any() or any(p["place"] == k for p in places)]
    ax = new_axes(ax, (10, 1.4 + 0.5 * max(len(shown), 3)))
    n = len(runs)
    ax.set_title(f"When each objective last changed hands ({n} run{'s' if n != 1 else ''})")
    ax.set_ylabel("objective")
    label = "days from the start"
    if start_date is not None:
        label += f" (the start of {pd.Timestamp(start_date):%d %b %Y})"
    ax.set_xlabel(label)
    if not shown:
        no_data(ax, "no objective changed hands in any run")
        return ax
    end = days if days is not None else max(float(np.nanmax(np.concatenate([values[k] for k in shown]))), 1.0)
    jitter = np.random.default_rng(0)  # a fixed spread, only for legibility
    for y, k in enumerate(shown):
        d = values[k][np.isfinite(values[k])]
        ax.scatter(
            d,
            y + jitter.uniform(-0.22, 0.22, d.size),
            s=10,
            color=NEUTRAL_COLOUR,
            alpha=0.5,
            linewidths=0,
            zorder=2,
        )
        never = 1.0 - d.size / max(n, 1)
        ax.text(end * 1.02, y, f"never: {never:.0%}", va="center", fontsize=8, clip_on=False)
        for p in (p for p in places if p["place"] == k):
            agrees = p.get("model_agrees")
            colour = SIDE_COLOURS[p["holder"]]
            ax.scatter(
                [p["day"]],
                [y],
                s=140,
                marker="o" if agrees else "X",
                facecolors="none" if agrees else colour,
                edgecolors=colour,
                linewidths=2,
                zorder=4,
            )
    ax.set_yticks(range(len(shown)), [settlement_label(k, names) for k in shown])
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_xlim(0, end)
    handles = [
        Line2D(
            [], [], marker="o", linestyle="", color=NEUTRAL_COLOUR, alpha=0.6, label="one run: last change"
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            markeredgecolor="black",
            markersize=10,
            label="reported holder (colour), model agrees",
        ),
        Line2D(
            [],
            [],
            marker="X",
            linestyle="",
            color="black",
            markersize=10,
            label="reported holder, model disagrees",
        ),
    ]
    fig = ax.get_figure()
    height_in = max(ax.get_position().height * fig.get_figheight(), 1.0)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.5 / height_in),
        ncol=3,
        frameon=False,
        fontsize=8,
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
    columns = [(s, f"{s.lower()}_supply") for s in SIDES if f"{s.lower()}_supply" in timeseries]
    if not columns or timeseries.empty:
        _date_axis(ax, np.array([0]), start_date, turn_hours)
        no_data(ax, "no supply recorded")
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
    _legend_below(ax, ncol=3)
    return ax


# --------------------------------------------------------------------------- the standard set


def histogram_metrics(runs: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(outcomes the histograms show, outcomes left out because they are 0 in every run): a panel of
    zeros says nothing, and the figure names what it left out instead."""
    present = [m for m in HISTOGRAM_METRICS if m in runs]
    shown = [m for m in present if not _all_zero(runs[m])] or present[:1]
    return shown, [m for m in present if m not in shown]


def _keep_inside(ax: Axes, x, turn_hours: float | None) -> None:
    """Widen the time axis by half a turn beyond the points drawn, so that none sits on the frame."""
    import matplotlib.dates as mdates

    lo, hi = ax.get_xlim()
    if turn_hours is None:
        pad = 0.5
        xs = np.asarray(x, dtype=float)
    else:
        pad = turn_hours / 48.0  # half a turn, in days (the unit of matplotlib's dates)
        xs = mdates.date2num(np.asarray(x))
    ax.set_xlim(min(lo, float(xs.min()) - pad), max(hi, float(xs.max()) + pad))


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
    scenario: Scenario | None = None,
) -> dict[str, Path]:
    """Draw the standard figures into `out_dir/plots`; returns {name: path}, in reading order.

    With `scenario` (its validated spec) the scenario map shows the starting order of battle."""
    folder = Path(out_dir) / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    metrics, zero = histogram_metrics(runs)
    ncols = 3 if len(metrics) > 2 else max(len(metrics), 1)
    nrows = max(1, math.ceil(len(metrics) / ncols))
    fig = new_figure((5.4 * ncols, 4.9 * nrows + (0.4 if zero else 0)))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    last_turn = int(timeseries["turn"].max()) if "turn" in timeseries and len(timeseries) else None
    for ax, metric in zip(axes, metrics, strict=False):
        plot_histogram(runs, metric, ax=ax)
        for item in reported or []:
            if item.get("metric") == metric and item["turn"] == last_turn:
                mark_reported(ax, item)
    for ax in axes[len(metrics) :]:
        ax.set_axis_off()
    if not metrics:
        no_data(axes[0], "no outcomes")
    fig.suptitle(f"Outcomes at the end of the run, across {_runs_title(len(runs))}", fontsize=14)
    if zero:
        fig.supxlabel(
            "Left out, 0 in every run: " + ", ".join(short_title(m) for m in zero),
            fontsize=10,
            color=NEUTRAL_COLOUR,
        )
    written["histograms"] = save_figure(fig, folder / "histograms.png")

    fig = new_figure((10, 5.5))
    ax = fig.subplots()
    if "ua_area_km2" in timeseries:
        draws = runs.set_index("run")["draw"] if "draw" in runs and "run" in runs else None
        plot_fan_chart(
            timeseries, "ua_area_km2", ax=ax, start_date=start_date, turn_hours=turn_hours, draws=draws
        )
        points = [r for r in reported or [] if r.get("metric") == "ua_area_km2"]
        if points:
            turns = np.array([r["turn"] for r in points])
            x = turns if start_date is None else _dates(turns, start_date, turn_hours)
            value = np.array([r["value"] for r in points])
            inside = np.array([bool(r.get("median_inside_band", True)) for r in points])
            for mask, colour, label in (
                (inside, "black", "reported, model median inside the band"),
                (~inside, "#c0392b", "reported, model median outside the band"),
            ):
                if not mask.any():
                    continue
                ax.errorbar(
                    x[mask],
                    value[mask],
                    yerr=[
                        value[mask] - np.array([r["low"] for r in points])[mask],
                        np.array([r["high"] for r in points])[mask] - value[mask],
                    ],
                    fmt="D" if colour == "black" else "X",
                    color=colour,
                    markersize=8,
                    capsize=4,
                    label=label,
                    zorder=6,
                )
            _keep_inside(ax, x, turn_hours if start_date is not None else None)
            _legend_below(ax, ncol=2)
    else:
        ax.set_title("Russian territory held by Ukraine, turn by turn")
        no_data(ax, "no time series")
    written["area_fan_chart"] = save_figure(fig, folder / "area_fan_chart.png")

    fig = new_figure((9, 5.5))
    plot_casualties(runs, ax=fig.subplots())
    written["casualties"] = save_figure(fig, folder / "casualties.png")

    fig = new_figure((9, 5.5))
    plot_casualties_by_cause(runs, ax=fig.subplots())
    written["casualties_by_cause"] = save_figure(fig, folder / "casualties_by_cause.png")

    fig = new_figure((10, 6.0))
    plot_air_superiority(
        timeseries, ax=fig.subplots(), start_date=start_date, turn_hours=turn_hours, threshold=air_threshold
    )
    written["air_superiority"] = save_figure(fig, folder / "air_superiority.png")

    fig = new_figure((10, 5.6))
    plot_supply(timeseries, ax=fig.subplots(), start_date=start_date, turn_hours=turn_hours)
    written["supply"] = save_figure(fig, folder / "supply.png")

    shares = {c: float(pd.to_numeric(runs[c], errors="coerce").mean()) for c in runs if is_held_column(c)}
    contested = len(split_objectives(shares)[0]) if len(runs) else 0
    n_objectives = len(shares)
    fig = new_figure((9, 2.6 + 0.45 * max(contested, 2) + (1.0 if contested < n_objectives else 0)))
    plot_objectives(runs, ax=fig.subplots(), names={s.key: s.name for s in hexmap.settlements})
    written["objectives"] = save_figure(fig, folder / "objectives.png")

    if any(is_change_day_column(c) for c in runs.columns):
        fig = new_figure((10, 2.2 + 0.42 * max(n_objectives, 3)))
        plot_change_days(
            runs,
            reported,
            ax=fig.subplots(),
            names={s.key: s.name for s in hexmap.settlements},
            start_date=start_date,
            days=float(timeseries["turn"].max()) * turn_hours / 24.0
            if "turn" in timeseries and len(timeseries)
            else None,
        )
        written["change_days"] = save_figure(fig, folder / "change_days.png")

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
        # one sub-figure per side: drawing the second does not move the first's names
        for panel, (code, side) in zip(fig.subfigures(1, 2), enumerate(SIDES), strict=True):
            ax = panel.subplots()
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

    fig = new_figure((10, 11.6))
    forces = Forces.from_scenario(scenario, hexmap) if scenario is not None else None
    plot_scenario_map(
        hexmap,
        map_spec,
        control=initial_control,
        ax=fig.subplots(),
        line_of_control=line_of_control,
        forces=forces,
    )
    written["scenario_map"] = save_figure(fig, folder / "scenario_map.png")
    return written
