"""Several battlefields side by side, for a phase that plays them in lock-step.

A phase written for many battlefields at once (`run_many`) reads each one's arrays
stacked along a new leading axis, the replication, works on them together, and writes
each one's share back. Every replication keeps the shapes it has alone (all of its units,
hexes and pairs, the absent ones masked out rather than dropped), so no sum or draw of
one replication depends on how many others share the batch (`sim.engine.play_turns`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

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


class SharedRows:
    """Battlefields that play in lock-step with their per-unit arrays in one home: for each field of
    `Forces`, a (B, units, ...) array whose row b *is* battlefield b's array (a view), so a phase
    reads the whole group's array without copying it. A phase writes a battlefield's arrays in
    place (`f.ammo[:] = ...`); were one replaced by a new array, `Stacked` would notice and copy."""

    def __init__(self, bfs: list[Battlefield]) -> None:
        # the battlefields by identity only: they point here, and a reference back would make a
        # cycle that only the cyclic collector could free
        self.members = [id(bf) for bf in bfs]
        self.arrays: dict[str, np.ndarray] = {}
        self.rows: dict[str, list[np.ndarray]] = {}
        for spec in fields(bfs[0].forces):
            values = [getattr(bf.forces, spec.name) for bf in bfs]
            if not isinstance(values[0], np.ndarray):
                continue
            group = np.stack(values)
            rows = list(group)  # each a view of its row
            for bf, row in zip(bfs, rows, strict=True):
                setattr(bf.forces, spec.name, row)
            self.arrays[spec.name], self.rows[spec.name] = group, rows
        for bf in bfs:
            bf.lockstep = self

    @classmethod
    def share(cls, bfs: list[Battlefield]) -> None:
        """Give each group of battlefields that stack (`same_layout`) its shared rows."""
        for group in same_layout(bfs):
            if len(group) > 1:
                cls(group)

    def array(self, bfs: list[Battlefield], name: str) -> np.ndarray | None:
        """The group's array of `name` if `bfs` is this group, in order, and every battlefield's
        array is still its row; else None."""
        rows = self.rows.get(name)
        if rows is None or len(bfs) != len(self.members):
            return None
        for bf, mine, row in zip(bfs, self.members, rows, strict=True):
            if id(bf) != mine or getattr(bf.forces, name) is not row:
                return None
        return self.arrays[name]


class Stacked:
    """The arrays of battlefields that share a layout (`same_layout`), replication first."""

    def __init__(self, bfs: list[Battlefield]) -> None:
        self.bfs = bfs
        self.first = bfs[0]
        self.size = len(bfs)
        self.rows = np.arange(self.size)[:, None]
        """(B, 1) replication index, to pick each replication's entry of a stacked table."""

    def units(self, *names: str) -> list[np.ndarray]:
        """The named per-unit arrays of `Forces`, each (B, units): the group's own arrays where its
        battlefields share rows (`SharedRows`), a view for a batch of one, else copies. Read them
        before the phase changes them, and never write into them."""
        if self.size == 1:
            f = self.first.forces
            return [getattr(f, name)[None] for name in names]
        shared = self.first.lockstep
        out = []
        for name in names:
            group = shared.array(self.bfs, name) if shared is not None else None
            out.append(
                group if group is not None else np.stack([getattr(bf.forces, name) for bf in self.bfs])
            )
        return out

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
