"""Reconnaissance (phase 1): which enemy units each side sees this turn.

A side looks at every enemy unit within `range_km` of one of its own units. The
chance of seeing a unit is

    p = 1 - exp(-effort x exposure)

the detection law of a random search (Koopman's exponential law): `effort` is the
observing side's reconnaissance intensity over that unit (its baseline plus what
its recon drones add there), `exposure` the product of the target's terrain and
posture factors (and of firing or emitting). Detection is redrawn every turn.
"""

from __future__ import annotations

import numpy as np


def nearest_enemy_km(x: np.ndarray, y: np.ndarray, side: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Distance from each unit to the nearest active enemy unit (inf if none); units are the last
    axis (any leading axes, such as replications, broadcast)."""
    d2 = (x[..., :, None] - x[..., None, :]) ** 2 + (y[..., :, None] - y[..., None, :]) ** 2
    enemy = (side[..., :, None] != side[..., None, :]) & active[..., None, :]
    return np.sqrt(np.where(enemy, d2, np.inf).min(axis=-1, initial=np.inf))


def detection_probability(effort: np.ndarray, exposure: np.ndarray, in_range: np.ndarray) -> np.ndarray:
    """Chance that each unit is seen by the other side this turn."""
    p = -np.expm1(-np.maximum(effort, 0.0) * np.maximum(exposure, 0.0))
    return np.where(in_range, p, 0.0)


def detect(
    *,
    nearest_enemy: np.ndarray,
    active: np.ndarray,
    exposure: np.ndarray,
    effort: np.ndarray,
    range_km: float,
    u: np.ndarray,
) -> np.ndarray:
    """Draw which units the opposing side detects; inactive units are never seen.

    `nearest_enemy` is each unit's distance to the nearest enemy (`nearest_enemy_km`);
    `effort` is, for each unit, the reconnaissance effort its enemy applies to it; `u`
    holds one uniform per unit.
    """
    in_range = active & (nearest_enemy <= range_km)
    p = detection_probability(effort, exposure, in_range)
    return u < p
