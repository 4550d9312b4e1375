"""Sudzha wargame: a turn-based, agent-based model of the fighting around Sudzha (Kursk, 2024-2025).

The public face of the package:

- `load_scenario(path, overrides)` reads and validates a scenario YAML;
- `SudzhaModel(scenario, rng=seed)` is the Mesa model (one step = one turn);
- `run_once(scenario, seed)` plays one replication; `run_study` a Monte Carlo
  study written to an output folder;
- `UserInputError` is raised for anything the user can fix.
"""

__version__ = "0.1.0"

from sim.errors import UserInputError
from sim.loading import load_scenario
from sim.scenario import LoadedScenario

__all__ = ["LoadedScenario", "UserInputError", "__version__", "load_scenario"]
