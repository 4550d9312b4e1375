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
)
ADVANCE = dict(top=3.0, threshold=3.0, steepness=2.0)


def test_losses_never_exceed_strength_or_go_negative():
    """Binomial losses stay within 0..strength for any loss fraction, even out of range."""
    rng = np.random.default_rng(1)
    personnel = rng.integers(0, 3000, 10_000)
    vehicles = rng.integers(0, 100, 10_000)
    fraction = rng.uniform(-0.5, 1.5, 10_000)
    people, cars = combat.draw_losses(personnel, vehicles, fraction, 2.0, rng.random((2, 10_000)))
    assert (people >= 0).all() and (people <= personnel).all()
    assert (cars >= 0).all() and (cars <= vehicles).all()


def test_loss_rates_follow_the_power_ratio_and_respect_the_caps():
    """A stronger attacker loses less and inflicts more; QJM standard rates at 1:1, never past the caps."""
    att, dfd = combat.loss_rates(np.array([0.5, 1.0, 3.0, 10.0, 1000.0]), **RATES)
    assert np.all(np.diff(att) < 0) and np.all(np.diff(dfd) > 0)
    assert np.isclose(att[1], 0.028) and np.isclose(dfd[1], 0.015)
    assert dfd.max() <= 0.0576 + 1e-12 and att.max() <= 0.1344 + 1e-12


def test_the_exponent_sets_the_exchange_of_losses_as_lanchester_would():
    """Absolute losses exchange at (a0/d0) R^(1-2k): constant at k = 1/2 (linear law), moving to the
    stronger side as R grows when k > 1/2 (towards the square law)."""
    ratio = np.array([1.0, 1.5, 2.0])  # inside the QJM caps
    for k, direction in ((0.5, 0), (1.0, -1), (0.56, -1)):
        att, dfd = combat.loss_rates(ratio, **{**RATES, "exponent": k})
        exchange = att * ratio / dfd  # attacker strength R times the defender's, losses in people
        assert np.allclose(exchange, (0.028 / 0.015) * ratio ** (1 - 2 * k))
        assert np.all(np.sign(np.round(np.diff(exchange), 12)) == direction)


def test_the_default_exponent_meets_rands_three_to_one_rule():
    """RAND's 3:1 rule: equal fractional losses at a 3:1 force ratio against prepared defences in mixed
    terrain (published figure; docs/sources.md). With the default terrain and posture factors, the
    default exponent puts that point within 10 % of 3:1."""
    from sim.scenario import Parameters

    c = Parameters().combat
    mixed = (c.terrain_defence.open + c.terrain_defence.forest) / 2
    prepared = c.posture_defence.hold
    rates = {**RATES, "exponent": c.ratio_exponent}
    forces = np.linspace(1.5, 6.0, 4501)
    att, dfd = combat.loss_rates(forces / (mixed * prepared), **rates)
    equal = forces[np.argmin(np.abs(att - dfd))]
    assert equal == pytest.approx(3.0, rel=0.10)


def test_an_assault_advances_only_with_preponderance_and_at_half_its_top_rate_at_the_threshold():
    """Dupuy: advance against opposition needs combat-power preponderance; the 3:1 rule made smooth."""
    v = combat.advance_rate(np.array([0.5, 1.0, 2.0, 3.0, 9.0, 1e4]), **ADVANCE)
    assert v[0] == 0 and v[1] == 0 and np.all(np.diff(v[1:]) > 0)
    assert v[3] == pytest.approx(1.5) and v[-1] == pytest.approx(3.0, rel=1e-3)


def test_ground_taken_per_km_advanced_does_not_depend_on_the_hex_size():
    """Depth to take a hex and the flanks it brings: frontage x depth of ground whatever the hex width."""
    frontage = 2.0
    for w in (0.75, 1.0, 1.5, 2.0, 3.0):
        area = np.sqrt(3) / 2 * w * w * (1 + 2 * combat.flank_share(w, frontage))
        per_km = area / combat.depth_to_take(w, frontage)
        assert per_km == pytest.approx(np.sqrt(3) / 2 * frontage, rel=1e-9) or w < frontage / 3


