"""The figures of the analyses: comparisons, sweeps and sensitivity.

Every `plot_*` function has the form `plot_x(df, ax=None, ...) -> Axes` (as the
study figures and SALib): it draws on `ax`, or on a new pyplot figure, and never
calls `show()`. Each has a title, axis labels with units and a legend; an
outcome about one side is drawn in that side's colour (`sim.report.style`)
wherever it appears. The data frames are the ones the analyses write to CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.canvas import new_axes, no_data
from sim.report.style import (
    SIDE_COLOURS,
    metric_colour,
    metric_label,
    metric_unit,
    number_for_figure,
    parameter_value,
    short_title,
)

SCENARIO_HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
"""Scenarios are told apart by position and hatching; colour stays the side's."""


def _tint(colour: str, amount: float) -> tuple[float, float, float]:
    """`colour` mixed with white: amount 0 = the colour, 1 = white."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.array([], dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").dropna().to_numpy(float)


# --------------------------------------------------------------------------- compare


def plot_compare_distributions(
    runs: pd.DataFrame, metric: str, ax: Axes | None = None, *, order: Sequence[str] | None = None
) -> Axes:
    """One violin per scenario (column `scenario`) of an end-of-run outcome, with box and median."""
    ax = new_axes(ax, (7, 4.5))
    order = list(order) if order is not None else list(dict.fromkeys(runs["scenario"]))
    colour = metric_colour(metric)
    data = [_values(runs[runs["scenario"] == name], metric) for name in order]
    n = max((d.size for d in data), default=0)
    ax.set_title(f"{short_title(metric)} ({n} runs each)")
    ax.set_ylabel(metric_label(metric))
    ax.set_xlabel("scenario")
    if not any(d.size for d in data):
        ax.set_xticks(range(len(order)), order)
        no_data(ax, "no runs", fontsize="medium")
        return ax
    for i, values in enumerate(data):
        if values.size == 0:
            continue
        if values.size > 1 and np.ptp(values) > 0:
            parts = ax.violinplot(values, positions=[i], widths=0.8, showextrema=False)
            for body in parts["bodies"]:
                body.set_facecolor(colour)
                body.set_edgecolor(colour)
                body.set_alpha(0.3)
                body.set_hatch(SCENARIO_HATCHES[i % len(SCENARIO_HATCHES)])
        ax.boxplot(
            values,
            positions=[i],
            widths=0.18,
            whis=(5, 95),
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": colour, "edgecolor": "black", "alpha": 0.9},
            medianprops={"color": "white", "linewidth": 2.2},
            whiskerprops={"color": "black"},
            capprops={"color": "black"},
        )
        median = float(np.median(values))
        ax.annotate(
            number_for_figure(median),
            (i + 0.12, median),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_xticks(range(len(order)), order)
    ax.set_xlim(-0.6, len(order) - 0.4)
    legend_below(ax, distribution_key(colour), ncol=4)
    return ax


def legend_below(ax: Axes, handles=None, *, ncol: int = 2, **kw):
    """The axes' legend under its x label, outside the data (the layout makes room for it)."""
    fig = ax.get_figure()
    height_in = max(ax.get_position().height * fig.get_figheight(), 1.0)
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.45 / height_in),
        ncol=ncol,
        frameon=False,
        fontsize=kw.pop("fontsize", 8),
        **kw,
    )


def shared_legend(fig, axes, handles, *, ncol: int = 4) -> None:
    """One legend for a grid of panels, under them (outside every panel), instead of one in each."""
    for ax in axes:
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False, fontsize=9)


def distribution_key(colour: str = "0.5") -> list:
    """The legend entries of `plot_compare_distributions`, in `colour` (grey: for a grid of outcomes)."""
    return [
        Patch(facecolor=colour, alpha=0.3, label="spread of runs (violin)"),
        Patch(facecolor=colour, edgecolor="black", label="middle 50 % of runs"),
        Line2D([], [], color="black", label="5–95 % of runs"),
        Line2D([], [], color="white", linewidth=2.2, marker="s", markerfacecolor=colour, label="median"),
    ]


