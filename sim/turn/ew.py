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
from sim.codes import RU, UA
from sim.rules import ew


def run(bf: Battlefield) -> None:
    f, hm, cover = bf.forces, bf.hexmap, bf.ew
    edge = bf.params.ew.edge_strength
    strength = bf.jam_strength()
    on_air = bf.emitting()
    changed = False
    for side in (UA, RU):
        jammers = np.flatnonzero(on_air & (f.side == side))
        state = (f.hex[jammers].tobytes(), strength[jammers].tobytes())
        if state == cover.last_jammers[side]:
            continue  # jammers rarely move: the coverage is unchanged
        cover.last_jammers[side] = state
        changed = True
        jx, jy = bf.positions(jammers)
        cover.cover[side] = ew.coverage(hm.x, hm.y, jx, jy, f.range_km[jammers], strength[jammers], edge)
    if changed:
        deconfliction = bf.params.ew.deconfliction
        cover.jam = np.stack(
            [
                ew.jam_probability(
                    cover.cover[1 - side], cover.cover[side], bool(cover.fratricide[side]), deconfliction
                )
                for side in (UA, RU)
            ]
        )
