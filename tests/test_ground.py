"""Who holds the ground: the way a unit in enemy ground came, contested claims, per-unit commitment,
and supply that relaxes the same whatever the turn length."""

from __future__ import annotations

import numpy as np
import pytest

from sim.battle.battlefield import Battlefield
from sim.codes import RU, UA
from sim.loading import load_scenario
from sim.replications import run_once, run_seeds
from sim.rules import control, logistics
from sim.turn import control as control_phase

from conftest import DEFAULT, TUTORIAL

NORTH_EAST = ("ua_80_aab_1", "ua_82_aab_1", "ua_225_assault")  # they start in Russian-held villages


@pytest.mark.parametrize("hex_km", [1.0, 1.5, 2.0])
def test_a_unit_standing_in_enemy_ground_holds_the_way_it_came(hex_km):
    """The January attack group starts 3-5 km beyond the line: its hexes join the salient, at any hex
    size, and the ground it advanced across needs its presence (it is no pocket)."""
    bf = Battlefield.from_scenario(load_scenario(DEFAULT, [f"hex_km={hex_km}"]), seed=1)
    f = bf.forces
    pocketed = np.concatenate(
        control.pockets(bf.control, UA, bf.anchors[UA], bf.hex_layout) or [np.zeros(0, int)]
    )
    line = bf.hexmap.initial_control(bf.spec.line_of_control) == UA
    for uid in NORTH_EAST:
        h = int(f.hex[f.ids.index(uid)])
        assert bf.control[h] == UA and not bf.occupancy[RU, h]
        assert bf.needs_presence[h] or line[h]
        assert h not in pocketed, f"{uid} starts cut off at {hex_km} km hexes"
    assert (bf.control[bf.needs_presence] == UA).all()
    # the line of control's own ground changes hands only by assault or as a pocket
    assert not bf.needs_presence[line].any()
    # the start area counts the way in, so the area change starts at zero
    assert bf.ua_area_km2() == pytest.approx(bf.initial_ua_area_km2)


def test_ground_both_sides_reach_stays_with_its_holder():
    """With a claim radius, a unit takes the uncontested enemy ground around it, but not ground an
    enemy unit also reaches."""
    loaded = load_scenario(
        TUTORIAL, ["parameters.control.claim_radius_km=4", "parameters.combat.zoc_radius_km=0"]
    )
    bf = Battlefield.from_scenario(loaded, seed=1)
    f, hm = bf.forces, bf.hexmap
    reach = {side: np.zeros(hm.n, dtype=bool) for side in (UA, RU)}
    ball = hm.within_km(4.0)
    for i in np.flatnonzero(f.active & f.manoeuvre):
        near = ball[f.hex[i]]
        reach[int(f.side[i])][near[near >= 0]] = True
    before = bf.control.copy()
    control_phase.claim_uncontested_ground(bf)
    contested = reach[UA] & reach[RU]
    assert (bf.control[contested] == before[contested]).all()
    assert contested.any(), "the test needs ground both sides reach"
    only_ua = reach[UA] & ~reach[RU] & (before == RU)
    assert only_ua.any() and (bf.control[only_ua] == UA).all()


def test_a_unit_commits_its_own_share_of_power_when_the_scenario_says():
    """`assault_commitment` on a unit overrides its side's doctrine, and committing more takes more
    ground on average."""
    base = load_scenario(TUTORIAL, ["sides.RU.doctrine.assault_commitment=0.3"])
    whole = load_scenario(
        TUTORIAL,
        [
            "sides.RU.doctrine.assault_commitment=0.3",
            "forces.ru_north_1.assault_commitment=1.0",
            "forces.ru_north_2.assault_commitment=1.0",
        ],
    )
    f = Battlefield.from_scenario(whole, seed=1).forces
    assert f.commitment[f.ids.index("ru_north_1")] == 1.0
    assert f.commitment[f.ids.index("ua_north_1")] == whole.spec.sides.UA.doctrine.assault_commitment
    seeds = run_seeds(3, 30)
    lost = {
        name: np.mean([run_once(loaded, s).outcomes["ua_area_change_km2"] for s in seeds])
        for name, loaded in (("base", base), ("whole", whole))
    }
    assert lost["whole"] < lost["base"]


@pytest.mark.parametrize("cut_off", [False, True])
def test_supply_relaxes_the_same_in_two_half_days_as_in_one_day(cut_off):
    """Supply moves towards what reaches a unit (or runs down when cut off) exponentially in time."""
    supply, target, cut = np.array([0.9, 0.2]), np.array([0.3, 0.8]), np.array([cut_off, cut_off])
    day = logistics.update_supply(supply, target, cut, 0.3, 0.5, 1.0)
    half = logistics.update_supply(supply, target, cut, 0.3, 0.5, 0.5)
    twice = logistics.update_supply(half, target, cut, 0.3, 0.5, 0.5)
    assert twice == pytest.approx(day)
    assert not np.allclose(day, supply)


def test_nobody_walks_into_ground_its_garrison_holds():
    """With `garrison_per_km2`, the ground a side holds at the start is taken only by assault: an
    attacking unit next to it with no enemy unit near registers an assault instead of walking in."""
    from sim.turn import manoeuvre

    sets = ["parameters.combat.zoc_radius_km=0", "sides.RU.doctrine.min_attack_ratio=0"]
    for density, walks in ((0.0, True), (10.0, False)):
        bf = Battlefield.from_scenario(
            load_scenario(TUTORIAL, [*sets, f"sides.UA.garrison_per_km2={density}"]), 1
        )
        f = bf.forces
        ua_units = np.flatnonzero(f.active & (f.side == UA))
        for i in ua_units:  # take the defenders off, so only the garrison holds the ground
            bf.take_off_map(int(i))
        attacker = f.ids.index("ru_north_1")
        target = int(bf.sites[f.objective[attacker]].hex)
        before = int(np.count_nonzero(bf.control == UA))
        bf.turn = 1
        manoeuvre.run(bf)
        taken = before - int(np.count_nonzero(bf.control == UA))
        assert (taken > 0) == walks, f"garrison {density}: {taken} hexes walked into"
        if not walks:
            assert bf.this_turn.assaults and all(bf.garrison[h] > 0 for h in bf.this_turn.assaults)
            assert bf.control[target] == UA


def test_an_assault_that_goes_further_than_its_hex_takes_the_garrisoned_hexes_beyond():
    """Progress beyond the taken hex carries the lead unit on through ground only a garrison holds,
    one hex per hex depth of progress, so the ground a fast assault gains does not hang on the turn."""
    from sim.rules.combat import depth_to_take
    from sim.turn import combat as combat_phase

    loaded = load_scenario(TUTORIAL, ["parameters.combat.zoc_radius_km=0", "sides.UA.garrison_per_km2=10"])
    bf = Battlefield.from_scenario(loaded, 1)
    f = bf.forces
    for i in np.flatnonzero(f.active & (f.side == UA)):
        bf.take_off_map(int(i))
    lead = f.ids.index("ru_north_1")
    depth = depth_to_take(bf.hexmap.hex_km, loaded.spec.parameters.combat.attack_frontage_km)
    before = int(np.count_nonzero(bf.control == UA))
    f.assault_progress_km[lead] = 2.5 * depth
    combat_phase.push_on(bf, lead, depth, 0.0, np.ones(bf.hexmap.n))
    assert before - int(np.count_nonzero(bf.control == UA)) == 2
    assert f.assault_progress_km[lead] == pytest.approx(0.5 * depth)
    assert bf.control[f.hex[lead]] == RU
