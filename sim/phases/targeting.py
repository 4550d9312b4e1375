"""Who a strike aims at: detected enemy units, weighted by size and how they stand out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.forces import ROLE

if TYPE_CHECKING:
    from sim.model import SudzhaModel


def enemy_targets(model: SudzhaModel, side: int) -> np.ndarray:
    """Indices of the enemy units `side` detected this turn."""
    f = model.forces
    return np.flatnonzero(f.active & f.detected & (f.side != side))


def priority(model: SudzhaModel, targets: np.ndarray) -> np.ndarray:
    """Target weights: size x exposure, raised for batteries that fired and emitting jammers."""
    f = model.forces
    counter_battery = (f.role[targets] == ROLE["artillery"]) & f.fired[targets]
    emitter = (f.role[targets] == ROLE["jammer"]) & f.emitting[targets]
    return (
        model.unit_power_raw()[targets]
        * f.exposure[targets]
        * np.where(counter_battery, model.params.artillery.counter_battery_priority, 1.0)
        * np.where(emitter, model.params.ew.target_priority, 1.0)
    )


def positions(model: SudzhaModel, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hm, f = model.hexmap, model.forces
    return hm.x[f.hex[units]], hm.y[f.hex[units]]
