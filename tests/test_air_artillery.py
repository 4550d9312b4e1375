"""Air power, air defence and artillery: the mechanisms move outcomes the right way."""

from __future__ import annotations

import numpy as np
import pytest

from sim.codes import Role
from sim.loading import load_scenario
from sim.model import SudzhaModel
from sim.replications import run_once, run_seeds
from sim.rules import air, fires
from sim.turn import fires as fires_phase

from conftest import TUTORIAL

SEEDS = run_seeds(21, 30)

SAM = """\
extends: {tutorial}
name: tutorial with aviation and a SAM
sides:
  RU:
    air: {{aircraft: 10, sorties_per_aircraft: 2.0, release_depth_min_km: 5, release_depth_max_km: 25}}
air_defence:
  - {{id: ua_sam, name: SAM, side: UA, kind: sam, launchers: {launchers}, range_km: 35, missiles: {missiles},
     missiles_capacity: {missiles}, engagement_probability: {engage}, kill_probability: 0.4, at: sudzha}}
weather: {{clear: 1.0, degraded: 0.0, grounded: 0.0}}
"""


def _write_sam(tmp_path, name, launchers, missiles, engage):
    path = tmp_path / f"{name}.yaml"
    path.write_text(SAM.format(tutorial=TUTORIAL, launchers=launchers, missiles=missiles, engage=engage))
    return load_scenario(path)


def _mean(loaded, key, seeds=SEEDS):
    return float(np.mean([run_once(loaded, s).outcomes[key] for s in seeds]))


@pytest.mark.slow
def test_more_sorties_bring_more_casualties_from_the_air():
    """More Russian sorties give more Ukrainian casualties from air, on average over many seeds."""
    few = load_scenario(
        TUTORIAL, ["sides.RU.air.aircraft=4", "weather.clear=1", "weather.degraded=0", "weather.grounded=0"]
    )
    many = load_scenario(
        TUTORIAL, ["sides.RU.air.aircraft=16", "weather.clear=1", "weather.degraded=0", "weather.grounded=0"]
    )
    assert _mean(many, "ru_sorties") > _mean(few, "ru_sorties")
    assert _mean(many, "ua_casualties_air") > _mean(few, "ua_casualties_air") > 0


def test_no_aviation_means_no_air_casualties_and_no_superiority():
    """With no aircraft on either side nothing flies, nobody is hurt from the air, nobody holds the sky."""
    grounded = load_scenario(TUTORIAL, ["sides.RU.air.aircraft=0", "sides.UA.air.aircraft=0"])
    for seed in SEEDS[:5]:
        out = run_once(grounded, seed).outcomes
        assert out["ru_sorties"] == out["ua_sorties"] == 0
        assert out["ua_casualties_air"] == out["ru_casualties_air"] == out["dprk_casualties_air"] == 0
        assert out["ru_air_superiority_share"] == out["ua_air_superiority_share"] == 0


@pytest.mark.slow
def test_stronger_air_defence_means_fewer_effective_sorties_and_more_aircraft_lost(tmp_path):
    """Doubling the SAM's launchers and readiness downs more aircraft and lets fewer sorties through."""
    weak = _write_sam(tmp_path, "weak", launchers=2, missiles=40, engage=0.15)
    strong = _write_sam(tmp_path, "strong", launchers=4, missiles=80, engage=0.3)
    lost_weak, lost_strong = _mean(weak, "ru_aircraft_lost"), _mean(strong, "ru_aircraft_lost")
    assert lost_strong > lost_weak
    effective_weak = _mean(weak, "ru_sorties") - lost_weak
    effective_strong = _mean(strong, "ru_sorties") - lost_strong
    assert effective_strong < effective_weak
    assert _mean(strong, "ru_glide_bombs") < _mean(weak, "ru_glide_bombs")


def test_grounded_weather_stops_all_sorties():
    """A weather sequence of grounded days keeps every aircraft on the ground."""
    loaded = load_scenario(
        TUTORIAL, ["sides.RU.air.aircraft=20", "weather.sequence=[" + ",".join(["grounded"] * 10) + "]"]
    )
    assert run_once(loaded, 3).outcomes["ru_sorties"] == 0


