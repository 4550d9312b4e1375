"""Drones, electronic warfare and logistics: each mechanism moves outcomes the right way."""

from __future__ import annotations

import numpy as np
import pytest

from sim.loading import load_scenario
from sim.model import SudzhaModel
from sim.replications import run_once, run_seeds
from sim.rules import drones, ew, logistics

from conftest import DEFAULT, SCENARIOS, TUTORIAL

SEEDS = run_seeds(31, 30)

DRONE_DUEL = """\
extends: {tutorial}
name: drone duel
weather: {{clear: 1.0, degraded: 0.0, grounded: 0.0}}
sides:
  UA:
    ew_fratricide: {fratricide}
    drone_teams:
      - {{id: ua_fpv, name: UA FPV, kind: fpv_radio, drones: 2000, sorties_per_day: 60, range_km: 12,
         position: [51.300, 35.230]}}
    jammers:
      - {{id: ua_jam_a, name: UA jammer A, radius_km: 8, strength: {strength}, position: [51.320, 35.230]}}
      - {{id: ua_jam_b, name: UA jammer B, radius_km: 8, strength: {strength}, position: [51.300, 35.190]}}
  RU:
    drone_teams:
      - {{id: ru_radio, name: RU radio FPV, kind: fpv_radio, drones: 2000, sorties_per_day: 60, range_km: 12,
         position: [51.360, 35.220]}}
      - {{id: ru_fibre, name: RU fibre FPV, kind: fpv_fibre, drones: 2000, sorties_per_day: 60, range_km: 12,
         position: [51.360, 35.200]}}
"""


def _duel(tmp_path, name, strength, fratricide=False):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        DRONE_DUEL.format(tutorial=TUTORIAL, strength=strength, fratricide=str(fratricide).lower())
    )
    return load_scenario(path)


def _totals(loaded, seed):
    """The run's event totals (sorties, hits and jammed sorties by side and drone kind)."""
    m = SudzhaModel(loaded, rng=seed)
    while m.running:
        m.step()
    return m.battlefield.totals


def test_more_enemy_ew_means_fewer_radio_hits_and_the_same_fibre_hits(tmp_path):
    """Stronger Ukrainian jamming cuts Russian radio-drone effect; fibre-optic sorties are never jammed."""
    weak, strong = _duel(tmp_path, "weak", 0.1), _duel(tmp_path, "strong", 0.9)
    rate = {}
    for label, loaded in (("weak", weak), ("strong", strong)):
        totals = [_totals(loaded, s) for s in SEEDS[:15]]
        for kind, code in (("radio", 1), ("fibre", 2)):
            hits = sum(t.drone_hits[1, code] for t in totals)
            sorties = sum(t.drone_sorties[1, code] for t in totals)
            rate[label, kind] = hits / sorties
    assert rate["strong", "radio"] < 0.7 * rate["weak", "radio"]
    # fibre-optic drones are never jammed: their hits per sortie do not depend on EW
    assert rate["strong", "fibre"] == pytest.approx(rate["weak", "fibre"], rel=0.06)
    out_weak = [run_once(weak, s).outcomes for s in SEEDS[:15]]
    out_strong = [run_once(strong, s).outcomes for s in SEEDS[:15]]
    assert np.mean([o["ua_casualties_drones"] for o in out_strong]) < np.mean(
        [o["ua_casualties_drones"] for o in out_weak]
    )


def test_fibre_optic_hits_do_not_depend_on_jamming():
    """The drone rule: with p_jam set by EW, fibre-optic sorties (p_jam = 0) hit the same on average."""
    rng = np.random.default_rng(5)
    sorties = np.full((1, 5000), 10)
    radio = [
        drones.fly(sorties, np.full((1, 5000), p), 0.7, 0.4, rng.random((3, 1, 5000))).hits.mean()
        for p in (0.0, 0.6)
    ]
    fibre = [
        drones.fly(sorties, np.zeros((1, 5000)), 0.7, 0.4, rng.random((3, 1, 5000))).hits.mean()
        for _ in (0.0, 0.6)
    ]
    assert radio[1] < 0.5 * radio[0]
    assert fibre[1] == pytest.approx(fibre[0], rel=0.03)


def test_fratricide_lowers_ones_own_drone_effect(tmp_path):
    """With fratricide on, a side's own jammers also jam its radio drones."""
    clean, messy = _duel(tmp_path, "clean", 0.8, False), _duel(tmp_path, "messy", 0.8, True)
    share = {}
    for label, loaded in (("clean", clean), ("messy", messy)):
        totals = [_totals(loaded, s) for s in SEEDS[:12]]
        share[label] = np.mean([t.jammed[0] / max(t.radio_sorties[0], 1) for t in totals])
        share[label + "_hits"] = np.mean([t.drone_hits[0].sum() for t in totals])
    assert share["messy"] > share["clean"]
    assert share["messy_hits"] < share["clean_hits"]


def test_a_jammer_weakens_with_its_crew_and_stops_when_wrecked(tmp_path):
    """A jammer that has lost half its crew jams less than a whole one, and a wrecked one (no
    vehicles left) neither jams nor emits."""
    from sim.battle.battlefield import Battlefield
    from sim.codes import UA, Role
    from sim.turn import ew as ew_phase

    def cover_with(crew: float, vehicles_left: bool) -> float:
        bf = Battlefield.from_scenario(_duel(tmp_path, "jam", 0.8), 1)
        f = bf.forces
        jammers = np.flatnonzero(f.role == Role.JAMMER)
        f.personnel[jammers] = np.round(f.personnel0[jammers] * crew).astype(f.personnel.dtype)
        if not vehicles_left:
            f.vehicles[jammers] = 0
        ew_phase.run(bf)
        assert bf.emitting()[jammers].all() == vehicles_left
        return float(bf.ew.cover[UA].max())

    whole, half, wrecked = cover_with(1.0, True), cover_with(0.5, True), cover_with(1.0, False)
    assert 0 < half < whole and wrecked == 0.0


