"""Golden outputs: a refactor changes no byte of any output (see tests/golden.py to regenerate)."""

from __future__ import annotations

import json

import pytest
from golden import COMMANDS, REFERENCE, run_command

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", list(COMMANDS))
def test_outputs_match_the_golden_reference(name, tmp_path):
    """Every file a golden command writes hashes as in the reference (wall time and stamps aside)."""
    reference = json.loads(REFERENCE.read_text())[name]
    got = run_command(name, tmp_path / name)
    assert sorted(got) == sorted(reference), "the set of files written changed"
    changed = [f for f in reference if got[f] != reference[f]]
    assert not changed, f"outputs changed: {changed}"
