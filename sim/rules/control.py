"""Control (phase 8): which hexes change hands without a fight.

Hexes change hands in combat and when a unit walks into undefended enemy ground.
A pocket is a connected group of a side's hexes cut off from the side's rear
(its anchor hexes); the control phase decides which pockets hold (`sim.turn.control`).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def undirected_edges(neighbours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair of neighbouring hexes once, as two index arrays sorted by first hex."""
    src, slot = np.nonzero(neighbours >= 0)
    dst = neighbours[src, slot]
    once = src < dst
    src, dst = src[once], dst[once]
    order = np.lexsort((dst, src))
    return src[order], dst[order].astype(np.int32)


def _components(held: np.ndarray, edges: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    src, dst = edges
    keep = held[src] & held[dst]
    n = held.shape[0]
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(src[keep], minlength=n), out=indptr[1:])
    graph = csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), dst[keep], indptr), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def pockets(
    control: np.ndarray, side: int, anchors: np.ndarray, edges: tuple[np.ndarray, np.ndarray]
) -> list:
    """The pockets of `side`: connected groups of its hexes that touch none of its anchors (its rear),
    each as an array of hex indices."""
    held = control == side
    if not held.any():
        return []
    label = _components(held, edges)
    rooted = np.zeros(label.max() + 1, dtype=bool)
    rooted[label[held & anchors]] = True
    cut = held & ~rooted[label]
    if not cut.any():
        return []
    hexes = np.flatnonzero(cut)
    order = np.argsort(label[hexes], kind="stable")
    hexes = hexes[order]
    starts = np.flatnonzero(np.diff(label[hexes], prepend=-1))
    return np.split(hexes, starts[1:])
