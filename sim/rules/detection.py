"""Reconnaissance (phase 1): which enemy units each side sees this turn.

A side looks at every enemy unit within `range_km` of one of its own units. The
chance of seeing a unit is

    p = 1 - exp(-effort x exposure)

the detection law of a random search (Koopman's exponential law): `effort` is the
observing side's reconnaissance intensity, `exposure` the product of the target's
terrain, posture and tactics factors. Detection is redrawn every turn.
"""

from __future__ import annotations

import numpy as np


def nearest_enemy_km(x: np.ndarray, y: np.ndarray, side: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Distance from each unit to the nearest active enemy unit (inf if none)."""
    dist = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    enemy = (side[:, None] != side[None, :]) & active[None, :]
    return np.where(enemy, dist, np.inf).min(axis=1, initial=np.inf)


def detection_probability(effort: np.ndarray, exposure: np.ndarray, in_range: np.ndarray) -> np.ndarray:
    """Chance that each unit is seen by the other side this turn."""
    p = -np.expm1(-np.maximum(effort, 0.0) * np.maximum(exposure, 0.0))
    return np.where(in_range, p, 0.0)


def detect(
    *,
    x: np.ndarray,
    y: np.ndarray,
    side: np.ndarray,
    active: np.ndarray,
    exposure: np.ndarray,
    effort_by_side: np.ndarray,
    range_km: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw which units the opposing side detects; inactive units are never seen."""
    in_range = active & (nearest_enemy_km(x, y, side, active) <= range_km)
    observer_effort = effort_by_side[1 - side]
    p = detection_probability(observer_effort, exposure, in_range)
    return rng.random(p.shape[0]) < p
