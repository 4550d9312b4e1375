"""Phase 7 (second half), morale: losses and retreats erode it, rest restores it (`sim.rules.morale`).

A unit whose morale falls below the break threshold is broken (it withdraws until
it rallies); a unit worn below `ineffective_fraction` of its starting personnel
leaves the map.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import Posture
from sim.rules import morale


def run(bf: Battlefield) -> None:
    f, m, t = bf.forces, bf.params.morale, bf.this_turn
    f.morale[:] = morale.update_morale(
        f.morale,
        f.morale0,
        t.loss_fraction,
        t.pushed_back_km,
        t.in_combat,
        f.posture == Posture.RESERVE,
        loss_sensitivity=m.loss_sensitivity,
        defeat_penalty_per_km=m.defeat_penalty_per_km,
        recovery=m.recovery_per_day,
        reserve_recovery=m.reserve_recovery_per_day,
        days=bf.days_per_turn,
    )
    f.broken[:] = morale.broken_state(
        f.morale, f.broken, break_at=m.break_threshold, rally_at=m.rally_threshold
    )
    spent = f.active & (f.personnel < bf.params.combat.ineffective_fraction * f.personnel0)
    for i in np.flatnonzero(spent):
        bf.take_off_map(int(i))
