"""How a model parameter is declared: value, unit, valid range, meaning and source.

Every rate and probability in the scenario schema is declared with `param(...)`,
so the schema itself carries what a student needs to judge a number: its unit,
its default, the range the model accepts, what it means, and where it comes
from (a public source, or the words "assumption: ..."). The JSON Schema and the
generated parameter reference are built from this metadata.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field


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
