"""Reading scenario files: YAML -> `extends` -> `--set` -> map -> validated `LoadedScenario`.

Errors are collected as `Problem`s that name the file, the line and the field
(pydantic's error locations are mapped back to YAML lines through the
`SourceMap` that `sim.scenario.yamlio` records), so a student sees
`scenarios/x.yaml:42: forces[3].personnel: ...` and no traceback.

`extends: base.yaml` (a path relative to the file) makes a scenario a variant of
another. The merge rules (`deep_merge`, documented in docs/analysis.md):

- a map (YAML mapping) in the child is merged key by key into the base's map,
  at every depth, so a child names only the fields it changes;
- anything else the child gives, a list (`forces`, a unit's `orders`, a
  `position`) or a single value, replaces the base's value whole;
- a base may itself extend another (at most `MAX_EXTENDS_DEPTH` deep), and
  relative paths in a base (its `map`) stay relative to the base's own folder;
- `--set` (`sim.scenario.dotted`) applies after the merge.

A missing base, a cycle, and a field that neither the schema nor the base has
are errors that name both files. A parsed YAML file is kept in memory (keyed by
path, size and modification time), so that the many variants of a sweep are
validated without parsing the same map file again and again.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.caching import BoundedCache
from sim.errors import Problem, UserInputError
from sim.scenario import LoadedScenario, Scenario, uncertain
from sim.scenario.dotted import apply_override, field_list, schema_at, value_kind
from sim.scenario.fields import LocatedError, closest
from sim.scenario.mapfile import MapSpec
from sim.scenario.timing import replace_alternatives
from sim.scenario.yamlio import SourceMap, format_path, load_yaml

MAX_EXTENDS_DEPTH = 20
_yaml_cache: BoundedCache[tuple[Any, SourceMap]] = BoundedCache(size=16)


def _load_yaml_cached(path: Path) -> tuple[Any, SourceMap]:
    """`load_yaml`, remembered per (path, size, mtime); callers get their own deep copy to change."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return load_yaml(path)  # let load_yaml report the problem
    data, source = _yaml_cache.get(key, lambda: load_yaml(path))
    return copy.deepcopy(data), SourceMap(dict(source.locations))


# --------------------------------------------------------------------------- extends


def deep_merge(base: Any, child: Any) -> Any:
    """Child values win; maps merge key by key; lists and scalars are replaced whole.

    A key the child gives replaces the base's alternatives to it (`days` the base's
    `turns`, `arrive_day` its `arrive_date`: `sim.scenario.timing.ALTERNATIVES`).
    """
    if isinstance(base, dict) and isinstance(child, dict):
        out = dict(base)
        for key, value in child.items():
            if key not in base:
                replace_alternatives(out, key)
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return child


def _read_with_extends(
    path: Path, chain: tuple[Path, ...] = (), bases: dict[str, str] | None = None
) -> tuple[dict, SourceMap]:
    """Read `path` and, through `extends`, its bases; `bases` collects file -> the base it extends."""
    data, source = _load_yaml_cached(path)
    if data is None:
        raise UserInputError(Problem("the file is empty; expected a scenario", file=str(path)))
    if not isinstance(data, dict):
        raise UserInputError(
            Problem("expected a map of fields (name: ..., forces: ...) at the top", file=str(path), line=1)
        )
    base_ref = data.get("extends")
    if base_ref is None:
        return data, source
    if not isinstance(base_ref, str) or not base_ref.strip():
        raise UserInputError(source.problem(("extends",), "expected the path of a base scenario"))
    base_path = (path.parent / base_ref).resolve()
    here = path.resolve()
    if base_path in chain or base_path == here:
        loop = " -> ".join(str(p) for p in (*chain, here, base_path))
        raise UserInputError(source.problem(("extends",), f"'extends' makes a cycle: {loop}"))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise UserInputError(
            source.problem(("extends",), f"'extends' chain is more than {MAX_EXTENDS_DEPTH} files deep")
        )
    if not base_path.exists():
        raise UserInputError(
            source.problem(("extends",), f"base scenario {base_ref!r} not found (looked for {base_path})")
        )
    if bases is not None:
        bases[str(path)] = str(path.parent / base_ref)
    base, base_source = _read_with_extends(path.parent / base_ref, (*chain, here), bases)
    base = _rebase_map_path(base, base_path.parent, path.parent)
    child = {k: v for k, v in data.items() if k != "extends"}
    merged = deep_merge(base, child)
    return merged, SourceMap(_merge_locations(base_source.locations, source.locations, base, child))


