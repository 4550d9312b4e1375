"""Phase 7 (second half), morale: losses and retreats erode it, rest restores it (`sim.rules.morale`).

A unit whose morale falls below the break threshold is broken (it withdraws until
it rallies); a unit worn below `ineffective_fraction` of its starting personnel
leaves the map.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.stacked import Stacked, same_layout
from sim.codes import Posture
from sim.rules import morale


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """Morale of several replications at once (lock-step), as (replication, unit) arrays; then each
    replication takes its spent units off the map."""
    for group in same_layout(bfs):
        _update(Stacked(group))
    for bf in bfs:
        f = bf.forces
        spent = f.active & (f.personnel < bf.params.combat.ineffective_fraction * f.personnel0)
        for i in np.flatnonzero(spent):
            bf.take_off_map(int(i))


def _update(stack: Stacked) -> None:
    current, nominal, posture, was_broken = stack.units("morale", "morale0", "posture", "broken")
    turns = [bf.this_turn for bf in stack.bfs]

    def column(name: str) -> np.ndarray:  # each replication's parameter (drawn inputs may differ)
        return stack.column(lambda bf: getattr(bf.params.morale, name))

    new = morale.update_morale(
        current,
        nominal,
        np.stack([t.loss_fraction for t in turns]),
        np.stack([t.pushed_back_km for t in turns]),
        np.stack([t.in_combat for t in turns]),
        posture == Posture.RESERVE,
        loss_sensitivity=column("loss_sensitivity"),
        defeat_penalty_per_km=column("defeat_penalty_per_km"),
        recovery=column("recovery_per_day"),
        reserve_recovery=column("reserve_recovery_per_day"),
        days=stack.column(lambda bf: bf.days_per_turn),
    )
    broken = morale.broken_state(
        new, was_broken, break_at=column("break_threshold"), rally_at=column("rally_threshold")
    )
    for b, bf in enumerate(stack.bfs):
        bf.forces.morale[:] = new[b]
        bf.forces.broken[:] = broken[b]
