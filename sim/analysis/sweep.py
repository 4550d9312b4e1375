"""Parameter sweeps: a grid or a Latin hypercube of scenario variants, many runs each.

    run_scenario.py S.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
    run_scenario.py S.yaml --sweep A=1,2,3 --sweep B=0.2:0.8:4          # a 3 x 4 grid
    run_scenario.py S.yaml --design lhs --samples 40 --sweep A=1:4 --sweep B=0.2:0.8

Every design point is validated like `--set` before the first run, and played
with the same per-run seeds (common random numbers). Outputs:

- `design.csv`: one row per point: its parameter values and the sha256 of the
  resolved scenario;
- `sweep.csv`: one row per point and run (streamed to disk as runs finish):
  `point`, the parameters, `run`, `seed` and every outcome;
- `sweep_summary.csv`: per point and outcome: runs, mean, std, p5 ... p95;
- plots: with one parameter, each main outcome's median with the bands of 50 %
  and 90 % of runs against it; with two (a grid), a heat map of the median;
  otherwise each point's median against each parameter;
- `summary.json`, `scenario.resolved.yaml` (the base) and `report.html`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.design import LoadedPoint, Sweep
from sim.analysis.execute import DesignStatus, design_provenance, resolved_yaml, run_points
from sim.analysis.stats import quantile_summary
from sim.loading import LoadedScenario
from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.report.style import metric_description

DEFAULT_METRICS = ("ua_area_km2", "ua_casualties", "ru_casualties", "dprk_casualties")
"""Main outcomes of the sweep plots (an outcome that is zero in every run is left out)."""


@dataclass
class SweepResult:
    out_dir: Path
    status: DesignStatus
    summary: pd.DataFrame
    wall_time_s: float


def design_csv(points: list[LoadedPoint], sweeps: list[Sweep]) -> str:
    columns = ["point", *(s.path for s in sweeps), "sha256"]
    rows = [[lp.point.index, *(lp.point.values[s.path] for s in sweeps), lp.scenario.digest] for lp in points]
    return csv_text(columns, rows)


def chosen_metrics(summary: pd.DataFrame, metrics: list[str] | None) -> list[str]:
    available = list(dict.fromkeys(summary["metric"])) if len(summary) else []
    if metrics:
        return [m for m in metrics if m in available]
    out = []
    for m in DEFAULT_METRICS:
        rows = summary[summary["metric"] == m]
        if len(rows) and (rows["p95"].abs().max() > 0 or rows["p5"].abs().max() > 0):
            out.append(m)
    return out


def run_sweep(
    base: LoadedScenario,
    points: list[LoadedPoint],
    sweeps: list[Sweep],
    out_dir: Path,
    *,
    design: str,
    runs: int,
    seed: int,
    workers: int,
    progress: bool = True,
    plots: bool = True,
    metrics: list[str] | None = None,
    overrides: list[str] = (),
) -> SweepResult:
    """Play every point, then summarise, plot and report; see the module docstring."""
    note = "the base of the sweep: each point changes it as design.csv says (--set PATH=VALUE)"
    atomic_write_text(out_dir / "scenario.resolved.yaml", resolved_yaml(base, note))
    atomic_write_text(out_dir / "design.csv", design_csv(points, sweeps))
    started = time.perf_counter()
    status = run_points(
        points,
        out_dir / "sweep.csv",
        runs=runs,
        seed=seed,
        workers=workers,
        point_columns=lambda lp: {
            "point": lp.point.index,
            **{s.path: lp.point.values[s.path] for s in sweeps},
        },
        progress=progress,
        description=f"sweep {base.spec.name}",
    )
    wall = time.perf_counter() - started

    summary = pd.DataFrame()
    if status.runs_completed:
        df = pd.read_csv(out_dir / "sweep.csv")
        outcome_columns = [c for c in df.columns[df.columns.get_loc("seed") + 1 :]]
        summary = quantile_summary(df, ["point"], outcome_columns)
        values = {lp.point.index: lp.point.values for lp in points}
        for i, s in enumerate(sweeps):
            summary.insert(1 + i, s.path, [values[p][s.path] for p in summary["point"]])
        atomic_write_text(
            out_dir / "sweep_summary.csv",
            csv_text(
                list(summary.columns), summary.astype(object).where(summary.notna(), "").values.tolist()
            ),
        )
    info = {
        "analysis": "sweep",
        "design": design,
        "parameters": [
            {
                "path": s.path,
                "unit": s.field.unit,
                "scenario_value": s.field.current,
                "values": list(s.values) if s.values else None,
                "range": [s.lo, s.hi] if s.lo is not None else None,
            }
            for s in sweeps
        ],
        "points": len(points),
        **design_provenance(base, overrides, seed=seed, runs=runs, status=status, workers=workers, wall=wall),
    }
    atomic_write_json(out_dir / "summary.json", info)
    if plots and len(summary):
        figures = make_sweep_plots(out_dir, summary, sweeps, design, metrics)
        write_sweep_report(out_dir, summary, sweeps, figures, info, metrics)
    return SweepResult(out_dir, status, summary, wall)


def plot_kind(sweeps: list[Sweep], design: str) -> str:
    if len(sweeps) == 1:
        return "bands"
    if len(sweeps) == 2 and design == "grid":
        return "heatmap"
    return "scatter"


def make_sweep_plots(
    out_dir: Path, summary: pd.DataFrame, sweeps: list[Sweep], design: str, metrics: list[str] | None = None
) -> dict[str, Path]:
    from sim.report import analysis_figures as ap
    from sim.report.canvas import new_figure, save_figure

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
    sweeps: list[Sweep],
    figures: dict[str, Path],
    info: dict[str, Any],
    metrics: list[str] | None = None,
) -> Path:
    from sim.report.html import esc, figure_html, table_html, write_analysis_report
    from sim.report.style import number_for_page

    chosen = chosen_metrics(summary, metrics)
    params = table_html(
        ["Parameter", "Unit", "Value in the scenario", "Swept over"],
        [
            [
                f"<code>{esc(s.path)}</code>"
                + (f"<br>{esc(s.field.description)}" if s.field.description else ""),
                esc(s.field.unit or ""),
                esc(s.field.current),
                esc(", ".join(map(str, s.values)) if s.values else f"{s.lo:g} to {s.hi:g} (Latin hypercube)"),
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
                    esc(metric),
                    str(int(r["point"])),
                    *[esc(r[s.path]) for s in sweeps],
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
