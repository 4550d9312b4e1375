"""A Dask cluster plays the same runs as the local pool: byte-identical outputs for a seed."""

from __future__ import annotations

import json

import pytest

from sim.cli import main

from conftest import TUTORIAL

distributed = pytest.importorskip(
    "distributed", reason="the cluster test needs distributed (the [dask] extra)"
)

FILES = ("runs.csv", "timeseries.csv", "hexes.csv")
STUDY = [str(TUTORIAL), "--runs", "24", "--seed", "5", "--set", "days=4", "--no-plots", "--quiet"]
SWEEP = [*STUDY, "--sweep", "parameters.combat.intensity=1,2", "--runs", "8"]


def _play(args, out, *extra):
    assert main([*args, "--out", str(out), *extra]) == 0
    return out


@pytest.mark.slow
def test_a_local_cluster_gives_the_local_pools_files(tmp_path, capsys):
    """A LocalCluster of two worker processes on 127.0.0.1: the same study and sweep, byte for byte."""
    local = _play(STUDY, tmp_path / "local", "--workers", "2")
    capsys.readouterr()
    dask = _play(STUDY, tmp_path / "dask", "--executor", "dask", "--dask-workers", "2")
    # its workers keep the allocator's default (Dask's trim threshold makes each run twice as slow)
    assert "MALLOC_TRIM_THRESHOLD_" not in capsys.readouterr().err
    for name in FILES:
        assert (local / name).read_bytes() == (dask / name).read_bytes(), name
    executor = json.loads((dask / "summary.json").read_text())["executor"]
    assert executor["kind"] == "dask (LocalCluster)" and executor["workers"] == 2
    assert len(executor["worker_versions"]) == 2
    local = _play(SWEEP, tmp_path / "sweep-local", "--workers", "2")
    dask = _play(SWEEP, tmp_path / "sweep-dask", "--executor", "dask", "--dask-workers", "2")
    assert (local / "sweep.csv").read_bytes() == (dask / "sweep.csv").read_bytes()
    # a design's summary names what played it, as a study's does
    assert json.loads((dask / "summary.json").read_text())["executor"]["kind"] == "dask (LocalCluster)"
    assert json.loads((local / "summary.json").read_text())["executor"] == {
        "kind": "local processes",
        "workers": 2,
    }


@pytest.mark.slow
def test_an_existing_cluster_over_tcp_gives_the_same_files(tmp_path, capsys):
    """A scheduler and two workers reached by address (--scheduler tcp://...), as a real cluster is."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        dask = _play(STUDY, tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    # workers started with Dask's defaults trim malloc, which slows every run: the user is told how
    # to start them
    warned = capsys.readouterr().err
    assert "2 Dask worker(s) run with MALLOC_TRIM_THRESHOLD_" in warned
    assert "pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null" in warned
    local = _play(STUDY, tmp_path / "local", "--workers", "1")
    for name in FILES:
        assert (local / name).read_bytes() == (dask / name).read_bytes(), name
    assert json.loads((dask / "summary.json").read_text())["executor"]["kind"] == "dask (existing cluster)"


def test_dask_options_are_checked(capsys):
    assert main([str(TUTORIAL), "--scheduler", "tcp://127.0.0.1:1", "--validate"]) == 2
    assert "--executor dask" in capsys.readouterr().err


def test_each_scenario_of_a_sweep_goes_to_the_workers_as_itself():
    """A sweep's points are sent one after another: the next point's scenario, built once the last
    one is freed, may land at the same address, and must still be sent rather than take the last
    one's future (it did, keyed by id(), and a sweep on Dask played a point with the wrong values)."""
    from sim.cluster import DaskCluster

    class Client:
        def scatter(self, scenario, **_):
            return ("future of", scenario.label)

    class Scenario:
        def __init__(self, label):
            self.label = label

    cluster = DaskCluster(client=Client(), executor=None, workers=1, address="", kind="test")
    for label in range(20):
        assert cluster.scenario_ref(Scenario(label)) == ("future of", label)
    kept = Scenario("kept")
    first = cluster.scenario_ref(kept)
    assert cluster.scenario_ref(kept) is first  # sent once while it is the one in use
