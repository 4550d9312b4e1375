"""The study's maps: who holds each hex at the end, where units are cut off, jamming
coverage, and the scenario map itself.

Drawn on the base map of `sim.report.maps` (the model's km plane, north up), each
in the form `plot_x(hexmap, values, ax=None) -> Axes`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.battle.geography import HexMap
from sim.codes import RU, UA
from sim.report.canvas import new_axes
from sim.report.maps import (
    RIVER_WIDTHS,
    ROAD_WIDTHS,
    country_labels,
    draw_border,
    draw_hexes,
    draw_rivers,
    draw_roads,
    draw_settlements,
    graticule,
    hex_boundary,
    hex_polygons,
    label_settlements,
    map_frame,
    place_labels,
    project,
    scale_bar,
    settlements_by_importance,
    terrain_handles,
)
from sim.report.style import RIVER_COLOUR, ROAD_COLOURS, SIDE_COLOURS, TERRAIN_COLOURS
from sim.scenario.mapfile import MapSpec

CONTROL_CMAP = LinearSegmentedColormap.from_list("ru_ua", [SIDE_COLOURS["RU"], "#f7f7f7", SIDE_COLOURS["UA"]])
"""P(UA control): 0 red (always held by the Russian side) .. 1 blue (always Ukrainian)."""

EW_CMAPS = {
    "UA": LinearSegmentedColormap.from_list("ew_ua", ["#ffffff", SIDE_COLOURS["UA"]]),
    "RU": LinearSegmentedColormap.from_list("ew_ru", ["#ffffff", SIDE_COLOURS["RU"]]),
}
"""Jamming coverage: white (none) .. the jamming side's colour (a drone is surely jammed)."""

CUT_OFF_CMAP = LinearSegmentedColormap.from_list("cut_off", ["#ffffff", "#6a3d9a"])
"""Cut off from supply: white (never) .. purple (in every run), a colour of neither side."""


def plot_control_probability(
    hexmap: HexMap,
    p_ua: np.ndarray,
    ax: Axes | None = None,
    map_spec: MapSpec | None = None,
    *,
    initial_control: np.ndarray | None = None,
) -> Axes:
    """Each hex coloured by the share of runs in which Ukraine held it at the end.

    Ukrainian territory that Ukraine held in every run is greyed (it is not in play);
    `initial_control`, if given, is drawn as the starting front line.
    """
    ax = new_axes(ax, (10, 9.5))
    p_ua = np.asarray(p_ua, dtype=float)
    if p_ua.shape != (hexmap.n,):
        raise ValueError(f"p_ua has shape {p_ua.shape}; expected ({hexmap.n},), one value per hex")
    norm = Normalize(0.0, 1.0)
    colours = CONTROL_CMAP(norm(np.nan_to_num(p_ua, nan=0.5)))
    quiet = (hexmap.country == UA) & (p_ua >= 1.0)
    colours[quiet] = (0.86, 0.86, 0.86, 1.0)
    draw_hexes(ax, hexmap, colours, gid="hexes")
    map_frame(ax, hexmap)
    handles = [draw_border(ax, hexmap, map_spec)]
    if initial_control is not None:
        segments = hex_boundary(hexmap, np.asarray(initial_control))
        ax.add_collection(LineCollection(segments, colors="0.1", linewidths=1.2, linestyles="--", zorder=5))
        handles.append(
            Line2D([], [], color="0.1", linestyle="--", linewidth=1.2, label="front line at the start")
        )
    handles.append(Patch(facecolor=(0.86, 0.86, 0.86), label="Ukraine, held by UA in every run"))
    colorbar = ax.get_figure().colorbar(
        ScalarMappable(norm=norm, cmap=CONTROL_CMAP), ax=ax, shrink=0.75, pad=0.02
    )
    colorbar.set_label("share of runs in which Ukraine holds the hex at the end")
    colorbar.set_ticks(
        [0, 0.25, 0.5, 0.75, 1.0], labels=["0\nalways RU", "0.25", "0.5", "0.75", "1\nalways UA"]
    )
    sites = [s for s in hexmap.settlements if s.value > 0]
    handles.append(
        Line2D([], [], marker="o", linestyle="", color="black", markersize=5, label="objective settlement")
    )
    for s in sites:
        ax.plot(
            hexmap.x[s.hex],
            hexmap.y[s.hex],
            "o",
            color="black",
            markersize=4,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=6,
        )
    ax.set_title(
        f"Who holds the ground at the end: P(Ukrainian control) per hex ({hexmap.hex_km:g} km hexes)"
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=4, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    avoid = country_labels(ax, hexmap)
    ordered = [s for s in settlements_by_importance(hexmap) if s.value > 0]
    place_labels(ax, [(hexmap.x[s.hex], hexmap.y[s.hex], s.name, True) for s in ordered], avoid=avoid)
    return ax


def _hex_value_map(
    ax: Axes,
    hexmap: HexMap,
    values: np.ndarray,
    cmap,
    *,
    label: str,
    map_spec: MapSpec | None,
    front: np.ndarray | None,
    title: str,
    names: bool = True,
) -> list:
    """Hexes coloured by a 0-1 value, with border, front line, scale and settlement names."""
    norm = Normalize(0.0, 1.0)
    draw_hexes(ax, hexmap, cmap(norm(np.clip(np.nan_to_num(values), 0.0, 1.0))), gid="hexes")
    map_frame(ax, hexmap)
    handles = [draw_border(ax, hexmap, map_spec)]
    if front is not None:
        segments = hex_boundary(hexmap, np.asarray(front))
        ax.add_collection(LineCollection(segments, colors="0.1", linewidths=1.2, linestyles="--", zorder=5))
        handles.append(Line2D([], [], color="0.1", linestyle="--", linewidth=1.2, label="front line"))
    bar = ax.get_figure().colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.75, pad=0.02)
    bar.set_label(label)
    ax.set_title(title)
    scale_bar(ax, hexmap)
    if names:
        sites = [s for s in settlements_by_importance(hexmap) if s.value > 0]
        for s in sites:
            ax.plot(hexmap.x[s.hex], hexmap.y[s.hex], "o", color="black", markersize=3, zorder=6)
        place_labels(ax, [(hexmap.x[s.hex], hexmap.y[s.hex], s.name, True) for s in sites[:14]], avoid=[])
    return handles


