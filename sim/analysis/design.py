"""Experimental designs over scenario parameters: which variants to run, checked before any run.

A parameter is named by the dotted path that `--set` takes
(`parameters.combat.intensity`, `sides.RU.doctrine.attack_tempo`,
`forces.ru_north_1.personnel`). `resolve_field` finds what the schema says about
it (number, whole number, choice ...; unit and valid range) and its value in the
scenario. `parse_sweep` reads a `--sweep PATH=v1,v2,v3` or `PATH=lo:hi:n`
argument; `grid_design` and `lhs_design` (a Latin hypercube from SALib) turn
sweeps into design points; `load_points` validates every point through
`sim.loading.load_scenario`, exactly as `--set` is validated, so that every
mistake is reported (exit code 2) before the first run starts. It checks the points
one at a time and keeps of each only what its runs need to load it again (its overrides,
the digest it must have, its objectives), so a design of 10,000 points costs the memory
of one scenario, not of 10,000.

Every point of a design is played with the same per-run seeds (common random
numbers): run k of every point uses `sim.replications.run_seeds(seed, runs)[k]`, so
differences between points come from the parameters, not from luck.
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.errors import Problem, UserInputError
from sim.loading import load_scenario
from sim.report.style import short_value
from sim.scenario import LoadedScenario
from sim.scenario.dotted import apply_override, metadata_at, schema_at, value_at, value_kind, yaml_text
from sim.scenario.yamlio import SourceMap, parse_yaml

MAX_POINTS = 10_000
"""Most design points one command may ask for (a guard against typos such as 0:1:100000)."""

MAX_PROBLEMS_SHOWN = 20


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class ParamField:
    """What the schema says about one scenario value, and its value in the scenario."""

    path: str
    kind: str
    """'number', 'integer', 'boolean', 'choice', 'text' or 'group' (not a single value)."""
    bounds: dict[str, float] = field(default_factory=dict)
    unit: str | None = None
    description: str | None = None
    current: Any = None
    choices: tuple = ()

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "integer")

    @property
    def label(self) -> str:
        """`parameters.combat.intensity (multiplier)`: the path with its unit, for axes."""
        return f"{self.path} ({self.unit})" if self.unit else self.path

    def range_text(self) -> str:
        b = self.bounds
        lo = f"{short_value(b['ge'])} ≤ " if "ge" in b else f"{short_value(b['gt'])} < " if "gt" in b else ""
        hi = f" ≤ {short_value(b['le'])}" if "le" in b else f" < {short_value(b['lt'])}" if "lt" in b else ""
        return f"{lo}x{hi}" if lo or hi else "any value"

    def within(self, value: float) -> bool:
        b = self.bounds
        return (
            ("ge" not in b or value >= b["ge"])
            and ("gt" not in b or value > b["gt"])
            and ("le" not in b or value <= b["le"])
            and ("lt" not in b or value < b["lt"])
        )

    def lowest(self) -> float | None:
        return self.bounds.get("ge", self.bounds.get("gt"))

    def highest(self) -> float | None:
        return self.bounds.get("le", self.bounds.get("lt"))


def resolve_field(loaded: LoadedScenario, dotted: str, label: str) -> ParamField:
    """The schema's description of the value at `dotted`; `label` names the argument in errors."""
    dotted = dotted.strip()
    if not dotted:
        raise UserInputError(Problem("the parameter path is empty", file=label))
    # the path must exist, with the same messages (and unit ids) as --set
    probe = copy.deepcopy(loaded.data)
    try:
        apply_override(probe, f"{dotted}=null", SourceMap())
    except UserInputError as exc:
        raise UserInputError([_relabel(p, label) for p in exc.problems]) from None
    parts = tuple(dotted.split("."))
    kind, choices = value_kind(schema_at(parts))
    meta = metadata_at(parts)
    try:
        current = value_at(loaded.data, dotted)
    except KeyError:
        current = None
    bounds = {k: meta[k] for k in ("ge", "gt", "le", "lt") if k in meta}
    return ParamField(
        path=dotted,
        kind=kind,
        bounds=bounds,
        unit=meta.get("unit"),
        description=meta.get("description"),
        current=current,
        choices=choices,
    )


