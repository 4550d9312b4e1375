"""Calibration (ABC-SMC): the posterior finds a known truth, held-out figures stay out, it resumes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibrate import run_calibration, targets_of
from sim.loading import load_scenario
from sim.replications import run_batch

from conftest import TUTORIAL

TRUTH = 2.0
PRIOR = (0.5, 3.5)


def _scenario(tmp_path, reported_value: float, holdout_value: float = 500.0):
    path = tmp_path / "synthetic.yaml"
    path.write_text(
        f"extends: {TUTORIAL}\ndays: 3\nparameters:\n  combat:\n"
        f"    intensity: {{dist: uniform, low: {PRIOR[0]}, high: {PRIOR[1]}, source: assumption}}\n"
        "reported:\n"
        f"  - {{metric: ru_casualties, day: 3, value: {reported_value}, low: {reported_value * 0.92},"
        f" high: {reported_value * 1.08}, source: synthetic truth}}\n"
        f"  - {{metric: ua_casualties, day: 3, value: {holdout_value}, low: {holdout_value * 0.9},"
        f" high: {holdout_value * 1.1}, holdout: true, source: synthetic check}}\n",
        encoding="utf-8",
    )
    return load_scenario(path)


@pytest.fixture(scope="module")
def truth_value(tmp_path_factory):
    """The Russian casualties the model gives, in median, when the intensity is the truth."""
    loaded = load_scenario(TUTORIAL, ["days=3", f"parameters.combat.intensity={TRUTH}"])
    rows = []
    run_batch(loaded, 60, 4, 2, lambda r: rows.append(r.outcomes["ru_casualties"]))
    return float(np.median(rows))


def _calibrate(loaded, out, generations=3, resume=False):
    out.mkdir(exist_ok=True)
    return run_calibration(
        loaded,
        out,
        population=40,
        generations=generations,
        seed=9,
        workers=2,
        progress=False,
        plots=False,
        resume=resume,
        predictive_runs=20,
    )


@pytest.mark.slow
def test_the_posterior_covers_the_truth_and_is_narrower_than_the_prior(tmp_path, truth_value):
    loaded = _scenario(tmp_path, truth_value)
    assert [t.metric for t in targets_of(loaded)] == ["ru_casualties"]  # the held-out figure is left out
    result = _calibrate(loaded, tmp_path / "cal", generations=4)
    (row,) = result.posterior
    assert row["p5"] <= TRUTH <= row["p95"], row
    # one run per particle: its own noise (a coefficient of variation of about 22 % here) bounds how
    # narrow the posterior can get, to about half the prior's sd; it must get well below the prior's
    prior_sd = (PRIOR[1] - PRIOR[0]) / np.sqrt(12)
    assert row["sd"] < 0.75 * prior_sd, row
    posterior = pd.read_csv(tmp_path / "cal" / "posterior.csv")
    assert len(posterior) == 40 and posterior["weight"].sum() == pytest.approx(1.0)
    again = load_scenario(tmp_path / "cal" / "calibrated.yaml")
    assert [i.distribution.dist for i in again.inputs] == ["normal"]
    held = [r for r in result.predictive["reported"] if r.get("holdout")]
    assert len(held) == 1 and held[0]["metric"] == "ua_casualties"


@pytest.mark.slow
def test_a_held_out_figure_never_enters_the_fit(tmp_path, truth_value):
    """Changing the held-out figure changes no accepted draw."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _calibrate(_scenario(tmp_path / "a", truth_value, holdout_value=100.0), tmp_path / "a" / "cal", 2)
    b = _calibrate(_scenario(tmp_path / "b", truth_value, holdout_value=900.0), tmp_path / "b" / "cal", 2)
    assert (tmp_path / "a" / "cal" / "posterior.csv").read_bytes() == (
        tmp_path / "b" / "cal" / "posterior.csv"
    ).read_bytes()
    assert a.posterior == b.posterior


@pytest.mark.slow
def test_a_stopped_calibration_resumes_where_it_was(tmp_path, truth_value):
    """Two generations, then --resume to three, gives exactly the three-generation calibration."""
    loaded = _scenario(tmp_path, truth_value)
    _calibrate(loaded, tmp_path / "split", generations=2)
    _calibrate(loaded, tmp_path / "split", generations=3, resume=True)
    _calibrate(loaded, tmp_path / "whole", generations=3)
    assert (tmp_path / "split" / "posterior.csv").read_bytes() == (
        tmp_path / "whole" / "posterior.csv"
    ).read_bytes()
