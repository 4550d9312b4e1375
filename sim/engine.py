"""One run from start to end without Mesa: the order of the phases, and the per-turn record.

The Mesa model (`sim.model`) and the batch runner (`sim.replications`) play a turn
with the same function, `play_turn`, on the same `Battlefield`, so a run gives the
same numbers whether it is watched in the app or played in a batch of thousands.
The batch runner skips what only a viewer needs (the Mesa grid and its agents, the
DataCollector), which is most of the cost of building a run.

A record of one run, event by event (`sim.trace`), watches the phases without touching
them: given an `observe` function, `play_turn` copies what a record reads (`Snapshot`)
before each phase and hands it over, with the battlefield, once the phase is done.
Without one, nothing is copied and the turn is played exactly as in a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.battle import metrics
from sim.battle.battlefield import Battlefield
from sim.turn import air, combat, control, ew, fires, logistics, manoeuvre, morale, recon, start

PHASES = (start, recon, air, ew, fires, manoeuvre, combat, logistics, morale, control)
"""The phases of a turn, in their order, each a module with `run(battlefield)` (`sim.turn` says
what each does): start (weather, orders, reinforcements), 1 reconnaissance, 2 air, 3 electronic
warfare, 4 fires, 5 manoeuvre, 6 ground combat, 7 logistics and morale, 8 control and records."""


def prepare(bf: Battlefield) -> None:
    """What stands before turn 1: the jamming its reconnaissance meets."""
    ew.run(bf)


@dataclass(frozen=True)
class Snapshot:
    """What a record of the run reads, copied before a phase: who holds each hex, where each unit
    stands and how strong it is, whether it is on the map, broken or cut off, its losses by cause,
    and the assaults declared so far this turn (target hex -> attackers)."""

    turn: int
    control: np.ndarray
    hex: np.ndarray
    personnel: np.ndarray
    vehicles: np.ndarray
    active: np.ndarray
    broken: np.ndarray
    cut_off: np.ndarray
    lost_by_cause: np.ndarray
    lost_vehicles_by_cause: np.ndarray
    assaults: dict[int, tuple[int, ...]]

    @classmethod
    def of(cls, bf: Battlefield) -> Snapshot:
        f = bf.forces
        return cls(
            turn=bf.turn,
            control=bf.control.copy(),
            hex=f.hex.copy(),
            personnel=f.personnel.copy(),
            vehicles=f.vehicles.copy(),
            active=f.active.copy(),
            broken=f.broken.copy(),
            cut_off=bf.supply.cut_off.copy(),
            lost_by_cause=f.lost_by_cause.copy(),
            lost_vehicles_by_cause=f.lost_vehicles_by_cause.copy(),
            assaults={int(h): tuple(int(i) for i in units) for h, units in bf.this_turn.assaults.items()},
        )


Observer = Callable[[str, Snapshot, Battlefield], None]
"""Called after each phase with the phase's name, the `Snapshot` from before it and the battlefield."""


def phase_name(phase) -> str:
    """A phase's name as a record gives it: its module's own name (`recon`, `manoeuvre`, ...)."""
    return phase.__name__.rpartition(".")[2]


def play_turn(bf: Battlefield, observe: Observer | None = None) -> None:
    if observe is None:
        for phase in PHASES:
            phase.run(bf)  # looked up at each call, so a test may wrap one phase
        return
    for phase in PHASES:
        before = Snapshot.of(bf)
        phase.run(bf)
        observe(phase_name(phase), before, bf)


def finished(bf: Battlefield) -> bool:
    return bf.turn >= bf.spec.turn_count


def reporters(bf: Battlefield) -> dict[str, Callable[[Battlefield], object]]:
    """Every per-turn column of `timeseries.csv` for this battlefield, by name."""
    return {m.name: m.compute for m in metrics.TIMESERIES} | metrics.place_reporters(bf)


def play(bf: Battlefield, observe: Observer | None = None) -> dict[str, list]:
    """Play a fresh battlefield to its last turn; the per-turn columns (turn 0 = the start).
    `observe`, if given, watches every phase (`play_turn`)."""
    prepare(bf)
    columns = reporters(bf)
    series: dict[str, list] = {name: [] for name in columns}

    def record() -> None:
        for name, compute in columns.items():
            series[name].append(compute(bf))

    record()
    while not finished(bf):
        play_turn(bf, observe)
        record()
    return series
