"""Electronic warfare (phase 3): each side's jamming coverage as a per-hex layer.

A jammer of strength s and radius r jams a radio-controlled drone at distance d
with probability s x taper(d / r): 1 at the jammer, `edge` at the radius, linear in
between and 0 beyond. Jammers act independently, so a side's coverage of a hex is

    coverage = 1 - prod_j (1 - s_j taper(d_j / r_j))

computed for every hex and every jammer at once (a hexes x jammers array), never
with a loop over hexes. Fibre-optic drones ignore coverage.
"""

from __future__ import annotations

import numpy as np

from sim.codes import Role


def jammer_strength(role, active, vehicles, personnel, personnel0, nominal) -> np.ndarray:
    """Each jammer's strength now: its nominal strength times its crew left, nothing once wrecked
    (0 for units that are not jammers). Elementwise: any leading axes (replications) broadcast."""
    crew = personnel / np.maximum(personnel0, 1)
    return np.where((role == Role.JAMMER) & active & (vehicles > 0), nominal * crew, 0.0)


def taper(distance_over_radius: np.ndarray, edge: float) -> np.ndarray:
    """Relative strength at a distance (in radii): 1 at the centre, `edge` at the radius, 0 beyond."""
    d = np.asarray(distance_over_radius, dtype=float)
    return np.where(d <= 1.0, 1.0 - (1.0 - edge) * d, 0.0)


def coverage(
    hex_x: np.ndarray,
    hex_y: np.ndarray,
    jammer_x: np.ndarray,
    jammer_y: np.ndarray,
    radius_km: np.ndarray,
    strength: np.ndarray,
    edge: float,
) -> np.ndarray:
    """Chance that a radio drone over each hex is jammed by a side's jammers."""
    out = np.zeros(np.shape(hex_x))
    if np.size(jammer_x) == 0:
        return out
    radius = np.asarray(radius_km)
    # beyond every jammer's radius each factor is exactly 1 and the coverage exactly 0, so only
    # the hexes in the box the jammers reach are worked out (a front's jammers reach part of a map)
    near = np.flatnonzero(
        (hex_x >= (jammer_x - radius).min())
        & (hex_x <= (jammer_x + radius).max())
        & (hex_y >= (jammer_y - radius).min())
        & (hex_y <= (jammer_y + radius).max())
    )
    hx, hy = hex_x[near], hex_y[near]
    d = np.hypot(hx[:, None] - jammer_x[None, :], hy[:, None] - jammer_y[None, :])
    p = np.clip(strength, 0.0, 1.0)[None, :] * taper(d / radius[None, :], edge)
    out[near] = 1.0 - np.prod(1.0 - p, axis=1)
    return out


def jam_probability(enemy_cover, own_cover, fratricide, deconfliction) -> np.ndarray:
    """Chance a radio drone is jammed over a hex: enemy coverage, plus one's own if fratricide is on.
    Elementwise: `fratricide` and `deconfliction` may be numbers or columns (one per replication)."""
    own = np.where(fratricide, np.asarray(own_cover) * (1.0 - np.asarray(deconfliction)), 0.0)
    return 1.0 - (1.0 - np.asarray(enemy_cover)) * (1.0 - own)
