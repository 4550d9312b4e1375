"""The base map: hexes, frame, border, rivers, roads, settlements and their names, scale, graticule.

Shared by the study's maps (`sim.report.map_figures`) and the classroom app's
`MapPicture` (`sim.app.map`), which draw the same map at different sizes: each
drawing function takes the line widths and marker sizes as arguments, with the
study maps' values as defaults.

Maps are drawn on the model's own plane: x and y in km on the equal-area projection
of `sim.battle.geography`, north up, hexes pointy-top with circumradius hex_km / sqrt 3.
Labels are placed without overlaps by `place_labels`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from sim.battle.geography import HexMap
from sim.codes import RU, TERRAINS, UA
from sim.report.style import RIVER_COLOUR, ROAD_COLOURS, TERRAIN_COLOURS
from sim.scenario.mapfile import MapSpec

RIVER_WIDTHS = {"major": 2.6, "minor": 1.3}
"""Line width of a river on a study map, by size (points)."""
ROAD_WIDTHS = {"main": 2.4, "secondary": 1.2}
"""Line width of a road on a study map, by class (points)."""

_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]
"""A white outline that keeps text readable over hexes and lines."""


# --------------------------------------------------------------------------- geometry


def hex_polygons(hexmap: HexMap) -> np.ndarray:
    """(n, 6, 2) vertices of every hex in km: pointy-top, circumradius hex_km / sqrt 3."""
    angles = np.radians(30.0 + 60.0 * np.arange(6))
    r = hexmap.circumradius_km
    corners = np.column_stack([np.cos(angles), np.sin(angles)]) * r
    centres = np.column_stack([hexmap.x, hexmap.y])
    return centres[:, None, :] + corners[None, :, :]


def hex_boundary(hexmap: HexMap, values: np.ndarray) -> np.ndarray:
    """(k, 2, 2) hex edges between neighbouring hexes whose `values` differ."""
    values = np.asarray(values)
    i, k = np.nonzero(hexmap.neighbours >= 0)
    j = hexmap.neighbours[i, k]
    keep = (j > i) & (values[i] != values[j])
    i, j = i[keep], j[keep]
    if i.size == 0:
        return np.empty((0, 2, 2))
    ci = np.column_stack([hexmap.x[i], hexmap.y[i]])
    cj = np.column_stack([hexmap.x[j], hexmap.y[j]])
    mid = (ci + cj) / 2
    d = (cj - ci) / np.linalg.norm(cj - ci, axis=1, keepdims=True)
    half = np.column_stack([-d[:, 1], d[:, 0]]) * hexmap.circumradius_km / 2  # an edge is r long
    return np.stack([mid - half, mid + half], axis=1)


def project(hexmap: HexMap, points: Sequence[Sequence[float]]) -> np.ndarray:
    """(n, 2) km coordinates of `(lat, lon)` points on the map's plane."""
    pts = np.asarray(points, dtype=float)
    x, y = hexmap.projection.forward(pts[:, 0], pts[:, 1])
    return np.column_stack([x, y])


def settlement_xy(hexmap: HexMap, settlement) -> tuple[float, float]:
    """Where a settlement of the map lies on the plane (km), from its latitude and longitude."""
    return hexmap.projection.forward(settlement.lat, settlement.lon)


def settlements_by_importance(hexmap: HexMap) -> list:
    """The map's settlements, objectives of most value first, then the most populous: the order
    markers are drawn and names placed in, so that the important names get the best places."""
    return sorted(hexmap.settlements, key=lambda s: (-s.value, -s.population))


# --------------------------------------------------------------------------- layers


def map_frame(ax: Axes, hexmap: HexMap, *, axis_labels: bool = True) -> None:
    """The whole map, one hex of margin, km equal in x and y; the axes named unless `axis_labels` is off."""
    r = hexmap.circumradius_km
    ax.set_xlim(hexmap.x.min() - r, hexmap.x.max() + r)
    ax.set_ylim(hexmap.y.min() - r, hexmap.y.max() + r)
    ax.set_aspect("equal")
    if axis_labels:
        ax.set_xlabel("km east of the map centre")
        ax.set_ylabel("km north of the map centre")


