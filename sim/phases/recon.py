"""Phase 1, reconnaissance: each side draws which enemy units it sees (`sim.rules.detection`).

A side's effort over an enemy unit is its baseline `recon_effort` plus, for each of
its reconnaissance drone teams with the unit in range, the team's effort times the
chance its radio link is not jammed over the unit. Recon flights consume drones:
those that fail, and a share of those that are jammed, are lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import SIDES
from sim.forces import DRONE, ROLE
from sim.phases import targeting
from sim.rules import detection, drones, fires

if TYPE_CHECKING:
    from sim.model import SudzhaModel


def setup(model: SudzhaModel) -> None:
    model.recon_effort = np.array([getattr(model.spec.sides, s).recon_effort for s in SIDES])
    d = model.params.detection
    model.terrain_exposure = model.by_terrain(d.terrain_exposure)
    model.posture_exposure = model.by_posture(d.posture_exposure)


def run(model: SudzhaModel) -> None:
    f, hm = model.forces, model.hexmap
    x, y = hm.x[f.hex], hm.y[f.hex]
    model.nearest_enemy_km = detection.nearest_enemy_km(x, y, f.side, f.active)
    exposure = (
        model.terrain_exposure[hm.terrain[f.hex]]
        * model.posture_exposure[f.posture]
        * f.exposure
        * np.where(f.fired, model.params.artillery.fired_exposure, 1.0)
        * np.where((f.role == ROLE["jammer"]) & f.emitting, model.params.ew.emitting_exposure, 1.0)
    )
    effort = model.recon_effort[1 - f.side].astype(float) + _drone_effort(model)
    f.detected = detection.detect(
        nearest_enemy=model.nearest_enemy_km,
        active=f.active,
        exposure=exposure,
        effort=effort,
        range_km=model.params.detection.range_km,
        rng=model.rng,
    )


def _drone_effort(model: SudzhaModel) -> np.ndarray:
    """What both sides' recon drones add to the effort over each enemy unit; spends their drones."""
    f = model.forces
    out = np.zeros(f.n)
    teams = np.flatnonzero(
        f.active & (f.role == ROLE["drone_team"]) & (f.kind == DRONE["recon"]) & (f.ammo > 0)
    )
    if teams.size == 0:
        return out
    weather = model.drone_weather()
    flights = np.minimum(np.floor(f.fire_rate[teams] * model.days_per_turn * weather), f.ammo[teams]).astype(
        np.int64
    )
    team_side = f.side[teams]
    units = np.flatnonzero(f.active)
    reach = (
        fires.in_range(
            *targeting.positions(model, teams), f.range_km[teams], *targeting.positions(model, units)
        )
        & (team_side[:, None] != f.side[units][None, :])
        & (flights > 0)[:, None]
    )
    p_jam = model.jam[team_side][:, f.hex[units]]
    out[units] = drones.recon_effort(f.recon_bonus[teams] * weather, reach, p_jam)
    # losses: failed flights, and jammed flights whose drone does not come home
    looked = np.maximum(reach.sum(axis=1), 1)
    jam_seen = (p_jam * reach).sum(axis=1) / looked
    p_lost = np.clip((1.0 - f.reach_prob[teams]) + jam_seen * model.params.ew.recon_jam_loss, 0.0, 1.0)
    lost = model.rng.binomial(flights, p_lost)
    jammed = model.rng.binomial(flights, jam_seen)
    f.ammo[teams] -= np.minimum(lost, f.ammo[teams])
    record = model.turn_record
    record.drone_sorties[:, DRONE["recon"]] += np.bincount(team_side, weights=flights, minlength=2).astype(
        np.int64
    )
    record.radio_sorties += np.bincount(team_side, weights=flights, minlength=2).astype(np.int64)
    record.jammed += np.bincount(team_side, weights=jammed, minlength=2).astype(np.int64)
    return out
