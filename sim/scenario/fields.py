"""How a scenario field is declared: the strict base model, `param(...)`, and the shared field types.

Every rate and probability in the scenario schema is declared with `param(...)`,
so the schema itself carries what a student needs to judge a number: its unit,
its default, the range the model accepts, what it means, and where it comes
from (a public source, or the words "assumption: ..."). The JSON Schema and the
generated parameter reference are built from this metadata (`field_metadata`).

Also here: the vocabulary of `sim.codes` as the schema's choice types (`Side`,
`Posture`, ...), and the factories of the tables with one number per terrain
(`terrain_table`) or per posture (`posture_table`).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from sim.codes import (
    AIR_DEFENCE_KINDS,
    ARTILLERY_KINDS,
    DRONE_KINDS,
    NATIONS,
    POSTURES,
    SIDES,
    TERRAINS,
    UNIT_KINDS,
    WEATHER_STATES,
)

# The choices a scenario may write, spelt once in sim.codes.
Side = Literal[SIDES]
Nation = Literal[NATIONS]
Posture = Literal[POSTURES]
UnitKind = Literal[UNIT_KINDS]
ArtilleryKind = Literal[ARTILLERY_KINDS]
AirDefenceKind = Literal[AIR_DEFENCE_KINDS]
DroneKind = Literal[DRONE_KINDS]
WeatherState = Literal[WEATHER_STATES]


class LocatedError(ValueError):
    """A model's check that names the field at fault (`path`, below the model), not the whole model.

    Pydantic reports an error of a model validator at the model itself (a scenario's
    duplicate unit id at line 1); the loader adds `path` to the error's location instead.
    """

    def __init__(self, message: str, path: tuple[str | int, ...]):
        super().__init__(message)
        self.path = tuple(path)


class Strict(BaseModel):
    """Base of every schema model: unknown fields are errors, values are frozen, and a number is
    written as a number (`vehicles: true` and `turns: !!str 10` are refused, not read as 1 and 10)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            numeric = _numeric_fields(cls)
            for key, value in data.items():
                if key in numeric and (isinstance(value, bool) or _numeric_text(value)):
                    got = "true" if value is True else "false" if value is False else f"the text {value!r}"
                    raise LocatedError(f"Input should be {numeric[key]}, not {got}", (key,))
        return data


_NUMERIC = {int: "a valid integer (a whole number)", float: "a valid number"}


def _numeric_text(value: Any) -> bool:
    """Text that pydantic would read as a number (other text it refuses itself)."""
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


@functools.cache
def _numeric_fields(model: type[BaseModel]) -> dict[str, str]:
    """The fields of `model` that hold a number (optional or not): YAML key -> what is expected."""
    out = {}
    for name, info in model.model_fields.items():
        tp = info.annotation
        args = [a for a in get_args(tp) if a is not type(None)] if get_args(tp) else [tp]
        if len(args) == 1 and args[0] in _NUMERIC and (tp in _NUMERIC or type(None) in get_args(tp)):
            out[info.alias or name] = _NUMERIC[args[0]]
    return out


def param(
    default: Any,
    *,
    unit: str,
    description: str,
    source: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """A pydantic field for a model parameter, with its unit and source attached."""
    if ge is None and gt is None and le is None and lt is None:
        raise ValueError("a parameter needs a valid range")
    return Field(
        default,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        description=description,
        json_schema_extra={"unit": unit, "source": source},
    )


def field_metadata(model_cls: type, name: str) -> dict[str, Any]:
    """Unit, range, default, description and source of one declared field."""
    info = model_cls.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    bounds: dict[str, Any] = {}
    for constraint in info.metadata:
        for key in ("ge", "le", "gt", "lt"):
            value = getattr(constraint, key, None)
            if value is not None:
                bounds[key] = value
    return {
        "default": info.default,
        "unit": extra.get("unit"),
        "source": extra.get("source"),
        "description": info.description,
        **bounds,
    }


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like `word`, for a "did you mean" hint, or None."""
    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


# --------------------------------------------------------------------------- tables


def terrain_table(
    name: str, doc: str, unit: str, source: str, values: Sequence[float], lo: float, hi: float, *, module: str
) -> type[Strict]:
    """A model with one field per terrain type (open, forest, urban, marsh).

    `module` is the module that keeps the model, so that its instances pickle
    (runs are played in worker processes).
    """
    return _table(name, doc, unit, source, TERRAINS, values, lo, hi, module)


def posture_table(
    name: str, doc: str, unit: str, source: str, values: Sequence[float], lo: float, hi: float, *, module: str
) -> type[Strict]:
    """A model with one field per posture (attack, defend, hold, reserve, withdraw); see `terrain_table`."""
    return _table(name, doc, unit, source, POSTURES, values, lo, hi, module)


def _table(name, doc, unit, source, keys, values, lo, hi, module) -> type[Strict]:
    fields = {
        key: (
            float,
            param(value, unit=unit, ge=lo, le=hi, description=f"{doc}: {key}", source=source),
        )
        for key, value in zip(keys, values, strict=True)
    }
    return create_model(name, __base__=Strict, __doc__=doc, __module__=module, **fields)
