"""Comparing scenarios on common random numbers: differences with honest intervals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.compare import COLUMNS, compare_table, labels_for
from sim.analysis.stats import paired_difference
from sim.cli import main
from sim.replications import run_seeds

from conftest import TUTORIAL, run_cli


@pytest.mark.slow
def test_a_scenario_compared_with_itself_differs_by_nothing(tmp_path):
    """Same scenario, same seeds: every difference is 0 and every interval contains 0."""
    out = tmp_path / "cmp"
    done = run_cli(str(TUTORIAL), str(TUTORIAL), "--runs", "12", "--seed", "3", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Change from tutorial" in done.stdout
    table = pd.read_csv(out / "compare.csv")
    assert list(table.columns) == COLUMNS
    assert set(table["scenario"]) == {"tutorial", "tutorial-2"}
    other = table[table["scenario"] == "tutorial-2"]
    assert len(other) > 20
    for stat in ("mean", "median"):
        rows = other[other[f"diff_{stat}"].notna()]
        assert len(rows) > 10
        assert (rows[f"diff_{stat}"] == 0).all()
        assert ((rows[f"diff_{stat}_low"] <= 0) & (rows[f"diff_{stat}_high"] >= 0)).all()
    # each scenario has its own outputs, played with the same per-run seeds
    first, second = (pd.read_csv(out / name / "runs.csv") for name in ("tutorial", "tutorial-2"))
    assert list(first["seed"]) == list(second["seed"]) == run_seeds(3, 12)
    assert {p.name for p in (out / "plots").iterdir()} == {
        "compare_distributions.png",
        "compare_differences.png",
        "compare_objectives.png",
    }
    report = (out / "report.html").read_text()
    assert "id=compare" in report and "id=objectives" in report and "data:image/png;base64," in report
    summary = json.loads((out / "summary.json").read_text())
    assert summary["baseline"] == "tutorial" and summary["common_runs"] == 12
    assert summary["executor"]["kind"] == "local processes"
    # summary statistics read at a glance: no figure carries more than six significant digits
    figures = [
        cell for line in (out / "compare.csv").read_text().splitlines()[1:] for cell in line.split(",")[5:]
    ]
    digits = [
        len(cell.lstrip("-").replace(".", "").lstrip("0")) for cell in figures if cell and "e" not in cell
    ]
    assert digits and max(digits) <= 6


def test_a_real_change_is_detected_with_the_right_sign(tmp_path, write_yaml):
    """A variant with a much stronger Russian attack loses Ukraine ground: the interval excludes 0."""
    variant = write_yaml(
        f"extends: {TUTORIAL}\nname: strong\nforces:\n"
        "  - {id: ua_1, name: UA, side: UA, kind: infantry, personnel: 150, vehicles: 0, at: malaya_loknya}\n"
        "  - {id: ru_1, name: RU, side: RU, kind: mechanised, personnel: 4000, vehicles: 120,\n"
        "     position: [51.370, 35.240], objective: malaya_loknya}\n",
        "strong.yaml",
    )
    out = tmp_path / "cmp"
    code = main([str(TUTORIAL), str(variant), "--runs", "10", "--out", str(out), "--quiet", "--no-plots"])
    assert code == 0
    table = pd.read_csv(out / "compare.csv").set_index(["metric", "scenario"])
    row = table.loc[("ru_casualties", "strong")]
    assert row["diff_mean"] != 0
    ua_units = table.loc[("ua_units_on_map", "strong")]
    assert ua_units["diff_mean_high"] < 0  # fewer Ukrainian units left, beyond the noise


def test_paired_bootstrap_interval_covers_a_known_shift():
    """b = a + 5 + small noise: the interval of the mean difference holds 5 and not 0."""
    rng = np.random.default_rng(1)
    a = rng.normal(100, 30, size=200)
    b = a + 5 + rng.normal(0, 1, size=200)
    interval = paired_difference(a, b, "mean", np.random.default_rng(2))
    assert interval.low < 5 < interval.high and interval.excludes_zero
    same = paired_difference(a, a.copy(), "median", np.random.default_rng(2))
    assert same.estimate == same.low == same.high == 0


def test_compare_table_pairs_runs_by_seed_and_reports_objectives():
    """Only runs that both scenarios finished are paired; held_* rows give probabilities."""
    base = pd.DataFrame(
        {"run": [0, 1, 2, 3], "seed": [9, 8, 7, 6], "x": [1.0, 2, 3, 4], "held_a": [1, 1, 0, 0]}
    )
    other = pd.DataFrame({"run": [0, 1, 2], "seed": [9, 8, 7], "x": [2.0, 3, 4], "held_a": [1, 1, 1]})
    table = compare_table({"base": base, "other": other}, seed=1).set_index(["metric", "scenario"])
    assert table.loc[("x", "other"), "runs"] == 3
    assert table.loc[("x", "other"), "diff_mean"] == pytest.approx(1.0)
    held = table.loc[("held_a", "other")]
    assert held["kind"] == "objective" and held["mean"] == 1.0
    assert held["diff_mean"] == pytest.approx(1 / 3)
    assert np.isnan(held["diff_median"])  # a median of 0/1 outcomes says little


def test_labels_are_unique_folder_names():
    """Two files with the same name get distinct labels; 'plots' is not used as a label."""
    assert labels_for([Path("a/x.yaml"), Path("b/x.yaml"), Path("plots.yaml")]) == [
        "x",
        "x-2",
        "plots-scenario",
    ]


def test_compare_refuses_bad_input_before_any_run(tmp_path, capsys):
    """One scenario with --compare, or an outcome a scenario lacks: exit 2, nothing written."""
    out = tmp_path / "out"
    assert main([str(TUTORIAL), "--compare", "--out", str(out)]) == 2
    assert "at least two scenario files" in capsys.readouterr().err
    assert main([str(TUTORIAL), str(TUTORIAL), "--metric", "held_kyiv", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "held_kyiv" in err and "not one of its objectives" in err
    assert main([str(TUTORIAL), str(TUTORIAL), "--sweep", "turns=2,3", "--out", str(out)]) == 2
    assert "one analysis per command" in capsys.readouterr().err
    assert not out.exists()
