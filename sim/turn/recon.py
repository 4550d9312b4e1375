"""Phase 1, reconnaissance: each side draws which enemy units it sees (`sim.rules.detection`).

A side's effort over an enemy unit is its baseline `recon_effort` plus what its
reconnaissance drone teams add. A team's flights sweep `search_km2_per_day` of ground
(Koopman's search effort, conserved): spread over the area within its range, each
enemy unit there gets search / (pi x range²) of it, times the chance the team's radio
link is not jammed over the unit (the EW cover of the previous turn: sensing comes
before this turn's EW picture updates) and the weather's share of flights. Flights
consume drones: those that fail, and a share of those that are jammed, are lost.

The chance of being seen is the share of the turn a unit stays tracked, so it does
not grow with the turn's length; the strikes that follow a detection do.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.battle.stacked import Stacked, same_layout
from sim.codes import RU, UA, DroneKind, Role
from sim.rules import detection, draws, drones, ew, fires

FLIGHTS, LOST, JAMMED = 0, 1, 2
"""Parts of the recon-flights block: flights flown, drones lost, flights jammed."""


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """Reconnaissance of several replications at once (lock-step), as (replication, unit) arrays."""
    for group in same_layout(bfs):
        _detect(Stacked(group))


def _detect(stack: Stacked) -> None:
    hm = stack.first.hexmap
    hexes, side, active, posture, fired, role, vehicles, personnel, personnel0, nominal, switched_on = (
        stack.units(
            "hex",
            "side",
            "active",
            "posture",
            "fired",
            "role",
            "vehicles",
            "personnel",
            "personnel0",
            "jam_strength",
            "emitting",
        )
    )
    x, y = stack.positions(hexes)
    nearest = detection.nearest_enemy_km(x, y, side, active)
    emitting = switched_on & (ew.jammer_strength(role, active, vehicles, personnel, personnel0, nominal) > 0)
    exposure = (
        stack.lookup(stack.each(lambda bf: bf.effects.terrain_exposure), hm.terrain[hexes])
        * stack.lookup(stack.each(lambda bf: bf.effects.posture_exposure), posture)
        * np.where(fired, stack.column(lambda bf: bf.params.artillery.fired_exposure), 1.0)
        * np.where(emitting, stack.column(lambda bf: bf.params.ew.emitting_exposure), 1.0)
    )
    effort = stack.lookup(stack.each(lambda bf: bf.recon_effort), 1 - side).astype(float) + _drone_effort(
        stack, x, y, side, active
    )
    detected = detection.detect(
        nearest_enemy=nearest,
        active=active,
        exposure=exposure,
        effort=effort,
        range_km=stack.column(lambda bf: bf.params.detection.range_km),
        u=stack.each(lambda bf: bf.uniform(Site.DETECTION, bf.forces.n)),
    )
    for b, bf in enumerate(stack.bfs):
        bf.recon.nearest_enemy_km = nearest[b].copy()
        bf.forces.detected[:] = detected[b]


def _drone_effort(stack: Stacked, x, y, side, active) -> np.ndarray:
    """(B, units): what both sides' recon drones add to the effort over each enemy unit; spends
    their drones. Each replication's teams are the same rows; those with no drones fly nothing."""
    first = stack.first
    f = first.forces
    rows = np.flatnonzero((f.role == Role.DRONE_TEAM) & (f.kind == DroneKind.RECON))
    out = np.zeros(side.shape)
    if rows.size == 0:
        return out
    ammo, fire_rate, range_km, search, reach_prob = stack.units(
        "ammo", "fire_rate", "range_km", "search_km2_per_day", "reach_prob"
    )
    teams = active[:, rows] & (ammo[:, rows] > 0)  # (B, teams)
    if not teams.any():
        return out
    hexes = stack.units("hex")[0]
    weather = stack.column(lambda bf: bf.drone_weather())
    u = stack.each(lambda bf: bf.uniform(Site.RECON_FLIGHTS, (3, bf.forces.n)))[:, :, rows]
    flights = np.where(
        teams,
        np.minimum(
            draws.stochastic_round(
                fire_rate[:, rows] * stack.column(lambda bf: bf.days_per_turn) * weather, u[:, FLIGHTS]
            ),
            ammo[:, rows],
        ),
        0,
    )
    team_side = side[:, rows]
    team_range = range_km[:, rows]
    reach = (
        fires.in_range(x[:, rows], y[:, rows], team_range, x, y)
        & (team_side[:, :, None] != side[:, None, :])
        & active[:, None, :]
        & (flights > 0)[:, :, None]
    )
    p_jam = stack.lookup(stack.each(lambda bf: bf.ew.jam), (team_side[:, :, None], hexes[:, None, :]))
    per_target = search[:, rows] * weather / (np.pi * team_range**2)
    out = drones.recon_effort(per_target, reach, p_jam)
    # losses: failed flights, and jammed flights whose drone does not come home
    looked = np.maximum(reach.sum(axis=2), 1)
    jam_seen = (p_jam * reach).sum(axis=2) / looked
    p_lost = np.clip(
        (1.0 - reach_prob[:, rows]) + jam_seen * stack.column(lambda bf: bf.params.ew.recon_jam_loss),
        0.0,
        1.0,
    )
    lost = draws.binomial(u[:, LOST], flights, p_lost)
    jammed = draws.binomial(u[:, JAMMED], flights, jam_seen)
    flown = np.stack([(flights * (team_side == s)).sum(axis=1) for s in (UA, RU)], axis=1)
    jammed_by_side = np.stack([(jammed * (team_side == s)).sum(axis=1) for s in (UA, RU)], axis=1)
    for b, bf in enumerate(stack.bfs):
        if not teams[b].any():
            continue
        f = bf.forces
        f.ammo[rows] -= np.minimum(lost[b], f.ammo[rows])
        record = bf.record
        record.drone_sorties[:, DroneKind.RECON] += flown[b]
        record.radio_sorties += flown[b]
        record.jammed += jammed_by_side[b]
    return out
