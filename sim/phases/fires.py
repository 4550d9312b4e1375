"""Phase 4, fires: artillery, then FPV strike drones, on detected targets in range.

Artillery (`sim.rules.fires`): every battery of both sides fires at once, spreading
what it can fire over the detected enemy units in range, counter-battery first.

Strike drones (`sim.rules.drones`): each FPV team flies what its stock and the
weather allow; `interdiction_share` of its sorties hunt traffic on the enemy's
roads within range (main routes first), the rest go for detected enemy units in
range. A radio drone is jammed with the chance set by the EW coverage over its
target; fibre-optic drones are never jammed. Hits on units cost casualties and
vehicles; hits on road traffic destroy supply vehicles and cut the road's
throughput, which the logistics phase then feels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.forces import DRONE, ROLE
from sim.geography import RU, UA
from sim.phases import targeting
from sim.rules import air, drones, fires

if TYPE_CHECKING:
    from sim.model import SudzhaModel


def setup(model: SudzhaModel) -> None:
    r, d = model.params.artillery, model.params.drones
    model.fires_terrain = model.by_terrain(r.terrain_protection)
    model.fires_posture = model.by_posture(r.posture_protection)
    model.drone_terrain = model.by_terrain(d.terrain_effect)
    model.drone_posture = model.by_posture(d.posture_effect)


def run(model: SudzhaModel) -> None:
    artillery(model)
    strike_drones(model)


def artillery(model: SudzhaModel) -> None:
    """All batteries of both sides fire at once: one (batteries x targets) matrix."""
    f, r = model.forces, model.params.artillery
    guns = np.flatnonzero(f.active & (f.role == ROLE["artillery"]) & (f.ammo > 0))
    targets = np.flatnonzero(f.active & f.detected)
    fired = np.zeros(f.n, dtype=bool)
    if guns.size and targets.size:
        reach = fires.in_range(
            *targeting.positions(model, guns), f.range_km[guns], *targeting.positions(model, targets)
        ) & (f.side[guns][:, None] != f.side[targets][None, :])
        capacity = np.floor(f.vehicles[guns] * f.fire_rate[guns] * model.days_per_turn).astype(np.int64)
        rounds = fires.allocate_rounds(
            reach, targeting.priority(model, targets), np.minimum(f.ammo[guns], capacity)
        )
        shot = rounds.sum(axis=1)
        f.ammo[guns] -= shot
        fired[guns] = shot > 0
        model.turn_record.rounds += np.bincount(f.side[guns], weights=shot, minlength=2).astype(np.int64)
        effective = (rounds * f.quality[guns][:, None]).sum(axis=0)
        effect = model.strike_effect(targets, model.fires_terrain, model.fires_posture, 1.0)
        people, vehicles = _losses_on(
            model,
            targets,
            effective * r.casualties_per_round * effect,
            effective * r.vehicles_per_round * effect,
        )
        model.record_losses(people, vehicles, "artillery")
    f.fired = fired


def _losses_on(model: SudzhaModel, targets: np.ndarray, mean_people, mean_vehicles):
    """Poisson losses on the targets (capped by what they have), as full-length arrays."""
    f = model.forces
    people = np.zeros(f.n, dtype=np.int64)
    vehicles = np.zeros(f.n, dtype=np.int64)
    p, v = air.strike_losses(
        np.ones(targets.size),
        mean_people,
        mean_vehicles,
        f.personnel[targets],
        f.vehicles[targets],
        model.rng,
    )
    people[targets] = p
    vehicles[targets] = v
    return people, vehicles


def strike_drones(model: SudzhaModel) -> None:
    """All FPV teams of both sides at once: sorties against units, then against road traffic."""
    f, hm, d = model.forces, model.hexmap, model.params.drones
    teams = np.flatnonzero(
        f.active & (f.role == ROLE["drone_team"]) & (f.kind != DRONE["recon"]) & (f.ammo > 0)
    )
    if teams.size == 0:
        return
    available = np.minimum(
        np.floor(f.fire_rate[teams] * model.days_per_turn * model.drone_weather()).astype(np.int64),
        f.ammo[teams],
    )
    on_roads = np.floor(available * f.interdiction_share[teams]).astype(np.int64)
    on_units = available - on_roads
    team_side = f.side[teams]
    radio = f.kind[teams] == DRONE["fpv_radio"]
    sx, sy = targeting.positions(model, teams)
    spent = np.zeros(teams.size, dtype=np.int64)

    targets = np.flatnonzero(f.active & f.detected)
    if targets.size and on_units.any():
        reach = fires.in_range(sx, sy, f.range_km[teams], *targeting.positions(model, targets)) & (
            team_side[:, None] != f.side[targets][None, :]
        )
        sorties = fires.allocate_rounds(reach, targeting.priority(model, targets), on_units)
        p_jam = _jam_matrix(model, team_side, radio, f.hex[targets])
        result = drones.fly(
            sorties, p_jam, f.reach_prob[teams][:, None], f.hit_prob[teams][:, None], model.rng
        )
        effect = model.strike_effect(targets, model.drone_terrain, model.drone_posture, 1.0)
        people, vehicles = _losses_on(
            model,
            targets,
            (result.hits * f.per_hit[teams][:, None]).sum(axis=0) * effect,
            (result.hits * f.vehicles_per_hit[teams][:, None]).sum(axis=0) * effect,
        )
        model.record_losses(people, vehicles, "drones")
        spent += sorties.sum(axis=1)
        _count(model, team_side, f.kind[teams], sorties, result, radio)

    if on_roads.any():
        roads = np.flatnonzero(hm.road > 0)
        reach = fires.in_range(sx, sy, f.range_km[teams], hm.x[roads], hm.y[roads]) & (
            team_side[:, None] != model.control[roads][None, :]
        )
        main_route = model.on_main_route[:, roads]  # (holder side, road): on that side's main route
        weight = hm.road[roads].astype(float) * np.where(main_route.any(axis=0), 5.0, 1.0)
        sorties = fires.allocate_rounds(reach, weight, on_roads)
        result = drones.fly(
            sorties,
            _jam_matrix(model, team_side, radio, roads),
            f.reach_prob[teams][:, None],
            f.hit_prob[teams][:, None],
            model.rng,
        )
        for side in (UA, RU):  # traffic hit on a road belongs to whoever holds it
            hits = result.hits[team_side != side].sum(axis=0) * (model.control[roads] == side)
            model.interdiction[side, roads] = drones.interdiction_after(
                model.interdiction[side, roads], hits, d.interdiction_per_hit
            )
            model.turn_record.supply_vehicles_lost[side] += int(
                model.rng.poisson(hits.sum() * d.supply_vehicles_per_hit)
            )
        spent += sorties.sum(axis=1)
        _count(model, team_side, f.kind[teams], sorties, result, radio)
    f.ammo[teams] -= np.minimum(spent, f.ammo[teams])


def _jam_matrix(
    model: SudzhaModel, team_side: np.ndarray, radio: np.ndarray, hexes: np.ndarray
) -> np.ndarray:
    """(teams, hexes) chance each team's drone is jammed over each hex (0 for fibre-optic teams)."""
    return np.where(radio[:, None], model.jam[team_side][:, hexes], 0.0)


def _count(
    model: SudzhaModel, team_side: np.ndarray, kinds: np.ndarray, sorties: np.ndarray, result, radio
) -> None:
    record = model.turn_record
    per_team = sorties.sum(axis=1)
    for side in (UA, RU):
        mine = team_side == side
        for kind in (DRONE["fpv_radio"], DRONE["fpv_fibre"]):
            record.drone_sorties[side, kind] += int(per_team[mine & (kinds == kind)].sum())
            record.drone_hits[side, kind] += int(result.hits[mine & (kinds == kind)].sum())
        record.radio_sorties[side] += int(per_team[mine & radio].sum())
        record.jammed[side] += int(result.jammed[mine].sum())
