"""Packaging beyond pyproject.toml: the wheel carries the scenarios, maps and JSON Schemas.

They live at the top of the repository (`scenarios/`, `docs/*.schema.json`) where users read and
edit them; building the package copies them into `sim/bundled/`, where an installed `sim` finds
them with importlib.resources (`sim.resources`).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "sim" / "bundled"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(HERE / "scenarios", target / "scenarios", dirs_exist_ok=True)
        for name in ("scenario.schema.json", "map.schema.json"):
            shutil.copy2(HERE / "docs" / name, target / name)


setup(cmdclass={"build_py": BuildWithData})