def test_resolve_favours_the_stronger_attacker():
    """Over many engagements a 4:1 attack advances further and bleeds less than a 1:1 attack."""
    n = 2000
    eye = np.eye(2 * n)
    # units 0..n-1 attack engagement e; units n..2n-1 defend it
    engagements = combat.Engagements(eye[:n], eye[n:], np.ones(n), np.ones(n))
    multiplier = np.ones((n, 2 * n))
    noise = combat.daily_noise(np.random.default_rng(3).standard_normal((2, n)), 0.35)
    results = {}
    for attack_power in (1.0, 4.0):
        power = np.concatenate([np.full(n, attack_power), np.ones(n)])
        r = combat.resolve(
            engagements,
            power,
            multiplier,
            np.ones(2 * n),
            rates=RATES,
            advance=ADVANCE,
            days=1.0,
            noise=noise,
        )
        results[attack_power] = (
            r.advance_km.mean(),
            r.unit_loss_fraction[:n].mean(),
            r.unit_loss_fraction[n:].mean(),
        )
    assert results[4.0][0] > results[1.0][0] == 0
    assert results[4.0][1] < results[1.0][1]
    assert results[4.0][2] > results[1.0][2]


def test_losses_and_advance_scale_with_the_days_fought_and_the_tempo():
    """The TNDM's time rule: half the time (or half the tempo) gives half the advance, and losses
    compound as a hazard: two half-days of fighting cost what one day costs."""
    engagements = combat.Engagements(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]), np.ones(1), np.ones(1))
    kw = dict(rates=RATES, advance=ADVANCE, noise=np.ones((2, 1)))
    power, mult = np.array([400.0, 100.0]), np.ones((1, 2))
    day = combat.resolve(engagements, power, mult, np.ones(2), days=1.0, **kw)
    half = combat.resolve(engagements, power, mult, np.ones(2), days=0.5, **kw)
    slow = combat.resolve(
        combat.Engagements(engagements.attack_share, engagements.defence_share, np.ones(1), np.full(1, 0.5)),
        power,
        mult,
        np.ones(2),
        days=1.0,
        **kw,
    )
    for r in (half, slow):
        assert r.advance_km[0] == pytest.approx(day.advance_km[0] / 2)
        assert 1 - (1 - r.unit_loss_fraction) ** 2 == pytest.approx(day.unit_loss_fraction)
        assert (r.unit_loss_fraction > day.unit_loss_fraction / 2).all()


def test_an_assault_goes_on_past_its_hex_but_stops_when_a_side_would_break():
    """An assault that goes the remaining depth takes the hex and fights on into the ground behind
    it; one whose main attacker would break is called off, one whose main defender would break takes
    the hex: the same morale feedback a shorter turn would give."""
    engagements = combat.Engagements(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]), np.ones(1), np.ones(1))
    kw = dict(rates=RATES, advance=ADVANCE, noise=np.ones((2, 1)), days=4.0)
    power, mult, exposure = np.array([500.0, 100.0]), np.ones((1, 2)), np.ones(2)
    free = combat.resolve(engagements, power, mult, exposure, **kw)
    near = combat.resolve(engagements, power, mult, exposure, remaining_km=np.array([0.5]), **kw)
    assert near.captured[0] and not free.captured[0]
    assert near.advance_km[0] == pytest.approx(free.advance_km[0]) and free.advance_km[0] > 0.5
    assert near.unit_loss_fraction == pytest.approx(free.unit_loss_fraction)

    def fight(morale):
        return combat.resolve(
            engagements,
            power,
            mult,
            exposure,
            remaining_km=np.array([50.0]),
            morale=dict(level=np.array(morale), break_at=0.3, sensitivity=3.0),
            **kw,
        )

    steady, shaky_attacker, shaky_defender = fight([0.9, 0.9]), fight([0.31, 0.9]), fight([0.9, 0.31])
    assert not steady.captured[0] and not shaky_attacker.captured[0] and shaky_defender.captured[0]
    assert shaky_attacker.unit_loss_fraction[0] < steady.unit_loss_fraction[0]
    assert shaky_defender.unit_loss_fraction[1] < steady.unit_loss_fraction[1]
    # the attacker that gives up has lost just what takes it to the break threshold
    assert 0.31 - 3.0 * shaky_attacker.unit_loss_fraction[0] == pytest.approx(0.3, abs=1e-9)


def test_daily_noise_has_mean_one():
    """The log-normal loss factor neither inflates nor deflates losses on average."""
    z = np.random.default_rng(9).standard_normal(400_000)
    assert combat.daily_noise(z, 0.35).mean() == pytest.approx(1.0, abs=0.005)


