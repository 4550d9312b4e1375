"""The code base stays clean: ruff's lint rules and formatting (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PATHS = ["sim", "tests", "bench", "run_scenario.py"]


def test_ruff_lint_passes():
    """ruff check finds nothing."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PATHS], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_formatted():
    """ruff format would change nothing."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
