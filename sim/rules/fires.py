"""Fires (phase 4), artillery: which battery shoots at what, and what the rounds do.

Each battery spreads every round it can fire this turn (guns x rate x days, never
more than its stock) over the detected enemy units within its range, in proportion
to their priority: their size, times `counter_battery_priority` for enemy batteries
that fired last turn. All batteries fire at once (one matrix), so the result does
not depend on the order in which they are considered. A target's casualties are
Poisson with mean rounds x casualties_per_round x protection x the troop density
around it (artillery is area fire).
"""

from __future__ import annotations

import numpy as np

from sim.rules import draws


def in_range(shooter_x, shooter_y, shooter_range, target_x, target_y) -> np.ndarray:
    """(shooters, targets) mask of targets within each shooter's range."""
    dist = np.hypot(
        np.asarray(shooter_x)[:, None] - target_x[None, :], np.asarray(shooter_y)[:, None] - target_y[None, :]
    )
    return dist <= np.asarray(shooter_range)[:, None]


def allocate_rounds(
    reach: np.ndarray, priority: np.ndarray, available: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """(shooters, targets) whole rounds: each shooter splits all it can fire by target priority.

    Every round a shooter can fire goes to some target in its reach (systematic sampling,
    `sim.rules.draws.allocate`, with one uniform `u` per shooter), so nothing is lost to
    rounding; a shooter with no target in reach fires nothing.
    """
    weights = reach * np.maximum(priority, 0.0)[None, :]
    return draws.allocate(np.asarray(available, dtype=np.int64), weights, u)
