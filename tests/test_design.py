"""Data farming: design files (a CSV table of points), slices of a design (--points) and merge."""

from __future__ import annotations

import json

import pytest

from sim.analysis.design import read_design_file
from sim.cli import main

from conftest import TUTORIAL

INTENSITY = "parameters.combat.intensity"
TEMPO = "sides.RU.doctrine.attack_tempo"
SMALL = ["--runs", "2", "--workers", "1", "--set", "turns=3", "--no-plots", "--quiet", "--seed", "9"]


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_design_file_reads_each_cell_with_its_field_type(tutorial, tmp_path):
    """Columns are dotted paths; whole-number fields get whole numbers; a sweep's own design.csv
    (with its point and sha256 columns) is a design file too."""
    design = write(tmp_path / "d.csv", f"point,{INTENSITY},turns,sha256\n0,1.5,3,abc\n1,2,4,def\n")
    sweeps, points = read_design_file(tutorial, design)
    assert [s.path for s in sweeps] == [INTENSITY, "turns"]
    assert [p.values for p in points] == [{INTENSITY: 1.5, "turns": 3}, {INTENSITY: 2, "turns": 4}]
    assert points[1].overrides == (f"{INTENSITY}=2", "turns=4")
    assert isinstance(points[0].values["turns"], int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"{INTENSITY},{TEMPO}\n1,0.3\n12,0.5\n",
            f"d.csv:3: row 2, column {INTENSITY}: 12 is outside the valid",
        ),
        (f"{INTENSITY},{TEMPO}\n1,0.3\n2,lots\n", f"d.csv:3: row 2, column {TEMPO}: lots is not a number"),
        (f"{INTENSITY},{TEMPO}\n1,\n", f"d.csv:2: row 1, column {TEMPO}: an empty cell"),
        (f"{INTENSITY},turns\n1,2.5\n", "d.csv:2: row 1, column turns: 2.5 is not a whole number"),
        (f"{INTENSITY},{TEMPO}\n1,0.3,7\n", "d.csv:2: row 1: 3 cells where the header names 2 columns"),
        ("parameters.combat.intensty\n1\n", "d.csv:1: column parameters.combat.intensty: unknown field"),
        (f"{INTENSITY}\n", "d.csv: the design file has a header but no rows"),
        ("", "d.csv:1: the design file is empty"),
    ],
)
def test_a_bad_design_cell_exits_2_naming_the_file_row_and_column(tmp_path, capsys, text, expected):
    """Every cell is checked like --set before any run: exit 2, one line per problem, no folder."""
    design = write(tmp_path / "d.csv", text)
    out = tmp_path / "out"
    code = main(["sweep", str(TUTORIAL), "--design-file", str(design), *SMALL, "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "")
    assert expected in err, err
    assert all(line.startswith("error: ") for line in err.strip().splitlines())
    assert not out.exists()


def test_a_missing_design_file_exits_2(tmp_path, capsys):
    assert main(["sweep", str(TUTORIAL), "--design-file", str(tmp_path / "no.csv"), "--validate"]) == 2
    assert "no.csv: design file not found" in capsys.readouterr().err


def test_a_design_file_is_not_mixed_with_sweeps(tmp_path, capsys):
    design = write(tmp_path / "d.csv", f"{INTENSITY}\n1\n")
    assert main(["sweep", str(TUTORIAL), "--design-file", str(design), "--sweep", "turns=2,3"]) == 2
    assert "a design file gives the points itself" in capsys.readouterr().err


def test_points_past_the_end_of_the_design_exit_2(tmp_path, capsys):
    design = write(tmp_path / "d.csv", f"{INTENSITY}\n1\n2\n")
    argv = ["sweep", str(TUTORIAL), "--design-file", str(design), "--points", "2:4", "--validate"]
    assert main(argv) == 2
    assert "the design has 2 points (0 to 1); 2 is past its end" in capsys.readouterr().err
    assert main([*argv[:-3], "--points", "1:x"]) == 2
    assert "--points: expected I:J" in capsys.readouterr().err


TABLES = ("design.csv", "sweep.csv", "sweep_summary.csv", "points_timeseries.csv")


@pytest.mark.slow
def test_a_whole_design_equals_its_slices_merged_byte_for_byte(tmp_path, capsys):
    """3 points run whole, and as slices 0:2 and 2:3 merged, write the same files; slices of another
    seed, or that leave a gap, are refused (exit 2)."""
    design = write(tmp_path / "design.csv", f"{INTENSITY},{TEMPO}\n1,0.3\n2,0.6\n3.5,0.9\n")
    sweep = ["sweep", str(TUTORIAL), "--design-file", str(design), "--timeseries", *SMALL]
    assert main([*sweep, "--out", str(tmp_path / "whole")]) == 0
    assert main([*sweep, "--points", "0:2", "--out", str(tmp_path / "a")]) == 0
    assert main([*sweep, "--points", "2:", "--out", str(tmp_path / "b")]) == 0
    merged = tmp_path / "merged"
    assert main(["merge", str(tmp_path / "b"), str(tmp_path / "a"), "--out", str(merged), "--quiet"]) == 0
    for name in TABLES:
        assert (merged / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    series = (merged / "points_timeseries.csv").read_text().splitlines()
    assert series[0].startswith("point,run,turn,ua_area_km2,")
    assert len(series) == 1 + 3 * 2 * 4  # points x runs x turns 0..3
    summary = json.loads((merged / "summary.json").read_text())
    assert summary["points_completed"] == 3 and summary["runs_completed"] == 6 and "slice" not in summary
    assert json.loads((tmp_path / "a" / "summary.json").read_text())["slice"] == {
        "first": 0,
        "stop": 2,
        "points": 2,
    }
    capsys.readouterr()

    other = [*sweep[:-2], "--seed", "10", "--points", "2:3", "--out", str(tmp_path / "c")]
    assert main(other) == 0
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "c"), "--out", str(tmp_path / "m2")]) == 2
    assert "not a slice of the same sweep" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "a"), "--out", str(tmp_path / "m3")]) == 2
    assert "points 2 to 2 are in no slice" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "whole"), "--out", str(tmp_path / "m4")]) == 2
    assert "are in two slices" in capsys.readouterr().err
