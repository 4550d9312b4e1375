"""Every command the README and docs/ show works as written, in a fresh shell with nothing set up.

Each line of every ```sh block is given to `sh` exactly as printed, in an environment that
holds only a minimal PATH, a HOME and a locale (no activated venv, no PYTHONPATH), from the
root of a copy of the checkout (so that the commands' results/ folders start empty), after
the README's set-up command has made `.venv`. The first lesson's commands (`run` on the
tutorial: the README's and the guide's) are played whole, as a class would type them.
Every other command that would play replications gets `--validate` appended, which checks
everything the run would (the files, every option, every override and design point)
without playing it; those replications are played at a smaller size by the tests of each
page (test_teaching, test_readme, test_docs_commands, test_convergence). Lines that serve
a browser app or run this test suite are named in SKIP with the test that covers them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
SKIP = {
    "./test.sh": "the test suite itself",
    "./scripts/app.sh": "serves the app until stopped: tests/test_app.py",
    "scripts/app.sh": "serves the app until stopped: tests/test_app.py",
    ".venv/bin/python bench/convergence.py": "a convergence study of minutes: tests/test_convergence.py",
}
PLAYS = ("run_scenario.py", "./run.sh", "-m sim")
"""Commands of the tool itself: those that play replications are validated instead."""
LOOKS_ONLY = ("--help", " validate", "--validate", " schema", "--schema", " merge")
PLACEHOLDER = re.compile(r"\b[A-Z]{3,}\b")  # COMMAND, FILE: a pattern, not a command


def page_lines() -> list[tuple[str, str]]:
    """(page, line) for every command line of every sh block, in page order."""
    out = []
    for page in PAGES:
        for block in SH_BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                command = line.split(" #")[0].strip()
                if command and not command.startswith("#"):
                    out.append((page.relative_to(ROOT).as_posix(), command))
    return out


def played_whole(command: str) -> bool:
    """The first lesson: a study of the tutorial (a few seconds), played exactly as written (on
    this machine's processes: a Dask cluster is started by tests/test_cluster.py)."""
    lesson = " run scenarios/tutorial.yaml " in f" {command} " and "--executor" not in command
    return lesson and "--validate" not in command


def as_run(command: str) -> str | None:
    """The shell line to run for a documented command, or None to skip it."""
    if any(command == s or command.startswith(s + " ") for s in SKIP) or PLACEHOLDER.search(command):
        return None
    if command.startswith(". "):  # `. .venv/bin/activate`: sourced before the lines that follow
        return None
    plays = any(p in command for p in PLAYS) and not any(w in command for w in LOOKS_ONLY)
    if plays and not played_whole(command):
        command += " --validate"
    return command


def checkout_copy(where: Path) -> Path:
    """The checkout's files as they are now (tracked ones), with its .venv linked in."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            target = where / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (where / ".venv").symlink_to(ROOT / ".venv")
    return where


def clean_env(home: Path) -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def test_the_pages_show_commands_and_every_line_is_of_a_known_kind():
    lines = page_lines()
    pages = {page for page, _ in lines}
    assert {"README.md", "docs/teaching.md", "docs/analysis.md"} <= pages
    runnable = [c for _, c in lines if as_run(c)]
    assert len(runnable) >= 30
    whole = [c for c in runnable if played_whole(as_run(c))]
    assert len(whole) >= 4, "the first lesson's commands are played whole"


@pytest.mark.slow
def test_every_documented_command_works_as_written_in_a_fresh_shell(tmp_path):
    # what a student's shell has after the guide's `. .venv/bin/activate`: the venv's python first
    activated = ". .venv/bin/activate && "
    jobs = []
    for page, command in page_lines():
        line = as_run(command)
        if line is None:
            continue
        prefix = activated if line.startswith("python ") else ""
        jobs.append((page, command, prefix + line))

    copy = checkout_copy(tmp_path / "checkout")
    home = tmp_path / "home"
    home.mkdir()

    def run(job):
        page, command, line = job
        done = subprocess.run(
            ["sh", "-c", line],
            cwd=copy,
            env=clean_env(home),
            capture_output=True,
            text=True,
            timeout=300,
        )
        return page, command, done

    # the lesson's studies one after another (they choose their folders by name and time), the
    # validations beside them
    whole = [job for job in jobs if played_whole(job[2])]
    checked = [job for job in jobs if not played_whole(job[2])]
    with ThreadPoolExecutor(2) as pool:
        done = pool.map(lambda group: [run(job) for job in group], [whole, checked])
        results = [result for group in done for result in group]
    failed = [
        f"{page}: {command}\n  exit {done.returncode}: {(done.stderr or done.stdout)[-600:]}"
        for page, command, done in results
        if done.returncode != 0
    ]
    assert not failed, "\n".join(failed)
    assert len(results) >= 30
    played = [p for p in (copy / "results").iterdir() if (p / "report.html").exists()]
    assert len(played) >= 4, "the first lesson's studies wrote their reports"
