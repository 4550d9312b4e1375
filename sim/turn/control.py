"""Phase 8, control and records: ground nobody contests or holds changes hands; the turn is counted.

Units take the enemy-held hexes within `control_radius` that no enemy zone of
control covers; then any pocket of a side's hexes cut off from its rear and held
by none of its units falls to the other side (`sim.rules.control`). Finally the
turn's record is added to the run's totals.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import RU, UA
from sim.rules import control


def run(bf: Battlefield) -> None:
    claim_uncontested_ground(bf)
    abandon_pockets(bf)
    bf.totals.add(bf.record, bf.air.superiority >= bf.params.air.superiority_threshold)


def claim_uncontested_ground(bf: Battlefield) -> None:
    """Units take the enemy-held hexes around them that no enemy zone of control covers."""
    f = bf.forces
    radius = bf.params.movement.control_radius
    if radius <= 0:
        return
    ball = bf.hexmap.ball(radius)
    for side in (UA, RU):
        units = f.active & f.manoeuvre & (f.side == side) & ~f.broken
        if not units.any():
            continue
        near = ball[f.hex[units]].ravel()
        near = near[near >= 0]
        claim = near[(bf.control[near] != side) & (bf.zoc[1 - side, near] == 0)]
        for h in np.unique(claim):
            bf.take_hex(int(h), side)


def abandon_pockets(bf: Battlefield) -> None:
    """Pockets of a side's ground cut off from its rear, with none of its units in them, fall."""
    f = bf.forces
    for side in (UA, RU):
        if not bf.record.hexes_lost[side]:
            continue  # gaining ground never cuts a side into pockets
        occupied = np.zeros(bf.hexmap.n, dtype=bool)
        occupied[f.hex[f.active & (f.side == side)]] = True
        lost = control.abandoned_pockets(bf.control, side, bf.anchors[side], occupied, bf.edges)
        if lost.any():
            bf.record.hexes_changed += int(lost.sum())
            bf.control[lost] = 1 - side
