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
    # the first runs are streamed (to the hidden partial file): a run has finished
    while time.time() < deadline and not _a_run_streamed(out):
        time.sleep(0.2)
    return proc


def _a_run_streamed(out) -> bool:
    for path in out.glob(".*runs*") if out.exists() else ():
        try:
            if path.read_text().count("\n") >= 2:
                return True
        except OSError:
            pass
    return False


@pytest.mark.slow
def test_sigterm_stops_a_batch_cleanly(tmp_path):
    """SIGTERM (kill, timeout, CI) keeps the finished runs, says interrupted, and leaves no worker."""
    import json
    import signal

    proc = _start_batch(tmp_path / "out")
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM == 143, err
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


# --------------------------------------------------------------------------- hostile inputs: exit 2, located

_DATE = "start_date: 2025-01-06\n"


def _located(path, overrides=()):
    """The problems of a scenario that must be refused (exit 2), each with a file and a field or line."""
    from sim.errors import UserInputError
    from sim.loading import check_buildable, load_scenario

    with pytest.raises(UserInputError) as err:
        check_buildable(load_scenario(path, overrides))
    problems = err.value.problems
    assert problems and all(p.file for p in problems)
    return problems


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("start_date: 2025-01-06", "start_date: 2025-02-30"), "start_date", "cannot be read as a date"),
        (("name: minimal", "name: 2025-02-30"), "name", "quote it to make it text"),
        (("name: minimal", "name: mini\x01mal"), None, "U+0001"),
        (("turns: 5", "turns: " + "[" * 500 + "]" * 500), None, "nested more than"),
        (("turns: 5", "turns: 5\nobjectives: &a [*a]"), None, "recursive alias"),
        (("turns: 5", "turns: 5\nweather: &w {clear: *w}"), None, "recursive alias"),
        (("    personnel: 600", "    personnel: 600\n    vehicles: true"), "forces[0].vehicles", "not true"),
        (("turns: 5", "turns: !!str 10"), "turns", "not the text '10'"),
        (("turns: 5", "turns: 5\nhex_km: true"), "hex_km", "valid number"),
        (("start_date: 2025-01-06", "start_date: 9999-12-01"), "start_date", "must end by"),
        (("id: ru_a", "id: ua_a"), "forces[1].id", "repeated: ua_a"),
        (("turns: 5", "turns: 5\nhex_km: 5\n"), None, None),  # fits: no problem (checked below)
    ],
)
def test_hostile_values_are_refused_at_their_line(write_yaml, change, field, words):
    """Impossible dates, control characters, deep nesting and recursive aliases, booleans and text
    where numbers belong, a calendar past the plots' end, repeated ids: exit 2 at the line, never 1."""
    from sim.loading import check_buildable, load_scenario

    from conftest import MINIMAL

    text = (MINIMAL + _DATE).replace(*change)
    path = write_yaml(text)
    if words is None:
        check_buildable(load_scenario(path))
        return
    problems = _located(path)
    written = change[1].splitlines()[-1].strip()
    line = 1 + max(i for i, text_line in enumerate(text.splitlines()) if written in text_line)
    assert problems[0].line == line, problems
    assert words in problems[0].message, problems
    if field is not None:
        assert problems[0].field == field


@pytest.mark.parametrize(
    ("assignment", "words"),
    [
        ("start_date=2025-02-30", "cannot be read as a date"),
        ("name=2025-02-30", "cannot be read as a date"),
        ("name=a\x01b", "U+0001"),
        ("forces.ua_a.vehicles=true", "not true"),
        ("extends=other.yaml", "'extends' cannot be changed with --set"),
        ("weather.clear=0.9", "must be 1"),
        ("forces.ru_a.arrive_date=2024-01-01", "before the start_date"),
    ],
)
def test_a_set_error_names_the_set_not_a_line_of_the_file(write_yaml, assignment, words):
    """A --set mistake is blamed on the --set (no line), even when a model's own check finds it."""
    from conftest import MINIMAL

    (problem,) = _located(write_yaml(MINIMAL + _DATE), [assignment])
    assert problem.file == f"--set {assignment}" and problem.line is None, problem
    assert words in problem.message
    assert "\x01" not in str(problem)  # a control character is shown escaped


