"""The Python API: a study as DataFrames, typed overrides, and the same files as the command line."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.api import overrides_of

from conftest import DEFAULT, ROOT, TUTORIAL


def test_overrides_are_typed():
    """NumPy scalars, lists and maps are written so that the scenario reads them back as given."""
    assert overrides_of({"days": np.int64(5), "parameters.combat.intensity": np.float64(0.77)}) == [
        "days=5",
        "parameters.combat.intensity=0.77",
    ]
    assert overrides_of({"sides.UA.jammers": []}) == ["sides.UA.jammers=[]"]
    assert overrides_of({"x": {"dist": "uniform", "low": 1, "high": 2}}) == [
        'x={"dist": "uniform", "low": 1, "high": 2}'
    ]
    loaded = sim.load_scenario(TUTORIAL, overrides_of({"parameters.combat.intensity": np.float64(0.77)}))
    assert loaded.spec.parameters.combat.intensity == 0.77


def test_a_study_in_memory_matches_the_command_line(tmp_path):
    """sim.run gives the runs.csv rows as a DataFrame; to_folder writes the CLI's files, byte for byte."""
    study = sim.run(TUTORIAL, runs=6, seed=3, overrides={"days": 3}, workers=1, progress=False)
    assert len(study.runs) == 6 and "ua_area_km2" in study.runs
    assert set(study.timeseries["turn"]) == {0, 1, 2, 3}
    assert study.summary["runs_completed"] == 6
    assert study.plot_fan_chart() is not None
    out = study.to_folder(tmp_path / "api", plots=False)
    from sim.cli import main

    assert (
        main(
            [
                str(TUTORIAL),
                "--runs",
                "6",
                "--seed",
                "3",
                "--set",
                "days=3",
                "--workers",
                "1",
                "--per-draw",
                "5",
                "--no-plots",
                "--quiet",
                "--out",
                str(tmp_path / "cli"),
            ]
        )
        == 0
    )
    for name in ("runs.csv", "timeseries.csv", "hexes.csv"):
        assert (out / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name

    def scenario_text(folder):  # the command line records its command; Python has none to record
        lines = (folder / "scenario.resolved.yaml").read_text().splitlines()
        return [line for line in lines if not line.startswith("# Command: ")]

    assert scenario_text(out) == scenario_text(tmp_path / "cli")
    with pytest.raises(sim.UserInputError):
        study.to_folder(out)  # not empty: refused without force, as on the command line


@pytest.mark.slow
def test_to_folder_draws_the_pictures_and_compare_pairs(tmp_path):
    study = sim.run(TUTORIAL, runs=4, seed=1, overrides={"days": 2}, workers=1, progress=False)
    out = study.to_folder(tmp_path / "s")
    assert (out / "report.html").exists() and (out / "plots" / "area_fan_chart.png").exists()
    both = sim.compare(
        [DEFAULT, ROOT / "scenarios" / "whatif_no_air.yaml"],
        runs=4,
        seed=1,
        overrides={"days": 3},
        workers=1,
        progress=False,
    )
    assert both.labels == ["sudzha_jan2025", "whatif_no_air"]
    air = both.table[(both.table.metric == "ru_sorties") & (both.table.scenario == "whatif_no_air")]
    assert float(air["diff_mean"].iloc[0]) < 0
    assert list(both.runs["whatif_no_air"]["seed"]) == list(both.runs["sudzha_jan2025"]["seed"])


def test_workers_do_not_fork_a_process_that_runs_threads():
    """With another thread alive (as in a notebook kernel) the pool starts by forkserver, not fork."""
    import threading

    from sim.replications import start_method

    if threading.active_count() == 1:
        assert start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() in ("forkserver", "spawn")
        rows = []
        loaded = sim.load_scenario(TUTORIAL, ["days=2"])
        from sim.replications import run_batch

        run_batch(loaded, 4, 1, 2, lambda r: rows.append(r.outcomes["ru_casualties"]))
        single = []
        run_batch(loaded, 4, 1, 1, lambda r: single.append(r.outcomes["ru_casualties"]))
        assert rows == single  # same results whatever starts the workers
    finally:
        stop.set()
        thread.join()


def test_a_sweep_from_python_gives_the_command_lines_table(tmp_path):
    swept = sim.sweep(
        TUTORIAL,
        {"parameters.combat.intensity": [np.float64(1.0), 2]},
        runs=3,
        seed=2,
        overrides={"days": 2},
        workers=1,
        progress=False,
    )
    assert sorted(swept.table["parameters.combat.intensity"].unique()) == [1.0, 2.0]
    from sim.cli import main

    assert (
        main(
            [
                str(TUTORIAL),
                "--sweep",
                "parameters.combat.intensity=1.0,2",
                "--runs",
                "3",
                "--seed",
                "2",
                "--set",
                "days=2",
                "--workers",
                "1",
                "--no-plots",
                "--quiet",
                "--out",
                str(tmp_path / "cli"),
            ]
        )
        == 0
    )
    assert swept.table.equals(__import__("pandas").read_csv(tmp_path / "cli" / "sweep.csv"))
