"""The study's maps: who holds each hex at the end, where units are cut off, jamming
coverage, and the scenario map itself.

Drawn on the base map of `sim.report.maps` (the model's km plane, north up), each
in the form `plot_x(hexmap, values, ax=None) -> Axes`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.battle.geography import HexMap
from sim.codes import NATIONS, RU, UA, UNIT_KINDS, Role
from sim.report.canvas import new_axes
from sim.report.maps import (
    FRONT_STYLE,
    RIVER_WIDTHS,
    ROAD_WIDTHS,
    country_labels,
    draw_border,
    draw_front_line,
    draw_hexes,
    draw_rivers,
    draw_roads,
    draw_settlements,
    graticule,
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

CUT_OFF_CMAP = LinearSegmentedColormap.from_list("cut_off", ["#d8c6ec", "#6a3d9a", "#2e1148"])
"""Cut off from supply: lavender (in a few runs) .. deep purple (in every run), a colour of neither side;
hexes never cut off are grey."""


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
    ax.set_anchor("N")  # the map at the top, its legend below it
    handles = [draw_border(ax, hexmap, map_spec)]
    if initial_control is not None:
        handles.append(draw_front_line(ax, hexmap, initial_control, "front line at the start"))
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
    front_label: str = "front line",
    zero_colour=None,
) -> list:
    """Hexes coloured by a 0-1 value (each hex outlined), with border, front line, scale and names.

    Hexes whose value is 0 are drawn in `zero_colour` when given (Russia a little darker than
    Ukraine), so that the map reads as a map even where nothing happened.
    """
    norm = Normalize(0.0, 1.0)
    values = np.clip(np.nan_to_num(np.asarray(values, dtype=float)), 0.0, 1.0)
    colours = cmap(norm(values))
    if zero_colour is not None:
        zero = values <= 0
        colours[zero & (hexmap.country == RU)] = zero_colour[0]
        colours[zero & (hexmap.country != RU)] = zero_colour[1]
    draw_hexes(ax, hexmap, colours, edgecolor=(1, 1, 1, 0.9), linewidth=0.4, gid="hexes")
    map_frame(ax, hexmap)
    ax.set_anchor("N")  # the map at the top, its legend below it
    handles = [draw_border(ax, hexmap, map_spec)]
    if front is not None:
        handles.append(draw_front_line(ax, hexmap, front, front_label))
    bar = ax.get_figure().colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.75, pad=0.02)
    bar.set_label(label)
    ax.set_title(title)
    return handles


def _name_places(ax: Axes, hexmap: HexMap, *, objectives_only: bool = False, fontsize: float = 9) -> list:
    """Every settlement (or every objective) dotted and named without overlaps, objectives in bold."""
    scale_bar(ax, hexmap)
    country_labels(ax, hexmap)
    sites = [s for s in settlements_by_importance(hexmap) if s.value > 0 or not objectives_only]
    draw_settlements(ax, hexmap, sites, size=2.5, size_per_decade=0.8)
    return label_settlements(ax, hexmap, sites, fontsize=fontsize)


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
        zero_colour=((0.93, 0.93, 0.93, 1.0), (0.97, 0.97, 0.97, 1.0)),
    )
    obstacles = []
    if jammers is not None and len(jammers):
        ax.plot(
            hexmap.x[jammers],
            hexmap.y[jammers],
            "^",
            color="black",
            markersize=9,
            markerfacecolor=SIDE_COLOURS[side],
            zorder=7,
        )
        obstacles = [(float(hexmap.x[j]), float(hexmap.y[j]), 5.0) for j in jammers]
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                color="black",
                markerfacecolor=SIDE_COLOURS[side],
                markersize=9,
                label=f"{side} jammer",
            )
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="black",
            markersize=4,
            label="settlement (bold: objective)",
        )
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    sites = [s for s in settlements_by_importance(hexmap) if s.value > 0]
    draw_settlements(ax, hexmap, sites, size=2.5, size_per_decade=0.8)
    label_settlements(ax, hexmap, sites, obstacles=obstacles)
    return ax


NOTHING_CUT_OFF = "Nothing was cut off in any run"
"""The note a cut-off map carries when no hex was held cut off at the end of any run."""


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
    p_cut = np.nan_to_num(np.asarray(p_cut, dtype=float))
    handles = _hex_value_map(
        ax,
        hexmap,
        p_cut,
        CUT_OFF_CMAP,
        label="share of runs: held by Ukraine but cut off at the end",
        map_spec=map_spec,
        front=initial_control,
        front_label="front line at the start",
        title="Where Ukraine's units end up cut off from supply",
        zero_colour=((0.90, 0.90, 0.90, 1.0), (0.97, 0.97, 0.97, 1.0)),
    )
    handles += [
        Patch(facecolor=(0.90, 0.90, 0.90), edgecolor="white", label="never cut off (in Russia)"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="black",
            markersize=4,
            label="settlement (bold: objective)",
        ),
    ]
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=9, frameon=False
    )
    if not (p_cut > 0).any():
        ax.text(
            0.5,
            0.97,
            f"{NOTHING_CUT_OFF}: no hex was held by Ukraine without a supply route at the end.",
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=11,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "0.5"},
            zorder=8,
            gid="note",
        )
    _name_places(ax, hexmap)
    return ax


UNIT_MARKERS: dict[str, str] = {
    "mechanised": "s",
    "armour": "D",
    "infantry": "o",
    "airborne": "^",
    "marines": "v",
    "territorial": "p",
    "special_forces": "*",
    "artillery": "P",
    "air_defence": "H",
    "drone_team": "X",
    "jammer": "d",
}
"""Marker of each kind of manoeuvre unit (the shapes of the classroom app) and of each other role."""

OTHER_MARKER = "h"
"""The marker of a kind added to `sim.codes.UNIT_KINDS` after this table was written."""

_ROLE_KIND = {
    Role.ARTILLERY: "artillery",
    Role.AIR_DEFENCE: "air_defence",
    Role.DRONE_TEAM: "drone_team",
    Role.JAMMER: "jammer",
}


def unit_kind_names(forces) -> list[str]:
    """Each row's kind as the map's legend names it: the manoeuvre unit's kind, else its role."""
    return [
        UNIT_KINDS[int(k)] if int(r) == Role.MANOEUVRE else _ROLE_KIND[Role(int(r))]
        for r, k in zip(forces.role, forces.kind, strict=True)
    ]