def draw_hexes(ax: Axes, hexmap: HexMap, facecolors, *, edgecolor="face", linewidth=0.3, gid=None):
    """Every hex, filled with `facecolors` (one per hex); returns the collection, to recolour later."""
    collection = PolyCollection(
        hex_polygons(hexmap),
        facecolors=facecolors,
        edgecolors=edgecolor,
        linewidths=linewidth,
        gid=gid,
        zorder=1,
    )
    ax.add_collection(collection)
    return collection


def terrain_handles() -> list[Patch]:
    """Legend entries of the terrain colours."""
    return [
        Patch(facecolor=c, edgecolor="0.6", label=name)
        for c, name in zip(TERRAIN_COLOURS, TERRAINS, strict=True)
    ]


def graticule(ax: Axes, hexmap: HexMap, step: float = 0.1) -> None:
    """Light lines of latitude and longitude, labelled at the left and bottom edges."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lats = np.arange(np.ceil(hexmap.lat.min() / step) * step, hexmap.lat.max(), step)
    lons = np.arange(np.ceil(hexmap.lon.min() / step) * step, hexmap.lon.max(), step)
    t = np.linspace(0, 1, 60)
    style = {"color": "0.25", "linewidth": 0.5, "linestyle": ":", "zorder": 2}
    text = {"fontsize": 8, "color": "0.25", "path_effects": _HALO, "zorder": 6, "gid": "graticule"}
    lon_span = (hexmap.lon.min() - 0.1, hexmap.lon.max() + 0.1)
    lat_span = (hexmap.lat.min() - 0.1, hexmap.lat.max() + 0.1)
    for lat in lats:
        x, y = hexmap.projection.forward(np.full(t.size, lat), lon_span[0] + t * (lon_span[1] - lon_span[0]))
        ax.plot(x, y, **style)
        y_left = float(np.interp(x0, x, y))
        if y0 < y_left < y1:
            ax.text(x0 + 0.005 * (x1 - x0), y_left, f"{lat:.1f}°N", va="bottom", ha="left", **text)
    for lon in lons:
        x, y = hexmap.projection.forward(lat_span[0] + t * (lat_span[1] - lat_span[0]), np.full(t.size, lon))
        ax.plot(x, y, **style)
        x_bottom = float(np.interp(y0, y, x))
        if x0 < x_bottom < x1:
            ax.text(x_bottom, y0 + 0.005 * (y1 - y0), f"{lon:.1f}°E", va="bottom", ha="left", **text)


def draw_rivers(ax: Axes, hexmap: HexMap, map_spec: MapSpec, widths=RIVER_WIDTHS) -> None:
    """The map file's rivers, `widths[size]` points wide."""
    for river in map_spec.rivers:
        xy = project(hexmap, river.points)
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color=RIVER_COLOUR,
            linewidth=widths[river.size],
            zorder=3,
            solid_capstyle="round",
        )


def draw_roads(ax: Axes, hexmap: HexMap, map_spec: MapSpec, widths=ROAD_WIDTHS) -> None:
    """The map file's roads, coloured by class and `widths[class]` points wide."""
    for road in map_spec.roads:
        xy = project(hexmap, road.points)
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color=ROAD_COLOURS[road.road_class],
            linewidth=widths[road.road_class],
            zorder=3,
            solid_capstyle="round",
        )


def draw_border(ax: Axes, hexmap: HexMap, map_spec: MapSpec | None) -> Line2D:
    """The state border (the map file's line, else the hex edges between countries); its legend entry."""
    style = {"color": "black", "linestyle": "-.", "linewidth": 1.6, "zorder": 5}
    if map_spec is not None:
        xy = project(hexmap, map_spec.border.points)
        ax.plot(xy[:, 0], xy[:, 1], **style)
    else:
        segments = hex_boundary(hexmap, hexmap.country)
        ax.add_collection(
            LineCollection(
                segments,
                colors=style["color"],
                linestyles=style["linestyle"],
                linewidths=style["linewidth"],
                zorder=5,
            )
        )
    return Line2D([], [], label="state border", **style)


