"""Logistics (phase 7): supply traced from sources along roads through friendly ground.

The hex grid is a graph whose directed edges cost the km-equivalents of a step
(an off-road step its length, a road step its road's factor times that) plus, for an
interdicted hex entered, -ln(1 - interdiction) x reach_km. Enemy-held hexes cannot
be entered. Dijkstra from the side's sources gives each hex its cheapest cost c,
and the supply that reaches it is exp(-c / reach_km): 1 at a source, falling with
distance, and multiplied by (1 - interdiction) for each interdicted hex on the way.
A hex with no route at all is cut off.

The graph's structure never changes, so it is built once; each turn only its
weights are refreshed (SciPy's compiled Dijkstra, no Python loop over hexes).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


class SupplyNetwork:
    """The hex graph for supply, with its base step costs; weights change every turn."""

    def __init__(
        self,
        neighbours: np.ndarray,
        road_edge: np.ndarray,
        road_class: np.ndarray,
        hex_km: float,
        road_factors: tuple[float, float],
    ):
        """`road_class` per hex (0 none, 1 secondary, 2 main); `road_factors` (secondary, main)."""
        n = neighbours.shape[0]
        src, slot = np.nonzero(neighbours >= 0)
        dst = neighbours[src, slot]
        order = np.lexsort((dst, src))  # CSR order, so the data array lines up with our edges
        self.src, self.dst = src[order], dst[order]
        # a road edge is as good as the lesser road at its two ends
        edge_class = np.minimum(road_class[src], road_class[dst])
        factor = np.where(edge_class >= 2, road_factors[1], road_factors[0])
        self.base = np.where(road_edge[src, slot], factor, 1.0)[order] * hex_km
        self._graph = csr_matrix((self.base.copy(), (self.src, self.dst)), shape=(n, n))
        self._graph.sort_indices()

    def copy(self) -> SupplyNetwork:
        """An independent network sharing the static structure (its weights are rewritten every turn)."""
        other = object.__new__(SupplyNetwork)
        other.src, other.dst, other.base = self.src, self.dst, self.base
        other._graph = self._graph.copy()
        return other

    def cost(
        self, held: np.ndarray, sources: np.ndarray, interdiction: np.ndarray, reach_km: float
    ) -> np.ndarray:
        """Cheapest supply cost from the sources to every hex over `held` ground (inf: cut off)."""
        sources = np.asarray(sources, dtype=np.int64)
        sources = sources[held[sources]]
        if sources.size == 0:
            return np.full(held.shape[0], np.inf)
        weights = self.base
        hit = interdiction > 0
        if hit.any():
            penalty = np.zeros(held.shape[0])
            penalty[hit] = -np.log1p(-np.clip(interdiction[hit], 0.0, 0.999)) * reach_km
            weights = weights + penalty[self.dst]
        # only held ground may be entered (the sources are held, so no edge out of enemy ground is
        # ever reached: closing the edges into it closes the ground)
        np.copyto(self._graph.data, np.where(held[self.dst], weights, np.inf))
        return dijkstra(self._graph, directed=True, indices=sources, min_only=True)


def available(cost: np.ndarray, reach_km: float) -> np.ndarray:
    """Share of supply that reaches each hex: exp(-cost / reach), 0 where cut off."""
    return np.exp(-np.asarray(cost) / reach_km)


def update_supply(
    supply: np.ndarray, target: np.ndarray, cut_off: np.ndarray, rate: float, cut_rate: float, days: float
) -> np.ndarray:
    """Units' supply relaxes towards what reaches their hex at `rate` per day; cut-off units run
    down at `cut_rate` per day (exponentially, so that the turn length does not matter)."""
    towards = supply - np.expm1(-rate * days) * (target - supply)
    running_down = supply * np.exp(-cut_rate * days)
    return np.clip(np.where(cut_off, running_down, towards), 0.0, 1.0)


def route_throughput(route: np.ndarray, held: np.ndarray, interdiction: np.ndarray) -> float:
    """Share of traffic that gets through the whole route: 0 if an enemy holds any hex of it."""
    if route.size == 0:
        return 1.0
    if not held[route].all():
        return 0.0
    return float(np.prod(1.0 - np.clip(interdiction[route], 0.0, 1.0)))


def road_route(cost_to_end: np.ndarray, start: int, neighbours: np.ndarray) -> np.ndarray:
    """The hexes from `start` downhill along a cost field to its zero (the route's end)."""
    route = [int(start)]
    here = int(start)
    while np.isfinite(cost_to_end[here]) and cost_to_end[here] > 0 and len(route) <= neighbours.shape[0]:
        nb = neighbours[here]
        nb = nb[nb >= 0]
        here = int(nb[np.argmin(cost_to_end[nb])])
        route.append(here)
    return np.array(route, dtype=np.int64)
