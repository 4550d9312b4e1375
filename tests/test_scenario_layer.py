"""The scenario package sits below everything that runs a scenario: it never imports upwards."""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

PACKAGE = ROOT / "sim" / "scenario"
ALLOWED = ("sim.codes", "sim.errors", "sim.resources", "sim.caching", "sim.scenario")


def sim_imports(path) -> set[str]:
    """Every `sim...` module a file imports, at any depth (TYPE_CHECKING blocks and functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "sim":
                found.update(f"sim.{alias.name}" for alias in node.names)
    return {name for name in found if name == "sim" or name.startswith("sim.")}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_scenario_modules_import_only_the_vocabulary_errors_resources_and_each_other(path):
    """No schema module depends on the engine, the loader, the outputs or the app."""
    upward = {name for name in sim_imports(path) if not name.startswith(ALLOWED)}
    assert not upward, f"{path.name} imports {sorted(upward)}"
