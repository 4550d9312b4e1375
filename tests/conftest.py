"""Shared fixtures: the shipped scenarios, and small scenario files written on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
MAP = SCENARIOS / "maps" / "sudzha.yaml"
TUTORIAL = SCENARIOS / "tutorial.yaml"
DEFAULT = SCENARIOS / "sudzha_jan2025.yaml"


@pytest.fixture(scope="session")
def tutorial():
    from sim.loading import load_scenario

    return load_scenario(TUTORIAL)


@pytest.fixture(scope="session")
def default_scenario():
    from sim.loading import load_scenario

    return load_scenario(DEFAULT)


MINIMAL = f"""\
name: minimal
map: {MAP}
line_of_control: "2025-01-05"
turns: 5
forces:
  - id: ua_a
    name: UA A
    side: UA
    kind: mechanised
    personnel: 600
    at: sudzha
  - id: ru_a
    name: RU A
    side: RU
    kind: airborne
    personnel: 1500
    position: [51.30, 35.50]
"""


@pytest.fixture
def write_yaml(tmp_path):
    """Write YAML text (dedented) to a file in tmp_path and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the command line in a subprocess, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "run_scenario.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
    )