def test_coverage_is_the_vectorised_union_of_jammers():
    """Per-hex coverage equals 1 - prod(1 - s_j taper_j), checked against a plain loop."""
    rng = np.random.default_rng(1)
    hx, hy = rng.uniform(0, 30, 200), rng.uniform(0, 30, 200)
    jx, jy = rng.uniform(0, 30, 4), rng.uniform(0, 30, 4)
    radius, strength = rng.uniform(3, 8, 4), rng.uniform(0.2, 0.9, 4)
    cover = ew.coverage(hx, hy, jx, jy, radius, strength, 0.5)
    for h in range(200):
        miss = 1.0
        for j in range(4):
            d = np.hypot(hx[h] - jx[j], hy[h] - jy[j]) / radius[j]
            miss *= 1 - strength[j] * (1 - 0.5 * d if d <= 1 else 0.0)
        assert cover[h] == pytest.approx(1 - miss)
    assert (ew.coverage(hx, hy, np.array([]), np.array([]), np.array([]), np.array([]), 0.5) == 0).all()


@pytest.mark.slow
def test_cutting_the_supply_road_lowers_supply_and_the_area_held():
    """Interdicting the main supply route from turn 1 lowers Ukrainian supply and held area on average."""
    # the mechanism at the scenario's own values (its uncertain inputs at their centres)
    base = load_scenario(DEFAULT).at_centre()
    cut = load_scenario(SCENARIOS / "whatif_supply_cut.yaml").at_centre()
    seeds = SEEDS[:20]
    b = [run_once(base, s).outcomes for s in seeds]
    c = [run_once(cut, s).outcomes for s in seeds]
    assert np.mean([o["ua_supply"] for o in c]) < np.mean([o["ua_supply"] for o in b]) - 0.02
    assert np.mean([o["ua_area_km2"] for o in c]) < np.mean([o["ua_area_km2"] for o in b])
    assert all(o["route_cut_days"] == base.spec.duration_days for o in c)


def test_units_cut_off_from_supply_decline(tmp_path):
    """A unit with no route to a source runs down its supply, and its morale and power with it."""
    path = tmp_path / "pocket.yaml"
    path.write_text(
        f"""\
extends: {TUTORIAL}
name: pocket
logistics:
  sources:
    - {{id: ua_src, name: Yunakivka, side: UA, at: yunakivka}}
forces:
  - {{id: ua_in, name: UA inside, side: UA, kind: mechanised, personnel: 600, at: sudzha}}
  - {{id: ua_cut, name: UA cut off, side: UA, kind: mechanised, personnel: 600, posture: hold,
     position: [51.45, 35.45]}}
  - {{id: ru_far, name: RU far, side: RU, kind: infantry, personnel: 500, posture: defend,
     position: [51.50, 34.90]}}
"""
    )
    m = SudzhaModel(load_scenario(path), rng=2)
    bf = m.battlefield
    f = bf.forces
    cut, inside = f.ids.index("ua_cut"), f.ids.index("ua_in")
    power0 = bf.unit_power()[cut]
    for _ in range(6):
        m.step()
    assert bf.supply.cut_off[cut] and not bf.supply.cut_off[inside]
    assert f.supply[cut] < 0.2 < f.supply[inside]
    assert f.morale[cut] < f.morale[inside]
    assert bf.unit_power()[cut] < power0


def test_supply_rule_follows_roads_and_stops_at_enemy_ground():
    """Supply reaches further along roads, is cut by interdiction, and never crosses enemy hexes."""
    from sim.battle.geography import hex_neighbours

    cols, rows = 8, 1
    nb = hex_neighbours(cols, rows)
    road_edge = np.zeros((cols * rows, 6), dtype=bool)
    road_edge[nb >= 0] = True
    roads = logistics.SupplyNetwork(nb, road_edge, np.full(8, 2), 1.5, (0.3, 0.1))
    fields = logistics.SupplyNetwork(nb, np.zeros_like(road_edge), np.zeros(8), 1.5, (0.3, 0.1))
    held = np.ones(8, dtype=bool)
    quiet = np.zeros(8)
    on_roads = logistics.available(roads.cost(held, np.array([0]), quiet, 30.0), 30.0)
    off_roads = logistics.available(fields.cost(held, np.array([0]), quiet, 30.0), 30.0)
    assert (on_roads[1:] > off_roads[1:]).all() and on_roads[0] == 1.0
    hit = quiet.copy()
    hit[3] = 0.5
    assert logistics.available(roads.cost(held, np.array([0]), hit, 30.0), 30.0)[5] == pytest.approx(
        0.5 * on_roads[5]
    )
    held[4] = False
    assert np.isinf(roads.cost(held, np.array([0]), quiet, 30.0)[5:]).all()


def test_drone_and_missile_stocks_never_go_negative(default_scenario):
    """Every stock (rounds, missiles, drones) stays at or above zero through a run."""
    m = SudzhaModel(default_scenario, rng=8)
    while m.running:
        m.step()
        assert (m.battlefield.forces.ammo >= 0).all()
