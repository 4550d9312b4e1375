"""The study report: one self-contained HTML page with the plots, tables and provenance.

`write_report` turns the summary of a study (the content of `summary.json`) and its
plot files into `report.html`: inline CSS, PNGs embedded as base64 data URIs, no
scripts and no links to anything outside the page, so it can be mailed, archived or
shown on a projector offline. Every piece of text from the scenario or the summary
is escaped.

`write_analysis_report` builds the same kind of page for a comparison, a sweep or a
sensitivity study (`sim.analysis`): one section per analysis, then provenance, from
pieces made with `figure_html`, `table_html` and `interval_text`.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.output import atomic_write_text

HEADLINE = (
    "ua_area_km2",
    "ua_area_change_km2",
    "ua_objectives_held",
    "ua_casualties",
    "ru_casualties",
    "dprk_casualties",
    "ua_vehicles_lost",
    "ru_vehicles_lost",
    "dprk_vehicles_lost",
)
"""The outcomes of the headline table, when the summary has them."""

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
        "One dot per run; the box spans the middle 50 % of runs and the line inside it is the median.",
    ),
    "casualties_by_cause": (
        "What caused the casualties",
        "Mean casualties per run, stacked by the phase that caused them: ground combat, artillery, "
        "air (glide bombs) and drones. Means add up across causes; medians would not.",
    ),
    "air_superiority": (
        "Air superiority",
        "Each side's air-superiority index per turn: the share of sorties it flew, times the share not "
        "shot down, times the chance a sortie met no enemy air defence. Above the dashed line the side "
        "held air superiority that day; grounded days score zero for both.",
    ),
    "supply": (
        "Supply",
        "Mean supply of each side's units per turn (1 = all it needs), median and bands across runs; "
        "the dotted line is the share of traffic getting through the main supply route.",
    ),
    "objectives": (
        "Objective settlements",
        "Blue length = share of runs in which Ukraine holds the settlement at the end of the run.",
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
        "The map as the model sees it (terrain per hex, rivers, roads, border, starting line of control): "
        "hold it against a real map to judge what the model leaves out.",
    ),
}

STATS = ("mean", "std", "p5", "p25", "p50", "p75", "p95")

HONEST_NOTE = (
    "This is a teaching model built from public information, not a forecast. Every outcome below is "
    "a distribution over many runs of the same scenario with different random draws: read the spread, "
    "not just the middle, and question the assumptions before the numbers."
)

CSS = """
:root { --ua: #1f6fbf; --ru: #d62728; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 20px; line-height: 1.45;
       color: var(--ink); background: #fff; margin: 0 auto; padding: 1.5em 2em 4em; max-width: 1280px; }
h1 { font-size: 2em; margin: 0.2em 0 0.1em; }
h2 { font-size: 1.4em; margin: 1.8em 0 0.5em; border-bottom: 3px solid var(--ua); padding-bottom: 0.15em; }
h3 { font-size: 1.15em; margin: 1.4em 0 0.3em; }
p.lead { font-size: 1.05em; color: var(--muted); margin-top: 0; }
.note { background: #fff7d6; border-left: 8px solid #e0b000; padding: 0.7em 1em; margin: 1em 0; }
.alert { background: #fde2e1; border-left: 8px solid var(--ru); padding: 0.7em 1em; margin: 1em 0;
         font-weight: bold; }
table { border-collapse: collapse; margin: 0.5em 0 1em; width: 100%; }
th, td { padding: 0.35em 0.7em; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: #f1f4f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.headline td { font-size: 1.15em; }
table.full { font-size: 0.8em; }
figure { margin: 1em 0 2em; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: 0.95em; color: var(--muted); margin-top: 0.3em; }
.bar { background: #f3c4c4; height: 1em; width: 100%; min-width: 8em; }
.bar span { display: block; height: 100%; background: var(--ua); }
dl.prov { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1.2em; font-size: 0.85em; }
dl.prov dt { font-weight: bold; }
dl.prov dd { margin: 0; word-break: break-all; }
code { font-size: 0.95em; }
"""


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _decimals(values) -> int:
    """Decimals for numbers shown side by side: none for whole or large numbers, else 1 or 2."""
    finite = [v for v in map(_float, values) if math.isfinite(v)]
    if not finite or all(v.is_integer() for v in finite) or max(abs(v) for v in finite) >= 100:
        return 0
    return 1 if max(abs(v) for v in finite) >= 1 else 2


def _num(value: Any, decimals: int | None = None) -> str:
    """A number as a table shows it: thousands separated, a true minus sign; a dash if missing."""
    v = _float(value)
    if not math.isfinite(v):
        return "–"
    if decimals is None:
        decimals = _decimals([v])
    return f"{v:,.{decimals}f}".replace("-", "\u2212")


def _description(metric: Mapping[str, Any], name: str) -> str:
    """The metric's description as a sentence head."""
    text = str(metric.get("description") or name)
    return text[:1].upper() + text[1:]


def _duration(seconds: Any) -> str:
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(s):
        return "–"
    if s < 60:
        return f"{s:.1f} s"
    minutes, s = divmod(round(s), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min {s:02d} s" if hours else f"{minutes} min {s:02d} s"


def _with_unit(value: str, unit: str) -> str:
    return f"{value} {_esc(unit)}" if unit and value != "–" else value  # value is already safe


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def _headline(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    rows = []
    for name in HEADLINE:
        m = metrics.get(name)
        if not m:
            continue
        unit = m.get("unit", "")
        d = _decimals([m.get("p5"), m.get("p50"), m.get("p95")])
        interval = f"{_num(m.get('p5'), d)} to {_num(m.get('p95'), d)}"
        rows.append(
            f"<tr><td>{_esc(_description(m, name))}</td>"
            f"<td class=num><strong>{_with_unit(_num(m.get('p50'), d), unit)}</strong></td>"
            f"<td class=num>{_with_unit(interval, unit)}</td></tr>"
        )
    if not rows:
        return "<p>No outcomes were recorded.</p>"
    return (
        "<table class=headline><thead><tr><th>Outcome at the end of the run</th><th class=num>Median</th>"
        "<th class=num>90 % of runs between</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _full_table(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    if not metrics:
        return "<p>No outcomes were recorded.</p>"
    head = "".join(f"<th class=num>{s}</th>" for s in STATS)
    rows = []
    for name, m in metrics.items():
        d = _decimals([m.get(s) for s in STATS])
        cells = "".join(f"<td class=num>{_num(m.get(s), d)}</td>" for s in STATS)
        rows.append(
            f"<tr><td><code>{_esc(name)}</code><br>{_esc(_description(m, name))}</td>"
            f"<td>{_esc(m.get('unit', ''))}</td>{cells}</tr>"
        )
    return (
        f"<table class=full><thead><tr><th>Metric</th><th>Unit</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
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
            f"<tr><td>{_esc(o.get('name', key))}</td><td class=num><strong>{share}</strong></td>"
            f'<td><div class=bar><span style="width:{width}%"></span></div></td></tr>'
        )
    return (
        "<table><thead><tr><th>Settlement</th><th class=num>Ukraine holds it at the end</th>"
        "<th>Share of runs (blue: Ukraine, red: the Russian side)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _figures(plots: Mapping[str, Path]) -> str:
    known = [name for name in PLOT_CAPTIONS if name in plots]
    ordered = known + [name for name in plots if name not in PLOT_CAPTIONS]
    parts = []
    for name in ordered:
        title, caption = PLOT_CAPTIONS.get(name, (name.replace("_", " ").capitalize(), ""))
        parts.append(
            f'<figure id="plot-{_esc(name)}"><h3>{_esc(title)}</h3>'
            f'<img src="{_data_uri(plots[name])}" alt="{_esc(title)}">'
            + (f"<figcaption>{_esc(caption)}</figcaption>" if caption else "")
            + "</figure>"
        )
    return "".join(parts) if parts else "<p>No plots were made.</p>"


def _reported(items: list) -> str:
    """History compared: each reported figure beside the model's distribution, good or bad."""
    if not items:
        return ""
    rows = []
    for item in items:
        verdict = "inside" if item.get("median_inside_band") else "outside"
        if not item.get("expect_match", True):
            verdict += " (a known miss of the model)"
        rows.append(
            "<tr>"
            f"<td><code>{_esc(item['metric'])}</code></td><td class=num>{_esc(item['turn'])}</td>"
            f"<td class=num>{_num(item['value'])}</td>"
            f"<td class=num>{_num(item['low'])} to {_num(item['high'])}</td>"
            f"<td class=num>{_num(item['model_p50'])}</td>"
            f"<td class=num>{_num(item['model_p5'])} to {_num(item['model_p95'])}</td>"
            f"<td>{verdict}</td><td>{_esc(item['source'])}</td>"
            "</tr>"
        )
    return (
        "<section id=history>\n<h2>History compared</h2>\n"
        "<p>What was publicly reported, the band the model's median is expected to fall in, and what the "
        "model gives. Reported figures are claims or estimates with their own uncertainty; a median outside "
        "its band is shown as it is.</p>\n"
        "<table><thead><tr><th>outcome</th><th class=num>turn</th><th class=num>reported</th>"
        "<th class=num>band</th><th class=num>model median</th><th class=num>model 90 % of runs</th>"
        "<th>median in band?</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n</section>"
    )


def _provenance(summary: Mapping[str, Any]) -> str:
    scenario = summary.get("scenario", {}) or {}
    completed, requested = summary.get("runs_completed"), summary.get("runs_requested")
    items = [
        ("Scenario", scenario.get("name")),
        ("Scenario file", scenario.get("file")),
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
    body = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v if v is not None else '–')}</dd>" for k, v in items)
    return f"<dl class=prov>{body}</dl>"


def render_report(summary: Mapping[str, Any], plots: Mapping[str, Path]) -> str:
    """The report page as a string (see `write_report`)."""
    scenario = summary.get("scenario", {}) or {}
    name = scenario.get("name") or "unnamed scenario"
    metrics = summary.get("metrics", {}) or {}
    completed, requested = summary.get("runs_completed"), summary.get("runs_requested")
    alert = ""
    if summary.get("interrupted"):
        alert = (
            f"<p class=alert>This study was interrupted: {_esc(completed)} of {_esc(requested)} runs "
            "finished. "
            "Everything below describes only the finished runs.</p>"
        )
    description = scenario.get("description")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(name)}: study report</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{_esc(name)}</h1>
<p class=lead>Study report: {_esc(completed)} run{"" if completed == 1 else "s"},
seed {_esc(summary.get("seed"))}, created {_esc(summary.get("created"))}</p>
{f"<p>{_esc(description)}</p>" if description else ""}
<p class=note>{_esc(HONEST_NOTE)}</p>
{alert}
</header>
<main>
<section id=headline>
<h2>Headline outcomes</h2>
{_headline(metrics)}
</section>
<section id=plots>
<h2>Plots</h2>
{_figures(plots)}
</section>
{_reported(summary.get("reported") or [])}
<section id=objectives>
<h2>Objective settlements</h2>
{_objectives(summary.get("objectives", {}) or {})}
</section>
<section id=metrics>
<h2>Every outcome</h2>
<p>Statistics over runs: mean, standard deviation (std) and percentiles (p5: 5 % of runs are lower).</p>
{_full_table(metrics)}
</section>
<section id=provenance>
<h2>Provenance</h2>
<p>Everything needed to reproduce these numbers: the same scenario file (same sha256) and seed give the
same runs.</p>
{_provenance(summary)}
</section>
</main>
</body>
</html>
"""


def write_report(out_dir: str | Path, summary: Mapping[str, Any], plots: Mapping[str, Path]) -> Path:
    """Write `out_dir/report.html` atomically: one self-contained page; returns its path."""
    path = Path(out_dir) / "report.html"
    return atomic_write_text(path, render_report(summary, plots))


# --------------------------------------------------------------------------- analyses

esc = _esc
num = _num


def interval_text(estimate: Any, low: Any, high: Any, unit: str = "", decimals: int | None = None) -> str:
    """`+12 km² (−3 to +27)`: an estimate with its interval, signed, as safe HTML; bold when the
    interval excludes 0 (the change is told apart from the randomness of the runs)."""
    values = [estimate, low, high]
    d = _decimals(values) if decimals is None else decimals

    def signed(v: Any) -> str:
        if math.isfinite(_float(v)) and round(_float(v), d) == 0:
            v = 0.0  # no "−0.0"
        text = _num(v, d)
        return text if text.startswith("\u2212") or text == "–" or _float(v) == 0 else "+" + text

    if not math.isfinite(_float(estimate)):
        return "–"
    main = _with_unit(signed(estimate), unit)
    if not (math.isfinite(_float(low)) and math.isfinite(_float(high))):
        return main
    text = f"{main}<br><span class=ci>({signed(low)} to {signed(high)})</span>"
    excludes_zero = _float(low) > 0 or _float(high) < 0
    return f"<strong>{text}</strong>" if excludes_zero else text


def figure_html(name: str, path: Path, title: str, caption: str = "") -> str:
    """One embedded PNG with its heading and caption."""
    return (
        f'<figure id="plot-{_esc(name)}"><h3>{_esc(title)}</h3>'
        f'<img src="{_data_uri(path)}" alt="{_esc(title)}">'
        + (f"<figcaption>{_esc(caption)}</figcaption>" if caption else "")
        + "</figure>"
    )


def table_html(
    header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), css: str = ""
) -> str:
    """A table; header cells are escaped here, body cells must already be safe HTML."""

    def cls(i: int) -> str:
        return " class=num" if i in numeric else ""

    head = "".join(f"<th{cls(i)}>{_esc(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f"<table{' class=' + css if css else ''}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


ANALYSIS_CSS = """
span.ci { color: var(--muted); font-size: 0.85em; }
th.num { white-space: normal; }
td.sig { font-weight: bold; }
p.method { font-size: 0.9em; color: var(--muted); }
"""


def render_analysis_report(
    title: str,
    lead: str,
    sections: list[tuple[str, str, str]],
    provenance: list[tuple[str, Any]],
    *,
    interrupted: str | None = None,
) -> str:
    """A self-contained page for a comparison, sweep or sensitivity study.

    `sections` are `(id, heading, body)` with `body` safe HTML (built with `esc`,
    `table_html`, `figure_html`); one section per analysis, then the provenance.
    """
    alert = f"<p class=alert>{_esc(interrupted)}</p>" if interrupted else ""
    parts = "".join(
        f"<section id={_esc(sid)}>\n<h2>{_esc(heading)}</h2>\n{body}\n</section>\n"
        for sid, heading, body in sections
    )
    prov = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v if v is not None else '–')}</dd>" for k, v in provenance)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{CSS}{ANALYSIS_CSS}</style>
</head>
<body>
<header>
<h1>{_esc(title)}</h1>
<p class=lead>{_esc(lead)}</p>
<p class=note>{_esc(HONEST_NOTE)}</p>
{alert}
</header>
<main>
{parts}<section id=provenance>
<h2>Provenance</h2>
<p>Everything needed to reproduce these numbers: the same scenario files (same sha256), options and seed give
the same runs.</p>
<dl class=prov>{prov}</dl>
</section>
</main>
</body>
</html>
"""


def write_analysis_report(
    out_dir: str | Path,
    title: str,
    lead: str,
    sections: list[tuple[str, str, str]],
    provenance: list[tuple[str, Any]],
    *,
    interrupted: str | None = None,
) -> Path:
    """Write `out_dir/report.html` (see `render_analysis_report`) atomically; returns its path."""
    path = Path(out_dir) / "report.html"
    return atomic_write_text(
        path, render_analysis_report(title, lead, sections, provenance, interrupted=interrupted)
    )