def _relabel(problem: Problem, label: str) -> Problem:
    return Problem(problem.message, file=label, line=None, field=problem.field)


def _describe_kind(f: ParamField) -> str:
    if f.kind == "choice":
        return "a choice of " + ", ".join(map(str, f.choices))
    if f.kind == "boolean":
        return "true or false"
    if f.kind == "group":
        return "a group of fields, not one value"
    return {"text": "text", "number": "a number", "integer": "a whole number"}[f.kind]


def require_numeric(f: ParamField, label: str, what: str) -> None:
    if f.kind == "group":
        raise UserInputError(
            Problem(f"{f.path} is a group of fields; name one value inside it for {what}", file=label)
        )
    if not f.numeric:
        raise UserInputError(
            Problem(
                f"{what} needs a numeric field, but {f.path} is {_describe_kind(f)}; "
                "give its values as a list instead (PATH=v1,v2)",
                file=label,
            )
        )


def check_value(f: ParamField, value: Any, label: str, shown: str | None = None) -> Problem | None:
    """A problem if `value` is not one the field accepts (type, whole number, range, choice)."""
    shown = shown if shown is not None else repr(value)
    if f.numeric:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return Problem(f"{shown} is not a number; {f.path} expects {_describe_kind(f)}", file=label)
        if f.kind == "integer" and float(value) != int(value):
            return Problem(f"{shown} is not a whole number; {f.path} counts {f.unit or 'items'}", file=label)
        if not f.within(value):
            return Problem(
                f"{shown} is outside the valid range of {f.path}: {f.range_text()}"
                + (f" ({f.unit})" if f.unit else ""),
                file=label,
            )
    elif f.kind == "choice" and value not in f.choices:
        return Problem(f"{shown} is not one of {', '.join(map(str, f.choices))} ({f.path})", file=label)
    elif f.kind == "boolean" and not isinstance(value, bool):
        return Problem(f"{shown} is not true or false ({f.path})", file=label)
    elif f.kind == "group":
        return Problem(f"{f.path} is a group of fields; name one value inside it", file=label)
    return None


# --------------------------------------------------------------------------- sweeps


@dataclass(frozen=True)
class Sweep:
    """One `--sweep` argument, read and checked against the schema."""

    field: ParamField
    label: str
    values: tuple = ()
    """The values to run, for a list or a lo:hi:n range."""
    texts: tuple[str, ...] = ()
    """Each value as written in the `--set` override."""
    lo: float | None = None
    hi: float | None = None

    @property
    def path(self) -> str:
        return self.field.path


def parse_sweep(loaded: LoadedScenario, argument: str, *, lhs: bool = False) -> Sweep:
    """Read `PATH=v1,v2,...` or `PATH=lo:hi:n` (`PATH=lo:hi` for a Latin hypercube)."""
    label = f"--sweep {argument}"
    if "=" not in argument:
        raise UserInputError(
            Problem(
                "expected PATH=v1,v2,... or PATH=lo:hi:n, e.g. parameters.combat.intensity=1:3:5", file=label
            )
        )
    dotted, _, spec = argument.partition("=")
    f = resolve_field(loaded, dotted, label)
    spec = spec.strip()
    if not spec:
        raise UserInputError(Problem("no values after '='", file=label))
    if ":" in spec and "," not in spec:
        return _parse_range(f, spec, label, lhs)
    if lhs:
        raise UserInputError(
            Problem("a Latin hypercube (--design lhs) samples a range: give PATH=lo:hi", file=label)
        )
    if f.kind == "group":
        raise UserInputError(Problem(f"{f.path} is a group of fields; name one value inside it", file=label))
    texts = [t.strip() for t in spec.split(",")]
    if any(not t for t in texts):
        raise UserInputError(Problem("an empty value in the list (two commas in a row?)", file=label))
    values, problems = [], []
    for text in texts:
        value, _ = parse_yaml(text, label)
        problem = check_value(f, value, label, shown=text)
        if problem:
            problems.append(problem)
        values.append(int(value) if f.kind == "integer" and not problem else value)
    if problems:
        raise UserInputError(problems)
    if len(set(map(repr, values))) != len(values):
        raise UserInputError(Problem("a value is listed twice", file=label))
    return Sweep(f, label, tuple(values), tuple(texts))


