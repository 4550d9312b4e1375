"""Phase 4, fires: artillery, then FPV strike drones, on detected targets in range.

Artillery (`sim.rules.fires`): every battery of both sides fires at once, spreading
every round it can fire over the detected enemy units in range, counter-battery
first; rounds are area fire, so their effect grows with the troop density around
the target.

Strike drones (`sim.rules.drones`): each FPV team flies what its stock and the
weather allow; `interdiction_share` of its sorties hunt traffic on the enemy's
roads within range (main routes first), the rest go for detected enemy units in
range. A radio drone is jammed with the chance set by the EW cover over its
target; fibre-optic drones are never jammed. Hits on units cost casualties and
vehicles; each hit on road traffic destroys a supply vehicle and cuts the road's
throughput (`battlefield.supply.interdiction`), which the logistics phase then feels.

Whole numbers of rounds and sorties come by stochastic rounding and systematic
allocation (`sim.rules.draws`), so that none is lost to rounding at any turn length.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.codes import RU, STRIKE_DRONE_KINDS, UA, Cause, DroneKind, Role
from sim.rules import draws, drones, fires
from sim.turn import targeting

MAIN_ROUTE_WEIGHT = 5.0
"""How much more often road-hunting drones pick a hex of the enemy's main supply route."""

CAPACITY, ALLOCATION, PEOPLE, VEHICLES, ON_ROADS, ROAD_ALLOCATION = range(6)
"""Parts of the per-unit blocks of the fires phase."""


def run(bf: Battlefield) -> None:
    artillery(bf)
    strike_drones(bf)


def artillery(bf: Battlefield) -> None:
    """All batteries of both sides fire at once: one (batteries x targets) matrix."""
    f, r = bf.forces, bf.params.artillery
    guns = np.flatnonzero(f.active & (f.role == Role.ARTILLERY) & (f.ammo > 0))
    targets = np.flatnonzero(f.active & f.detected)
    fired = np.zeros(f.n, dtype=bool)
    if guns.size and targets.size:
        u = bf.uniform(Site.ARTILLERY, (4, f.n))
        reach = fires.in_range(*bf.positions(guns), f.range_km[guns], *bf.positions(targets)) & (
            f.side[guns][:, None] != f.side[targets][None, :]
        )
        capacity = draws.stochastic_round(
            f.vehicles[guns] * f.fire_rate[guns] * bf.days_per_turn, u[CAPACITY, guns]
        )
        rounds = fires.allocate_rounds(
            reach, targeting.priority(bf, targets), np.minimum(f.ammo[guns], capacity), u[ALLOCATION, guns]
        )
        shot = rounds.sum(axis=1)
        f.ammo[guns] -= shot
        fired[guns] = shot > 0
        bf.record.rounds += np.bincount(f.side[guns], weights=shot, minlength=2).astype(np.int64)
        effective = (rounds * f.quality[guns][:, None]).sum(axis=0)
        effect = bf.strike_effect(targets, bf.effects.fires_terrain, bf.effects.fires_posture, 1.0)
        effect = effect * bf.density_factor(targets)
        people, vehicles = _losses_on(
            bf,
            targets,
            effective * r.casualties_per_round * effect,
            effective * r.vehicles_per_round * effect,
            u[PEOPLE, targets],
            u[VEHICLES, targets],
        )
        bf.record_losses(people, vehicles, Cause.ARTILLERY)
    f.fired = fired


def _losses_on(bf: Battlefield, targets: np.ndarray, mean_people, mean_vehicles, u_people, u_vehicles):
    """Poisson losses on the targets (capped by what they have), as full-length arrays."""
    f = bf.forces
    people = np.zeros(f.n, dtype=np.int64)
    vehicles = np.zeros(f.n, dtype=np.int64)
    # one call for both counts: each is still drawn from its own uniform
    both = draws.poisson(np.concatenate([u_people, u_vehicles]), np.concatenate([mean_people, mean_vehicles]))
    people[targets] = np.minimum(both[: targets.size], f.personnel[targets])
    vehicles[targets] = np.minimum(both[targets.size :], f.vehicles[targets])
    return people, vehicles


