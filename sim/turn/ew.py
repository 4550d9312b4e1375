"""Phase 3, electronic warfare: each side's jamming coverage over every hex (`sim.rules.ew`).

A jammer's strength falls with its crew and is gone once it is wrecked; a jammer
with no strength left neither jams nor gives itself away (`Battlefield.jam_strength`).
The coverage (`battlefield.ew.cover`, shown by the Mesa model as the grid's `ew_ua`
and `ew_ru` property layers) is what radio-controlled drones meet: strike drones in
phase 4 of this turn and reconnaissance drones in phase 1 of the next. The Mesa
model also runs this phase once before the first turn, so that turn 1's
reconnaissance meets the jammers already in place.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.stacked import Stacked, same_layout
from sim.codes import RU, UA
from sim.rules import ew


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """Jamming of several replications (lock-step): the jammers' strengths as (replication, unit)
    arrays, each replication's coverage worked out again only where its jammers moved or weakened,
    and the chance of being jammed for all those replications at once."""
    for group in same_layout(bfs):
        _jam(Stacked(group))


def _jam(stack: Stacked) -> None:
    hm = stack.first.hexmap
    role, active, vehicles, personnel, personnel0, nominal, switched_on, side, hexes, radius = stack.units(
        "role",
        "active",
        "vehicles",
        "personnel",
        "personnel0",
        "jam_strength",
        "emitting",
        "side",
        "hex",
        "range_km",
    )
    strength = ew.jammer_strength(role, active, vehicles, personnel, personnel0, nominal)
    on_air = switched_on & (strength > 0)
    changed = []
    for b, bf in enumerate(stack.bfs):
        cover, moved = bf.ew, False
        for s in (UA, RU):
            jammers = np.flatnonzero(on_air[b] & (side[b] == s))
            where, power = hexes[b, jammers], strength[b, jammers]
            state = (where.tobytes(), power.tobytes())
            if state == cover.last_jammers[s]:
                continue  # jammers rarely move: the coverage is unchanged
            cover.last_jammers[s], moved = state, True
            cover.cover[s] = ew.coverage(
                hm.x, hm.y, hm.x[where], hm.y[where], radius[b, jammers], power, bf.params.ew.edge_strength
            )
        if moved:
            changed.append(bf)
    if not changed:
        return
    covers = np.stack([bf.ew.cover for bf in changed])  # (replication, side, hex)
    fratricide = np.stack([bf.ew.fratricide for bf in changed]).astype(bool)
    deconfliction = np.array([[bf.params.ew.deconfliction] for bf in changed])
    jam = np.stack(
        [
            ew.jam_probability(covers[:, 1 - s], covers[:, s], fratricide[:, s, None], deconfliction)
            for s in (UA, RU)
        ],
        axis=1,
    )
    for bf, row in zip(changed, jam, strict=True):
        bf.ew.jam = row
