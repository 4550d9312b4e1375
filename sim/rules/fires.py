"""Fires (phase 4), artillery: which battery shoots at what, and what the rounds do.

Each battery spreads the rounds it can fire this turn (guns x rate, never more than
its stock) over the detected enemy units within its range, in proportion to their
priority: their size and exposure, times `counter_battery_priority` for enemy
batteries that fired last turn. All batteries fire at once (one matrix), so the
result does not depend on the order in which they are considered. A target's
casualties are Poisson with mean rounds x casualties_per_round x protection.
"""

from __future__ import annotations

import numpy as np


def in_range(shooter_x, shooter_y, shooter_range, target_x, target_y) -> np.ndarray:
    """(shooters, targets) mask of targets within each shooter's range."""
    dist = np.hypot(
        np.asarray(shooter_x)[:, None] - target_x[None, :], np.asarray(shooter_y)[:, None] - target_y[None, :]
    )
    return dist <= np.asarray(shooter_range)[:, None]


def allocate_rounds(reach: np.ndarray, priority: np.ndarray, available: np.ndarray) -> np.ndarray:
    """(shooters, targets) whole rounds: each shooter splits what it can fire by target priority.

    A shooter with no target in reach fires nothing; no shooter fires more than `available`.
    """
    weights = reach * np.clip(priority, 0.0, None)[None, :]
    totals = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, totals, out=np.zeros_like(weights, dtype=float), where=totals > 0)
    return np.floor(share * np.asarray(available, dtype=float)[:, None]).astype(np.int64)
