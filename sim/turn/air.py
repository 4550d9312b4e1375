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
from sim.battle.stacked import Stacked, same_layout
from sim.codes import RU, UA, Cause, Role
from sim.rules import air, draws
from sim.turn import targeting

SORTIES, SHOT, SPENT, BOMBS, AIMED, INTERCEPTED, HITS, PEOPLE, VEHICLES = range(9)
"""Parts of each side's air block: one uniform per draw (per unit where a unit is drawn for)."""


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """The air phase of several replications at once (lock-step): each side's sorties, air defence
    and bombs as (replication, unit) arrays, each replication with its own draws."""
    for group in same_layout(bfs):
        _air(Stacked(group))


def _air(stack: Stacked) -> None:
    bfs, n = stack.bfs, stack.first.forces.n
    col = stack.column
    sortie_factor = col(lambda bf: bf.weather_factor(1.0, bf.params.weather.degraded_sortie_factor, 0.0))[
        :, 0
    ]
    # bombs fall on the days that let aircraft fly: accuracy weighted by each day's sorties
    flying = col(
        lambda bf: bf.weather_factor(
            1.0, bf.params.weather.degraded_sortie_factor * bf.params.weather.degraded_accuracy_factor, 0.0
        )
    )[:, 0]
    accuracy_factor = np.where(
        sortie_factor > 0, flying / np.where(sortie_factor > 0, sortie_factor, 1.0), 0.0
    )
    days = col(lambda bf: bf.days_per_turn)[:, 0]
    active, role, side, detected, hexes, range_km, vehicles, vehicles0 = stack.units(
        "active", "role", "side", "detected", "hex", "range_km", "vehicles", "vehicles0"
    )
    engage_prob, kill_prob, intercept_prob, salvo, personnel = stack.units(
        "engage_prob", "kill_prob", "intercept_prob", "salvo", "personnel"
    )
    ammo = stack.units("ammo")[0].copy()  # spent missiles are taken off as the sides strike
    b_count = stack.size
    capacity, survival, freedom = np.zeros((b_count, 2)), np.ones((b_count, 2)), np.ones((b_count, 2))
    flown, lost = np.zeros((b_count, 2), dtype=np.int64), np.zeros((b_count, 2), dtype=np.int64)
    people = np.zeros((b_count, n), dtype=np.int64)
    lost_vehicles = np.zeros((b_count, n), dtype=np.int64)
    aircraft = stack.each(lambda bf: bf.air.aircraft).astype(np.int64)
    superiority = stack.each(lambda bf: bf.air.superiority)
    x, y = stack.positions(hexes)
    launchers = vehicles / np.maximum(vehicles0, 1)
    for side_ in (UA, RU):
        enemy = 1 - side_
        flies = aircraft[:, side_] > 0  # no aviation: no sorties, no share of the sky (AS = 0)
        if not flies.any():
            continue
        spec = [bf.air.spec[side_] for bf in bfs]

        def per_spec(name: str, specs=spec) -> np.ndarray:
            """A field of this side's aviation in every replication."""
            return np.array([float(getattr(s, name)) for s in specs])

        site = AIR_SITES[side_]
        u = stack.each(lambda bf, site=site: bf.uniform(site, (9, n)))  # (B, 9, units)
        defences = active & (role == Role.AIR_DEFENCE) & (side == enemy) & flies[:, None]
        to_front = np.zeros((b_count, n))
        for b, bf in enumerate(bfs):
            if flies[b]:
                rows = np.flatnonzero(defences[b])
                to_front[b, rows] = bf.km_to_ground_of(side_, rows)
        coverage = np.where(
            defences,
            air.release_coverage(
                range_km,
                to_front,
                per_spec("release_depth_min_km")[:, None],
                per_spec("release_depth_max_km")[:, None],
            ),
            0.0,
        )
        freedom[:, side_] = np.where(flies, np.prod(1.0 - coverage * engage_prob * launchers, axis=1), 1.0)
        # the contest in the air: capacity and the defence it meets, whatever the weather lets fly
        capacity[:, side_] = aircraft[:, side_] * per_spec("sorties_per_aircraft")
        planned = np.maximum(capacity[:, side_] * days, 1.0)
        engage_planned = air.engagement_chance(
            coverage, engage_prob, launchers, ammo, salvo, planned[:, None]
        )
        survival[:, side_] = np.where(flies, air.sortie_survival(engage_planned, kill_prob), 1.0)
        sortie_weight = col(lambda bf: bf.params.air.sortie_weight)[:, 0]
        momentum = 1.0 + sortie_weight * (superiority[:, side_] - 0.5)
        mean = capacity[:, side_] * days * sortie_factor * momentum
        sorties = draws.poisson(u[:, SORTIES, 0], np.where(flies, mean, 0.0))
        engage = air.engagement_chance(coverage, engage_prob, launchers, ammo, salvo, sorties[:, None])
        p_shot = 1.0 - air.sortie_survival(engage, kill_prob)
        shot = np.minimum(draws.binomial(u[:, SHOT, 0], sorties, p_shot), aircraft[:, side_])
        spent = draws.binomial(u[:, SPENT], sorties[:, None], np.where(defences, engage, 0.0)) * salvo
        ammo -= np.minimum(spent, ammo)
        aircraft[:, side_] -= shot
        flown[:, side_], lost[:, side_] = sorties, shot
        bombs = draws.poisson(u[:, BOMBS, 0], (sorties - shot) * per_spec("bombs_per_sortie"))
        targets = active & detected & (side != side_)
        hit_something = (bombs > 0) & targets.any(axis=1)
        if not hit_something.any():
            for b, bf in enumerate(bfs):
                bf.record.glide_bombs[side_] += int(bombs[b])
            continue
        weights = np.where(targets & hit_something[:, None], targeting.targets_and_priority(stack)[1], 0.0)
        aimed = draws.allocate(np.where(hit_something, bombs, 0), weights, u[:, AIMED, 0])
        guards = active & (role == Role.AIR_DEFENCE) & (side == enemy) & (ammo > 0)
        # for the units some replication aims at (each a product over every air-defence unit)
        aimed_at = np.flatnonzero(aimed.any(axis=0))
        p_intercept = np.zeros((b_count, n))
        p_intercept[:, aimed_at] = air.interception_chance(
            x[:, aimed_at], y[:, aimed_at], x, y, range_km, intercept_prob, guards
        )
        through = aimed - draws.binomial(u[:, INTERCEPTED], aimed, p_intercept)
        accuracy_weight = col(lambda bf: bf.params.air.accuracy_weight)[:, 0]
        accuracy = 1.0 + accuracy_weight * (superiority[:, side_] - 0.5)
        p_hit = np.clip(per_spec("hit_probability") * accuracy_factor * accuracy, 0.0, 1.0)
        hits = draws.binomial(u[:, HITS], through, p_hit[:, None])
        effect = targeting.strike_effect(
            stack, hexes, "air_terrain", "air_posture", col(lambda bf: bf.params.air.road_effect)
        ) * targeting.area_density(stack, hexes, targets)
        # one call for both counts: each is still drawn from its own uniform
        both = draws.poisson(
            np.stack([u[:, PEOPLE], u[:, VEHICLES]]),
            np.where(
                targets,
                np.stack(
                    [
                        hits * per_spec("casualties_per_hit")[:, None] * effect,
                        hits * per_spec("vehicles_per_hit")[:, None] * effect,
                    ]
                ),
                0.0,
            ),
        )
        people += np.minimum(both[0], personnel)
        lost_vehicles += np.minimum(both[1], vehicles)
        for b, bf in enumerate(bfs):
            bf.record.glide_bombs[side_] += int(bombs[b])
    superiority_now = air.superiority_index(capacity, survival, freedom)
    for b, bf in enumerate(bfs):
        f = bf.forces
        f.ammo[:] = ammo[b]
        bf.air.aircraft[:] = aircraft[b]
        bf.record_losses(people[b], lost_vehicles[b], Cause.AIR)
        bf.air.superiority = superiority_now[b]
        bf.record.sorties += flown[b]
        bf.record.aircraft_lost += lost[b]
