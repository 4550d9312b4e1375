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
from sim.battle.stacked import Stacked, same_layout
from sim.codes import DRONE_KINDS, RU, SIDES, STRIKE_DRONE_KINDS, UA, Cause, DroneKind, Role
from sim.rules import draws, drones, fires
from sim.turn import targeting

MAIN_ROUTE_WEIGHT = 5.0
"""How much more often road-hunting drones pick a hex of the enemy's main supply route."""

CAPACITY, ALLOCATION, PEOPLE, VEHICLES, ON_ROADS, ROAD_ALLOCATION = range(6)
"""Parts of the per-unit blocks of the fires phase."""


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """The fires of several replications at once (lock-step): artillery, then drones, each as
    (replication, shooter, target) arrays; a replication alone is a batch of one."""
    for group in same_layout(bfs):
        stack = Stacked(group)
        artillery(stack)
        strike_drones(stack)


def artillery(stack: Stacked) -> None:
    """All batteries of both sides fire at once: one (batteries x units) matrix per replication."""
    n = stack.first.forces.n
    rows = np.flatnonzero(stack.first.forces.role == Role.ARTILLERY)  # the same rows in every replication
    u = stack.each(lambda bf: bf.uniform(Site.ARTILLERY, (4, n)))  # (B, 4, units)
    active, ammo, side, hexes, personnel, vehicles = stack.units(
        "active", "ammo", "side", "hex", "personnel", "vehicles"
    )
    range_km, fire_rate, quality = stack.units("range_km", "fire_rate", "quality")
    targets, priority = targeting.targets_and_priority(stack)
    guns = active[:, rows] & (ammo[:, rows] > 0)
    x, y = stack.positions(hexes)
    reach = (
        fires.in_range(x[:, rows], y[:, rows], range_km[:, rows], x, y)
        & (side[:, rows, None] != side[:, None, :])
        & guns[:, :, None]
        & targets[:, None, :]
    )
    capacity = draws.stochastic_round(
        vehicles[:, rows] * fire_rate[:, rows] * stack.column(lambda bf: bf.days_per_turn),
        u[:, CAPACITY, rows],
    )
    available = np.where(guns, np.minimum(ammo[:, rows], capacity), 0)
    rounds = fires.allocate_rounds(reach, priority, available, u[:, ALLOCATION, rows])
    shot = rounds.sum(axis=2)  # (B, batteries)
    effective = (rounds * quality[:, rows, None]).sum(axis=1)  # (B, units): quality-weighted rounds received
    effect = targeting.strike_effect(stack, hexes, "fires_terrain", "fires_posture", 1.0)
    effect = effect * targeting.area_density(stack, hexes, targets)
    a = [bf.params.artillery for bf in stack.bfs]
    people, lost_vehicles = _losses_on(
        targets,
        personnel,
        vehicles,
        effective * np.array([p.casualties_per_round for p in a])[:, None] * effect,
        effective * np.array([p.vehicles_per_round for p in a])[:, None] * effect,
        u[:, PEOPLE],
        u[:, VEHICLES],
    )
    by_side = _by_side(side[:, rows], shot)
    for b, bf in enumerate(stack.bfs):
        f = bf.forces
        f.ammo[rows] -= shot[b]
        fired = np.zeros(n, dtype=bool)
        fired[rows] = shot[b] > 0
        bf.record.rounds += by_side[b]
        if guns[b].any() and targets[b].any():
            bf.record_losses(people[b], lost_vehicles[b], Cause.ARTILLERY)
        f.fired[:] = fired


