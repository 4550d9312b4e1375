"""The hex grid as a Mesa space: `GeoHexGrid`, Mesa's HexGrid with correctly connected cells.

Only the Mesa shell (`sim.model`) and the classroom app use it; the rules and the
phases work on the flat arrays of `sim.battle.geography.HexMap`, which lays its
hexes out exactly as this grid does (odd-r offsets, `col * rows + row`).
"""

from __future__ import annotations

import functools

import numpy as np
from mesa.discrete_space import HexGrid
from scipy.spatial import cKDTree

from sim.battle.geography import EVEN_ROW_OFFSETS, ODD_ROW_OFFSETS


class GeoHexGrid(HexGrid):
    """Mesa's HexGrid with each cell connected to the six cells its position touches.

    Mesa 3.5.1 connects odd and even rows with each other's offsets (mesa PR #3773), so
    `cell.neighborhood` disagrees with `cell.position`. This subclass replaces only the
    connection step, with the odd-r offsets of `hex_neighbours`, and sets each cell's
    connections at once (Mesa's per-neighbour `connect` clears caches six times a cell).
    """

    def _connect_cells_2d(self) -> None:
        if self.torus:
            raise ValueError("GeoHexGrid maps real ground and does not wrap")
        cells = self._cells
        for coordinate, links in _connection_table(*self.dimensions):
            cell = cells[coordinate]
            cell.connections = {offset: cells[other] for offset, other in links}

    def _init_hex_geometry(self) -> None:
        """Mesa's cell positions (circumradius 1, odd rows shifted right), computed in one go."""
        coords = list(self._cells)
        col, row = np.array(coords).T
        positions = np.column_stack([np.sqrt(3.0) * (col + 0.5 * (row % 2)), 1.5 * row])
        for cell, position in zip(self._cells.values(), positions, strict=True):
            cell.position = position
        self._kdtree_coords = coords
        self._kdtree = cKDTree(positions)


@functools.cache
def _connection_table(cols: int, rows: int) -> tuple:
    """For every cell, its (offset, neighbour coordinate) pairs in the odd-r layout; built once per size."""
    table = []
    for col in range(cols):
        for row in range(rows):
            offsets = ODD_ROW_OFFSETS if row % 2 else EVEN_ROW_OFFSETS
            table.append(
                (
                    (col, row),
                    tuple(
                        ((dc, dr), (col + dc, row + dr))
                        for dc, dr in offsets
                        if 0 <= col + dc < cols and 0 <= row + dr < rows
                    ),
                )
            )
    return tuple(table)
