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
    """(..., shooters, targets) mask of targets within each shooter's range (any leading axes,
    such as replications played together)."""
    dist = np.hypot(
        np.asarray(shooter_x)[..., :, None] - target_x[..., None, :],
        np.asarray(shooter_y)[..., :, None] - target_y[..., None, :],
    )
    return dist <= np.asarray(shooter_range)[..., :, None]


def density_factor(
    target_x, target_y, target_side, x, y, side, personnel, active, spread_km, reference_per_km2
):
    """Troop density around each target relative to `reference_per_km2` (area fire grows with it):
    the target's own side's personnel near it, each unit spread as a Gaussian of sd `spread_km`
    (units in one place add up). Units are the last axis; any leading axes (replications) broadcast,
    and `spread_km`, `reference_per_km2` are numbers or columns of them."""
    sd = np.asarray(spread_km, dtype=float)[..., None]
    near = active[..., None, :] & (side[..., None, :] == target_side[..., :, None])
    d2 = (target_x[..., :, None] - x[..., None, :]) ** 2 + (target_y[..., :, None] - y[..., None, :]) ** 2
    density = (np.where(near, personnel[..., None, :] * np.exp(-d2 / (2 * sd * sd)), 0.0)).sum(axis=-1)
    return density / (2 * np.pi * sd[..., 0] * sd[..., 0]) / reference_per_km2


def strike_effect(terrain_factor, posture_factor, on_road, road_effect, exposure) -> np.ndarray:
    """Losses per hit on each target relative to a unit in the open: its terrain's and posture's
    factors, `road_effect` where it stands on a road, and its exposure."""
    return terrain_factor * posture_factor * np.where(on_road, road_effect, 1.0) * exposure


def allocate_rounds(
    reach: np.ndarray, priority: np.ndarray, available: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """(shooters, targets) whole rounds: each shooter splits all it can fire by target priority.

    Every round a shooter can fire goes to some target in its reach (systematic sampling,
    `sim.rules.draws.allocate`, with one uniform `u` per shooter), so nothing is lost to
    rounding; a shooter with no target in reach fires nothing.
    """
    weights = reach * np.maximum(priority, 0.0)[..., None, :]
    shape = weights.shape  # (..., shooters, targets): any leading axes (replications) are rows too
    rounds = draws.allocate(
        np.asarray(available, dtype=np.int64).reshape(-1),
        weights.reshape(-1, shape[-1]),
        np.asarray(u).reshape(-1),
    )
    return rounds.reshape(shape)
