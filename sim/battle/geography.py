"""From a map file in lat/lon to a hex map: terrain, roads, rivers, settlements, control.

`build_hexmap` projects the map onto an equal-area plane, lays pointy-top hexes of
the scenario's size over it in the same odd-row-offset layout as Mesa's `HexGrid`
(`sim.grid`), and rasterises every feature onto them. The result is a set of flat
NumPy arrays, one value per hex, indexed `col * rows + row` (the C order of a Mesa
property layer's `data[col, row]`). The Mesa model copies them into property
layers; the rules work on the flat arrays. Nothing here needs Mesa.

Hex maps depend only on the map, the hex size and the urban threshold, so they are
cached per process: a batch of a thousand runs builds the map once per worker.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

import numpy as np

from sim.battle.geodesy import EqualAreaProjection, points_in_polygon, sample_polyline
from sim.caching import BoundedCache
from sim.codes import RIVER_SIZE, ROAD_CLASS, RU, UA, Terrain
from sim.scenario.mapfile import MapSpec

# odd-r offset neighbours: odd rows sit half a hex to the right, as in the cell positions
# of Mesa's HexGrid. (Mesa 3.5.1 connects its cells with the odd/even offsets swapped,
# mesa PR #3773, so the model uses this table, never `cell.neighborhood`.)
EVEN_ROW_OFFSETS = ((-1, -1), (0, -1), (-1, 0), (1, 0), (-1, 1), (0, 1))
ODD_ROW_OFFSETS = ((0, -1), (1, -1), (-1, 0), (1, 0), (0, 1), (1, 1))


@dataclass(frozen=True)
class SettlementSite:
    key: str
    name: str
    hex: int
    value: float
    population: int
    lat: float
    lon: float


@dataclass
class HexMap:
    """Per-hex arrays of one map at one hex size (flat index = col * rows + row)."""

    cols: int
    rows: int
    hex_km: float
    projection: EqualAreaProjection
    x: np.ndarray
    y: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    terrain: np.ndarray
    road: np.ndarray
    river: np.ndarray
    country: np.ndarray
    neighbours: np.ndarray
    road_edge: np.ndarray
    settlements: list[SettlementSite]
    settlement_at: np.ndarray
    lines_of_control: dict[str, np.ndarray] = field(default_factory=dict)
    _balls: dict[float, np.ndarray] = field(default_factory=dict, repr=False)
    _nearest: dict[tuple[float, float], int] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return self.cols * self.rows

    @functools.cached_property
    def neighbours_or_zero(self) -> np.ndarray:
        """The neighbour table with each missing neighbour (map edge) replaced by hex 0, for
        indexing; wherever it is used the result is masked by `neighbours >= 0`."""
        return np.where(self.neighbours >= 0, self.neighbours, 0)

    @property
    def hex_area_km2(self) -> float:
        """Area of one hex: (sqrt 3 / 2) x width², width measured across flats."""
        return float(np.sqrt(3.0) / 2.0 * self.hex_km**2)

    @property
    def circumradius_km(self) -> float:
        return self.hex_km / np.sqrt(3.0)

    def index(self, col: int, row: int) -> int:
        return col * self.rows + row

    def coord(self, index: int) -> tuple[int, int]:
        return divmod(int(index), self.rows)

    def distance(self, a, b) -> np.ndarray:
        """Hex steps between flat indices `a` and `b` (broadcast)."""
        return hex_distance(a, b, self.rows)

    def within_km(self, radius_km: float) -> np.ndarray:
        """(n, m) indices of the hexes whose centres lie within `radius_km` of each hex's centre
        (itself included), -1 padded; kept per radius."""
        key = round(float(radius_km), 9)
        cached = self._balls.get(key)
        if cached is None:
            reach = (key + 1e-6) ** 2
            rows = []
            for start in range(0, self.n, 256):  # a block of hexes at a time: bounded memory
                dx = self.x[start : start + 256, None] - self.x[None, :]
                dy = self.y[start : start + 256, None] - self.y[None, :]
                rows.extend(np.flatnonzero(row) for row in dx * dx + dy * dy <= reach)
            cached = np.full((self.n, max(row.size for row in rows)), -1, dtype=np.int64)
            for h, row in enumerate(rows):
                cached[h, : row.size] = row
            self._balls[key] = cached
        return cached

    def km_between(self, a, b) -> np.ndarray:
        """Distance in km between the centres of hexes `a` and `b` (broadcast)."""
        return np.hypot(self.x[a] - self.x[b], self.y[a] - self.y[b])

    def nearest_hex(self, lat: float, lon: float) -> int:
        """The hex whose centre is nearest the point (kept: every run places its units again)."""
        key = (float(lat), float(lon))
        found = self._nearest.get(key)
        if found is None:
            x, y = self.projection.forward(lat, lon)
            found = self._nearest[key] = int(np.argmin((self.x - x) ** 2 + (self.y - y) ** 2))
        return found

    def initial_control(self, line_of_control: str | None) -> np.ndarray:
        """Side controlling each hex at the start: UA inside the line (if any) or in Ukraine, else RU."""
        control = np.where(self.country == RU, RU, UA).astype(np.int8)
        if line_of_control is not None:
            control[self.lines_of_control[line_of_control]] = UA
        return control

    def russian_area_km2(self, held: np.ndarray) -> float:
        """km² of Russian territory among the hexes where `held` is true."""
        return float(np.count_nonzero(held & (self.country == RU))) * self.hex_area_km2


def hex_neighbours(cols: int, rows: int) -> np.ndarray:
    """(n, 6) neighbour indices in Mesa's odd-r layout; -1 off the map."""
    col, row = np.divmod(np.arange(cols * rows), rows)
    out = np.full((cols * rows, 6), -1, dtype=np.int32)
    odd = (row % 2).astype(bool)
    for k in range(6):
        dc = np.where(odd, ODD_ROW_OFFSETS[k][0], EVEN_ROW_OFFSETS[k][0])
        dr = np.where(odd, ODD_ROW_OFFSETS[k][1], EVEN_ROW_OFFSETS[k][1])
        c, r = col + dc, row + dr
        ok = (c >= 0) & (c < cols) & (r >= 0) & (r < rows)
        out[ok, k] = c[ok] * rows + r[ok]
    return out


