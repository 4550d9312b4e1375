"""Uncertain inputs: fields written as distributions, drawn for each run, validated, paired, split."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.errors import UserInputError
from sim.loading import load_scenario
from sim.replications import run_batch, run_once
from sim.scenario import uncertain
from sim.statistics import mean_interval, variance_split
from sim.study import run_study

from conftest import ROOT, TUTORIAL

INTENSITY = "parameters.combat.intensity"
REGIMENT = "forces.ru_north_1.personnel"
TWO_INPUTS = [
    f"{INTENSITY}={{dist: uniform, low: 0.6, high: 1.8, source: assumption}}",
    f"{REGIMENT}={{dist: triangular, low: 1500, mode: 1800, high: 2600}}",
    "days=4",
]


@pytest.mark.parametrize(
    "spec, mean, low, high",
    [
        ({"dist": "uniform", "low": 2.0, "high": 6.0}, 4.0, 2.0, 6.0),
        ({"dist": "triangular", "low": 1.0, "mode": 2.0, "high": 6.0}, 3.0, 1.0, 6.0),
        ({"dist": "loguniform", "low": 1.0, "high": np.e**2}, (np.e**2 - 1) / 2, 1.0, np.e**2),
        ({"dist": "normal", "mean": 5.0, "sd": 1.0, "low": 0.0, "high": 10.0}, 5.0, 0.0, 10.0),
        ({"dist": "beta", "a": 2.0, "b": 6.0}, 0.25, 0.0, 1.0),
        ({"dist": "choice", "values": [1, 2, 4], "weights": [1, 1, 2]}, 2.75, 1.0, 4.0),
    ],
)
def test_draws_follow_their_distribution(spec, mean, low, high):
    """Each distribution's draws stay in its support and have its mean (20,000 inputs' streams)."""
    item = uncertain.UncertainInput(("x",), "x", uncertain._ADAPTER.validate_python(spec))
    values = np.array([uncertain.draw((item,), seed)["x"] for seed in range(20_000)])
    assert values.min() >= low and values.max() <= high
    sd = values.std()
    assert abs(values.mean() - mean) < 4 * sd / np.sqrt(values.size), (values.mean(), mean)
    assert item.distribution.support == (low, high)


def test_a_distribution_outside_the_fields_range_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "wide.yaml"
    path.write_text(
        f"extends: {TUTORIAL}\nparameters:\n  combat:\n"
        "    loss_noise: {dist: uniform, low: 0.1, high: 3}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "run_scenario.py", str(path), "--validate"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}:4: parameters.combat.loss_noise: the distribution's support [0.1, 3]" in done.stderr
    assert "high end" in done.stderr


def test_a_malformed_distribution_names_its_field():
    with pytest.raises(UserInputError) as caught:
        load_scenario(TUTORIAL, [f"{INTENSITY}={{dist: uniform, low: 2, high: 1}}"])
    assert INTENSITY in str(caught.value) and "low must be below high" in str(caught.value)
    with pytest.raises(UserInputError) as caught:
        load_scenario(TUTORIAL, [f"{INTENSITY}={{dist: gamma, shape: 2}}"])
    assert "unknown distribution 'gamma'" in str(caught.value)


def test_each_run_draws_its_inputs_and_records_them(tmp_path):
    """runs.csv has a column per input (whole numbers where the field is), drawn per draw group."""
    loaded = load_scenario(TUTORIAL, TWO_INPUTS)
    assert {i.name for i in loaded.inputs} == {INTENSITY, REGIMENT}
    run_study(loaded, tmp_path, runs=12, seed=3, workers=1, progress=False, plots=False, per_draw=3)
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert list(runs.columns[:5]) == ["run", "seed", "draw", INTENSITY, REGIMENT]
    assert runs[REGIMENT].dtype.kind == "i" and runs[REGIMENT].between(1500, 2600).all()
    assert (runs.groupby("draw")[INTENSITY].nunique() == 1).all()  # a draw's runs share it
    assert runs.groupby("draw")[INTENSITY].first().nunique() == 4  # draws differ
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert INTENSITY not in summary["metrics"]
    assert {row["name"] for row in summary["inputs"]} == {INTENSITY, REGIMENT}
    split = summary["spread"]["outcomes"]["ru_casualties"]
    assert split["draws"] == 4 and split["runs_per_draw"] == 3
    assert "dist: uniform" in (tmp_path / "scenario.resolved.yaml").read_text()  # it reruns the same
    again = load_scenario(tmp_path / "scenario.resolved.yaml")
    assert {i.name for i in again.inputs} == {INTENSITY, REGIMENT}


def test_inputs_move_the_outcome_they_should():
    """A stronger Russian regiment, drawn, means more Russian losses in the runs that drew it."""
    loaded = load_scenario(TUTORIAL, TWO_INPUTS)
    rows = []
    run_batch(loaded, 40, 8, 2, lambda r: rows.append({**r.inputs, **r.outcomes}))
    df = pd.DataFrame(rows)
    assert np.corrcoef(df[INTENSITY], df["ru_casualties"])[0, 1] > 0.3


def test_fixed_plays_every_input_at_its_centre():
    loaded = load_scenario(TUTORIAL, TWO_INPUTS)
    centre = load_scenario(TUTORIAL, [f"{INTENSITY}=1.2", f"{REGIMENT}=1800", "days=4"])
    fixed = loaded.at_centre()
    assert not fixed.inputs
    a, b = run_once(fixed, 77), run_once(centre, 77)
    assert a.outcomes == b.outcomes and a.inputs == {}


def test_pairing_survives_uncertain_inputs():
    """A variant that changes an unrelated field draws the same inputs run by run, and pairs."""
    base = load_scenario(TUTORIAL, TWO_INPUTS)
    variant = load_scenario(TUTORIAL, [*TWO_INPUTS, "parameters.logistics.route_cut_threshold=0.2"])
    a, b = [], []
    run_batch(base, 30, 5, 2, lambda r: a.append((r.inputs, r.outcomes["ua_casualties"])))
    run_batch(variant, 30, 5, 2, lambda r: b.append((r.inputs, r.outcomes["ua_casualties"])))
    assert [x[0] for x in a] == [x[0] for x in b]
    assert [x[1] for x in a] == [x[1] for x in b]


def test_the_variance_split_recovers_known_parts():
    """Synthetic nested data: inputs with sd 3, dice with sd 1: the split finds 9 and 1."""
    rng = np.random.default_rng(1)
    k, m = 400, 5
    values = np.repeat(rng.normal(0, 3, k), m) + rng.normal(0, 1, k * m)
    split = variance_split(values, np.repeat(np.arange(k), m))
    assert split["from_inputs"] == pytest.approx(9, rel=0.2)
    assert split["from_dice"] == pytest.approx(1, rel=0.1)
    assert split["inputs_share"] == pytest.approx(0.9, abs=0.03)
    _, low, high = mean_interval(rng.normal(10, 2, 400))
    assert low < 10 < high and high - low == pytest.approx(2 * 1.966 * 2 / 20, rel=0.15)


def test_precision_stops_when_the_interval_is_narrow_enough(tmp_path):
    """--precision plays batches of 50 until the interval is narrow enough; the same runs as a fixed count."""
    loaded = load_scenario(TUTORIAL, ["days=3"])
    (tmp_path / "p").mkdir()
    (tmp_path / "f").mkdir()
    result = run_study(
        loaded,
        tmp_path / "p",
        runs=400,
        seed=2,
        workers=2,
        progress=False,
        plots=False,
        precision={"ru_casualties": 60.0},
    )
    reached = result.summary["precision"]
    assert reached["met"] and reached["runs"] < 400 and reached["runs"] % 50 == 0
    assert reached["outcomes"]["ru_casualties"]["width"] <= 60
    fixed = run_study(
        loaded, tmp_path / "f", runs=reached["runs"], seed=2, workers=2, progress=False, plots=False
    )
    assert (tmp_path / "p" / "runs.csv").read_bytes() == (tmp_path / "f" / "runs.csv").read_bytes()
    assert fixed.summary["runs_completed"] == reached["runs"]


def test_the_triangular_quantile_is_scipys_to_the_bit():
    """The triangular quantile written out equals `scipy.stats.triang.ppf` exactly (the default
    scenario's draws, and so its results, must not depend on which one is used)."""
    from scipy import stats

    u = np.concatenate([[0.0, 0.5, 1.0 - 2**-53], np.random.default_rng(3).random(2000)])
    for low, mode, high in [(6.0, 8.0, 10.0), (0.32, 0.4, 0.48), (12, 14, 16), (2000, 2000, 3000), (1, 3, 3)]:
        dist = uncertain.Triangular(dist="triangular", low=low, mode=mode, high=high)
        c = (mode - low) / (high - low)
        assert (dist.ppf(u) == stats.triang.ppf(u, c, loc=low, scale=high - low)).all()
