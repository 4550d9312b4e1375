"""The HTML report: one self-contained page, every text escaped, the provenance shown."""

from __future__ import annotations

import base64
import re

import pytest

from sim.report.study_page import write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# a valid 1 x 1 PNG
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def make_summary(**changes) -> dict:
    summary = {
        "scenario": {
            "name": "Sudzha <script>alert('x')</script> & co",
            "file": "scenarios/sudzha_jan2025.yaml",
            "sha256": "0123456789abcdef" * 4,
            "description": "Ukrainian salient <b>under pressure</b>, January 2025.",
        },
        "seed": 20250105,
        "runs_requested": 200,
        "runs_completed": 137,
        "interrupted": True,
        "workers": 8,
        "version": "0.1.0",
        "wall_time_s": 754.2,
        "created": "2026-11-25T12:00:00Z",
        "metrics": {
            "ua_area_km2": {
                "unit": "km²",
                "description": "Russian territory held by Ukraine",
                "mean": 412.5,
                "std": 38.1,
                "p5": 350.25,
                "p25": 390.0,
                "p50": 414.0,
                "p75": 436.5,
                "p95": 470.75,
            },
            "ua_casualties": {
                "unit": "people",
                "description": "UA personnel lost",
                "mean": 1234.5,
                "std": 210.0,
                "p5": 900.0,
                "p25": 1100.0,
                "p50": 1230.0,
                "p75": 1370.0,
                "p95": 1600.0,
            },
            "ua_area_change_km2": {
                "unit": "km²",
                "description": "change in Ukrainian-held area over the run",
                "mean": -61.5,
                "std": 12.0,
                "p5": -80.0,
                "p25": -70.0,
                "p50": -60.0,
                "p75": -50.0,
                "p95": -40.0,
            },
            "hexes_changed": {
                "unit": "hexes",
                "description": "hex changes of hands over the run",
                "mean": float("nan"),
                "std": float("nan"),
                "p5": float("nan"),
                "p25": float("nan"),
                "p50": float("nan"),
                "p75": float("nan"),
                "p95": float("nan"),
            },
        },
        "objectives": {
            "sudzha": {"name": "Sudzha", "p_ua_holds": 0.93},
            "bolshoye_soldatskoye": {"name": "Bolshoye Soldatskoye", "p_ua_holds": 0.12},
            "malaya_loknya": {"name": "Malaya <Loknya>", "p_ua_holds": 0.5},
        },
    }
    summary.update(changes)
    return summary


@pytest.fixture
def plot_files(tmp_path):
    folder = tmp_path / "plots"
    folder.mkdir()
    files = {}
    for name in ("histograms", "area_fan_chart", "control_probability", "extra_plot"):
        path = folder / f"{name}.png"
        path.write_bytes(TINY_PNG + name.encode())  # distinct bytes per plot
        files[name] = path
    return files


def test_report_is_written_atomically(tmp_path, plot_files):
    """write_report returns out/report.html and leaves no temporary file behind."""
    path = write_report(tmp_path, make_summary(), plot_files)
    assert path == tmp_path / "report.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plots", "report.html"]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_every_plot_is_embedded_as_a_data_uri(tmp_path, plot_files):
    """Each plot appears once as a base64 PNG data URI, with a caption for the known ones."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', text)
    assert len(sources) == len(plot_files)
    embedded = {base64.b64decode(s.removeprefix("data:image/png;base64,")) for s in sources}
    assert embedded == {p.read_bytes() for p in plot_files.values()}
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert text.count("<figcaption>") >= 3


def test_report_refers_to_nothing_outside_itself(tmp_path, plot_files):
    """No external images, scripts, stylesheets, fonts or links: the page works offline."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8").lower()
    forbidden = ('src="http', "src='http", 'href="http', "<link", "@import", "url(", "<script", "plots/")
    for needle in forbidden:
        assert needle not in text, needle