def draw_settlements(
    ax: Axes, hexmap: HexMap, sites, *, size: float = 3, size_per_decade: float = 1.2, edge_width: float = 0.8
) -> None:
    """A black dot per settlement, bigger for a bigger place: `size + size_per_decade * log10(population)`."""
    for s in sites:
        x, y = settlement_xy(hexmap, s)
        markersize = size + size_per_decade * math.log10(max(s.population, 10))
        ax.plot(
            x,
            y,
            "o",
            color="black",
            markersize=markersize,
            markeredgecolor="white",
            markeredgewidth=edge_width,
            zorder=6,
        )


# --------------------------------------------------------------------------- scale and names


def scale_bar(ax: Axes, hexmap: HexMap) -> None:
    """A bar of a round number of km with a north arrow beside it, on a small white box (gid
    `OBSTACLE_GID`) that keeps them readable over lines and clear of names: in the lower right
    corner, or the first other corner where the box covers no settlement."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = next((s for s in (50, 20, 10, 5, 2, 1) if s <= width / 5), 1)
    box_w, box_h = length + 0.075 * width, 0.085 * height
    margin_x, margin_y = 0.015 * width, 0.015 * height
    sites = np.array([settlement_xy(hexmap, s) for s in hexmap.settlements]).reshape(-1, 2)
    corners = [
        (x1 - margin_x - box_w, y0 + margin_y),
        (x0 + margin_x, y0 + margin_y),
        (x1 - margin_x - box_w, y1 - margin_y - box_h),
        (x0 + margin_x, y1 - margin_y - box_h),
    ]

    def covered(corner) -> int:
        bx, by = corner
        inside = (
            (sites[:, 0] > bx) & (sites[:, 0] < bx + box_w) & (sites[:, 1] > by) & (sites[:, 1] < by + box_h)
        )
        return int(inside.sum())

    bx, by = min(corners, key=covered)  # min keeps the first of equals: lower right when free
    ax.add_patch(
        FancyBboxPatch(
            (bx, by),
            box_w,
            box_h,
            boxstyle="round,pad=0,rounding_size=0.3",
            facecolor="white",
            edgecolor="0.6",
            linewidth=0.6,
            alpha=0.9,
            zorder=6,
            gid=OBSTACLE_GID,
        )
    )
    for t in ax.texts:  # a graticule label the box would cover goes
        tx, ty = t.get_position()
        if (
            t.get_gid() == "graticule"
            and bx - 0.06 * width < tx < bx + box_w
            and by - 0.03 * height < ty < by + box_h
        ):
            t.set_visible(False)
    right, bottom = bx + box_w - 0.01 * width, by + 0.022 * height
    ax.plot(
        [right - length, right],
        [bottom, bottom],
        color="black",
        linewidth=4,
        solid_capstyle="butt",
        zorder=6.5,
    )
    ax.text(
        right - length / 2,
        bottom + 0.012 * height,
        f"{length} km",
        ha="center",
        va="bottom",
        fontsize=10,
        zorder=6.5,
    )
    north = bx + 0.03 * width
    ax.annotate(
        "",
        xy=(north, by + 0.06 * height),
        xytext=(north, by + 0.012 * height),
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5},
        zorder=6.5,
    )
    ax.text(
        north, by + 0.061 * height, "N", ha="center", va="bottom", fontsize=11, fontweight="bold", zorder=6.5
    )


FRONT_STYLE = {"color": "black", "linestyle": "--", "linewidth": 1.6}
"""The front line on every map, the study's and the app's: black, dashed."""


def draw_front_line(ax: Axes, hexmap: HexMap, control, label: str = "front line") -> Line2D:
    """The hex edges between the two sides' ground, in `FRONT_STYLE`; its legend entry."""
    segments = hex_boundary(hexmap, np.asarray(control))
    ax.add_collection(
        LineCollection(
            segments,
            colors=FRONT_STYLE["color"],
            linestyles=FRONT_STYLE["linestyle"],
            linewidths=FRONT_STYLE["linewidth"],
            zorder=5,
            gid="front",
        )
    )
    return Line2D([], [], label=label, **FRONT_STYLE)