def _by_side(side: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """(B, 2) sums of whole counts by side (UA, RU) in each replication."""
    return np.stack([(counts * (side == UA)).sum(axis=1), (counts * (side == RU)).sum(axis=1)], axis=1)


def _losses_on(targets, personnel, vehicles, mean_people, mean_vehicles, u_people, u_vehicles):
    """(B, units) Poisson losses on the targets (capped by what they have), nothing on the others."""
    # one call for both counts: each is still drawn from its own uniform
    both = draws.poisson(
        np.stack([u_people, u_vehicles]), np.where(targets, np.stack([mean_people, mean_vehicles]), 0.0)
    )
    return np.minimum(both[0], personnel), np.minimum(both[1], vehicles)


def strike_drones(stack: Stacked) -> None:
    """All FPV teams of both sides at once: sorties against units, then against road traffic."""
    first = stack.first
    f, hm = first.forces, first.hexmap
    n, slots, roads = f.n, first.drone_team_rows, first.road_hexes
    if slots.size == 0:
        return
    active, ammo, side, hexes, kind = stack.units("active", "ammo", "side", "hex", "kind")
    fire_rate, share, range_km, reach_prob, hit_prob = stack.units(
        "fire_rate", "interdiction_share", "range_km", "reach_prob", "hit_prob"
    )
    teams = active[:, slots] & (kind[:, slots] != DroneKind.RECON) & (ammo[:, slots] > 0)  # (B, slots)
    if not teams.any():
        return
    u = stack.each(lambda bf: bf.uniform(Site.DRONES_ON_UNITS, (6, n)))  # (B, 6, units)
    weather = stack.column(lambda bf: bf.drone_weather())
    capacity = draws.stochastic_round(
        fire_rate[:, slots] * stack.column(lambda bf: bf.days_per_turn) * weather, u[:, CAPACITY, slots]
    )
    available = np.where(teams, np.minimum(capacity, ammo[:, slots]), 0)
    on_roads = draws.stochastic_round(available * share[:, slots], u[:, ON_ROADS, slots])
    on_units = available - on_roads
    team_side = side[:, slots]
    radio = kind[:, slots] == DroneKind.FPV_RADIO
    x, y = stack.positions(hexes)
    sx, sy, team_range = x[:, slots], y[:, slots], range_km[:, slots]
    jam = stack.each(lambda bf: bf.ew.jam)  # (B, side, hex)
    per_pair = (reach_prob[:, slots, None], hit_prob[:, slots, None])

    # both kinds of sortie are allocated first and flown in one set of draws: the road
    # sorties do not depend on what the sorties at units did
    targets, priority = targeting.targets_and_priority(stack)
    reach = (
        fires.in_range(sx, sy, team_range, x, y)
        & (team_side[:, :, None] != side[:, None, :])
        & targets[:, None, :]
    )
    at_units = fires.allocate_rounds(reach, priority, on_units, u[:, ALLOCATION, slots])
    p_jam = np.where(radio[:, :, None], stack.lookup(jam, (team_side[:, :, None], hexes[:, None, :])), 0.0)
    pairs = stack.each(lambda bf: bf.uniform(Site.DRONES_ON_UNITS, (3, slots.size, n), part=1))
    flights = [(at_units, p_jam, *per_pair, np.moveaxis(pairs, 1, 0))]

    control = stack.each(lambda bf: bf.control[roads])  # (B, roads)
    reach = fires.in_range(sx, sy, team_range, hm.x[roads][None, :], hm.y[roads][None, :]) & (
        team_side[:, :, None] != control[:, None, :]
    )
    main_route = stack.each(lambda bf: bf.supply.on_main_route[:, roads].any(axis=0))
    weight = hm.road[roads].astype(float) * np.where(main_route, MAIN_ROUTE_WEIGHT, 1.0)
    at_roads = fires.allocate_rounds(reach, weight, on_roads, u[:, ROAD_ALLOCATION, slots])
    p_jam = np.where(radio[:, :, None], stack.lookup(jam, (team_side[:, :, None], roads[None, None, :])), 0.0)
    pairs = stack.each(lambda bf: bf.uniform(Site.DRONES_ON_ROADS, (3, slots.size, roads.size)))
    flights.append((at_roads, p_jam, *per_pair, np.moveaxis(pairs, 1, 0)))

    on_units_result, on_roads_result = drones.fly_many(flights)

    # sorties at units: casualties and vehicles by Poisson draws on the hits' means
    effect = targeting.strike_effect(stack, hexes, "drone_terrain", "drone_posture", 1.0)
    per_hit, vehicles_per_hit, personnel, vehicles = stack.units(
        "per_hit", "vehicles_per_hit", "personnel", "vehicles"
    )
    hits = on_units_result.hits_at
    people, lost_vehicles = _losses_on(
        targets,
        personnel,
        vehicles,
        on_units_result.summed(hits, over=1, weight=per_hit[:, slots, None]) * effect,
        on_units_result.summed(hits, over=1, weight=vehicles_per_hit[:, slots, None]) * effect,
        u[:, PEOPLE],
        u[:, VEHICLES],
    )
    # sorties at roads: traffic hit on a road belongs to whoever holds it
    road_hits = [  # whole hits, by the side whose teams flew them
        on_roads_result.summed(on_roads_result.hits_at, over=1, weight=(team_side != s)[:, :, None]).astype(
            np.int64
        )
        * (control == s)
        for s in (UA, RU)
    ]
    spent = at_units.sum(axis=2) + at_roads.sum(axis=2)
    counts = [
        _counts(team_side, kind[:, slots], sorties, result, radio)
        for sorties, result in ((at_units, on_units_result), (at_roads, on_roads_result))
    ]
    for b, bf in enumerate(stack.bfs):
        if targets[b].any() and on_units[b].any():
            bf.record_losses(people[b], lost_vehicles[b], Cause.DRONES)
        if on_roads[b].any():
            supply, per_hit_cut = bf.supply, bf.params.drones.interdiction_per_hit
            for s in (UA, RU):
                supply.interdiction[s, roads] = drones.interdiction_after(
                    supply.interdiction[s, roads], road_hits[s][b], per_hit_cut
                )
                bf.record.supply_vehicles_lost[s] += int(
                    road_hits[s][b].sum()
                )  # a hit on traffic: a vehicle lost
        record = bf.record
        for sorties, hit, radio_sorties, jammed in counts:
            record.drone_sorties += sorties[b]
            record.drone_hits += hit[b]
            record.radio_sorties += radio_sorties[b]
            record.jammed += jammed[b]
        f = bf.forces
        f.ammo[slots] -= np.minimum(spent[b], f.ammo[slots])


def _counts(team_side: np.ndarray, kinds: np.ndarray, sorties: np.ndarray, result, radio: np.ndarray):
    """Per replication, the teams' sorties and hits by (side, kind), and radio sorties and jammed
    drones by side, for the turn's record."""
    shape = (len(SIDES), len(DRONE_KINDS))
    strike = np.isin(kinds, STRIKE_DRONE_KINDS)
    b = team_side.shape[0]
    key = (np.arange(b)[:, None] * shape[0] + team_side) * shape[1] + kinds  # (B, teams)

    def by_side_and_kind(per_team: np.ndarray) -> np.ndarray:
        counted = np.bincount(
            key.ravel(), weights=(per_team * strike).ravel(), minlength=b * shape[0] * shape[1]
        )
        return counted.reshape((b, *shape)).astype(np.int64)

    per_team = sorties.sum(axis=2)
    return (
        by_side_and_kind(per_team),
        by_side_and_kind(result.summed(result.hits_at, over=2)),
        _by_side(team_side, per_team * radio),
        _by_side(team_side, result.summed(result.jammed_at, over=2)),
    )
