"""Statistics of the analyses: paired bootstrap intervals and per-point quantiles.

Runs of two variants that share a seed are paired (common random numbers), so a
difference is estimated on pairs: each bootstrap resample draws runs, and takes
both variants' values of the runs drawn. Intervals come from
`scipy.stats.bootstrap` (BCa; the percentile method where BCa cannot be
computed, as with 0/1 outcomes that barely vary).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.output import QUANTILES

CONFIDENCE = 0.95
RESAMPLES = 2000


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def excludes_zero(self) -> bool:
        return not self.contains(0.0)


NAN_INTERVAL = Interval(math.nan, math.nan, math.nan)


def _diff_mean(a, b, axis=-1):
    return np.mean(b, axis=axis) - np.mean(a, axis=axis)


def _diff_median(a, b, axis=-1):
    return np.median(b, axis=axis) - np.median(a, axis=axis)


STATISTICS = {"mean": _diff_mean, "median": _diff_median}


def paired_difference(
    a: np.ndarray,
    b: np.ndarray,
    statistic: str,
    rng: np.random.Generator,
    *,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
) -> Interval:
    """`statistic`(b) - `statistic`(a) over paired runs, with a bootstrap `confidence` interval."""
    from scipy import stats

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    if a.size == 0:
        return NAN_INTERVAL
    function = STATISTICS[statistic]
    estimate = float(function(a, b))
    if a.size < 2 or (np.ptp(b - a) == 0 and np.ptp(a) == 0):
        return Interval(estimate, estimate, estimate)  # no spread to resample
    low = high = math.nan
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = stats.bootstrap(
                (a, b),
                function,
                paired=True,
                vectorized=True,
                n_resamples=resamples,
                confidence_level=confidence,
                method=method,
                rng=rng,
            )
        low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
        if math.isfinite(low) and math.isfinite(high):
            break
    if not (math.isfinite(low) and math.isfinite(high)):
        return Interval(estimate, math.nan, math.nan)
    return Interval(estimate, low, high)


def quantile_summary(df: pd.DataFrame, by: list[str], metrics: list[str]) -> pd.DataFrame:
    """Per group and metric: runs, mean, std and the p5..p95 quantiles (long format)."""
    rows = []
    for keys, group in df.groupby(by, sort=False, dropna=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        for metric in metrics:
            values = pd.to_numeric(group[metric], errors="coerce").dropna().to_numpy(float)
            row = dict(zip(by, keys, strict=True))
            row["metric"] = metric
            row["runs"] = int(values.size)
            row["mean"] = float(values.mean()) if values.size else math.nan
            row["std"] = float(values.std(ddof=1)) if values.size > 1 else math.nan
            for name, q in QUANTILES.items():
                row[name] = float(np.percentile(values, q)) if values.size else math.nan
            rows.append(row)
    return pd.DataFrame(rows)


SIGNIFICANT_DIGITS = 6
"""Digits a summary table keeps: far below the sampling error of any estimate in it, so the file
reads at a glance and still round-trips every figure a report or a test uses."""


def rounded(table: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """The table with every float rounded to `digits` significant digits (summaries, not runs:
    per-run files keep every digit so that they reproduce)."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = [float(f"{v:.{digits}g}") if math.isfinite(v) else v for v in out[column]]
    return out