def test_fires_never_exceed_ammunition(default_scenario, monkeypatch):
    """No battery fires more rounds in a turn than it held, and stocks never go negative."""
    checks = []
    original = fires_phase.run

    def checked(bf):
        f = bf.forces
        batteries = f.role == Role.ARTILLERY
        before = f.ammo[batteries].copy()
        fired_before = sum(bf.record.rounds)
        original(bf)
        spent = before - f.ammo[batteries]
        assert (spent >= 0).all() and (f.ammo >= 0).all()  # drones and missiles never negative either
        assert (spent <= before).all()
        assert spent.sum() == sum(bf.record.rounds) - fired_before
        checks.append(spent.sum())

    monkeypatch.setattr(fires_phase, "run", checked)
    m = SudzhaModel(default_scenario, rng=4)
    while m.running:
        m.step()
    assert sum(checks) > 0


def test_casualties_are_counted_by_cause_and_add_up(default_scenario):
    """Every loss has one cause; the causes add up to the total for each nation."""
    out = run_once(default_scenario, 9).outcomes
    for nation in ("ua", "ru", "dprk"):
        causes = sum(out[f"{nation}_casualties_{c}"] for c in ("combat", "artillery", "air", "drones"))
        assert causes == out[f"{nation}_casualties"]
    assert out["ua_casualties_air"] > 0 and out["ua_casualties_artillery"] > 0
    assert out["ru_casualties_artillery"] > 0


def test_air_superiority_index_definition():
    """AS = share of sortie capacity x survival x freedom; no aviation means no share of the sky."""
    index = air.superiority_index(np.array([0, 40]), np.array([1.0, 0.9]), np.array([1.0, 0.5]))
    assert index[0] == 0 and index[1] == pytest.approx(1.0 * 0.9 * 0.5)
    contested = air.superiority_index(np.array([10, 30]), np.array([0.8, 0.9]), np.array([0.5, 0.7]))
    assert contested == pytest.approx([0.25 * 0.8 * 0.5, 0.75 * 0.9 * 0.7])
    assert (air.superiority_index(np.zeros(2), np.ones(2), np.ones(2)) == 0).all()


def test_air_defence_coverage_grows_with_range_and_shrinks_with_distance():
    """A longer-range or closer air-defence unit covers more of the enemy's release points."""
    cov = air.release_coverage(
        np.array([10.0, 30.0, 30.0, 60.0]), np.array([5.0, 5.0, 15.0, 5.0]), 10.0, 40.0
    )
    assert cov[0] == 0 and cov[3] == 1 and cov[1] > cov[2] > 0


def test_engagements_are_limited_by_missiles():
    """A unit with few missiles cannot engage every sortie it covers."""
    full = air.engagement_chance(
        np.array([1.0]), np.array([1.0]), np.array([1.0]), np.array([100]), np.array([2]), 10
    )
    short = air.engagement_chance(
        np.array([1.0]), np.array([1.0]), np.array([1.0]), np.array([4]), np.array([2]), 10
    )
    assert full[0] == 1.0 and short[0] == pytest.approx(0.2)


def test_round_allocation_respects_stock_reach_and_counter_battery_priority():
    """Batteries fire only at targets in reach, every round they can, and favour enemy guns."""
    reach = np.array([[True, True, False], [False, False, False]])
    rounds = fires.allocate_rounds(
        reach, np.array([1.0, 5.0, 100.0]), np.array([60, 50]), np.array([0.3, 0.7])
    )
    assert rounds.sum(axis=1).tolist() == [60, 0]
    assert rounds[0, 2] == 0 and rounds[0, 1] > rounds[0, 0]


def test_every_round_and_sortie_is_allocated():
    """Exact allocation: what each shooter can fire is split in whole rounds that add up to all of it,
    each target getting the floor or ceiling of its share, and the shares right on average."""
    rng = np.random.default_rng(12)
    for _ in range(200):
        shooters, targets = rng.integers(1, 8), rng.integers(1, 30)
        reach = rng.random((shooters, targets)) < 0.6
        priority = rng.random(targets) * 10
        available = rng.integers(0, 500, shooters)
        rounds = fires.allocate_rounds(reach, priority, available, rng.random(shooters))
        can = reach.any(axis=1)
        assert (rounds.sum(axis=1) == np.where(can, available, 0)).all()
        assert (rounds[~reach] == 0).all() and (rounds >= 0).all()
        weights = reach * priority
        share = np.divide(
            weights, weights.sum(axis=1, keepdims=True), out=np.zeros_like(weights), where=can[:, None]
        )
        exact = share * available[:, None]
        assert (np.abs(rounds - exact) < 1 + 1e-9).all()
    u = rng.random(4000)
    mean = fires.allocate_rounds(
        np.ones((4000, 3), bool), np.array([1.0, 2.0, 4.0]), np.full(4000, 10), u
    ).mean(0)
    assert mean == pytest.approx(np.array([1, 2, 4]) / 7 * 10, abs=0.05)
