"""The Mesa model: invariants every turn, mechanisms moving outcomes the right way, seeds."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from sim.agents import MapUnit
from sim.codes import UA
from sim.loading import load_scenario
from sim.model import SudzhaModel
from sim.replications import run_once, run_seeds

from conftest import TUTORIAL


def check_invariants(model: SudzhaModel) -> None:
    m = model.battlefield
    f = m.forces
    assert (f.personnel >= 0).all() and (f.personnel <= f.personnel0).all()
    assert (f.vehicles >= 0).all() and (f.vehicles <= f.vehicles0).all()
    assert (f.lost_personnel == f.personnel0 - f.personnel).all()
    assert ((f.morale >= 0) & (f.morale <= 1)).all()
    assert set(np.unique(m.control)) <= {0, 1}
    area = m.hexmap.russian_area_km2(m.control == UA)
    assert 0 <= area <= m.hexmap.russian_area_km2(np.ones(m.hexmap.n, dtype=bool))
    assert (f.ammo >= 0).all()
    # roster, occupancy, zones of control and Mesa cells agree on where every unit is
    moving = f.active & f.manoeuvre
    occupancy = np.zeros_like(m.occupancy)
    np.add.at(occupancy, (f.side[moving], f.hex[moving]), 1)
    assert (occupancy == m.occupancy).all()
    assert (m.occupancy <= m.stacking_limit).all()
    for side in (0, 1):
        zoc = np.zeros(m.hexmap.n, dtype=np.int64)
        for i in np.flatnonzero(moving & (f.side == side) & m.exerts_zoc):
            zoc[m.zoc_ball[f.hex[i]]] += 1
        assert (zoc == m.zoc[side]).all()
    on_map = [a for a in model.agents if isinstance(a, MapUnit)]
    assert sorted(a.idx for a in on_map) == list(np.flatnonzero(f.active))
    for agent in on_map:
        assert agent.cell.coordinate == m.hexmap.coord(f.hex[agent.idx])
    # a unit never stands in a hex the enemy holds at the end of a turn
    assert (m.control[f.hex[f.active]] == f.side[f.active]).all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_invariants_hold_every_turn_of_the_default_scenario(default_scenario, seed):
    """Strength never negative nor above its start, control binary, positions consistent."""
    m = SudzhaModel(default_scenario, rng=seed)
    check_invariants(m)
    while m.running:
        m.step()
        check_invariants(m)
    assert m.turn == default_scenario.spec.turn_count


def test_the_turn_runs_every_phase_in_the_documented_order(tutorial, monkeypatch):
    """The eight phases of the turn (docs/model.md, 1.3) run once per turn, in order."""
    calls = []
    phases = ["recon", "air", "ew", "fires", "manoeuvre", "combat", "logistics", "morale", "control"]
    m = SudzhaModel(tutorial, rng=1)
    for name in phases:
        module = importlib.import_module(f"sim.turn.{name}")
        monkeypatch.setattr(module, "run", lambda bf, _o=module.run, _n=name: (calls.append(_n), _o(bf))[1])
    m.step()
    assert calls == phases


def test_the_same_seed_reproduces_a_run_and_another_seed_differs(tutorial):
    """Identical seeds give identical outcomes and time series; different seeds differ."""
    a, b = run_once(tutorial, 11), run_once(tutorial, 11)
    assert a.outcomes == b.outcomes and a.timeseries == b.timeseries
    assert (a.ua_control == b.ua_control).all()
    outcomes = [run_once(tutorial, s).outcomes for s in run_seeds(5, 6)]
    assert len({tuple(o.values()) for o in outcomes}) > 1


def _mean_outcome(loaded, key, seeds):
    return float(np.mean([run_once(loaded, s).outcomes[key] for s in seeds]))


def test_a_stronger_attacker_takes_more_ground_on_average():
    """Doubling the Russian regiments lowers Ukraine's end area over many seeds."""
    seeds = run_seeds(7, 40)
    base = load_scenario(TUTORIAL)
    strong = load_scenario(TUTORIAL, ["forces.ru_north_1.personnel=3600", "forces.ru_north_2.personnel=3600"])
    assert _mean_outcome(strong, "ua_area_km2", seeds) < _mean_outcome(base, "ua_area_km2", seeds)


