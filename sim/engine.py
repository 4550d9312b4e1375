"""Runs from start to end without Mesa: the order of the phases, and the per-turn record.

The Mesa model (`sim.model`) and the batch runner (`sim.replications`) play a turn
with the same phases on the same `Battlefield`, so a run gives the same numbers
whether it is watched in the app or played in a batch of thousands. The batch runner
skips what only a viewer needs (the Mesa grid and its agents, the DataCollector) and
plays replications in lock-step (`play_many`): a group of them goes through each phase
together, so NumPy's cost per call is paid once for the group. A phase alone (`run`) is
the same code on a group of one.

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
from sim.battle.stacked import SharedRows
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
    """One turn of one battlefield: every phase's `run`, in order (a batch of one is the same code:
    each `run` is its phase's `run_many` on a list of one)."""
    if observe is None:
        for phase in PHASES:
            phase.run(bf)  # looked up at each call, so a test may wrap one phase
        return
    for phase in PHASES:
        before = Snapshot.of(bf)
        phase.run(bf)
        observe(phase_name(phase), before, bf)


def play_turns(bfs: list[Battlefield]) -> None:
    """One turn of several battlefields in lock-step: each phase plays all of them before the next
    phase starts, at once where the phase has a `run_many` (its arrays gain a leading axis of
    replications), else one after another. Each battlefield draws from its own random streams and
    its arrays keep their own shapes, so what one battlefield does never depends on the others."""
    for phase in PHASES:
        many = getattr(phase, "run_many", None)
        if many is not None:
            many(bfs)
        else:
            for bf in bfs:
                phase.run(bf)


def finished(bf: Battlefield) -> bool:
    return bf.turn >= bf.spec.turn_count


def reporters(bf: Battlefield) -> dict[str, Callable[[Battlefield], object]]:
    """Every per-turn column of `timeseries.csv` for this battlefield, by name."""
    return {m.name: m.compute for m in metrics.TIMESERIES} | metrics.place_reporters(bf)


def play(bf: Battlefield, observe: Observer | None = None) -> dict[str, list]:
    """Play a fresh battlefield to its last turn; the per-turn columns (turn 0 = the start).
    `observe`, if given, watches every phase (`play_turn`)."""
    if observe is None:
        return play_many([bf])[0]
    prepare(bf)
    record = _Recorder(bf)
    record()
    while not finished(bf):
        play_turn(bf, observe)
        record()
    return record.series


def play_many(bfs: list[Battlefield]) -> list[dict[str, list]]:
    """Play fresh battlefields to their last turns in lock-step (`play_turns`); each one's per-turn
    columns, as `play` gives them: the same numbers whatever else is in the list."""
    SharedRows.share(bfs)
    for bf in bfs:
        prepare(bf)
    records = [_Recorder(bf) for bf in bfs]
    for record in records:
        record()
    live = [(bf, record) for bf, record in zip(bfs, records, strict=True) if not finished(bf)]
    while live:
        play_turns([bf for bf, _ in live])
        for _, record in live:
            record()
        live = [(bf, record) for bf, record in live if not finished(bf)]
    return [record.series for record in records]


class _Recorder:
    """The battlefield's per-turn columns (`reporters`), written at each call into arrays made for
    every turn of the run at its first call (whole numbers as int64, the others float64); `series`
    gives them as lists of Python numbers, as the CSV writers and the summary read them."""

    def __init__(self, bf: Battlefield) -> None:
        self.bf = bf
        self.columns = reporters(bf)
        self._rows = bf.spec.turn_count - bf.turn + 1  # turn 0 (the start) to the last turn
        self._arrays: dict[str, np.ndarray] = {}
        self._filled = 0

    def __call__(self) -> None:
        row = self._filled
        if row == 0:
            for name, compute in self.columns.items():
                value = compute(self.bf)
                whole = isinstance(value, int | np.integer)  # bool too: 0 or 1
                self._arrays[name] = np.zeros(self._rows, dtype=np.int64 if whole else np.float64)
                self._arrays[name][0] = value
        else:
            for name, compute in self.columns.items():
                self._arrays[name][row] = compute(self.bf)
        self._filled = row + 1

    @property
    def series(self) -> dict[str, list]:
        return {name: values[: self._filled].tolist() for name, values in self._arrays.items()}
