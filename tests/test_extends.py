"""`extends`: a variant names a base scenario and changes only what differs."""

from __future__ import annotations

import pytest

from sim.errors import UserInputError
from sim.loading import load_scenario

from conftest import MAP, MINIMAL, TUTORIAL


def problems_of(path, overrides=()):
    with pytest.raises(UserInputError) as err:
        load_scenario(path, overrides)
    return err.value.problems


BASE = MINIMAL.replace(
    "turns: 5",
    "turns: 5\nparameters:\n  combat:\n    intensity: 2.0\n    zoc_share: 0.4\n"
    "  morale:\n    defeat_penalty_per_km: 0.2",
).replace("    at: sudzha\n", "    at: sudzha\n    orders:\n      - {turn: 2, posture: hold}\n")


def test_maps_merge_at_every_depth_and_scalars_replace(write_yaml):
    """A child's nested value replaces only that value; its siblings come from the base."""
    write_yaml(BASE, "base.yaml")
    child = write_yaml(
        "extends: base.yaml\nname: child\nparameters:\n  combat:\n    intensity: 3.0\n", "child.yaml"
    )
    spec = load_scenario(child).spec
    assert spec.name == "child"
    assert spec.parameters.combat.intensity == 3.0
    assert spec.parameters.combat.zoc_share == 0.4  # the base's sibling
    assert spec.parameters.morale.defeat_penalty_per_km == 0.2  # the base's other group
    assert spec.turns == 5 and [u.id for u in spec.forces] == ["ua_a", "ru_a"]


def test_lists_are_replaced_whole(write_yaml):
    """A child's list (forces, a unit's orders) replaces the base's list, item for item."""
    write_yaml(BASE, "base.yaml")
    child = write_yaml(
        """\
        extends: base.yaml
        forces:
          - {id: ua_b, name: UA B, side: UA, kind: infantry, personnel: 300, at: sudzha}
          - {id: ru_b, name: RU B, side: RU, kind: marines, personnel: 900, position: [51.30, 35.50]}
        """,
        "child.yaml",
    )
    spec = load_scenario(child).spec
    assert [u.id for u in spec.forces] == ["ua_b", "ru_b"]
    assert spec.forces[0].orders == []  # the base's orders went with the base's list
    assert spec.forces[0].vehicles == 20  # a field neither file gives: the schema default


def test_extends_chains_and_keeps_the_base_map_path_relative_to_the_base(write_yaml, tmp_path):
    """A base in another folder may extend another; its relative map path still resolves."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "maps").mkdir()
    (tmp_path / "lib" / "maps" / "m.yaml").write_text(MAP.read_text())
    write_yaml(MINIMAL.replace(str(MAP), "maps/m.yaml"), "lib/grand.yaml")
    write_yaml("extends: grand.yaml\nturns: 7\n", "lib/parent.yaml")
    child = write_yaml("extends: lib/parent.yaml\nname: grandchild\n", "child.yaml")
    loaded = load_scenario(child)
    assert loaded.spec.turns == 7 and loaded.spec.name == "grandchild"
    assert len(loaded.map.settlements) > 10


def test_set_applies_after_the_merge(write_yaml):
    """--set overrides what the child and the base say."""
    write_yaml(BASE, "base.yaml")
    child = write_yaml("extends: base.yaml\nturns: 8\n", "child.yaml")
    assert load_scenario(child, ["turns=3"]).spec.turns == 3


def test_unknown_field_in_a_child_is_reported_at_the_child_line_naming_the_base(write_yaml):
    """A field neither the schema nor the base has: the child's file and line, and the base's name."""
    write_yaml(BASE, "base.yaml")
    child = write_yaml(
        "extends: base.yaml\nname: child\nparameters:\n  combat:\n    intensty: 3.0\n", "child.yaml"
    )
    (problem,) = problems_of(child)
    assert problem.file == str(child) and problem.line == 5
    assert problem.field == "parameters.combat.intensty"
    assert "base.yaml" in problem.message and "did you mean 'intensity'" in problem.message


def test_an_error_in_a_replaced_list_points_at_the_child_not_the_base(write_yaml):
    """The base's lines of a list the child replaced are forgotten."""
    write_yaml(BASE, "base.yaml")
    child = write_yaml(
        """\
        extends: base.yaml
        forces:
          - {id: ua_b, name: UA B, side: UA, personnel: 300, at: sudzha}
          - {id: ru_b, name: RU B, side: RU, kind: marines, personnel: 900, position: [51.30, 35.50]}
        """,
        "child.yaml",
    )
    (problem,) = problems_of(child)
    assert problem.field == "forces[0].kind" and "missing" in problem.message
    assert problem.file == str(child) and problem.line == 3


def test_an_error_in_what_the_base_kept_points_at_the_base(write_yaml):
    """A bad value the child did not touch is reported in the base file."""
    base = write_yaml(BASE.replace("zoc_share: 0.4", "zoc_share: 4"), "base.yaml")
    child = write_yaml("extends: base.yaml\nname: child\n", "child.yaml")
    (problem,) = problems_of(child)
    assert problem.file == str(base) and problem.field == "parameters.combat.zoc_share"


def test_missing_base_and_cycles_name_both_files(write_yaml):
    """A missing base is reported at the child's extends line; a cycle lists every file in it."""
    child = write_yaml("name: x\nextends: gone.yaml\n", "child.yaml")
    (problem,) = problems_of(child)
    assert problem.file == str(child) and problem.line == 2 and "gone.yaml" in problem.message
    write_yaml("extends: b.yaml\n", "a.yaml")
    write_yaml("extends: c.yaml\n", "b.yaml")
    c = write_yaml("extends: a.yaml\n", "c.yaml")
    (problem,) = problems_of(c)
    assert "cycle" in problem.message
    assert all(name in problem.message for name in ("a.yaml", "b.yaml", "c.yaml"))


def test_a_shipped_scenario_can_be_extended(write_yaml):
    """A student's variant of the tutorial changes one number and keeps the rest."""
    child = write_yaml(f"extends: {TUTORIAL}\nname: mine\nturns: 4\n", "mine.yaml")
    base, loaded = load_scenario(TUTORIAL), load_scenario(child)
    assert loaded.spec.turns == 4 and loaded.spec.forces == base.spec.forces
