"""Nothing run that the user did not write, and no two runs in one folder."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from sim.app.page import plain

from conftest import ROOT, TUTORIAL


def test_user_text_in_the_app_is_shown_as_text():
    """A scenario's name or description cannot inject HTML or script into the classroom app."""
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script> **bold** [link](javascript:x)'
    shown = plain(hostile)
    assert "<" not in shown and ">" not in shown  # no tag survives
    assert "\\*\\*bold\\*\\*" in shown and "\\[link\\]" in shown  # nor Markdown


@pytest.mark.slow
def test_a_second_run_into_a_busy_folder_is_refused(tmp_path):
    """While one run writes in --out, another into the same folder exits 2, naming the holder."""
    out = tmp_path / "out"
    first = subprocess.Popen(
        [
            sys.executable,
            "run_scenario.py",
            str(TUTORIAL),
            "--runs",
            "60",
            "--workers",
            "1",
            "--no-plots",
            "--quiet",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while not (out / ".sudzha-lock").exists() and time.time() < deadline:
            time.sleep(0.05)
        second = subprocess.run(
            [
                sys.executable,
                "run_scenario.py",
                str(TUTORIAL),
                "--runs",
                "2",
                "--force",
                "--quiet",
                "--out",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert second.returncode == 2, second.stderr
        assert "another run" in second.stderr and f"process {first.pid}" in second.stderr
    finally:
        _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    lines = (out / "runs.csv").read_text().splitlines()
    assert len(lines) == 61  # the first run's rows, untouched by the second
    assert not (out / ".sudzha-lock").exists()


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _start_batch(out):
    proc = subprocess.Popen(
        [
            sys.executable,
            "run_scenario.py",
            "--runs",
            "400",
            "--workers",
            "2",
            "--no-plots",
            "--quiet",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while len(_children(proc.pid)) < 2 and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(6.0)  # the first chunks of runs finish
    return proc


@pytest.mark.slow
def test_sigterm_stops_a_batch_cleanly(tmp_path):
    """SIGTERM (kill, timeout, CI) keeps the finished runs, says interrupted, and leaves no worker."""
    import json
    import signal

    proc = _start_batch(tmp_path / "out")
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["interrupted"] and 0 < summary["runs_completed"] < 400
    time.sleep(1)
    assert not [w for w in workers if _alive(w)]


@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed(tmp_path):
    """SIGKILL of the parent, which can clean nothing up: its workers still end within seconds."""
    import signal

    proc = _start_batch(tmp_path / "out")
    workers = _children(proc.pid)
    assert workers
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while [w for w in workers if _alive(w)] and time.time() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "orphan workers outlived their parent"


def test_runs_and_workers_are_bounded_and_seeds_made_as_needed():
    """--runs 100000000 and --workers 500 are refused with a clear message; run k's seed is made alone,
    equal to the k-th of the spawned seeds, so a batch never allocates every seed first."""
    import itertools

    from sim.cli import main
    from sim.replications import iter_jobs, run_seed, run_seeds

    assert main(["--runs", "100000000", "--validate"]) == 2
    assert main(["--workers", "500", "--validate"]) == 2
    assert [run_seed(7, k) for k in range(6)] == run_seeds(7, 6)
    started = time.perf_counter()
    first = list(itertools.islice(iter_jobs(7, 10**9, per_draw=5), 3))
    assert time.perf_counter() - started < 1.0  # lazy: a billion runs planned in no time
    assert [j.seed for j in first] == run_seeds(7, 3) and [j.draw for j in first] == [0, 0, 0]


def test_a_full_disk_while_streaming_leaves_no_half_file_and_exits_2(tmp_path, monkeypatch, capsys):
    """The disk fills up after a few runs: exit 2 naming the path and the cause, and no half-written
    runs.csv or timeseries.csv under their names (nor any partial file left)."""
    import errno

    import sim.output as output
    from sim.cli import main

    out = tmp_path / "out"
    assert (
        main([str(TUTORIAL), "--runs", "2", "--set", "days=2", "--no-plots", "--quiet", "--out", str(out)])
        == 0
    )
    earlier = (out / "runs.csv").read_bytes()

    class FillsUp:
        def __init__(self, fh):
            self.fh, self.written = fh, 0

        def write(self, text):
            self.written += len(text)
            if self.written > 2000:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(text)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    opened = output._open_partial
    monkeypatch.setattr(output, "_open_partial", lambda path: FillsUp(opened(path)))
    code = main(
        [
            str(TUTORIAL),
            "--runs",
            "20",
            "--set",
            "days=2",
            "--workers",
            "1",
            "--no-plots",
            "--quiet",
            "--force",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and "this is a bug" not in err
    assert not list(out.glob(".*.partial"))
    assert not (out / "timeseries.csv").exists()
    # --force cleared the earlier study's files before the first run; no half of the new one replaced them
    assert not (out / "runs.csv").exists() or (out / "runs.csv").read_bytes() == earlier
