"""Control (phase 8): which hexes change hands without a fight.

Hexes change hands in combat and when a unit walks into undefended enemy ground.
A pocket is a connected group of a side's hexes cut off from the side's rear
(its anchor hexes); the control phase decides which pockets hold (`sim.turn.control`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

HEX_NEIGHBOURS = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 0]], dtype=bool)
"""A hex's six neighbours on the axial grid (rows down, axial columns across), centre included."""


@dataclass(frozen=True)
class HexLayout:
    """Where each hex of an odd-r map (index `col * rows + row`) sits on an axial grid.

    On the axial grid (column q = col - row // 2, shifted to start at 0) every hex's six
    neighbours make the same 3 x 3 pattern, `HEX_NEIGHBOURS`, so connected groups of hexes
    are found by image labelling in one compiled call.
    """

    position: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, cols: int, rows: int) -> HexLayout:
        col, row = np.divmod(np.arange(cols * rows), rows)
        shift = (rows - 1) // 2
        width = cols + shift
        return cls(position=row * width + col - row // 2 + shift, shape=(rows, width))


def components(held: np.ndarray, layout: HexLayout) -> np.ndarray:
    """Per hex, the number of its connected group of `held` hexes (1, 2, ...; 0 where not held)."""
    grid = np.zeros(layout.shape, dtype=bool)
    grid.flat[layout.position[held]] = True
    labels, _ = ndimage.label(grid, structure=HEX_NEIGHBOURS)
    return labels.flat[layout.position]


def pockets(control: np.ndarray, side: int, anchors: np.ndarray, layout: HexLayout) -> list:
    """The pockets of `side`: connected groups of its hexes that touch none of its anchors (its rear),
    each as an array of hex indices (ascending), the pockets in the order of their lowest hex."""
    return pockets_many((control == side)[None], np.asarray(anchors)[None], layout)[0]


POCKET_GRID = np.stack([np.zeros((3, 3), dtype=bool), HEX_NEIGHBOURS, np.zeros((3, 3), dtype=bool)])
"""`HEX_NEIGHBOURS` for a stack of maps: no hex is a neighbour of a hex of another map."""


def pockets_many(held: np.ndarray, anchors: np.ndarray, layout: HexLayout) -> list[list]:
    """`pockets` of several maps at once, (maps, hexes) masks of the hexes a side holds and of its
    anchors (replications played together): one labelling for all, each map's pockets its own."""
    out: list[list] = [[] for _ in range(held.shape[0])]
    if not held.any():
        return out
    grid = np.zeros((held.shape[0], *layout.shape), dtype=bool)
    maps, hexes = np.nonzero(held)
    grid.reshape(held.shape[0], -1)[maps, layout.position[hexes]] = True
    labels, count = ndimage.label(grid, structure=POCKET_GRID)
    label = labels.reshape(held.shape[0], -1)[:, layout.position]  # (maps, hexes); 0 where not held
    rooted = np.zeros(count + 1, dtype=bool)
    rooted[label[held & anchors]] = True
    cut = held & ~rooted[label]
    for k in np.flatnonzero(cut.any(axis=1)):
        out[k] = _groups(np.flatnonzero(cut[k]), label[k])
    return out


def _groups(hexes: np.ndarray, label: np.ndarray) -> list:
    """The cut hexes (ascending) split by their group, the groups in the order of their lowest hex."""
    groups = label[hexes]
    # rank each group by its lowest hex: hexes are ascending, so that is where the group first appears
    _, first = np.unique(groups, return_index=True)
    rank = np.empty(label.max() + 1, dtype=np.int64)
    rank[groups[first]] = np.argsort(np.argsort(first))
    key = rank[groups]
    order = np.argsort(key, kind="stable")
    hexes, key = hexes[order], key[order]
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    return np.split(hexes, starts[1:])
