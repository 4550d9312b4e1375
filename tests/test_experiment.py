"""Monte Carlo batches: seeds, worker-count independence, streaming, interruption."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.loading import load_scenario
from sim.replications import RunResult, chunk_size, lockstep, run_batch, run_seeds
from sim.study import run_study

from conftest import SCENARIOS


def test_run_seeds_are_reproducible_distinct_and_prefix_stable():
    """Per-run seeds come from the master seed alone; asking for more runs keeps the first ones."""
    a = run_seeds(42, 100)
    assert a == run_seeds(42, 100)
    assert len(set(a)) == 100
    assert run_seeds(42, 10) == a[:10]
    assert run_seeds(43, 10) != a[:10]
    assert all(0 <= s < 2**63 for s in a)


def test_runs_csv_is_byte_identical_whatever_the_number_of_workers(tutorial, tmp_path):
    """Same scenario and seed give the same runs.csv and timeseries.csv with 1 or 2 workers."""
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        out.mkdir()
        run_study(tutorial, out, runs=12, seed=99, workers=workers, progress=False, plots=False)
        outs[workers] = out
    for name in ("runs.csv", "timeseries.csv", "hexes.csv"):
        assert (outs[1] / name).read_bytes() == (outs[2] / name).read_bytes()
    other = tmp_path / "other"
    other.mkdir()
    run_study(tutorial, other, runs=12, seed=100, workers=2, progress=False, plots=False)
    assert (other / "runs.csv").read_bytes() != (outs[1] / "runs.csv").read_bytes()


def test_runs_are_byte_identical_whatever_the_number_played_in_lockstep(tutorial, default_scenario, tmp_path):
    """1, 7 or 64 replications played together, with 1 or 2 workers: the same runs.csv,
    timeseries.csv and hexes.csv, to the byte (each replication keeps its own random streams
    and its arrays their own shapes, so no replication depends on the others in its group)."""
    march = load_scenario(SCENARIOS / "sudzha_mar2025.yaml")  # pockets fall, units break out
    for name, scenario, runs in (
        ("tutorial", tutorial, 70),
        ("default", default_scenario, 20),
        ("march", march, 14),
    ):
        outs = {}
        for size, workers in ((1, 1), (7, 2), (64, 1)):
            out = tmp_path / f"{name}-{size}-{workers}"
            out.mkdir()
            with lockstep(size):
                run_study(scenario, out, runs=runs, seed=17, workers=workers, progress=False, plots=False)
            outs[size] = out
        for file in ("runs.csv", "timeseries.csv", "hexes.csv"):
            assert (
                (outs[1] / file).read_bytes()
                == (outs[7] / file).read_bytes()
                == (outs[64] / file).read_bytes()
            )


def test_results_arrive_in_run_order_with_matching_seeds(tutorial):
    """The batch hands over runs in order, each with the seed spawned for it."""
    got: list[RunResult] = []
    status = run_batch(tutorial, 9, 5, 2, got.append)
    assert status.completed == 9 and not status.interrupted
    assert [r.run for r in got] == list(range(9))
    assert [r.seed for r in got] == run_seeds(5, 9)


def test_an_interrupted_batch_keeps_the_runs_it_finished(tutorial):
    """Ctrl-C during a batch returns the finished runs and says it was interrupted."""
    got: list[RunResult] = []

    def deliver(result: RunResult) -> None:
        got.append(result)
        if len(got) == 4:
            raise KeyboardInterrupt

    status = run_batch(tutorial, 50, 5, 1, deliver)
    assert status.interrupted and status.completed == 4
    assert len(got) == 4 and [r.run for r in got] == [0, 1, 2, 3]


def test_summary_statistics_match_the_runs(tutorial, tmp_path):
    """summary.json's percentiles and objective probabilities are those of runs.csv."""
    result = run_study(tutorial, tmp_path, runs=20, seed=3, workers=1, progress=False, plots=False)
    runs = pd.read_csv(tmp_path / "runs.csv")
    area = result.summary["metrics"]["ua_area_km2"]
    assert np.isclose(area["p50"], runs["ua_area_km2"].median())
    assert np.isclose(area["mean"], runs["ua_area_km2"].mean())
    assert area["p5"] <= area["p25"] <= area["p50"] <= area["p75"] <= area["p95"]
    held = result.summary["objectives"]["malaya_loknya"]["p_ua_holds"]
    assert np.isclose(held, runs["held_malaya_loknya"].mean())
    hexes = pd.read_csv(tmp_path / "hexes.csv")
    assert hexes["p_ua_control"].between(0, 1).all()
    series = pd.read_csv(tmp_path / "timeseries.csv")
    assert sorted(series["turn"].unique()) == list(range(tutorial.spec.turn_count + 1))


def test_chunks_share_the_runs_evenly_and_keep_lockstep_groups_whole_where_the_runs_allow():
    for runs in (1, 7, 12, 100, 101, 200, 1000, 10_000):
        for workers in (2, 3, 4):
            for size in (1, 8, 32):
                chunk = chunk_size(runs, workers, size)
                chunks = -(-runs // chunk)
                assert chunk <= max(size, 25 // size * size)
                assert chunks >= min(runs, workers)  # every worker has work
                if size >= 25 and runs >= 2 * workers * size:  # enough runs: groups near full
                    assert chunk >= 2 * size / 3
    # a worker's memory follows its groups: 100 runs on 2 workers still play groups of 25
    assert chunk_size(100, 2, 32) == 25
    assert chunk_size(1000, 2, 32) == chunk_size(10_000, 2, 32) == 32


def test_the_summary_reads_runs_csv_as_pandas_types_and_parses_it(tmp_path):
    """The summary's reader of runs.csv (row by row, to hold less) gives pandas' values and types:
    int64 for whole numbers (seeds near 2**63 exactly), float64 once a column has a fraction or an
    empty cell, NaN for empty, and pandas' own reading of a column that is not numbers."""
    from sim.study import RunsColumns

    path = tmp_path / "runs.csv"
    path.write_text(
        "run,seed,area,changed,mixed,label\n"
        "0,9223372036854775806,435.1234568,,3,a\n"
        "1,17,-0.5,12.5,-2.25,b\n"
        "2,-3,1e-05,,7,c\n"
    )
    runs = RunsColumns(path)
    expected = pd.read_csv(path)
    assert len(runs) == 3 and list(runs.columns) == list(expected.columns)
    for column in expected.columns:
        mine, theirs = runs[column], expected[column]
        assert mine.dtype == theirs.dtype, column
        assert mine.equals(theirs), column


def test_every_per_turn_metric_keeps_its_kind_of_number_all_run():
    """A run's records are written into arrays typed at its first turn (whole numbers as int64): a
    metric that gives a whole number then must give whole numbers all run, or its values would be
    cut to integers (and one that gives a fraction must not turn whole)."""
    from sim import engine
    from sim.replications import start_run

    for name in ("tutorial.yaml", "sudzha_jan2025.yaml", "sudzha_mar2025.yaml"):
        bf, _ = start_run(load_scenario(SCENARIOS / name), 3)
        kinds: dict[str, set[bool]] = {}

        engine.prepare(bf)
        while True:
            for metric, compute in engine.reporters(bf).items():
                kinds.setdefault(metric, set()).add(isinstance(compute(bf), int | np.integer))
            if engine.finished(bf):
                break
            engine.play_turn(bf)
        mixed = {metric: kind for metric, kind in kinds.items() if len(kind) > 1}
        assert not mixed, (name, mixed)
        assert {True, False} <= set().union(*kinds.values())  # both kinds are there to be kept apart
