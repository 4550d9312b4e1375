"""Sudzha wargame: a turn-based, agent-based model of the fighting around Sudzha (Kursk, 2024-2025).

The public face of the package:

- `run(path, runs=..., overrides={...})` plays a Monte Carlo study and returns it as
  DataFrames (`Study`: `.runs`, `.timeseries`, `.hexes`, `.summary`, `.plot_*()`,
  `.to_folder()`); `compare([paths])` plays scenarios on the same seeds, `sweep(path, {field: values})`
  a grid (`sim.api`);
- `load_scenario(path, overrides)` reads and validates a scenario YAML;
- `SudzhaModel(scenario, rng=seed)` is the Mesa model (one step = one turn) around
  a `Battlefield`, the state of one run;
- `run_once(scenario, seed)` plays one replication; `run_study` a Monte Carlo
  study written to an output folder;
- `UserInputError` is raised for anything the user can fix.

The names are imported on first use, so that `import sim` (and the command line's
`--help`) stays fast and does not load Mesa.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.2.0"

_EXPORTS = {
    "Comparison": "sim.api",
    "Study": "sim.api",
    "compare": "sim.api",
    "run": "sim.api",
    "sweep": "sim.api",
    "Battlefield": "sim.battle.battlefield",
    "LoadedScenario": "sim.scenario.loaded",
    "SudzhaModel": "sim.model",
    "UserInputError": "sim.errors",
    "load_scenario": "sim.loading",
    "run_once": "sim.replications",
    "run_study": "sim.study",
}

__all__ = [
    "Battlefield",
    "Comparison",
    "LoadedScenario",
    "Study",
    "SudzhaModel",
    "UserInputError",
    "__version__",
    "compare",
    "load_scenario",
    "run",
    "run_once",
    "run_study",
    "sweep",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from sim.api import Comparison, Study, compare, run, sweep
    from sim.battle.battlefield import Battlefield
    from sim.errors import UserInputError
    from sim.loading import load_scenario
    from sim.model import SudzhaModel
    from sim.replications import run_once
    from sim.scenario.loaded import LoadedScenario
    from sim.study import run_study


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
