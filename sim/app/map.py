"""The browser app's map: the base map of `sim.report.maps`, with control and units redrawn each turn.

A `MapPicture` draws one hex map once, with the functions the study maps use:
terrain hexes, rivers, roads, the state border, settlements with their names
(placed without overlaps by `sim.report.maps.place_labels`) and a scale bar. Each
turn `MapPicture.png` only changes what moves: the hexes' control shading, the
front line and the units, then renders the figure to PNG bytes. Label placement,
the slow part, is done once per picture; a turn costs one Agg draw of a modest
figure (about a tenth of a second).

On screen the figure is all map, sized for a projector (names at 9 pt on a figure
about as wide as it is shown); its key is a picture of its own (`legend_png`).
`export_png` is the file a class takes away: the same map with a title (scenario,
turn, date, seed) above and the key below. Place names are drawn above the units,
on a white halo, so they stay readable where units crowd (around Sudzha).

The map is drawn in the model's own plane (km on the equal-area projection of
`sim.battle.geography`, odd rows half a hex to the right), the geometry the model's
neighbour table and distances use. That is why the app does not use Mesa's
`SpaceRenderer` for it: Mesa 3.5.1's hex drawer shifts the even rows instead and
knows no roads, rivers or place names.

Units are drawn by nation (colour) and kind (marker shape); the marker's area
grows with the unit's personnel, and the bar under it shows its strength (share
of its starting personnel). Units sharing a hex are fanned out inside it.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.battle.geography import HexMap
from sim.codes import NATIONS, RU, UA, UNIT_KINDS
from sim.report.map_figures import OTHER_MARKER, UNIT_MARKERS
from sim.report.maps import (
    country_labels,
    draw_border,
    draw_hexes,
    draw_rivers,
    draw_roads,
    draw_settlements,
    hex_boundary,
    label_settlements,
    map_frame,
    scale_bar,
    settlements_by_importance,
    terrain_handles,
)
from sim.report.style import RIVER_COLOUR, ROAD_COLOURS, SIDE_COLOURS, TERRAIN_COLOURS
from sim.scenario.mapfile import MapSpec

CONTROL_TINT = {UA: 0.30, RU: 0.22}
"""How strongly a hex is tinted with the colour of the side that holds it."""

HOME_TINT = 0.10
"""Tint of Ukrainian territory held by Ukraine: it is not in play, so it stays light."""

FRONT_COLOUR = "#1a1a1a"

FIG_WIDTH = 6.4
"""Width of the map figure (inches); its height follows the map's shape."""

DPI = 100

NAME_SIZE = 9.0
"""Place names (points): about 9 px on a 1024x768 projector, 11 px at 1280x720."""

NAME_ZORDER = 10
"""Names above units (zorder 8-9) and their strength bars."""

LEGEND_COLUMNS = 5

RIVER_WIDTHS = {"major": 2.0, "minor": 1.0}
ROAD_WIDTHS = {"main": 1.8, "secondary": 0.9}
"""Line widths (points): thinner than on a study's map, the app's figure being smaller."""


def _blend(base: np.ndarray, colour: str, alpha: np.ndarray) -> np.ndarray:
    """RGB rows of `base` mixed with `colour` by `alpha` (one value per row)."""
    return base * (1.0 - alpha[:, None]) + np.asarray(to_rgb(colour))[None, :] * alpha[:, None]


