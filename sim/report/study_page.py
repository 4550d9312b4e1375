"""The study report: `report.html` of one scenario's runs, with its plots, tables and provenance.

`write_report` turns the summary of a study (the content of `summary.json`) and its
plot files into one self-contained page (`sim.report.html`): the headline outcomes,
the plots with their captions, history compared, the objectives, every outcome's
statistics and the provenance.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.battle.metrics import METRICS
from sim.output import atomic_write_text
from sim.report.html import HONEST_NOTE, esc, figure_html, page_html, provenance_html, toc_html, with_unit
from sim.report.style import (
    HEADLINE_METRICS,
    as_float,
    decimals_for,
    metric_heading,
    metric_unit,
    number_for_page,
    settlement_label,
)

PLOT_CAPTIONS = {
    "histograms": (
        "Outcomes at the end",
        "Each bar counts runs; the black line is the median and the grey band holds the middle "
        "90 % of runs. A wide spread means the outcome is uncertain, not that the model is broken.",
    ),
    "area_fan_chart": (
        "Area over time",
        "The line is the median run's area turn by turn; the dark band holds the middle 50 % of runs, "
        "the light band the middle 90 %. No single run follows the median line.",
    ),
    "casualties": (
        "Casualties by nation",
        "One dot per run, in a strip beside each nation's box; the box spans the middle 50 % of runs, the "
        "whiskers 5–95 %, and the line inside it is the median (its value printed beside it). A nation with "
        "no casualties in any run is left out.",
    ),
    "casualties_by_cause": (
        "What caused the casualties",
        "Mean casualties per run, stacked by the phase that caused them: ground combat, artillery, "
        "air (glide bombs) and drones. Means add up across causes; medians would not.",
    ),
    "air_superiority": (
        "Air superiority",
        "Each side's air-superiority index day by day: the share of sorties it flew, times the share not "
        "shot down, times the chance a sortie met no enemy air defence. At or above the dashed line the "
        "side holds air superiority that day; the dotted line is the share of runs in which it does, and "
        "the title gives the share of days each side held it. A day without flying keeps the index of "
        "the day before.",
    ),
    "supply": (
        "Supply",
        "Mean supply of each side's units per turn (1 = all it needs), median and bands across runs; "
        "the dotted line is the share of traffic getting through the main supply route.",
    ),
    "objectives": (
        "Contested objectives",
        "Blue length = share of runs in which Ukraine holds the settlement at the end of the run, for the "
        "objectives either side may end up holding; those held by the same side in (nearly) every run "
        "are named under the bars. The table below lists every objective.",
    ),
    "control_probability": (
        "Who holds each hex at the end",
        "Blue hexes stayed Ukrainian in most runs, red ones went to the Russian side, pale ones could "
        "go either way; the dashed line is the front at the start.",
    ),
    "cut_off_probability": (
        "Where units end up cut off",
        "Share of runs in which Ukraine still held the hex at the end but had no supply route to it: "
        "the pockets that logistics, not assaults, decide.",
    ),
    "ew_coverage": (
        "Electronic-warfare coverage",
        "For one run at the chosen turn, the chance that a radio-controlled drone over each hex is jammed "
        "by each side's jammers (triangles). Fibre-optic drones ignore it.",
    ),
    "scenario_map": (
        "The scenario map",
        "The map as the model sees it (terrain per hex, rivers, roads, border, starting line of control) "
        "and the starting order of battle: every unit, battery, air-defence unit, drone team and jammer "
        "in its starting hex, coloured by nation and shaped by kind (hollow: arrives later). Hold it "
        "against a real map to judge what the model leaves out.",
    ),
}

STATS = ("mean", "std", "p5", "p25", "p50", "p75", "p95")
"""The statistics of the table of every outcome, in its column order."""


def _description(metric: Mapping[str, Any], name: str) -> str:
    """The outcome's description as a sentence head: from the catalogue (`sim.battle.metrics`), else
    as the summary gives it."""
    text = METRICS[name].description if name in METRICS else str(metric.get("description") or name)
    return text[:1].upper() + text[1:]


def _heading(metric: Mapping[str, Any], name: str) -> str:
    """The outcome's description with its unit, from the catalogue where it knows the outcome."""
    if name in METRICS:
        return metric_heading(name)
    unit = metric.get("unit") or ""
    return f"{_description(metric, name)} ({unit})" if unit else _description(metric, name)


