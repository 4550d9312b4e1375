"""The published JSON Schema: editors can check and complete scenario files with it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from sim.cli import main
from sim.scenario import jsonschema as schema_module
from sim.scenario.yamlio import load_yaml, parse_yaml

from conftest import MINIMAL, SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
MAP_FILES = sorted((SCENARIOS / "maps").glob("*.yaml"))


def as_json(data):
    """What an editor sees: YAML dates are plain strings in JSON."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator():
    schema = schema_module.scenario_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_shipped_scenario_passes_the_schema(validator, path):
    """Each scenario file, variants with `extends` included, is valid against the schema."""
    data, _ = load_yaml(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(as_json(data))]
    assert not errors, errors


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.name)
def test_every_map_passes_the_map_schema(path):
    """Map files have their own schema."""
    data, _ = load_yaml(path)
    jsonschema.Draft7Validator(schema_module.map_schema()).validate(as_json(data))


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (("personnel: 600", "personel: 600"), ["forces", 0]),
        (("personnel: 600", "personnel: -5"), ["forces", 0, "personnel"]),
        (("side: UA", "side: UK"), ["forces", 0, "side"]),
        (
            ("turns: 5", "turns: 5\nparameters:\n  combat:\n    intensity: 11"),
            ["parameters", "combat", "intensity"],
        ),
        (("name: minimal\n", "name: minimal\ncolour: red\n"), []),
    ],
)
def test_a_broken_scenario_is_rejected_where_it_is_broken(validator, edit, where):
    """Unknown fields, out-of-range numbers and wrong choices are schema errors at their path."""
    data, _ = parse_yaml(MINIMAL.replace(*edit, 1), "s.yaml")
    errors = list(validator.iter_errors(as_json(data)))
    assert errors
    assert any(list(e.absolute_path) == where for e in errors), [list(e.absolute_path) for e in errors]


def test_required_fields_apply_unless_the_file_extends_another(validator):
    """A variant with `extends` may give only what it changes; a whole scenario needs its forces."""
    assert not list(validator.iter_errors({"extends": "base.yaml", "turns": 5}))
    missing = list(validator.iter_errors({"name": "x", "map": "maps/sudzha.yaml", "line_of_control": "2025"}))
    assert any("forces" in e.message for e in missing)


def test_parameters_carry_unit_range_and_source_for_the_editor():
    """Hovering a parameter shows its meaning, unit, default, range and source."""
    schema = schema_module.scenario_schema()
    intensity = schema["$defs"]["CombatParams"]["properties"]["intensity"]
    assert intensity["unit"] == "multiplier" and intensity["source"]
    number, distribution = intensity["anyOf"]  # a number in range, or a distribution
    assert number["maximum"] == 10 and number["type"] == "number"
    assert distribution == {"$ref": "#/$defs/Distribution"}
    text = intensity["markdownDescription"]
    assert "**unit:** multiplier" in text and "0 ≤ x ≤ 10" in text and "**source:**" in text
    assert "lists" in schema["properties"]["extends"]["description"]


def test_the_published_schemas_are_up_to_date():
    """docs/scenario.schema.json and docs/map.schema.json are what the code generates."""
    assert schema_module.main(["--check"]) == 0, "run: python -m sim.scenario.jsonschema"


def test_schema_option_writes_the_schema(tmp_path, capsys):
    """`run_scenario.py --schema FILE` writes the JSON Schema; bare `--schema` prints it."""
    target = tmp_path / "scenario.schema.json"
    assert main(["--schema", str(target)]) == 0
    assert json.loads(target.read_text()) == schema_module.scenario_schema()
    capsys.readouterr()
    assert main(["--schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Sudzha wargame scenario"
    assert main(["--schema", str(tmp_path / "oops.yaml")]) == 2
    assert not (tmp_path / "oops.yaml").exists()
