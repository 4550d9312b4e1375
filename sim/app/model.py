"""What the browser app runs: a scenario file, a seed and a few inputs, made into a `SudzhaModel`.

The app's inputs are declared once, in `INPUTS`: each is either a `Setting` (one
scenario field, by its dotted `--set` path) or a `ForceScale` (a side's units made
bigger or smaller, one `--set` per unit). Their ranges, units and descriptions come
from the scenario schema, and their starting values from the chosen scenario
file; an input whose path is not (yet) in the schema is left out. So a parameter
added to the schema later is put in front of a class with one line, e.g.

    Setting("ua_jammers", "parameters.ew.ua_jammers", "UA jammers"),

`AppModel` is the model the app steps. It builds exactly what the command line
builds, `SudzhaModel(load_scenario(path, overrides), rng=seed)`, with the inputs
turned into `--set PATH=VALUE` overrides, so they are validated like a student's
`--set`. Inputs that the validator refuses are left out and reported in
`AppModel.problems`; the model is built without them rather than not at all.
The seed is the model's own seed: the `seed` column of a study's `runs.csv`
replays that run here.
"""

from __future__ import annotations

import inspect
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim import resources
from sim.errors import UserInputError
from sim.loading import load_scenario
from sim.model import SudzhaModel
from sim.report.style import short_value
from sim.scenario import LoadedScenario, Scenario
from sim.scenario.dotted import field_name, metadata_at, schema_at, value_kind, yaml_text
from sim.scenario.fields import field_metadata

SCENARIO_DIR = resources.SCENARIO_DIR
"""The folder whose `*.yaml` files the app offers."""

DEFAULT_SCENARIO = "sudzha_jan2025.yaml"
DEFAULT_SEED = resources.DEFAULT_SEED
MAX_SEED = 2**63


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Setting:
    """An input that sets one scenario field: the app's version of `--set PATH=VALUE`.

    `lo`, `hi` narrow the slider to a range worth showing in class (they never go
    beyond the schema's range); `step` is the slider's step (default: a hundredth
    of the range, rounded to 1, 2 or 5 times a power of ten). `needs` is the part of
    a scenario the field acts in (e.g. `sides.RU.air`): the input is offered only
    for scenario files that give that part, so a lesson without aviation shows no
    aviation slider.
    """

    name: str
    path: str
    label: str
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    needs: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    def available(self) -> bool:
        """Whether the schema has this field today."""
        return schema_at(self.parts) is not None

    def applies(self, spec: Scenario) -> bool:
        """Whether the scenario has the part this field acts in (see `needs`)."""
        return self.needs is None or declared(spec, self.needs)

    def kind(self) -> tuple[str, tuple]:
        """What the field holds ('number', 'integer', 'boolean', 'choice', ...) and its choices."""
        return value_kind(schema_at(self.parts))

    def metadata(self) -> dict[str, Any]:
        """Unit, range and description of the field, from the schema."""
        return metadata_at(self.parts)

    def current(self, spec: Scenario) -> Any:
        """The value the scenario gives the field."""
        node: Any = spec
        for part in self.parts:
            name = field_name(type(node), part) if isinstance(node, BaseModel) else None
            if isinstance(node, dict):
                node = node[part]
            elif name is not None:
                node = getattr(node, name)
            else:
                raise KeyError(self.path)
        return node

    def widget(self, spec: Scenario) -> dict[str, Any]:
        """The SolaraViz input (`model_params` entry) for this field, starting at the scenario's value."""
        kind, choices = self.kind()
        value = self.current(spec)
        meta = self.metadata()
        unit = meta.get("unit")
        short = unit and len(unit) <= 16 and unit not in self.label.lower()
        label = f"{self.label} ({unit})" if short else self.label  # long labels squeeze the slider
        if kind == "boolean":
            return {"type": "Checkbox", "value": bool(value), "label": label}
        if kind == "choice":
            return {"type": "Select", "value": value, "values": list(choices), "label": label}
        lo, hi, step = self._range(meta, is_int=kind == "integer")
        if kind == "integer":
            return {
                "type": "SliderInt",
                "value": int(value),
                "min": int(lo),
                "max": int(hi),
                "step": int(step),
                "label": label,
            }
        lo, hi = min(lo, value), max(hi, value)  # the scenario's own value is always on the slider
        return {
            "type": "SliderFloat",
            "value": float(value),
            "min": float(lo),
            "max": float(hi),
            "step": step,
            "label": label,
        }

    def _range(self, meta: dict[str, Any], is_int: bool) -> tuple[float, float, float]:
        """Slider minimum, maximum and step: the schema's range, narrowed by `lo` and `hi`."""
        lo = meta.get("ge", meta.get("gt", 0.0))
        hi = meta.get("le", meta.get("lt", max(lo, 1.0) * 10))
        if self.lo is not None:
            lo = max(lo, self.lo)
        if self.hi is not None:
            hi = min(hi, self.hi)
        step = self.step or _nice_step((hi - lo) / 100)
        if is_int:
            step = max(1, round(step))
        if "gt" in meta and lo <= meta["gt"]:
            lo = meta["gt"] + step
        if "lt" in meta and hi >= meta["lt"]:
            hi = meta["lt"] - step
        return lo, hi, step

    def shown(self, spec: Scenario, applied: dict[str, Any]) -> str:
        """The value in force, as text with its unit."""
        value = self.current(spec)
        unit = self.metadata().get("unit") or ""
        return f"{short_value(value)} {unit}".strip()

    def overrides(self, value: Any, spec: Scenario) -> list[str]:
        """`--set` assignments for this value: none when it equals the scenario's."""
        current = self.current(spec)
        if isinstance(current, float) or self.kind()[0] == "number":
            value = round(float(value), 6)
            if math.isclose(value, float(current), rel_tol=1e-9, abs_tol=1e-9):
                return []
        elif value == current:
            return []
        return [f"{self.path}={yaml_text(value)}"]