def _zero_everywhere(m: Mapping[str, Any]) -> bool:
    """0 in every run: mean, spread and the upper percentile all 0 (outcomes are never negative there)."""
    values = [as_float(m.get(k)) for k in ("mean", "std", "p5", "p95")]
    return all(v == 0 for v in values)


def _left_out(names: list[str], metrics: Mapping[str, Mapping[str, Any]]) -> str:
    if not names:
        return ""
    listed = ", ".join(esc(_description(metrics[n], n)) for n in names)
    return f"<p class=left-out>Left out, 0 in every run: {listed}.</p>"


def _duration(seconds: Any) -> str:
    """`12.3 s`, `4 min 05 s`, `1 h 02 min 03 s`; a dash if missing."""
    s = as_float(seconds)
    if not math.isfinite(s):
        return "–"
    if s < 60:
        return f"{s:.1f} s"
    minutes, s = divmod(round(s), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min {s:02d} s" if hours else f"{minutes} min {s:02d} s"


def _headline(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    rows, zero = [], []
    for name in HEADLINE_METRICS:
        m = metrics.get(name)
        if not m:
            continue
        if _zero_everywhere(m):
            zero.append(name)
            continue
        unit = m.get("unit", "")
        d = decimals_for([m.get("p5"), m.get("p50"), m.get("p95")])
        interval = f"{number_for_page(m.get('p5'), d)} to {number_for_page(m.get('p95'), d)}"
        rows.append(
            f"<tr><td>{esc(_description(m, name))}</td>"
            f"<td class=num><strong>{with_unit(number_for_page(m.get('p50'), d), unit)}</strong></td>"
            f"<td class=num>{with_unit(interval, unit)}</td></tr>"
        )
    if not rows:
        return "<p>No outcomes were recorded.</p>" + _left_out(zero, metrics)
    return (
        "<table class=headline><thead><tr><th>Outcome at the end of the run</th><th class=num>Median</th>"
        "<th class=num>90 % of runs between</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + _left_out(zero, metrics)
    )


def _full_table(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    if not metrics:
        return "<p>No outcomes were recorded.</p>"
    head = "".join(f"<th class=num>{s}</th>" for s in STATS)
    rows, zero = [], []
    for name, m in metrics.items():
        if _zero_everywhere(m):
            zero.append(name)
            continue
        d = decimals_for([m.get(s) for s in STATS])
        cells = "".join(f"<td class=num>{number_for_page(m.get(s), d)}</td>" for s in STATS)
        rows.append(
            f"<tr><td>{esc(_heading(m, name))}<br><small>column <code>{esc(name)}</code></small></td>"
            f"{cells}</tr>"
        )
    return (
        f"<table class=full><thead><tr><th>Outcome (unit)</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>" + _left_out(zero, metrics)
    )


def _objectives(objectives: Mapping[str, Mapping[str, Any]]) -> str:
    if not objectives:
        return "<p>This scenario has no objective settlements.</p>"

    def p_of(item):
        try:
            p = float(item[1].get("p_ua_holds"))
        except (TypeError, ValueError):
            return -1.0
        return p if math.isfinite(p) else -1.0

    rows = []

    def order(item):
        return -p_of(item), str(item[1].get("name", item[0]))

    for key, o in sorted(objectives.items(), key=order):
        p = p_of((key, o))
        share = f"{p * 100:.0f} %" if p >= 0 else "–"
        width = f"{max(p, 0) * 100:.1f}"
        rows.append(
            f"<tr><td>{esc(o.get('name', key))}</td><td class=num><strong>{share}</strong></td>"
            f'<td><div class=bar><span style="width:{width}%"></span></div></td></tr>'
        )
    return (
        "<table><thead><tr><th>Settlement</th><th class=num>Ukraine holds it at the end</th>"
        "<th>Share of runs (blue: Ukraine, red: the Russian side)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


OWN_SECTION_PLOTS = {"objectives": "objectives", "change_days": "history"}
"""Plots shown in the section about their subject rather than among the plots: each subject once."""


def _plot_order(plots: Mapping[str, Path]) -> list[str]:
    known = [name for name in PLOT_CAPTIONS if name in plots]
    return [
        n for n in known + [name for name in plots if name not in PLOT_CAPTIONS] if n not in OWN_SECTION_PLOTS
    ]


def _plot_title(name: str) -> str:
    return PLOT_CAPTIONS.get(name, (name.replace("_", " ").capitalize(), ""))[0]


def _figure(plots: Mapping[str, Path], name: str) -> str:
    if name not in plots:
        return ""
    title, caption = PLOT_CAPTIONS.get(name, (_plot_title(name), ""))
    return figure_html(name, plots[name], title, caption)


def _figures(plots: Mapping[str, Path]) -> str:
    parts = [_figure(plots, name) for name in _plot_order(plots)]
    return "".join(parts) if parts else "<p>No plots were made.</p>"


def _date_text(value: Any) -> str:
    """`2025-01-07` -> `7 Jan 2025`; anything else as it is."""
    try:
        d = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d.day} {d:%b %Y}"


def _when(item: Mapping[str, Any], start_date: Any = None) -> str:
    """The date of a reported item: its own, else the scenario's start plus its day; a day number
    only when the scenario has no calendar."""
    if item.get("date"):
        return esc(_date_text(item["date"]))
    day = as_float(item.get("day"))
    if start_date and math.isfinite(day):
        try:
            return esc(
                _date_text((dt.date.fromisoformat(str(start_date)) + dt.timedelta(days=day)).isoformat())
            )
        except ValueError:
            pass
    return esc(f"day {number_for_page(day)}" if math.isfinite(day) else f"turn {item.get('turn')}")


def _source_row(text: Any, columns: int) -> str:
    """The source of a reported item, on a row of its own under it: a full-width line, not a column
    squeezed to a word a line."""
    return f"<tr class=source><td colspan={columns}>Source: {esc(text)}</td></tr>"


def _reported(
    items: list,
    *,
    start_date: Any = None,
    names: Mapping[str, str] | None = None,
    plots: Mapping[str, Path] | None = None,
) -> str:
    """History compared: each reported figure and place beside the model's runs, good or bad, by date."""
    if not items:
        return ""
    held_out = [i for i in items if i.get("holdout")]
    items = [i for i in items if not i.get("holdout")]
    figures = [i for i in items if i.get("kind", "figure") == "figure"]
    places = [i for i in items if i.get("kind") == "place"]
    rows = _figure_rows(figures, start_date)
    holdout_rows = _figure_rows([i for i in held_out if i.get("kind", "figure") == "figure"], start_date)
    place_rows = []
    for item in places:
        verdict = "agrees" if item.get("model_agrees") else "disagrees"
        if not item.get("expect_match", True):
            verdict += " (a known miss of the model)"
        place_rows.append(
            "<tr class=has-source>"
            f"<td>{esc(settlement_label(item['place'], names))}</td>"
            f"<td class=num>{_when(item, start_date)}</td>"
            f"<td>{esc(item['holder'])}</td>"
            f"<td class=num>{number_for_page(100 * item['model_share'], 0)} %</td>"
            f"<td>{verdict}</td>"
            "</tr>" + _source_row(item["source"], 5)
        )
    figure_table = _figure_table(rows) if rows else ""
    place_table = (
        "<h3>Places</h3>\n<p>Who was reported to hold a settlement on a date, and in how many runs the model "
        "has the same side holding it then (it agrees when most runs do).</p>\n"
        "<table class=history><thead><tr><th>Place</th><th class=num>Date</th><th>Reported holder</th>"
        "<th class=num>Runs that agree</th><th>Verdict</th></tr></thead><tbody>"
        + "".join(place_rows)
        + "</tbody></table>\n"
        if place_rows
        else ""
    )
    holdout_table = (
        "<h3>Held-out checks</h3>\n<p>Reported figures marked <code>holdout: true</code>: calibration never "
        "uses them, so they test the model out of sample.</p>\n" + _figure_table(holdout_rows)
        if holdout_rows
        else ""
    )
    return (
        "<section id=history>\n<h2>History compared</h2>\n"
        "<p>What was publicly reported, the band the model's median is expected to fall in, and what the "
        "model gives, at the reported dates. Reported figures are claims or estimates with their own "
        "uncertainty; a median outside its band is shown as it is.</p>\n"
        + figure_table
        + place_table
        + _figure(plots or {}, "change_days")
        + holdout_table
        + "</section>"
    )


def _figure_rows(figures: list, start_date: Any = None) -> list[str]:
    rows = []
    for item in figures:
        verdict = "inside" if item.get("median_inside_band") else "outside"
        if not item.get("expect_match", True):
            verdict += " (a known miss of the model)"
        unit = metric_unit(item["metric"])
        rows.append(
            "<tr class=has-source>"
            f"<td>{esc(metric_heading(item['metric']))}</td><td class=num>{_when(item, start_date)}</td>"
            f"<td class=num>{with_unit(number_for_page(item['value']), unit)}</td>"
            f"<td class=num>{number_for_page(item['low'])} to {number_for_page(item['high'])}</td>"
            f"<td class=num><strong>{with_unit(number_for_page(item['model_p50']), unit)}</strong></td>"
            f"<td class=num>{number_for_page(item['model_p5'])} to {number_for_page(item['model_p95'])}</td>"
            f"<td>{verdict}</td>"
            "</tr>" + _source_row(item["source"], 7)
        )
    return rows


def _figure_table(rows: list[str]) -> str:
    return (
        "<table class=history><thead><tr><th>Outcome (unit)</th><th class=num>Date</th>"
        "<th class=num>Reported</th>"
        "<th class=num>Band</th><th class=num>Model median</th><th class=num>Model, 90 % of runs</th>"
        "<th>Median in band?</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n"
    )


def _inputs(summary: Mapping[str, Any]) -> str:
    """The uncertain inputs, what each run drew, and how much of the spread they explain."""
    inputs = summary.get("inputs") or []
    if not inputs:
        return ""
    rows = []
    for item in inputs:
        dist = item["dist"]
        shape = ", ".join(
            f"{k} {number_for_page(v) if not isinstance(v, list) else v}"
            for k, v in dist.items()
            if k != "dist"
        )
        drawn = item.get("drawn") or {}
        rows.append(
            f"<tr><td><code>{esc(item['name'])}</code></td><td>{esc(dist['dist'])} ({esc(shape)})</td>"
            f"<td class=num>{number_for_page(item['centre'])}</td>"
            f"<td class=num>{number_for_page(drawn.get('p5'))} to {number_for_page(drawn.get('p95'))}</td>"
            f"<td>{esc(item.get('source') or 'not given')}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>input</th><th>distribution</th><th class=num>centre</th>"
        "<th class=num>drawn, 90 % of runs</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n"
    )
    spread = summary.get("spread") or {}
    split_rows = []
    for key, v in (spread.get("outcomes") or {}).items():
        if "variance" not in v:
            continue
        split_rows.append(
            f"<tr><td>{esc(metric_heading(key))}</td>"
            f"<td class=num>{number_for_page(math.sqrt(v['variance']))}</td>"
            f"<td class=num>{number_for_page(100 * v['inputs_share'], 0)} %</td>"
            f"<td class=num>{number_for_page(100 * (1 - v['inputs_share']), 0)} %</td>"
            f"<td class=num>{v['draws']} x {v['runs_per_draw']}</td></tr>"
        )
    split = (
        "<h3>Where the spread comes from</h3>\n<p>Each draw of the inputs was played several times, so "
        "the variance of each outcome splits into the part the uncertain inputs explain and the part "
        f"that is the model's own randomness ({esc(spread.get('method', ''))}). The fan chart outlines "
        "the band of the randomness alone.</p>\n"
        "<table><thead><tr><th>outcome</th><th class=num>sd</th><th class=num>from the inputs</th>"
        "<th class=num>from the dice</th><th class=num>draws x runs</th></tr></thead><tbody>"
        + "".join(split_rows)
        + "</tbody></table>\n"
        if split_rows
        else ""
    )
    return (
        "<section id=inputs>\n<h2>Uncertain inputs</h2>\n<p>These fields are given as distributions; "
        "each run drew its own values (the columns of <code>runs.csv</code> named after them).</p>\n"
        + table
        + split
        + "</section>"
    )


def _provenance(summary: Mapping[str, Any]) -> str:
    scenario = summary.get("scenario", {}) or {}
    completed, requested = summary.get("runs_completed"), summary.get("runs_requested")
    items = [
        ("Scenario", scenario.get("name")),
        ("Scenario file", scenario.get("file")),
        ("Changed with --set", "; ".join(summary.get("overrides") or []) or "nothing"),
        ("Command", summary.get("command") or "not recorded (run from Python)"),
        ("Scenario sha256", scenario.get("sha256")),
        ("Master seed", summary.get("seed")),
        ("Runs completed / requested", f"{completed} / {requested}"),
        (
            "Status",
            "interrupted: only the finished runs are counted" if summary.get("interrupted") else "complete",
        ),
        ("Worker processes", summary.get("workers")),
        ("Package version", summary.get("version")),
        ("Wall time", _duration(summary.get("wall_time_s"))),
        ("Created", summary.get("created")),
    ]
    for key in ("turns", "turn_hours", "start_date"):
        if scenario.get(key) is not None:
            items.append((key.replace("_", " ").capitalize(), scenario.get(key)))
    return provenance_html(items)


def _changes(summary: Mapping[str, Any]) -> str:
    """What this study changed from the scenario file: a variant's report says so at the top."""
    overrides = summary.get("overrides") or []
    if not overrides:
        return ""
    items = "".join(f"<li><code>--set {esc(o)}</code></li>" for o in overrides)
    return f"<div class=alert><p>This study changed the scenario file:</p><ul>{items}</ul></div>"


def render_report(summary: Mapping[str, Any], plots: Mapping[str, Path]) -> str:
    """The report page as a string (see `write_report`)."""
    scenario = summary.get("scenario", {}) or {}
    name = scenario.get("name") or "unnamed scenario"
    metrics = summary.get("metrics", {}) or {}
    completed, requested = summary.get("runs_completed"), summary.get("runs_requested")
    alert = ""
    if summary.get("interrupted"):
        alert = (
            f"<p class=alert>This study was interrupted: {esc(completed)} of {esc(requested)} runs "
            "finished. "
            "Everything below describes only the finished runs.</p>"
        )
    description = scenario.get("description")
    header = f"""<h1>{esc(name)}</h1>
<p class=lead>Study report: {esc(completed)} run{"" if completed == 1 else "s"},
seed {esc(summary.get("seed"))}, created {esc(summary.get("created"))}</p>
{f"<p>{esc(description)}</p>" if description else ""}
{_changes(summary)}
<p class=note>{esc(HONEST_NOTE)}</p>
{alert}"""
    reported = summary.get("reported") or []
    objectives = summary.get("objectives", {}) or {}
    names = {k: str(o.get("name", k)) for k, o in objectives.items()}
    history = _reported(reported, start_date=scenario.get("start_date"), names=names, plots=plots)
    inputs = _inputs(summary)
    toc = toc_html(
        [
            ("headline", "Headline outcomes"),
            ("plots", "Plots", [(f"plot-{n}", _plot_title(n)) for n in _plot_order(plots)]),
            *([("history", "History compared")] if history else []),
            *([("inputs", "Uncertain inputs")] if inputs else []),
            ("objectives", "Objective settlements"),
            ("metrics", "Every outcome"),
            ("provenance", "Provenance"),
        ]
    )
    main = f"""{toc}
<section id=headline>
<h2>Headline outcomes</h2>
{_headline(metrics)}
</section>
<section id=plots>
<h2>Plots</h2>
{_figures(plots)}
</section>
{history}
{inputs}
<section id=objectives>
<h2>Objective settlements</h2>
{_figure(plots, "objectives")}
{_objectives(objectives)}
</section>
<section id=metrics>
<h2>Every outcome</h2>
<p>Statistics over runs: mean, standard deviation (std) and percentiles (p5: 5 % of runs are lower);
each outcome's column in <code>runs.csv</code> under its name.</p>
{_full_table(metrics)}
</section>
<section id=provenance>
<h2>Provenance</h2>
<p>Everything needed to reproduce these numbers: the same scenario file (same sha256) and seed give the
same runs.</p>
{_provenance(summary)}
</section>"""
    return page_html(f"{name}: study report", header, main)


def write_report(out_dir: str | Path, summary: Mapping[str, Any], plots: Mapping[str, Path]) -> Path:
    """Write `out_dir/report.html` atomically: one self-contained page; returns its path."""
    path = Path(out_dir) / "report.html"
    return atomic_write_text(path, render_report(summary, plots))
