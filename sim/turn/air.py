"""Phase 2, air: sorties meet air defence, glide bombs hit detected units (`sim.rules.air`).

Both sides' strikes are computed before either's losses are applied. The turn's
air-superiority index (`battlefield.air.superiority`) feeds the next turn's sortie
generation and accuracy.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import RU, UA, Cause, Role
from sim.rules import air
from sim.turn import targeting


def run(bf: Battlefield) -> None:
    f, a, w, picture = bf.forces, bf.params.air, bf.params.weather, bf.air
    sortie_factor = {"clear": 1.0, "degraded": w.degraded_sortie_factor, "grounded": 0.0}[bf.weather]
    accuracy_factor = {"clear": 1.0, "degraded": w.degraded_accuracy_factor, "grounded": 0.0}[bf.weather]
    flown, lost, freedom = np.zeros(2), np.zeros(2), np.ones(2)
    people = np.zeros(f.n, dtype=np.int64)
    vehicles = np.zeros(f.n, dtype=np.int64)
    for side in (UA, RU):
        spec, enemy = picture.spec[side], 1 - side
        if picture.aircraft[side] == 0 or sortie_factor == 0:
            continue  # nothing flies: no sorties, no share of the sky (AS = 0)
        defences = np.flatnonzero(f.active & (f.role == Role.AIR_DEFENCE) & (f.side == enemy))
        coverage = air.release_coverage(
            f.range_km[defences],
            bf.km_to_ground_of(side, defences),
            spec.release_depth_min_km,
            spec.release_depth_max_km,
        )
        launchers = f.vehicles[defences] / np.maximum(f.vehicles0[defences], 1)
        freedom[side] = float(np.prod(1.0 - coverage * f.engage_prob[defences] * launchers))
        momentum = 1.0 + a.sortie_weight * (picture.superiority[side] - 0.5)
        mean = (
            picture.aircraft[side] * spec.sorties_per_aircraft * bf.days_per_turn * sortie_factor * momentum
        )
        sorties = int(bf.rng.poisson(max(mean, 0.0)))
        if sorties == 0:
            continue
        engage = air.engagement_chance(
            coverage, f.engage_prob[defences], launchers, f.ammo[defences], f.salvo[defences], sorties
        )
        survive = air.sortie_survival(engage, f.kill_prob[defences])
        shot = min(int(bf.rng.binomial(sorties, 1.0 - survive)), int(picture.aircraft[side]))
        spent = bf.rng.binomial(sorties, engage) * f.salvo[defences]
        f.ammo[defences] -= np.minimum(spent, f.ammo[defences])
        picture.aircraft[side] -= shot
        flown[side], lost[side] = sorties, shot
        bombs = int(bf.rng.poisson((sorties - shot) * spec.bombs_per_sortie))
        bf.record.glide_bombs[side] += bombs
        targets = targeting.enemy_targets(bf, side)
        if bombs == 0 or targets.size == 0:
            continue
        aimed = air.allocate(bombs, targeting.priority(bf, targets), bf.rng)
        guards = np.flatnonzero(f.active & (f.role == Role.AIR_DEFENCE) & (f.side == enemy) & (f.ammo > 0))
        tx, ty = bf.positions(targets)
        gx, gy = bf.positions(guards)
        p_intercept = air.interception_chance(
            tx, ty, gx, gy, f.range_km[guards], f.intercept_prob[guards], np.ones(guards.size, dtype=bool)
        )
        through = aimed - bf.rng.binomial(aimed, p_intercept)
        accuracy = 1.0 + a.accuracy_weight * (picture.superiority[side] - 0.5)
        hits = bf.rng.binomial(through, np.clip(spec.hit_probability * accuracy_factor * accuracy, 0.0, 1.0))
        effect = bf.strike_effect(targets, bf.effects.air_terrain, bf.effects.air_posture, a.road_effect)
        p, v = air.strike_losses(
            hits,
            spec.casualties_per_hit * effect,
            spec.vehicles_per_hit * effect,
            f.personnel[targets],
            f.vehicles[targets],
            bf.rng,
        )
        people[targets] += p
        vehicles[targets] += v
    bf.record_losses(people, vehicles, Cause.AIR)
    picture.superiority = air.superiority_index(flown, lost, freedom)
    bf.record.sorties += flown.astype(np.int64)
    bf.record.aircraft_lost += lost.astype(np.int64)
