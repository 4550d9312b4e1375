"""The page of a sweep: its figures (`plots/sweep_*.png`) and `report.html`.

`sim.analysis.sweep` plays the design and writes `sweep_summary.csv`; this module
chooses the outcomes to show (`chosen_metrics`) and the kind of figure the design
calls for (`plot_kind`), draws it with `sim.report.analysis_figures` and lays out
the page with `sim.report.html`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.report import analysis_figures as ap
from sim.report.canvas import new_figure, save_figure
from sim.report.html import esc, figure_html, table_html, write_analysis_report
from sim.report.parameters import SweptParameter
from sim.report.style import (
    SWEEP_METRICS,
    metric_description,
    metric_heading,
    number_for_page,
    parameter_value,
)


def chosen_metrics(summary: pd.DataFrame, metrics: list[str] | None) -> list[str]:
    """The outcomes to show: those asked for (`--metric`), else the defaults not zero in every run."""
    available = list(dict.fromkeys(summary["metric"])) if len(summary) else []
    if metrics:
        return [m for m in metrics if m in available]
    out = []
    for m in SWEEP_METRICS:
        rows = summary[summary["metric"] == m]
        if len(rows) and (rows["p95"].abs().max() > 0 or rows["p5"].abs().max() > 0):
            out.append(m)
    return out


def plot_kind(sweeps: list[SweptParameter], design: str) -> str:
    """`bands` for one parameter, `heatmap` for a grid of two, `scatter` otherwise."""
    if len(sweeps) == 1:
        return "bands"
    if len(sweeps) == 2 and design == "grid":
        return "heatmap"
    return "scatter"


def make_sweep_plots(
    out_dir: Path,
    summary: pd.DataFrame,
    sweeps: list[SweptParameter],
    design: str,
    metrics: list[str] | None = None,
) -> dict[str, Path]:
    """The figure the design calls for (see `plot_kind`) into `out_dir/plots`; returns {name: path}."""
    folder = out_dir / "plots"
    folder.mkdir(exist_ok=True)
    chosen = chosen_metrics(summary, metrics)
    kind = plot_kind(sweeps, design)
    written: dict[str, Path] = {}
    if not chosen:
        return written
    if kind == "bands":
        s = sweeps[0]
        ncols = min(2, len(chosen))
        nrows = -(-len(chosen) // ncols)
        fig = new_figure((7 * ncols, 4.6 * nrows))
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, metric in zip(axes, chosen, strict=False):
            ap.plot_sweep_bands(
                summary, s.path, metric, ax=ax, param_label=s.field.label, current=s.field.current
            )
        for ax in axes[len(chosen) :]:
            ax.set_axis_off()
        fig.suptitle(f"Outcomes as {s.path} varies: median and the middle 50 % and 90 % of runs")
        written["sweep_bands"] = save_figure(fig, folder / "sweep_bands.png")
    elif kind == "heatmap":
        sx, sy = sweeps[1], sweeps[0]
        ncols = min(2, len(chosen))
        nrows = -(-len(chosen) // ncols)
        fig = new_figure((7.5 * ncols, 6 * nrows))
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, metric in zip(axes, chosen, strict=False):
            ap.plot_sweep_heatmap(
                summary,
                sx.path,
                sy.path,
                metric,
                ax=ax,
                x_label=sx.field.label,
                y_label=sy.field.label,
                current=(sx.field.current, sy.field.current),
            )
        for ax in axes[len(chosen) :]:
            ax.set_axis_off()
        fig.suptitle(f"Median outcome over the grid of {sy.path} and {sx.path}")
        written["sweep_heatmap"] = save_figure(fig, folder / "sweep_heatmap.png")
    else:
        fig = new_figure((5.5 * len(sweeps), 4.2 * len(chosen)))
        axes = fig.subplots(len(chosen), len(sweeps), squeeze=False)
        for r, metric in enumerate(chosen):
            for c, s in enumerate(sweeps):
                ap.plot_sweep_scatter(summary, s.path, metric, ax=axes[r, c], param_label=s.field.label)
        fig.suptitle(
            "Each design point's median outcome against each parameter "
            f"({design}, {summary['point'].nunique()} points)"
        )
        written["sweep_scatter"] = save_figure(fig, folder / "sweep_scatter.png")
    return written


CAPTIONS = {
    "sweep_bands": (
        "Outcomes against the parameter",
        "The line is the median over runs at each value; the dark band holds the middle 50 % of runs, the "
        "light band the middle 90 %. Every value is played with the same seeds, so the bands move with the "
        "parameter, not with luck. The dashed line marks the scenario's own value.",
    ),
    "sweep_heatmap": (
        "Median outcome over the grid",
        "Each cell is the median over runs for one pair of values; the framed cell is the scenario as "
        "written. Read the spread in sweep_summary.csv: a median alone hides it.",
    ),
    "sweep_scatter": (
        "Median outcome against each parameter",
        "One dot per design point, at its value of the parameter on the x axis; the bar holds the middle "
        "50 % of its runs. A clear trend means the parameter matters even while the others vary.",
    ),
}


def write_sweep_report(
    out_dir: Path,
    summary: pd.DataFrame,
    sweeps: list[SweptParameter],
    figures: dict[str, Path],
    info: dict[str, Any],
    metrics: list[str] | None = None,
) -> Path:
    """`out_dir/report.html`: the parameters, the figure, every point's outcomes, the provenance.

    `info` is the sweep's `summary.json`.
    """
    chosen = chosen_metrics(summary, metrics)
    params = table_html(
        ["Parameter", "Unit", "Value in the scenario", "Swept over"],
        [
            [
                f"<code>{esc(s.path)}</code>"
                + (f"<br>{esc(s.field.description)}" if s.field.description else ""),
                esc(s.field.unit or ""),
                esc(s.field.current),
                esc(
                    ", ".join(map(parameter_value, s.values))
                    if s.values
                    else f"{parameter_value(s.lo)} to {parameter_value(s.hi)} (Latin hypercube)"
                ),
            ]
            for s in sweeps
        ],
    )
    rows = []
    for metric in chosen:
        sub = summary[summary["metric"] == metric]
        for _, r in sub.iterrows():
            rows.append(
                [
                    esc(metric_heading(metric)),
                    str(int(r["point"])),
                    *[esc(parameter_value(r[s.path])) for s in sweeps],
                    number_for_page(r["p50"]),
                    f"{number_for_page(r['p25'])} to {number_for_page(r['p75'])}",
                    f"{number_for_page(r['p5'])} to {number_for_page(r['p95'])}",
                ]
            )
    n = len(sweeps)
    table = table_html(
        ["Outcome", "Point", *[s.path for s in sweeps], "Median", "Middle 50 %", "Middle 90 %"],
        rows,
        numeric={1, *range(2, 2 + n), 2 + n, 3 + n, 4 + n},
        css="full",
    )
    figure_parts = "".join(
        figure_html(name, path, *CAPTIONS.get(name, (name, ""))) for name, path in figures.items()
    )
    method = (
        f"<p class=method>Design: {esc(info['design'])}, {info['points']} points x "
        f"{info['runs_per_point']} runs, "
        "each point validated like --set before any run and played with the same per-run seeds "
        "(common random numbers). Every run is a row of sweep.csv.</p>"
    )
    sections = [
        (
            "sweep",
            "Sweep: " + ", ".join(s.path for s in sweeps),
            params + method + figure_parts + "<h3>Per point</h3>" + table,
        )
    ]
    provenance = [
        ("Scenario", info["scenario"]["name"]),
        ("Scenario file", info["scenario"]["file"]),
        ("Scenario sha256 (before the sweep)", info["scenario"]["sha256"]),
        ("--set", " ".join(info["scenario"]["overrides"]) or "none"),
        ("Master seed", info["seed"]),
        (
            "Runs completed / requested",
            f"{info['runs_completed']} / {info['points'] * info['runs_per_point']}",
        ),
        ("Worker processes", info["workers"]),
        ("Package version", info["version"]),
        ("Wall time", f"{info['wall_time_s']:.1f} s"),
        ("Created", info["created"]),
    ]
    interrupted = (
        f"This sweep was interrupted after {info['points_completed']} of {info['points']} points; "
        "the table and "
        "plots show the runs that finished."
        if info["interrupted"]
        else None
    )
    return write_analysis_report(
        out_dir,
        f"{info['scenario']['name']}: sweep of {', '.join(s.path for s in sweeps)}",
        f"{info['points']} design points ({info['design']}), {info['runs_per_point']} runs each, "
        f"seed {info['seed']}"
        + (f"; outcomes: {', '.join(metric_description(m) for m in chosen)}" if chosen else ""),
        sections,
        provenance,
        interrupted=interrupted,
    )
