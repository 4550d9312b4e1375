"""Phase 3, electronic warfare: each side's jamming coverage over every hex (`sim.rules.ew`).

The coverage layers (`model.ew_cover[side]`, also the grid's `ew_ua` / `ew_ru`
property layers) are what radio-controlled drones meet: strike drones in phase 4
of this turn and reconnaissance drones in phase 1 of the next (sensing comes
before the EW picture of the turn updates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import SIDES
from sim.forces import ROLE
from sim.geography import RU, UA
from sim.phases import targeting
from sim.rules import ew

if TYPE_CHECKING:
    from sim.model import SudzhaModel

LAYERS = {UA: "ew_ua", RU: "ew_ru"}


def setup(model: SudzhaModel) -> None:
    model.fratricide = np.array([getattr(model.spec.sides, s).ew_fratricide for s in SIDES])
    for name in LAYERS.values():
        model.grid.create_property_layer(name, default_value=0.0, dtype=float)
    model.ew_cover = np.zeros((2, model.hexmap.n))
    model.ew_state = [None, None]
    run(model)


def run(model: SudzhaModel) -> None:
    f, hm = model.forces, model.hexmap
    edge = model.params.ew.edge_strength
    changed = False
    for side in (UA, RU):
        jammers = np.flatnonzero(f.active & (f.role == ROLE["jammer"]) & (f.side == side) & f.emitting)
        state = (f.hex[jammers].tobytes(), f.jam_strength[jammers].tobytes())
        if state == model.ew_state[side]:
            continue  # jammers rarely move: the coverage is unchanged
        model.ew_state[side] = state
        changed = True
        jx, jy = targeting.positions(model, jammers)
        cover = ew.coverage(hm.x, hm.y, jx, jy, f.range_km[jammers], f.jam_strength[jammers], edge)
        model.layer(LAYERS[side])[:] = cover
        model.ew_cover[side] = cover
    if changed:
        e = model.params.ew
        model.jam = np.stack(
            [
                ew.jam_probability(
                    model.ew_cover[1 - side],
                    model.ew_cover[side],
                    bool(model.fratricide[side]),
                    e.deconfliction,
                )
                for side in (UA, RU)
            ]
        )


def jam_probability(model: SudzhaModel, side: int, hexes: np.ndarray) -> np.ndarray:
    """Chance a radio drone of `side` is jammed over each of `hexes` (enemy cover, and own if fratricide)."""
    return model.jam[side][hexes]