def hex_distance(a, b, rows: int) -> np.ndarray:
    """Steps between hexes (flat indices, broadcastable) on Mesa's odd-r layout."""
    col_a, row_a = np.divmod(np.asarray(a), rows)
    col_b, row_b = np.divmod(np.asarray(b), rows)
    # odd-r offset -> axial coordinates (q, r); the third cube coordinate is -q-r
    q_a = col_a - (row_a - (row_a & 1)) // 2
    q_b = col_b - (row_b - (row_b & 1)) // 2
    dq, dr = q_a - q_b, row_a - row_b
    return np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr))


_HEXMAPS: BoundedCache[HexMap] = BoundedCache()

MAX_HEXES = 200_000
"""Most hexes a map is built with (the shipped map has under 20,000 at the smallest hex size)."""


def grid_shape(box, hex_km: float) -> tuple[int, int]:
    """The columns and rows `build_hexmap` lays over a map box at a hex size (the same arithmetic,
    without building anything), so that a box too small or too large is refused before a run."""
    proj = EqualAreaProjection((box.south + box.north) / 2, (box.west + box.east) / 2)
    t = np.linspace(0, 1, 50)
    with np.errstate(all="ignore"):
        wx, _ = proj.forward(box.south + t * (box.north - box.south), np.full(50, box.west))
        ex, _ = proj.forward(box.south + t * (box.north - box.south), np.full(50, box.east))
        _, sy = proj.forward(np.full(50, box.south), box.west + t * (box.east - box.west))
        _, ny = proj.forward(np.full(50, box.north), box.west + t * (box.east - box.west))
    x_min, x_max, y_min, y_max = wx.max(), ex.min(), sy.max(), ny.min()
    if not np.all(np.isfinite([x_min, x_max, y_min, y_max])):
        return 0, 0
    radius = hex_km / np.sqrt(3.0)
    cols = int(np.floor((x_max - x_min) / hex_km - 0.5))
    rows = int(np.floor((y_max - y_min - 2 * radius) / (1.5 * radius))) + 1
    return cols, rows