def draw_units(ax: Axes, hexmap: HexMap, forces, *, markersize: float = 8.0) -> tuple[list, list]:
    """The starting order of battle: every unit, battery, air-defence unit, drone team and jammer in
    its starting hex, coloured by nation and shaped by kind; units sharing a hex fanned out in it,
    those that arrive later hollow. Returns (legend handles, obstacles for names)."""
    n = len(forces.hex)
    if n == 0:
        return [], []
    kinds = unit_kind_names(forces)
    on_map = np.asarray(forces.personnel, dtype=float) > 0
    later = np.asarray(forces.arrive_turn) > 1
    offsets = np.zeros((n, 2))
    hexes = np.asarray(forces.hex)
    for h in np.unique(hexes[on_map]):
        rows = np.flatnonzero(on_map & (hexes == h))
        if rows.size > 1:
            angle = 2 * np.pi * np.arange(rows.size) / rows.size + np.pi / 2
            r = hexmap.circumradius_km * 0.5
            offsets[rows] = np.column_stack([np.cos(angle), np.sin(angle)]) * r
    x = hexmap.x[hexes] + offsets[:, 0]
    y = hexmap.y[hexes] + offsets[:, 1]
    nations = [NATIONS[int(c)] for c in forces.nation]
    for i in np.flatnonzero(on_map):
        colour = SIDE_COLOURS[nations[i]]
        ax.plot(
            x[i],
            y[i],
            UNIT_MARKERS.get(kinds[i], OTHER_MARKER),
            markersize=markersize,
            markerfacecolor="white" if later[i] else colour,
            markeredgecolor=colour if later[i] else "white",
            markeredgewidth=1.4 if later[i] else 0.7,
            zorder=6.5,
            gid="unit",
        )
    shown_nations = [c for c in NATIONS if any(on_map[i] and nations[i] == c for i in range(n))]
    handles = [
        Patch(
            facecolor=SIDE_COLOURS[c],
            label=f"{c} units ({sum(on_map[i] and nations[i] == c for i in range(n))})",
        )
        for c in shown_nations
    ]
    for kind in UNIT_MARKERS:
        if any(on_map[i] and kinds[i] == kind for i in range(n)):
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=UNIT_MARKERS[kind],
                    linestyle="",
                    color="0.35",
                    markersize=7,
                    label=kind.replace("_", " "),
                )
            )
    if (on_map & later).any():
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="0.35",
                markersize=7,
                label="arrives later (hollow)",
            )
        )
    obstacles = [(float(x[i]), float(y[i]), markersize / 2 + 1) for i in np.flatnonzero(on_map)]
    return handles, obstacles


def plot_scenario_map(
    hexmap: HexMap,
    map_spec: MapSpec,
    control: np.ndarray | None = None,
    ax: Axes | None = None,
    line_of_control: str | None = None,
    *,
    forces=None,
) -> Axes:
    """The map as the model sees it, to hold against a real map: terrain, water, roads, places, the
    front line and, with `forces` (`sim.battle.forces.Forces` at the start), the starting order of
    battle by nation and kind."""
    ax = new_axes(ax, (10, 10))
    if line_of_control is not None and line_of_control not in map_spec.lines_of_control:
        raise KeyError(f"map has no line of control {line_of_control!r}")
    draw_hexes(
        ax,
        hexmap,
        np.asarray(TERRAIN_COLOURS)[hexmap.terrain],
        edgecolor=(1, 1, 1, 0.5),
        linewidth=0.3,
        gid="terrain",
    )
    map_frame(ax, hexmap)
    ax.set_anchor("N")  # the map at the top, its legend below it
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
    front_label = f"line of control {line_of_control}" if line_of_control is not None else "front line"
    if control is not None:
        handles.append(draw_front_line(ax, hexmap, control, front_label))
    elif line_of_control is not None:
        xy = project(hexmap, map_spec.lines_of_control[line_of_control].polygon)
        xy = np.vstack([xy, xy[:1]])
        ax.plot(xy[:, 0], xy[:, 1], zorder=5, **FRONT_STYLE)
        handles.append(Line2D([], [], label=front_label, **FRONT_STYLE))
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
    obstacles = []
    if forces is not None:
        unit_handles, obstacles = draw_units(ax, hexmap, forces)
        handles += unit_handles
    title = f"Scenario map: {map_spec.name} ({hexmap.hex_km:g} km hexes, {hexmap.cols} × {hexmap.rows})"
    ax.set_title(title + ("\nthe starting order of battle" if forces is not None else ""))
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=5, fontsize=9, frameon=False
    )
    scale_bar(ax, hexmap)
    country_labels(ax, hexmap)
    label_settlements(ax, hexmap, sites, obstacles=obstacles)
    return ax