def test_devices_fifos_and_folders_are_refused_by_type(tmp_path, write_yaml):
    """/dev/zero (which reads forever) and a FIFO nobody writes to (which waits forever) are refused
    at once as a scenario, a base and a map, by their type, not their size."""
    import os

    from conftest import MAP, MINIMAL

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    for special, kind in (("/dev/zero", "a device"), (str(fifo), "a FIFO")):
        (problem,) = _located(special)
        assert kind in problem.message and problem.file == special
        (problem,) = _located(write_yaml(f"extends: {special}\nname: x\n", "child.yaml"))
        assert kind in problem.message
        (problem,) = _located(write_yaml(MINIMAL.replace(f"map: {MAP}", f"map: {special}"), "m.yaml"))
        assert kind in problem.message
    (problem,) = _located(tmp_path)
    assert "folder" in problem.message
    assert time.perf_counter() - started < 10


def test_map_files_that_are_empty_blank_or_the_wrong_size_are_refused(tmp_path, write_yaml):
    """An empty map file, `map: ''`, a box too small for one hex and a box of millions of hexes are
    refused by the loader (so by --validate), naming the file and the field."""
    import yaml

    from conftest import MAP, MINIMAL

    (tmp_path / "empty.yaml").write_text("")
    (problem,) = _located(write_yaml(MINIMAL.replace(f"map: {MAP}", "map: empty.yaml"), "a.yaml"))
    assert problem.file == str(tmp_path / "empty.yaml") and "the map file is empty" in problem.message
    (problem,) = _located(write_yaml(MINIMAL.replace(f"map: {MAP}", "map: ''"), "b.yaml"))
    assert problem.field == "map" and "empty text" in problem.message

    spec = yaml.safe_load(MAP.read_text())
    spec["bbox"] = {"south": 51.18, "north": 51.19, "west": 35.27, "east": 35.28}
    spec["settlements"] = [{"name": "Sudzha", "lat": 51.185, "lon": 35.275}]
    spec["lines_of_control"] = {}
    spec["border"] = {"points": [[51.181, 35.27], [51.181, 35.28]]}
    (tmp_path / "small.yaml").write_text(yaml.safe_dump(spec))
    small = (
        MINIMAL.replace(f"map: {MAP}", "map: small.yaml")
        .replace('line_of_control: "2025-01-05"', "line_of_control: null")
        .replace("[51.30, 35.50]", "[51.186, 35.276]")
    )
    (problem,) = _located(write_yaml(small, "c.yaml"))
    assert problem.field == "hex_km" and "too large for the map box" in problem.message

    spec = yaml.safe_load(MAP.read_text())
    spec["bbox"] = {"south": -80, "north": 80, "west": -170, "east": 170}
    (tmp_path / "world.yaml").write_text(yaml.safe_dump(spec))
    started = time.perf_counter()
    huge = MINIMAL.replace(f"map: {MAP}", "map: world.yaml") + "hex_km: 0.5\n"
    (problem,) = _located(write_yaml(huge, "d.yaml"))
    assert problem.field == "hex_km" and "at most 200,000 are built" in problem.message
    assert time.perf_counter() - started < 10  # refused before anything is built


def test_the_grid_check_lays_out_the_hexes_the_map_is_built_with(tutorial, default_scenario):
    """`grid_shape` (what --validate checks) gives the columns and rows `build_hexmap` builds."""
    from sim.battle.geography import build_hexmap, grid_shape

    for loaded in (tutorial, default_scenario):
        for hex_km in (0.5, 1.5, 2.0, 5.0):
            built = build_hexmap(loaded.map, hex_km, 1000)
            assert grid_shape(loaded.map.bbox, hex_km) == (built.cols, built.rows)


def test_cyrillic_names_give_keys_and_no_name_gives_an_empty_one(write_yaml):
    """`Суджа` is keyed `sudzha` (so its runs.csv column is held_sudzha, not held_), other scripts keep
    their letters, and a name with no letter or digit is refused at its line."""
    import yaml

    from sim.scenario.mapfile import slug

    from conftest import MAP, MINIMAL

    assert slug("Суджа") == "sudzha" and slug("Большое Солдатское") == "bolshoe_soldatskoe"
    assert slug("Bolshoye Soldatskoye") == "bolshoye_soldatskoye" and slug("北京") == "北京"
    spec = yaml.safe_load(MAP.read_text())
    spec["settlements"][1]["name"] = "!!!"
    write_yaml(yaml.safe_dump(spec, allow_unicode=True), "map.yaml")
    (problem,) = _located(write_yaml(MINIMAL.replace(f"map: {MAP}", "map: map.yaml"), "s.yaml"))
    assert problem.field == "settlements[1].name" and "no letter or digit" in problem.message


