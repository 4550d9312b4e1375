"""Uncertain inputs: a numeric field written as a distribution, drawn afresh for each run.

Any number in a scenario may be given as `{dist: NAME, ...}` instead, for a figure
that is one side's claim, a reported range or an assumption with a stated spread:

    personnel: {dist: triangular, low: 1800, mode: 2200, high: 2600, source: "..."}
    hit_probability: {dist: beta, a: 4, b: 12}

| dist | parameters | support | centre (`--fixed`) |
|---|---|---|---|
| `uniform` | low, high | [low, high] | the midpoint |
| `triangular` | low, mode, high | [low, high] | the mode |
| `loguniform` | low, high (> 0) | [low, high] | the median √(low·high) |
| `normal` | mean, sd, low, high (truncation) | [low, high] | the median |
| `beta` | a, b; low, high (default 0, 1) | [low, high] | the median |
| `choice` | values, weights (optional) | the values | the most likely value |

Loading (`extract`) takes every distribution out of the raw scenario data, puts its
centre in its place (so the scenario validates, and runs at its centre with `--fixed`)
and checks that the whole support lies in the field's valid range (`check_support`).
Each run draws each input from its own stream, spawned from the run's seed by a hash
of the input's path (`draw`): a variant that adds, drops or changes one input leaves the
draws of every other input as they were, so common random numbers still pair.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, TypeAdapter, ValidationError, model_validator

from sim.errors import Problem, UserInputError
from sim.scenario.fields import Strict
from sim.scenario.yamlio import SourceMap, format_path

INPUT_STREAM = 1_000_003
"""First word of the spawn key of the input streams (apart from every dice site of a run)."""


class _Dist(Strict):
    source: str | None = Field(None, description="where the range comes from, or 'assumption'")

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - each subclass has its own
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        return (float(self.low), float(self.high))  # type: ignore[attr-defined]

    @property
    def centre(self) -> float:
        return float(self.ppf(np.array([0.5]))[0])


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self

    def ppf(self, u):
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("expected low <= mode <= high, with low below high")
        return self

    def ppf(self, u):
        # SciPy's triang.ppf, written out (the same operations in the same order): importing
        # scipy.stats costs more than a replication, and the default scenario draws only these
        q = np.asarray(u, dtype=float)
        c = (self.mode - self.low) / (self.high - self.low)
        unit = np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q)))
        return unit * (self.high - self.low) + self.low

    @property
    def centre(self) -> float:
        return float(self.mode)


class LogUniform(_Dist):
    dist: Literal["loguniform"]
    low: float = Field(gt=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> LogUniform:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self

    def ppf(self, u):
        return np.exp(
            math.log(self.low) + (math.log(self.high) - math.log(self.low)) * np.asarray(u, dtype=float)
        )


class Normal(_Dist):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if not self.low < self.high:
            raise ValueError("the truncation low must be below high")
        return self

    def ppf(self, u):
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        from scipy import stats

        return stats.truncnorm.ppf(np.asarray(u, dtype=float), a, b, loc=self.mean, scale=self.sd)


class Beta(_Dist):
    dist: Literal["beta"]
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> Beta:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self

    def ppf(self, u):
        from scipy import stats

        return self.low + (self.high - self.low) * stats.beta.ppf(np.asarray(u, dtype=float), self.a, self.b)


class Choice(_Dist):
    dist: Literal["choice"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("give one weight per value")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be non-negative and not all zero")
        return self

    def _probabilities(self) -> np.ndarray:
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights, dtype=float)
        return w / w.sum()

    def ppf(self, u):
        cdf = np.cumsum(self._probabilities())
        index = np.minimum(
            np.searchsorted(cdf, np.asarray(u, dtype=float), side="right"), len(self.values) - 1
        )
        return np.asarray(self.values, dtype=float)[index]

    @property
    def support(self) -> tuple[float, float]:
        return (float(min(self.values)), float(max(self.values)))

    @property
    def centre(self) -> float:
        return float(self.values[int(np.argmax(self._probabilities()))])


Distribution = Annotated[
    Uniform | Triangular | LogUniform | Normal | Beta | Choice, Field(discriminator="dist")
]
DISTRIBUTIONS = ("uniform", "triangular", "loguniform", "normal", "beta", "choice")
_ADAPTER: TypeAdapter = TypeAdapter(Distribution)


@dataclass(frozen=True)
class UncertainInput:
    """One field given as a distribution: where it is, what it is, and whether it holds whole numbers."""

    path: tuple[str | int, ...]
    """Its place in the raw scenario data (keys and list indices)."""
    name: str
    """Its dotted name, list items by `id` where they have one: the `runs.csv` column."""
    distribution: _Dist
    integer: bool = False

    def value(self, u: float) -> float | int:
        x = float(self.distribution.ppf(np.array([u]))[0])
        return round(x) if self.integer else x

    @property
    def centre(self) -> float | int:
        x = self.distribution.centre
        return round(x) if self.integer else x


def is_distribution(node: Any) -> bool:
    return isinstance(node, dict) and "dist" in node


def extract(data: Any, source: SourceMap, integer=lambda path: False) -> list[tuple[tuple, str, _Dist]]:
    """Every `{dist: ...}` in the raw data, parsed and replaced in place by its centre.

    `integer(path)` says whether the field at `path` holds whole numbers (its centre is then
    rounded). Returns (path, dotted name, distribution) in document order; a malformed
    distribution is an error naming its file, line and field.
    """
    found: list[tuple[tuple, str, _Dist]] = []
    problems: list[Problem] = []

    def walk(node: Any, path: tuple, name: tuple) -> Any:
        if is_distribution(node):
            try:
                dist = _ADAPTER.validate_python(node)
            except ValidationError as exc:
                for err in exc.errors():
                    where = tuple(p for p in err["loc"] if p not in DISTRIBUTIONS)
                    message = err["msg"].removeprefix("Value error, ")
                    if err["type"] == "union_tag_invalid":
                        known = ", ".join(DISTRIBUTIONS)
                        message = f"unknown distribution {node.get('dist')!r}; expected one of: {known}"
                    problems.append(source.problem(path + where, f"distribution: {message}"))
                return node
            found.append((path, ".".join(str(p) for p in name), dist))
            return round(dist.centre) if integer(path) else dist.centre
        if isinstance(node, dict):
            for key in list(node):
                node[key] = walk(node[key], (*path, key), (*name, key))
            return node
        if isinstance(node, list):
            for index, item in enumerate(node):
                label = (
                    item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else index
                )
                node[index] = walk(item, (*path, index), (*name, label))
            return node
        return node

    walk(data, (), ())
    if problems:
        raise UserInputError(problems)
    return found


def set_at(data: Any, path: tuple, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def support_problem(path: tuple, dist: _Dist, end: str, message: str, source: SourceMap) -> Problem:
    low, high = dist.support
    return source.problem(
        path,
        f"the distribution's support [{low:g}, {high:g}] must lie inside the field's valid range: "
        f"at its {end} ({low if end == 'low end' else high:g}): {message}",
    )


def input_seed(run_seed: int, name: str) -> np.random.SeedSequence:
    """The stream of one input in one run: apart from the run's dice and from every other input."""
    return np.random.SeedSequence(int(run_seed), spawn_key=(INPUT_STREAM, zlib.crc32(name.encode())))


def draw(inputs: tuple[UncertainInput, ...], draw_seed: int) -> dict[str, float | int]:
    """The value of every uncertain input for one draw (one uniform from each input's own stream)."""
    out: dict[str, float | int] = {}
    for item in inputs:
        u = np.random.Generator(np.random.PCG64(input_seed(draw_seed, item.name))).random()
        out[item.name] = item.value(u)
    return out


def describe(inputs: tuple[UncertainInput, ...]) -> list[dict[str, Any]]:
    """A row per input for summaries and reports: name, distribution, support, centre, source."""
    return [
        {
            "name": item.name,
            "field": format_path(item.path),
            "dist": item.distribution.model_dump(exclude={"source"}, exclude_none=True),
            "low": item.distribution.support[0],
            "high": item.distribution.support[1],
            "centre": item.centre,
            "source": item.distribution.source,
        }
        for item in inputs
    ]