def _replaced_paths(base: dict, child: dict, prefix: tuple = ()):
    """Paths where the child's value replaces the base's whole (everything but map-into-map)."""
    for key, value in child.items():
        path = (*prefix, key)
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            yield from _replaced_paths(base[key], value, path)
        else:
            yield path


def _merge_locations(base_locs: dict, child_locs: dict, base: dict, child: dict) -> dict:
    """Where each merged value was written: the child's lines, and the base's for what it kept.

    A list the child replaces drops every base location below it, so that an error in
    the child's list (say a unit lacking a field) is not reported at a line of the base.
    """
    replaced = set(_replaced_paths(base, child))
    locations = {
        path: loc
        for path, loc in base_locs.items()
        if not any(path[:n] in replaced for n in range(1, len(path) + 1))
    }
    locations.update(child_locs)
    return locations


def _rebase_map_path(data: dict, base_dir: Path, child_dir: Path) -> dict:
    """A base's relative `map:` path stays valid when read from the child's folder."""
    ref = data.get("map")
    if isinstance(ref, str) and not Path(ref).is_absolute():
        target = (base_dir / ref).resolve()
        try:
            rel = target.relative_to(child_dir.resolve())
            data = {**data, "map": str(rel)}
        except ValueError:
            data = {**data, "map": str(target)}
    return data


# --------------------------------------------------------------------------- validation


def _problems_from(
    exc: ValidationError, source: SourceMap, model: type, prefix=(), bases: dict[str, str] | None = None
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = error_location(err)
        path = prefix + loc
        message = _friendly(err, model, loc)
        file, _ = source.locate(path)
        if err["type"] == "extra_forbidden" and bases and file in bases:
            message = (
                f"unknown field {loc[-1]!r}: neither the schema nor the base scenario {bases[file]!r} "
                f"(which {file} extends) has it, and a variant may only change existing fields"
                + message[len("unknown field") :]
            )
        problems.append(source.problem(path, message))
    return problems


def error_location(err: dict) -> tuple:
    """Where a pydantic error is: its location without union branch names, and below it the field a
    model's own check names (`LocatedError`: the second of two equal unit ids, not the scenario)."""
    loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, LocatedError):
        loc += cause.path
    return loc


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the branch name of a union (e.g. 'str', 'MapSpec') to locations
    return isinstance(part, str) and (part in ("str", "MapSpec") or part.startswith("function-"))


def _friendly(err: dict, model: type, loc: tuple) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        parent = schema_at(loc[:-1], model)
        hint = ""
        if isinstance(parent, type) and issubclass(parent, BaseModel):
            close = closest(str(loc[-1]), parent.model_fields)
            hint = (f"; did you mean {close!r}?" if close else "") + (
                f" Expected one of: {field_list(parent)}"
            )
        return f"unknown field{hint}"
    if kind == "missing":
        return "required field is missing"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if got is not None and not isinstance(got, dict | list) and kind not in ("value_error",):
        shown = repr(got)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = f"{message} (got {shown})"
    return message


