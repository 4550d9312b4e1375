"""The commands shown in docs/analysis.md stay valid: each one passes `--validate` as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

PAGES = [ROOT / "docs" / "analysis.md"]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def page_commands() -> list[list[str]]:
    out = []
    for page in PAGES:
        for block in SH_BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if words[:1] == ["./run.sh"]:
                    out.append(words[1:])
    return out


def test_the_analysis_page_shows_commands():
    flat = [" ".join(c) for c in page_commands()]
    assert any(c.startswith("calibrate ") or "--calibrate" in c for c in flat)
    assert any("--precision" in c for c in flat)


@pytest.mark.slow
@pytest.mark.parametrize("args", page_commands(), ids=lambda a: " ".join(a)[:60])
def test_the_analysis_page_commands_validate(args):
    done = subprocess.run(
        [sys.executable, "run_scenario.py", *args, "--validate"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ok:" in done.stdout
