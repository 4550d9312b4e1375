"""Morale (phase 7): losses and defeats erode it, rest restores it, low morale breaks a unit."""

from __future__ import annotations

import numpy as np


def update_morale(
    morale: np.ndarray,
    nominal: np.ndarray,
    loss_fraction: np.ndarray,
    defeated: np.ndarray,
    in_combat: np.ndarray,
    in_reserve: np.ndarray,
    *,
    loss_sensitivity: float,
    defeat_penalty: float,
    recovery: float,
    reserve_recovery: float,
    days: float,
) -> np.ndarray:
    """New morale: minus losses and defeats; units out of combat recover towards their nominal."""
    out = morale - loss_sensitivity * loss_fraction - defeat_penalty * defeated
    rest = np.where(in_reserve, reserve_recovery, recovery) * days
    out = np.where(in_combat, out, np.minimum(out + rest, np.maximum(nominal, out)))
    return np.clip(out, 0.0, 1.0)


def broken_state(
    morale: np.ndarray, was_broken: np.ndarray, *, break_at: float, rally_at: float
) -> np.ndarray:
    """Hysteresis: a unit breaks below `break_at` and rallies only above `rally_at`."""
    return np.where(was_broken, morale < rally_at, morale < break_at)
