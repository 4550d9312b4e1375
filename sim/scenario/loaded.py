"""`LoadedScenario`: a validated scenario with its map, what every run, study and report is given.

It lives apart from `sim.loading` (which builds it from files) so that the
engine and the outputs can type against it without depending on the loader.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from sim.errors import Problem, UserInputError
from sim.scenario.document import Scenario
from sim.scenario.mapfile import MapSpec
from sim.scenario.uncertain import UncertainInput


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its map, ready to run."""

    spec: Scenario
    map: MapSpec
    path: str
    data: dict[str, Any]
    """The scenario as resolved (after `extends` and `--set`), with the map inlined."""
    inputs: tuple[UncertainInput, ...] = ()
    """The fields given as distributions (`sim.scenario.uncertain`); `spec` holds their centres."""
    raw: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    """The raw data `spec` was validated from (with the centres), to validate each run's draws."""
    context: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    overrides: tuple[str, ...] = ()
    """The `--set` assignments applied after the file (and its `extends`), as given."""

    def with_inputs(self, values: dict[str, float | int]) -> LoadedScenario:
        """The scenario with its uncertain inputs at `values` (by dotted name), validated."""
        if not values:
            return self
        if self.raw is None:
            raise ValueError("this scenario was not loaded from data; it cannot take input values")
        # copy only the containers on the way to each input: validation never changes its input,
        # so the rest of the raw data can be shared (a deep copy cost more than the run's map)
        data = dict(self.raw)
        by_name = {item.name: item for item in self.inputs}
        for name, value in values.items():
            path = by_name[name].path
            node = data
            for part in path[:-1]:
                node[part] = node = copy.copy(node[part])
            node[path[-1]] = value
        try:
            spec = Scenario.model_validate(data, context=self.context)
        except ValidationError as exc:
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            first = exc.errors()[0]
            raise UserInputError(
                Problem(
                    f"the uncertain inputs drawn for a run make the scenario invalid ({shown}): "
                    f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}; narrow the distributions",
                    file=self.path,
                )
            ) from None
        played = dataclasses.replace(self, spec=spec)
        if "map_digest" in self.__dict__:  # the inputs never touch the map: its digest stands
            played.__dict__["map_digest"] = self.__dict__["map_digest"]
        return played

    def at_centre(self) -> LoadedScenario:
        """Every uncertain input fixed at its centre (mode or median): the model's own dice alone."""
        return dataclasses.replace(self, inputs=())

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the resolved scenario: equal digests mean equal runs for a seed."""
        text = json.dumps(self.data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @functools.cached_property
    def map_digest(self) -> str:
        text = json.dumps(self.map.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
