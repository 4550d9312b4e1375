"""The adjudication rules on their own: invariants and the direction of every effect."""

from __future__ import annotations

import numpy as np
import pytest

from sim.battle.geography import hex_distance, hex_neighbours
from sim.rules import combat, control, detection, morale
from sim.rules.movement import CostFields, edge_costs

RATES = dict(
    attacker_rate=0.028,
    defender_rate=0.015,
    attacker_max=0.1344,
    defender_max=0.0576,
    intensity=1.0,
    exponent=0.5,
    noise=0.35,
    days=1.0,
)


def test_losses_never_exceed_strength_or_go_negative():
    """Binomial losses stay within 0..strength for any loss fraction, even out of range."""
    rng = np.random.default_rng(1)
    personnel = rng.integers(0, 3000, 10_000)
    vehicles = rng.integers(0, 100, 10_000)
    fraction = rng.uniform(-0.5, 1.5, 10_000)
    people, cars = combat.draw_losses(personnel, vehicles, fraction, 2.0, rng)
    assert (people >= 0).all() and (people <= personnel).all()
    assert (cars >= 0).all() and (cars <= vehicles).all()


def test_loss_rates_follow_the_power_ratio_and_respect_the_caps():
    """A stronger attacker loses less and inflicts more; rates never pass the QJM caps by much."""
    rng = np.random.default_rng(2)
    ratios = np.array([0.5, 1.0, 3.0, 10.0])
    att, dfd = combat.loss_rates(np.repeat(ratios, 4000), rng=rng, **{**RATES, "noise": 0.0})
    att, dfd = att.reshape(4, -1).mean(axis=1), dfd.reshape(4, -1).mean(axis=1)
    assert np.all(np.diff(att) < 0) and np.all(np.diff(dfd) > 0)
    assert np.isclose(att[1], 0.028) and np.isclose(dfd[1], 0.015)
    assert dfd.max() <= 0.0576 + 1e-12


def test_capture_probability_is_one_half_at_the_threshold_and_rises():
    """The 3:1 rule made smooth: 50 % at 3:1, more above, less below."""
    p = combat.capture_probability(np.array([1.0, 3.0, 9.0]), threshold=3.0, steepness=2.0)
    assert np.isclose(p[1], 0.5) and p[0] < 0.5 < p[2]


def test_combat_power_grows_with_strength_quality_morale_and_supply():
    """Each factor of combat power pushes it the right way."""
    kw = dict(vehicle_weight=10.0, morale_weight=0.6, supply_weight=0.5)
    one = np.array([1.0])
    base = combat.combat_power(one * 500, one * 10, one, one * 0.5, one * 0.5, **kw)
    assert combat.combat_power(one * 600, one * 10, one, one * 0.5, one * 0.5, **kw) > base
    assert combat.combat_power(one * 500, one * 20, one, one * 0.5, one * 0.5, **kw) > base
    assert combat.combat_power(one * 500, one * 10, one * 1.2, one * 0.5, one * 0.5, **kw) > base
    assert combat.combat_power(one * 500, one * 10, one, one * 0.9, one * 0.5, **kw) > base
    assert combat.combat_power(one * 500, one * 10, one, one * 0.5, one * 0.9, **kw) > base


def test_resolve_favours_the_stronger_attacker():
    """Over many engagements a 4:1 attack takes more hexes and bleeds less than a 1:1 attack."""
    rng = np.random.default_rng(3)
    n = 2000
    eye = np.eye(2 * n)
    # units 0..n-1 attack engagement e; units n..2n-1 defend it
    engagements = combat.Engagements(eye[:n], eye[n:], np.ones(n), np.ones(n))
    multiplier = np.ones((n, 2 * n))
    results = {}
    for attack_power in (1.0, 4.0):
        power = np.concatenate([np.full(n, attack_power), np.ones(n)])
        r = combat.resolve(
            engagements, power, multiplier, np.ones(2 * n), rates=RATES, threshold=3.0, steepness=2.0, rng=rng
        )
        results[attack_power] = (
            r.captured.mean(),
            r.unit_loss_fraction[:n].mean(),
            r.unit_loss_fraction[n:].mean(),
        )
    assert results[4.0][0] > results[1.0][0]
    assert results[4.0][1] < results[1.0][1]
    assert results[4.0][2] > results[1.0][2]


def test_undefended_hexes_are_taken_at_no_cost():
    """An engagement with no defending power is a capture without attacker losses."""
    rng = np.random.default_rng(4)
    engagements = combat.Engagements(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.ones(1), np.ones(1))
    r = combat.resolve(
        engagements,
        np.array([100.0, 50.0]),
        np.ones((1, 2)),
        np.ones(2),
        rates=RATES,
        threshold=3.0,
        steepness=2.0,
        rng=rng,
    )
    assert r.captured[0] and r.unit_loss_fraction[0] == 0.0