class _ScaleSlider:
    """A multiplier slider, 1.0 meaning the scenario as written (for the scale inputs below)."""

    name: str
    label: str
    lo: float
    hi: float
    step: float

    def widget(self, spec: Scenario) -> dict[str, Any]:
        return {
            "type": "SliderFloat",
            "value": 1.0,
            "min": self.lo,
            "max": self.hi,
            "step": self.step,
            "label": self.label,
        }

    def shown(self, spec: Scenario, applied: dict[str, Any]) -> str:
        return f"× {float(applied.get(self.name, 1.0)):g}"


@dataclass(frozen=True)
class ForceScale(_ScaleSlider):
    """An input that multiplies the personnel and vehicles of every unit of one side.

    It becomes one `--set forces.<id>.<field>=<n>` per unit, so a unit made larger
    than the schema allows is refused like any other `--set`.
    """

    name: str
    side: str
    label: str
    fields: tuple[str, ...] = ("personnel", "vehicles")
    lo: float = 0.25
    hi: float = 2.5
    step: float = 0.05

    def available(self) -> bool:
        return all(schema_at(("forces", "0", f)) is not None for f in self.fields)

    def applies(self, spec: Scenario) -> bool:
        """Whether the scenario has units of this side."""
        return any(unit.side == self.side for unit in spec.forces)

    def overrides(self, value: Any, spec: Scenario) -> list[str]:
        scale = round(float(value), 6)
        if math.isclose(scale, 1.0):
            return []
        return [
            f"forces.{unit.id}.{field}={round(getattr(unit, field) * scale)}"
            for unit in spec.forces
            if unit.side == self.side
            for field in self.fields
        ]


@dataclass(frozen=True)
class ListScale(_ScaleSlider):
    """An input that multiplies one field of every item of a side's list (jammers, drone teams).

    It becomes one `--set <list>.<id>.<field>=<value>` per item, each clamped to the
    field's valid range (a jammer's strength never passes 1).
    """

    name: str
    path: str
    field: str
    label: str
    lo: float = 0.0
    hi: float = 2.0
    step: float = 0.05

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    def available(self) -> bool:
        return schema_at((*self.parts, "0", self.field)) is not None

    def items(self, spec: Scenario) -> list:
        return Setting(self.name, self.path, self.label).current(spec)

    def applies(self, spec: Scenario) -> bool:
        """Whether the list has items to scale (a scenario without jammers has no EW slider)."""
        return bool(self.items(spec))

    def overrides(self, value: Any, spec: Scenario) -> list[str]:
        scale = round(float(value), 6)
        items = self.items(spec)
        if math.isclose(scale, 1.0) or not items:
            return []
        meta = field_metadata(type(items[0]), self.field)
        top = meta.get("le", math.inf)
        out = []
        for item in items:
            new = min(getattr(item, self.field) * scale, top)
            new = round(new) if isinstance(getattr(item, self.field), int) else round(new, 6)
            out.append(f"{self.path}.{item.id}.{self.field}={yaml_text(new)}")
        return out


