"""Every model parameter carries a unit, a default, a valid range and a source."""

from __future__ import annotations

from pydantic import BaseModel

from sim.scenario import Doctrine, Parameters, SideSpec, Unit, reference


def _numeric_fields(model: type[BaseModel], seen: set) -> list[tuple[type, str]]:
    out = []
    if model in seen:
        return out
    seen.add(model)
    for name, info in model.model_fields.items():
        if info.annotation in (int, float):
            out.append((model, name))
        elif isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            out += _numeric_fields(info.annotation, seen)
    return out


def test_every_numeric_parameter_is_declared_with_unit_range_and_source():
    """No number in the schema lacks its unit, range, meaning or source."""
    seen: set = set()
    fields = []
    for model in (Parameters, SideSpec, Doctrine, Unit):
        fields += _numeric_fields(model, seen)
    assert len(fields) > 50
    for model, name in fields:
        info = model.model_fields[name]
        extra = info.json_schema_extra or {}
        assert extra.get("unit"), f"{model.__name__}.{name} has no unit"
        assert extra.get("source"), f"{model.__name__}.{name} has no source"
        assert info.description, f"{model.__name__}.{name} has no description"
        bounds = [getattr(m, k, None) for m in info.metadata for k in ("ge", "gt", "le", "lt")]
        assert any(b is not None for b in bounds), f"{model.__name__}.{name} has no range"


def test_defaults_lie_within_their_ranges():
    """A default outside its own valid range would be a contradiction (None: an option left unset)."""
    # the run's length (give one; 30 days if neither); a unit's own commitment (its side's if unset)
    unset = {"days", "turns", "forces[].assault_commitment", "forces[].attack_tempo"}
    for row in reference.parameter_rows():
        value = row["default"]
        if value is None:
            assert row["path"] in unset, row["path"]
            continue
        assert "ge" not in row or value >= row["ge"], row["path"]
        assert "gt" not in row or value > row["gt"], row["path"]
        assert "le" not in row or value <= row["le"], row["path"]
        assert "lt" not in row or value < row["lt"], row["path"]


def test_parameter_reference_is_up_to_date():
    """docs/parameters.md is what the schema generates (run python -m sim.scenario.reference)."""
    assert reference.main(["--check"]) == 0
