"""Every shipped scenario and map validates and plays."""

from __future__ import annotations

import pytest

from sim.loading import load_scenario
from sim.model import SudzhaModel
from sim.scenario.mapfile import MapSpec
from sim.scenario.yamlio import load_yaml

from conftest import SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
MAP_FILES = sorted((SCENARIOS / "maps").glob("*.yaml"))


def test_there_are_scenarios_to_check():
    """The default and the tutorial scenario ship with the code."""
    names = {p.name for p in SCENARIO_FILES}
    assert {"sudzha_jan2025.yaml", "tutorial.yaml"} <= names


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.name)
def test_every_map_validates(path):
    """Each map file passes the map schema."""
    data, _ = load_yaml(path)
    spec = MapSpec.model_validate(data)
    assert len(spec.settlements) >= 15 and spec.lines_of_control


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_scenario_validates_and_plays_a_few_turns(path):
    """Each scenario file validates and its model plays three turns."""
    loaded = load_scenario(path)
    model = SudzhaModel(loaded, rng=1)
    for _ in range(min(3, loaded.spec.turn_count)):
        model.step()
    assert model.turn == min(3, loaded.spec.turn_count)