Input = Setting | ForceScale | ListScale

INPUTS: tuple[Input, ...] = (
    ForceScale("ru_forces", "RU", "RU-side forces (× scenario)"),
    ForceScale("ua_forces", "UA", "UA forces (× scenario)"),
    Setting("ru_attack_tempo", "sides.RU.doctrine.attack_tempo", "RU attack tempo"),
    Setting("ru_assault_commitment", "sides.RU.doctrine.assault_commitment", "RU assault commitment"),
    Setting("ua_attack_tempo", "sides.UA.doctrine.attack_tempo", "UA attack tempo"),
    Setting("ua_recon_effort", "sides.UA.recon_effort", "UA recon effort", hi=5),
    Setting("ru_recon_effort", "sides.RU.recon_effort", "RU recon effort", hi=5),
    Setting("combat_intensity", "parameters.combat.intensity", "Combat intensity", hi=5),
    Setting("breakthrough_ratio", "parameters.combat.breakthrough_ratio", "Breakthrough ratio", lo=1, hi=6),
    Setting("ru_aircraft", "sides.RU.air.aircraft", "RU strike aircraft", hi=40, needs="sides.RU.air"),
    ListScale("ua_ew", "sides.UA.jammers", "strength", "UA EW strength (× scenario)"),
    ListScale("ru_ew", "sides.RU.jammers", "strength", "RU EW strength (× scenario)"),
    ListScale("ua_drones", "sides.UA.drone_teams", "sorties_per_day", "UA drone sorties (× scenario)"),
    ListScale("ru_drones", "sides.RU.drone_teams", "sorties_per_day", "RU drone sorties (× scenario)"),
    # Another parameter is put in front of a class with one line here.
)
"""The app's inputs, in the order shown."""


def available_inputs() -> list[Input]:
    """The inputs whose fields the schema has today."""
    names = [i.name for i in INPUTS]
    if len(set(names)) != len(names):
        raise ValueError("input names must be unique")
    return [i for i in INPUTS if i.available()]


def applicable_inputs(spec: Scenario) -> list[Input]:
    """The available inputs that act on this scenario (`applies`), in the order shown."""
    return [i for i in available_inputs() if i.applies(spec)]


def declared(spec: BaseModel, path: str) -> bool:
    """Whether the scenario file (after `extends`) gives the part at a dotted path, e.g.
    `sides.RU.air`, rather than leaving it to the schema's default."""
    node: Any = spec
    for part in path.split("."):
        if isinstance(node, BaseModel):
            name = field_name(type(node), part)
            if name is None or name not in node.model_fields_set:
                return False
            node = getattr(node, name)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at most `raw`."""
    if raw <= 0:
        return 0.01
    power = 10 ** math.floor(math.log10(raw))
    for m in (5, 2, 1):
        if m * power <= raw:
            return float(m * power)
    return float(power)


# --------------------------------------------------------------------------- scenarios


def scenario_files(folder: Path = SCENARIO_DIR) -> list[str]:
    """The scenario files the app offers: `scenarios/*.yaml`, by name."""
    return sorted(p.name for p in folder.glob("*.yaml"))


def scenario_path(name: str, folder: Path = SCENARIO_DIR) -> Path:
    """The file of a scenario offered by the app; only files in `folder` are accepted."""
    if name not in scenario_files(folder):
        raise UserInputError(
            f"no scenario {name!r} in {folder}; there are: {', '.join(scenario_files(folder))}"
        )
    return folder / name


def base_scenario(name: str, folder: Path = SCENARIO_DIR) -> LoadedScenario:
    """The scenario file as written (no overrides); re-read when the file changes."""
    path = scenario_path(name, folder)
    return _load_cached(str(path), os.stat(path).st_mtime_ns)


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> LoadedScenario:
    return load_scenario(path)


def model_params(name: str = DEFAULT_SCENARIO, folder: Path = SCENARIO_DIR) -> dict[str, Any]:
    """SolaraViz `model_params` for a scenario: the file (fixed), the seed and every input that
    acts on it (`applicable_inputs`)."""
    spec = base_scenario(name, folder).spec
    params: dict[str, Any] = {
        "scenario_file": name,
        "seed": {"type": "InputText", "value": str(DEFAULT_SEED), "label": "Random seed"},
    }
    for item in applicable_inputs(spec):
        params[item.name] = item.widget(spec)
    return params


def parse_seed(value: Any) -> int:
    text = str(value).strip()
    try:
        seed = int(text)
    except ValueError:
        raise UserInputError(f"seed: expected a whole number, got {text!r}") from None
    if not 0 <= seed < MAX_SEED:
        raise UserInputError(f"seed: expected 0 <= seed < 2^63, got {seed}")
    return seed


@dataclass(frozen=True)
class Resolved:
    """A scenario with the app's inputs applied: what to run, and what was refused."""

    scenario: LoadedScenario
    seed: int
    overrides: tuple[str, ...]
    problems: tuple[str, ...]
    applied: dict[str, Any]
    """The inputs that changed the scenario, by name, with their values."""


