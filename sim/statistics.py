"""Statistics of a batch of runs: how precise a mean is, and where the spread comes from.

- `mean_interval`: the 95 % confidence interval of a mean (Student's t), used to stop a
  study once it is precise enough (`--precision`);
- `variance_split`: a nested design, K draws of the uncertain inputs x M replications
  of each, splits an outcome's variance into the part the inputs explain and the part
  that is the model's own randomness. It is the one-way random-effects analysis of
  variance (Searle, Casella and McCulloch, *Variance Components*, 1992, ch. 3), the
  estimator of Sun, Apley and Staum, "Efficient nested simulation for estimating the
  variance of a conditional expectation", *Operations Research* 59(4), 2011:

      within  = mean over draws of the variance of the M replications  (the dice)
      inputs  = variance of the K draw means - within / M                (unbiased; floored at 0)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def mean_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high) of the t interval of the mean; NaNs below two values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return (float(x.mean()) if x.size else math.nan, math.nan, math.nan)
    half = stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


def variance_split(values, groups) -> dict[str, float]:
    """Split the variance of `values` over `groups` (the draw of each run) into inputs and dice.

    Only complete groups count (each with as many runs as the largest), so an interrupted
    study's last, partial draw is left out. Returns the total variance, the two parts,
    the inputs' share, and K and M.
    """
    x = np.asarray(values, dtype=float)
    g = np.asarray(groups)
    keys, counts = np.unique(g, return_counts=True)
    if keys.size == 0:
        return {"draws": 0, "runs_per_draw": 0}
    m = int(counts.max())
    complete = keys[counts == m]
    if complete.size < 2 or m < 2:
        return {"draws": int(complete.size), "runs_per_draw": m}
    table = np.stack([x[g == key] for key in complete])  # (K, M)
    within = float(table.var(axis=1, ddof=1).mean())
    between = float(table.mean(axis=1).var(ddof=1))
    inputs = max(0.0, between - within / m)
    total = inputs + within
    return {
        "draws": int(complete.size),
        "runs_per_draw": m,
        "variance": total,
        "from_inputs": inputs,
        "from_dice": within,
        "inputs_share": inputs / total if total > 0 else 0.0,
    }
