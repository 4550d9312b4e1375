"""Dotted paths into a scenario (`--set forces.ua_47_mech_1.morale=0.6`): read, checked and applied.

A path names fields by their YAML key (the field's name or alias) and list
items by index or by `id`. Three groups of helpers, shared by the loader, the
analysis designs and the app:

- what the schema has at a path: `field_name`, `schema_at`, `metadata_at`,
  `value_kind`;
- what scenario data holds at a path, and changing it: `list_index`,
  `value_at`, `apply_override` (one `--set` assignment, every step checked
  against the schema, with messages that say what was expected);
- `yaml_text`, which writes a value so that the YAML reading of `--set` gives
  it back as the same value.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal, get_args, get_origin

import numpy as np
from pydantic import BaseModel

from sim.errors import Problem, UserInputError
from sim.scenario.document import Scenario
from sim.scenario.fields import field_metadata
from sim.scenario.timing import replace_alternatives
from sim.scenario.yamlio import SourceMap, format_path, parse_yaml

# --------------------------------------------------------------------------- the schema at a path


def field_name(model: type[BaseModel], key: Any) -> str | None:
    """The attribute name of the field written `key` in YAML (its name or alias), or None."""
    for name, info in model.model_fields.items():
        if key == name or key == info.alias:
            return name
    return None


def field_list(model: type[BaseModel]) -> str:
    """The model's field names, for an "expected one of: ..." message."""
    return ", ".join(model.model_fields)


def schema_at(path: tuple[str | int, ...], model: type = Scenario) -> Any:
    """The type the schema expects at `path` (a model class, a container type or a leaf)."""
    current: Any = model
    for part in path:
        current = _strip_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            name = field_name(current, part)
            if name is None:
                return None
            current = current.model_fields[name].annotation
        elif get_origin(current) in (list, tuple):
            args = get_args(current)
            current = args[0] if args else Any
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    return _strip_optional(current)


def metadata_at(path: tuple[str | int, ...], model: type = Scenario) -> dict[str, Any]:
    """Unit, range, default, description and source of the field at `path` (see `field_metadata`).

    Empty when `path` names no field of a model (a list item, a map entry, nothing).
    """
    parent = schema_at(path[:-1], model)
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        name = field_name(parent, path[-1])
        if name is not None:
            return field_metadata(parent, name)
    return {}


def value_kind(tp: Any) -> tuple[str, tuple]:
    """What a schema type holds, and its choices: 'number', 'integer', 'boolean', 'choice', 'text' or 'group'.

    A group is not a single value: a model, a list, a map, a union (such as `map`), or unknown.
    """
    if tp is bool:
        return "boolean", ()
    if tp is int:
        return "integer", ()
    if tp is float:
        return "number", ()
    if get_origin(tp) is Literal:
        return "choice", tuple(get_args(tp))
    if tp is None or get_args(tp) or get_origin(tp) is not None:
        return "group", ()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "group", ()
    return "text", ()  # text, a date


def _strip_optional(tp: Any) -> Any:
    args = get_args(tp)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return tp


# --------------------------------------------------------------------------- the data at a path


def list_index(items: list, part: str) -> int | None:
    """The index that `part` (a number or a unit's `id`) names in `items`, or None."""
    if part.lstrip("-").isdigit():
        index = int(part)
        return index if -len(items) <= index < len(items) else None
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == part:
            return index
    return None


def value_at(data: Any, dotted: str) -> Any:
    """The value at a `--set` path in raw or resolved scenario data (KeyError if absent)."""
    node = data
    for part in dotted.split("."):
        if isinstance(node, list):
            index = list_index(node, part)
            if index is None:
                raise KeyError(dotted)
            node = node[index]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(dotted)
    return node


def apply_override(data: dict, assignment: str, source: SourceMap) -> None:
    """Apply one `dotted.path=value` to the raw scenario data, checking the path."""
    label = f"--set {assignment}"
    if "=" not in assignment:
        raise UserInputError(Problem("expected PATH=VALUE, e.g. days=20", file=label))
    dotted, _, text = assignment.partition("=")
    parts = [p for p in dotted.strip().split(".")]
    if not dotted.strip() or any(not p for p in parts):
        raise UserInputError(Problem("the path is empty or has an empty part", file=label))
    if parts[0] == "extends":
        raise UserInputError(
            Problem(
                "'extends' cannot be changed with --set: a scenario's base is read before --set "
                "applies; write extends: in a file of its own, or run the base scenario's file",
                file=label,
                field="extends",
            )
        )
    try:
        value, _ = parse_yaml(text, label) if text.strip() else (None, None)
    except UserInputError as exc:  # a --set value has no lines
        raise UserInputError(
            [dataclasses.replace(p, line=None, field=p.field or dotted.strip()) for p in exc.problems]
        ) from None

    node: Any = data
    model: Any = Scenario
    resolved: list[str | int] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        model = _strip_optional(model)
        if isinstance(node, list):
            index = list_index(node, part)
            if index is None:
                ids = [str(item.get("id")) for item in node if isinstance(item, dict) and "id" in item]
                raise UserInputError(
                    Problem(
                        f"no item {part!r} in {format_path(tuple(resolved))}; use an index "
                        f"0..{len(node) - 1}" + (f" or an id: {', '.join(ids)}" if ids else ""),
                        file=label,
                    )
                )
            resolved.append(index)
            model = get_args(model)[0] if get_args(model) else Any
            if last:
                node[index] = value
            else:
                node = node[index]
            continue
        if isinstance(model, type) and issubclass(model, BaseModel):
            name = field_name(model, part)
            if name is None:
                raise UserInputError(
                    Problem(
                        f"unknown field {part!r}"
                        + (f" in {format_path(tuple(resolved))}" if resolved else "")
                        + f"; expected one of: {field_list(model)}",
                        file=label,
                    )
                )
            key = model.model_fields[name].alias or name
            model = model.model_fields[name].annotation
        elif get_origin(model) is dict:
            key = part
            model = get_args(model)[1]
        else:
            raise UserInputError(
                Problem(
                    f"{format_path(tuple(resolved))} is a single value; it has no field {part!r}",
                    file=label,
                )
            )
        if not isinstance(node, dict):
            raise UserInputError(
                Problem(f"{format_path(tuple(resolved))} is not a map in this scenario", file=label)
            )
        resolved.append(key)
        if last:
            replace_alternatives(node, key)  # --set days=10 replaces a file's turns, and so on
            node[key] = value
        else:
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
    source.locations[tuple(resolved)] = (label, None)
    # values nested inside the new value are attributed to the same --set
    for sub in _paths_below(value):
        source.locations[tuple(resolved) + sub] = (label, None)


def _paths_below(value: Any, prefix=()):
    if isinstance(value, dict):
        for key, sub in value.items():
            yield prefix + (key,)
            yield from _paths_below(sub, prefix + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield prefix + (index,)
            yield from _paths_below(sub, prefix + (index,))


# --------------------------------------------------------------------------- writing a value


def yaml_text(value: Any) -> str:
    """A value written so that `--set`'s YAML reading gives it back exactly (NumPy scalars too)."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if not math.isfinite(value):  # YAML spells these .inf, -.inf and .nan
            return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:  # YAML 1.1 floats need a dot: 1e-05 -> 1.0e-05
            text = f"{mantissa}.0e{exponent}"
        return text
    return str(value)
