"""The teaching guide (docs/teaching.md) stays true: its commands run and its files exist.

Every ```sh block of the guide is read line by line. A line is a comment, one of the
setup or app commands of SKIP below, or `python run_scenario.py ...`; anything else
fails the test (so that a new kind of command is not silently ignored). Each
run_scenario command is run from the repository root with this interpreter, with two
rewrites that keep the suite fast: `--runs N` becomes `--runs 4`, and `--out DIR` goes
to pytest's tmp_path (keeping DIR's last component). Every output path the guide
names in backticks as `results/<folder>/...` must then exist in the folder of the
command that wrote it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT

GUIDE = ROOT / "docs" / "teaching.md"
RUNS = "4"  # replications per command in the test (the guide asks for hundreds)
WORKERS = "1"  # processes per command; two commands run at a time
PARALLEL = 2
SKIP = {
    "./scripts/setup-env.sh",  # creates .venv (the test already runs inside it)
    ". .venv/bin/activate",  # makes `python` the venv's interpreter in the student's shell
    "./scripts/app.sh",  # serves the browser app until stopped; tested by test_app.py
}
COMMAND = ("python", "run_scenario.py")
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
OUTPUT_PATH = re.compile(r"`(results/[^`\s]+)`")


def guide_commands(text: str) -> tuple[list[list[str]], list[str]]:
    """The run_scenario commands of the guide's sh blocks (as argument lists), and any unknown lines."""
    commands, unknown = [], []
    for block in SH_BLOCK.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if not line or line.startswith("#") or line in SKIP:
                continue
            words = shlex.split(line, comments=True)
            if tuple(words[:2]) == COMMAND:
                commands.append(words[2:])
            else:
                unknown.append(line)
    return commands, unknown


def option(args: list[str], name: str) -> str | None:
    """The value of `--name VALUE` in args, or None."""
    return args[args.index(name) + 1] if name in args[:-1] else None


def rewrite(args: list[str], tmp_path: Path) -> list[str]:
    """Fewer runs, one worker each, and the output folder inside tmp_path."""
    args = list(args)
    args[args.index("--runs") + 1] = RUNS
    out = args.index("--out") + 1
    args[out] = str(tmp_path / Path(args[out]).name)
    for name, small in (("--population", "8"), ("--generations", "2")):  # a calibration, in miniature
        if name in args:
            args[args.index(name) + 1] = small
    if "--workers" in args:
        args[args.index("--workers") + 1] = WORKERS
    else:
        args += ["--workers", WORKERS]
    return [sys.executable, *COMMAND[1:], *args]


def run(argv: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_guide_commands_are_explicit_and_known():
    """Each guide command names --runs, --seed and a results/ --out, and no sh line is of an unknown kind."""
    commands, unknown = guide_commands(GUIDE.read_text(encoding="utf-8"))
    assert not unknown, f"lines in ```sh blocks that are neither skipped nor run_scenario: {unknown}"
    assert len(commands) >= 6
    for args in commands:
        assert option(args, "--runs") and option(args, "--seed"), args
        out = Path(option(args, "--out") or "")
        assert out.parts[:1] == ("results",) and len(out.parts) == 2, f"--out: results/<folder>, {args}"
    outs = [Path(option(args, "--out")).name for args in commands]
    assert len(set(outs)) == len(outs), f"two commands write the same folder: {outs}"


@pytest.mark.slow
def test_every_guide_command_runs_and_produces_the_files_it_points_to(tmp_path):
    """Every command in the teaching guide runs and produces the files it points to."""
    text = GUIDE.read_text(encoding="utf-8")
    commands, _ = guide_commands(text)
    with ThreadPoolExecutor(PARALLEL) as pool:
        done = list(pool.map(run, [rewrite(args, tmp_path) for args in commands]))
    failed = [
        f"python run_scenario.py {shlex.join(args)}\n  exit {d.returncode}: {d.stderr[-1500:]}"
        for args, d in zip(commands, done, strict=True)
        if d.returncode != 0
    ]
    assert not failed, "\n".join(failed)

    folders = {Path(option(args, "--out")).as_posix() for args in commands}
    named = sorted(set(OUTPUT_PATH.findall(text)))
    assert len(named) >= 10, "the guide should point students at the files to open"
    missing, orphans = [], []
    for path in named:
        folder = "/".join(path.split("/")[:2])
        if folder not in folders:
            orphans.append(path)
        elif not (tmp_path / path.split("/", 1)[1]).exists():
            missing.append(path)
    assert not orphans, f"the guide names files in folders that no command writes: {orphans}"
    assert not missing, f"the guide points to files the commands did not write: {missing}"
