"""Common random numbers that pair: a change in one place leaves the other phases' draws alone."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.convergence import outcomes
from sim.loading import load_scenario
from sim.replications import run_once, run_seeds

from conftest import DEFAULT, SCENARIOS


def test_a_parameter_that_only_feeds_a_counter_changes_nothing_else():
    """`route_cut_threshold` only decides when the main road counts as cut: every other outcome of
    every run is identical, and the counter itself moves."""
    base = load_scenario(DEFAULT, ["days=10"])
    strict = load_scenario(DEFAULT, ["days=10", "parameters.logistics.route_cut_threshold=0.12"])
    moved = False
    for seed in run_seeds(5, 3):
        a, b = run_once(base, seed).outcomes, run_once(strict, seed).outcomes
        moved |= a["route_cut_days"] != b["route_cut_days"]
        assert {k: v for k, v in a.items() if k != "route_cut_days"} == {
            k: v for k, v in b.items() if k != "route_cut_days"
        }
    assert moved, "the threshold should move the counter in at least one run"


@pytest.mark.slow
def test_paired_end_areas_correlate_against_the_strong_air_defence_variant():
    """Runs of the default and of whatif_strong_ad that share a seed end close together (correlation
    of paired end areas at least 0.8), so a paired interval is far narrower than an unpaired one."""
    runs, keys = 60, ("ua_area_km2",)
    base = outcomes(DEFAULT, (), runs, 11, 2, keys)["ua_area_km2"]
    variant = outcomes(SCENARIOS / "whatif_strong_ad.yaml", (), runs, 11, 2, keys)["ua_area_km2"]
    assert np.corrcoef(base, variant)[0, 1] >= 0.8
    assert np.std(variant - base, ddof=1) < 0.5 * np.sqrt(np.var(base, ddof=1) + np.var(variant, ddof=1))


def test_a_block_of_uniforms_is_the_same_whatever_was_drawn_before_it():
    """A stream is moved from where it stands to each block (forwards or back), not reset: every
    block must still be the one a fresh stream gives, in any order of asking and any sizes drawn."""
    import numpy as np

    from sim.battle.dice import Dice, Site

    asks = [
        (Site.ARTILLERY, 3, (4, 5), 0),
        (Site.ARTILLERY, 1, 7, 2),
        (Site.ARTILLERY, 3, (4, 5), 0),
        (Site.DETECTION, 0, 3, 0),
        (Site.ARTILLERY, 0, 1, 0),
        (Site.ARTILLERY, 3, 2, 1),
    ]
    dice = Dice(11)
    order = np.random.default_rng(0).permutation(len(asks) * 4) % len(asks)
    for k in order:
        site, when, shape, part = asks[k]
        assert np.array_equal(
            dice.uniform(site, when, shape, part), Dice(11).uniform(site, when, shape, part)
        )
    # the first draws of a block do not depend on its size
    assert np.array_equal(Dice(11).uniform(Site.ARTILLERY, 2, 10)[:3], Dice(11).uniform(Site.ARTILLERY, 2, 3))
