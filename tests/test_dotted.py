"""Dotted `--set` paths: one set of helpers for the loader, the designs and the app."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.app.model import ListScale, Setting
from sim.loading import load_scenario
from sim.scenario import Doctrine
from sim.scenario.dotted import metadata_at, schema_at, value_at, value_kind, yaml_text
from sim.scenario.yamlio import parse_yaml

from conftest import DEFAULT, TUTORIAL


@pytest.mark.parametrize("value", [0.1, 1e-05, 2.5e20, -3.0e-12, 3, True, "attack"])
def test_written_values_read_back_as_the_same_value(value):
    """The text of a --set reads back, through YAML, as the value itself: 1e-05 as a number, not text."""
    parsed, _ = parse_yaml(yaml_text(value), "x")
    assert parsed == value and type(parsed) is type(value)


def test_numpy_scalars_and_infinities_are_written_as_yaml_numbers():
    """Design matrices hold NumPy scalars; an infinite or undefined float stays a float."""
    for value, expected in [(np.float64(1e-05), 1e-05), (np.int64(7), 7), (np.bool_(True), True)]:
        parsed, _ = parse_yaml(yaml_text(value), "x")
        assert parsed == expected and type(parsed) is type(expected)
    assert parse_yaml(yaml_text(math.inf), "x")[0] == math.inf
    assert parse_yaml(yaml_text(-math.inf), "x")[0] == -math.inf
    assert math.isnan(parse_yaml(yaml_text(math.nan), "x")[0])


def _value_read_back(override: str):
    return parse_yaml(override.partition("=")[2], "x")[0]


def test_app_inputs_set_to_small_floats_are_written_as_numbers():
    """The app writes --set values with the shared writer: a tiny value reads back as a float, not text."""
    loaded = load_scenario(TUTORIAL)
    setting = Setting("intensity", "parameters.combat.intensity", "Combat intensity")
    (override,) = setting.overrides(1e-05, loaded.spec)
    assert override == "parameters.combat.intensity=1.0e-05"
    assert _value_read_back(override) == 1e-05

    jammers = ListScale("ua_ew", "sides.UA.jammers", "strength", "UA EW strength")
    overrides = jammers.overrides(1e-05, load_scenario(DEFAULT).spec)
    assert overrides
    assert all(isinstance(_value_read_back(o), float) and _value_read_back(o) < 1e-04 for o in overrides)
    assert load_scenario(DEFAULT, overrides).spec.sides.UA.jammers


def test_the_schema_at_a_path_names_type_kind_and_metadata():
    """A path through models, lists and aliases leads to its type, kind and declared metadata."""
    assert schema_at(("sides", "RU", "doctrine")) is Doctrine
    assert value_kind(schema_at(("forces", "0", "personnel"))) == ("integer", ())
    assert value_kind(schema_at(("sides", "UA", "doctrine", "default_posture")))[0] == "choice"
    assert value_kind(schema_at(("logistics", "main_supply_route", "from"))) == ("text", ())
    assert value_kind(schema_at(("parameters", "combat"))) == ("group", ())
    assert schema_at(("parameters", "no_such_group")) is None
    meta = metadata_at(("parameters", "combat", "intensity"))
    assert meta["unit"] == "multiplier" and meta["le"] == 10
    assert metadata_at(("forces", "0")) == {}


def test_values_are_found_by_index_or_by_unit_id():
    """`forces.<id>` and `forces.<index>` name the same unit; a missing part is a KeyError."""
    loaded = load_scenario(TUTORIAL)
    first = loaded.data["forces"][0]
    assert value_at(loaded.data, f"forces.{first['id']}.personnel") == first["personnel"]
    assert value_at(loaded.data, "forces.0.personnel") == first["personnel"]
    with pytest.raises(KeyError):
        value_at(loaded.data, "forces.no_such_unit.personnel")
