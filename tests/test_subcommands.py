"""The command line's sub-commands: each has its own --help with examples, a bad one exits 2 with
a clear message, and the 0.2 flag forms still work, saying their new form on stderr only."""

from __future__ import annotations

import re

import pytest

from sim.cli import main
from sim.cli.parser import COMMANDS, legacy_hint, parse_args

from conftest import DEFAULT, ROOT, TUTORIAL, run_cli


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_own_help_with_examples(command, capsys):
    """`sudzha-sim COMMAND --help` exits 0 and shows examples of that command."""
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: sudzha-sim {command}" in out
    assert "examples:" in out and f"sudzha-sim {command}" in out.split("examples:", 1)[1]


def test_the_top_level_help_lists_every_command():
    done = run_cli("--help")
    assert done.returncode == 0
    for command in COMMANDS:
        assert f"    {command} " in done.stdout
    assert "examples:" in done.stdout and "hint:" not in done.stderr


def test_a_bad_command_exits_2_with_a_clear_message():
    """A word that is neither a command nor a scenario file: exit 2, one line, the closest command."""
    done = run_cli("swep", "scenarios/tutorial.yaml", "--runs", "2")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: unknown command 'swep'; did you mean 'sweep'? The commands are: run, compare, sweep, "
        "sensitivity, calibrate, validate, schema, merge, app (see sudzha-sim --help)"
    ]
    assert done.stdout == ""


def test_an_option_of_another_command_is_refused(capsys):
    """Each command takes its own options: --sweep is not one of run's."""
    assert main(["run", str(TUTORIAL), "--sweep", "turns=2,3", "--validate"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --sweep turns=2,3" in err and "sudzha-sim run --help" in err


def test_compare_needs_two_files(capsys):
    assert main(["compare", str(TUTORIAL), "--validate"]) == 2
    assert "comparing needs at least two scenario files; got 1" in capsys.readouterr().err


def test_the_default_job_is_a_study_of_the_default_scenario():
    """No arguments (the README's first command) is `run` of the default scenario, with no hint."""
    args = parse_args([])
    assert args.command == "run" and not args.legacy and args.scenarios == []
    done = run_cli("run", "--validate")
    assert done.returncode == 0 and "sudzha_jan2025.yaml" in done.stdout and "hint:" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["S.yaml", "--validate"], "sudzha-sim validate S.yaml"),
        (["S.yaml", "--runs", "5", "--validate"], "sudzha-sim run S.yaml --runs 5 --validate"),
        (["A.yaml", "B.yaml", "--runs", "300"], "sudzha-sim compare A.yaml B.yaml --runs 300"),
        (["A.yaml", "B.yaml", "--compare"], "sudzha-sim compare A.yaml B.yaml"),
        (["S.yaml", "--sweep", "days=5,10"], "sudzha-sim sweep S.yaml --sweep days=5,10"),
        (["S.yaml", "--sensitivity"], "sudzha-sim sensitivity S.yaml"),
        (["--sensitivity", "S.yaml", "--global", "morris"], "sudzha-sim sensitivity S.yaml --global morris"),
        (["S.yaml", "--sensitivity", "a.b=1:2,c.d"], "sudzha-sim sensitivity S.yaml --param a.b=1:2,c.d"),
        (["S.yaml", "--calibrate", "--population", "8"], "sudzha-sim calibrate S.yaml --population 8"),
        (["--schema", "x.json"], "sudzha-sim schema x.json"),
        (["--schema"], "sudzha-sim schema"),
    ],
)
def test_the_hint_names_the_new_form(argv, expected):
    command = expected.split()[1]
    kind = "single" if command in ("run", "validate", "schema") else command
    assert legacy_hint(argv, kind).startswith(f"hint: this is `{expected}`")


OLD_AND_NEW = [
    ([str(TUTORIAL), "--validate"], ["validate", str(TUTORIAL)]),
    ([str(TUTORIAL), str(TUTORIAL), "--runs", "3", "--validate"], ["compare", str(TUTORIAL), str(TUTORIAL)]),
    ([str(TUTORIAL), "--sweep", "turns=2,3", "--validate"], ["sweep", str(TUTORIAL), "--sweep", "turns=2,3"]),
    (
        [str(TUTORIAL), "--sensitivity", "parameters.combat.intensity", "--validate"],
        ["sensitivity", str(TUTORIAL), "--param", "parameters.combat.intensity"],
    ),
    ([str(DEFAULT), "--calibrate", "--validate"], ["calibrate", str(DEFAULT)]),
    (["--schema"], ["schema"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), OLD_AND_NEW, ids=lambda a: " ".join(a)[-40:])
def test_old_forms_still_work_print_the_hint_and_the_same_output(old, new):
    """A 0.2 form exits 0 with the output of its new form; the hint is one line on stderr."""
    before = run_cli(*old)
    after = run_cli(*new, *(["--validate"] if "--validate" in old and new[0] != "validate" else []))
    assert before.returncode == 0 == after.returncode, before.stderr + after.stderr
    assert before.stdout == after.stdout  # the hint never reaches stdout
    hints = [line for line in before.stderr.splitlines() if line.startswith("hint: ")]
    assert len(hints) == 1 and re.search(f"`sudzha-sim {new[0]}[ `]", hints[0]), hints
    assert "hint:" not in after.stderr


def test_a_hint_does_not_come_with_errors(tmp_path):
    """An old form with a mistake prints only its error lines (one per problem), no hint."""
    done = run_cli(str(tmp_path / "nope.yaml"), "--validate")
    assert done.returncode == 2
    assert all(line.startswith("error: ") for line in done.stderr.strip().splitlines())


@pytest.mark.slow
def test_run_and_the_old_form_write_the_same_runs(tmp_path):
    """`run S.yaml` is the study the flag form plays: the same runs.csv for the same seed."""
    common = ["--runs", "2", "--workers", "1", "--set", "turns=3", "--no-plots", "--quiet", "--seed", "4"]
    old = run_cli(str(TUTORIAL), *common, "--out", str(tmp_path / "old"))
    new = run_cli("run", str(TUTORIAL), *common, "--out", str(tmp_path / "new"))
    assert old.returncode == 0 == new.returncode, old.stderr + new.stderr
    assert "hint: this is `sudzha-sim run " in old.stderr and "hint:" not in new.stderr
    assert (tmp_path / "old" / "runs.csv").read_bytes() == (tmp_path / "new" / "runs.csv").read_bytes()


def test_python_m_sim_takes_the_commands():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(TUTORIAL)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("ok:"), done.stderr
