"""Geodesy on a spherical Earth: projection, areas, point-in-polygon, polyline sampling.

The hex grid lives on a plane made by the Lambert azimuthal equal-area projection
centred on the map box. Equal-area matters: the area a hex covers on the plane is
the area it covers on the ground, so counting hexes measures km² honestly. Over a
60 km box the shape distortion is far below a hex width.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius."""


class EqualAreaProjection:
    """Spherical Lambert azimuthal equal-area projection (Snyder 1987, eqs. 24-2, 24-3)."""

    def __init__(self, lat0: float, lon0: float, radius_km: float = EARTH_RADIUS_KM):
        self.lat0, self.lon0, self.radius = lat0, lon0, radius_km
        self._sin0 = np.sin(np.radians(lat0))
        self._cos0 = np.cos(np.radians(lat0))

    def forward(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """Degrees -> (x east, y north) in km."""
        phi = np.radians(np.asarray(lat, dtype=float))
        dlam = np.radians(np.asarray(lon, dtype=float) - self.lon0)
        cos_c = self._sin0 * np.sin(phi) + self._cos0 * np.cos(phi) * np.cos(dlam)
        k = np.sqrt(2.0 / (1.0 + cos_c))
        x = self.radius * k * np.cos(phi) * np.sin(dlam)
        y = self.radius * k * (self._cos0 * np.sin(phi) - self._sin0 * np.cos(phi) * np.cos(dlam))
        return x, y

    def inverse(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) km -> (lat, lon) degrees."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        rho = np.hypot(x, y)
        c = 2.0 * np.arcsin(np.clip(rho / (2.0 * self.radius), -1.0, 1.0))
        sin_c, cos_c = np.sin(c), np.cos(c)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(rho > 0, y * sin_c * self._cos0 / np.where(rho > 0, rho, 1.0), 0.0)
        phi = np.arcsin(np.clip(cos_c * self._sin0 + ratio, -1.0, 1.0))
        lam = np.arctan2(x * sin_c, rho * self._cos0 * cos_c - y * self._sin0 * sin_c)
        return np.degrees(phi), self.lon0 + np.degrees(lam)


def spherical_polygon_area_km2(latlon, radius_km: float = EARTH_RADIUS_KM) -> float:
    """Area of a simple polygon on the sphere, from its [lat, lon] vertices.

    Uses the line-integral formula A = R^2 / 2 |sum (lon[i+1] - lon[i-1]) sin(lat[i])|
    (Chamberlain & Duquette, JPL Publication 07-03, 2007), independent of any
    projection, so it can check the hex-count area.
    """
    pts = np.radians(np.asarray(latlon, dtype=float))
    lat, lon = pts[:, 0], pts[:, 1]
    total = np.sum((np.roll(lon, -1) - np.roll(lon, 1)) * np.sin(lat))
    return float(abs(total) * radius_km**2 / 2.0)


def points_in_polygon(px, py, poly_x, poly_y) -> np.ndarray:
    """Boolean mask of the points (px, py) inside the polygon (vectorised).

    The crossing-number test (Shimrat 1962, as in Haines, "Point in polygon strategies",
    Graphics Gems IV, 1994): a point is inside when a ray from it to the east crosses the
    polygon's edges an odd number of times. The polygon closes itself (last vertex to first).
    """
    x = np.ravel(np.asarray(px, dtype=float))
    y = np.ravel(np.asarray(py, dtype=float))
    x0, y0 = np.asarray(poly_x, dtype=float), np.asarray(poly_y, dtype=float)
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    inside = np.zeros(x.size, dtype=bool)
    chunk = max(1, 2_000_000 // max(x0.size, 1))  # bounded memory for long borders
    for start in range(0, x.size, chunk):
        cx, cy = x[start : start + chunk, None], y[start : start + chunk, None]
        straddles = (y0 <= cy) != (y1 <= cy)  # the edge crosses the horizontal through the point
        with np.errstate(divide="ignore", invalid="ignore"):
            meets = x0 + (cy - y0) * (x1 - x0) / (y1 - y0)  # where it crosses (edges that straddle)
        inside[start : start + chunk] = np.count_nonzero(straddles & (cx < meets), axis=1) % 2 == 1
    return inside.reshape(np.shape(px))


def sample_polyline(xs, ys, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Points along a polyline no further apart than `step` (same units as xs, ys)."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    out_x, out_y = [xs[:1]], [ys[:1]]
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:], strict=True):
        n = max(1, int(np.ceil(np.hypot(x1 - x0, y1 - y0) / step)))
        t = np.arange(1, n + 1) / n
        out_x.append(x0 + (x1 - x0) * t)
        out_y.append(y0 + (y1 - y0) * t)
    return np.concatenate(out_x), np.concatenate(out_y)
