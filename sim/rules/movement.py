"""Manoeuvre (phase 5): what a step between hexes costs and which way leads to a goal.

A step costs the hex width times a factor: the terrain factor of the hex entered,
or the road factor when a road joins the two hexes, plus a river-crossing
surcharge for entering a river hex off the roads. A unit spends its daily speed
on steps as its budget covers them (`sim.turn.manoeuvre` carries an unfinished
step's budget over to the next turn).

Routes come from cost fields: the cheapest cost from every hex to a goal,
computed once per goal with Dijkstra's algorithm (SciPy's compiled csgraph) and
cached, so a unit only looks downhill among its six neighbours.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


def edge_costs(
    terrain: np.ndarray,
    river: np.ndarray,
    neighbours: np.ndarray,
    road_edge: np.ndarray,
    *,
    hex_km: float,
    terrain_cost: np.ndarray,
    road_cost: float,
    river_crossing_cost: float,
) -> np.ndarray:
    """(n, 6) cost in km-equivalents of stepping from each hex to each neighbour (inf off-map)."""
    target = np.where(neighbours >= 0, neighbours, 0)
    off_road = terrain_cost[terrain[target]] + np.where(river[target] > 0, river_crossing_cost, 0.0)
    cost = np.where(road_edge, road_cost, off_road) * hex_km
    return np.where(neighbours >= 0, cost, np.inf)


class HexSet(tuple):
    """A goal of several hexes (a side's rear): a tuple whose hash is worked out once, since its
    route table is looked up for every unit heading there, every turn."""

    def __new__(cls, hexes) -> HexSet:
        goals = super().__new__(cls, (int(h) for h in hexes))
        goals._hash = tuple.__hash__(goals)
        return goals

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        return (HexSet, (tuple(self),))


class CostFields:
    """Cheapest travel cost from every hex to a goal set, computed on demand and kept.

    With each field comes its route table: for every hex, the neighbours closer to the
    goal, best first, and the cost of stepping to each, so a moving unit only reads a row.
    """

    def __init__(self, neighbours: np.ndarray, costs: np.ndarray):
        n = neighbours.shape[0]
        src, slot = np.nonzero(neighbours >= 0)
        dst = neighbours[src, slot]
        # reversed graph: distances *to* the goal are distances *from* it on reversed edges
        self._graph = csr_matrix((costs[src, slot], (dst, src)), shape=(n, n))
        self._neighbours = neighbours
        self._costs = costs
        self._fields: dict = {}
        self._routes: dict = {}

    def to(self, goals: int | tuple[int, ...]) -> np.ndarray:
        """Cost from each hex to the nearest of `goals`: one hex index, or a tuple of them."""
        field = self._fields.get(goals)
        if field is None:
            indices = [int(goals)] if np.ndim(goals) == 0 else [int(g) for g in goals]
            field = dijkstra(self._graph, directed=True, indices=indices, min_only=True)
            self._fields[goals] = field
        return field

    def routes(self, goals: int | tuple[int, ...]) -> tuple[list[list[int]], list[list[float]]]:
        """Per hex: the neighbours closer to `goals`, best first, and the step cost to each."""
        table = self._routes.get(goals)
        if table is None:
            field = self.to(goals)
            nb = self._neighbours
            value = np.where(nb >= 0, field[np.where(nb >= 0, nb, 0)], np.inf)
            closer = value < field[:, None]
            order = np.argsort(np.where(closer, value, np.inf), axis=1, kind="stable")
            steps = np.take_along_axis(np.where(closer, nb, -1), order, axis=1)
            step_costs = np.take_along_axis(self._costs, order, axis=1)
            hexes = [[int(j) for j in row if j >= 0] for row in steps.tolist()]
            costs = [row[: len(h)] for row, h in zip(step_costs.tolist(), hexes, strict=True)]
            table = (hexes, costs)
            self._routes[goals] = table
        return table
