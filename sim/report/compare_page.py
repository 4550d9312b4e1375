"""The page of a comparison: its figures (`plots/compare_*.png`) and `report.html`.

`sim.analysis.compare` computes the comparison table (`compare.csv`); this module
chooses what to show of it (`main_metrics`, `objective_rows`), draws the figures
with `sim.report.analysis_figures` and lays out the page with `sim.report.html`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.report import analysis_figures as ap
from sim.report.canvas import new_figure, save_figure
from sim.report.html import esc, figure_html, interval_text, table_html, write_analysis_report
from sim.report.style import HISTOGRAM_METRICS, metric_heading, metric_unit, number_for_page


def main_metrics(table: pd.DataFrame, metrics: list[str] | None) -> list[str]:
    """The outcomes to plot: those asked for, else the key outcomes that are not zero in every run."""
    if metrics:
        return [m for m in metrics if m in set(table["metric"])]
    rows = table[table["kind"] == "outcome"]
    moving = set(rows.loc[(rows["p5"].abs() > 0) | (rows["p95"].abs() > 0), "metric"])
    return [m for m in HISTOGRAM_METRICS if m in moving]


def objective_rows(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
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
    """Distributions, differences and objectives into `out_dir/plots`; returns {name: path}.

    `frames` are each scenario's `runs.csv` (first the baseline), `table` is `compare.csv`.
    """
    folder = out_dir / "plots"
    folder.mkdir(exist_ok=True)
    written: dict[str, Path] = {}
    chosen = main_metrics(table, metrics)
    # copies first: a frame given many columns one by one is fragmented, and assign would warn
    long = pd.concat(
        [frame.copy().assign(scenario=label) for label, frame in frames.items()], ignore_index=True
    )
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
    if len(chosen) > 1:
        ap.shared_legend(fig, axes, ap.distribution_key())
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
    if len(chosen) > 1:
        ap.shared_legend(fig, axes, ap.difference_key(), ncol=3)
    fig.suptitle(f"Differences from {order[0]}: mean and median, with paired bootstrap 95 % intervals")
    written["compare_differences"] = save_figure(fig, folder / "compare_differences.png")

    objectives = objective_rows(table, names)
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
    table: pd.DataFrame,
    figures: dict[str, Path],
    summary: dict,
    names: dict[str, str],
    metrics: list[str] | None = None,
) -> Path:
    """`out_dir/report.html`: the scenarios, the figures, every outcome's change, the objectives.

    `summary` is the comparison's `summary.json` (its scenarios, seed, runs, provenance);
    `names` maps objective keys to settlement names.
    """
    scenarios = summary["scenarios"]
    baseline = summary["baseline"]
    labels = [s["label"] for s in scenarios]
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
                    f"{esc(metric_heading(metric))}<br><small>column <code>{esc(metric)}</code></small>",
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
                f"{esc(metric_heading(m))} ({number_for_page(table.loc[table['metric'] == m, 'p5'].iloc[0])})"
                for m in constant
            )
            + ".</p>"
        )
    objectives = objective_rows(table, names)
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
    scenario_table = table_html(
        ["Label (sub-folder)", "Scenario", "File", "sha256"],
        [
            [
                f"<code>{esc(s['label'])}/</code>",
                esc(s["name"]),
                f"<code>{esc(s['file'])}</code>",
                f"<code>{esc(s['sha256'][:16])}…</code>",
            ]
            for s in scenarios
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
            scenario_table
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
        *[(f"Scenario {s['label']}", f"{s['name']} — {s['file']} (sha256 {s['sha256']})") for s in scenarios],
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
