"""One run's turns as an animated map: `turns.gif` of a trace (`sim.trace`).

The base map (terrain, rivers, roads, border, settlements and their names, scale) is
drawn once with the helpers of `sim.report.maps`; each frame then changes only what
the turn changed: the tint of who holds each hex, the front line, the hexes captured
during the turn (outlined in the taker's colour), the units on the map (coloured by
nation, shaped by kind as on the scenario map) and the title with the turn's date.
Frame 0 is the start; then one frame per turn. Written with Matplotlib's
`animation.FuncAnimation` and `PillowWriter`, so nothing beyond Matplotlib is needed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from matplotlib import animation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.codes import NATIONS, RU, UA
from sim.output import atomic_write_bytes
from sim.report.map_figures import UNIT_MARKERS, unit_kind_names
from sim.report.maps import (
    FRONT_STYLE,
    draw_border,
    draw_hexes,
    draw_rivers,
    draw_roads,
    draw_settlements,
    hex_boundary,
    hex_polygons,
    label_settlements,
    map_frame,
    scale_bar,
    settlements_by_importance,
)
from sim.report.style import SIDE_COLOURS, TERRAIN_COLOURS

FIGSIZE = (7.0, 7.6)
DPI = 72
"""About 500 x 550 pixels: readable projected, and a month of turns stays well under 5 MB."""
FRAME_MS = 600
"""How long each frame is shown (ms)."""
RIVER_WIDTHS = {"major": 1.8, "minor": 0.9}
ROAD_WIDTHS = {"main": 1.6, "secondary": 0.8}
TINT = {UA: 0.30, RU: 0.18}
"""How strongly a hex is tinted with the colour of the side holding it."""


def save_turns_gif(trace, path: Path, *, dpi: int = DPI) -> Path:
    """Draw the frames of `trace` (a `sim.trace.Trace`) into an animated GIF at `path`."""
    fig = TurnsMap(trace)
    anim = animation.FuncAnimation(
        fig.figure, fig.update, frames=len(trace.frames), init_func=lambda: None, blit=False, repeat=False
    )
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "turns.gif"
        anim.save(staged, writer=animation.PillowWriter(fps=1000 / FRAME_MS), dpi=dpi)
        data = staged.read_bytes()
    return atomic_write_bytes(path, data)


class TurnsMap:
    """The figure of the animated map and `update(k)`, which draws frame k on it."""

    def __init__(self, trace) -> None:
        bf = trace.battlefield
        hm = bf.hexmap
        self.trace = trace
        self.hexmap = hm
        self.figure = Figure(figsize=FIGSIZE, dpi=DPI)
        FigureCanvasAgg(self.figure)
        ax = self.figure.add_axes((0.01, 0.13, 0.98, 0.80))
        self.ax = ax
        map_frame(ax, hm, axis_labels=False)
        ax.set_xticks([])
        ax.set_yticks([])
        draw_hexes(ax, hm, np.asarray(TERRAIN_COLOURS)[hm.terrain], edgecolor=(1, 1, 1, 0.4), linewidth=0.2)
        self.tint = PolyCollection(hex_polygons(hm), facecolors="none", edgecolors="none", zorder=2)
        ax.add_collection(self.tint)
        self.captured = PolyCollection(
            hex_polygons(hm), facecolors="none", edgecolors="none", linewidths=2.2, zorder=5.5
        )
        ax.add_collection(self.captured)
        draw_rivers(ax, hm, bf.loaded.map, RIVER_WIDTHS)
        draw_roads(ax, hm, bf.loaded.map, ROAD_WIDTHS)
        border = draw_border(ax, hm, bf.loaded.map)
        self.front = LineCollection(
            [],
            colors=FRONT_STYLE["color"],
            linestyles=FRONT_STYLE["linestyle"],
            linewidths=FRONT_STYLE["linewidth"],
            zorder=5,
        )
        ax.add_collection(self.front)
        sites = settlements_by_importance(hm)
        draw_settlements(ax, hm, sites, size=2, size_per_decade=0.9)
        scale_bar(ax, hm)
        label_settlements(ax, hm, sites, fontsize=7)

        f = bf.forces
        self.kinds = np.array(unit_kind_names(f))
        self.colours = np.array([to_rgba(SIDE_COLOURS[NATIONS[int(c)]]) for c in f.nation])
        self.marks = {}
        for kind, marker in UNIT_MARKERS.items():
            rows = np.flatnonzero(self.kinds == kind)
            if rows.size:
                self.marks[kind] = (
                    rows,
                    ax.scatter([], [], s=46, marker=marker, edgecolors="white", linewidths=0.6, zorder=6.5),
                )
        self.side_rgba = {
            side: np.array(to_rgba(SIDE_COLOURS[name])) for side, name in ((UA, "UA"), (RU, "RU"))
        }
        self.title = ax.set_title("", fontsize=11, loc="left")
        handles = [
            Patch(facecolor=SIDE_COLOURS["UA"], alpha=0.5, label="held by Ukraine"),
            Patch(facecolor=SIDE_COLOURS["RU"], alpha=0.4, label="held by Russia"),
            Patch(facecolor="none", edgecolor="black", linewidth=2, label="captured this turn"),
            Line2D([], [], label="front line", **FRONT_STYLE),
            border,
        ]
        handles += [
            Patch(facecolor=SIDE_COLOURS[n], label=f"{n} units")
            for n in NATIONS
            if (f.nation == NATIONS.index(n)).any()
        ]
        handles += [
            Line2D(
                [],
                [],
                marker=UNIT_MARKERS[k],
                linestyle="",
                color="0.35",
                markersize=6,
                label=k.replace("_", " "),
            )
            for k in self.marks
        ]
        self.figure.legend(
            handles=handles, loc="lower center", ncol=5, fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.0)
        )

    def _offsets(self, frame) -> np.ndarray:
        """Each unit's place: its hex's centre, units sharing a hex fanned out inside it."""
        hm = self.hexmap
        where = frame.hex
        xy = np.column_stack([hm.x[where], hm.y[where]])
        on = frame.active
        for h in np.unique(where[on]):
            rows = np.flatnonzero(on & (where == h))
            if rows.size > 1:
                angle = 2 * np.pi * np.arange(rows.size) / rows.size + np.pi / 2
                xy[rows] += np.column_stack([np.cos(angle), np.sin(angle)]) * hm.circumradius_km * 0.5
        return xy

    def update(self, k: int):
        frame = self.trace.frames[k]
        hm = self.hexmap
        tint = np.zeros((hm.n, 4))
        for side, rgba in self.side_rgba.items():
            held = frame.control == side
            tint[held] = rgba
            tint[held, 3] = TINT[side] * np.where(hm.country[held] == side, 0.5, 1.0)
        self.tint.set_facecolor(tint)
        edges = np.zeros((hm.n, 4))
        for side, rgba in self.side_rgba.items():
            taken = frame.captured & (frame.control == side)
            edges[taken] = rgba
        self.captured.set_edgecolor(edges)
        self.front.set_segments(hex_boundary(hm, frame.control))
        xy = self._offsets(frame)
        for rows, points in self.marks.values():
            shown = rows[frame.active[rows]]
            points.set_offsets(xy[shown] if shown.size else np.empty((0, 2)))
            points.set_facecolor(self.colours[shown] if shown.size else "none")
        taken = {side: int((frame.captured & (frame.control == side)).sum()) for side in (UA, RU)}
        when = "start" if frame.turn == 0 else f"turn {frame.turn} of {len(self.trace.frames) - 1}"
        self.title.set_text(
            f"{self.trace.battlefield.spec.name}: run {self.trace.run}, {when}\n{frame.date}"
            + (f"   hexes taken this turn: UA {taken[UA]}, RU {taken[RU]}" if frame.turn else "")
        )
        return []


def frame_count(path: Path) -> int:
    """How many frames an animated GIF holds."""
    from PIL import Image

    with Image.open(path) as im:
        return int(getattr(im, "n_frames", 1))
