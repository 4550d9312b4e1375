"""Who a strike aims at: detected enemy units, weighted by their size and by what gives them away.

Shared by the air phase (glide bombs) and the fires phase (artillery and drones).
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import Role


def enemy_targets(bf: Battlefield, side: int) -> np.ndarray:
    """Indices of the enemy units `side` detected this turn."""
    f = bf.forces
    return np.flatnonzero(f.active & f.detected & (f.side != side))


def priority(bf: Battlefield, targets: np.ndarray) -> np.ndarray:
    """Target weights: size, raised for batteries that fired and for jammers on the air."""
    f = bf.forces
    return priority_of(
        bf.unit_power_raw()[targets],
        (f.role[targets] == Role.ARTILLERY) & f.fired[targets],
        bf.emitting()[targets],
        bf.params.artillery.counter_battery_priority,
        bf.params.ew.target_priority,
    )


def priority_of(size, counter_battery, emitter, counter_battery_priority, emitter_priority) -> np.ndarray:
    """Target weights from each target's size (`sim.rules.combat.target_size`), whether it is a
    battery that fired and whether it is a jammer on the air (elementwise: any leading axes)."""
    return (
        size
        * np.where(counter_battery, counter_battery_priority, 1.0)
        * np.where(emitter, emitter_priority, 1.0)
    )