def difference_key(colour: str = "0.45") -> list:
    """The legend entries of `plot_compare_differences`, in `colour` (grey: for a grid of outcomes)."""
    return [
        Line2D([], [], color="0.3", linewidth=1, linestyle="--", label="no difference"),
        Line2D(
            [],
            [],
            color=colour,
            marker="o",
            markeredgecolor="black",
            label="difference in mean, 95 % interval",
        ),
        Line2D(
            [],
            [],
            color=_tint(colour, 0.45),
            marker="s",
            markeredgecolor="black",
            label="difference in median, 95 % interval",
        ),
    ]


def plot_compare_differences(diffs: pd.DataFrame, metric: str, ax: Axes | None = None) -> Axes:
    """Each scenario's difference from the baseline in mean and median, with 95 % intervals.

    `diffs` is `compare.csv`: one row per metric and scenario with `diff_mean`,
    `diff_mean_low`, `diff_mean_high`, `diff_median`, ... and `baseline`.
    """
    ax = new_axes(ax, (7, 3.5))
    rows = diffs[(diffs["metric"] == metric) & diffs["diff_mean"].notna()]
    unit = metric_unit(metric)
    baseline = str(diffs["baseline"].iloc[0]) if len(diffs) else "baseline"
    ax.set_title(f"{short_title(metric)}: change from {baseline}")
    ax.set_xlabel(f"difference from {baseline}" + (f" ({unit})" if unit else ""))
    ax.set_ylabel("scenario")
    colour = metric_colour(metric)
    ax.axvline(0, color="0.3", linewidth=1, linestyle="--", label="no difference")
    if rows.empty:
        no_data(ax, "nothing to compare", fontsize="medium")
        ax.legend(fontsize=8)
        return ax
    labels = list(rows["scenario"])
    y = np.arange(len(labels))
    for offset, stat, marker, name in ((0.12, "mean", "o", "mean"), (-0.12, "median", "s", "median")):
        est = rows[f"diff_{stat}"].to_numpy(float)
        low = rows[f"diff_{stat}_low"].to_numpy(float)
        high = rows[f"diff_{stat}_high"].to_numpy(float)
        if np.all(np.isnan(est)):
            continue
        err = np.vstack([np.clip(est - low, 0, None), np.clip(high - est, 0, None)])
        ax.errorbar(
            est,
            y + offset,
            xerr=np.nan_to_num(err),
            fmt=marker,
            color=colour if stat == "mean" else _tint(colour, 0.45),
            markeredgecolor="black",
            capsize=4,
            label=f"difference in {name}, 95 % interval",
        )
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    legend_below(ax, difference_key(colour), ncol=3)
    return ax


