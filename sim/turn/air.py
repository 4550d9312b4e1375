"""Phase 2, air: sorties meet air defence, glide bombs hit detected units (`sim.rules.air`).

Both sides' strikes are computed before either's losses are applied. The turn's
air-superiority index (`battlefield.air.superiority`) measures the contest in the air
from capacities and air-defence coverage, not from what the weather let fly, so a
grounded day leaves it as it was; it feeds the next turn's sortie generation and
accuracy. Glide bombs are area weapons: their effect grows with the troop density
around the target (`Battlefield.density_factor`).
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import AIR_SITES
from sim.codes import RU, UA, Cause, Role
from sim.rules import air, draws
from sim.turn import targeting

SORTIES, SHOT, SPENT, BOMBS, AIMED, INTERCEPTED, HITS, PEOPLE, VEHICLES = range(9)
"""Parts of each side's air block: one uniform per draw (per unit where a unit is drawn for)."""


def run(bf: Battlefield) -> None:
    f, a, w, picture = bf.forces, bf.params.air, bf.params.weather, bf.air
    sortie_factor = bf.weather_factor(1.0, w.degraded_sortie_factor, 0.0)
    # bombs fall on the days that let aircraft fly: accuracy weighted by each day's sorties
    flying = bf.weather_factor(1.0, w.degraded_sortie_factor * w.degraded_accuracy_factor, 0.0)
    accuracy_factor = flying / sortie_factor if sortie_factor > 0 else 0.0
    capacity, survival, freedom = np.zeros(2), np.ones(2), np.ones(2)
    flown, lost = np.zeros(2), np.zeros(2)
    people = np.zeros(f.n, dtype=np.int64)
    vehicles = np.zeros(f.n, dtype=np.int64)
    for side in (UA, RU):
        spec, enemy = picture.spec[side], 1 - side
        if picture.aircraft[side] == 0:
            continue  # no aviation: no sorties, no share of the sky (AS = 0)
        u = bf.uniform(AIR_SITES[side], (9, f.n))
        defences = np.flatnonzero(f.active & (f.role == Role.AIR_DEFENCE) & (f.side == enemy))
        coverage = air.release_coverage(
            f.range_km[defences],
            bf.km_to_ground_of(side, defences),
            spec.release_depth_min_km,
            spec.release_depth_max_km,
        )
        launchers = f.vehicles[defences] / np.maximum(f.vehicles0[defences], 1)
        freedom[side] = float(np.prod(1.0 - coverage * f.engage_prob[defences] * launchers))
        # the contest in the air: capacity and the defence it meets, whatever the weather lets fly
        capacity[side] = picture.aircraft[side] * spec.sorties_per_aircraft
        planned = max(capacity[side] * bf.days_per_turn, 1.0)
        engage_planned = air.engagement_chance(
            coverage, f.engage_prob[defences], launchers, f.ammo[defences], f.salvo[defences], planned
        )
        survival[side] = air.sortie_survival(engage_planned, f.kill_prob[defences])
        momentum = 1.0 + a.sortie_weight * (picture.superiority[side] - 0.5)
        mean = capacity[side] * bf.days_per_turn * sortie_factor * momentum
        sorties = draws.poisson_one(u[SORTIES, 0], mean)
        if sorties == 0:
            continue
        engage = air.engagement_chance(
            coverage, f.engage_prob[defences], launchers, f.ammo[defences], f.salvo[defences], sorties
        )
        p_shot = 1.0 - air.sortie_survival(engage, f.kill_prob[defences])
        shot = min(draws.binomial_one(u[SHOT, 0], sorties, p_shot), int(picture.aircraft[side]))
        spent = draws.binomial(u[SPENT, defences], sorties, engage) * f.salvo[defences]
        f.ammo[defences] -= np.minimum(spent, f.ammo[defences])
        picture.aircraft[side] -= shot
        flown[side], lost[side] = sorties, shot
        bombs = draws.poisson_one(u[BOMBS, 0], (sorties - shot) * spec.bombs_per_sortie)
        bf.record.glide_bombs[side] += bombs
        targets = targeting.enemy_targets(bf, side)
        if bombs == 0 or targets.size == 0:
            continue
        aimed = draws.allocate(bombs, targeting.priority(bf, targets), u[AIMED, 0])
        guards = np.flatnonzero(f.active & (f.role == Role.AIR_DEFENCE) & (f.side == enemy) & (f.ammo > 0))
        tx, ty = bf.positions(targets)
        gx, gy = bf.positions(guards)
        p_intercept = air.interception_chance(
            tx, ty, gx, gy, f.range_km[guards], f.intercept_prob[guards], np.ones(guards.size, dtype=bool)
        )
        through = aimed - draws.binomial(u[INTERCEPTED, targets], aimed, p_intercept)
        accuracy = 1.0 + a.accuracy_weight * (picture.superiority[side] - 0.5)
        p_hit = np.clip(spec.hit_probability * accuracy_factor * accuracy, 0.0, 1.0)
        hits = draws.binomial(u[HITS, targets], through, p_hit)
        effect = bf.strike_effect(targets, bf.effects.air_terrain, bf.effects.air_posture, a.road_effect)
        effect = effect * bf.density_factor(targets)
        # one call for both counts: each is still drawn from its own uniform
        both = draws.poisson(
            np.concatenate([u[PEOPLE, targets], u[VEHICLES, targets]]),
            np.concatenate([hits * spec.casualties_per_hit * effect, hits * spec.vehicles_per_hit * effect]),
        )
        people[targets] += np.minimum(both[: targets.size], f.personnel[targets])
        vehicles[targets] += np.minimum(both[targets.size :], f.vehicles[targets])
    bf.record_losses(people, vehicles, Cause.AIR)
    picture.superiority = air.superiority_index(capacity, survival, freedom)
    bf.record.sorties += flown.astype(np.int64)
    bf.record.aircraft_lost += lost.astype(np.int64)
