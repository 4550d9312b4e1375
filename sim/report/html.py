"""The self-contained HTML page: its skeleton, CSS and the pieces every page is built from.

A page has inline CSS, PNGs embedded as base64 data URIs, no scripts and no links
to anything outside it, so it can be mailed, archived or shown on a projector
offline. Every piece of text from a scenario or a summary goes through `esc`.

`page_html` is the skeleton of every page. The pieces: `figure_html` (one embedded
PNG with its caption), `table_html`, `interval_text` (an estimate with its
interval), `with_unit` and `provenance_html`. `render_analysis_report` and
`write_analysis_report` lay out the page of a comparison, a sweep or a sensitivity
study: one section per analysis, then the provenance.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.output import atomic_write_text
from sim.report.style import SIDE_COLOURS, as_float, decimals_for, number_for_page

HONEST_NOTE = (
    "This is a teaching model built from public information, not a forecast. Every outcome below is "
    "a distribution over many runs of the same scenario with different random draws: read the spread, "
    "not just the middle, and question the assumptions before the numbers."
)

CSS = (
    f"\n:root {{ --ua: {SIDE_COLOURS['UA']}; --ru: {SIDE_COLOURS['RU']}; "
    "--ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; }"
    """
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
nav.toc { background: #f6f8fb; border: 1px solid var(--rule); padding: 0.6em 1.2em; margin: 1em 0 1.5em; }
nav.toc h2 { font-size: 1.1em; margin: 0 0 0.3em; border: none; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.4em; columns: 2; column-gap: 2em; }
nav.toc ol ol { columns: 1; font-size: 0.9em; }
nav.toc a { color: var(--ink); }
table.history td:first-child:not([colspan]) { min-width: 11em; }
table.history th { white-space: normal; }
tr.source td { font-size: 0.78em; color: var(--muted); border-top: none; padding-top: 0; }
tr.has-source td { border-bottom: none; }
td small, th small { color: var(--muted); font-weight: normal; }
p.left-out { font-size: 0.9em; color: var(--muted); }
"""
)
"""The pages' style sheet; the sides keep the figures' colours (`SIDE_COLOURS`)."""

ANALYSIS_CSS = """
span.ci { color: var(--muted); font-size: 0.85em; }
th.num { white-space: normal; }
td.sig { font-weight: bold; }
p.method { font-size: 0.9em; color: var(--muted); }
"""
"""Added to `CSS` on the pages of the analyses (intervals, method notes)."""


def esc(value: Any) -> str:
    """`value` as safe HTML text (None as nothing)."""
    return html.escape("" if value is None else str(value), quote=True)


def with_unit(value: str, unit: str) -> str:
    """`value` (already safe HTML) followed by its unit, unless it is the missing-value dash."""
    return f"{value} {esc(unit)}" if unit and value != "–" else value


def data_uri(path: Path) -> str:
    """A PNG file as a `data:` URI, to embed it in the page."""
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def figure_html(name: str, path: Path, title: str, caption: str = "") -> str:
    """One embedded PNG with its heading and caption."""
    return (
        f'<figure id="plot-{esc(name)}"><h3>{esc(title)}</h3>'
        f'<img src="{data_uri(path)}" alt="{esc(title)}">'
        + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "")
        + "</figure>"
    )


def table_html(
    header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), css: str = ""
) -> str:
    """A table; header cells are escaped here, body cells must already be safe HTML."""

    def cls(i: int) -> str:
        return " class=num" if i in numeric else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f"<table{' class=' + css if css else ''}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def interval_text(estimate: Any, low: Any, high: Any, unit: str = "", decimals: int | None = None) -> str:
    """`+12 km² (−3 to +27)`: an estimate with its interval, signed, as safe HTML; bold when the
    interval excludes 0 (the change is told apart from the randomness of the runs)."""
    values = [estimate, low, high]
    d = decimals_for(values) if decimals is None else decimals

    def signed(v: Any) -> str:
        if math.isfinite(as_float(v)) and round(as_float(v), d) == 0:
            v = 0.0  # no "−0.0"
        text = number_for_page(v, d)
        return text if text.startswith("\u2212") or text == "–" or as_float(v) == 0 else "+" + text

    if not math.isfinite(as_float(estimate)):
        return "–"
    main = with_unit(signed(estimate), unit)
    if not (math.isfinite(as_float(low)) and math.isfinite(as_float(high))):
        return main
    text = f"{main}<br><span class=ci>({signed(low)} to {signed(high)})</span>"
    excludes_zero = as_float(low) > 0 or as_float(high) < 0
    return f"<strong>{text}</strong>" if excludes_zero else text


def toc_html(entries: Sequence[tuple[str, str] | tuple[str, str, Sequence[tuple[str, str]]]]) -> str:
    """A table of contents: `(id, heading)` or `(id, heading, [(id, heading), ...])` per section."""
    items = []
    for entry in entries:
        sid, heading = entry[0], entry[1]
        children = entry[2] if len(entry) > 2 else ()
        sub = "".join(f'<li><a href="#{esc(c)}">{esc(h)}</a></li>' for c, h in children)
        items.append(
            f'<li><a href="#{esc(sid)}">{esc(heading)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>"
        )
    return f"<nav class=toc><h2>Contents</h2><ol>{''.join(items)}</ol></nav>"


def provenance_html(items: Sequence[tuple[str, Any]]) -> str:
    """What is needed to reproduce the numbers, as a list of terms and values (a dash if missing)."""
    body = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v if v is not None else '–')}</dd>" for k, v in items)
    return f"<dl class=prov>{body}</dl>"


def page_html(title: str, header: str, main: str, *, css: str = CSS) -> str:
    """A whole page: `header` and `main` are safe HTML, placed in their elements as given."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{css}</style>
</head>
<body>
<header>
{header}
</header>
<main>
{main}
</main>
</body>
</html>
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
    alert = f"<p class=alert>{esc(interrupted)}</p>" if interrupted else ""
    header = (
        f"<h1>{esc(title)}</h1>\n<p class=lead>{esc(lead)}</p>\n<p class=note>{esc(HONEST_NOTE)}</p>\n{alert}"
    )
    parts = "".join(
        f"<section id={esc(sid)}>\n<h2>{esc(heading)}</h2>\n{body}\n</section>\n"
        for sid, heading, body in sections
    )
    toc = toc_html([(sid, heading) for sid, heading, _ in sections] + [("provenance", "Provenance")])
    main = (
        f"{toc}\n{parts}<section id=provenance>\n<h2>Provenance</h2>\n"
        "<p>Everything needed to reproduce these numbers: the same scenario files (same sha256), options and "
        "seed give\nthe same runs.</p>\n"
        f"{provenance_html(provenance)}\n</section>"
    )
    return page_html(title, header, main, css=CSS + ANALYSIS_CSS)


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