def plot_ew_coverage(
    hexmap: HexMap,
    coverage: np.ndarray,
    side: str,
    ax: Axes | None = None,
    *,
    control: np.ndarray | None = None,
    jammers: np.ndarray | None = None,
    turn: int | None = None,
    map_spec: MapSpec | None = None,
) -> Axes:
    """One side's jamming coverage per hex: the chance a radio drone over the hex is jammed."""
    ax = new_axes(ax, (9, 8.5))
    when = f" at turn {turn}" if turn is not None else ""
    handles = _hex_value_map(
        ax,
        hexmap,
        coverage,
        EW_CMAPS[side],
        label="chance a radio-controlled drone is jammed",
        map_spec=map_spec,
        front=control,
        title=f"{side} electronic-warfare coverage{when}",
        names=False,
    )
    if jammers is not None and len(jammers):
        ax.plot(
            hexmap.x[jammers],
            hexmap.y[jammers],
            "^",
            color="black",
            markersize=7,
            markerfacecolor=SIDE_COLOURS[side],
            zorder=7,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                color="black",
                markerfacecolor=SIDE_COLOURS[side],
                label=f"{side} jammer",
            )
        )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9, frameon=False
    )
    return ax


def plot_cut_off_probability(
    hexmap: HexMap,
    p_cut: np.ndarray,
    ax: Axes | None = None,
    *,
    initial_control: np.ndarray | None = None,
    map_spec: MapSpec | None = None,
) -> Axes:
    """Each hex coloured by the share of runs in which Ukraine held it at the end with no supply route."""
    ax = new_axes(ax, (10, 9.5))
    handles = _hex_value_map(
        ax,
        hexmap,
        p_cut,
        CUT_OFF_CMAP,
        label="share of runs: held by Ukraine but cut off at the end",
        map_spec=map_spec,
        front=initial_control,
        title="Where Ukraine's units end up cut off from supply",
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9, frameon=False
    )
    return ax


def plot_scenario_map(
    hexmap: HexMap,
    map_spec: MapSpec,
    control: np.ndarray | None = None,
    ax: Axes | None = None,
    line_of_control: str | None = None,
) -> Axes:
    """The map as the model sees it, to hold against a real map: terrain, water, roads, places."""
    ax = new_axes(ax, (10, 10))
    draw_hexes(
        ax,
        hexmap,
        np.asarray(TERRAIN_COLOURS)[hexmap.terrain],
        edgecolor=(1, 1, 1, 0.5),
        linewidth=0.3,
        gid="terrain",
    )
    map_frame(ax, hexmap)
    handles = terrain_handles()
    if control is not None:
        tint = (np.asarray(control) == UA) & (hexmap.country == RU)
        if tint.any():
            ax.add_collection(
                PolyCollection(
                    hex_polygons(hexmap)[tint],
                    facecolors=SIDE_COLOURS["UA"],
                    edgecolors="none",
                    alpha=0.22,
                    zorder=2,
                )
            )
        handles.append(Patch(facecolor=SIDE_COLOURS["UA"], alpha=0.3, label="held by Ukraine (in Russia)"))
    graticule(ax, hexmap)
    draw_rivers(ax, hexmap, map_spec)
    draw_roads(ax, hexmap, map_spec)
    handles += [
        Line2D([], [], color=RIVER_COLOUR, linewidth=RIVER_WIDTHS["major"], label="major river"),
        Line2D([], [], color=RIVER_COLOUR, linewidth=RIVER_WIDTHS["minor"], label="minor river"),
        Line2D([], [], color=ROAD_COLOURS["main"], linewidth=ROAD_WIDTHS["main"], label="main road"),
        Line2D(
            [],
            [],
            color=ROAD_COLOURS["secondary"],
            linewidth=ROAD_WIDTHS["secondary"],
            label="secondary road",
        ),
        draw_border(ax, hexmap, map_spec),
    ]
    if line_of_control is not None and line_of_control in map_spec.lines_of_control:
        xy = project(hexmap, map_spec.lines_of_control[line_of_control].polygon)
        xy = np.vstack([xy, xy[:1]])
        ax.plot(xy[:, 0], xy[:, 1], color=SIDE_COLOURS["UA"], linewidth=2, linestyle="--", zorder=5)
        handles.append(
            Line2D(
                [],
                [],
                color=SIDE_COLOURS["UA"],
                linewidth=2,
                linestyle="--",
                label=f"line of control {line_of_control}",
            )
        )
    elif line_of_control is not None:
        raise KeyError(f"map has no line of control {line_of_control!r}")
    sites = settlements_by_importance(hexmap)
    draw_settlements(ax, hexmap, sites)
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="black",
            markersize=6,
            label="settlement (bold: objective)",
        )
    )
    ax.set_title(f"Scenario map: {map_spec.name} ({hexmap.hex_km:g} km hexes, {hexmap.cols} × {hexmap.rows})")
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    label_settlements(ax, hexmap, sites, avoid=country_labels(ax, hexmap))
    return ax
