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

Written to `compare.csv` (one row per outcome and scenario), `plots/compare_*.png`
and `report.html`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis.design import BOOTSTRAP_STREAM, design_rng
from sim.analysis.execute import objective_columns
from sim.analysis.stats import paired_difference
from sim.errors import Problem, UserInputError
from sim.loading import LoadedScenario
from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.report.style import KEY_OUTCOMES, metric_description, metric_unit

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
    """Unique short names from the file names: `tutorial`, `tutorial-2` for the same stem twice."""
    labels: list[str] = []
    for path in paths:
        stem = path.stem if path.stem not in RESERVED else f"{path.stem}-scenario"
        label, n = stem, 1
        while label in labels:
            n += 1
            label = f"{stem}-{n}"
        labels.append(label)
    return labels


def check_metrics(entries: list[Entry], metrics: list[str], known: list[str]) -> None:
    """Every named metric must be reported by every scenario (exit 2 before any run otherwise)."""
    problems = []
    for metric in metrics:
        if metric.startswith("held_"):
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
        held = metric.startswith("held_")
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
    from sim.runner import run_study

    started = time.perf_counter()
    frames: dict[str, pd.DataFrame] = {}
    summaries: dict[str, dict] = {}
    interrupted = False
    for entry in entries:
        sub = out_dir / entry.label
        sub.mkdir(exist_ok=True)
        result = run_study(
            entry.scenario, sub, runs=runs, seed=seed, workers=workers, progress=progress, plots=plots
        )
        summaries[entry.label] = result.summary
        if result.status.completed:
            frames[entry.label] = pd.read_csv(sub / "runs.csv")
        if result.status.interrupted:
            interrupted = True
            break
    wall = time.perf_counter() - started
    if len(frames) < 2:
        return CompareResult(out_dir, pd.DataFrame(columns=COLUMNS), interrupted, wall)

    table = compare_table(frames, seed)
    atomic_write_text(
        out_dir / "compare.csv",
        csv_text(COLUMNS, table.astype(object).where(table.notna(), "").values.tolist()),
    )
    summary = {
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
        "common_runs": int(table["runs"].dropna().min()) if table["runs"].notna().any() else 0,
        "interrupted": interrupted,
        "workers": workers,
        "version": __version__,
        "wall_time_s": round(wall, 3),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    atomic_write_json(out_dir / "summary.json", summary)
    if plots:
        names = {s.key: s.name for e in entries for s in e.scenario.map.settlements}
        figures = make_compare_plots(out_dir, frames, table, names, metrics)
        write_compare_report(out_dir, entries, table, figures, summary, names, metrics)
    return CompareResult(out_dir, table, interrupted, wall)


def main_metrics(table: pd.DataFrame, metrics: list[str] | None) -> list[str]:
    """The outcomes to plot: those asked for, else the key outcomes that are not zero in every run."""
    if metrics:
        return [m for m in metrics if m in set(table["metric"])]
    rows = table[table["kind"] == "outcome"]
    moving = set(rows.loc[(rows["p5"].abs() > 0) | (rows["p95"].abs() > 0), "metric"])
    return [m for m in KEY_OUTCOMES if m in moving]


def _objective_rows(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Objectives in play (not held in every run of every scenario, nor in none), most changed first."""
    held = table[table["kind"] == "objective"].copy()
    if held.empty:
        return pd.DataFrame(columns=["name", "scenario", "p_ua_holds", "metric"])
    held["name"] = [names.get(m[5:], m[5:]) for m in held["metric"]]
    spread = held.groupby("metric")["mean"].agg(["min", "max"])
    in_play = spread[(spread["max"] > 0) & (spread["min"] < 1)].index
    change = held.groupby("metric")["mean"].agg(lambda s: s.max() - s.min())
    order = sorted(in_play, key=lambda m: (-change[m], m))
    held = held[held["metric"].isin(order)]
    held["_order"] = held["metric"].map({m: i for i, m in enumerate(order)})
    held = held.sort_values(["_order"], kind="stable")
    return held.rename(columns={"mean": "p_ua_holds"})[["metric", "name", "scenario", "p_ua_holds"]]


def make_compare_plots(
    out_dir: Path,
    frames: dict[str, pd.DataFrame],
    table: pd.DataFrame,
    names: dict[str, str],
    metrics: list[str] | None = None,
) -> dict[str, Path]:
    from sim.report import analysis_figures as ap
    from sim.report.canvas import new_figure, save_figure

    folder = out_dir / "plots"
    folder.mkdir(exist_ok=True)
    written: dict[str, Path] = {}
    chosen = main_metrics(table, metrics)
    long = pd.concat([frame.assign(scenario=label) for label, frame in frames.items()], ignore_index=True)
    order = list(frames)
    ncols = min(3, max(len(chosen), 1))
    nrows = max(1, -(-len(chosen) // ncols))
    width = max(4.5, 1.6 * len(order) + 2.5)

    fig = new_figure((width * ncols, 4.2 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, metric in zip(axes, chosen, strict=False):
        ap.plot_compare_distributions(long, metric, ax=ax, order=order)
    for ax in axes[len(chosen) :]:
        ax.set_axis_off()
    fig.suptitle(
        f"Outcomes at the end, scenario by scenario (same seeds, {len(long) // len(order)} runs each)"
    )
    written["compare_distributions"] = save_figure(fig, folder / "compare_distributions.png")

    height = 1.3 + 0.55 * (len(order) - 1)
    fig = new_figure((7.0 * min(2, len(chosen) or 1), (height + 0.9) * -(-len(chosen) // 2 or 1)))
    axes = fig.subplots(max(1, -(-len(chosen) // 2)), min(2, len(chosen) or 1), squeeze=False).ravel()
    for ax, metric in zip(axes, chosen, strict=False):
        ap.plot_compare_differences(table, metric, ax=ax)
    for ax in axes[len(chosen) :]:
        ax.set_axis_off()
    fig.suptitle(f"Differences from {order[0]}: mean and median, with paired bootstrap 95 % intervals")
    written["compare_differences"] = save_figure(fig, folder / "compare_differences.png")

    objectives = _objective_rows(table, names)
    n_names = objectives["name"].nunique() if len(objectives) else 0
    fig = new_figure((9, 1.8 + 0.3 * max(n_names, 3) * max(1, len(order) / 2)))
    ap.plot_compare_objectives(objectives, ax=fig.subplots())
    written["compare_objectives"] = save_figure(fig, folder / "compare_objectives.png")
    return written


CAPTIONS = {
    "compare_distributions": (
        "Distributions side by side",
        "Each violin shows how the runs of one scenario spread; the box holds the middle 50 % of runs, "
        "the whiskers 5–95 %, the white line is the median. Overlapping violins mean the change is small "
        "compared with the randomness of the battle.",
    ),
    "compare_differences": (
        "Differences from the baseline",
        "Dots: difference in means; squares: difference in medians; bars: 95 % intervals from a paired "
        "bootstrap over runs that share a seed. An interval that crosses the dashed zero line means the "
        "runs cannot tell the scenarios apart on that outcome.",
    ),
    "compare_objectives": (
        "Objective settlements",
        "Share of runs in which Ukraine holds each settlement at the end, per scenario; settlements held in "
        "every run or in no run of every scenario are left out, the most changed come first.",
    ),
}


def write_compare_report(
    out_dir: Path,
    entries: list[Entry],
    table: pd.DataFrame,
    figures: dict[str, Path],
    summary: dict,
    names: dict[str, str],
    metrics: list[str] | None = None,
) -> Path:
    from sim.report.html import esc, figure_html, interval_text, table_html, write_analysis_report
    from sim.report.style import number_for_page

    baseline = entries[0].label
    labels = [e.label for e in entries]
    chosen = main_metrics(table, metrics)
    others, constant = [], []
    for metric in dict.fromkeys(table.loc[table["kind"] == "outcome", "metric"]):
        values = table.loc[table["metric"] == metric, ["p5", "p95"]].to_numpy(float)
        if metric in chosen:
            continue
        if np.isfinite(values).all() and np.ptp(values) == 0:
            constant.append(metric)  # the same in every run of every scenario
        else:
            others.append(metric)
    rows = []
    for metric in [*chosen, *others]:
        sub = table[table["metric"] == metric].set_index("scenario")
        unit = metric_unit(metric)
        for label in labels[1:]:
            r = sub.loc[label]
            rows.append(
                [
                    f"<code>{esc(metric)}</code><br>{esc(metric_description(metric))}",
                    esc(label),
                    number_for_page(sub.loc[baseline, "median"]) + (f" {esc(unit)}" if unit else ""),
                    number_for_page(r["median"]) + (f" {esc(unit)}" if unit else ""),
                    interval_text(r["diff_mean"], r["diff_mean_low"], r["diff_mean_high"], unit),
                    interval_text(r["diff_median"], r["diff_median_low"], r["diff_median_high"], unit),
                ]
            )
    outcomes = table_html(
        [
            "Outcome",
            "Scenario",
            f"Median, {baseline}",
            "Median",
            "Change in mean (95 % interval)",
            "Change in median (95 % interval)",
        ],
        rows,
        numeric={2, 3, 4, 5},
        css="full",
    )
    if constant:
        outcomes += (
            "<p class=method>The same in every run of every scenario, so not shown: "
            + ", ".join(
                f"<code>{esc(m)}</code> ({number_for_page(table.loc[table['metric'] == m, 'p5'].iloc[0])})"
                for m in constant
            )
            + ".</p>"
        )
    objectives = _objective_rows(table, names)
    obj_rows = []
    for metric in dict.fromkeys(objectives["metric"]):
        sub = table[table["metric"] == metric].set_index("scenario")
        cells = [esc(names.get(metric[5:], metric[5:]))]
        for label in labels:
            p = sub.loc[label, "mean"] if label in sub.index else np.nan
            cells.append("–" if not np.isfinite(p) else f"{p * 100:.0f} %")
        for label in labels[1:]:
            r = sub.loc[label]
            cells.append(
                interval_text(
                    r["diff_mean"] * 100,
                    r["diff_mean_low"] * 100,
                    r["diff_mean_high"] * 100,
                    "percentage points",
                    0,
                )
            )
        obj_rows.append(cells)
    objective_table = (
        table_html(
            [
                "Settlement",
                *[f"P(UA holds), {label}" for label in labels],
                *[f"Change, {label}" for label in labels[1:]],
            ],
            obj_rows,
            numeric=set(range(1, 2 * len(labels))),
        )
        if obj_rows
        else "<p>No objective settlement changes hands in any run of any scenario.</p>"
    )
    figure_parts = {
        name: figure_html(name, path, *CAPTIONS.get(name, (name, ""))) for name, path in figures.items()
    }
    scenarios = table_html(
        ["Label (sub-folder)", "Scenario", "File", "sha256"],
        [
            [
                f"<code>{esc(e.label)}/</code>",
                esc(e.scenario.spec.name),
                f"<code>{esc(e.path)}</code>",
                f"<code>{esc(e.scenario.digest[:16])}…</code>",
            ]
            for e in entries
        ],
    )
    method = (
        "<p class=method>Every scenario is played with the same per-run seeds (common random numbers), "
        "so run "
        "k of one scenario meets the same luck as run k of another as far as the two stay alike. The "
        "intervals come from a paired bootstrap over runs (scipy.stats.bootstrap, BCa, 2,000 resamples); "
        "a change in bold has an interval that excludes 0. "
        "Each scenario's own outputs (runs, summary, plots, report) are in its sub-folder.</p>"
    )
    sections = [
        (
            "compare",
            f"Comparison: {' vs '.join(labels)}",
            scenarios
            + method
            + figure_parts.get("compare_distributions", "")
            + figure_parts.get("compare_differences", "")
            + "<h3>Every outcome</h3>"
            + outcomes,
        ),
        (
            "objectives",
            "Objective settlements",
            figure_parts.get("compare_objectives", "") + objective_table,
        ),
    ]
    provenance = [
        ("Baseline", baseline),
        *[
            (f"Scenario {e.label}", f"{e.scenario.spec.name} — {e.path} (sha256 {e.scenario.digest})")
            for e in entries
        ],
        ("Master seed", summary["seed"]),
        ("Runs per scenario (paired)", summary["common_runs"]),
        ("Worker processes", summary["workers"]),
        ("Package version", summary["version"]),
        ("Wall time", f"{summary['wall_time_s']:.1f} s"),
        ("Created", summary["created"]),
    ]
    interrupted = (
        "This comparison was interrupted: only the runs that every scenario finished are paired."
        if summary["interrupted"]
        else None
    )
    return write_analysis_report(
        out_dir,
        f"Comparison: {' vs '.join(labels)}",
        f"{summary['common_runs']} paired runs per scenario, seed {summary['seed']}, baseline {baseline}",
        sections,
        provenance,
        interrupted=interrupted,
    )