def nearest_centre(px, py, x0: float, y0: float, hex_km: float, cols: int, rows: int) -> np.ndarray:
    """The hex whose centre is nearest each point, on the grid whose hex 0 is centred at (x0, y0).

    Rows are 1.5 radii apart and a hex reaches one radius up and down, so the nearest centre lies
    in one of the two rows around the point, within one column of the point's own: of those six
    candidates the closest is taken (no search tree needed).
    """
    px, py = np.asarray(px, dtype=float), np.asarray(py, dtype=float)
    radius = hex_km / np.sqrt(3.0)
    r0 = np.clip(np.floor((py - y0) / (1.5 * radius)).astype(np.int64), 0, max(rows - 2, 0))
    best = np.full(px.shape, -1, dtype=np.int64)
    best_d = np.full(px.shape, np.inf)
    for r in (r0, np.minimum(r0 + 1, rows - 1)):
        c0 = np.rint((px - x0) / hex_km - 0.5 * (r % 2)).astype(np.int64)
        for c in (c0 - 1, c0, c0 + 1):
            c = np.clip(c, 0, cols - 1)
            cx = x0 + hex_km * (c + 0.5 * (r % 2))
            cy = y0 + 1.5 * radius * r
            d = (cx - px) ** 2 + (cy - py) ** 2
            closer = d < best_d
            best, best_d = np.where(closer, c * rows + r, best), np.where(closer, d, best_d)
    return best


def build_hexmap(
    spec: MapSpec, hex_km: float, urban_min_population: int, cache_key: str | None = None
) -> HexMap:
    """Rasterise a map at a hex size; cached per process when `cache_key` is given."""
    if cache_key is None:
        return _build(spec, hex_km, urban_min_population)
    return _HEXMAPS.get(
        (cache_key, hex_km, urban_min_population), lambda: _build(spec, hex_km, urban_min_population)
    )