def strike_drones(bf: Battlefield) -> None:
    """All FPV teams of both sides at once: sorties against units, then against road traffic."""
    f, hm, d = bf.forces, bf.hexmap, bf.params.drones
    slots = bf.drone_team_rows
    teams = np.flatnonzero(
        f.active & (f.role == Role.DRONE_TEAM) & (f.kind != DroneKind.RECON) & (f.ammo > 0)
    )
    if teams.size == 0:
        return
    slot = np.searchsorted(slots, teams)  # each team's fixed place in the pair blocks
    u = bf.uniform(Site.DRONES_ON_UNITS, (6, f.n))
    available = np.minimum(
        draws.stochastic_round(
            f.fire_rate[teams] * bf.days_per_turn * bf.drone_weather(), u[CAPACITY, teams]
        ),
        f.ammo[teams],
    )
    on_roads = draws.stochastic_round(available * f.interdiction_share[teams], u[ON_ROADS, teams])
    on_units = available - on_roads
    team_side = f.side[teams]
    radio = f.kind[teams] == DroneKind.FPV_RADIO
    sx, sy = bf.positions(teams)
    spent = np.zeros(teams.size, dtype=np.int64)

    # both kinds of sortie are allocated first and flown in one set of draws: the road
    # sorties do not depend on what the sorties at units did
    flights, after = [], []
    targets = np.flatnonzero(f.active & f.detected)
    if targets.size and on_units.any():
        reach = fires.in_range(sx, sy, f.range_km[teams], *bf.positions(targets)) & (
            team_side[:, None] != f.side[targets][None, :]
        )
        sorties = fires.allocate_rounds(
            reach, targeting.priority(bf, targets), on_units, u[ALLOCATION, teams]
        )
        p_jam = _jam_matrix(bf, team_side, radio, f.hex[targets])
        pairs = bf.uniform(Site.DRONES_ON_UNITS, (3, slots.size, f.n), part=1)[:, slot][:, :, targets]
        flights.append((sorties, p_jam, f.reach_prob[teams][:, None], f.hit_prob[teams][:, None], pairs))

        def at_units(result) -> None:
            effect = bf.strike_effect(targets, bf.effects.drone_terrain, bf.effects.drone_posture, 1.0)
            people, vehicles = _losses_on(
                bf,
                targets,
                (result.hits * f.per_hit[teams][:, None]).sum(axis=0) * effect,
                (result.hits * f.vehicles_per_hit[teams][:, None]).sum(axis=0) * effect,
                u[PEOPLE, targets],
                u[VEHICLES, targets],
            )
            bf.record_losses(people, vehicles, Cause.DRONES)

        after.append(at_units)

    if on_roads.any():
        supply = bf.supply
        roads = bf.road_hexes
        reach = fires.in_range(sx, sy, f.range_km[teams], hm.x[roads], hm.y[roads]) & (
            team_side[:, None] != bf.control[roads][None, :]
        )
        main_route = supply.on_main_route[:, roads]  # (holder side, road): on that side's main route
        weight = hm.road[roads].astype(float) * np.where(main_route.any(axis=0), MAIN_ROUTE_WEIGHT, 1.0)
        sorties = fires.allocate_rounds(reach, weight, on_roads, u[ROAD_ALLOCATION, teams])
        pairs = bf.uniform(Site.DRONES_ON_ROADS, (3, slots.size, roads.size))[:, slot]
        jam = _jam_matrix(bf, team_side, radio, roads)
        flights.append((sorties, jam, f.reach_prob[teams][:, None], f.hit_prob[teams][:, None], pairs))

        def at_roads(result) -> None:
            for side in (UA, RU):  # traffic hit on a road belongs to whoever holds it
                hits = result.hits[team_side != side].sum(axis=0) * (bf.control[roads] == side)
                supply.interdiction[side, roads] = drones.interdiction_after(
                    supply.interdiction[side, roads], hits, d.interdiction_per_hit
                )
                bf.record.supply_vehicles_lost[side] += int(hits.sum())  # a hit on traffic is a vehicle lost

        after.append(at_roads)

    for (sorties, *_), result, apply in zip(flights, drones.fly_many(flights), after, strict=True):
        apply(result)
        spent += sorties.sum(axis=1)
        _count(bf, team_side, f.kind[teams], sorties, result, radio)
    f.ammo[teams] -= np.minimum(spent, f.ammo[teams])


def _jam_matrix(bf: Battlefield, team_side: np.ndarray, radio: np.ndarray, hexes: np.ndarray) -> np.ndarray:
    """(teams, hexes) chance each team's drone is jammed over each hex (0 for fibre-optic teams)."""
    return np.where(radio[:, None], bf.ew.jam[team_side][:, hexes], 0.0)


def _count(
    bf: Battlefield, team_side: np.ndarray, kinds: np.ndarray, sorties: np.ndarray, result, radio
) -> None:
    """Add the teams' sorties, hits and jammed drones to the turn's record, by side and kind."""
    record = bf.record
    shape = record.drone_sorties.shape  # (side, kind)
    strike = np.isin(kinds, STRIKE_DRONE_KINDS)
    key = team_side * shape[1] + kinds

    def by_side_and_kind(per_team: np.ndarray) -> np.ndarray:
        counted = np.bincount(key, weights=per_team * strike, minlength=shape[0] * shape[1])
        return counted.reshape(shape).astype(np.int64)

    per_team = sorties.sum(axis=1)
    record.drone_sorties += by_side_and_kind(per_team)
    record.drone_hits += by_side_and_kind(result.hits.sum(axis=1))
    record.radio_sorties += np.bincount(team_side, weights=per_team * radio, minlength=2).astype(np.int64)
    record.jammed += np.bincount(team_side, weights=result.jammed.sum(axis=1), minlength=2).astype(np.int64)
