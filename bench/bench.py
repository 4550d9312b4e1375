#!/usr/bin/env python3
"""Benchmark: the default scenario against Mesa's own WolfSheep example, on this machine.

Everything is measured in one call, so the figures compare on any machine:

1. **one replication against one WolfSheep-small run** (Mesa's benchmarks/configurations.py:
   25 x 25 grid, 60 sheep, 40 wolves, 80 steps), interleaved in one process, A B A B ...,
   both timed the same way: wall clock, the garbage collector on as in a real batch, after
   warm-up, the median of the rounds; the ratio is the median of the per-round ratios, so it
   holds when the machine's speed drifts. A replication is timed as batches play it (a
   lock-step group of the default size, the group's time divided by its replications) and
   alone (as the app and a single run play it);
2. **the cost of a replication against its size**: turns (the default scenario cut to fewer
   days), units (the shipped scenarios) and hexes (the default at other hex sizes), as fitted
   slopes;
3. **whole command-line batches** (`--no-plots`, results streamed to disk as always) with 1
   and 2 workers at 200 and 1,000 runs, and with all workers at 100, 1,000 and 10,000 runs,
   each process's resident memory sampled from outside (the parent and every worker) so a
   peak counter inherited across fork does not count;
4. **the default job split** into simulation, plots and report, and `validate` of the default.

It ends with the targets and whether each is met.

    .venv/bin/python bench/bench.py            # the full benchmark (about a quarter of an hour)
    .venv/bin/python bench/bench.py --quick    # smaller batches, for a quick look (a few minutes)
    .venv/bin/python bench/bench.py --json bench.json   # also the numbers as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import __version__  # noqa: E402
from sim.loading import load_scenario  # noqa: E402
from sim.machine import LOCKSTEP, default_workers  # noqa: E402
from sim.replications import plan_jobs, play_together, run_once, run_seeds  # noqa: E402

SCENARIOS = ROOT / "scenarios"
DEFAULT = SCENARIOS / "sudzha_jan2025.yaml"
CLI = [sys.executable, str(ROOT / "run_scenario.py")]


# ----------------------------------------------------------------------------- in one process


def wolf_sheep_small(seed: int) -> float:
    """Seconds of one WolfSheep-small run, built and stepped (Mesa's global_benchmark.py)."""
    from mesa.examples import WolfSheep
    from mesa.examples.advanced.wolf_sheep.model import WolfSheepScenario

    started = time.perf_counter()
    scenario = WolfSheepScenario(
        width=25, height=25, initial_sheep=60, initial_wolves=40, grass=True, rng=seed
    )
    model = WolfSheep(scenario)
    for _ in range(80):
        model.step()
    return time.perf_counter() - started


def replication(loaded, seed: int) -> float:
    """Seconds of one replication played alone (as the app and a single run play it)."""
    started = time.perf_counter()
    run_once(loaded, seed)
    return time.perf_counter() - started


def lockstep_replication(loaded, first: int) -> float:
    """Seconds per replication of one lock-step group of the default size (as batches play them)."""
    jobs = plan_jobs(first, LOCKSTEP)
    started = time.perf_counter()
    play_together(loaded, jobs)
    return (time.perf_counter() - started) / len(jobs)


def interleaved(loaded, rounds: int) -> dict:
    """Our replication (in a lock-step group, and alone) and WolfSheep-small in turn, the same
    statistic for all."""
    seeds = run_seeds(1, rounds + 2)
    for k, s in enumerate(seeds[:2]):  # warm-up: imports, map, cost tables, first calls
        lockstep_replication(loaded, 1000 + k)
        replication(loaded, s)
        wolf_sheep_small(int(s % 1000))
    grouped, alone, theirs, ratios, ratios_alone = [], [], [], [], []
    for k in range(rounds):
        g = lockstep_replication(loaded, 2000 + k)
        a = replication(loaded, seeds[k + 2])
        b = wolf_sheep_small(k)
        grouped.append(g)
        alone.append(a)
        theirs.append(b)
        ratios.append(g / b)
        ratios_alone.append(a / b)
    return {
        "lockstep": LOCKSTEP,
        "replication_s": statistics.median(grouped),
        "replication_alone_s": statistics.median(alone),
        "wolfsheep_small_s": statistics.median(theirs),
        "replication_over_wolfsheep": statistics.median(ratios),
        "replication_alone_over_wolfsheep": statistics.median(ratios_alone),
        "ratio_spread": [float(np.percentile(ratios, 10)), float(np.percentile(ratios, 90))],
    }


def median_cost(loaded, repeats: int) -> float:
    """Median seconds per replication over `repeats` lock-step groups."""
    lockstep_replication(loaded, 3000)
    return statistics.median(lockstep_replication(loaded, 3001 + k) for k in range(repeats))


def slopes(repeats: int) -> dict:
    """Cost per replication against turns, units and hexes, each a straight-line fit."""
    out: dict = {}
    days = [8, 16, 32]
    by_turns = [(load_scenario(DEFAULT, [f"days={d}"]), d) for d in days]
    xs = [ld.spec.turn_count for ld, _ in by_turns]
    ys = [median_cost(ld, repeats) for ld, _ in by_turns]
    slope, intercept = np.polyfit(xs, ys, 1)
    out["turns"] = {
        "points": list(zip(xs, ys, strict=True)),
        "ms_per_turn": slope * 1e3,
        "ms_fixed": intercept * 1e3,
    }

    units_x, per_turn = [], []
    for name in ("tutorial", "sudzha_aug2024", "sudzha_jan2025", "sudzha_mar2025"):
        ld = load_scenario(SCENARIOS / f"{name}.yaml")
        units_x.append(len(ld.spec.forces))
        per_turn.append(median_cost(ld, repeats) / ld.spec.turn_count)
    slope, intercept = np.polyfit(units_x, per_turn, 1)
    out["units"] = {
        "points": list(zip(units_x, per_turn, strict=True)),
        "ms_per_unit_turn": slope * 1e3,
        "ms_per_turn_fixed": intercept * 1e3,
    }

    hexes_x, costs = [], []
    for hex_km in (1.0, 1.5, 2.0):
        ld = load_scenario(DEFAULT, [f"hex_km={hex_km}"])
        from sim.battle.battlefield import Battlefield

        hexes_x.append(Battlefield.from_scenario(ld, 0).hexmap.n)
        costs.append(median_cost(ld, repeats))
    slope, intercept = np.polyfit(hexes_x, costs, 1)
    out["hexes"] = {"points": list(zip(hexes_x, costs, strict=True)), "ms_per_1000_hexes": slope * 1e6}
    return out


# ----------------------------------------------------------------------------- from outside


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return found


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cli_batch(runs: int, workers: int) -> dict:
    """Wall seconds of a whole command-line batch, and the peak resident memory of its parent and
    of its largest worker, sampled every 20 ms from outside."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [*CLI, "run", str(DEFAULT), "--runs", str(runs), "--workers", str(workers)]
        cmd += ["--out", f"{tmp}/out", "--no-plots", "--quiet", "--yes"]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peaks: dict[int, float] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                tree = [proc.pid]
                for pid in tree:
                    tree += _children(pid)
                for pid in tree:
                    rss = _rss_mb(pid)
                    if rss is not None:
                        peaks[pid] = max(peaks.get(pid, 0.0), rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode()[-800:]}")
    parent = peaks.pop(proc.pid, 0.0)
    return {
        "runs": runs,
        "workers": workers,
        "wall_s": wall,
        "parent_peak_mb": parent,
        "worker_peak_mb": max(peaks.values(), default=0.0),
    }


def validate_s(repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([*CLI, "validate", str(DEFAULT)], cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def default_job(runs: int, workers: int) -> dict:
    """The default job in one process, split: simulation (with its CSVs and summary), plots, report."""
    import sim.report.figures as figures
    import sim.report.study_page as study_page
    from sim.study import run_study, write_pictures

    loaded = load_scenario(DEFAULT)
    split: dict = {}

    def timed(module, name: str, key: str):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                split[key] = time.perf_counter() - started

        return wrapper

    plots, report = figures.make_all_plots, study_page.write_report
    figures.make_all_plots = timed(figures, "make_all_plots", "plots_s")
    study_page.write_report = timed(study_page, "write_report", "report_s")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = run_study(
                loaded, Path(tmp), runs=runs, seed=7, workers=workers, progress=False, plots=False
            )
            split["simulation_s"] = time.perf_counter() - started
            write_pictures(loaded, Path(tmp), result.summary, result.p_ua, result.p_cut, seed=7)
    finally:
        figures.make_all_plots, study_page.write_report = plots, report
    split["runs"] = runs
    return split


# ----------------------------------------------------------------------------- the table


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller batches (a quick look, not the README numbers)"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args()

    workers = default_workers()
    quick = args.quick
    loaded = load_scenario(DEFAULT)
    print("timing replications against WolfSheep ...", file=sys.stderr, flush=True)
    head = interleaved(loaded, 7 if quick else 31)
    print("fitting the cost against turns, units and hexes ...", file=sys.stderr, flush=True)
    fit = slopes(1 if quick else 3)
    print("command-line batches ...", file=sys.stderr, flush=True)
    speedup_sizes = (100,) if quick else (200, 1000)
    memory_sizes = (100, 300, 1000) if quick else (100, 1000, 10000)
    batches = {}
    for runs in sorted(set(speedup_sizes) | set(memory_sizes)):
        for w in (1, workers) if runs in speedup_sizes else (workers,):
            batches[(runs, w)] = cli_batch(runs, w)
            b = batches[(runs, w)]
            print(f"  {runs} runs, {w} worker(s): {b['wall_s']:.1f} s", file=sys.stderr, flush=True)
    print("the default job, split ...", file=sys.stderr, flush=True)
    job = default_job(100 if quick else 500, workers)
    check = validate_s()

    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sim_version": __version__,
        "scenario": loaded.spec.name,
        "units": len(loaded.spec.forces),
        "turns": loaded.spec.turn_count,
        **head,
        "slopes": fit,
        "batches": [dict(b) for b in batches.values()],
        "default_job": job,
        "validate_s": check,
    }
    rep, ws = head["replication_s"], head["wolfsheep_small_s"]
    ratio = head["replication_over_wolfsheep"]
    rows = [
        ("machine", results["machine"]),
        ("default scenario", f"{results['units']} units x {results['turns']} turns"),
        (
            f"one replication, {LOCKSTEP} played together (median, GC on)",
            f"{rep * 1000:.1f} ms ({1 / rep:.1f} runs/s)",
        ),
        ("one replication played alone (median, GC on)", f"{head['replication_alone_s'] * 1000:.1f} ms"),
        ("WolfSheep small, one run (median, same rounds)", f"{ws * 1000:.1f} ms"),
        ("**one replication / one WolfSheep run** (median of paired rounds)", f"**{ratio:.2f}**"),
        ("one replication alone / one WolfSheep run", f"{head['replication_alone_over_wolfsheep']:.2f}"),
        ("cost per turn (default scenario)", f"{fit['turns']['ms_per_turn']:.2f} ms"),
        (
            "cost per unit-turn (across the shipped scenarios)",
            f"{fit['units']['ms_per_unit_turn'] * 1000:.1f} µs",
        ),
        ("cost per 1,000 hexes (default, hex sizes 1-2 km)", f"{fit['hexes']['ms_per_1000_hexes']:.1f} ms"),
    ]
    for (runs, w), b in batches.items():
        rows.append(
            (
                f"{runs:,} runs, {w} worker(s), whole command",
                f"{b['wall_s']:.1f} s ({runs / b['wall_s']:.1f} runs/s)",
            )
        )
    for runs in speedup_sizes:
        if (runs, 1) in batches and (runs, workers) in batches:
            gain = batches[(runs, 1)]["wall_s"] / batches[(runs, workers)]["wall_s"]
            results[f"speedup_{runs}"] = gain
            rows.append((f"1 -> {workers} workers at {runs:,} runs", f"{gain:.2f}x"))
    for runs in memory_sizes:
        b = batches[(runs, workers)]
        rows.append(
            (
                f"peak memory at {runs:,} runs: parent / largest worker",
                f"{b['parent_peak_mb']:.0f} / {b['worker_peak_mb']:.0f} MB",
            )
        )
    rows.append(
        (
            f"default job ({job['runs']} runs, {workers} workers): simulation / plots / report",
            f"{job['simulation_s']:.1f} / {job['plots_s']:.1f} / {job['report_s']:.1f} s",
        )
    )
    rows.append(("`validate` of the default scenario (whole command)", f"{check:.2f} s"))
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")

    big = max(memory_sizes)
    small = min(memory_sizes)
    worst = max(
        abs(batches[(big, workers)][k] / batches[(small, workers)][k] - 1.0)
        for k in ("parent_peak_mb", "worker_peak_mb")
    )
    largest = max(speedup_sizes)
    targets = [
        ("one replication <= 0.5 WolfSheep-small runs", f"{ratio:.2f}", ratio <= 0.5),
        (
            f"{big:,} replications, --no-plots, {workers} workers <= 2 minutes"
            + ("" if big == 10000 else " (at 10,000: run the full benchmark)"),
            f"{batches[(big, workers)]['wall_s']:.0f} s",
            big == 10000 and batches[(big, workers)]["wall_s"] <= 120,
        ),
        (
            f"1 -> 2 workers >= 1.8x at {largest:,} runs",
            f"{results.get(f'speedup_{largest}', float('nan')):.2f}x",
            results.get(f"speedup_{largest}", 0) >= 1.8,
        ),
        (
            f"peak memory flat (within 10 %) from {small:,} to {big:,} runs",
            f"{worst * 100:.0f} %",
            worst <= 0.10,
        ),
        ("`validate` of the default under 1 s", f"{check:.2f} s", check < 1.0),
    ]
    print("\n| target | measured | met |\n|---|---|---|")
    for name, value, met in targets:
        print(f"| {name} | {value} | {'yes' if met else 'no'} |")
    results["targets"] = [{"target": n, "measured": v, "met": bool(m)} for n, v, m in targets]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=float) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