@pytest.mark.slow
def test_stronger_defences_cost_the_attacker_more():
    """Better prepared defences (posture factor) raise the attacker's losses and hold more ground."""
    seeds = run_seeds(8, 40)
    weak = load_scenario(TUTORIAL, ["parameters.combat.posture_defence.defend=1.0"])
    strong = load_scenario(TUTORIAL, ["parameters.combat.posture_defence.defend=2.0"])
    assert _mean_outcome(strong, "ua_area_km2", seeds) > _mean_outcome(weak, "ua_area_km2", seeds)
    assert _mean_outcome(strong, "ru_assaults_won", seeds) < _mean_outcome(weak, "ru_assaults_won", seeds)


def test_no_attackers_means_no_fighting():
    """With every unit defending, nothing changes hands and nobody is hurt."""
    calm = load_scenario(
        TUTORIAL,
        [
            "sides.RU.doctrine.default_posture=defend",
            "forces.ru_north_1.objective=null",
            "forces.ru_north_2.objective=null",
        ],
    )
    result = run_once(calm, 3)
    assert result.outcomes["ua_casualties"] == 0 and result.outcomes["ru_casualties"] == 0
    assert result.outcomes["hexes_changed"] == 0


def test_broken_units_withdraw_and_recover():
    """A unit whose morale collapses breaks, falls back, and rallies after rest."""
    loaded = load_scenario(TUTORIAL)
    m = SudzhaModel(loaded, rng=4)
    bf = m.battlefield
    f = bf.forces
    i = f.ids.index("ua_north_1")
    f.morale[i] = 0.1
    f.broken[i] = True
    rear_before = bf.cost_fields.to(bf.rear_goal[0])[f.hex[i]]
    m.step()
    assert bf.cost_fields.to(bf.rear_goal[0])[f.hex[i]] < rear_before
    for _ in range(9):
        m.step()
    assert f.morale[i] > 0.1


def test_dprk_losses_are_counted_apart(default_scenario):
    """DPRK units fight for Russia but their casualties have their own column."""
    result = run_once(default_scenario, 5)
    assert result.outcomes["dprk_casualties"] > 0
    m = SudzhaModel(default_scenario.with_inputs(result.inputs), rng=5)  # the inputs that run drew
    while m.running:
        m.step()
    f = m.battlefield.forces
    assert result.outcomes["dprk_casualties"] == f.lost_personnel[f.nation == 2].sum()
    assert result.outcomes["ru_casualties"] == f.lost_personnel[f.nation == 1].sum()


def test_the_mesa_model_and_the_batch_runner_play_the_same_run(tutorial):
    """`SudzhaModel` (app, single runs) and `run_once` (batches, without the grid) give the same
    per-turn record and the same end state for one seed."""
    model = SudzhaModel(tutorial, rng=5)
    while model.running:
        model.step()
    batch = run_once(tutorial, 5)
    collected = model.datacollector.get_model_vars_dataframe().to_dict(orient="list")
    assert {k: v for k, v in batch.timeseries.items() if k != "turn"} == collected
    assert (np.packbits(model.battlefield.control == UA) == batch.ua_control).all()


def test_a_finished_replication_leaves_no_reference_cycles(tutorial, default_scenario):
    """A batch's replications free themselves by reference counting, alone or in a lock-step group:
    the cyclic collector finds nothing to do after them, so it costs a long batch nothing."""
    import gc

    from sim.replications import plan_jobs, play_together

    run_once(tutorial, 1)
    play_together(default_scenario, plan_jobs(1, 2))
    gc.collect()
    gc.disable()
    try:
        for seed in (2, 3, 4):
            run_once(tutorial, seed)
        play_together(default_scenario, plan_jobs(2, 3))
        assert gc.collect() == 0
    finally:
        gc.enable()
