"""Outputs name what was run: the command, every --set, in the summary, report, resolved scenario
and folder name; --force replaces the tool's own files and leaves nothing stale."""

from __future__ import annotations

import json

from sim.cli import main

from conftest import TUTORIAL

SMALL = ["--runs", "3", "--seed", "4", "--set", "days=2", "--quiet"]


def test_a_variant_says_what_it_changed(tmp_path):
    out = tmp_path / "variant"
    assert main([str(TUTORIAL), *SMALL, "--set", "forces.ru_north_1.personnel=3000", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overrides"] == ["days=2", "forces.ru_north_1.personnel=3000"]
    assert summary["command"].startswith("python run_scenario.py ") and "personnel=3000" in summary["command"]
    assert summary["scenario"]["file"] == "scenarios/tutorial.yaml"  # relative to the project
    report = (out / "report.html").read_text()
    assert "This study changed the scenario file" in report and "forces.ru_north_1.personnel=3000" in report
    resolved = (out / "scenario.resolved.yaml").read_text()
    assert "--set forces.ru_north_1.personnel=3000" in resolved and "--seed 4 --runs 3" in resolved


def test_the_default_folder_names_the_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([str(TUTORIAL), *SMALL, "--no-plots", "--set", "forces.ru_north_1.personnel=3000"]) == 0
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("tutorial-days2-personnel3000-")


def test_force_leaves_nothing_stale_and_keeps_what_is_not_ours(tmp_path):
    out = tmp_path / "out"
    assert main([str(TUTORIAL), *SMALL, "--out", str(out)]) == 0
    assert (out / "report.html").exists() and (out / "plots").is_dir()
    (out / "my_notes.txt").write_text("mine")
    assert main([str(TUTORIAL), *SMALL, "--no-plots", "--force", "--out", str(out)]) == 0
    assert not (out / "report.html").exists() and not (out / "plots").exists()
    assert (out / "my_notes.txt").read_text() == "mine"
    assert (out / "runs.csv").exists() and (out / "summary.json").exists()