def resolve(
    name: str = DEFAULT_SCENARIO,
    seed: Any = DEFAULT_SEED,
    values: dict[str, Any] | None = None,
    folder: Path = SCENARIO_DIR,
) -> Resolved:
    """The app's inputs -> a validated scenario, through `load_scenario`'s `--set` overrides."""
    values = {key: value for key, value in (values or {}).items() if value is not None}
    inputs = {i.name: i for i in available_inputs()}
    unknown = sorted(set(values) - set(inputs))
    if unknown:
        raise TypeError(f"unknown app inputs: {', '.join(unknown)}")
    problems: list[str] = []
    try:
        seed_value = parse_seed(seed)
    except UserInputError as exc:
        problems += [f"{p} (using {DEFAULT_SEED})" for p in exc.problems]
        seed_value = DEFAULT_SEED
    base = base_scenario(name, folder)
    groups = {key: inputs[key].overrides(value, base.spec) for key, value in values.items()}
    groups = {key: sets for key, sets in groups.items() if sets}

    def done(scenario: LoadedScenario, keys) -> Resolved:
        sets = tuple(s for key in keys for s in groups[key])
        applied = {key: values[key] for key in keys}
        return Resolved(scenario, seed_value, sets, tuple(problems), applied)

    if not groups:
        return done(base, [])
    path = scenario_path(name, folder)
    try:
        return done(load_scenario(path, [s for sets in groups.values() for s in sets]), list(groups))
    except UserInputError:
        pass
    # find the inputs at fault, one at a time, and run without them
    kept: list[str] = []
    for key, sets in groups.items():
        try:
            load_scenario(path, sets)
            kept.append(key)
        except UserInputError as exc:
            first = exc.problems[0]
            more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            problems.append(f"{inputs[key].label}: not applied: {first.message}{more}")
    try:
        return done(load_scenario(path, [s for key in kept for s in groups[key]]), kept)
    except UserInputError as exc:  # inputs fine alone but not together
        problems.extend(f"inputs not applied together: {p}" for p in exc.problems)
        return done(base, [])


# --------------------------------------------------------------------------- the model


class AppModel(SudzhaModel):
    """`SudzhaModel(load_scenario(file, overrides), rng=seed)`, built from the app's inputs.

    SolaraViz makes a new model on Reset by calling the class with the current
    inputs as keywords; this constructor turns them into a validated scenario and
    leaves the rest to `SudzhaModel`, so the app steps exactly the model the
    command line runs.
    """

    def __init__(self, scenario_file: str = DEFAULT_SCENARIO, seed: Any = DEFAULT_SEED, **values: Any):
        resolved = resolve(scenario_file, seed, values)
        super().__init__(resolved.scenario, rng=resolved.seed)
        self.scenario_file = scenario_file
        self.seed = resolved.seed
        self.overrides = resolved.overrides
        self.problems = resolved.problems
        self.applied = resolved.applied


def _signature() -> inspect.Signature:
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("scenario_file", keyword, default=DEFAULT_SCENARIO),
            inspect.Parameter("seed", keyword, default=DEFAULT_SEED),
            *(inspect.Parameter(i.name, keyword, default=None) for i in available_inputs()),
        ]
    )


# SolaraViz reads the constructor's signature to check its inputs, and passes a Mesa
# `scenario=` to any constructor that takes **kwargs: show it the named inputs instead.
AppModel.__init__.__signature__ = _signature()