def plot_compare_objectives(probabilities: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chance that Ukraine holds each objective at the end, one bar per scenario.

    `probabilities` has columns `name` (settlement), `scenario` and `p_ua_holds`
    (0..1); settlements are drawn in the order given.
    """
    ax = new_axes(ax, (9, 6))
    ax.set_title("Objective settlements: chance that Ukraine holds each at the end")
    ax.set_xlabel("share of runs in which Ukraine holds it at the end (%)")
    ax.set_ylabel("settlement")
    if probabilities.empty:
        no_data(ax, "no objective settlement in play", fontsize="medium")
        ax.legend(handles=[Patch(color=SIDE_COLOURS["UA"], label="Ukraine holds it")], fontsize=8)
        return ax
    names = list(dict.fromkeys(probabilities["name"]))
    scenarios = list(dict.fromkeys(probabilities["scenario"]))
    height = 0.8 / len(scenarios)
    for j, scenario in enumerate(scenarios):
        rows = probabilities[probabilities["scenario"] == scenario].set_index("name")
        p = np.array([float(rows["p_ua_holds"].get(n, math.nan)) for n in names]) * 100
        y = np.arange(len(names)) - 0.4 + height * (j + 0.5)
        ax.barh(
            y,
            np.nan_to_num(p),
            height=height * 0.92,
            color=_tint(SIDE_COLOURS["UA"], 0.55 * j / max(len(scenarios) - 1, 1)),
            edgecolor="black",
            linewidth=0.5,
            hatch=SCENARIO_HATCHES[j % len(SCENARIO_HATCHES)],
            label=scenario,
        )
    ax.set_yticks(np.arange(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.axvline(50, color="0.5", linewidth=0.8, linestyle=":")
    ax.legend(
        title="scenario",
        fontsize=8,
        title_fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=min(len(scenarios), 4),
        frameon=False,
    )
    return ax


# --------------------------------------------------------------------------- sweeps


def _is_numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, int | float | np.number) and not isinstance(v, bool | np.bool_) for v in values)


def plot_sweep_bands(
    summary: pd.DataFrame,
    param: str,
    metric: str,
    ax: Axes | None = None,
    *,
    param_label: str | None = None,
    current: Any = None,
) -> Axes:
    """The outcome's median against the swept parameter, with the bands of 50 % and 90 % of runs.

    `summary` is `sweep_summary.csv`: one row per point and metric with the
    parameter's value in column `param`, and `p5`, `p25`, `p50`, `p75`, `p95`, `runs`.
    """
    ax = new_axes(ax, (7, 4.5))
    rows = summary[summary["metric"] == metric]
    colour = metric_colour(metric)
    runs = int(rows["runs"].min()) if len(rows) else 0
    ax.set_title(f"{short_title(metric)} ({runs} runs per value)")
    ax.set_xlabel(param_label or param)
    ax.set_ylabel(metric_label(metric))
    if rows.empty:
        no_data(ax, "no runs", fontsize="medium")
        return ax
    values = list(rows[param])
    if _is_numeric(values):
        rows = rows.assign(_x=pd.to_numeric(rows[param])).sort_values("_x")
        x = rows["_x"].to_numpy(float)
        ax.fill_between(
            x, rows["p5"], rows["p95"], color=colour, alpha=0.18, linewidth=0, label="middle 90 % of runs"
        )
        ax.fill_between(
            x, rows["p25"], rows["p75"], color=colour, alpha=0.38, linewidth=0, label="middle 50 % of runs"
        )
        ax.plot(x, rows["p50"], color=colour, linewidth=2.2, marker="o", markersize=4, label="median")
        if _is_numeric([current]) and current is not None:
            ax.axvline(
                float(current),
                color="0.2",
                linestyle="--",
                linewidth=1,
                label=f"scenario value ({parameter_value(float(current))})",
            )
    else:
        x = np.arange(len(rows))
        med = rows["p50"].to_numpy(float)
        ax.vlines(
            x, rows["p5"], rows["p95"], color=colour, alpha=0.5, linewidth=3, label="middle 90 % of runs"
        )
        ax.vlines(x, rows["p25"], rows["p75"], color=colour, linewidth=8, label="middle 50 % of runs")
        ax.plot(x, med, "o", color="white", markeredgecolor="black", label="median")
        ax.set_xticks(x, [parameter_value(v) for v in values])
        ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def _side_cmap(colour: str) -> LinearSegmentedColormap:
    """Pale to deep in one side's colour: more of the outcome, more of the colour."""
    r, g, b = to_rgb(colour)
    return LinearSegmentedColormap.from_list(
        "side", [_tint(colour, 0.92), colour, (r * 0.45, g * 0.45, b * 0.45)]
    )


def plot_sweep_heatmap(
    summary: pd.DataFrame,
    x_param: str,
    y_param: str,
    metric: str,
    ax: Axes | None = None,
    *,
    x_label: str | None = None,
    y_label: str | None = None,
    current: tuple[Any, Any] | None = None,
) -> Axes:
    """The outcome's median over a grid of two parameters, each cell labelled with its value."""
    ax = new_axes(ax, (7, 5.5))
    rows = summary[summary["metric"] == metric]
    unit = metric_unit(metric)
    ax.set_title(f"{short_title(metric)}: median over runs")
    ax.set_xlabel(x_label or x_param)
    ax.set_ylabel(y_label or y_param)
    if rows.empty:
        no_data(ax, "no runs", fontsize="medium")
        return ax
    xs = list(dict.fromkeys(rows[x_param]))
    ys = list(dict.fromkeys(rows[y_param]))
    if _is_numeric(xs):
        xs = sorted(xs)
    if _is_numeric(ys):
        ys = sorted(ys)
    grid = np.full((len(ys), len(xs)), np.nan)
    for _, row in rows.iterrows():
        grid[ys.index(row[y_param]), xs.index(row[x_param])] = row["p50"]
    cmap = _side_cmap(metric_colour(metric))
    finite = grid[np.isfinite(grid)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 0.5, vmax + 0.5
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    for (j, i), value in np.ndenumerate(grid):
        dark = math.isfinite(value) and (value - vmin) / (vmax - vmin) > 0.55
        ax.text(
            i,
            j,
            number_for_figure(value),
            ha="center",
            va="center",
            fontsize=10,
            color="white" if dark else "black",
        )
    ax.set_xticks(range(len(xs)), [parameter_value(v) for v in xs])
    ax.set_yticks(range(len(ys)), [parameter_value(v) for v in ys])
    colorbar = ax.get_figure().colorbar(image, ax=ax, shrink=0.9)
    colorbar.set_label(f"median over runs ({unit})" if unit else "median over runs")
    handles = [Patch(facecolor=metric_colour(metric), label=f"median {metric_label(metric)}")]
    if current is not None and current[0] in xs and current[1] in ys:
        ax.plot(
            xs.index(current[0]),
            ys.index(current[1]),
            marker="s",
            markersize=22,
            markerfacecolor="none",
            markeredgecolor="black",
            markeredgewidth=2,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                markerfacecolor="none",
                markeredgecolor="black",
                markersize=10,
                label="the scenario as written",
            )
        )
    ax.legend(
        handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False
    )
    return ax


def plot_sweep_scatter(
    summary: pd.DataFrame,
    param: str,
    metric: str,
    ax: Axes | None = None,
    *,
    param_label: str | None = None,
) -> Axes:
    """Each design point's median outcome against one parameter (for hypercubes and larger grids)."""
    ax = new_axes(ax, (6, 4.5))
    rows = summary[summary["metric"] == metric]
    colour = metric_colour(metric)
    ax.set_title(f"{short_title(metric)} against {param.rsplit('.', 1)[-1]}")
    ax.set_xlabel(param_label or param)
    ax.set_ylabel(metric_label(metric))
    if rows.empty:
        no_data(ax, "no runs", fontsize="medium")
        return ax
    values = list(rows[param])
    x = pd.to_numeric(rows[param]).to_numpy(float) if _is_numeric(values) else None
    if x is None:
        categories = list(dict.fromkeys(values))
        x = np.array([categories.index(v) for v in values], dtype=float)
        ax.set_xticks(range(len(categories)), [parameter_value(c) for c in categories])
    med = rows["p50"].to_numpy(float)
    ax.errorbar(
        x,
        med,
        yerr=np.vstack([med - rows["p25"].to_numpy(float), rows["p75"].to_numpy(float) - med]),
        fmt="o",
        color=colour,
        ecolor=_tint(colour, 0.4),
        markersize=4,
        label="median of a design point, bar: middle 50 % of runs",
    )
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


# --------------------------------------------------------------------------- sensitivity


def plot_tornado(table: pd.DataFrame, ax: Axes | None = None, *, metric: str | None = None) -> Axes:
    """One-at-a-time sensitivity: the outcome's mean with each parameter at the low and high end.

    `table` is `tornado.csv` for one metric: per parameter `label` (or `parameter`),
    `low`, `high`, `mean_low`, `mean_base`, `mean_high` and the 95 % intervals of the
    changes (`diff_low_low` ...); drawn in the order given (largest swing first).
    """
    metric = metric or (str(table["metric"].iloc[0]) if len(table) else "ua_area_km2")
    ax = new_axes(ax, (8, 1.2 + 0.55 * max(len(table), 3)))
    colour = metric_colour(metric)
    unit = metric_unit(metric)
    ax.set_title(f"{short_title(metric)}: one parameter at a time, at each end of its range")
    ax.set_xlabel(f"mean {metric_label(metric)}")
    ax.set_ylabel("parameter (its low – high values)")
    if table.empty:
        no_data(ax, "no parameters", fontsize="medium")
        return ax
    base = float(table["mean_base"].iloc[0])
    y = np.arange(len(table))[::-1]
    low_colour, high_colour = _tint(colour, 0.6), colour
    for end, shade, name, shift in (("low", low_colour, "low", 0.18), ("high", high_colour, "high", -0.18)):
        means = table[f"mean_{end}"].to_numpy(float)
        ax.barh(
            y + shift,
            means - base,
            left=base,
            height=0.36,
            color=shade,
            edgecolor="black",
            linewidth=0.5,
            label=f"parameter at the {name} end of its range",
        )
        lo = table[f"diff_{end}_low"].to_numpy(float) + base
        hi = table[f"diff_{end}_high"].to_numpy(float) + base
        ax.errorbar(
            means,
            y + shift,
            xerr=np.nan_to_num(np.vstack([np.clip(means - lo, 0, None), np.clip(hi - means, 0, None)])),
            fmt="none",
            ecolor="0.15",
            capsize=3,
            linewidth=1,
        )
    ax.axvline(
        base, color="black", linewidth=1.2, label=f"scenario as written: {number_for_figure(base, unit)}"
    )
    ax.errorbar([], [], xerr=[], fmt="none", ecolor="0.15", capsize=3, label="95 % interval of the change")
    labels = []
    for _, row in table.iterrows():
        name = str(row.get("label", row.get("parameter")))
        labels.append(f"{name}\n({parameter_value(row['low'])} – {parameter_value(row['high'])})")
    ax.set_yticks(y, labels, fontsize=8)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def plot_morris(table: pd.DataFrame, ax: Axes | None = None, *, metric: str | None = None) -> Axes:
    """Morris screening: mean absolute elementary effect (μ*) per parameter, with its 95 % interval and σ."""
    metric = metric or (str(table["metric"].iloc[0]) if len(table) else "ua_area_km2")
    ax = new_axes(ax, (8, 1.2 + 0.5 * max(len(table), 3)))
    colour = metric_colour(metric)
    unit = metric_unit(metric)
    ax.set_title(f"Morris elementary effects on: {short_title(metric)}")
    ax.set_xlabel(f"effect of moving a parameter across its range ({unit})" if unit else "effect")
    ax.set_ylabel("parameter")
    if table.empty:
        no_data(ax, "no parameters", fontsize="medium")
        return ax
    y = np.arange(len(table))[::-1]
    ax.barh(
        y,
        table["mu_star"],
        xerr=table["mu_star_conf"],
        color=colour,
        alpha=0.8,
        capsize=3,
        edgecolor="black",
        linewidth=0.5,
        label="μ*: mean absolute effect (bar: 95 % interval)",
    )
    ax.plot(
        table["sigma"], y, "D", color="black", markersize=5, label="σ: spread of the effects (interactions)"
    )
    ax.set_yticks(y, list(table["parameter"]), fontsize=8)
    ax.set_xlim(left=0)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax


def plot_sobol(table: pd.DataFrame, ax: Axes | None = None, *, metric: str | None = None) -> Axes:
    """Sobol indices per parameter: first order (alone) and total (with interactions), with 95 % intervals."""
    metric = metric or (str(table["metric"].iloc[0]) if len(table) else "ua_area_km2")
    ax = new_axes(ax, (8, 1.2 + 0.55 * max(len(table), 3)))
    colour = metric_colour(metric)
    ax.set_title(f"Sobol indices of: {short_title(metric)}")
    ax.set_xlabel("share of the variance of the mean outcome (Sobol index, 0–1)")
    ax.set_ylabel("parameter")
    if table.empty:
        no_data(ax, "no parameters", fontsize="medium")
        return ax
    y = np.arange(len(table))[::-1]
    ax.barh(
        y + 0.18,
        table["ST"],
        height=0.36,
        xerr=table["ST_conf"],
        color=colour,
        capsize=3,
        edgecolor="black",
        linewidth=0.5,
        label="total index ST (with interactions)",
    )
    ax.barh(
        y - 0.18,
        table["S1"],
        height=0.36,
        xerr=table["S1_conf"],
        color=_tint(colour, 0.55),
        capsize=3,
        edgecolor="black",
        linewidth=0.5,
        label="first-order index S1 (alone)",
    )
    ax.set_yticks(y, list(table["parameter"]), fontsize=8)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return ax
