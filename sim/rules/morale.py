"""Morale (phase 7): losses and retreats erode it, rest restores it, low morale breaks a unit.

Every change is proportional to what caused it (a loss fraction, km pushed back, days
at rest), so the same fight costs the same morale whatever the turn or hex size.
"""

from __future__ import annotations

import numpy as np


def update_morale(
    morale: np.ndarray,
    nominal: np.ndarray,
    loss_fraction: np.ndarray,
    pushed_back_km: np.ndarray,
    in_combat: np.ndarray,
    in_reserve: np.ndarray,
    *,
    loss_sensitivity: float,
    defeat_penalty_per_km: float,
    recovery: float,
    reserve_recovery: float,
    days: float,
) -> np.ndarray:
    """New morale: minus losses and retreats; units out of combat recover towards their nominal."""
    out = morale - loss_sensitivity * loss_fraction - defeat_penalty_per_km * pushed_back_km
    rest = np.where(in_reserve, reserve_recovery, recovery) * days
    out = np.where(in_combat, out, np.minimum(out + rest, np.maximum(nominal, out)))
    return np.clip(out, 0.0, 1.0)


def broken_state(
    morale: np.ndarray, was_broken: np.ndarray, *, break_at: float, rally_at: float
) -> np.ndarray:
    """Hysteresis: a unit breaks below `break_at` and rallies only above `rally_at`."""
    return np.where(was_broken, morale < rally_at, morale < break_at)
