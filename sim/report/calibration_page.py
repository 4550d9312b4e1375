"""The pictures and the page of a calibration (`sim.analysis.calibrate`).

- `plot_prior_posterior`: per uncertain input, the prior's density and the weighted
  histogram of the final population;
- `plot_posterior_pairs`: the inputs the data informed most, two by two;
- `write_calibration_report`: `report.html` with both, the generations, the posterior
  table, the posterior-predictive fan chart against what was reported, and the held-out
  checks apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.output import atomic_write_text
from sim.report.canvas import new_figure, save_figure
from sim.report.html import esc, figure_html, page_html
from sim.report.style import number_for_page

PRIOR_COLOUR = "0.55"
POSTERIOR_COLOUR = "#1f6fb5"


def plot_prior_posterior(fig, inputs: Sequence[Mapping[str, Any]], prior_samples, posterior, weights) -> None:
    """One panel per input: prior density (grey) and posterior histogram (blue), weighted."""
    n = len(inputs)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, row, prior, post in zip(axes, inputs, prior_samples, posterior.T, strict=False):
        low, high = row["prior_low"], row["prior_high"]
        bins = np.linspace(low, high, 25)
        ax.hist(prior, bins=bins, density=True, color=PRIOR_COLOUR, alpha=0.45, label="prior")
        ax.hist(
            post,
            bins=bins,
            weights=weights,
            density=True,
            color=POSTERIOR_COLOUR,
            alpha=0.7,
            label="posterior",
        )
        ax.axvline(row["prior_centre"], color="0.2", linestyle=":", linewidth=1, label="scenario's centre")
        ax.set_title(_short(row["name"]), fontsize=10)
        ax.set_yticks([])
    for ax in axes[n:]:
        ax.set_axis_off()
    axes[0].legend(loc="upper left", fontsize=8, framealpha=0.9)
    fig.suptitle("What the reported figures say about each uncertain input: prior and posterior", fontsize=13)


def plot_posterior_pairs(fig, names: Sequence[str], posterior, weights, *, most: int = 4) -> None:
    """The `most` inputs the posterior narrowed most, as a scatter matrix (point size: weight)."""
    k = min(most, len(names))
    if k < 2:
        ax = fig.subplots()
        ax.hist(posterior[:, 0], weights=weights, bins=25, color=POSTERIOR_COLOUR)
        ax.set_title(_short(names[0]))
        return
    axes = np.atleast_2d(fig.subplots(k, k))
    size = 8 + 200 * weights / weights.max()
    for i in range(k):
        for j in range(k):
            ax = axes[i, j]
            if i == j:
                ax.hist(posterior[:, i], weights=weights, bins=20, color=POSTERIOR_COLOUR, alpha=0.8)
                ax.set_yticks([])
            else:
                ax.scatter(
                    posterior[:, j], posterior[:, i], s=size, color=POSTERIOR_COLOUR, alpha=0.4, linewidth=0
                )
            if i == k - 1:
                ax.set_xlabel(_short(names[j]), fontsize=8)
            if j == 0 and i != j:
                ax.set_ylabel(_short(names[i]), fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle("The best-informed inputs, two by two (posterior; point size is weight)", fontsize=13)


def _short(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else name


def draw_figures(out_dir: Path, rows, prior_samples, posterior, weights, names, order) -> dict[str, Path]:
    fig = new_figure((12, 3.2 * math.ceil(len(rows) / 3)))
    plot_prior_posterior(fig, rows, prior_samples, posterior, weights)
    written = {"prior_posterior": save_figure(fig, out_dir / "plots" / "prior_posterior.png")}
    fig = new_figure((10, 9))
    plot_posterior_pairs(fig, [names[i] for i in order], posterior[:, order], weights)
    written["posterior_pairs"] = save_figure(fig, out_dir / "plots" / "posterior_pairs.png")
    return written


def write_calibration_report(
    out_dir: Path,
    settings: Mapping[str, Any],
    generations: Sequence[Mapping[str, Any]],
    rows: Sequence[Mapping[str, Any]],
    plots: Mapping[str, Path],
    predictive: Mapping[str, Any] | None,
) -> Path:
    """report.html of a calibration (see the module docstring)."""
    gen_rows = "".join(
        f"<tr><td class=num>{g['generation'] + 1}</td><td class=num>{number_for_page(g['tolerance'], 2)}</td>"
        f"<td class=num>{g['simulations']}</td>"
        f"<td class=num>{number_for_page(100 * g['acceptance'], 0)} %</td>"
        f"<td class=num>{number_for_page(g['median_distance'], 2)}</td>"
        f"<td class=num>{number_for_page(g['effective_size'], 0)}</td></tr>"
        for g in generations
    )
    post_rows = "".join(
        f"<tr><td><code>{esc(r['name'])}</code></td>"
        f"<td class=num>{number_for_page(r['prior_low'])} to {number_for_page(r['prior_high'])}</td>"
        f"<td class=num>{number_for_page(r['p50'])}</td>"
        f"<td class=num>{number_for_page(r['p5'])} to {number_for_page(r['p95'])}</td>"
        f"<td class=num>{number_for_page(100 * r['narrowing'], 0)} %</td></tr>"
        for r in rows
    )
    figures = [
        figure_html(
            "prior_posterior",
            plots["prior_posterior"],
            "Prior and posterior of each input",
            "Grey: the scenario's distribution; blue: the calibrated population.",
        ),
        figure_html(
            "posterior_pairs",
            plots["posterior_pairs"],
            "The best-informed inputs, two by two",
            "Correlations show inputs that trade off against each other: the data fix their "
            "combination, not each alone.",
        ),
    ]
    fitted, held_out = [], []
    if predictive:
        if "area_fan_chart" in predictive.get("plots", {}):
            figures.append(
                figure_html(
                    "predictive",
                    predictive["plots"]["area_fan_chart"],
                    "Posterior predictive: the area, runs drawn from the posterior",
                    "Diamonds are the reported figures with their bands.",
                )
            )
        for item in predictive.get("reported", []):
            if item.get("kind") != "figure":
                continue
            (held_out if item.get("holdout") else fitted).append(item)

    def checks(items):
        body = "".join(
            f"<tr><td><code>{esc(i['metric'])}</code></td><td class=num>{esc(i.get('date'))}</td>"
            f"<td class=num>{number_for_page(i['value'])} ({number_for_page(i['low'])} to "
            f"{number_for_page(i['high'])})</td><td class=num>{number_for_page(i['model_p50'])}</td>"
            f"<td class=num>{number_for_page(i['model_p5'])} to {number_for_page(i['model_p95'])}</td>"
            f"<td>{'inside' if i['median_inside_band'] else 'outside'}</td></tr>"
            for i in items
        )
        return (
            "<table><thead><tr><th>outcome</th><th class=num>date</th><th class=num>reported (band)</th>"
            "<th class=num>posterior median</th><th class=num>90 % of runs</th><th>median in band?</th>"
            "</tr></thead><tbody>" + body + "</tbody></table>"
        )

    header = f"""<h1>Calibration of {esc(settings.get("scenario"))}</h1>
