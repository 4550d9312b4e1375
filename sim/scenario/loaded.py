"""`LoadedScenario`: a validated scenario with its map, what every run, study and report is given.

It lives apart from `sim.loading` (which builds it from files) so that the
engine and the outputs can type against it without depending on the loader.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sim.scenario.document import Scenario
from sim.scenario.mapfile import MapSpec


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its map, ready to run."""

    spec: Scenario
    map: MapSpec
    path: str
    data: dict[str, Any]
    """The scenario as resolved (after `extends` and `--set`), with the map inlined."""

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the resolved scenario: equal digests mean equal runs for a seed."""
        text = json.dumps(self.data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @functools.cached_property
    def map_digest(self) -> str:
        text = json.dumps(self.map.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
