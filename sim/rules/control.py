"""Control (phase 8): which hexes change hands without a fight.

Hexes change hands in combat and when a unit walks into undefended enemy ground.
After that, any pocket of a side's hexes that is cut off from the side's rear
(anchor hexes) and holds none of its units falls to the other side: nobody is
left to hold it.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def cut_off(
    held: np.ndarray,
    anchors: np.ndarray,
    neighbours: np.ndarray,
) -> np.ndarray:
    """Hexes in `held` not connected through `held` hexes to any hex in `anchors & held`."""
    n = held.shape[0]
    src, slot = np.nonzero((neighbours >= 0) & held[:, None])
    dst = neighbours[src, slot]
    keep = held[dst]
    graph = csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), (src[keep], dst[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    anchored = np.zeros(label.max() + 1, dtype=bool)
    anchored[label[held & anchors]] = True
    return held & ~anchored[label]


def abandoned_pockets(
    control: np.ndarray,
    side: int,
    anchors: np.ndarray,
    occupied: np.ndarray,
    neighbours: np.ndarray,
) -> np.ndarray:
    """Hexes of `side` cut off from its anchors in pockets that none of its units occupy."""
    held = control == side
    isolated = cut_off(held, anchors, neighbours)
    if not isolated.any():
        return isolated
    # a pocket with a unit in it holds out; find pockets (components of isolated hexes)
    src, slot = np.nonzero((neighbours >= 0) & isolated[:, None])
    dst = neighbours[src, slot]
    keep = isolated[dst]
    n = control.shape[0]
    graph = csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), (src[keep], dst[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    manned = np.zeros(label.max() + 1, dtype=bool)
    manned[label[isolated & occupied]] = True
    return isolated & ~manned[label]
