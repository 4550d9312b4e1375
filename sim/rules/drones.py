"""Drones (phases 1 and 4): what a batch of sorties achieves against its targets.

Every sortie of a strike team against a target (a unit, or the traffic on a road
hex) goes through three independent draws, vectorised over all (team, target) pairs:

    jammed    ~ Binomial(sorties, p_jam)                 radio drones only
    reached   ~ Binomial(sorties - jammed, p_reach)      failures, snagged cables, errors
    hits      ~ Binomial(reached, p_hit)

Reconnaissance teams add their effort to their side's detection of enemy units in
range, scaled by the chance their radio link is not jammed over the target.
All draws are by inversion of one uniform each (`sim.rules.draws`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules import draws


@dataclass(frozen=True)
class SortieResult:
    """The counts of the (team, target) pairs that flew: `flown` their flat indices in a matrix of
    `shape`, and for each its jammed, reached and hit counts (every other pair is 0)."""

    shape: tuple[int, ...]
    flown: np.ndarray
    jammed_at: np.ndarray
    reached_at: np.ndarray
    hits_at: np.ndarray

    def _dense(self, counts: np.ndarray) -> np.ndarray:
        out = np.zeros(self.shape, dtype=np.int64)
        out.ravel()[self.flown] = counts
        return out

    @property
    def jammed(self) -> np.ndarray:
        return self._dense(self.jammed_at)

    @property
    def reached(self) -> np.ndarray:
        return self._dense(self.reached_at)

    @property
    def hits(self) -> np.ndarray:
        return self._dense(self.hits_at)

    def summed(self, counts: np.ndarray, over: int, weight=None) -> np.ndarray:
        """The matrix of `counts` (one of `jammed_at`, `hits_at`, ...), times `weight` (broadcast to the
        matrix) if given, summed over axis `over`: the same numbers as the dense sum, added in the
        same order, without building the matrix."""
        where = np.unravel_index(self.flown, self.shape)
        kept = [axis for axis in range(len(self.shape)) if axis != over % len(self.shape)]
        shape = tuple(self.shape[axis] for axis in kept)
        values = counts if weight is None else counts * np.broadcast_to(weight, self.shape)[where]
        index = np.ravel_multi_index(tuple(where[axis] for axis in kept), shape)
        total = np.bincount(index, weights=values, minlength=int(np.prod(shape))).reshape(shape)
        return total if weight is not None else total.astype(np.int64)


def fly(sorties: np.ndarray, p_jam: np.ndarray, p_reach: np.ndarray, p_hit: np.ndarray, u) -> SortieResult:
    """Draw jammed, reached and hit counts for a (teams, targets) matrix of sorties.

    `u` is (3, teams, targets): one uniform per pair for each of the three draws.
    """
    return fly_many([(sorties, p_jam, p_reach, p_hit, u)])[0]


def fly_many(batches: list[tuple]) -> list[SortieResult]:
    """`fly` for several (sorties, p_jam, p_reach, p_hit, u) matrices at once (sorties at units and
    at roads, of every replication played together): each pair still draws from its own uniforms,
    in three calls for all of them."""
    shapes, picked = [], []
    for sorties, p_jam, p_reach, p_hit, u in batches:
        sorties = np.asarray(sorties, dtype=np.int64)
        shape = sorties.shape
        # only the pairs that fly a sortie are drawn for (most pairs fly none); each draw is
        # elementwise, so working on those pairs alone gives the same counts as the whole matrix
        flown = np.flatnonzero(sorties)
        shapes.append((shape, flown))
        where = np.unravel_index(flown, shape)  # read broadcast chances in place, without copying them whole
        picked.append(
            (
                sorties.ravel()[flown],
                [
                    p.ravel()[flown] if np.shape(p) == shape else np.broadcast_to(p, shape)[where]
                    for p in (p_jam, p_reach, p_hit)
                ],
                [u[draw][where] for draw in range(3)],
            )
        )
    sizes = np.cumsum([0, *(flown.size for _, flown in shapes)])
    counts = [[np.zeros(flown.size, dtype=np.int64) for _ in range(3)] for _, flown in shapes]
    if sizes[-1]:
        n = np.concatenate([pick[0] for pick in picked])
        for draw in range(3):
            p = np.concatenate([pick[1][draw] for pick in picked])
            got = draws.binomial(
                np.concatenate([pick[2][draw] for pick in picked]), n, np.minimum(np.maximum(p, 0.0), 1.0)
            )
            for k in range(len(shapes)):
                counts[k][draw] = got[sizes[k] : sizes[k + 1]]
            n = n - got if draw == 0 else got  # the jammed fall out; the reached may hit
    return [
        SortieResult(shape, flown, jammed, reached, hits)
        for (shape, flown), (jammed, reached, hits) in zip(shapes, counts, strict=True)
    ]


def recon_effort(per_target: np.ndarray, reach: np.ndarray, p_jam: np.ndarray) -> np.ndarray:
    """Extra detection effort on each target: the effort each recon team in reach spends there
    (its search spread over its area), times the chance its link is not jammed over the target."""
    return (np.asarray(per_target)[..., :, None] * reach * (1.0 - np.asarray(p_jam))).sum(axis=-2)


def interdiction_after(current: np.ndarray, hits: np.ndarray, per_hit: float) -> np.ndarray:
    """Share of a road hex's throughput lost after `hits` more hits on its traffic."""
    return 1.0 - (1.0 - np.asarray(current)) * (1.0 - per_hit) ** np.asarray(hits)
