"""Every analysis plot reads at a glance: title, labelled axes with units, a legend, side colours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from sim.report import analysis_figures as ap
from sim.report.canvas import new_figure
from sim.report.style import SIDE_COLOURS


def _summary(metric: str = "ua_casualties") -> pd.DataFrame:
    rows = []
    for point, (a, b) in enumerate([(x, y) for x in (0.2, 0.5) for y in (1, 3)]):
        base = 100 + 50 * a + 10 * b
        quantiles = {"p5": base - 8, "p25": base - 3, "p50": base, "p75": base + 3, "p95": base + 8}
        rows.append({"point": point, "a": a, "b": b, "metric": metric, "runs": 5, "mean": base, **quantiles})
    return pd.DataFrame(rows)


def _compare_runs() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "scenario": ["A"] * 30 + ["B"] * 30,
            "ua_casualties": rng.normal(500, 50, 60),
            "run": list(range(30)) * 2,
        }
    )


def _diffs() -> pd.DataFrame:
    row = {"metric": "ua_casualties", "scenario": "B", "baseline": "A"}
    row.update(diff_mean=5.0, diff_mean_low=-2.0, diff_mean_high=11.0)
    row.update(diff_median=4.0, diff_median_low=-4.0, diff_median_high=12.0)
    return pd.DataFrame([row])


def _tornado() -> pd.DataFrame:
    rows = []
    for name, s in (("x.a", 30.0), ("x.b", 0.0)):
        row = {"metric": "ua_casualties", "parameter": name, "low": 1.0, "high": 2.0}
        row.update(mean_low=480 - s, mean_base=500.0, mean_high=500 + s)
        row.update(diff_low=-20.0 - s, diff_low_low=-30 - s, diff_low_high=-10 - s)
        row.update(diff_high=s, diff_high_low=s - 5, diff_high_high=s + 5)
        rows.append(row)
    return pd.DataFrame(rows)


def _morris() -> pd.DataFrame:
    table = {
        "parameter": ["x.a", "x.b"],
        "mu_star": [3.0, 1.0],
        "mu_star_conf": [0.5, 0.2],
        "sigma": [1.0, 0.1],
    }
    return pd.DataFrame({"metric": "ua_casualties", **table})


def _sobol() -> pd.DataFrame:
    table = {"parameter": ["x.a", "x.b"], "S1": [0.6, 0.1], "S1_conf": [0.1, 0.1], "ST": [0.7, 0.2]}
    return pd.DataFrame({"metric": "ua_casualties", "ST_conf": [0.1, 0.1], **table})


CASES = {
    "distributions": lambda ax: ap.plot_compare_distributions(_compare_runs(), "ua_casualties", ax=ax),
    "differences": lambda ax: ap.plot_compare_differences(_diffs(), "ua_casualties", ax=ax),
    "objectives": lambda ax: ap.plot_compare_objectives(
        pd.DataFrame({"name": ["Sudzha", "Sudzha"], "scenario": ["A", "B"], "p_ua_holds": [0.9, 0.4]}), ax=ax
    ),
    "bands": lambda ax: ap.plot_sweep_bands(
        _summary().query("b == 1"), "a", "ua_casualties", ax=ax, current=0.5
    ),
    "heatmap": lambda ax: ap.plot_sweep_heatmap(
        _summary(), "a", "b", "ua_casualties", ax=ax, current=(0.5, 3)
    ),
    "scatter": lambda ax: ap.plot_sweep_scatter(_summary(), "a", "ua_casualties", ax=ax),
    "tornado": lambda ax: ap.plot_tornado(_tornado(), ax=ax),
    "morris": lambda ax: ap.plot_morris(_morris(), ax=ax),
    "sobol": lambda ax: ap.plot_sobol(_sobol(), ax=ax),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_analysis_plot_has_title_axis_labels_and_legend(name):
    """Title, both axis labels, a legend; a UA outcome is drawn in the UA colour."""
    fig = new_figure((6, 4))
    ax = CASES[name](fig.subplots())
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None and ax.get_legend().get_texts()
    if name not in ("objectives", "heatmap"):
        colours = {to_hex(c) for artist in ax.patches + ax.lines + ax.collections for c in _colours(artist)}
        assert SIDE_COLOURS["UA"] in colours


def _colours(artist):
    for getter in ("get_facecolor", "get_color", "get_edgecolor"):
        if hasattr(artist, getter):
            value = (
                np.atleast_2d(getattr(artist, getter)()) if getter != "get_color" else [artist.get_color()]
            )
            yield from (v for v in value if len(v) or isinstance(v, str))


def test_units_appear_on_the_value_axes():
    """Axis labels carry the outcome's unit."""
    fig = new_figure((6, 4))
    assert "(people)" in ap.plot_sweep_bands(_summary(), "a", "ua_casualties", ax=fig.subplots()).get_ylabel()
    fig = new_figure((6, 4))
    assert "(people)" in ap.plot_tornado(_tornado(), ax=fig.subplots()).get_xlabel()


def _legend_outside(ax) -> bool:
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    return legend is not None and not legend.get_window_extent(renderer).overlaps(
        ax.get_window_extent(renderer)
    )


@pytest.mark.parametrize("name", ["distributions", "differences"])
def test_compare_legends_sit_outside_the_data(name):
    """A comparison's violins and intervals are never hidden behind their legend."""
    fig = new_figure((6, 4))
    assert _legend_outside(CASES[name](fig.subplots()))


def test_a_grid_of_comparisons_has_one_legend_under_every_panel():
    """A grid of outcomes carries one grey legend under all its panels, none inside a panel."""
    fig = new_figure((12, 8))
    axes = fig.subplots(2, 2).ravel()
    for ax in axes:
        ap.plot_compare_differences(_diffs(), "ua_casualties", ax=ax)
    ap.shared_legend(fig, axes, ap.difference_key(), ncol=3)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    assert all(ax.get_legend() is None for ax in axes)
    (legend,) = fig.legends
    assert not any(legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer)) for ax in axes)
