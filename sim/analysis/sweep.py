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
- plots (`sim.report.sweep_page`): with one parameter, each main outcome's
  median with the bands of 50 % and 90 % of runs against it; with two (a grid),
  a heat map of the median; otherwise each point's median against each parameter;
- `summary.json`, `scenario.resolved.yaml` (the base) and `report.html`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.design import LoadedPoint, Sweep
from sim.analysis.execute import DesignStatus, design_provenance, run_points
from sim.analysis.stats import quantile_summary
from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.scenario.loaded import LoadedScenario
from sim.study import resolved_yaml


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
        from sim.report.sweep_page import make_sweep_plots, write_sweep_report

        figures = make_sweep_plots(out_dir, summary, sweeps, design, metrics)
        write_sweep_report(out_dir, summary, sweeps, figures, info, metrics)
    return SweepResult(out_dir, status, summary, wall)
