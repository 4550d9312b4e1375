"""Scenario validation: every kind of bad input gets a message naming file, line and field."""

from __future__ import annotations

import pytest

from sim.errors import UserInputError
from sim.loading import deep_merge, load_scenario

from conftest import MAP, MINIMAL


def problems_of(path, overrides=()):
    with pytest.raises(UserInputError) as err:
        load_scenario(path, overrides)
    return err.value.problems


def test_minimal_scenario_loads_with_defaults(write_yaml):
    """A scenario that gives only its forces gets every parameter's default."""
    loaded = load_scenario(write_yaml(MINIMAL))
    assert loaded.spec.parameters.combat.breakthrough_ratio == 3.0
    assert loaded.spec.forces[1].nation_or_side == "RU"
    assert loaded.map.name


def test_unknown_field_is_named_with_its_line_and_a_suggestion(write_yaml):
    """A mistyped field is refused at its line, with the closest valid name."""
    path = write_yaml(MINIMAL.replace("    personnel: 600", "    personel: 600"))
    (problem,) = problems_of(path)
    assert problem.file == str(path)
    assert problem.line == 10
    assert problem.field == "forces[0].personel"
    assert "unknown field" in problem.message and "'personnel'" in problem.message


def test_wrong_type_and_out_of_range_are_both_reported(write_yaml):
    """All problems come at once, each with its own line."""
    text = MINIMAL.replace("personnel: 600", "personnel: lots").replace(
        "personnel: 1500", "personnel: 1500\n    morale: 1.5"
    )
    problems = problems_of(write_yaml(text))
    fields = {p.field: p for p in problems}
    assert "valid integer" in fields["forces[0].personnel"].message
    assert "'lots'" in fields["forces[0].personnel"].message
    assert "less than or equal to 1" in fields["forces[1].morale"].message
    assert fields["forces[1].morale"].line == 17


def test_unknown_settlement_reference_suggests_the_right_key(write_yaml):
    """A reference to a settlement the map lacks is an error that suggests the key meant."""
    (problem,) = problems_of(write_yaml(MINIMAL.replace("at: sudzha", "at: sudzhaa")))
    assert problem.field == "forces[0].at"
    assert "unknown settlement 'sudzhaa'" in problem.message
    assert "did you mean 'sudzha'" in problem.message


def test_unknown_line_of_control_lists_the_map_keys(write_yaml):
    """A line of control the map does not have is refused, listing those it has."""
    (problem,) = problems_of(write_yaml(MINIMAL.replace('"2025-01-05"', '"1999-01-01"')))
    assert problem.field == "line_of_control"
    assert "2025-01-05" in problem.message


def test_position_outside_the_map_is_refused(write_yaml):
    """A unit placed outside the map box is an error."""
    (problem,) = problems_of(write_yaml(MINIMAL.replace("[51.30, 35.50]", "[55.0, 37.6]")))
    assert problem.field == "forces[1].position"
    assert "outside the map" in problem.message


def test_duplicate_unit_ids_and_missing_side_are_refused(write_yaml):
    """Unit ids are unique and each side needs a unit."""
    text = MINIMAL.replace("id: ru_a", "id: ua_a")
    (problem,) = problems_of(write_yaml(text))
    assert "repeated: ua_a" in problem.message


def test_dprk_units_must_fight_for_russia(write_yaml):
    """A DPRK unit on the Ukrainian side makes no sense and is refused."""
    text = MINIMAL.replace(
        "side: UA\n    kind: mechanised", "side: UA\n    nation: DPRK\n    kind: mechanised"
    )
    (problem,) = problems_of(write_yaml(text))
    assert "DPRK units fight on the RU side" in problem.message


def test_missing_map_file_and_scenario_file(write_yaml, tmp_path):
    """Missing files are named."""
    (problem,) = problems_of(write_yaml(MINIMAL.replace(str(MAP), "nowhere.yaml")))
    assert problem.field == "map" and "not found" in problem.message
    (problem,) = problems_of(tmp_path / "absent.yaml")
    assert problem.message == "file not found"


def test_set_overrides_a_field_and_is_validated(write_yaml):
    """--set changes a value; a bad value is reported against the --set argument."""
    path = write_yaml(MINIMAL)
    loaded = load_scenario(path, ["turns=7", "parameters.combat.intensity=1.5", "forces.ru_a.morale=0.4"])
    assert loaded.spec.turns == 7
    assert loaded.spec.parameters.combat.intensity == 1.5
    assert loaded.spec.unit("ru_a").morale == 0.4
    (problem,) = problems_of(path, ["forces.1.morale=high"])
    assert problem.file == "--set forces.1.morale=high"
    assert problem.field == "forces[1].morale"
    assert "valid number" in problem.message


def test_set_rejects_unknown_paths_before_anything_runs(write_yaml):
    """A --set path that the schema does not have names the valid choices."""
    path = write_yaml(MINIMAL)
    (problem,) = problems_of(path, ["parameters.combat.intensty=2"])
    assert "unknown field 'intensty'" in problem.message and "intensity" in problem.message
    (problem,) = problems_of(path, ["forces.nobody.morale=0.5"])
    assert "no item 'nobody'" in problem.message and "ua_a" in problem.message
    (problem,) = problems_of(path, ["turns.x=1"])
    assert "single value" in problem.message
    (problem,) = problems_of(path, ["turns"])
    assert "PATH=VALUE" in problem.message


def test_extends_merges_maps_and_replaces_lists(write_yaml):
    """A child scenario changes only what it names; lists are replaced whole."""
    write_yaml(
        MINIMAL.replace(
            "turns: 5", "turns: 5\nparameters:\n  combat:\n    intensity: 2.0\n    zoc_share: 0.4"
        ),
        "base.yaml",
    )
    child = write_yaml(
        """\
        extends: base.yaml
        name: child
        parameters:
          combat:
            intensity: 3.0
        """,
        "child.yaml",
    )
    loaded = load_scenario(child)
    assert loaded.spec.name == "child"
    assert loaded.spec.parameters.combat.intensity == 3.0
    assert loaded.spec.parameters.combat.zoc_share == 0.4  # kept from the base
    assert len(loaded.spec.forces) == 2
    assert deep_merge({"a": [1, 2], "b": {"c": 1, "d": 2}}, {"a": [3], "b": {"d": 5}}) == {
        "a": [3],
        "b": {"c": 1, "d": 5},
    }


def test_extends_errors_name_both_files(write_yaml):
    """A missing base and a cycle are reported at the 'extends' line."""
    missing = write_yaml("extends: nothere.yaml\nname: x\n", "m.yaml")
    (problem,) = problems_of(missing)
    assert problem.file == str(missing) and problem.line == 1 and "nothere.yaml" in problem.message
    write_yaml("extends: b.yaml\nname: a\n", "a.yaml")
    b = write_yaml("extends: a.yaml\nname: b\n", "b.yaml")
    (problem,) = problems_of(b)
    assert "cycle" in problem.message and "a.yaml" in problem.message and "b.yaml" in problem.message
