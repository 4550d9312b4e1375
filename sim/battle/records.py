"""What a run counts as it goes: the events of each turn, and their sums over the run.

Counts are kept per side (indexed `UA`, `RU`), drone counts per side and kind
(`sim.codes.DroneKind`). The phases add to the turn's record; at the end of the
turn it is added to the run's totals, which the end-of-run metrics read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from sim.codes import DRONE_KINDS, SIDES


def _per_side() -> np.ndarray:
    return np.zeros(len(SIDES), dtype=np.int64)


def _per_side_and_kind() -> np.ndarray:
    return np.zeros((len(SIDES), len(DRONE_KINDS)), dtype=np.int64)


@dataclass
class SideCounts:
    """Events counted per side, per turn and summed over a run."""

    assaults_by_side: np.ndarray = field(default_factory=_per_side)
    captures_by_side: np.ndarray = field(default_factory=_per_side)
    sorties: np.ndarray = field(default_factory=_per_side)
    aircraft_lost: np.ndarray = field(default_factory=_per_side)
    glide_bombs: np.ndarray = field(default_factory=_per_side)
    rounds: np.ndarray = field(default_factory=_per_side)
    drone_sorties: np.ndarray = field(default_factory=_per_side_and_kind)
    """(side, kind) sorties flown."""
    radio_sorties: np.ndarray = field(default_factory=_per_side)
    jammed: np.ndarray = field(default_factory=_per_side)
    drone_hits: np.ndarray = field(default_factory=_per_side_and_kind)
    supply_vehicles_lost: np.ndarray = field(default_factory=_per_side)


@dataclass
class TurnRecord(SideCounts):
    """Events counted during one turn."""

    assaults: int = 0
    hexes_changed: int = 0
    hexes_lost: np.ndarray = field(default_factory=_per_side)
    """Hexes each side lost this turn (only a side that lost ground can be cut into pockets)."""
    route_cut: bool = False


@dataclass
class RunTotals(SideCounts):
    """Events summed over a run, and the turns each side held air superiority."""

    hexes_changed: int = 0
    turns: int = 0
    superiority_turns: np.ndarray = field(default_factory=_per_side)
    route_cut_turns: int = 0

    def add(self, turn: TurnRecord, superiority: np.ndarray) -> None:
        self.hexes_changed += turn.hexes_changed
        self.route_cut_turns += int(turn.route_cut)
        self.turns += 1
        self.superiority_turns += superiority
        for counts in fields(SideCounts):
            getattr(self, counts.name)[:] += getattr(turn, counts.name)
