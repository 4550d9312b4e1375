"""The command line end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from sim.output import MANIFEST

from conftest import MINIMAL, ROOT, TUTORIAL, run_cli

EXPECTED_FILES = {
    "runs.csv",
    "timeseries.csv",
    "summary.json",
    "hexes.csv",
    "scenario.resolved.yaml",
    "report.html",
}
EXPECTED_PLOTS = {
    "histograms.png",
    "area_fan_chart.png",
    "casualties.png",
    "objectives.png",
    "control_probability.png",
    "scenario_map.png",
}


@pytest.mark.slow
def test_tutorial_end_to_end_writes_every_output(tmp_path):
    """One command gives runs, time series, summary, plots and a report, and exits 0."""
    out = tmp_path / "out"
    done = run_cli(str(TUTORIAL), "--runs", "8", "--workers", "2", "--out", str(out), "--seed", "5")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} >= EXPECTED_FILES
    assert {p.name for p in (out / "plots").iterdir()} >= EXPECTED_PLOTS
    # no temporary files left (the manifest of what was written is not one)
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != MANIFEST]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs_completed"] == 8 and summary["seed"] == 5 and not summary["interrupted"]
    assert "Russian land held by Ukraine" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_resolved_scenario_reproduces_the_run(tmp_path):
    """scenario.resolved.yaml, run again with the same seed, gives the same runs.csv."""
    first, second = tmp_path / "a", tmp_path / "b"
    assert (
        run_cli(
            str(TUTORIAL), "--runs", "4", "--out", str(first), "--no-plots", "--quiet", "--set", "turns=6"
        ).returncode
        == 0
    )
    again = run_cli(
        str(first / "scenario.resolved.yaml"), "--runs", "4", "--out", str(second), "--no-plots", "--quiet"
    )
    assert again.returncode == 0, again.stderr
    assert (first / "runs.csv").read_bytes() == (second / "runs.csv").read_bytes()


@pytest.mark.slow
def test_existing_output_is_never_silently_overwritten(tmp_path):
    """A non-empty --out is refused with exit code 2 unless --force."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("mine")
    refused = run_cli(str(TUTORIAL), "--runs", "2", "--out", str(out), "--no-plots")
    assert refused.returncode == 2
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert (out / "precious.txt").read_text() == "mine"
    forced = run_cli(str(TUTORIAL), "--runs", "2", "--out", str(out), "--no-plots", "--force", "--quiet")
    assert forced.returncode == 0 and (out / "runs.csv").exists()


