"""The page of a sensitivity study: the tornado, Morris or Sobol figures and `report.html`.

`sim.analysis.sensitivity` plays the designs and ranks the parameters
(`tornado.csv`, `morris.csv`, `sobol.csv`); this module draws the rankings with
`sim.report.analysis_figures` and lays out the page with `sim.report.html`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.report import analysis_figures as ap
from sim.report.canvas import new_figure, save_figure
from sim.report.html import esc, figure_html, interval_text, table_html, write_analysis_report
from sim.report.parameters import VariedParameter
from sim.report.style import metric_description, metric_unit, number_for_page, short_title


def make_sensitivity_plots(
    out_dir: Path, tornado: pd.DataFrame, global_table: pd.DataFrame, main: str, method: str | None
) -> dict[str, Path]:
    """The tornado of the main outcome, and its Morris or Sobol ranking, into `out_dir/plots`."""
    folder = out_dir / "plots"
    folder.mkdir(exist_ok=True)
    written: dict[str, Path] = {}
    if len(tornado):
        rows = tornado[tornado["metric"] == main]
        fig = new_figure((10, 1.8 + 0.62 * max(len(rows), 3)))
        ap.plot_tornado(rows, ax=fig.subplots(), metric=main)
        written["tornado"] = save_figure(fig, folder / "tornado.png")
    if len(global_table) and method:
        rows = global_table[global_table["metric"] == main]
        fig = new_figure((10, 1.8 + 0.55 * max(len(rows), 3)))
        (ap.plot_morris if method == "morris" else ap.plot_sobol)(rows, ax=fig.subplots(), metric=main)
        written[method] = save_figure(fig, folder / f"{method}.png")
    return written


CAPTIONS = {
    "tornado": (
        "One parameter at a time (tornado)",
        "Each bar runs from the outcome's mean in the scenario as written (black line) to its mean with one "
        "parameter at the low (light) or high (dark) end of its range, the others unchanged; whiskers are "
        "95 % intervals of the change (paired bootstrap over runs sharing a seed). Largest swing on top.",
    ),
    "morris": (
        "Morris elementary effects",
        "μ*: how much the outcome's mean moves, on average, when one parameter steps across its range while "
        "the others sit anywhere in theirs; σ: how much that effect depends on the others (interactions or "
        "non-linearity). Bars: 95 % bootstrap intervals of μ*.",
    ),
    "sobol": (
        "Sobol indices",
        "Share of the variance of the outcome's mean over the parameter ranges due to each parameter alone "
        "(S1) and with its interactions (ST), with 95 % intervals. Small samples give wide intervals.",
    ),
}


def write_sensitivity_report(
    out_dir: Path,
    tornado: pd.DataFrame,
    global_table: pd.DataFrame,
    figures: dict[str, Path],
    info: dict[str, Any],
    factors: list[VariedParameter],
) -> Path:
    """`out_dir/report.html`: the parameters, the rankings with their figures and tables, the provenance.

    `info` is the study's `summary.json`; `factors` the parameters varied, in the order given.
    """
    main = info["main_outcome"]
    unit = metric_unit(main)
    params = table_html(
        ["Parameter", "Unit", "Value in the scenario", "Low", "High"],
        [
            [
                f"<code>{esc(f.path)}</code>"
                + (f"<br>{esc(f.field.description)}" if f.field.description else ""),
                esc(f.field.unit or ""),
                esc(f.field.current),
                esc(f.low),
                esc(f.high),
            ]
            for f in factors
        ],
        numeric={2, 3, 4},
    )
    sections = []
    body = params
    if "tornado" in figures:
        body += figure_html("tornado", figures["tornado"], *CAPTIONS["tornado"])
    rows = []
    for _, r in tornado[tornado["metric"] == main].iterrows() if len(tornado) else []:
        rows.append(
            [
                str(int(r["rank"])),
                f"<code>{esc(r['parameter'])}</code>",
                interval_text(r["diff_low"], r["diff_low_low"], r["diff_low_high"], unit),
                interval_text(r["diff_high"], r["diff_high_low"], r["diff_high_high"], unit),
                interval_text(r["swing"], r["swing_low"], r["swing_high"], unit),
                "yes" if r["distinguishable"] else "no (within the noise)",
            ]
        )
    if rows:
        body += "<h3>Ranked by influence (one at a time)</h3>" + table_html(
            [
                "Rank",
                "Parameter",
                "Change at the low end",
                "Change at the high end",
                "Swing (high minus low)",
                "Told apart from noise",
            ],
            rows,
            numeric={0, 2, 3, 4},
        )
    sections.append(("sensitivity", f"One at a time: {metric_description(main)}", body))
    method = next((m for m in ("morris", "sobol") if m in info["method"]), None)
    if method and len(global_table):
        g = global_table[global_table["metric"] == main]
        if method == "morris":
            header = ["Rank", "Parameter", "μ*", "95 % ±", "σ", "μ (signed)"]
            grows = [
                [
                    str(int(r["rank"])),
                    f"<code>{esc(r['parameter'])}</code>",
                    number_for_page(r["mu_star"]),
                    number_for_page(r["mu_star_conf"]),
                    number_for_page(r["sigma"]),
                    number_for_page(r["mu"]),
                ]
                for _, r in g.iterrows()
            ]
        else:
            header = ["Rank", "Parameter", "ST", "ST 95 % ±", "S1", "S1 95 % ±"]
            grows = [
                [
                    str(int(r["rank"])),
                    f"<code>{esc(r['parameter'])}</code>",
                    number_for_page(r["ST"], 2),
                    number_for_page(r["ST_conf"], 2),
                    number_for_page(r["S1"], 2),
                    number_for_page(r["S1_conf"], 2),
                ]
                for _, r in g.iterrows()
            ]
        gbody = (
            f"<p class=method>{esc(method.capitalize())} design from SALib: "
            f"{info['points'] - 1 - 2 * len(factors)} "
            f"points x {info['runs_per_point']} runs; the output at each point is the mean of "
            f"{esc(short_title(main))} over its runs.</p>"
        )
        if method in figures:
            gbody += figure_html(method, figures[method], *CAPTIONS[method])
        gbody += table_html(header, grows, numeric={0, 2, 3, 4, 5})
        sections.append((method, f"Global ({method.capitalize()}): {metric_description(main)}", gbody))
    provenance = [
        ("Scenario", info["scenario"]["name"]),
        ("Scenario file", info["scenario"]["file"]),
        ("Scenario sha256 (the base)", info["scenario"]["sha256"]),
        ("--set", " ".join(info["scenario"]["overrides"]) or "none"),
        ("Master seed", info["seed"]),
        ("Design points x runs", f"{info['points']} x {info['runs_per_point']}"),
        ("Runs completed", info["runs_completed"]),
        ("Worker processes", info["workers"]),
        ("Package version", info["version"]),
        ("Wall time", f"{info['wall_time_s']:.1f} s"),
        ("Created", info["created"]),
    ]
    interrupted = (
        "This study was interrupted: the ranking covers only the parameters whose points finished."
        if info["interrupted"]
        else None
    )
    return write_analysis_report(
        out_dir,
        f"{info['scenario']['name']}: what moves {short_title(main)}",
        f"{len(factors)} parameters, {info['runs_per_point']} runs per point, seed {info['seed']}",
        sections,
        provenance,
        interrupted=interrupted,
    )