def test_a_newline_in_the_file_name_keeps_the_resolved_scenario_runnable(tmp_path):
    """The resolved scenario's header names the file on one comment line, so it loads again."""
    from sim.loading import load_scenario
    from sim.study import resolved_yaml

    from conftest import MINIMAL

    path = tmp_path / "new\nline.yaml"
    path.write_text(MINIMAL)
    text = resolved_yaml(load_scenario(path, ["name=a\\nb"]), "note")
    again = tmp_path / "again.yaml"
    again.write_text(text)
    assert load_scenario(again).spec.name == load_scenario(path, ["name=a\\nb"]).spec.name
    assert all(line.startswith("#") for line in text.split("\nname:")[0].splitlines())


def test_compare_labels_stay_inside_out_and_apart_from_its_own_files(tmp_path):
    """A file named `...yaml` cannot name the parent of --out, and stems equal to compare's own
    outputs (compare.csv, plots, summary.json) or to each other in another case get folders of their own."""
    from pathlib import Path

    from sim.analysis.compare import labels_for
    from sim.output import OUTPUT_FOLDERS, OUTPUT_NAMES

    names = ["...yaml", "compare.csv.yaml", "plots.yaml", "a/tutorial.yaml", "b/tutorial.yaml"]
    names += ["TUTORIAL.yaml", ".sudzha-lock.yaml", "new\nline.yaml", "summary.json.yaml", "../x/.yaml"]
    labels = labels_for([Path(n) for n in names])
    assert labels[3:5] == ["tutorial", "tutorial-2"]  # ordinary stems keep their names
    assert len({label.casefold() for label in labels}) == len(labels)
    for label in labels:
        assert label and not label.startswith(".") and "/" not in label and label.isprintable()
        assert label not in OUTPUT_NAMES | OUTPUT_FOLDERS
        assert (tmp_path / label).resolve().parent == tmp_path.resolve()


def test_a_compare_of_a_dotted_file_name_writes_only_inside_out(tmp_path):
    """The whole comparison of `...yaml` against another scenario lands inside --out."""
    from sim.cli import main

    from conftest import MINIMAL

    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "...yaml").write_text(MINIMAL)
    (tmp_path / "work" / "compare.csv.yaml").write_text(MINIMAL.replace("turns: 5", "turns: 2"))
    out = tmp_path / "work" / "out"
    args = [str(tmp_path / "work" / "...yaml"), str(tmp_path / "work" / "compare.csv.yaml")]
    code = main([*args, "--runs", "2", "--workers", "1", "--no-plots", "--quiet", "--out", str(out)])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["...yaml", "compare.csv.yaml", "out"]
    assert (out / "compare.csv").is_file() and (out / "compare.csv-scenario").is_dir()


# --------------------------------------------------------------------------- the machine's errors


def test_an_over_long_out_is_the_users_to_fix(tmp_path, capsys):
    """An --out whose name is longer than the file system allows: exit 2 naming it, not "a bug"."""
    from sim.cli import main

    code = main([str(TUTORIAL), "--runs", "1", "--quiet", "--out", str(tmp_path / ("x" * 300))])
    err = capsys.readouterr().err
    assert code == 2 and "File name too long" in err and "this is a bug" not in err