def test_undefended_hexes_are_taken_at_no_cost():
    """An engagement with no defending power is taken without attacker losses."""
    engagements = combat.Engagements(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.ones(1), np.ones(1))
    r = combat.resolve(
        engagements,
        np.array([100.0, 50.0]),
        np.ones((1, 2)),
        np.ones(2),
        rates=RATES,
        advance=ADVANCE,
        days=1.0,
        noise=np.ones((2, 1)),
    )
    assert r.undefended[0] and r.unit_loss_fraction[0] == 0.0


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
            u=rng.random(2 * n),
        )
        seen[effort] = d.mean()
    assert seen[1.0] > seen[0.2]
    far = detection.detect(
        nearest_enemy=detection.nearest_enemy_km(x, y, side, active),
        active=active,
        exposure=exposure,
        effort=np.full(2 * n, 5.0),
        range_km=4.0,
        u=rng.random(2 * n),
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


def test_pockets_are_the_groups_cut_off_from_the_rear():
    """A side's hexes cut off from its rear form pockets, one per connected group; the rest are not."""
    cols, rows = 7, 1
    ctl = np.array([0, 1, 0, 0, 1, 0, 1], dtype=np.int8)  # UA at 0 (anchored), 2-3 and 5 (pockets)
    anchors = np.array([True] + [False] * 6)
    layout = control.HexLayout.of(cols, rows)
    found = control.pockets(ctl, 0, anchors, layout)
    assert [p.tolist() for p in found] == [[2, 3], [5]]
    assert control.pockets(ctl, 1, np.array([False] * 6 + [True]), layout) != []  # RU at 1 and 4 cut off
    assert control.pockets(np.zeros(7, dtype=np.int8), 0, anchors, layout) == []


@pytest.mark.parametrize(("cols", "rows"), [(9, 8), (8, 9), (30, 23)])
def test_hex_groups_are_the_connected_components_of_the_neighbour_graph(cols, rows):
    """The axial-grid labelling joins exactly the hexes the neighbour table links: the same groups as
    a graph search over `hex_neighbours`, numbered in the order of their lowest hex, on random ground."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    neighbours = hex_neighbours(cols, rows)
    layout = control.HexLayout.of(cols, rows)
    rng = np.random.default_rng(cols * rows)
    src, slot = np.nonzero(neighbours >= 0)
    for share in (0.3, 0.5, 0.7):
        held = rng.random(cols * rows) < share
        keep = held[src] & held[neighbours[src, slot]]
        graph = csr_matrix(
            (np.ones(keep.sum()), (src[keep], neighbours[src, slot][keep])), shape=(held.size,) * 2
        )
        expected = connected_components(graph, directed=False)[1]
        got = control.components(held, layout)
        assert (got[~held] == 0).all() and (got[held] > 0).all()
        # the same partition: a one-to-one map between the two numberings on held hexes
        pairs = set(zip(got[held].tolist(), expected[held].tolist(), strict=True))
        assert len(pairs) == len({g for g, _ in pairs}) == len({e for _, e in pairs})
        anchors = np.zeros(held.size, dtype=bool)
        anchors[:rows] = True  # the first column is the rear
        ctl = np.where(held, 0, 1).astype(np.int8)
        found = control.pockets(ctl, 0, anchors, layout)
        lowest = [int(p[0]) for p in found]
        assert lowest == sorted(lowest) and all((np.diff(p) > 0).all() for p in found)
        rooted = set(expected[held & anchors].tolist())
        cut = held & ~np.isin(expected, list(rooted))
        assert sorted(h for p in found for h in p.tolist()) == np.flatnonzero(cut).tolist()


def test_morale_falls_with_losses_recovers_at_rest_and_breaks_with_hysteresis():
    """Losses and retreats (per km) cut morale, rest restores it (never above nominal), breaking needs a
    rally to undo."""
    m = morale.update_morale(
        np.array([0.8, 0.5, 0.5]),
        np.array([0.8, 0.8, 0.6]),
        np.array([0.1, 0.0, 0.0]),
        np.array([2.0, 0.0, 0.0]),
        np.array([True, False, False]),
        np.array([False, False, True]),
        loss_sensitivity=3.0,
        defeat_penalty_per_km=0.05,
        recovery=0.05,
        reserve_recovery=0.5,
        days=1.0,
    )
    assert np.allclose(m, [0.4, 0.55, 0.6])
    broken = morale.broken_state(np.array([0.4, 0.4]), np.array([False, True]), break_at=0.3, rally_at=0.5)
    assert broken.tolist() == [False, True]


def test_one_draw_at_a_time_gives_the_numbers_of_the_array_draws():
    """`poisson_one` and `binomial_one` (a turn's sortie and bomb counts) are the array draws
    for one uniform: the same count for every uniform, mean, size and chance, edges included."""
    from sim.rules import draws

    rng = np.random.default_rng(11)
    means = np.concatenate([[0.0, 1e-9, 29.999, 30.0, 45.0], rng.uniform(0, 3, 300), rng.uniform(0, 60, 300)])
    for lam in means:
        for u in np.concatenate([[0.0, 1 - 2**-53], rng.random(20)]):
            assert draws.poisson_one(u, lam) == int(draws.poisson(u, lam)), (u, lam)
    for n in (0, 1, 2, 7, 40, 300, 5000):
        for p in np.concatenate([[0.0, 1e-6, 0.5, 0.5000001, 1.0], rng.random(40), rng.uniform(0, 0.02, 20)]):
            for u in np.concatenate([[0.0, 1 - 2**-53], rng.random(8)]):
                assert draws.binomial_one(u, n, p) == int(draws.binomial(u, n, p)), (u, n, p)


def test_a_count_does_not_depend_on_what_else_is_drawn_in_the_same_call():
    """Each draw is the quantile of its own distribution at its own uniform, whatever the call
    also holds (replications played together draw in one call): the counts of a call of many
    equal those drawn alone, for small and large means side by side and uniforms at the edges."""
    from sim.rules import draws

    rng = np.random.default_rng(5)
    means = np.concatenate([[0.0, 1e-9, 0.5, 29.999, 30.0], rng.uniform(0, 2, 200), rng.uniform(0, 400, 40)])
    u = np.concatenate([[1 - 2**-53, 1 - 2**-40, 0.0, 0.999999999, 1 - 2**-53], rng.random(means.size - 5)])
    together = draws.poisson(u, means)
    assert together.tolist() == [
        int(draws.poisson(u[i : i + 1], means[i : i + 1])[0]) for i in range(means.size)
    ]
    assert together.tolist() == [draws.poisson_one(a, b) for a, b in zip(u, means, strict=True)]
    n = rng.integers(0, 3000, means.size)
    p = np.concatenate([[0.0, 1e-6, 0.5, 0.9999, 1.0], rng.uniform(0, 0.05, means.size - 5)])
    together = draws.binomial(u, n, p)
    assert together.tolist() == [
        int(draws.binomial(u[i : i + 1], n[i : i + 1], p[i : i + 1])[0]) for i in range(n.size)
    ]
    assert together.tolist() == [draws.binomial_one(a, b, c) for a, b, c in zip(u, n, p, strict=True)]


def test_fights_resolved_together_get_each_the_numbers_it_gets_alone():
    """Replications played together resolve their assaults in one call (`resolve_many`): every
    engagement's ratio, advance, capture and each unit's loss fraction must be the ones its fight
    gets alone, to the bit, whatever the other fights' sizes and strengths."""
    rng = np.random.default_rng(5)
    units = 6
    fights = []
    for engagements in (1, 3, 2):
        attack = rng.random((engagements, units)) * (rng.random((engagements, units)) < 0.5)
        defence = rng.random((engagements, units)) * (attack == 0)
        fights.append(
            combat.Fight(
                combat.Engagements(
                    attack, defence, rng.uniform(0.5, 1.5, engagements), rng.random(engagements)
                ),
                rng.uniform(50, 500, units),
                rng.uniform(1, 2, (engagements, units)),
                rng.uniform(0.5, 1, units),
                noise=rng.uniform(0.5, 1.5, (2, engagements)),
                remaining_km=rng.uniform(-0.2, 2, engagements),
                morale=dict(level=rng.random(units), break_at=0.3, sensitivity=2.0),
                garrison_power=rng.uniform(0, 100, engagements),
            )
        )
    together = combat.resolve_many(fights, rates=RATES, advance=ADVANCE, days=0.5)
    for fight, got in zip(fights, together, strict=True):
        alone = combat.resolve(
            fight.engagements,
            fight.power,
            fight.defence_multiplier,
            fight.exposure,
            rates=RATES,
            advance=ADVANCE,
            days=0.5,
            noise=fight.noise,
            remaining_km=fight.remaining_km,
            morale=fight.morale,
            garrison_power=fight.garrison_power,
        )
        for field in ("ratio", "advance_km", "undefended", "unit_loss_fraction", "captured", "defender_loss"):
            assert getattr(got, field).tobytes() == getattr(alone, field).tobytes(), field