def country_labels(ax: Axes, hexmap: HexMap, *, fontsize: float = 13) -> list:
    """RUSSIA and UKRAINE, spaced out, each where its country has the most room; returns the texts."""
    texts = []
    for code, name in ((RU, "R U S S I A"), (UA, "U K R A I N E")):
        point = _interior_point(hexmap, hexmap.country == code)
        if point is not None:
            texts.append(
                ax.text(
                    *point,
                    name,
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="0.35",
                    alpha=0.8,
                    path_effects=_HALO,
                    zorder=4,
                )
            )
    return texts


def _interior_point(hexmap: HexMap, mask: np.ndarray) -> tuple[float, float] | None:
    """The centre of the hex of `mask` farthest from the map edge, other hexes and settlements."""
    if not mask.any():
        return None
    x, y = hexmap.x[mask], hexmap.y[mask]
    # text is wider than tall: an edge to the left or right counts at a third of its distance
    clearance = np.minimum.reduce(
        [(x - hexmap.x.min()) / 3, (hexmap.x.max() - x) / 3, y - hexmap.y.min(), hexmap.y.max() - y]
    )
    sites = np.array([settlement_xy(hexmap, s) for s in hexmap.settlements]).reshape(-1, 2)
    outside = np.vstack([np.column_stack([hexmap.x[~mask], hexmap.y[~mask]]), sites])
    if len(outside):
        from scipy.spatial import cKDTree

        distance, _ = cKDTree(outside).query(np.column_stack([x, y]))
        clearance = np.minimum(clearance, distance)
    best = int(np.argmax(clearance))
    return float(x[best]), float(y[best])


def label_settlements(
    ax: Axes,
    hexmap: HexMap,
    sites,
    *,
    avoid: Sequence = (),
    fontsize: float = 9,
    marker_pt: float = 4.0,
    obstacles: Sequence[tuple[float, float, float]] = (),
) -> list:
    """Name `sites` in their order (see `place_labels`); objectives always, in bold."""
    points = []
    for s in sites:
        x, y = settlement_xy(hexmap, s)
        points.append((float(x), float(y), s.name, s.value > 0))
    return place_labels(ax, points, fontsize=fontsize, avoid=avoid, marker_pt=marker_pt, obstacles=obstacles)


LABEL_DISTANCES_PT = (3.0, 9.0, 16.0, 26.0, 38.0, 52.0)
"""How far (points) from its place a name may stand, nearest first; beyond the second, a leader line."""

LABEL_DIRECTIONS = 16
"""Directions tried at each distance, east first, then round the compass."""

LABEL_SHRINK = 0.85
"""A must-show name that fits nowhere is tried again at this share of the font size (twice)."""

OBSTACLE_GID = "map-key"
"""Artists with this gid (the scale bar's box) are kept clear of by every name."""


