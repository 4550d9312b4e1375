"""Who a strike aims at: detected enemy units, weighted by their size and by what gives them away.

Shared by the air phase (glide bombs) and the fires phase (artillery and drones).
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.stacked import Stacked
from sim.codes import Role
from sim.rules import combat, ew, fires


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


# --------------------------------------------------------------- replications played together


def targets_and_priority(stack: Stacked) -> tuple[np.ndarray, np.ndarray]:
    """(B, units): the detected units on the map, and every unit's weight as a target (`priority`)."""
    active, detected, personnel, vehicles, role, fired, switched_on = stack.units(
        "active", "detected", "personnel", "vehicles", "role", "fired", "emitting"
    )
    personnel0, nominal = stack.units("personnel0", "jam_strength")
    col = stack.column
    size = combat.target_size(personnel, vehicles, active, col(lambda bf: bf.params.combat.vehicle_weight))
    emitting = switched_on & (ew.jammer_strength(role, active, vehicles, personnel, personnel0, nominal) > 0)
    weight = priority_of(
        size,
        (role == Role.ARTILLERY) & fired,
        emitting,
        col(lambda bf: bf.params.artillery.counter_battery_priority),
        col(lambda bf: bf.params.ew.target_priority),
    )
    return active & detected, weight


def strike_effect(stack: Stacked, hexes: np.ndarray, terrain: str, posture: str, road) -> np.ndarray:
    """(B, units) losses per hit on every unit relative to one in the open, by the effect tables
    named `terrain` and `posture` (`Battlefield.strike_effect`); `road` a number or a column."""
    hm = stack.first.hexmap
    postures, exposure = stack.units("posture", "exposure")
    return fires.strike_effect(
        stack.lookup(stack.each(lambda bf: getattr(bf.effects, terrain)), hm.terrain[hexes]),
        stack.lookup(stack.each(lambda bf: getattr(bf.effects, posture)), postures),
        hm.road[hexes] > 0,
        road,
        exposure,
    )


def area_density(stack: Stacked, hexes: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(B, units) troop density around the units some replication aims at (`targets`), relative to
    `density_reference_per_km2` (area fire, `sim.rules.fires.density_factor`); 0 elsewhere."""
    side, personnel, active = stack.units("side", "personnel", "active")
    x, y = stack.positions(hexes)
    aimed = np.flatnonzero(targets.any(axis=0))  # each one's density is a sum over all units
    density = np.zeros(targets.shape)
    density[:, aimed] = fires.density_factor(
        x[:, aimed],
        y[:, aimed],
        side[:, aimed],
        x,
        y,
        side,
        personnel,
        active,
        stack.column(lambda bf: bf.params.artillery.area_fire_spread_km),
        stack.column(lambda bf: bf.params.artillery.density_reference_per_km2),
    )
    return density