<p class=lead>{esc(settings.get("method"))}; {esc(settings.get("population"))} particles,
{len(generations)} generations, seed {esc(settings.get("seed"))}</p>
<p class=note>Calibration finds the inputs under which the model reproduces the reported figures it
was given. A good fit shows that the model can produce what happened with those inputs; it does not
show that its mechanisms are right. The held-out figures, which the fit never saw, are the fairer test.</p>"""
    main = f"""<section id=fit><h2>Fitted to</h2>
<p>{esc(", ".join(settings.get("targets", [])))}</p>
<table><thead><tr><th class=num>generation</th><th class=num>tolerance</th><th class=num>runs played</th>
<th class=num>accepted</th><th class=num>median distance</th><th class=num>effective particles</th>
</tr></thead><tbody>{gen_rows}</tbody></table>
<p>Distance: root mean square of (model − reported) / half the reported band, over the fitted figures.
Effective particles (Kish, 1 / Σ w²): how many equally weighted particles the population is worth; far
fewer than the population means a rough posterior, and a larger <code>--population</code> would help.</p>
</section>
<section id=posterior><h2>Posterior</h2>
<table><thead><tr><th>input</th><th class=num>prior range</th><th class=num>posterior median</th>
<th class=num>posterior 90 %</th><th class=num>posterior sd / prior sd</th></tr></thead><tbody>{post_rows}
</tbody></table></section>
<section id=plots><h2>Plots</h2>{"".join(figures)}</section>
<section id=checks><h2>Posterior predictive checks</h2>
<h3>The figures it was fitted to</h3>{checks(fitted) if fitted else "<p>none</p>"}
<h3>Held-out checks (never used in the fit)</h3>{
        checks(held_out)
        if held_out
        else "<p>This scenario marks no reported figure <code>holdout: true</code>.</p>"
    }
</section>"""
    path = out_dir / "report.html"
    atomic_write_text(path, page_html(f"Calibration of {settings.get('scenario')}", header, main))
    return path
