"""One run from start to end without Mesa: the order of the phases, and the per-turn record.

The Mesa model (`sim.model`) and the batch runner (`sim.replications`) play a turn
with the same function, `play_turn`, on the same `Battlefield`, so a run gives the
same numbers whether it is watched in the app or played in a batch of thousands.
The batch runner skips what only a viewer needs (the Mesa grid and its agents, the
DataCollector), which is most of the cost of building a run.
"""

from __future__ import annotations

from collections.abc import Callable

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


def play_turn(bf: Battlefield) -> None:
    for phase in PHASES:
        phase.run(bf)  # looked up at each call, so a test may wrap one phase


def finished(bf: Battlefield) -> bool:
    return bf.turn >= bf.spec.turn_count


def reporters(bf: Battlefield) -> dict[str, Callable[[Battlefield], object]]:
    """Every per-turn column of `timeseries.csv` for this battlefield, by name."""
    return {m.name: m.compute for m in metrics.TIMESERIES} | metrics.place_reporters(bf)


def play(bf: Battlefield) -> dict[str, list]:
    """Play a fresh battlefield to its last turn; the per-turn columns (turn 0 = the start)."""
    prepare(bf)
    columns = reporters(bf)
    series: dict[str, list] = {name: [] for name in columns}

    def record() -> None:
        for name, compute in columns.items():
            series[name].append(compute(bf))

    record()
    while not finished(bf):
        play_turn(bf)
        record()
    return series