@pytest.mark.parametrize(
    ("edit", "args", "expected"),
    [
        (None, ["--runs", "0"], "--runs: expected at least 1"),
        (None, ["--workers", "two"], "--workers: expected a whole number"),
        (None, ["--bogus"], "unrecognized arguments: --bogus"),
        (None, ["--set", "turns=many"], "--set turns=many: turns: Input should be a valid integer"),
        (None, ["--set", "parameters.combat.nope=1"], "unknown field 'nope'"),
        (
            ("personnel: 600", "personnel: -5"),
            [],
            ":10: forces[0].personnel: Input should be greater than or equal to 0",
        ),
        (("name: minimal", "name: minimal\nturns: [1"), [], "YAML syntax error"),
        (("side: UA", "side: UK"), [], "forces[0].side: Input should be 'UA' or 'RU'"),
        (("at: sudzha", "at: kyiv"), [], "unknown settlement 'kyiv'"),
        (("name: minimal", "name: minimal\ncolour: red"), [], "colour: unknown field"),
        (("name: minimal", "name: !!python/object/apply:os.getcwd []"), [], "not allowed"),
    ],
)
def test_bad_input_exits_2_with_one_line_per_problem(tmp_path, edit, args, expected):
    """Every user error: exit code 2, a message naming where and what, no traceback."""
    text = MINIMAL
    if edit:
        text = text.replace(*edit, 1)
    path = tmp_path / "s.yaml"
    path.write_text(text)
    done = run_cli(str(path), "--validate", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert all(line.startswith("error: ") for line in done.stderr.strip().splitlines())


def test_missing_scenario_file_exits_2(tmp_path):
    """A scenario path that does not exist is a user error."""
    done = run_cli(str(tmp_path / "nope.yaml"), "--validate")
    assert done.returncode == 2 and "nope.yaml: file not found" in done.stderr


def test_validate_accepts_a_good_file_and_runs_nothing(tmp_path):
    """--validate says ok and writes nothing."""
    done = run_cli(str(TUTORIAL), "--validate", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("ok:")
    assert not (tmp_path / "results").exists()


def test_help_teaches_the_options_and_outputs():
    """--help explains options, examples, outputs and exit codes."""
    done = run_cli("--help")
    assert done.returncode == 0
    for word in ("--runs", "--seed", "--workers", "--set", "--validate", "runs.csv", "exit codes"):
        assert word in done.stdout


def _imports_of(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the command line under `-X importtime` and return what it printed and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "run_scenario.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "sim" in imported  # the report is read right
    return done, imported


def test_help_loads_no_model():
    """--help answers at once: it imports neither Mesa nor the plotting and table libraries."""
    done, imported = _imports_of("--help")
    assert done.returncode == 0 and "--runs" in done.stdout
    assert not imported & {"mesa", "matplotlib", "pandas"}


def test_validate_does_not_import_mesa():
    """--validate checks a scenario without the Mesa model (the battle layer needs no Mesa)."""
    done, imported = _imports_of(str(TUTORIAL), "--validate")
    assert done.returncode == 0 and done.stdout.startswith("ok:")
    assert "mesa" not in imported and "sim.model" not in imported


def test_console_script_is_declared():
    """pyproject declares the console script equivalent to run_scenario.py."""
    assert 'sudzha-sim = "sim.cli:main"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.slow
def test_ctrl_c_keeps_finished_runs_and_says_so(tmp_path):
    """An interrupted batch writes the runs it finished, exits 130, and leaves no partial files."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "run_scenario.py"),
            str(TUTORIAL),
            "--runs",
            "100000",
            "--workers",
            "2",
            "--out",
            str(out),
            "--no-plots",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".runs.csv.*.partial")):  # named per process
        time.sleep(0.2)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "runs finished" in stderr
    assert "Traceback" not in stderr
    lines = (out / "runs.csv").read_text().splitlines()
    assert len(lines) > 2
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] and summary["runs_completed"] == len(lines) - 1
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != MANIFEST]


def test_an_interpreter_without_the_project_says_what_to_run(tmp_path):
    """Started by a Python without the packages (or too old), the entry point says what to run, exit 2."""
    import shutil

    bare = shutil.which("python3.11") or shutil.which("python3")
    done = subprocess.run(
        [bare, "-I", "-S", str(ROOT / "run_scenario.py"), "scenarios/tutorial.yaml", "--runs", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert "this is a bug" not in done.stderr and "Traceback" not in done.stderr
    assert "./run.sh scenarios/tutorial.yaml --runs 5" in done.stderr
    assert ".venv/bin/python run_scenario.py scenarios/tutorial.yaml --runs 5" in done.stderr


def test_a_long_job_says_its_cost_before_it_starts(tmp_path):
    """15,500 runs: the command says how many and roughly how long before the first run."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "run_scenario.py",
            str(TUTORIAL),
            "--sensitivity",
            "--global",
            "morris",
            "--no-plots",
            "--out",
            str(tmp_path / "s"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        deadline = time.time() + 60
        while "This plays" not in line and time.time() < deadline:
            line = proc.stderr.readline()
        assert "This plays 15,500 runs: about" in line and "min on" in line
    finally:
        proc.kill()
        proc.wait()


def test_an_outcome_none_in_any_run_is_named_once_not_printed_as_zeros(tmp_path):
    """The tutorial has no North Korean troops: the summary says so in one line instead of
    "median 0 (90 % of runs: 0 to 0)", and still prints the outcomes that happened."""
    done = run_cli(
        "run", str(TUTORIAL), "--runs", "4", "--workers", "1", "--out", str(tmp_path / "t"), "--no-plots"
    )
    assert done.returncode == 0, done.stderr
    assert "(90 % of runs: 0 to 0)" not in done.stdout
    assert "none in any run: North Korean casualties" in done.stdout
    assert "Ukrainian casualties" in done.stdout and "median" in done.stdout
