"""The README's example commands stay valid: each one passes `--validate` as written.

Lines with placeholders (SCENARIO.yaml, [--runs N]) and `--help` are usage, not examples.
Running the examples in full is the teaching guide's test (test_teaching.py); here
`--validate` checks every scenario, `--set` and design point without playing a run.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

README = ROOT / "README.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
PLACEHOLDER = re.compile(r"\bSCENARIO\b|\[")  # usage lines, not examples


def readme_examples() -> list[list[str]]:
    examples = []
    for block in SH_BLOCK.findall(README.read_text(encoding="utf-8")):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] != ["./run.sh"] or "--help" in words:
                continue
            if PLACEHOLDER.search(" ".join(words)):
                continue
            examples.append(words[1:])
    return examples


def test_readme_has_examples_of_each_analysis():
    flat = [" ".join(args) for args in readme_examples()]
    assert any("--set" in a for a in flat)
    assert any("--sweep" in a for a in flat)
    assert any("--design lhs" in a for a in flat)
    assert any("--sensitivity" in a or a.startswith("sensitivity ") for a in flat)
    assert any(sum(w.endswith(".yaml") for w in a.split()) >= 2 for a in flat), "no comparison example"


@pytest.mark.slow
@pytest.mark.parametrize("args", readme_examples(), ids=lambda a: " ".join(a)[:60])
def test_readme_example_validates(args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "run_scenario.py", *args, "--validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ok:" in done.stdout
