"""Map labels: on every map the tool draws, no two texts overlap and every text stays in the frame.

The boxes are the renderer's own extents of each text's words (an annotation's leader line left
out), taken after the figure is drawn, so what is checked is what the PNG shows. The maps are
drawn on the real Sudzha map at both hex sizes the scenarios use (the default's 1.5 km and the
tutorial's 2 km), with the starting units on the scenario map, as a study writes them.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from sim.battle.forces import Forces
from sim.battle.geography import build_hexmap
from sim.codes import UA
from sim.loading import load_scenario
from sim.report import map_figures
from sim.report.canvas import new_figure
from sim.report.maps import OBSTACLE_GID, words_extent

SCENARIOS = ("scenarios/sudzha_jan2025.yaml", "scenarios/tutorial.yaml")


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.rsplit("/", 1)[-1])
def setting(request):
    loaded = load_scenario(request.param)
    spec = loaded.spec
    hexmap = build_hexmap(loaded.map, spec.hex_km, spec.parameters.terrain.urban_min_population)
    control = hexmap.initial_control(spec.line_of_control)
    return loaded, hexmap, control


def _control_map(loaded, hexmap, control, ax):
    p_ua = np.where(control == UA, 0.7, 0.0)
    p_ua[hexmap.country == UA] = 1.0
    map_figures.plot_control_probability(hexmap, p_ua, ax=ax, map_spec=loaded.map, initial_control=control)


def _cut_off_map(loaded, hexmap, control, ax):
    map_figures.plot_cut_off_probability(
        hexmap, np.zeros(hexmap.n), ax=ax, initial_control=control, map_spec=loaded.map
    )


def _ew_maps(loaded, hexmap, control, fig):
    rng = np.random.default_rng(0)
    jammers = rng.choice(hexmap.n, 5, replace=False)
    for panel, side in zip(fig.subfigures(1, 2), ("UA", "RU"), strict=True):
        ax = panel.subplots()
        map_figures.plot_ew_coverage(
            hexmap,
            rng.random(hexmap.n),
            side,
            ax=ax,
            control=control,
            jammers=jammers,
            turn=1,
            map_spec=loaded.map,
        )


def _scenario_map(loaded, hexmap, control, ax):
    map_figures.plot_scenario_map(
        hexmap,
        loaded.map,
        control=control,
        ax=ax,
        line_of_control=loaded.spec.line_of_control,
        forces=Forces.from_scenario(loaded.spec, hexmap),
    )


MAPS = {
    "control_probability": ((10.5, 8.8), _control_map),
    "cut_off_probability": ((10.5, 8.8), _cut_off_map),
    "ew_coverage": ((17, 8), _ew_maps),
    "scenario_map": ((10, 11.6), _scenario_map),
}
"""Every map of a study, at the size `make_all_plots` draws it."""


def draw(name, setting):
    loaded, hexmap, control = setting
    size, plot = MAPS[name]
    fig = new_figure(size)
    if name == "ew_coverage":
        plot(loaded, hexmap, control, fig)
    else:
        plot(loaded, hexmap, control, fig.subplots())
    fig.draw_without_rendering()  # what savefig would lay out
    return fig, [ax for ax in fig.axes if ax.texts]


def visible_texts(ax):
    return [t for t in ax.texts if t.get_visible() and t.get_text().strip()]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MAPS))
def test_no_two_texts_overlap_on_any_map(name, setting):
    """Place names, the scale, the graticule and the country names never overlap, none runs out of
    the frame, and none covers the box of the scale bar."""
    fig, axes = draw(name, setting)
    renderer = fig.canvas.get_renderer()
    assert axes
    for ax in axes:
        frame = ax.get_window_extent(renderer)
        texts = visible_texts(ax)
        boxes = [(t.get_text(), words_extent(t, renderer)) for t in texts]
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{name}: {a!r} overlaps {b!r}"
        for text, box in boxes:
            assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5, f"{name}: {text!r} leaves the frame"
            assert frame.y0 - 0.5 <= box.y0 and box.y1 <= frame.y1 + 0.5, f"{name}: {text!r} leaves the frame"
        keys = [p.get_window_extent(renderer) for p in ax.patches if p.get_gid() == OBSTACLE_GID]
        assert keys, f"{name}: no scale bar"
        names = {s.name for s in setting[1].settlements}
        for text, box in boxes:
            if text in names:
                assert not any(box.overlaps(k) for k in keys), f"{name}: {text!r} covers the scale bar"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MAPS))
def test_every_map_names_its_places(name, setting):
    """Every map names every objective; the scenario and cut-off maps name every settlement."""
    _, hexmap, _ = setting
    _, axes = draw(name, setting)
    wanted = {s.name for s in hexmap.settlements if s.value > 0}
    if name in ("scenario_map", "cut_off_probability"):
        wanted = {s.name for s in hexmap.settlements}
    for ax in axes:
        shown = {t.get_text() for t in visible_texts(ax)}
        assert wanted <= shown, f"{name}: not named: {sorted(wanted - shown)}"