class MapPicture:
    """One hex map, drawn once; `png(model)` redraws control and units and returns PNG bytes."""

    def __init__(self, hexmap: HexMap, map_spec: MapSpec, *, width: float = FIG_WIDTH, dpi: int = DPI):
        self.hexmap = hexmap
        hm = hexmap
        r = hm.circumradius_km
        aspect = (hm.y.max() - hm.y.min() + 2 * r) / (hm.x.max() - hm.x.min() + 2 * r)
        self.fig = Figure(figsize=(width, width * aspect), dpi=dpi)
        FigureCanvasAgg(self.fig)
        # a fixed frame (no layout engine): every turn draws in the same place, and quickly
        ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.ax = ax
        map_frame(ax, hm, axis_labels=False)
        ax.set_xticks([])
        ax.set_yticks([])

        self._terrain_rgb = np.asarray([to_rgb(c) for c in TERRAIN_COLOURS])[hm.terrain]
        self.hexes = draw_hexes(
            ax, hm, self._terrain_rgb, edgecolor=(1, 1, 1, 0.45), linewidth=0.25, gid="hexes"
        )
        draw_rivers(ax, hm, map_spec, RIVER_WIDTHS)
        draw_roads(ax, hm, map_spec, ROAD_WIDTHS)
        border = draw_border(ax, hm, map_spec)

        self.front = LineCollection([], colors=FRONT_COLOUR, linewidths=1.8, zorder=5, gid="front")
        ax.add_collection(self.front)

        sites = settlements_by_importance(hm)
        draw_settlements(ax, hm, sites, size=2, size_per_decade=0.9, edge_width=0.6)

        # units: one collection per kind (a marker shape each), refilled every turn
        self.unit_markers = {
            kind: ax.scatter(
                [],
                [],
                marker=UNIT_MARKERS.get(kind, OTHER_MARKER),
                edgecolors="white",
                linewidths=0.7,
                zorder=8,
                gid=f"units-{kind}",
            )
            for kind in (*UNIT_KINDS, "")  # "": a kind this module does not know
        }
        self.bar_back = LineCollection([], colors="white", linewidths=3.2, zorder=8.5, capstyle="butt")
        self.bar_fill = LineCollection([], linewidths=1.8, zorder=9, capstyle="butt")
        ax.add_collection(self.bar_back)
        ax.add_collection(self.bar_fill)

        self.title = ax.set_title("", fontsize=11, loc="left")
        self.subtitle = ax.text(
            1.0, 1.01, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color="0.25"
        )

        self._border = border
        scale_bar(ax, hm)
        avoid = country_labels(ax, hm, fontsize=11)
        self.names = label_settlements(ax, hm, sites, avoid=avoid, fontsize=NAME_SIZE, marker_pt=3.0)
        for name in self.names:
            name.set_zorder(NAME_ZORDER)

    def _handles(self) -> list:
        """The key: terrain, control, lines, and units by nation and kind."""
        border = self._border
        grey = "0.35"
        handles = terrain_handles()
        handles += [
            Patch(facecolor=SIDE_COLOURS["UA"], alpha=0.45, label="held by Ukraine"),
            Patch(facecolor=SIDE_COLOURS["RU"], alpha=0.35, label="held by Russia"),
            Line2D([], [], color=FRONT_COLOUR, linewidth=1.8, label="front line"),
            border,
            Line2D([], [], color=RIVER_COLOUR, linewidth=1.6, label="river"),
            Line2D([], [], color=ROAD_COLOURS["main"], linewidth=1.8, label="main road"),
            Line2D([], [], color=ROAD_COLOURS["secondary"], linewidth=1, label="secondary road"),
            Line2D([], [], marker="o", linestyle="", color="black", markersize=4, label="settlement"),
        ]
        handles += [
            Line2D([], [], marker="s", linestyle="", color=SIDE_COLOURS[n], markersize=6, label=f"{n} unit")
            for n in NATIONS
        ]
        handles += [
            Line2D(
                [],
                [],
                marker=UNIT_MARKERS.get(k, OTHER_MARKER),
                linestyle="",
                color=grey,
                markersize=6,
                label=k.replace("_", " "),
            )
            for k in UNIT_KINDS
        ]
        handles.append(Line2D([], [], color=grey, linewidth=2.5, label="bar: strength"))
        return handles

    def _legend(self, fig: Figure, *, y: float = 0.0, fontsize: float = 8):
        return fig.legend(
            handles=self._handles(),
            loc="lower center",
            bbox_to_anchor=(0.5, y),
            ncol=LEGEND_COLUMNS,
            fontsize=fontsize,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.0,
            labelspacing=0.35,
        )

    def legend_png(self, width: float | None = None) -> bytes:
        """The map's key alone, as PNG bytes (shown under the map)."""
        width = width or self.fig.get_size_inches()[0]
        fig = Figure(figsize=(width, 1.25), dpi=self.fig.dpi)
        FigureCanvasAgg(fig)
        self._legend(fig, fontsize=8)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight", pad_inches=0.04)
        return buffer.getvalue()

    # ------------------------------------------------------------------ per turn

    def update(
        self, control: np.ndarray, units: dict[str, np.ndarray], title: str = "", subtitle: str = ""
    ) -> None:
        """Redraw what changes: control shading and front line, units, titles (none by default)."""
        hm = self.hexmap
        control = np.asarray(control)
        alpha = np.where(control == UA, CONTROL_TINT[UA], CONTROL_TINT[RU])
        alpha = np.where((control == UA) & (hm.country == UA), HOME_TINT, alpha)
        rgb = self._terrain_rgb.copy()
        for side, name in ((UA, "UA"), (RU, "RU")):
            mask = control == side
            rgb[mask] = _blend(self._terrain_rgb[mask], SIDE_COLOURS[name], alpha[mask])
        self.hexes.set_facecolor(rgb)
        self.front.set_segments(hex_boundary(hm, control))
        self._draw_units(units)
        self.title.set_text(title)
        self.subtitle.set_text(subtitle)

    def _draw_units(self, units: dict[str, np.ndarray]) -> None:
        hm = self.hexmap
        hexes = np.asarray(units["hex"], dtype=np.int64)
        x, y = hm.x[hexes].astype(float), hm.y[hexes].astype(float)
        # fan out units that share a hex, around its centre
        spread = 0.42 * hm.circumradius_km
        for h in np.unique(hexes):
            idx = np.flatnonzero(hexes == h)
            if idx.size > 1:
                angles = np.pi / 2 + 2 * np.pi * np.arange(idx.size) / idx.size
                x[idx] += spread * np.cos(angles)
                y[idx] += spread * np.sin(angles)
        personnel = np.asarray(units["personnel"], dtype=float)
        strength = np.clip(np.asarray(units["strength"], dtype=float), 0.0, 1.0)
        colours = np.array([to_rgb(SIDE_COLOURS[n]) for n in units["nation"]]).reshape(-1, 3)
        # marker area in points²: a 500-strong battalion about 40, a 3,000-strong brigade about 100
        sizes = 14 + 1.6 * np.sqrt(np.maximum(personnel, 0))
        kinds = np.asarray(units["kind"])
        for kind, collection in self.unit_markers.items():
            mask = kinds == kind
            collection.set_offsets(np.column_stack([x[mask], y[mask]]))
            collection.set_sizes(sizes[mask] * (1.5 if kind == "special_forces" else 1.0))
            collection.set_facecolors(colours[mask])
        half = 0.38 * hm.hex_km
        below = y - 0.42 * hm.hex_km
        self.bar_back.set_segments(
            np.stack([np.column_stack([x - half, below]), np.column_stack([x + half, below])], 1)
        )
        fill_end = x - half + 2 * half * strength
        self.bar_fill.set_segments(
            np.stack([np.column_stack([x - half, below]), np.column_stack([fill_end, below])], 1)
        )
        self.bar_fill.set_colors(colours)

    def png(self) -> bytes:
        """The figure as PNG bytes."""
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=self.fig.dpi)
        return buffer.getvalue()

    def export_png(self, title: str, subtitle: str = "", *, dpi: int = 150) -> bytes:
        """The map as drawn now, with `title` and `subtitle` above and the key below: the file a
        class downloads. The map keeps its size in inches, so every name stays where it was placed."""
        fig, ax = self.fig, self.ax
        width, height = fig.get_size_inches()
        top, bottom = 0.55, 1.3
        total = height + top + bottom
        fig.set_size_inches(width, total)
        ax.set_position((0.0, bottom / total, 1.0, height / total))
        legend = self._legend(fig, y=0.005, fontsize=8)
        fig.text(0.01, 1 - 0.12 / total, title, ha="left", va="top", fontsize=11, fontweight="bold")
        fig.text(0.01, 1 - 0.34 / total, subtitle, ha="left", va="top", fontsize=8.5, color="0.25")
        try:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=dpi)
            return buffer.getvalue()
        finally:
            legend.remove()
            for text in list(fig.texts):
                text.remove()
            fig.set_size_inches(width, height)
            ax.set_position((0.0, 0.0, 1.0, 1.0))


def units_on_map(model) -> dict[str, np.ndarray]:
    """The units still on the map of a `SudzhaModel`, as the arrays `MapPicture.update` draws."""
    f = model.battlefield.forces
    on = np.flatnonzero(f.active)
    return {
        "hex": f.hex[on],
        "personnel": f.personnel[on],
        "strength": f.personnel[on] / np.maximum(f.personnel0[on], 1),
        "nation": [NATIONS[c] for c in f.nation[on]],
        "kind": np.array(
            [UNIT_KINDS[c] if 0 <= c < len(UNIT_KINDS) else "" for c in f.kind[on]], dtype=object
        ),
    }
