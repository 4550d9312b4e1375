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
