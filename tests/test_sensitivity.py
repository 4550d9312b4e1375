"""Sensitivity: parameters ranked by how much they move the outcome, one at a time and globally."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.analysis.design import ParamField, load_points
from sim.analysis.sensitivity import DEFAULT_PARAMETERS, SPAN, default_range, oat_design, parse_factors
from sim.cli import main
from sim.errors import UserInputError

from conftest import DEFAULT, TUTORIAL

UNREAD = "sides.UA.doctrine.attack_tempo"
"""Read only for attacking Ukrainian units; in the tutorial Ukraine only defends."""


def test_a_parameter_the_model_never_reads_ranks_last(tmp_path):
    """Its low and high ends replay the base run for run (same seeds): zero swing, last place."""
    out = tmp_path / "sens"
    spec = (
        f"parameters.combat.breakthrough_ratio=1.5:4.5,{UNREAD}=0.1:0.9,"
        "sides.RU.doctrine.attack_tempo=0.2:0.9"
    )
    code = main([str(TUTORIAL), "--sensitivity", spec, "--runs", "8", "--out", str(out), "--quiet"])
    assert code == 0
    tornado = pd.read_csv(out / "tornado.csv")
    main_rows = tornado[tornado["metric"] == "ua_area_km2"]
    assert list(main_rows["rank"]) == [1, 2, 3]
    last = main_rows.iloc[-1]
    assert last["parameter"] == UNREAD
    assert last["swing"] == 0 and last["diff_low"] == 0 and last["diff_high"] == 0
    assert not last["distinguishable"]
    assert main_rows.iloc[0]["influence"] > 0
    runs = pd.read_csv(out / "sensitivity.csv")
    assert len(runs) == (1 + 2 * 3) * 8 and set(runs["design"]) == {"oat"}
    outcome = [c for c in runs.columns if c.startswith(("ua_", "ru_"))]
    base = runs[runs["point"] == 0][outcome].reset_index(drop=True)
    for point in runs.loc[runs["tag"].str.startswith(UNREAD), "point"].unique():
        assert runs[runs["point"] == point][outcome].reset_index(drop=True).equals(base)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ranking"]["one_at_a_time"][-1] == UNREAD
    assert (out / "plots" / "tornado.png").exists()
    assert "id=sensitivity" in (out / "report.html").read_text()


@pytest.mark.slow
def test_morris_screening_ranks_every_parameter(tmp_path):
    """--global morris adds SALib's elementary effects, one ranked row per parameter and outcome."""
    out = tmp_path / "morris"
    spec = f"parameters.combat.breakthrough_ratio=1.5:4.5,{UNREAD}=0.1:0.9"
    args = ["--sensitivity", spec, "--global", "morris", "--samples", "2", "--runs", "3"]
    code = main([str(TUTORIAL), *args, "--metric", "ua_area_km2", "--out", str(out), "--quiet"])
    assert code == 0
    morris = pd.read_csv(out / "morris.csv")
    assert list(morris["rank"]) == [1, 2] and set(morris["parameter"]) == {
        "parameters.combat.breakthrough_ratio",
        UNREAD,
    }
    assert morris.set_index("parameter").loc[UNREAD, "mu_star"] == 0
    runs = pd.read_csv(out / "sensitivity.csv")
    assert (runs["design"] == "morris").sum() == 2 * (2 + 1) * 3  # trajectories x (k + 1) x runs
    assert (out / "plots" / "morris.png").exists()
    assert "id=morris" in (out / "report.html").read_text()


@pytest.mark.parametrize("scenario", [TUTORIAL, DEFAULT], ids=["tutorial", "default"])
def test_default_parameters_and_ranges_are_valid_in_shipped_scenarios(scenario):
    """A bare --sensitivity varies the default list, every point of it valid, before any run."""
    from sim.loading import load_scenario

    loaded = load_scenario(scenario)
    factors = parse_factors(loaded, [""])
    assert [f.path for f in factors] == list(DEFAULT_PARAMETERS)
    points = load_points(scenario, [], oat_design(factors))
    assert len(points) == 1 + 2 * len(factors)


