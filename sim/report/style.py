"""How results read: number formatting shared by figures and pages.

Nothing here imports matplotlib: the command line takes labels from this module
and must start quickly.
"""

from __future__ import annotations

import math
from typing import Any


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


def number_text(value: Any, decimals: int | None = None) -> str:
    """A number as a page shows it: thousands separated, a true minus sign; a dash if missing."""
    v = as_float(value)
    if not math.isfinite(v):
        return "–"
    if decimals is None:
        decimals = decimals_for([v])
    return f"{v:,.{decimals}f}".replace("-", "\u2212")