def test_scenario_text_is_escaped(tmp_path, plot_files):
    """Names and descriptions from the scenario are shown as text, never as markup."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "Sudzha &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in text
    assert "<b>under pressure</b>" not in text and "&lt;b&gt;under pressure&lt;/b&gt;" in text
    assert "Malaya &lt;Loknya&gt;" in text


def test_provenance_is_shown(tmp_path, plot_files):
    """The page names the scenario file, hash, seed, runs, workers, version, wall time and date."""
    summary = make_summary()
    text = write_report(tmp_path, summary, plot_files).read_text(encoding="utf-8")
    for value in (
        "scenarios/sudzha_jan2025.yaml",
        "0123456789abcdef" * 4,
        "20250105",
        "137 / 200",
        "0.1.0",
        "12 min 34 s",
        "2026-11-25T12:00:00Z",
    ):
        assert value in text, value
    assert re.search(r"Worker processes</dt><dd>8<", text)
    assert "interrupted" in text.lower()


def test_complete_study_is_not_called_interrupted(tmp_path, plot_files):
    """The interruption warning appears only when the study was interrupted."""
    summary = make_summary(interrupted=False, runs_completed=200)
    text = write_report(tmp_path, summary, plot_files).read_text(encoding="utf-8")
    assert "interrupted" not in text.lower()
    assert "200 / 200" in text


def test_tables_show_medians_intervals_and_every_statistic(tmp_path, plot_files):
    """The headline gives median and 90 % interval with units; the full table every statistic."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    assert "414 km²" in text and "350 to 471 km²" in text  # p5 and p95 rounded alike
    assert "1,230 people" in text and "900 to 1,600 people" in text
    assert "−80 to −40 km²" in text  # a true minus sign
    for stat in ("mean", "std", "p5", "p25", "p50", "p75", "p95"):
        assert f"<th class=num>{stat}</th>" in text
    assert "<code>hexes_changed</code>" in text  # NaN statistics are shown as dashes, not dropped
    assert not re.search(r">\s*nan\b", text, re.IGNORECASE)