def test_a_full_standard_output_exits_2_and_a_closed_pipe_quietly():
    """`--validate > /dev/full` exits 2 with the cause; `--validate | head -c 10` (the reader gone
    before the first line) exits quietly with 141, as `yes | head` does, with nothing on stderr."""
    import os

    from conftest import run_cli

    assert os.path.exists("/dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "run_scenario.py", str(TUTORIAL), "--validate"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2 and "No space left on device" in done.stderr
    assert "this is a bug" not in done.stderr
    proc = subprocess.Popen(
        [sys.executable, "run_scenario.py", str(TUTORIAL), "--validate"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # the reader goes away before the command has written a byte
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141 and "Error" not in err and "error" not in err, err
    assert run_cli(str(TUTORIAL), "--validate").returncode == 0


# --------------------------------------------------------------------------- signals and dead workers


def _runs_and_turns_agree(out) -> int:
    """A run is in runs.csv if and only if all its turns are in timeseries.csv; the number of runs."""
    import csv
    import json
    from collections import Counter

    turns = json.loads((out / "summary.json").read_text())["scenario"]["turns"]
    with open(out / "runs.csv", newline="") as fh:
        runs = [int(row["run"]) for row in csv.DictReader(fh)]
    with open(out / "timeseries.csv", newline="") as fh:
        rows = Counter(int(row["run"]) for row in csv.DictReader(fh))
    assert len(set(runs)) == len(runs), "a run written twice"
    assert set(rows) == set(runs), f"runs in one file only: {sorted(set(rows) ^ set(runs))[:5]}"
    short = {run: n for run, n in rows.items() if n != turns + 1}
    assert not short, f"runs with a turn missing or doubled: {short}"
    return len(runs)


def _no_partial_files(out) -> None:
    from sim.output import MANIFEST

    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != MANIFEST]


def test_a_signal_between_a_runs_rows_waits_until_the_run_is_written(tmp_path, monkeypatch):
    """Ctrl-C, twice, in the middle of writing one run's turns (after its runs.csv row): the run is
    written whole, the batch stops after it, and the two files agree (in-process, one worker)."""
    import json
    import os
    import signal

    import sim.output as output
    from sim.loading import load_scenario
    from sim.study import run_study

    writes = {"timeseries.csv": 0}
    signal_at = {9, 12}  # rows of timeseries.csv: the third run's first turns (the tutorial has 5)
    original = output.StreamingCsv.write

    def write(self, row):
        original(self, row)
        if self.path.name in writes:
            writes[self.path.name] += 1
            if writes[self.path.name] in signal_at:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.01)  # the handler runs now, inside the run's delivery

    monkeypatch.setattr(output.StreamingCsv, "write", write)
    scenario = load_scenario(TUTORIAL, ["days=3"])
    out = tmp_path / "out"
    try:
        result = run_study(scenario, out, runs=8, seed=3, workers=1, progress=False, plots=False)
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped the study")
    assert result.status.interrupted and result.stopped_during == ["runs"]
    written = _runs_and_turns_agree(out)
    assert 0 < written < 8
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs_completed"] == written and summary["status"] == "interrupted"
    assert summary["runs_missing"] == 8 - written
    _no_partial_files(out)


@pytest.mark.slow
def test_repeated_ctrl_c_at_random_moments_keeps_runs_and_turns_together(tmp_path):
    """Ctrl-C pressed again and again at random moments while two workers stream runs: exit 130, and
    every run in runs.csv has all its turns in timeseries.csv and no others (seeded moments)."""
    import json
    import os
    import random
    import signal

    chance = random.Random(15)
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        proc = subprocess.Popen(
            [
                sys.executable,
                "run_scenario.py",
                str(TUTORIAL),
                "--runs",
                "100000",
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
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline and not list(out.glob(".runs.csv.*.partial")):
            time.sleep(0.05)
        time.sleep(chance.uniform(0.5, 2.0))
        for _ in range(chance.randint(2, 5)):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(chance.uniform(0.0, 0.05))
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        written = _runs_and_turns_agree(out)
        summary = json.loads((out / "summary.json").read_text())
        assert summary["interrupted"] and summary["runs_completed"] == written > 0
        _no_partial_files(out)


@pytest.mark.slow
@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
def test_a_signal_while_drawing_the_plots_leaves_a_summary_that_says_so(tmp_path, signum):
    """Ctrl-C or SIGTERM once the plots are being drawn: exit 130 or 143, every run kept, and summary.json
    says the study was interrupted during the plots and which pictures and pages are missing."""
    import json
    import signal

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "run_scenario.py",
            str(TUTORIAL),
            "--runs",
            "4",
            "--workers",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "drawing the plots" in line:
            proc.send_signal(getattr(signal, signum))
            break
    _, rest = proc.communicate(timeout=120)
    err = "".join(seen) + rest
    assert proc.returncode == 128 + getattr(signal, signum), err  # 130 for Ctrl-C, 143 for SIGTERM
    assert "while drawing the plots" in err and "Traceback" not in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["status"] == "interrupted"
    assert summary["interrupted_during"] == ["plots"]
    assert summary["runs_completed"] == summary["runs_requested"] == 4 and summary["runs_missing"] == 0
    assert "report.html" in summary["missing"] and not (out / "report.html").exists()
    drawn = {p.name for p in (out / "plots").glob("*.png")} if (out / "plots").is_dir() else set()
    assert set(summary["plots_drawn"]) == drawn
    assert not any(f"plots/{name}" in summary["missing"] for name in drawn)
    assert _runs_and_turns_agree(out) == 4
    _no_partial_files(out)


def _kill_a_worker_of(args: list[str], out, streamed: str):
    """Start `run_scenario.py ARGS --out OUT` with two workers, wait until a file matching
    `streamed` (a stream's hidden partial file) appears and a second more, kill -9 one worker;
    the finished process's return code, stderr and the workers it had."""
    import os
    import signal

    proc = subprocess.Popen(
        [sys.executable, "run_scenario.py", *args, "--workers", "2", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(streamed)):
        time.sleep(0.05)  # the first runs are written
    time.sleep(1.0)
    workers = _children(proc.pid)
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err, workers


@pytest.mark.slow
def test_a_killed_worker_ends_the_study_incomplete_with_exit_3(tmp_path):
    """kill -9 of one worker mid-batch: one line naming the runs finished and that the study is
    incomplete, exit 3, a summary that says so, and the finished runs' files in step."""
    import json

    out = tmp_path / "out"
    code, err, workers = _kill_a_worker_of(
        ["run", str(TUTORIAL), "--runs", "2000", "--no-plots", "--quiet"], out, ".runs.csv.*.partial"
    )
    assert code == 3, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: a worker process ended unexpectedly"), err
    assert "runs finished" in lines[0] and "incomplete" in lines[0]
    summary = json.loads((out / "summary.json").read_text())
    written = _runs_and_turns_agree(out)
    assert summary["status"] == "incomplete" and not summary["interrupted"]
    assert 0 < summary["runs_completed"] == written < 2000
    assert summary["runs_missing"] == 2000 - written
    assert f"{written} of 2000 runs finished" in lines[0]
    _no_partial_files(out)
    time.sleep(1)
    assert not [w for w in workers if _alive(w)]


@pytest.mark.slow
def test_a_killed_worker_ends_a_comparison_with_a_summary_that_says_so(tmp_path):
    """kill -9 of one worker while a comparison plays its first scenario: exit 3, and the
    comparison's own summary.json says it is incomplete and how far each scenario got."""
    import json

    out = tmp_path / "out"
    args = ["compare", str(TUTORIAL), str(TUTORIAL), "--runs", "2000", "--no-plots", "--quiet"]
    code, err, _ = _kill_a_worker_of(args, out, "*/.runs.csv.*.partial")
    assert code == 3, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["analysis"] == "compare" and summary["status"] == "incomplete"
    first, second = summary["scenarios"]
    assert 0 < first["runs_completed"] < 2000 and second["runs_completed"] == 0
    assert json.loads((out / first["folder"] / "summary.json").read_text())["status"] == "incomplete"


@pytest.mark.slow
def test_a_killed_worker_ends_a_sensitivity_study_with_a_summary_that_says_so(tmp_path):
    """kill -9 of one worker mid-design: exit 3, the finished points' rows kept, and summary.json
    says the study is incomplete, how many runs are missing, and gives no global indices."""
    import json

    out = tmp_path / "out"
    args = ["sensitivity", str(TUTORIAL), "--global", "morris", "--samples", "4", "--runs", "100"]
    code, err, _ = _kill_a_worker_of(
        [*args, "--no-plots", "--quiet", "--yes"], out, ".sensitivity.csv.*.partial"
    )
    assert code == 3, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["analysis"] == "sensitivity" and summary["status"] == "incomplete"
    assert summary["runs_completed"] > 0 and summary["runs_missing"] > 0
    assert not (out / "morris.csv").exists()


@pytest.mark.slow
def test_validating_a_large_design_holds_one_point_at_a_time():
    """Checking a design costs the memory of one point's scenario, not of every point: ten times the
    points, about the same peak (it was some 150 kB a point: 10,000 points, 1.6 GB)."""
    import tracemalloc

    from sim.analysis.design import DesignPoint, load_points

    def peak(n: int) -> int:
        points = [DesignPoint(i, {}, (f"parameters.combat.intensity={1 + i / n:.6g}",), {}) for i in range(n)]
        tracemalloc.start()
        try:
            checked = load_points(TUTORIAL, [], points)
            assert len(checked) == n
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    load_points(TUTORIAL, [], [DesignPoint(0, {}, ())])  # what is loaded once and kept either way
    small, large = peak(100), peak(1000)
    assert large - small < 5_000_000, (small, large)