def _candidates() -> list[tuple[tuple[float, float], str, str, bool]]:
    """(offset in points, ha, va, leader) for every distance and direction, nearest first; at each
    distance the four sides before the diagonals."""
    out = []
    order = sorted(range(LABEL_DIRECTIONS), key=lambda k: (k % (LABEL_DIRECTIONS // 4) != 0, k))
    for d in LABEL_DISTANCES_PT:
        for k in order:
            angle = 2 * math.pi * k / LABEL_DIRECTIONS
            dx, dy = math.cos(angle), math.sin(angle)
            ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
            va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
            out.append(((dx * d, dy * d), ha, va, d > LABEL_DISTANCES_PT[1]))
    return out


def words_extent(text: Text, renderer=None) -> Bbox:
    """The window extent of a text's words: for an annotation, without its leader line."""
    renderer = renderer or text.get_figure(root=True).canvas.get_renderer()
    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def text_boxes(ax: Axes, renderer=None, *, exclude: Sequence = ()) -> list[Bbox]:
    """Window extents of every text on `ax` (names, scale, graticule, country names) and of the
    map key's box: what a new name must keep clear of."""
    renderer = renderer or ax.get_figure(root=True).canvas.get_renderer()
    skip = {id(a) for a in exclude}
    boxes = [
        words_extent(t, renderer)
        for t in ax.texts
        if id(t) not in skip and t.get_visible() and t.get_text().strip()
    ]
    boxes += [p.get_window_extent(renderer) for p in ax.patches if p.get_gid() == OBSTACLE_GID]
    return boxes


def place_labels(
    ax: Axes,
    points: Sequence[tuple[float, float, str, bool]],
    *,
    fontsize: float = 9,
    avoid: Sequence = (),
    marker_pt: float = 4.0,
    obstacles: Sequence[tuple[float, float, float]] = (),
) -> list:
    """Name points without overlaps: try 16 directions at 6 distances, keep the first that fits.

    `points` are `(x, y, text, must_show)` in placing order. A name never overlaps another
    text of the axes (names placed before it, the scale, graticule and country names, the
    map key), another place's marker or an `obstacles` marker (`(x, y, radius in points)`, e.g.
    units), and stays inside the frame. A `must_show` name that fits nowhere is tried again
    smaller; any other is dropped. `avoid` are further artists to keep clear of.
    Returns the text artists kept.
    """
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()  # settle the layout so that sizes in pixels are final
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72.0
    taken = text_boxes(ax, renderer) + [a.get_window_extent(renderer) for a in avoid]
    markers = []
    for x, y, _, _ in points:  # every marker, so that no name covers another place's dot
        cx, cy = ax.transData.transform((x, y))
        m = marker_pt * px_per_pt
        markers.append(Bbox([[cx - m, cy - m], [cx + m, cy + m]]))
    for x, y, radius in obstacles:
        cx, cy = ax.transData.transform((x, y))
        m = radius * px_per_pt
        taken.append(Bbox([[cx - m, cy - m], [cx + m, cy + m]]))
    candidates = _candidates()
    kept = []
    for i, (x, y, text, must_show) in enumerate(points):
        own = markers[i]
        # markers of places in the same spot are shared, not obstacles
        others = taken + [m for j, m in enumerate(markers) if j != i and not m.overlaps(own)]
        style = {"fontweight": "bold" if must_show else "normal"}
        probe = ax.annotate(
            text, (x, y), xytext=(0, 0), textcoords="offset points", path_effects=_HALO, zorder=7, **style
        )
        chosen = None
        for size in (fontsize, fontsize * LABEL_SHRINK, fontsize * LABEL_SHRINK**2)[: 3 if must_show else 1]:
            probe.set_fontsize(size)
            for offset, ha, va, leader in candidates:
                probe.xyann = offset
                probe.set_ha(ha)
                probe.set_va(va)
                box = probe.get_window_extent(renderer).padded(1.5)
                if not (
                    frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                ):
                    continue
                if _overlaps(box, others):
                    continue
                chosen = (offset, ha, va, leader, size, probe.get_window_extent(renderer))
                break
            if chosen is not None:
                break
        probe.remove()
        if chosen is None:
            continue
        offset, ha, va, leader, size, box = chosen
        label = _label(ax, text, (x, y), offset, ha, va, leader, fontsize=size, **style)
        taken.append(box)
        kept.append(label)
    return kept


def _overlaps(box: Bbox, others: list[Bbox]) -> bool:
    return any(box.overlaps(o) for o in others)


def _label(ax: Axes, text: str, xy, offset, ha: str, va: str, leader: bool, **style):
    """A name beside a point, `offset` points away; a thin leader line when it is far."""
    arrow = {"arrowstyle": "-", "color": "0.3", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2}
    return ax.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        path_effects=_HALO,
        zorder=7,
        arrowprops=arrow if leader else None,
        **style,
    )
