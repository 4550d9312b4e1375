"""Phase 2, air: sorties meet air defence, glide bombs hit detected units (`sim.rules.air`).

Both sides' strikes are computed before either's losses are applied. The turn's
air-superiority index feeds the next turn's sortie generation and accuracy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import SIDES
from sim.forces import ROLE
from sim.geography import RU, UA
from sim.phases import targeting
from sim.rules import air

if TYPE_CHECKING:
    from sim.model import SudzhaModel


def setup(model: SudzhaModel) -> None:
    model.air_spec = {code: getattr(model.spec.sides, side).air for code, side in enumerate(SIDES)}
    model.aircraft = np.array([model.air_spec[UA].aircraft, model.air_spec[RU].aircraft], dtype=np.int64)
    model.air_superiority = np.zeros(2)
    a = model.params.air
    model.strike_terrain = model.by_terrain(a.terrain_effect)
    model.strike_posture = model.by_posture(a.posture_effect)


def run(model: SudzhaModel) -> None:
    f, a, w = model.forces, model.params.air, model.params.weather
    sortie_factor = {"clear": 1.0, "degraded": w.degraded_sortie_factor, "grounded": 0.0}[model.weather]
    accuracy_factor = {"clear": 1.0, "degraded": w.degraded_accuracy_factor, "grounded": 0.0}[model.weather]
    flown, lost, freedom = np.zeros(2), np.zeros(2), np.ones(2)
    people = np.zeros(f.n, dtype=np.int64)
    vehicles = np.zeros(f.n, dtype=np.int64)
    for side in (UA, RU):
        spec, enemy = model.air_spec[side], 1 - side
        if model.aircraft[side] == 0 or sortie_factor == 0:
            continue  # nothing flies: no sorties, no share of the sky (AS = 0)
        defences = np.flatnonzero(f.active & (f.role == ROLE["air_defence"]) & (f.side == enemy))
        coverage = air.release_coverage(
            f.range_km[defences],
            model.km_to_ground_of(side, defences),
            spec.release_depth_min_km,
            spec.release_depth_max_km,
        )
        launchers = f.vehicles[defences] / np.maximum(f.vehicles0[defences], 1)
        freedom[side] = float(np.prod(1.0 - coverage * f.engage_prob[defences] * launchers))
        momentum = 1.0 + a.sortie_weight * (model.air_superiority[side] - 0.5)
        mean = (
            model.aircraft[side] * spec.sorties_per_aircraft * model.days_per_turn * sortie_factor * momentum
        )
        sorties = int(model.rng.poisson(max(mean, 0.0)))
        if sorties == 0:
            continue
        engage = air.engagement_chance(
            coverage, f.engage_prob[defences], launchers, f.ammo[defences], f.salvo[defences], sorties
        )
        survive = air.sortie_survival(engage, f.kill_prob[defences])
        shot = min(int(model.rng.binomial(sorties, 1.0 - survive)), int(model.aircraft[side]))
        spent = model.rng.binomial(sorties, engage) * f.salvo[defences]
        f.ammo[defences] -= np.minimum(spent, f.ammo[defences])
        model.aircraft[side] -= shot
        flown[side], lost[side] = sorties, shot
        bombs = int(model.rng.poisson((sorties - shot) * spec.bombs_per_sortie))
        model.turn_record.glide_bombs[side] += bombs
        targets = targeting.enemy_targets(model, side)
        if bombs == 0 or targets.size == 0:
            continue
        aimed = air.allocate(bombs, targeting.priority(model, targets), model.rng)
        guards = np.flatnonzero(f.active & (f.role == ROLE["air_defence"]) & (f.side == enemy) & (f.ammo > 0))
        tx, ty = targeting.positions(model, targets)
        gx, gy = targeting.positions(model, guards)
        p_intercept = air.interception_chance(
            tx, ty, gx, gy, f.range_km[guards], f.intercept_prob[guards], np.ones(guards.size, dtype=bool)
        )
        through = aimed - model.rng.binomial(aimed, p_intercept)
        accuracy = 1.0 + a.accuracy_weight * (model.air_superiority[side] - 0.5)
        hits = model.rng.binomial(
            through, np.clip(spec.hit_probability * accuracy_factor * accuracy, 0.0, 1.0)
        )
        effect = model.strike_effect(targets, model.strike_terrain, model.strike_posture, a.road_effect)
        p, v = air.strike_losses(
            hits,
            spec.casualties_per_hit * effect,
            spec.vehicles_per_hit * effect,
            f.personnel[targets],
            f.vehicles[targets],
            model.rng,
        )
        people[targets] += p
        vehicles[targets] += v
    model.record_losses(people, vehicles, "air")
    model.air_superiority = air.superiority_index(flown, lost, freedom)
    model.turn_record.sorties += flown.astype(np.int64)
    model.turn_record.aircraft_lost += lost.astype(np.int64)
