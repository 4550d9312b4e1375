"""Random draws by inversion: every draw is a function of one uniform number.

Common random numbers only pair two runs if the same random number serves the same
event in both (Law, *Simulation Modeling and Analysis*, 5th ed., 2015, §11.2:
"synchronization" of the random numbers, best kept by inverse-transform
generation and a separate stream for each source of randomness). NumPy's own
binomial and Poisson samplers use rejection and consume a varying number of
uniforms, so a change in one unit's numbers would shift every later unit's draw.
Here each draw takes exactly one uniform `u` (from its own position in a block of
`sim.battle.dice`) and returns the quantile of its distribution at `u`:

- counts with a small mean are inverted exactly from their probability table;
- counts with a large mean (Poisson mean, or binomial variance, above
  `NORMAL_FROM`) use the Cornish-Fisher expansion of the quantile (two terms
  beyond the normal), which is accurate to well under one count there;
- `allocate` splits a whole number over shares by systematic sampling, so the
  parts always add up to the whole (no round or sortie is lost to rounding).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

NORMAL_FROM = 30.0
"""Poisson mean (or binomial variance) from which the Cornish-Fisher quantile replaces the table."""

_EPS = 1e-12

ONE_BY_ONE = 16
"""Up to this many draws of a call are made one at a time (`poisson_one`, `binomial_one`): cheaper
than building a table for so few, and the same counts (each draw's table stops at its own width)."""


def _z(u: np.ndarray) -> np.ndarray:
    return ndtri(np.clip(u, _EPS, 1.0 - _EPS))


def _table_quantile(u: np.ndarray, pmf0: np.ndarray, ratios: np.ndarray) -> np.ndarray:
    """Smallest k with CDF(k) >= u, each row's pmf given by P(0) and P(k+1) / P(k) = ratios[:, k]."""
    # P(k) = P(0) x (r0 x r1 x ... x r(k-1)), the running product taken left to right
    pmf = np.empty((u.size, ratios.shape[1] + 1))
    pmf[:, 0] = 1.0
    np.cumprod(ratios, axis=1, out=pmf[:, 1:])
    pmf *= pmf0[:, None]
    np.cumsum(pmf, axis=1, out=pmf)
    return np.count_nonzero(pmf < u[:, None], axis=1).astype(np.int64)


def _by_width(u, pmf0, widths, ratios) -> np.ndarray:
    """`_table_quantile` row by row, each row's count stopped at its own width: rows of like widths
    share a table (a few wide rows do not widen the table of the many narrow ones).
    `ratios(rows, k)` gives those rows' P(k+1) / P(k) at columns k."""
    out = np.empty(u.size, dtype=np.int64)
    top = int(widths.max())
    groups = (
        [np.arange(u.size)]
        if u.size <= 64 or top <= 16
        else [
            np.flatnonzero(widths <= 16),
            np.flatnonzero((widths > 16) & (widths <= 64)),
            np.flatnonzero(widths > 64),
        ]
    )
    for rows in groups:
        if rows.size == 0:
            continue
        w = widths[rows]
        k = np.arange(int(w.max()))
        out[rows] = np.minimum(_table_quantile(u[rows], pmf0[rows], ratios(rows, k)), w + 1)
    return out


def _widths(mean: np.ndarray) -> np.ndarray:
    """Each draw's own table width: columns that hold all but a negligible tail of counts with
    its mean (ten standard deviations and ten counts beyond it)."""
    return np.ceil(mean + 10.0 * np.sqrt(mean) + 10.0).astype(np.int64)


def _arrays(u, *others) -> list[np.ndarray]:
    """The arguments as arrays of one shape (broadcast only when their shapes differ)."""
    arrays = [np.asarray(u, dtype=float), *others]
    shape = arrays[0].shape
    if any(a.shape != shape for a in arrays[1:]):
        arrays = list(np.broadcast_arrays(*arrays))
    return arrays


def poisson(u, mean) -> np.ndarray:
    """Poisson quantiles at `u` (broadcast with `mean`)."""
    u, lam = _arrays(u, np.maximum(np.asarray(mean, dtype=float), 0.0))
    out = np.zeros(u.shape, dtype=np.int64)
    small = (lam > 0) & (lam < NORMAL_FROM)
    if small.any():
        ls = lam[small]
        if ls.size <= ONE_BY_ONE:
            out[small] = [poisson_one(a, b) for a, b in zip(u[small].tolist(), ls.tolist(), strict=True)]
        else:
            # each draw stops at its own width, so a count never depends on what else the call draws
            out[small] = _by_width(
                u[small], np.exp(-ls), _widths(ls), lambda rows, k: ls[rows, None] / (k + 1)
            )
    large = lam >= NORMAL_FROM
    if large.any():
        ll, z = lam[large], _z(u[large])
        x = ll + np.sqrt(ll) * z + (z * z - 1.0) / 6.0 + (z**3 - 7.0 * z) / (72.0 * np.sqrt(ll))
        out[large] = np.maximum(np.floor(x + 0.5), 0).astype(np.int64)
    return out


def _table_count(u: float, pmf0: float, ratio) -> int:
    """`_table_quantile` for one draw, step by step: the same products and sums in the same order
    (P(k) = P(0) x the running product of the ratios, the CDF their running sum), stopping at
    the first k whose CDF reaches `u` instead of building the whole table."""
    product, cdf, k = 1.0, 0.0, 0
    while True:
        cdf += pmf0 * product
        if not cdf < u:
            return k
        step = ratio(k)
        if step is None:
            return k + 1
        product *= step
        k += 1


def poisson_one(u: float, mean: float) -> int:
    """`poisson` for one draw (a turn's sortie count), without the cost of arrays: the same number."""
    lam = max(float(mean), 0.0)
    if not lam > 0:
        return 0
    if lam >= NORMAL_FROM:
        return int(poisson(u, lam))
    width = math.ceil(lam + 10.0 * math.sqrt(lam) + 10.0)
    return _table_count(float(u), float(np.exp(-lam)), lambda k: lam / (k + 1) if k < width else None)


def binomial_one(u: float, n: int, p: float) -> int:
    """`binomial` for one draw, without the cost of arrays: the same number."""
    n, p = int(n), float(p)
    if n <= 0 or not p > 0:
        return 0
    pp = min(p, 1.0)
    flip = pp > 0.5
    q = 1.0 - pp if flip else pp
    uu = 1.0 - float(u) if flip else float(u)
    var = n * q * (1.0 - q)
    if var >= NORMAL_FROM:
        return int(binomial(u, n, p))
    count = 0
    if q > 0:
        ns = float(n)
        width = min(math.ceil(ns * q + 10.0 * math.sqrt(ns * q) + 10.0), n)
        odds = q / (1.0 - q)
        pmf0 = float(np.exp(ns * np.log1p(-q)))
        count = min(
            _table_count(uu, pmf0, lambda k: max(ns - k, 0.0) / (k + 1) * odds if k < width else None), n
        )
    return n - count if flip else count


def binomial(u, n, p) -> np.ndarray:
    """Binomial(n, p) quantiles at `u` (broadcast), never below 0 nor above n."""
    u, n, p = _arrays(u, np.asarray(n, dtype=np.int64), np.asarray(p, dtype=float))
    out = np.zeros(u.shape, dtype=np.int64)
    # only the draws with something to draw are worked on (most strike pairs fly no sortie)
    live = np.flatnonzero((n > 0) & (p > 0))
    if live.size == 0:
        return out
    nn, pp, uu = n.ravel()[live], np.minimum(p.ravel()[live], 1.0), u.ravel()[live]
    counts = np.zeros(live.size, dtype=np.int64)
    # draw the rarer of success and failure, so that the table stays short
    flip = pp > 0.5
    q = np.where(flip, 1.0 - pp, pp)
    uu = np.where(flip, 1.0 - uu, uu)
    var = nn * q * (1.0 - q)
    small = (q > 0) & (var < NORMAL_FROM)
    if 0 < np.count_nonzero(small) <= ONE_BY_ONE:
        # the flip is undone below: draw the rarer outcome, one at a time
        counts[small] = [
            binomial_one(a, b, c)
            for a, b, c in zip(uu[small].tolist(), nn[small].tolist(), q[small].tolist(), strict=True)
        ]
    elif small.any():
        ns, qs = nn[small].astype(float), q[small]
        width = np.minimum(_widths(ns * qs), nn[small])  # each draw's own width, as in `poisson`
        odds = qs / (1.0 - qs)
        table = _by_width(
            uu[small],
            np.exp(ns * np.log1p(-qs)),
            width,
            lambda rows, k: np.maximum(ns[rows, None] - k, 0.0) / (k + 1) * odds[rows, None],
        )
        counts[small] = np.minimum(table, nn[small])
    large = var >= NORMAL_FROM
    if large.any():
        nl, ql = nn[large].astype(float), q[large]
        mu, sd = nl * ql, np.sqrt(var[large])
        skew = (1.0 - 2.0 * ql) / sd
        z = _z(uu[large])
        x = mu + sd * (z + skew * (z * z - 1.0) / 6.0)
        counts[large] = np.clip(np.floor(x + 0.5), 0, nl).astype(np.int64)
    out.ravel()[live] = np.where(flip, nn - counts, counts)
    return out


def stochastic_round(x, u) -> np.ndarray:
    """floor(x) plus one with probability frac(x): whole numbers whose mean is exactly x."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    return np.floor(x + np.asarray(u, dtype=float)).astype(np.int64)


def allocate(total, weights, u) -> np.ndarray:
    """Split each row's whole `total` over its `weights` by systematic sampling.

    `weights` is (rows, columns) or (columns,); `total` and `u` have one entry per row.
    Each column gets floor or ceil of its exact share, the parts add up to the total
    exactly, and a row with no positive weight gets nothing.
    """
    w = np.maximum(np.asarray(weights, dtype=float), 0.0)
    single = w.ndim == 1
    if single:
        w = w[None, :]
    total = np.asarray(total, dtype=np.int64).reshape(-1)
    u = np.asarray(u, dtype=float).reshape(-1)
    sums = w.sum(axis=1, keepdims=True)
    ok = (sums[:, 0] > 0) & (total > 0)
    out = np.zeros(w.shape, dtype=np.int64)
    if ok.any():
        every = bool(ok.all())  # most calls: no boolean indexing needed
        w_ok, sums_ok = (w, sums) if every else (w[ok], sums[ok])
        total_ok, u_ok = (total, u) if every else (total[ok], u[ok])
        share = np.cumsum(w_ok / sums_ok, axis=1) * total_ok[:, None]
        # systematic points u, u + 1, ..., u + total - 1 falling below each cumulative share
        upto = np.minimum(np.maximum(np.floor(share - u_ok[:, None] + 1.0), 0), total_ok[:, None])
        upto = upto.astype(np.int64)  # whole numbers: the differences below are exact
        upto[:, -1] = total_ok
        upto[:, 1:] -= upto[:, :-1].copy()
        if every:
            out = upto
        else:
            out[ok] = upto
    return out[0] if single else out


def choice(u: float, p) -> int:
    """The index whose cumulative probability first exceeds `u`."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    return int(min(np.searchsorted(cdf / cdf[-1], u, side="right"), cdf.size - 1))
