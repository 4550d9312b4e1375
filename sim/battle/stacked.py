"""Several battlefields side by side, for a phase that plays them in lock-step.

A phase written for many battlefields at once (`run_many`) reads each one's arrays
stacked along a new leading axis, the replication, works on them together, and writes
each one's share back. Every replication keeps the shapes it has alone (all of its units,
hexes and pairs, the absent ones masked out rather than dropped), so no sum or draw of
one replication depends on how many others share the batch (`sim.engine.play_turns`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.battle.battlefield import Battlefield


def same_layout(bfs: list[Battlefield]) -> list[list[Battlefield]]:
    """The battlefields in groups that stack: the same map and the same units in the same rows."""
    groups: dict[tuple, list[Battlefield]] = {}
    for bf in bfs:
        f = bf.forces
        key = (id(bf.hexmap), f.n, f.role.tobytes(), f.kind.tobytes(), f.side.tobytes())
        groups.setdefault(key, []).append(bf)
    return list(groups.values())


class Stacked:
    """The arrays of battlefields that share a layout (`same_layout`), replication first."""

    def __init__(self, bfs: list[Battlefield]) -> None:
        self.bfs = bfs
        self.first = bfs[0]
        self.size = len(bfs)
        self.rows = np.arange(self.size)[:, None]
        """(B, 1) replication index, to pick each replication's entry of a stacked table."""

    def units(self, *names: str) -> list[np.ndarray]:
        """The named per-unit arrays of `Forces`, each (B, units): copies, but for a batch of one,
        which reads its own arrays through a view (read them before the phase changes them)."""
        if self.size == 1:
            f = self.first.forces
            return [getattr(f, name)[None] for name in names]
        return [np.stack([getattr(bf.forces, name) for bf in self.bfs]) for name in names]

    def each(self, get: Callable[[Battlefield], object]) -> np.ndarray:
        """`get` of every battlefield, stacked: (B,) for numbers, (B, ...) for arrays."""
        if self.size == 1:
            return np.asarray(get(self.first))[None]
        return np.stack([np.asarray(get(bf)) for bf in self.bfs])

    def column(self, get: Callable[[Battlefield], float]) -> np.ndarray:
        """A number of each battlefield (a parameter, the turn's weather) as a (B, 1) column."""
        return np.array([float(get(bf)) for bf in self.bfs])[:, None]

    def positions(self, hexes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x and y (km on the map's plane) of stacked hex indices (the map is shared)."""
        hm = self.first.hexmap
        return hm.x[hexes], hm.y[hexes]

    def lookup(self, tables: np.ndarray, index) -> np.ndarray:
        """`tables[b][index[b]]` for every replication b: a stack of tables read at stacked indices
        (`index` one (B, ...) array, or a tuple of them for a table of several axes)."""
        index = index if isinstance(index, tuple) else (index,)
        depth = max(np.ndim(i) for i in index)
        return tables[(self.rows.reshape((-1,) + (1,) * (depth - 1)), *index)]
