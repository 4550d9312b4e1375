"""The hex map built from real coordinates: geometry, areas, settlements, borders."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sim.battle.geodesy import EqualAreaProjection, spherical_polygon_area_km2
from sim.battle.geography import build_hexmap, hex_distance, hex_neighbours
from sim.codes import RU, UA
from sim.grid import GeoHexGrid
from sim.scenario.mapfile import MapSpec
from sim.scenario.yamlio import load_yaml

from conftest import MAP


@pytest.fixture(scope="module")
def map_spec():
    data, _ = load_yaml(MAP)
    return MapSpec.model_validate(data)


def test_neighbours_match_mesa_hexgrid_geometry():
    """Our neighbours, and GeoHexGrid's cell connections, are the six nearest cells by position.

    (Mesa 3.5.1's own HexGrid connections swap the odd/even row offsets, mesa PR #3773.)
    """
    cols, rows = 7, 6
    grid = GeoHexGrid((cols, rows), torus=False, random=random.Random(0))
    ours = hex_neighbours(cols, rows)
    cells = list(grid.all_cells)
    positions = np.array([c.position for c in cells])
    for cell in cells:
        col, row = cell.coordinate
        d = np.hypot(*(positions - cell.position).T)
        nearest = {cells[k].coordinate for k in np.flatnonzero(np.isclose(d, np.sqrt(3)))}
        mine = {divmod(int(j), rows) for j in ours[col * rows + row] if j >= 0}
        assert mine == nearest
        assert {c.coordinate for c in cell.neighborhood} == nearest


def test_neighbours_are_one_step_and_one_hex_width_apart(map_spec):
    """Adjacent hex centres are one hex width apart and one step by hex distance."""
    hm = build_hexmap(map_spec, 1.5, 2000)
    h = np.arange(hm.n)[:, None].repeat(6, axis=1)
    ok = hm.neighbours >= 0
    d = np.hypot(hm.x[h[ok]] - hm.x[hm.neighbours[ok]], hm.y[h[ok]] - hm.y[hm.neighbours[ok]])
    assert np.allclose(d, 1.5)
    assert (hex_distance(h[ok], hm.neighbours[ok], hm.rows) == 1).all()


def test_map_covers_the_box_at_about_sixty_km(map_spec):
    """The grid spans the ~60 x 60 km box and the hex area is (sqrt 3 / 2) x width²."""
    hm = build_hexmap(map_spec, 1.5, 2000)
    assert 55 < hm.x.max() - hm.x.min() < 62 and 55 < hm.y.max() - hm.y.min() < 62
    assert hm.hex_area_km2 == pytest.approx(np.sqrt(3) / 2 * 1.5**2)
    assert hm.lat.min() >= map_spec.bbox.south and hm.lat.max() <= map_spec.bbox.north
    assert hm.lon.min() >= map_spec.bbox.west and hm.lon.max() <= map_spec.bbox.east


@pytest.mark.parametrize("hex_km", [1.0, 1.5, 2.0])
def test_hex_count_area_matches_the_polygon_on_the_sphere(map_spec, hex_km):
    """The area counted from hexes is within 5 % of the line-of-control polygon's spherical area."""
    polygon = map_spec.lines_of_control["2025-01-05"].polygon
    sphere = spherical_polygon_area_km2(polygon)
    hm = build_hexmap(map_spec, hex_km, 2000)
    counted = hm.lines_of_control["2025-01-05"].sum() * hm.hex_area_km2
    assert counted == pytest.approx(sphere, rel=0.05)


def test_january_2025_line_encloses_about_500_km2(map_spec):
    """The start-of-January polygon encloses about the reported 500 km² (docs/sources.md)."""
    area = spherical_polygon_area_km2(map_spec.lines_of_control["2025-01-05"].polygon)
    assert 470 <= area <= 530


def test_spherical_area_of_a_known_cell():
    """A 1° x 1° cell at the equator is about 12,364 km² on the mean-radius sphere."""
    assert spherical_polygon_area_km2([[0, 0], [0, 1], [1, 1], [1, 0]]) == pytest.approx(12364, rel=2e-3)


def test_projection_round_trips():
    """Projecting and unprojecting returns the same coordinates."""
    proj = EqualAreaProjection(51.27, 35.28)
    lat = np.array([51.0, 51.19, 51.54])
    lon = np.array([34.85, 35.27, 35.71])
    back_lat, back_lon = proj.inverse(*proj.forward(lat, lon))
    assert np.allclose(back_lat, lat) and np.allclose(back_lon, lon)


def test_settlements_land_in_the_hex_that_contains_them(map_spec):
    """Each settlement's hex centre is within one hex radius of its real position."""
    for hex_km in (1.0, 1.5, 2.0):
        hm = build_hexmap(map_spec, hex_km, 2000)
        for site in hm.settlements:
            x, y = hm.projection.forward(site.lat, site.lon)
            assert np.hypot(hm.x[site.hex] - x, hm.y[site.hex] - y) <= hm.circumradius_km + 1e-9


def test_sudzha_is_urban_in_russia_and_held_by_ukraine_at_the_start(map_spec):
    """Sudzha (pop. 5,127) makes an urban hex, lies in Russia, and starts under Ukrainian control."""
    hm = build_hexmap(map_spec, 1.5, 2000)
    sites = {s.key: s for s in hm.settlements}
    control = hm.initial_control("2025-01-05")
    assert hm.terrain[sites["sudzha"].hex] == 2
    assert hm.country[sites["sudzha"].hex] == RU and control[sites["sudzha"].hex] == UA
    assert hm.country[sites["yunakivka"].hex] == UA
    assert control[sites["bolshoye_soldatskoye"].hex] == RU


def test_roads_and_rivers_are_rasterised_along_their_course(map_spec):
    """Road hexes form connected chains and the Psel and Sudzha rivers cross the map."""
    hm = build_hexmap(map_spec, 1.5, 2000)
    assert hm.road_edge.sum() > 100 and (hm.road > 0).sum() > 100
    assert (hm.river == 2).sum() > 20  # the Psel
    # a road edge joins two road hexes, and is recorded from both ends
    src, slot = np.nonzero(hm.road_edge)
    dst = hm.neighbours[src, slot]
    assert (hm.road[src] > 0).all() and (hm.road[dst] > 0).all()
    back = [(hm.neighbours[d] == s).nonzero()[0][0] for s, d in zip(src, dst, strict=True)]
    assert hm.road_edge[dst, back].all()


@pytest.mark.parametrize("hex_km", [0.7, 1.0, 1.5, 2.0])
def test_maps_built_without_matplotlib_are_the_maps_built_with_it(map_spec, hex_km, monkeypatch):
    """The crossing-number point-in-polygon test gives every hex the same country, terrain and
    lines of control as matplotlib's `Path.contains_points` did (the border, forests, marshes
    and every dated line), at any hex size."""
    from matplotlib.path import Path as MplPath

    from sim.battle import geography

    ours = build_hexmap(map_spec, hex_km, 0)

    def with_matplotlib(px, py, poly_x, poly_y):
        path = MplPath(np.column_stack([poly_x, poly_y]))
        return path.contains_points(np.column_stack([np.ravel(px), np.ravel(py)])).reshape(np.shape(px))

    monkeypatch.setattr(geography, "points_in_polygon", with_matplotlib)
    theirs = build_hexmap(map_spec, hex_km, 0)
    assert (
        (ours.country == theirs.country).all() and (ours.country == RU).any() and (ours.country == UA).any()
    )
    assert (ours.terrain == theirs.terrain).all()
    assert ours.lines_of_control.keys() == theirs.lines_of_control.keys()
    for key, held in ours.lines_of_control.items():
        assert (held == theirs.lines_of_control[key]).all() and held.any(), key


@pytest.mark.parametrize("hex_km", [0.7, 1.0, 1.5, 2.0])
def test_nearest_hex_and_neighbourhoods_agree_with_a_search_tree(map_spec, hex_km):
    """The lattice's nearest-centre rule and the km neighbourhoods give what a k-d tree search over
    all hex centres gives, for points all over the box and a little beyond its edges."""
    from scipy.spatial import cKDTree

    from sim.battle.geography import nearest_centre

    hm = build_hexmap(map_spec, hex_km, 0)
    tree = cKDTree(np.column_stack([hm.x, hm.y]))
    rng = np.random.default_rng(int(hex_km * 10))
    margin = hex_km
    px = rng.uniform(hm.x.min() - margin, hm.x.max() + margin, 20_000)
    py = rng.uniform(hm.y.min() - margin, hm.y.max() + margin, 20_000)
    _, expected = tree.query(np.column_stack([px, py]))
    got = nearest_centre(px, py, hm.x[0], hm.y[0], hex_km, hm.cols, hm.rows)
    assert (got == expected).all()
    for radius in (1.0, 2.5):
        ball = hm.within_km(radius)
        near = tree.query_ball_point(np.column_stack([hm.x, hm.y]), radius + 1e-6)
        for h in range(0, hm.n, 7):
            assert ball[h][ball[h] >= 0].tolist() == sorted(near[h])
