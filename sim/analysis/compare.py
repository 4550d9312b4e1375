"""Compare two or more scenarios on common random numbers.

`python run_scenario.py A.yaml B.yaml [C.yaml ...] --runs N` plays each scenario
with the same per-run seeds (run k of every scenario uses the same seed), each
into its own sub-folder with the usual outputs (`runs.csv`, `summary.json`,
plots ...). Then, against the first scenario (the baseline), per outcome:

- the distributions side by side (violins with boxes);
- the difference in means and in medians, with paired bootstrap 95 % intervals
  (runs sharing a seed are pairs, which makes the intervals much narrower than
  for independent samples);
- each objective's probability (Ukraine holds it at the end) per scenario, and
  its change, with an interval.

Written to `compare.csv` (one row per outcome and scenario), and through
`sim.report.compare_page` to `plots/compare_*.png` and `report.html`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis.design import BOOTSTRAP_STREAM, design_rng
from sim.analysis.execute import objective_columns
from sim.analysis.stats import paired_difference, rounded
from sim.battle.metrics import is_held_column
from sim.cluster import describe_executor
from sim.errors import Problem, UserInputError
from sim.output import (
    LOCK,
    MANIFEST,
    OUTPUT_FOLDERS,
    OUTPUT_NAMES,
    atomic_write_json,
    atomic_write_text,
    csv_text,
)
from sim.replications import WorkersLost
from sim.report.style import metric_unit
from sim.scenario import LoadedScenario

RESERVED = {"plots"}
COLUMNS = [
    "metric",
    "unit",
    "kind",
    "scenario",
    "baseline",
    "runs",
    "mean",
    "median",
    "p5",
    "p95",
    "diff_mean",
    "diff_mean_low",
    "diff_mean_high",
    "diff_median",
    "diff_median_low",
    "diff_median_high",
]


@dataclass(frozen=True)
class Entry:
    label: str
    """Short unique name: the file's stem (sub-folder and column value)."""
    path: Path
    scenario: LoadedScenario


@dataclass
class CompareResult:
    out_dir: Path
    table: pd.DataFrame
    interrupted: bool
    wall_time_s: float


def labels_for(paths: list[Path]) -> list[str]:
    """Unique short names from the file names: `tutorial`, `tutorial-2` for the same stem twice.

    Each is the name of a folder inside --out, so it is made safe: letters, digits, `_`, `-` and
    `.` only, no leading dot (`...yaml` cannot name the parent folder), never one of the tool's own
    outputs (`compare.csv.yaml` becomes `compare.csv-scenario`), at most 60 characters, and unique
    whatever the case (on a file system that ignores case too).
    """
    taken = {n.casefold() for n in (*RESERVED, *OUTPUT_NAMES, *OUTPUT_FOLDERS, LOCK, MANIFEST)}
    labels: list[str] = []
    for path in paths:
        stem = re.sub(r"[^\w.-]+", "_", Path(path).stem, flags=re.ASCII).strip("._-")[:60] or "scenario"
        if stem.casefold() in taken:
            stem = f"{stem}-scenario"
        label, n = stem, 1
        while label.casefold() in {x.casefold() for x in labels}:
            n += 1
            label = f"{stem}-{n}"
        labels.append(label)
    return labels


def check_metrics(entries: list[Entry], metrics: list[str], known: list[str]) -> None:
    """Every named metric must be reported by every scenario (exit 2 before any run otherwise)."""
    problems = []
    for metric in metrics:
        if is_held_column(metric):
            missing = [e for e in entries if metric not in objective_columns(e.scenario)]
            for e in missing:
                problems.append(
                    Problem(
                        f"{metric!r} is not an outcome of this scenario ({metric[5:]!r} is not one of its "
                        "objectives)",
                        file=str(e.path),
                        field="--metric",
                    )
                )
        elif metric not in known:
            problems.append(
                Problem(f"unknown outcome {metric!r}; expected one of: {', '.join(known)}", file="--metric")
            )
    if problems:
        raise UserInputError(problems)