def _build(spec: MapSpec, hex_km: float, urban_min_population: int) -> HexMap:
    box = spec.bbox
    proj = EqualAreaProjection((box.south + box.north) / 2, (box.west + box.east) / 2)

    # the largest axis-aligned rectangle inside the projected lat/lon box
    t = np.linspace(0, 1, 50)
    wx, _ = proj.forward(box.south + t * (box.north - box.south), np.full(50, box.west))
    ex, _ = proj.forward(box.south + t * (box.north - box.south), np.full(50, box.east))
    _, sy = proj.forward(np.full(50, box.south), box.west + t * (box.east - box.west))
    _, ny = proj.forward(np.full(50, box.north), box.west + t * (box.east - box.west))
    x_min, x_max, y_min, y_max = wx.max(), ex.min(), sy.max(), ny.min()

    radius = hex_km / np.sqrt(3.0)
    row_step = 1.5 * radius
    cols = int(np.floor((x_max - x_min) / hex_km - 0.5))
    rows = int(np.floor((y_max - y_min - 2 * radius) / row_step)) + 1
    if cols < 2 or rows < 2:
        raise ValueError(f"hex size {hex_km} km is too large for the map box")
    col, row = np.divmod(np.arange(cols * rows), rows)
    x = x_min + hex_km * (col + 0.5 + 0.5 * (row % 2))
    y = y_min + radius + row_step * row
    lat, lon = proj.inverse(x, y)
    neighbours = hex_neighbours(cols, rows)

    def nearest(px, py) -> np.ndarray:
        return nearest_centre(px, py, x[0], y[0], hex_km, cols, rows)

    def project(points):
        pts = np.asarray(points, dtype=float)
        return proj.forward(pts[:, 0], pts[:, 1])

    def inside(polygon) -> np.ndarray:
        px, py = project(polygon)
        return points_in_polygon(x, y, px, py)

    def trace(points) -> np.ndarray:
        """Hexes a polyline passes through, in order, without repeats in a row."""
        px, py = project(points)
        sx, sy_ = sample_polyline(px, py, hex_km / 6.0)
        keep = (
            (sx >= x_min - radius)
            & (sx <= x_max + radius)
            & (sy_ >= y_min - radius)
            & (sy_ <= y_max + radius)
        )
        if not keep.any():
            return np.empty(0, dtype=np.int64)
        idx = np.where(keep, nearest(sx, sy_), -1)
        changes = np.concatenate([[True], idx[1:] != idx[:-1]])
        return idx[changes]

    terrain = np.zeros(cols * rows, dtype=np.int8)
    for forest in spec.forests:
        terrain[inside(forest.polygon)] = Terrain.FOREST
    for marsh in spec.marshes:
        terrain[inside(marsh.polygon)] = Terrain.MARSH

    river = np.zeros(cols * rows, dtype=np.int8)
    for r in spec.rivers:
        path = trace(r.points)
        path = path[path >= 0]
        river[path] = np.maximum(river[path], RIVER_SIZE[r.size])

    road = np.zeros(cols * rows, dtype=np.int8)
    road_edge = np.zeros((cols * rows, 6), dtype=bool)
    for rd in spec.roads:
        path = trace(rd.points)
        on_map = path[path >= 0]
        road[on_map] = np.maximum(road[on_map], ROAD_CLASS[rd.road_class])
        for a, b in itertools.pairwise(path):
            if a < 0 or b < 0:
                continue
            ka = np.flatnonzero(neighbours[a] == b)
            kb = np.flatnonzero(neighbours[b] == a)
            if ka.size and kb.size:
                road_edge[a, ka[0]] = road_edge[b, kb[0]] = True

    # Russia lies north of the border: close the border line far outside the box to the north
    bx, by = project(spec.border.points)
    far = 10.0 * (x_max - x_min + y_max - y_min)
    poly_x = np.concatenate([[bx[0] - far], bx, [bx[-1] + far, bx[-1] + far, bx[0] - far]])
    poly_y = np.concatenate([[by[0]], by, [by[-1], by.max() + far, by.max() + far]])
    country = np.where(points_in_polygon(x, y, poly_x, poly_y), RU, UA).astype(np.int8)

    sites = []
    settlement_at = np.full(cols * rows, -1, dtype=np.int32)
    for s in spec.settlements:
        sx_, sy_ = proj.forward(s.lat, s.lon)
        h = int(nearest(np.atleast_1d(sx_), np.atleast_1d(sy_))[0])
        sites.append(SettlementSite(s.key, s.name, int(h), s.value, s.population, s.lat, s.lon))
        if s.population >= urban_min_population:
            terrain[h] = Terrain.URBAN
    # a hex holding several settlements is labelled with its most valuable one
    for i in sorted(range(len(sites)), key=lambda i: (sites[i].value, sites[i].population)):
        settlement_at[sites[i].hex] = i

    lines = {key: inside(loc.polygon) for key, loc in spec.lines_of_control.items()}

    return HexMap(
        cols=cols,
        rows=rows,
        hex_km=hex_km,
        projection=proj,
        x=x,
        y=y,
        lat=lat,
        lon=lon,
        terrain=terrain,
        road=road,
        river=river,
        country=country,
        neighbours=neighbours,
        road_edge=road_edge,
        settlements=sites,
        settlement_at=settlement_at,
        lines_of_control=lines,
    )
