"""Plots: every figure is labelled, draws what it claims, copes with thin data, and is written safely."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from sim.battle.geography import build_hexmap
from sim.codes import RU, UA
from sim.report import canvas, figures, map_figures, maps, style
from sim.scenario.mapfile import MapSpec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# the dev map (a cut-down Sudzha), inline so that the tests do not depend on the real map
DEV_MAP = {
    "name": "dev map",
    "bbox": {"south": 51.00, "north": 51.54, "west": 34.85, "east": 35.71},
    "settlements": [
        {"name": "Sudzha", "lat": 51.1914, "lon": 35.2706, "population": 5127, "value": 10},
        {"name": "Goncharovka", "lat": 51.1911, "lon": 35.2519, "population": 2731, "value": 3},
        {"name": "Kazachya Loknya", "lat": 51.245, "lon": 35.271, "population": 500, "value": 2},
        {"name": "Martynovka", "lat": 51.2389, "lon": 35.3664, "population": 714, "value": 2},
        {"name": "Malaya Loknya", "lat": 51.3325, "lon": 35.2275, "population": 799, "value": 2},
        {"name": "Bolshoye Soldatskoye", "lat": 51.3333, "lon": 35.5083, "population": 2681, "value": 6},
        {"name": "Berdin", "lat": 51.289, "lon": 35.437, "population": 100, "value": 1},
        {"name": "Russkoye Porechnoye", "lat": 51.293, "lon": 35.433, "population": 500, "value": 2},
        {"name": "Yunakivka", "lat": 51.1202, "lon": 35.0394, "population": 1741, "value": 0},
    ],
    "rivers": [
        {
            "name": "Sudzha",
            "size": "minor",
            "points": [[51.40, 35.55], [51.333, 35.508], [51.293, 35.433], [51.245, 35.271], [51.19, 35.27]],
        },
        {
            "name": "Psel",
            "size": "major",
            "points": [[51.15, 34.85], [51.11, 35.10], [51.10, 35.40], [51.05, 35.71]],
        },
    ],
    "roads": [
        {"name": "38K-004", "class": "main", "points": [[51.12, 35.04], [51.1914, 35.2706], [51.35, 35.71]]},
        {
            "name": "38K-024",
            "class": "secondary",
            "points": [[51.1914, 35.2706], [51.245, 35.271], [51.54, 35.27]],
        },
    ],
    "forests": [
        {"name": "woods", "polygon": [[51.12, 35.35], [51.14, 35.42], [51.11, 35.45], [51.10, 35.38]]}
    ],
    "marshes": [
        {"name": "floodplain", "polygon": [[51.16, 35.29], [51.17, 35.31], [51.15, 35.32], [51.14, 35.30]]}
    ],
    "border": {
        "points": [
            [51.30, 34.84],
            [51.235, 34.98],
            [51.15, 35.12],
            [51.07, 35.27],
            [51.06, 35.40],
            [51.02, 35.72],
        ]
    },
    "lines_of_control": {
        "2025-01-05": {
            "polygon": [
                [51.16, 35.10],
                [51.25, 35.12],
                [51.34, 35.22],
                [51.30, 35.42],
                [51.22, 35.40],
                [51.16, 35.33],
                [51.08, 35.30],
                [51.07, 35.27],
                [51.15, 35.12],
            ]
        },
    },
}
LOC = "2025-01-05"
KEY_COLUMNS = [
    "ua_area_km2",
    "ua_casualties",
    "ru_casualties",
    "dprk_casualties",
    "ua_vehicles_lost",
    "ru_vehicles_lost",
]


@pytest.fixture(scope="module")
def map_spec():
    return MapSpec.model_validate(DEV_MAP)


@pytest.fixture(scope="module")
def hexmap(map_spec):
    return build_hexmap(map_spec, 2.0, 2000)


@pytest.fixture(scope="module")
def initial_control(hexmap):
    return hexmap.initial_control(LOC)


@pytest.fixture(scope="module")
def p_ua(hexmap, initial_control):
    """Certain in Ukraine and deep in Russia, uncertain inside the starting salient."""
    p = np.where(initial_control == UA, 0.6, 0.0)
    p[hexmap.country == UA] = 1.0
    return p


def make_runs(n: int = 40, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "run": np.arange(n),
            "seed": rng.integers(0, 2**31, n),
            "ua_area_km2": rng.normal(380, 40, n),
            "ua_casualties": rng.poisson(900, n),
            "ru_casualties": rng.poisson(1500, n),
            "dprk_casualties": rng.poisson(600, n),
            "ua_vehicles_lost": rng.poisson(30, n),
            "ru_vehicles_lost": rng.poisson(45, n),
            "dprk_vehicles_lost": np.zeros(n, dtype=int),
            "held_sudzha": rng.random(n) < 0.8,
            "held_bolshoye_soldatskoye": rng.random(n) < 0.1,
            "held_malaya_loknya": rng.random(n) < 0.5,
        }
    ).astype({"held_sudzha": int, "held_bolshoye_soldatskoye": int, "held_malaya_loknya": int})


def make_timeseries(n: int = 30, turns: int = 20, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for run in range(n):
        area = 420 - np.concatenate([[0], np.cumsum(rng.exponential(3.0, turns))])
        rows.append(pd.DataFrame({"run": run, "turn": np.arange(turns + 1), "ua_area_km2": area}))
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def assert_labelled(ax: Axes) -> None:
    assert isinstance(ax, Axes)
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def band_limits(collection) -> dict[float, tuple[float, float]]:
    """x -> (lowest, highest) y of a fill_between polygon."""
    vertices = np.concatenate([path.vertices for path in collection.get_paths()])
    out = {}
    for x, y in vertices:
        lo, hi = out.get(x, (np.inf, -np.inf))
        out[x] = (min(lo, y), max(hi, y))
    return out


# --------------------------------------------------------------------------- distributions


def test_histogram_is_labelled_with_unit_runs_and_median():
    """A histogram names its metric and unit, counts runs, and marks the median and 5-95 %."""
    runs = make_runs()
    ax = figures.plot_histogram(runs, "ua_area_km2")
    assert_labelled(ax)
    assert "km²" in ax.get_xlabel()
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "40 runs"
    assert any(t.get_text().startswith("median") for t in legend.get_texts())
    median = np.median(runs["ua_area_km2"])
    assert any(np.allclose(line.get_xdata(), median) for line in ax.get_lines())
    (bars,) = ax.containers
    assert sum(bar.get_height() for bar in bars) == 40


def test_histogram_copes_with_one_run_and_all_zero():
    """One run with every value zero still gives a labelled histogram."""
    runs = make_runs(1)
    runs["ua_casualties"] = 0
    ax = figures.plot_histogram(runs, "ua_casualties")
    assert_labelled(ax)
    assert ax.get_legend().get_title().get_text() == "1 run"


def test_fan_chart_bands_nest_around_the_median():
    """The 90 % band contains the 50 % band, which contains the median, at every turn."""
    series = make_timeseries()
    ax = figures.plot_fan_chart(series)
    assert_labelled(ax)
    by_gid = {c.get_gid(): c for c in ax.collections}
    band90, band50 = band_limits(by_gid["band90"]), band_limits(by_gid["band50"])
    (median,) = [line for line in ax.get_lines() if line.get_gid() == "median"]
    expected = series.groupby("turn")["ua_area_km2"].median()
    assert np.allclose(median.get_ydata(), expected.to_numpy())
    for x, y in zip(median.get_xdata(), median.get_ydata(), strict=True):
        lo90, hi90 = band90[x]
        lo50, hi50 = band50[x]
        assert lo90 <= lo50 <= y <= hi50 <= hi90
    assert hi90 - lo90 > hi50 - lo50 > 0  # at the last turn the runs have spread
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("90 %" in t for t in labels) and any("50 %" in t for t in labels) and "median" in labels


def test_fan_chart_with_start_date_uses_dates():
    """With a start date the x axis is calendar time, turn 0 at the start date."""
    ax = figures.plot_fan_chart(make_timeseries(3, 5), start_date="2025-01-05")
    (median,) = [line for line in ax.get_lines() if line.get_gid() == "median"]
    assert pd.Timestamp(median.get_xdata()[0]) == pd.Timestamp("2025-01-05")
    assert pd.Timestamp(median.get_xdata()[-1]) == pd.Timestamp("2025-01-10")
    assert "date" in ax.get_xlabel()


def test_casualties_are_coloured_by_side():
    """Casualty boxes come in the order UA, RU, DPRK, each in its side colour, one dot per run."""
    runs = make_runs()
    ax = figures.plot_casualties(runs)
    assert_labelled(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["UA", "RU", "DPRK"]
    for side, points in zip(["UA", "RU", "DPRK"], ax.collections, strict=True):
        assert len(points.get_offsets()) == len(runs)
        assert np.allclose(points.get_facecolor()[0][:3], to_rgba(style.SIDE_COLOURS[side])[:3])
    assert ax.get_legend() is not None


def test_objectives_are_sorted_and_readable():
    """Objective bars show P(UA holds) with readable names, the most likely held on top."""
    runs = make_runs()
    ax = figures.plot_objectives(runs)
    assert_labelled(ax)
    names = [t.get_text() for t in ax.get_yticklabels()][::-1]  # top first
    p = {style.settlement_label(c[5:]): runs[c].mean() for c in runs if c.startswith("held_")}
    assert names == sorted(p, key=lambda k: -p[k])
    assert "Bolshoye Soldatskoye" in names
    ua_bars = [b for b in ax.patches if b.get_x() == 0]
    assert sorted(b.get_width() for b in ua_bars) == pytest.approx(sorted(v * 100 for v in p.values()))


def test_objectives_without_held_columns():
    """A scenario without objectives still gives a titled, labelled, empty chart."""
    runs = make_runs().drop(columns=[c for c in make_runs() if c.startswith("held_")])
    ax = figures.plot_objectives(runs)
    assert_labelled(ax)
    assert not ax.patches


def test_change_days_show_each_run_and_mark_reported_holders():
    """One dot per run that saw the objective change hands, the share that never did, and each
    reported holder on its day: a ring where the model's majority agrees, a cross where not."""
    runs = make_runs(n=20)
    runs["changed_day_sudzha"] = [None] * 5 + list(np.linspace(3, 9, 15))
    runs["changed_day_malaya_loknya"] = [None] * 20
    reported = [
        {"kind": "place", "place": "sudzha", "holder": "RU", "day": 6.0, "model_agrees": True},
        {"kind": "place", "place": "malaya_loknya", "holder": "UA", "day": 4.0, "model_agrees": False},
        {"kind": "figure", "metric": "ua_area_km2", "day": 4.0},
    ]
    ax = figures.plot_change_days(runs, reported, days=10)
    assert_labelled(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Sudzha", "Malaya Loknya"]
    dots = ax.collections[0].get_offsets()
    assert len(dots) == 15 and dots[:, 0].min() >= 3 and dots[:, 0].max() <= 9
    texts = [t.get_text() for t in ax.texts]
    assert "never: 25%" in texts and "never: 100%" in texts
    marks = [c.get_offsets()[0].tolist() for c in ax.collections[1:] if len(c.get_offsets())]
    assert [6.0, 0.0] in marks and [4.0, 1.0] in marks


def test_change_days_without_changes():
    """No objective changed hands and nothing was reported: a titled, labelled, empty chart."""
    ax = figures.plot_change_days(make_runs(), [])
    assert_labelled(ax)
    assert not ax.collections


# --------------------------------------------------------------------------- maps


def test_hexagons_tile_the_plane(hexmap):
    """Hexes are pointy-top with circumradius hex_km / sqrt 3, and neighbours share an edge."""
    polygons = maps.hex_polygons(hexmap)
    r = hexmap.hex_km / np.sqrt(3)
    assert polygons.shape == (hexmap.n, 6, 2)
    top = polygons[0, np.argmax(polygons[0, :, 1])]
    assert top == pytest.approx([hexmap.x[0], hexmap.y[0] + r])
    a, b = 0, hexmap.neighbours[0][hexmap.neighbours[0] >= 0][0]
    shared = [v for v in polygons[a] if np.min(np.linalg.norm(polygons[b] - v, axis=1)) < 1e-9]
    assert len(shared) == 2


def test_control_probability_draws_one_hexagon_per_hex(hexmap, map_spec, p_ua, initial_control):
    """The control map has one patch per hex, a colour bar, and every objective named."""
    ax = map_figures.plot_control_probability(
        hexmap, p_ua, map_spec=map_spec, initial_control=initial_control
    )
    assert_labelled(ax)
    (hexes,) = [c for c in ax.collections if c.get_gid() == "hexes"]
    assert len(hexes.get_paths()) == hexmap.n
    assert len(ax.get_figure().axes) == 2  # the map and its colour bar
    texts = {t.get_text() for t in ax.texts}
    assert {s.name for s in hexmap.settlements if s.value > 0} <= texts
    assert "Yunakivka" not in texts  # value 0: not an objective
    # colours run from RU red (0) to UA blue (1); Ukraine held in every run is grey
    colours = hexes.get_facecolor()
    russian_certain = np.flatnonzero((hexmap.country == RU) & (p_ua == 0))[0]
    assert np.allclose(colours[russian_certain][:3], to_rgba(style.SIDE_COLOURS["RU"])[:3])
    ukrainian = np.flatnonzero(hexmap.country == UA)[0]
    assert np.allclose(colours[ukrainian][:3], 0.86)


def test_map_labels_do_not_overlap(hexmap, map_spec, p_ua):
    """Settlement names on the map never overlap each other."""
    ax = map_figures.plot_control_probability(hexmap, p_ua, map_spec=map_spec)
    names = {s.name for s in hexmap.settlements}
    boxes = [t.get_window_extent() for t in ax.texts if t.get_text() in names]
    assert len(boxes) >= 8
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_control_probability_refuses_a_wrong_length(hexmap):
    """p_ua must have one value per hex."""
    with pytest.raises(ValueError, match="one value per hex"):
        map_figures.plot_control_probability(hexmap, np.zeros(hexmap.n - 1))


def test_scenario_map_shows_terrain_lines_and_places(hexmap, map_spec, initial_control):
    """The scenario map draws terrain per hex, rivers, roads, border, line of control and names."""
    ax = map_figures.plot_scenario_map(hexmap, map_spec, control=initial_control, line_of_control=LOC)
    assert_labelled(ax)
    (terrain,) = [c for c in ax.collections if c.get_gid() == "terrain"]
    assert len(terrain.get_paths()) == hexmap.n
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    for needed in ("forest", "marsh", "main road", "major river", "state border", f"line of control {LOC}"):
        assert needed in labels
    assert "Sudzha" in {t.get_text() for t in ax.texts}
    assert ax.get_aspect() == 1.0  # km on both axes: north up, no stretching


# --------------------------------------------------------------------------- files


def test_save_figure_writes_a_png_atomically_and_closes(tmp_path):
    """save_figure leaves one valid PNG, no temporary file, and no open figure."""
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    path = canvas.save_figure(fig, tmp_path / "line.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert [p.name for p in tmp_path.iterdir()] == ["line.png"]
    assert not plt.fignum_exists(fig.number)


@pytest.fixture(scope="module")
def all_plots(tmp_path_factory, hexmap, map_spec, p_ua, initial_control):
    out = tmp_path_factory.mktemp("study")
    return out, figures.make_all_plots(
        out,
        make_runs(),
        make_timeseries(),
        hexmap,
        map_spec,
        p_ua,
        line_of_control=LOC,
        initial_control=initial_control,
        start_date="2025-01-05",
    )


@pytest.mark.slow
def test_make_all_plots_writes_every_figure(all_plots):
    """The standard set of PNGs is written to out/plots, valid, with no temporary files left."""
    out, written = all_plots
    expected = {
        "histograms",
        "area_fan_chart",
        "casualties",
        "objectives",
        "control_probability",
        "scenario_map",
    }
    assert expected <= set(written)
    for name, path in written.items():
        assert path == out / "plots" / f"{name}.png"
        assert path.read_bytes()[:8] == PNG_MAGIC
    assert sorted(p.name for p in (out / "plots").iterdir()) == sorted(f"{n}.png" for n in written)
    assert not plt.get_fignums()  # batch figures are not left open


@pytest.mark.slow
def test_make_all_plots_copes_with_one_run_zeros_and_no_objectives(tmp_path, hexmap, map_spec):
    """A single run with all-zero outcomes and no held_ columns still gives every figure."""
    runs = make_runs(1)
    runs = runs.drop(columns=[c for c in runs if c.startswith("held_")])
    for column in KEY_COLUMNS:
        runs[column] = 0
    series = make_timeseries(1, 3)
    written = figures.make_all_plots(
        tmp_path,
        runs,
        series,
        hexmap,
        map_spec,
        np.zeros(hexmap.n),
        line_of_control=None,
        initial_control=None,
    )
    assert all(p.read_bytes()[:8] == PNG_MAGIC for p in written.values())
    assert set(written) == {
        "histograms",
        "area_fan_chart",
        "casualties",
        "casualties_by_cause",
        "air_superiority",
        "supply",
        "objectives",
        "control_probability",
        "scenario_map",
    }


# --------------------------------------------------------------------------- readable from the back


def legend_is_outside(ax: Axes) -> bool:
    """The legend's box does not cover the axes' data area."""
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    return legend is not None and not legend.get_window_extent(renderer).overlaps(
        ax.get_window_extent(renderer)
    )


def make_air_supply(n: int = 20, turns: int = 10, air: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for run in range(n):
        t = np.arange(turns + 1)
        ru = np.where(t > 0, np.clip(0.7 + rng.normal(0, 0.2, t.size), 0, 1), 0) if air else np.zeros(t.size)
        rows.append(
            pd.DataFrame(
                {
                    "run": run,
                    "turn": t,
                    "ua_air_superiority": np.zeros(t.size),
                    "ru_air_superiority": ru,
                    "ua_supply": np.linspace(1, 0.5, t.size),
                    "ru_supply": np.linspace(1, 0.8, t.size),
                    "route_throughput": np.linspace(1, 0.1, t.size),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_air_superiority_says_what_the_index_means_and_the_share_of_days():
    """The air plot shows each side's index against the threshold, the share of runs holding
    superiority each day, says what the index is, and gives the share of days each side held it
    (the end-of-run metric `ru_air_superiority_share`, median over runs) in its title."""
    series = make_air_supply()
    ax = figures.plot_air_superiority(series, start_date="2025-01-06")
    assert_labelled(ax)
    share = figures.superiority_shares(series, "RU").median()
    assert f"RU {share:.0%}" in ax.get_title() and "UA 0%" in ax.get_title()
    assert "share of days" in ax.get_title()
    legend = ax.get_legend()
    assert "index =" in legend.get_title().get_text()
    labels = [t.get_text() for t in legend.get_texts()]
    assert any(label.startswith("threshold 0.5") for label in labels)
    assert sum("share of runs with superiority" in label for label in labels) == 2
    assert legend_is_outside(ax)


def test_air_superiority_without_aviation_says_so():
    """A scenario without strike aviation gets a note, not two lines at zero."""
    ax = figures.plot_air_superiority(make_air_supply(air=False))
    assert any("no strike aviation" in t.get_text() for t in ax.texts)
    assert not ax.get_lines()


def test_supply_legend_is_outside_the_data():
    """The supply plot's legend sits under the axes, so no line is hidden behind it."""
    ax = figures.plot_supply(make_air_supply(), start_date="2025-01-06")
    assert legend_is_outside(ax)


def test_histogram_legend_is_outside_and_names_the_reported_band():
    """The legend is under the axes; a reported figure adds entries for its value and its band,
    and a wide band does not squeeze the runs: the axis shows the runs and the reported value."""
    runs = make_runs()
    ax = figures.plot_histogram(runs, "dprk_casualties")
    figures.mark_reported(ax, {"value": 1000, "low": 500, "high": 2000, "median_inside_band": True})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("reported range: 500 – 2,000") for label in labels)
    assert any(label.startswith("reported: 1,000") for label in labels)
    lo, hi = ax.get_xlim()
    assert lo > 500 and 1000 < hi < 1200  # the runs (about 600) and the reported 1,000, not the band
    assert ax.get_legend().get_title().get_text() == "40 runs"
    assert legend_is_outside(ax)


def test_histograms_leave_out_outcomes_zero_in_every_run():
    """An outcome 0 in every run gets no panel of zeros; it is named as left out instead."""
    runs = make_runs()
    runs["dprk_casualties"] = 0
    shown, left_out = figures.histogram_metrics(runs)
    assert "dprk_casualties" not in shown and left_out == ["dprk_casualties"]
    assert "ua_casualties" in shown


def test_casualties_box_is_drawn_over_beside_the_dots_and_zero_nations_left_out():
    """The box of each nation stands beside its strip of dots and above them, never under them;
    a nation with no casualties in any run has no box, and the x label says so."""
    runs = make_runs()
    runs["dprk_casualties"] = 0
    ax = figures.plot_casualties(runs)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["UA", "RU"]
    assert "DPRK left out: 0 in every run" in ax.get_xlabel()
    dots = [c for c in ax.collections if c.get_gid() == "runs"]
    boxes = [p for p in ax.patches if p.get_gid() is None and p.get_zorder() >= 4]
    assert len(dots) == 2 and len(boxes) == 2
    for strip, box in zip(dots, boxes, strict=True):
        xs = strip.get_offsets()[:, 0]
        extent = box.get_path().get_extents()
        assert xs.max() < extent.x0  # the dots are beside the box, not over it
        assert box.get_zorder() > strip.get_zorder()
    assert legend_is_outside(ax)


def test_objectives_show_the_contested_first_and_name_the_settled():
    """Only the contested objectives get a bar, most likely held on top; those held in (nearly)
    every run or in (nearly) none are named in the legend instead."""
    runs = make_runs()
    runs["held_sudzha"] = 1
    runs["held_berdin"] = 0
    ax = figures.plot_objectives(runs)
    names = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert "Sudzha" not in names and "Berdin" not in names
    assert names == ["Malaya Loknya", "Bolshoye Soldatskoye"]  # p about 0.5 and 0.1
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "98% of runs or more (1):\nSudzha" in legend
    assert "2% of runs or fewer (1):\nBerdin" in legend
    contested, ua, ru = figures.split_objectives({"a": 1.0, "b": 0.5, "c": 0.01, "d": 0.9})
    assert (contested, ua, ru) == (["d", "b"], ["a"], ["c"])


def test_fan_chart_keeps_reported_points_inside_the_frame():
    """Figures reported on the first and the last day are drawn inside the frame, not on its edge:
    the time axis reaches half a day beyond them."""
    import matplotlib.dates as mdates

    fig = canvas.new_figure((10, 5.5))
    ax = figures.plot_fan_chart(make_timeseries(5, 6), ax=fig.subplots(), start_date="2025-01-05")
    x = pd.to_datetime(["2025-01-11", "2025-01-05"]).to_numpy()
    ax.errorbar(x, [400, 420], fmt="D")
    figures._keep_inside(ax, x, 24.0)
    lo, hi = ax.get_xlim()
    assert lo <= mdates.date2num(x[1]) - 0.5 and mdates.date2num(x[0]) + 0.5 <= hi


def test_every_map_draws_the_front_line_in_one_style(hexmap, map_spec, p_ua, initial_control):
    """Control, cut-off, EW and scenario maps draw the front line the same way: black, dashed."""
    axes = [
        map_figures.plot_control_probability(
            hexmap, p_ua, map_spec=map_spec, initial_control=initial_control
        ),
        map_figures.plot_cut_off_probability(hexmap, np.zeros(hexmap.n), initial_control=initial_control),
        map_figures.plot_ew_coverage(hexmap, np.zeros(hexmap.n), "UA", control=initial_control),
        map_figures.plot_scenario_map(hexmap, map_spec, control=initial_control, line_of_control=LOC),
    ]
    for ax in axes:
        (front,) = [c for c in ax.collections if c.get_gid() == "front"]
        assert np.allclose(front.get_color()[0][:3], 0.0)
        assert len(front.get_segments()) > 0
        entry = [h for h in ax.get_legend().legend_handles if h.get_label().startswith(("front", "line of"))]
        assert entry and entry[0].get_color() == maps.FRONT_STYLE["color"]


def test_cut_off_map_draws_the_hexes_names_and_a_note_when_nothing_was_cut_off(
    hexmap, map_spec, initial_control
):
    """With nothing cut off the map still shows its hexes (grey, not white), names every settlement
    and says that nothing was cut off in any run; with something cut off, no note."""
    ax = map_figures.plot_cut_off_probability(
        hexmap, np.zeros(hexmap.n), initial_control=initial_control, map_spec=map_spec
    )
    (hexes,) = [c for c in ax.collections if c.get_gid() == "hexes"]
    assert not np.allclose(hexes.get_facecolor()[:, :3], 1.0)
    texts = {t.get_text() for t in ax.texts}
    assert {s.name for s in hexmap.settlements} <= texts
    assert any(t.startswith(map_figures.NOTHING_CUT_OFF) for t in texts)
    plt.close("all")
    p = np.zeros(hexmap.n)
    p[np.flatnonzero(initial_control == UA)[:3]] = 0.4
    ax = map_figures.plot_cut_off_probability(hexmap, p, initial_control=initial_control, map_spec=map_spec)
    assert not any(t.get_text().startswith(map_figures.NOTHING_CUT_OFF) for t in ax.texts)


def test_ew_map_names_places(hexmap, map_spec, initial_control):
    """The EW map names the objectives, as every map does."""
    ax = map_figures.plot_ew_coverage(
        hexmap,
        np.full(hexmap.n, 0.3),
        "RU",
        control=initial_control,
        jammers=np.array([3, 40]),
        map_spec=map_spec,
    )
    assert {s.name for s in hexmap.settlements if s.value > 0} <= {t.get_text() for t in ax.texts}


def test_scenario_map_draws_the_starting_units_by_side_and_kind(hexmap, map_spec, initial_control):
    """With the forces the scenario map draws every unit on the map at the start, coloured by nation,
    shaped by kind, and its legend counts each nation's units and names each kind shown."""
    from types import SimpleNamespace

    from sim.codes import NATION, UNIT_KINDS, Role

    forces = SimpleNamespace(
        hex=np.array([10, 10, 200, 300, 301]),
        side=np.array([0, 0, 1, 1, 1]),
        nation=np.array([NATION["UA"], NATION["UA"], NATION["RU"], NATION["DPRK"], NATION["RU"]]),
        role=np.array([Role.MANOEUVRE, Role.ARTILLERY, Role.MANOEUVRE, Role.MANOEUVRE, Role.JAMMER]),
        kind=np.array(
            [UNIT_KINDS.index("armour"), 0, UNIT_KINDS.index("infantry"), UNIT_KINDS.index("marines"), 0]
        ),
        personnel=np.array([500, 100, 800, 900, 20]),
        arrive_turn=np.array([1, 1, 1, 5, 1]),
    )
    ax = map_figures.plot_scenario_map(hexmap, map_spec, control=initial_control, forces=forces)
    units = [line for line in ax.get_lines() if line.get_gid() == "unit"]
    assert len(units) == 5
    assert [line.get_marker() for line in units] == ["D", "P", "o", "v", "d"]
    assert to_rgba(units[0].get_markerfacecolor()) == to_rgba(style.SIDE_COLOURS["UA"])
    assert to_rgba(units[3].get_markerfacecolor()) == to_rgba("white")  # arrives later: hollow
    assert units[0].get_xydata()[0].tolist() != units[1].get_xydata()[0].tolist()  # one hex: fanned out
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    for needed in (
        "UA units (2)",
        "RU units (2)",
        "DPRK units (1)",
        "armour",
        "artillery",
        "jammer",
        "arrives later (hollow)",
    ):
        assert needed in labels