@pytest.mark.slow
def test_detection_rises_with_effort_and_stops_at_range():
    """More reconnaissance effort sees more; nothing beyond range is seen."""
    rng = np.random.default_rng(5)
    n = 4000
    x = np.concatenate([np.zeros(n), np.full(n, 5.0)])
    y = np.zeros(2 * n)
    side = np.repeat([0, 1], n).astype(np.int8)
    active = np.ones(2 * n, dtype=bool)
    exposure = np.ones(2 * n)
    seen = {}
    for effort in (0.2, 1.0):
        d = detection.detect(
            nearest_enemy=detection.nearest_enemy_km(x, y, side, active),
            active=active,
            exposure=exposure,
            effort=np.full(2 * n, effort),
            range_km=10.0,
            rng=rng,
        )
        seen[effort] = d.mean()
    assert seen[1.0] > seen[0.2]
    far = detection.detect(
        nearest_enemy=detection.nearest_enemy_km(x, y, side, active),
        active=active,
        exposure=exposure,
        effort=np.full(2 * n, 5.0),
        range_km=4.0,
        rng=rng,
    )
    assert not far.any()


def _line_map(cols=6, rows=4):
    neighbours = hex_neighbours(cols, rows)
    n = cols * rows
    return neighbours, n


def test_roads_make_routes_cheaper():
    """Roads make a cost field cheaper than open ground, and the routes units take lead to the goal."""
    neighbours, n = _line_map()
    terrain = np.zeros(n, dtype=np.int8)
    river = np.zeros(n, dtype=np.int8)
    no_road = np.zeros((n, 6), dtype=bool)
    kw = dict(hex_km=1.0, terrain_cost=np.array([1.0, 2.0, 1.5, 3.0]), road_cost=0.5, river_crossing_cost=2.0)
    plain_fields = CostFields(neighbours, edge_costs(terrain, river, neighbours, no_road, **kw))
    plain = plain_fields.to(0)
    roads = CostFields(neighbours, edge_costs(terrain, river, neighbours, ~no_road, **kw)).to(0)
    assert np.all(roads[1:] < plain[1:]) and plain[0] == 0
    # a unit follows the best step of its route table (as manoeuvre does) from every hex
    hexes, costs = plain_fields.routes(0)
    for start in range(1, n):
        here, spent, steps = start, 0.0, 0
        while here != 0:
            step, cost = hexes[here][0], costs[here][0]
            assert plain[step] < plain[here]
            spent += cost
            here, steps = step, steps + 1
        assert spent == pytest.approx(plain[start])  # the route's steps add up to the field's cost
        assert steps == hex_distance(start, 0, 4)  # on open ground the shortest route in steps


def test_cut_off_pockets_fall_only_when_nobody_holds_them():
    """A side's hexes cut off from its rear are lost unless one of its units stands in the pocket."""
    cols, rows = 5, 1
    neighbours = hex_neighbours(cols, rows)
    ctl = np.array([0, 1, 0, 0, 1], dtype=np.int8)  # UA at 0 (anchored) and 2-3 (pocket)
    anchors = np.array([True, False, False, False, False])
    nobody = np.zeros(5, dtype=bool)
    edges = control.undirected_edges(neighbours)
    lost = control.abandoned_pockets(ctl, 0, anchors, nobody, edges)
    assert lost.tolist() == [False, False, True, True, False]
    held_by_unit = np.array([False, False, False, True, False])
    assert not control.abandoned_pockets(ctl, 0, anchors, held_by_unit, edges).any()


def test_morale_falls_with_losses_recovers_at_rest_and_breaks_with_hysteresis():
    """Losses cut morale, rest restores it (never above nominal), breaking needs a rally to undo."""
    m = morale.update_morale(
        np.array([0.8, 0.5, 0.5]),
        np.array([0.8, 0.8, 0.6]),
        np.array([0.1, 0.0, 0.0]),
        np.array([True, False, False]),
        np.array([True, False, False]),
        np.array([False, False, True]),
        loss_sensitivity=3.0,
        defeat_penalty=0.1,
        recovery=0.05,
        reserve_recovery=0.5,
        days=1.0,
    )
    assert np.allclose(m, [0.4, 0.55, 0.6])
    broken = morale.broken_state(np.array([0.4, 0.4]), np.array([False, True]), break_at=0.3, rally_at=0.5)
    assert broken.tolist() == [False, True]
