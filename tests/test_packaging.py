"""An installed wheel works from any folder: it carries its scenarios, maps and schemas."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_the_wheel_runs_its_default_scenario_from_any_folder(tmp_path):
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "installed", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", str(ROOT), "--no-deps", "-w", str(wheels)], check=True, capture_output=True
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True
    )
    # -S: no site, so the checkout's editable install is not seen; the dependencies come from this venv
    env = {**os.environ, "PYTHONPATH": f"{target}{os.pathsep}{sysconfig.get_paths()['purelib']}"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-S", *args], cwd=elsewhere, env=env, capture_output=True, text=True
        )

    done = run("-m", "sim", "--validate")
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stdout and "sudzha_jan2025.yaml" in done.stdout
    done = run("-m", "sim", "--runs", "2", "--no-plots", "--quiet", "--set", "days=2", "--out", "o")
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "o" / "runs.csv").exists()
    done = run("-m", "sim.scenario.jsonschema")
    assert done.returncode == 2 and "checkout" in done.stderr  # writes nothing into site-packages
    assert not (target / "docs").exists()
