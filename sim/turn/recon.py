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
from sim.codes import DroneKind, Role
from sim.rules import detection, draws, drones, fires

FLIGHTS, LOST, JAMMED = 0, 1, 2
"""Parts of the recon-flights block: flights flown, drones lost, flights jammed."""


def run(bf: Battlefield) -> None:
    f, hm, t = bf.forces, bf.hexmap, bf.effects
    x, y = hm.x[f.hex], hm.y[f.hex]
    bf.recon.nearest_enemy_km = detection.nearest_enemy_km(x, y, f.side, f.active)
    exposure = (
        t.terrain_exposure[hm.terrain[f.hex]]
        * t.posture_exposure[f.posture]
        * np.where(f.fired, bf.params.artillery.fired_exposure, 1.0)
        * np.where(bf.emitting(), bf.params.ew.emitting_exposure, 1.0)
    )
    effort = bf.recon_effort[1 - f.side].astype(float) + _drone_effort(bf)
    f.detected = detection.detect(
        nearest_enemy=bf.recon.nearest_enemy_km,
        active=f.active,
        exposure=exposure,
        effort=effort,
        range_km=bf.params.detection.range_km,
        u=bf.uniform(Site.DETECTION, f.n),
    )


def _drone_effort(bf: Battlefield) -> np.ndarray:
    """What both sides' recon drones add to the effort over each enemy unit; spends their drones."""
    f = bf.forces
    out = np.zeros(f.n)
    teams = np.flatnonzero(
        f.active & (f.role == Role.DRONE_TEAM) & (f.kind == DroneKind.RECON) & (f.ammo > 0)
    )
    if teams.size == 0:
        return out
    weather = bf.drone_weather()
    u = bf.uniform(Site.RECON_FLIGHTS, (3, f.n))[:, teams]
    flights = np.minimum(
        draws.stochastic_round(f.fire_rate[teams] * bf.days_per_turn * weather, u[FLIGHTS]), f.ammo[teams]
    )
    team_side = f.side[teams]
    units = np.flatnonzero(f.active)
    reach = (
        fires.in_range(*bf.positions(teams), f.range_km[teams], *bf.positions(units))
        & (team_side[:, None] != f.side[units][None, :])
        & (flights > 0)[:, None]
    )
    p_jam = bf.ew.jam[team_side][:, f.hex[units]]
    per_target = f.search_km2_per_day[teams] * weather / (np.pi * f.range_km[teams] ** 2)
    out[units] = drones.recon_effort(per_target, reach, p_jam)
    # losses: failed flights, and jammed flights whose drone does not come home
    looked = np.maximum(reach.sum(axis=1), 1)
    jam_seen = (p_jam * reach).sum(axis=1) / looked
    p_lost = np.clip((1.0 - f.reach_prob[teams]) + jam_seen * bf.params.ew.recon_jam_loss, 0.0, 1.0)
    lost = draws.binomial(u[LOST], flights, p_lost)
    jammed = draws.binomial(u[JAMMED], flights, jam_seen)
    f.ammo[teams] -= np.minimum(lost, f.ammo[teams])
    record = bf.record
    flown = np.bincount(team_side, weights=flights, minlength=2).astype(np.int64)
    record.drone_sorties[:, DroneKind.RECON] += flown
    record.radio_sorties += flown
    record.jammed += np.bincount(team_side, weights=jammed, minlength=2).astype(np.int64)
    return out