def _validate_map(raw_map: Any, scenario_path: Path, source: SourceMap) -> tuple[MapSpec, Any]:
    if isinstance(raw_map, str) and not raw_map.strip():
        raise UserInputError(source.problem(("map",), "expected the path of a map file, got an empty text"))
    if isinstance(raw_map, str):
        map_path = Path(raw_map)
        if not map_path.is_absolute():
            map_path = scenario_path.parent / map_path
        if not map_path.exists():
            raise UserInputError(
                source.problem(("map",), f"map file {raw_map!r} not found (looked for {map_path})")
            )
        map_data, map_source = _load_yaml_cached(map_path)
        prefix: tuple = ()
        if map_data is None:
            raise UserInputError(
                Problem(
                    "the map file is empty; expected a map (name, bbox, settlements, border)",
                    file=str(map_path),
                )
            )
        if not isinstance(map_data, dict):
            raise UserInputError(
                Problem(
                    "expected a map of fields (name: ..., bbox: ...) at the top", file=str(map_path), line=1
                )
            )
    elif isinstance(raw_map, dict):
        map_data, map_source, prefix = raw_map, source, ("map",)
    else:
        raise UserInputError(source.problem(("map",), "expected the path of a map file"))
    try:
        return MapSpec.model_validate(map_data), map_data
    except ValidationError as exc:
        raise UserInputError(_problems_from(exc, map_source, MapSpec, prefix)) from None


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Read, merge, override and validate a scenario file and its map."""
    path = Path(path)
    bases: dict[str, str] = {}
    data, source = _read_with_extends(path, bases=bases)
    data = copy.deepcopy(data)
    data.pop("extends", None)
    data_before_set = copy.deepcopy(data) if overrides else None
    for assignment in overrides:
        apply_override(data, assignment, source)

    if "map" not in data:
        raise UserInputError(source.problem((), "required field 'map' is missing (the map file to use)"))
    map_spec, _ = _validate_map(data["map"], path, source)
    from sim.battle.metrics import METRICS

    context = {
        "metrics": set(METRICS),
        "settlements": set(map_spec.settlement_keys()),
        "lines_of_control": set(map_spec.lines_of_control),
        "bbox": map_spec.bbox,
    }

    def whole(path) -> bool:
        return value_kind(schema_at(path))[0] == "integer"

    before_set = copy.deepcopy(data_before_set) if overrides else None
    found = uncertain.extract(data, source, whole)  # distributions out, their centres in
    try:
        spec = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        problems = _problems_from(exc, source, Scenario, bases=bases)
        if before_set is not None:
            problems = _blame_overrides(problems, before_set, source, context, whole)
        by_path = {format_path(path): dist for path, _, dist in found}
        for i, problem in enumerate(problems):  # a centre out of range: the distribution's support is
            dist = by_path.get(problem.field or "")
            if dist is not None:
                low, high = dist.support
                problems[i] = dataclasses.replace(
                    problem,
                    message=f"the distribution's support [{low:g}, {high:g}] must lie inside the "
                    f"field's valid range: at its centre ({dist.centre:g}): {problem.message}",
                )
        raise UserInputError(problems) from None
    inputs = tuple(uncertain.UncertainInput(path, name, dist, whole(path)) for path, name, dist in found)
    _check_support(data, inputs, source, context)
    _check_grid(spec, map_spec, source)

    resolved = spec.model_dump(mode="json", by_alias=True, exclude={"extends"})
    resolved["map"] = map_spec.model_dump(mode="json", by_alias=True)
    for item in inputs:  # the resolved scenario keeps its distributions, so that it runs again the same
        with contextlib.suppress(KeyError, IndexError, TypeError):
            uncertain.set_at(
                resolved, item.path, item.distribution.model_dump(mode="json", exclude_none=True)
            )
    return LoadedScenario(
        spec=spec,
        map=map_spec,
        path=str(path),
        data=resolved,
        inputs=inputs,
        raw=data,
        context=context,
        overrides=tuple(overrides),
    )


def _check_grid(spec: Scenario, map_spec: MapSpec, source: SourceMap) -> None:
    """The map box holds a grid of hexes at the scenario's hex size: at least 2 x 2, at most MAX_HEXES."""
    from sim.battle.geography import MAX_HEXES, grid_shape

    cols, rows = grid_shape(map_spec.bbox, spec.hex_km)

    def problem(message: str) -> Problem:
        if ("hex_km",) in source.locations:
            return source.problem(("hex_km",), message)
        return Problem(message, file=source.locate(())[0], field="hex_km")  # the default, written nowhere

    if cols < 2 or rows < 2:
        raise UserInputError(
            problem(
                f"hex size {spec.hex_km:g} km is too large for the map box (it fits {max(cols, 0)} x "
                f"{max(rows, 0)} hexes; at least 2 x 2 are needed): a smaller hex_km or a larger bbox",
            )
        )
    if cols * rows > MAX_HEXES:
        raise UserInputError(
            problem(
                f"the map box at {spec.hex_km:g} km hexes makes {cols * rows:,} hexes; at most "
                f"{MAX_HEXES:,} are built: a larger hex_km or a smaller bbox",
            )
        )


