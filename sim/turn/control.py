"""Phase 8, control and records: who holds the ground nobody fights over; the turn is counted.

Three rules, in order (`sim.rules.control` finds the pockets):

1. units take the enemy-held hexes within `claim_radius_km` that no enemy zone of
   control covers and no enemy unit claims too (fluid, mobile fighting; 0 in
   positional fighting): ground within reach of both sides stays with its holder;
2. ground a side took during the run in the other side's country needs its presence:
   a hex with no unit of the holder within `presence_km` goes back to its country at
   the rate `unheld_loss_per_day` (a raid leaves no trail held by nobody); the ground
   the scenario's line of control gives a side at the start is held by more troops
   than a scenario may list, and changes hands only by assault or as a pocket;
3. a pocket of a side's hexes cut off from its rear holds out only with a garrison of
   at least `pocket_garrison_per_km2`; a thinner one breaks out and the pocket falls.

Finally the turn's record is added to the run's totals.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.codes import RU, UA
from sim.rules import control


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """Control of several replications (lock-step): each claims and gives up ground; the pockets of
    all of them are found together, side by side (a side's pockets fall before the other's are
    looked for, as in one replication)."""
    for bf in bfs:
        claim_uncontested_ground(bf)
        give_up_unheld_ground(bf)
    for side in (UA, RU):
        for group in _same_map(bfs):
            found = control.pockets_many(
                np.stack([bf.control == side for bf in group]),
                np.stack([bf.anchors[side] for bf in group]),
                group[0].hex_layout,
            )
            for bf, pockets in zip(group, found, strict=True):
                abandon_pockets(bf, side, pockets)
    for bf in bfs:
        bf.totals.add(bf.record, bf.air.superiority >= bf.params.air.superiority_threshold)


def _same_map(bfs: list[Battlefield]) -> list[list[Battlefield]]:
    groups: dict[int, list[Battlefield]] = {}
    for bf in bfs:
        groups.setdefault(id(bf.hexmap), []).append(bf)
    return list(groups.values())


def claim_uncontested_ground(bf: Battlefield) -> None:
    """Units take the enemy-held hexes around them that no enemy zone of control covers."""
    f = bf.forces
    radius = bf.params.control.claim_radius_km
    if radius <= 0:
        return
    ball = bf.hexmap.within_km(radius)
    reach = np.zeros((2, bf.hexmap.n), dtype=bool)
    for side in (UA, RU):
        units = f.active & f.manoeuvre & (f.side == side) & ~f.broken
        near = ball[f.hex[units]].ravel()
        reach[side, near[near >= 0]] = True
    for side in (UA, RU):
        enemy = 1 - side
        claim = np.flatnonzero(
            reach[side] & ~reach[enemy] & (bf.control != side) & (bf.zoc[enemy] == 0) & (bf.garrison == 0)
        )
        for h in claim:
            bf.take_hex(int(h), side)


def give_up_unheld_ground(bf: Battlefield) -> None:
    """Ground taken in the other side's country with none of the holder's units near goes back."""
    f, hm, p = bf.forces, bf.hexmap, bf.params.control
    chance = -np.expm1(-p.unheld_loss_per_day * bf.days_per_turn)
    if chance <= 0:
        return
    u = bf.uniform(Site.CONTROL, hm.n)
    for side in (UA, RU):
        foreign = np.flatnonzero((bf.control == side) & (hm.country != side) & bf.needs_presence)
        if foreign.size == 0:
            continue
        units = f.active & (f.side == side)
        if units.any():
            ux, uy = bf.positions(np.flatnonzero(units))
            dx, dy = hm.x[foreign][:, None] - ux[None, :], hm.y[foreign][:, None] - uy[None, :]
            gap = np.sqrt((dx * dx + dy * dy).min(axis=1))  # to the nearest of the side's units
        else:
            gap = np.full(foreign.size, np.inf)
        unheld = foreign[(gap > p.presence_km) & (u[foreign] < chance)]
        bf.hand_over(unheld, 1 - side)


def abandon_pockets(bf: Battlefield, side: int, pockets: list) -> None:
    """Pockets of `side` cut off from its rear (`sim.rules.control.pockets`) fall unless a garrison
    dense enough holds them."""
    if not pockets:
        return
    f, hm = bf.forces, bf.hexmap
    density = bf.params.control.pocket_garrison_per_km2
    units = np.flatnonzero(f.active & (f.side == side))
    garrison = np.bincount(f.hex[units], weights=f.personnel[units], minlength=hm.n)
    for pocket in pockets:
        held = garrison[pocket].sum() + bf.garrison[pocket].sum()
        if held > 0 and held >= density * pocket.size * hm.hex_area_km2:
            continue
        trapped = units[np.isin(f.hex[units], pocket)]
        bf.hand_over(pocket, 1 - side)
        for i in trapped:
            bf.break_out(int(i))