def test_default_range_is_plus_minus_half_clipped_to_the_valid_range(tutorial):
    """±SPAN of the scenario value, never beyond what the schema accepts."""
    (tempo,) = parse_factors(tutorial, ["sides.RU.doctrine.attack_tempo"])
    assert (tempo.low, tempo.high) == pytest.approx((0.6 * (1 - SPAN), 0.6 * (1 + SPAN)))
    (commitment,) = parse_factors(tutorial, ["sides.RU.doctrine.assault_commitment"])
    assert commitment.high == 1.0  # 0.8 x 1.5 would exceed the maximum of 1
    (limit,) = parse_factors(tutorial, ["parameters.terrain.urban_min_population"])
    assert isinstance(limit.low, int) and isinstance(limit.high, int)
    zero = ParamField(path="x", kind="number", bounds={"ge": 0, "le": 4}, current=0)
    assert default_range(zero, "--sensitivity x") == (0, 4)  # nothing to scale: the whole valid range


def test_bad_sensitivity_input_exits_2(tmp_path, capsys, tutorial):
    """A non-numeric field, a range outside the valid one, a name given twice: exit 2, nothing run."""
    out = tmp_path / "out"
    for spec, expected in [
        ("sides.RU.doctrine.default_posture", "needs a numeric field"),
        ("parameters.combat.intensity=0:20", "20 is outside the valid range"),
        ("turns,turns", "named twice"),
        ("parameters.combat.intensity=3:1", "LO < HI"),
    ]:
        assert main([str(TUTORIAL), "--sensitivity", spec, "--out", str(out)]) == 2
        assert expected in capsys.readouterr().err
    assert (
        main([str(TUTORIAL), "--sensitivity", "--global", "sobol", "--samples", "10", "--out", str(out)]) == 2
    )
    assert "power of two" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(UserInputError):
        parse_factors(tutorial, ["nope.path"])


@pytest.mark.slow
def test_salib_files_load_with_numpy_and_redo_the_analysis(tmp_path):
    """--salib writes SALib's problem, X and Y files beside morris.csv: X a row per Morris point and a
    column per parameter, Y a column per outcome; SALib's analysis of them gives morris.csv's mu*."""
    from SALib.analyze import morris as morris_analysis
    from SALib.util import read_param_file

    out = tmp_path / "m"
    params = "parameters.combat.intensity=1:4,sides.RU.doctrine.attack_tempo"
    argv = ["sensitivity", str(TUTORIAL), "--param", params, "--global", "morris", "--samples", "2"]
    argv += ["--runs", "2", "--workers", "1", "--set", "turns=3", "--no-plots", "--quiet", "--salib"]
    assert main([*argv, "--out", str(out)]) == 0
    x = np.loadtxt(out / "morris_X.txt")
    y = np.loadtxt(out / "morris_Y.txt")
    assert x.shape == (2 * (2 + 1), 2)
    assert y.shape == (6, 3)  # the default outcomes: area, UA and RU casualties
    assert (out / "morris_Y.txt").read_text().splitlines()[0] == "# ua_area_km2 ua_casualties ru_casualties"
    problem = read_param_file(str(out / "morris_problem.txt"))
    assert problem["names"] == ["parameters.combat.intensity", "sides.RU.doctrine.attack_tempo"]
    again = morris_analysis.analyze(problem, x, y[:, 0], num_levels=4)
    table = pd.read_csv(out / "morris.csv")
    table = table[table["metric"] == "ua_area_km2"].set_index("parameter")
    assert np.allclose(table.loc[problem["names"], "mu_star"], again["mu_star"])


def test_salib_files_need_a_global_method(capsys):
    assert main(["sensitivity", str(TUTORIAL), "--salib", "--validate"]) == 2
    assert "--salib writes the files of --global morris or sobol" in capsys.readouterr().err