def test_objectives_are_listed_most_likely_first(tmp_path, plot_files):
    """Objective probabilities are listed as percentages, the most likely held first."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    section = text[text.index("<section id=objectives>") :]
    section = section[: section.index("</section>")]
    assert section.index("93 %") < section.index("50 %") < section.index("12 %")
    names = [">Sudzha<", ">Malaya &lt;Loknya&gt;<", ">Bolshoye Soldatskoye<"]
    assert [section.index(n) for n in names] == sorted(section.index(n) for n in names)


def test_report_without_plots_or_objectives(tmp_path):
    """A study with no plots and no objectives still gives a complete page."""
    text = write_report(tmp_path, make_summary(objectives={}), {}).read_text(encoding="utf-8")
    assert "No plots were made." in text
    assert "no objective settlements" in text
    assert text.rstrip().endswith("</html>")


def test_honest_note_is_present(tmp_path, plot_files):
    """The page says it is a teaching model, not a forecast, and that outcomes are distributions."""
    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    assert "not a forecast" in text
    assert "distribution" in text


def _with_history(**changes) -> dict:
    summary = make_summary(**changes)
    summary["scenario"]["start_date"] = "2025-01-05"
    summary["reported"] = [
        {
            "kind": "figure",
            "metric": "ua_area_km2",
            "value": 493.0,
            "low": 470.0,
            "high": 510.0,
            "date": "2025-01-07",
            "day": 2.0,
            "turn": 2,
            "source": "DeepState, 7 Jan 2025, a long source text, never squeezed into a narrow column",
            "model_p5": 479.3,
            "model_p50": 483.2,
            "model_p95": 485.2,
            "median_inside_band": True,
        },
        {
            "kind": "place",
            "place": "malaya_loknya",
            "holder": "UA",
            "day": 4.0,
            "turn": 4,
            "source": "ISW",
            "model_share": 0.8,
            "model_agrees": True,
        },
    ]
    return summary


def test_report_has_a_table_of_contents_linking_every_section(tmp_path, plot_files):
    """A contents list at the top links to every section of the page, and every link has a target."""
    text = write_report(tmp_path, _with_history(), plot_files).read_text(encoding="utf-8")
    nav = text[text.index("<nav class=toc>") : text.index("</nav>")]
    links = re.findall(r'href="#([^"]+)"', nav)
    sections = re.findall(r"<section id=([\w-]+)>", text)
    assert set(sections) <= set(links)
    for target in links:
        assert f"id={target}>" in text or f'id="{target}"' in text, target
    assert text.index("<nav class=toc>") < text.index("<section id=headline>")


def test_each_section_appears_once_and_objectives_plot_sits_with_its_table(tmp_path, plot_files):
    """No heading twice; the objectives plot is shown in the objectives section, not also among the plots."""
    folder = tmp_path / "plots"
    (folder / "objectives.png").write_bytes(TINY_PNG + b"objectives")
    plots = {**plot_files, "objectives": folder / "objectives.png"}
    text = write_report(tmp_path, make_summary(), plots).read_text(encoding="utf-8")
    headings = re.findall(r"<h2>([^<]+)</h2>", text)
    assert len(headings) == len(set(headings)), headings
    assert text.count('id="plot-objectives"') == 1
    section = text[text.index("<section id=objectives>") :]
    assert 'id="plot-objectives"' in section[: section.index("</section>")]


def test_history_compared_gives_dates_human_labels_units_and_a_full_width_source(tmp_path, plot_files):
    """Reported figures are named in words with their unit, dated (not numbered by turn), and
    each source has a row of its own across the table; places are named, not keyed."""
    text = write_report(tmp_path, _with_history(), plot_files).read_text(encoding="utf-8")
    section = text[text.index("<section id=history>") :]
    section = section[: section.index("</section>")]
    assert "Russian territory held by Ukraine (km²)" in section
    assert "<code>ua_area_km2</code>" not in section
    assert "7 Jan 2025" in section and "9 Jan 2025" in section  # its date; start + day 4
    assert "turn 2" not in section and "turn 4" not in section
    assert "<td colspan=7>Source: DeepState, 7 Jan 2025" in section
    assert "<td colspan=5>Source: ISW" in section
    assert ">Malaya &lt;Loknya&gt;<" in section  # the objective's name, escaped


def test_outcomes_zero_in_every_run_are_left_out_with_a_note(tmp_path, plot_files):
    """A headline or table row of zeros ("North Korean casualties 0 (0 to 0)") is left out, and a
    one-line note names it."""
    summary = make_summary()
    zero = {"unit": "people", "description": "DPRK personnel lost", "mean": 0.0, "std": 0.0}
    zero.update(p5=0.0, p25=0.0, p50=0.0, p75=0.0, p95=0.0)
    summary["metrics"]["dprk_casualties"] = zero
    text = write_report(tmp_path, summary, plot_files).read_text(encoding="utf-8")
    headline = text[text.index("<section id=headline>") :]
    headline = headline[: headline.index("</section>")]
    assert "0 to 0" not in headline
    assert "Left out, 0 in every run: DPRK personnel lost (killed, wounded, captured)." in headline
    full = text[text.index("<section id=metrics>") :]
    assert "<code>dprk_casualties</code>" not in full
    assert "Left out, 0 in every run:" in full


def test_every_outcome_is_named_from_the_one_catalogue(tmp_path, plot_files):
    """The table of every outcome names each in the words and unit of sim.battle.metrics, the
    runs.csv column beside it."""
    from sim.report.style import metric_heading

    text = write_report(tmp_path, make_summary(), plot_files).read_text(encoding="utf-8")
    full = text[text.index("<section id=metrics>") :]
    for metric in ("ua_area_km2", "ua_casualties", "hexes_changed"):
        assert f"{metric_heading(metric)}<br><small>column <code>{metric}</code>" in full.replace(
            "&#x27;", "'"
        )


def test_swept_values_are_rounded_in_labels():
    """A swept float reads 1.667, not 1.666666666667; whole numbers and words as they are."""
    from sim.report.style import parameter_value

    assert parameter_value(1.666666666667) == "1.667"
    assert parameter_value(2.0) == "2" and parameter_value(3) == "3" and parameter_value("fibre") == "fibre"


def test_analysis_pages_have_a_table_of_contents():
    """A comparison's, sweep's or sensitivity study's page lists its sections and the provenance."""
    from sim.report.html import render_analysis_report

    text = render_analysis_report(
        "Comparison", "lead", [("compare", "Comparison", "<p>x</p>"), ("objectives", "Objectives", "")], []
    )
    nav = text[text.index("<nav class=toc>") : text.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', nav) == ["compare", "objectives", "provenance"]
