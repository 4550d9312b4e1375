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


def abandoned_pockets(
    control: np.ndarray,
    side: int,
    anchors: np.ndarray,
    occupied: np.ndarray,
    edges: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Hexes of `side` cut off from its anchors, in pockets that none of its units occupy.

    A pocket is a connected group of the side's hexes; it holds out if it touches the
    side's rear (an anchor hex) or if a unit of the side stands in it.
    """
    held = control == side
    label = _components(held, edges)
    keep = np.zeros(label.max() + 1, dtype=bool)
    keep[label[held & (anchors | occupied)]] = True
    return held & ~keep[label]