def check_buildable(loaded: LoadedScenario) -> None:
    """Build what a run starts from (the hex map, the forces, the supply lines), as `--validate` does,
    so that a scenario that validates is one a run can set up; a failure is the scenario's (exit 2)."""
    from sim.battle.battlefield import Battlefield

    try:
        Battlefield.from_scenario(loaded, 0)
    except (ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError) as exc:
        raise UserInputError(
            Problem(f"the scenario cannot be set up for a run: {type(exc).__name__}: {exc}", file=loaded.path)
        ) from None


def _blame_overrides(
    problems: list[Problem], before_set: dict, source: SourceMap, context: dict, whole
) -> list[Problem]:
    """A problem that the file alone does not have comes from --set: it names the --set, not a line
    of the file (a model's own check, such as weather summing to 1, is located at the model)."""
    set_paths = [(path, f) for path, (f, _) in source.locations.items() if f and f.startswith("--set ")]
    if not set_paths:
        return problems
    try:
        uncertain.extract(before_set, SourceMap(), whole)
        Scenario.model_validate(before_set, context=context)
        in_file: set[tuple] = set()
    except ValidationError as exc:
        in_file = {(format_path(error_location(e)), e["msg"]) for e in exc.errors()}
    except UserInputError:
        return problems
    out = []
    for problem in problems:
        if problem.file and problem.file.startswith("--set "):
            out.append(problem)
            continue
        here = problem.field or ""
        labels = [
            label
            for path, label in set_paths
            if not here or format_path(path) == here or format_path(path).startswith((here + ".", here + "["))
        ]
        message = problem.message
        known = any(here == f and message.startswith(m.removeprefix("Value error, ")) for f, m in in_file)
        if labels and not known:
            problem = dataclasses.replace(problem, file=labels[0], line=None)
        out.append(problem)
    return out


def _check_support(data: dict, inputs: tuple, source: SourceMap, context: dict) -> None:
    """Every uncertain input's whole support must be valid: the scenario is checked at all lows, all highs."""
    if not inputs:
        return
    problems = []
    for end, pick in (("low end", 0), ("high end", 1)):
        trial = copy.deepcopy(data)
        for item in inputs:
            x = item.distribution.support[pick]
            uncertain.set_at(trial, item.path, round(x) if item.integer else x)
        try:
            Scenario.model_validate(trial, context=context)
        except ValidationError as exc:
            by_path = {item.path: item for item in inputs}
            for err in exc.errors():
                loc = error_location(err)
                message = err["msg"].removeprefix("Value error, ")
                item = by_path.get(loc)
                if item is not None:
                    problems.append(uncertain.support_problem(loc, item.distribution, end, message, source))
                else:
                    problems.append(
                        source.problem(loc, f"with every uncertain input at its {end}: {message}")
                    )
    if problems:
        raise UserInputError(problems)