def _parse_range(f: ParamField, spec: str, label: str, lhs: bool) -> Sweep:
    require_numeric(f, label, "a range lo:hi:n")
    parts = [p.strip() for p in spec.split(":")]
    if lhs and len(parts) != 2:
        raise UserInputError(
            Problem(
                "with --design lhs give a range PATH=lo:hi (the number of samples is --samples)", file=label
            )
        )
    if not lhs and len(parts) != 3:
        raise UserInputError(
            Problem("expected lo:hi:n (n values from lo to hi, ends included), e.g. 1:3:5", file=label)
        )
    bounds = []
    for text in parts[:2]:
        value, _ = parse_yaml(text, label) if text else (None, None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserInputError(Problem(f"{text!r} is not a number", file=label))
        bounds.append(value)
    lo, hi = bounds
    problems = [p for p in (check_value(f, lo, label, parts[0]), check_value(f, hi, label, parts[1])) if p]
    problems = [p for p in problems if "whole number" not in p.message or not lhs]
    if problems:
        raise UserInputError(problems)
    if not lo < hi:
        raise UserInputError(Problem(f"expected lo < hi, got {parts[0]} and {parts[1]}", file=label))
    if lhs:
        return Sweep(f, label, lo=float(lo), hi=float(hi))
    count, _ = parse_yaml(parts[2], label)
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise UserInputError(Problem(f"n must be a whole number of at least 2, got {parts[2]!r}", file=label))
    if count > MAX_POINTS:
        raise UserInputError(Problem(f"n = {count} is more than {MAX_POINTS:,} values", file=label))
    values = np.linspace(float(lo), float(hi), count)
    if f.kind == "integer":
        if count > int(hi) - int(lo) + 1:
            raise UserInputError(
                Problem(
                    f"{f.path} is a whole number: there are only {int(hi) - int(lo) + 1} values "
                    f"from {lo} to {hi}, not {count}",
                    file=label,
                )
            )
        values = [round(float(v)) for v in values]
    else:
        values = [float(round(v, 12)) for v in values]
    return Sweep(f, label, tuple(values), tuple(yaml_text(v) for v in values))


# --------------------------------------------------------------------------- designs


@dataclass(frozen=True)
class DesignPoint:
    """One variant of the scenario: its index, its parameter values and the overrides that make it."""

    index: int
    values: dict[str, Any]
    overrides: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    """Override text -> the argument it came from, for error messages."""
    tag: str = ""
    """A short name of the point, e.g. 'base' or 'parameters.combat.intensity low'."""


def grid_design(sweeps: list[Sweep]) -> list[DesignPoint]:
    """Every combination of the sweeps' values (the last sweep varies fastest)."""
    total = math.prod(len(s.values) for s in sweeps)
    if total > MAX_POINTS:
        raise UserInputError(
            Problem(f"the grid has {total:,} points; the limit is {MAX_POINTS:,}", file="--sweep")
        )
    points = []
    for index, combo in enumerate(
        itertools.product(*(list(zip(s.values, s.texts, strict=True)) for s in sweeps))
    ):
        values, overrides, labels = {}, [], {}
        for sweep, (value, text) in zip(sweeps, combo, strict=True):
            values[sweep.path] = value
            override = f"{sweep.path}={text}"
            overrides.append(override)
            labels[override] = sweep.label
        points.append(DesignPoint(index, values, tuple(overrides), labels))
    return points


def design_rng(seed: int, purpose: int) -> np.random.Generator:
    """A generator for design sampling, independent of the runs' seeds (which come from `seed` alone)."""
    return np.random.default_rng(np.random.SeedSequence([seed, purpose]))


LHS_STREAM = 1
MORRIS_STREAM = 2
SOBOL_STREAM = 3
BOOTSTRAP_STREAM = 4


def salib_problem(ranges: list[tuple[ParamField, float, float]]) -> dict:
    return {
        "num_vars": len(ranges),
        "names": [f.path for f, _, _ in ranges],
        "bounds": [[float(lo), float(hi)] for _, lo, hi in ranges],
    }


def points_from_matrix(
    ranges: list[tuple[ParamField, float, float]],
    matrix: np.ndarray,
    labels: list[str],
    start: int = 0,
    tag="",
) -> list[DesignPoint]:
    """Design points from rows of parameter values (whole-number fields are rounded)."""
    points = []
    for row_index, row in enumerate(np.asarray(matrix, dtype=float)):
        values, overrides, labelled = {}, [], {}
        for (f, lo, hi), value, label in zip(ranges, row, labels, strict=True):
            value = float(min(max(value, lo), hi))
            value = round(value) if f.kind == "integer" else float(f"{value:.6g}")
            values[f.path] = value
            override = f"{f.path}={yaml_text(value)}"
            overrides.append(override)
            labelled[override] = label
        points.append(DesignPoint(start + row_index, values, tuple(overrides), labelled, tag))
    return points


def lhs_design(sweeps: list[Sweep], samples: int, seed: int) -> list[DesignPoint]:
    """A Latin hypercube of `samples` points over the sweeps' ranges (SALib), seeded from `seed`."""
    from SALib.sample import latin

    if samples > MAX_POINTS:
        raise UserInputError(Problem(f"{samples:,} samples; the limit is {MAX_POINTS:,}", file="--samples"))
    ranges = [(s.field, s.lo, s.hi) for s in sweeps]
    matrix = latin.sample(salib_problem(ranges), samples, seed=design_rng(seed, LHS_STREAM))
    return points_from_matrix(ranges, matrix, [s.label for s in sweeps])


# --------------------------------------------------------------------------- validation


def objective_columns(scenario: LoadedScenario) -> list[str]:
    """`held_<key>` for each objective settlement (the map's values, as the scenario replaces them)."""
    from sim.battle.metrics import held_column

    objectives = scenario.spec.objectives
    return [held_column(s.key) for s in scenario.map.settlements if objectives.get(s.key, s.value) > 0]


@dataclass(frozen=True)
class LoadedPoint:
    """A design point that validated: what its runs need to load it again, not the loaded scenario
    (which is made when the point is played, and checked to be the one validated)."""

    point: DesignPoint
    path: Any
    overrides: tuple[str, ...]
    digest: str
    """The sha256 of the point's resolved scenario."""
    objectives: tuple[str, ...] = ()
    """The point's `held_<key>` columns."""

    @property
    def scenario(self) -> LoadedScenario:
        """The point's scenario, loaded afresh (a second look costs a few milliseconds)."""
        scenario = load_scenario(self.path, list(self.overrides))
        if scenario.digest != self.digest:
            raise UserInputError(
                Problem(
                    f"changed since design point {self.point.index} was checked; run the command again",
                    file=str(self.path),
                )
            )
        return scenario


def load_points(path, base_overrides: list[str], points: list[DesignPoint]) -> list[LoadedPoint]:
    """Validate every design point like `--set`, one at a time; all problems at once, before any run."""
    loaded, problems, seen = [], [], set()
    for point in points:
        overrides = (*base_overrides, *point.overrides)
        try:
            scenario = load_scenario(path, list(overrides))
        except UserInputError as exc:
            for problem in exc.problems:
                if problem.file and problem.file.startswith("--set "):
                    override = problem.file[len("--set ") :]
                    if override in point.labels:
                        problem = Problem(
                            f"{problem.message} (design point {point.index}: {override})",
                            file=point.labels[override],
                            field=problem.field,
                        )
                elif point.overrides:
                    problem = Problem(
                        f"{problem.message} (in design point {point.index}: {', '.join(point.overrides)})",
                        file=problem.file,
                        line=problem.line,
                        field=problem.field,
                    )
                key = (problem.file, problem.field, problem.message.split(" (design point")[0])
                if key not in seen:
                    seen.add(key)
                    problems.append(problem)
            continue
        loaded.append(
            LoadedPoint(point, path, overrides, scenario.digest, tuple(objective_columns(scenario)))
        )
        del scenario  # only what the runs need is kept
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(Problem(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems like these"))
        raise UserInputError(shown)
    return loaded


# --------------------------------------------------------------------------- design files

IGNORED_COLUMNS = ("point", "sha256")
"""Columns of a sweep's own design.csv that are not parameters, so that it can be played again."""


def read_design_file(loaded: LoadedScenario, path) -> tuple[list[Sweep], list[DesignPoint]]:
    """A CSV table of design points: one column per dotted path, one row per point.

    Each cell is read as YAML (like a `--set` value) and checked against its field; every problem is
    reported with the file, its line, the row and the column (exit code 2), before any run.
    """
    import csv
    from pathlib import Path

    from sim.scenario.dotted import yaml_text

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserInputError(Problem("design file not found", file=name)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserInputError(Problem(f"cannot read the design file: {exc}", file=name)) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise UserInputError(
            Problem("the design file is empty; its first line names the dotted paths", file=name, line=1)
        )
    header = [h.strip() for h in header]
    problems, fields, columns = [], {}, []
    for position, column in enumerate(header, start=1):
        if column in IGNORED_COLUMNS:
            continue
        where = f"column {position}" if not column else f"column {column}"
        if not column:
            problems.append(Problem("a column without a name", file=name, line=1, field=where))
            continue
        if column in fields:
            problems.append(Problem(f"{column} is named twice", file=name, line=1, field=where))
            continue
        try:
            f = resolve_field(loaded, column, name)
            if f.kind == "group":
                raise UserInputError(
                    Problem(f"{f.path} is a group of fields; name one value inside it", file=name)
                )
        except UserInputError as exc:
            problems += [Problem(p.message, file=name, line=1, field=where) for p in exc.problems]
            continue
        fields[column] = f
        columns.append((position - 1, column))
    if problems:
        raise UserInputError(problems)
    if not columns:
        raise UserInputError(Problem("the design file has no parameter columns", file=name, line=1))
    points: list[DesignPoint] = []
    row_number = 0
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        row_number += 1
        if len(row) != len(header):
            problems.append(
                Problem(
                    f"{len(row)} cells where the header names {len(header)} columns",
                    file=name,
                    line=line,
                    field=f"row {row_number}",
                )
            )
            continue
        values, overrides, labels = {}, [], {}
        for index, column in columns:
            f, cell = fields[column], row[index].strip()
            where = f"row {row_number}, column {column}"
            if not cell:
                problems.append(Problem("an empty cell; give the value", file=name, line=line, field=where))
                continue
            try:
                value, _ = parse_yaml(cell, name)
            except UserInputError as exc:
                problems += [Problem(p.message, file=name, line=line, field=where) for p in exc.problems]
                continue
            problem = check_value(f, value, name, shown=cell)
            if problem:
                problems.append(Problem(problem.message, file=name, line=line, field=where))
                continue
            value = int(value) if f.kind == "integer" else value
            values[column] = value
            override = f"{column}={yaml_text(value)}"
            overrides.append(override)
            labels[override] = f"{name}:{line}: row {row_number}, column {column}"
        points.append(DesignPoint(row_number - 1, values, tuple(overrides), labels))
        if len(points) > MAX_POINTS:
            raise UserInputError(Problem(f"more than {MAX_POINTS:,} rows", file=name, line=line))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(Problem(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems like these"))
        raise UserInputError(shown)
    if not points:
        raise UserInputError(Problem("the design file has a header but no rows", file=name))
    sweeps = []
    for _, column in columns:
        seen = list(dict.fromkeys(p.values[column] for p in points))
        sweeps.append(
            Sweep(fields[column], f"--design-file {name}", tuple(seen), tuple(yaml_text(v) for v in seen))
        )
    return sweeps, points
