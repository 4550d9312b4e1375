"""Sweeps: a grid or a Latin hypercube of variants, every point validated first, rows streamed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.design import grid_design, lhs_design, parse_sweep
from sim.cli import main
from sim.errors import UserInputError
from sim.output import MANIFEST, QUANTILES
from sim.replications import run_seeds

from conftest import TUTORIAL

TEMPO = "sides.RU.doctrine.attack_tempo"
RATIO = "parameters.combat.breakthrough_ratio"


@pytest.mark.slow
def test_a_two_parameter_grid_has_a_row_per_point_and_run(tmp_path):
    """2 x 3 values x 4 runs = 24 rows: point, both parameters, run, seed, then the outcomes."""
    out = tmp_path / "sweep"
    code = main(
        [str(TUTORIAL), "--sweep", f"{TEMPO}=0.3,0.9", "--sweep", f"{RATIO}=1.5:4.5:3", "--runs", "4"]
        + ["--seed", "11", "--workers", "2", "--out", str(out), "--quiet"]
    )
    assert code == 0
    rows = pd.read_csv(out / "sweep.csv")
    assert list(rows.columns[:5]) == ["point", TEMPO, RATIO, "run", "seed"]
    assert {"ua_area_km2", "ua_casualties", "ru_casualties", "held_malaya_loknya"} <= set(rows.columns)
    assert len(rows) == 2 * 3 * 4
    assert rows.groupby("point").size().tolist() == [4] * 6
    grid = rows.drop_duplicates("point")[[TEMPO, RATIO]].to_numpy().tolist()
    assert grid == [[0.3, 1.5], [0.3, 3], [0.3, 4.5], [0.9, 1.5], [0.9, 3], [0.9, 4.5]]
    # common random numbers: every point plays the same per-run seeds
    assert all(list(g["seed"]) == run_seeds(11, 4) for _, g in rows.groupby("point"))
    design = pd.read_csv(out / "design.csv")
    assert len(design) == 6 and design["sha256"].nunique() == 6
    summary = pd.read_csv(out / "sweep_summary.csv")
    assert list(summary.columns) == ["point", TEMPO, RATIO, "metric", "runs", "mean", "std", *QUANTILES]
    assert (summary.loc[summary["metric"] == "ua_area_km2", "runs"] == 4).all()
    assert (out / "plots" / "sweep_heatmap.png").exists()
    report = (out / "report.html").read_text()
    assert "id=sweep" in report and TEMPO in report
    # nothing half-written (the manifest of what was written is not a temporary file)
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != MANIFEST]


@pytest.mark.slow
def test_one_parameter_gives_the_band_plot_and_does_not_depend_on_workers(tmp_path):
    """The same sweep with 1 and 2 workers writes byte-identical sweep.csv files."""
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        args = ["--sweep", "turns=2,4", "--runs", "3", "--workers", workers]
        assert main([str(TUTORIAL), *args, "--out", str(out), "--quiet"]) == 0
        outs.append(out)
    assert (outs[0] / "sweep.csv").read_bytes() == (outs[1] / "sweep.csv").read_bytes()
    assert (outs[0] / "plots" / "sweep_bands.png").exists()


def test_latin_hypercube_covers_each_range_once_per_stratum(tutorial):
    """K samples: each parameter's range is cut into K equal strata and each holds one sample."""
    sweeps = [
        parse_sweep(tutorial, f"{TEMPO}=0.2:0.9", lhs=True),
        parse_sweep(tutorial, f"{RATIO}=1.5:5", lhs=True),
    ]
    points = lhs_design(sweeps, 8, seed=5)
    assert len(points) == 8
    for s in sweeps:
        values = np.array([p.values[s.path] for p in points])
        strata = np.floor((values - s.lo) / (s.hi - s.lo) * 8).clip(0, 7)
        assert sorted(strata) == list(range(8))
    again = lhs_design(sweeps, 8, seed=5)
    assert [p.values for p in again] == [p.values for p in points]  # seeded


def test_sweep_specs_are_read_with_the_field_type(tutorial):
    """lo:hi:n spaces n values evenly; whole-number fields get whole numbers; lists keep their order."""
    assert parse_sweep(tutorial, f"{RATIO}=1.5:2.5:5").values == (1.5, 1.75, 2.0, 2.25, 2.5)
    assert parse_sweep(tutorial, "turns=2:8:4").values == (2, 4, 6, 8)
    assert parse_sweep(tutorial, "sides.RU.doctrine.default_posture=defend,attack").values == (
        "defend",
        "attack",
    )
    points = grid_design([parse_sweep(tutorial, "turns=2,3"), parse_sweep(tutorial, f"{RATIO}=1.5,2")])
    assert [p.overrides for p in points][1] == ("turns=2", f"{RATIO}=2")


@pytest.mark.parametrize(
    ("sweep", "expected"),
    [
        ("parameters.combat.intensty=1,2", "unknown field 'intensty'"),
        (
            "parameters.combat.intensity=0:12:3",
            "12 is outside the valid range of parameters.combat.intensity",
        ),
        ("turns=0,5", "0 is outside the valid range of turns"),
        ("sides.RU.doctrine.default_posture=1:3:3", "needs a numeric field"),
        ("sides.RU.doctrine.default_posture=attack,charge", "charge is not one of"),
        ("forces.nobody.personnel=1,2", "no item 'nobody'"),
        ("parameters.combat=1,2", "group of fields"),
        ("turns=2.5,3", "not a whole number"),
        ("parameters.morale.break_threshold=0.3,0.7", "rally_threshold must not be below break_threshold"),
    ],
)
def test_bad_sweeps_exit_2_before_any_run(tmp_path, capsys, sweep, expected):
    """Unknown paths, values out of range, ranges over non-numbers, invalid points: exit 2, no folder."""
    out = tmp_path / "out"
    assert main([str(TUTORIAL), "--sweep", sweep, "--runs", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert all(line.startswith("error: ") for line in err.strip().splitlines())
    assert not out.exists()


def test_design_options_need_their_companions(tutorial):
    """--design lhs samples ranges, not lists; a list sweep's values must be distinct."""
    with pytest.raises(UserInputError, match="samples a range"):
        parse_sweep(tutorial, "turns=2,3", lhs=True)
    with pytest.raises(UserInputError, match="listed twice"):
        parse_sweep(tutorial, "turns=2,2")
