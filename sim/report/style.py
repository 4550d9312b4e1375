"""How results look and read: colours, which outcomes are shown, metric labels, numbers, one DPI.

Every figure, page and the classroom app take their colours and words from here,
so that an outcome about one side has that side's colour and the same label
wherever it appears. Labels, units and descriptions come from the metric
declarations of `sim.battle.metrics.METRICS`. The outcomes shown when nobody chose
(`HEADLINE_METRICS`, `HISTOGRAM_METRICS`, `SWEEP_METRICS`, `SENSITIVITY_METRICS`) are
listed here too, each once, for its own purpose.

Numbers are formatted by one family: `number_for_page` (tables and text of the
HTML pages: a true minus sign) and `number_for_figure` (text drawn on figures: the
same digits, the minus as a hyphen) share `decimals_for`; `short_value` writes a
parameter's value as given (`0.5`, `1e-06`), for error messages and the app.

Nothing here imports matplotlib: the command line takes labels from this module
and must start quickly. Colormaps live with the figures that draw them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.battle.metrics import METRICS
from sim.codes import CAUSES, NATIONS

# --------------------------------------------------------------------------- colours

SIDE_COLOURS: dict[str, str] = {"UA": "#1f6fbf", "RU": "#d62728", "DPRK": "#7a1020"}
"""One colour per nation in every plot: UA blue, RU red, DPRK maroon."""

NEUTRAL_COLOUR = "#6f6f6f"
"""What is about neither side: other outcomes, thresholds, 'no data' messages."""

TERRAIN_COLOURS = ("#f3efdc", "#86b873", "#9e9e9e", "#6fbfb3")
"""One colour per terrain, in the order of the codes of `sim.codes.Terrain` (open, forest, urban, marsh)."""

RIVER_COLOUR = "#2f7fd0"
ROAD_COLOURS = {"main": "#6b3f1d", "secondary": "#9a7b55"}

CAUSE_COLOURS = dict(zip(CAUSES, ("#555555", "#b07a2a", "#5a6fb0", "#3a9a6a"), strict=True))
"""One colour per cause of casualties (`sim.codes.Cause`), stacked in this order."""

DPI = 120
"""Resolution of every PNG a study or an analysis writes."""

# --------------------------------------------------------------------------- which outcomes are shown
# Each list has its own purpose; every figure, page and analysis that picks outcomes by default
# takes its list from here.

MAIN_OUTCOMES = {
    "ua_area_km2": "Russian land held by Ukraine",
    "ua_casualties": "Ukrainian casualties",
    "ru_casualties": "Russian casualties",
    "dprk_casualties": "North Korean casualties",
}
"""The four main outcomes, with the words the command line prints them under after a study and
after a comparison."""

HEADLINE_METRICS = (
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
"""The study page's headline table (those the summary has): ground, objectives, each nation's losses."""

HISTOGRAM_METRICS = (
    "ua_area_km2",
    "ua_casualties",
    "ru_casualties",
    "dprk_casualties",
    "ua_vehicles_lost",
    "ru_vehicles_lost",
)
"""A study's grid of histograms, in reading order; a comparison draws the same outcomes side by side
(those not zero in every run)."""

SWEEP_METRICS = tuple(MAIN_OUTCOMES)
"""What a sweep plots unless `--metric` says otherwise (an outcome zero in every run is left out)."""

SENSITIVITY_METRICS = ("ua_area_km2", "ua_casualties", "ru_casualties")
"""The outcomes a sensitivity study ranks the parameters by (`tornado.csv`, Morris, Sobol) unless
`--metric` says otherwise; the first is the main outcome of its figures and page."""


# --------------------------------------------------------------------------- metrics

_NATION_PREFIX = {nation.lower(): nation for nation in NATIONS}
_SHORT_LABELS = {"ua_area_km2": "area of Russia held by UA", "ua_area_change_km2": "change in UA-held area"}


def metric_unit(metric: str) -> str:
    meta = METRICS.get(metric)
    return meta.unit if meta else ""


def metric_description(metric: str) -> str:
    meta = METRICS.get(metric)
    text = meta.description if meta else metric.replace("_", " ")
    return text[:1].upper() + text[1:]


def metric_heading(metric: str) -> str:
    """The words a page names an outcome by, with its unit: `ua_area_km2` ->
    `Russian territory held by Ukraine (km²)`; an objective's `held_<key>` -> `Ukraine holds <Name>
    at the end (share of runs)`. From the one catalogue, `sim.battle.metrics.METRICS`."""
    if metric.startswith("held_") and metric not in METRICS:
        return f"Ukraine holds {settlement_label(metric[5:])} at the end (share of runs)"
    unit = metric_unit(metric)
    text = metric_description(metric)
    return f"{text} ({unit})" if unit and unit != "fraction" else (f"{text} (0–1)" if unit else text)


def metric_label(metric: str) -> str:
    """A short axis label with the unit: `ru_vehicles_lost` -> `RU vehicles lost (vehicles)`."""
    if metric in _SHORT_LABELS:
        return f"{_SHORT_LABELS[metric]} ({metric_unit(metric)})"
    words = metric.split("_")
    if words and words[0] in _NATION_PREFIX:
        words[0] = _NATION_PREFIX[words[0]]
    words = [w for w in words if w not in ("km2", "km")]
    unit = metric_unit(metric)
    text = " ".join(words)
    return f"{text} ({unit})" if unit else text


def short_title(metric: str) -> str:
    """`ua_casualties` -> `UA casualties`: the axis label without its unit, as a title."""
    label = metric_label(metric)
    unit = metric_unit(metric)
    if unit and label.endswith(f" ({unit})"):
        label = label[: -len(unit) - 3]
    return label[:1].upper() + label[1:]


def metric_colour(metric: str) -> str:
    """The colour of the side a metric is about; grey when it is about neither."""
    prefix = metric.split("_", 1)[0]
    return SIDE_COLOURS.get(_NATION_PREFIX.get(prefix, ""), NEUTRAL_COLOUR)


def settlement_label(key: str, names: Mapping[str, str] | None = None) -> str:
    """`bolshoye_soldatskoye` -> `Bolshoye Soldatskoye`, unless `names` knows better."""
    if names and key in names:
        return names[key]
    return " ".join(w.capitalize() for w in key.split("_"))


# --------------------------------------------------------------------------- numbers


def as_float(value: Any) -> float:
    """`value` as a float; NaN when it is missing or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def decimals_for(values) -> int:
    """Decimals for numbers shown side by side: none for whole or large numbers, else 1 or 2."""
    finite = [v for v in map(as_float, values) if math.isfinite(v)]
    if not finite or all(v.is_integer() for v in finite) or max(abs(v) for v in finite) >= 100:
        return 0
    return 1 if max(abs(v) for v in finite) >= 1 else 2


def _digits(value: Any, decimals: int | None) -> str:
    v = as_float(value)
    if not math.isfinite(v):
        return "–"
    if decimals is None:
        decimals = decimals_for([v])
    return f"{v:,.{decimals}f}"


def number_for_page(value: Any, decimals: int | None = None) -> str:
    """A number as a page shows it: thousands separated, a true minus sign (−); a dash if missing."""
    return _digits(value, decimals).replace("-", "\u2212")


def number_for_figure(value: Any, unit: str = "") -> str:
    """A number as a figure writes it: the digits of `number_for_page`, but the minus a hyphen
    (as the figures' annotations have always been drawn), and the unit after it; a dash if missing."""
    text = _digits(value, None)
    return text if text == "–" else f"{text} {unit}".rstrip()


def parameter_value(value: Any) -> str:
    """A swept parameter's value as a label: four significant digits for a float (`1.667`, not
    `1.666666666667`), anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value) if isinstance(value, str) and "." in value else value
        except ValueError:
            return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def short_value(value: Any) -> str:
    """A parameter's value as short text: a float as `:g` gives it (`0.5`, `1e-06`), anything else as is."""
    return f"{value:g}" if isinstance(value, float) else str(value)