def compare_table(frames: dict[str, pd.DataFrame], seed: int) -> pd.DataFrame:
    """The comparison: per metric and scenario, statistics and differences from the first scenario."""
    labels = list(frames)
    baseline = labels[0]
    common = set(frames[baseline]["run"])
    for frame in frames.values():
        common &= set(frame["run"])
    aligned = {
        label: frame[frame["run"].isin(common)].sort_values("run").reset_index(drop=True)
        for label, frame in frames.items()
    }
    metrics = [c for c in aligned[baseline].columns if c not in ("run", "seed")]
    for frame in list(aligned.values())[1:]:
        metrics += [c for c in frame.columns if c not in ("run", "seed") and c not in metrics]
    rng = design_rng(seed, BOOTSTRAP_STREAM)
    rows = []
    for metric in metrics:
        held = is_held_column(metric)
        base = aligned[baseline][metric].to_numpy(float) if metric in aligned[baseline] else None
        for label in labels:
            frame = aligned[label]
            row: dict[str, Any] = {
                "metric": metric,
                "unit": "probability" if held else metric_unit(metric),
                "kind": "objective" if held else "outcome",
                "scenario": label,
                "baseline": baseline,
            }
            if metric not in frame:
                rows.append(row)
                continue
            values = frame[metric].to_numpy(float)
            row.update(
                runs=int(values.size),
                mean=float(values.mean()) if values.size else np.nan,
                median=float(np.median(values)) if values.size else np.nan,
                p5=float(np.percentile(values, 5)) if values.size else np.nan,
                p95=float(np.percentile(values, 95)) if values.size else np.nan,
            )
            if label != baseline and base is not None:
                for stat in ("mean",) if held else ("mean", "median"):
                    interval = paired_difference(base, values, stat, rng)
                    row[f"diff_{stat}"] = interval.estimate
                    row[f"diff_{stat}_low"] = interval.low
                    row[f"diff_{stat}_high"] = interval.high
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _summary(
    entries,
    summaries: dict,
    *,
    seed: int,
    runs: int,
    workers: int,
    started: float,
    common_runs: int = 0,
    interrupted: bool = False,
) -> dict:
    """What the comparison records: its scenarios and how many runs each finished, how it was played."""
    return {
        "analysis": "compare",
        "baseline": entries[0].label,
        "scenarios": [
            {
                "label": e.label,
                "name": e.scenario.spec.name,
                "file": str(e.path),
                "sha256": e.scenario.digest,
                "folder": e.label,
                "runs_completed": summaries.get(e.label, {}).get("runs_completed", 0),
            }
            for e in entries
        ],
        "seed": seed,
        "runs_requested": runs,
        "common_runs": common_runs,
        "interrupted": interrupted,
        "workers": workers,
        "executor": describe_executor(workers),
        "version": __version__,
        "wall_time_s": round(time.perf_counter() - started, 3),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def run_compare(
    entries: list[Entry],
    out_dir: Path,
    *,
    runs: int,
    seed: int,
    workers: int,
    progress: bool = True,
    plots: bool = True,
    metrics: list[str] | None = None,
) -> CompareResult:
    """Play every scenario (same seeds), then write compare.csv, the plots and report.html."""
    from sim.study import run_study

    started = time.perf_counter()
    frames: dict[str, pd.DataFrame] = {}
    summaries: dict[str, dict] = {}
    interrupted = False
    for entry in entries:
        sub = out_dir / entry.label
        sub.mkdir(exist_ok=True)
        try:
            result = run_study(
                entry.scenario, sub, runs=runs, seed=seed, workers=workers, progress=progress, plots=plots
            )
        except WorkersLost as lost:  # the scenario's folder says what finished; so does the comparison
            summaries[entry.label] = {"runs_completed": lost.completed}
            summary = _summary(entries, summaries, seed=seed, runs=runs, workers=workers, started=started)
            summary["status"] = "incomplete"
            summary["note"] = (
                f"a worker process ended unexpectedly (killed, or out of memory) while {entry.label} was "
                "played; the scenarios after it were not played and no comparison was made"
            )
            atomic_write_json(out_dir / "summary.json", summary)
            raise
        summaries[entry.label] = result.summary
        if result.status.completed:
            frames[entry.label] = pd.read_csv(sub / "runs.csv")
        if result.status.interrupted:
            interrupted = True
            break
    wall = time.perf_counter() - started
    if len(frames) < 2:
        return CompareResult(out_dir, pd.DataFrame(columns=COLUMNS), interrupted, wall)

    table = rounded(compare_table(frames, seed))
    atomic_write_text(
        out_dir / "compare.csv",
        csv_text(COLUMNS, table.astype(object).where(table.notna(), "").values.tolist()),
    )
    summary = _summary(
        entries,
        summaries,
        seed=seed,
        runs=runs,
        workers=workers,
        started=started,
        common_runs=int(table["runs"].dropna().min()) if table["runs"].notna().any() else 0,
        interrupted=interrupted,
    )
    atomic_write_json(out_dir / "summary.json", summary)
    if plots:
        from sim.report.compare_page import make_compare_plots, write_compare_report

        names = {s.key: s.name for e in entries for s in e.scenario.map.settlements}
        figures = make_compare_plots(out_dir, frames, table, names, metrics)
        write_compare_report(out_dir, table, figures, summary, names, metrics)
    return CompareResult(out_dir, table, interrupted, wall)
