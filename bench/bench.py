#!/usr/bin/env python3
"""Benchmark: the default scenario against Mesa's own WolfSheep example, on this machine.

Times, in one run so the numbers compare on any machine:

1. one replication of the default scenario (median of several, after warm-up);
2. batches of replications with 1 worker and with all workers (results streamed to
   disk, as the command line does, plots off);
3. Mesa's WolfSheep in the "small" configuration of Mesa's benchmarks/configurations.py
   (25 x 25 grid, 60 sheep, 40 wolves, 80 steps), timed the way Mesa's
   global_benchmark.py does it: warm-up, GC off, fastest of several replications per
   seed, mean over seeds;
4. peak memory of whole command-line batches of two sizes, to show it stays flat.

Speed is quoted as a ratio (one of our replications / one WolfSheep run) and as
unit-turns per second against WolfSheep agent-steps per second, which hold across
machines better than seconds do.

    python bench/bench.py              # the full benchmark (a few minutes)
    python bench/bench.py --quick      # smaller batches, for a quick look
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import __version__  # noqa: E402
from sim.loading import load_scenario  # noqa: E402
from sim.machine import default_workers  # noqa: E402
from sim.replications import run_once, run_seeds  # noqa: E402
from sim.study import run_study  # noqa: E402

DEFAULT = ROOT / "scenarios" / "sudzha_jan2025.yaml"


def time_wolf_sheep(seeds: int = 5, replications: int = 3) -> tuple[float, float]:
    """Seconds per WolfSheep-small run, and animal agent-steps per second (Mesa's method)."""
    from mesa.examples import WolfSheep
    from mesa.examples.advanced.wolf_sheep.agents import Sheep, Wolf
    from mesa.examples.advanced.wolf_sheep.model import WolfSheepScenario

    def one(seed: int) -> tuple[float, int]:
        scenario = WolfSheepScenario(
            width=25, height=25, initial_sheep=60, initial_wolves=40, grass=True, rng=seed
        )
        started = time.perf_counter()
        model = WolfSheep(scenario)
        agent_steps = 0
        for _ in range(80):
            # the animals act each step; grass patches only regrow on timers
            agent_steps += len(model.agents_by_type[Sheep]) + len(model.agents_by_type[Wolf])
            model.step()
        return time.perf_counter() - started, agent_steps

    one(0)  # warm-up
    per_seed, rates = [], []
    for seed in range(seeds):
        runs = [one(seed) for _ in range(replications)]
        best = min(runs, key=lambda r: r[0])
        per_seed.append(best[0])
        rates.append(best[1] / best[0])
    return statistics.mean(per_seed), statistics.mean(rates)


def time_replication(loaded, repeats: int = 9) -> tuple[float, int]:
    """Median seconds of one replication, and unit-turns in it."""
    seeds = run_seeds(1, repeats + 2)
    run_once(loaded, seeds[0])
    run_once(loaded, seeds[1])  # warm-up: map, cost fields and imports are cached per process
    times = []
    for seed in seeds[2:]:
        started = time.perf_counter()
        run_once(loaded, seed)
        times.append(time.perf_counter() - started)
    unit_turns = len(loaded.spec.forces) * loaded.spec.turn_count
    return statistics.median(times), unit_turns


def time_batch(loaded, runs: int, workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run_study(loaded, Path(tmp), runs=runs, seed=7, workers=workers, progress=False, plots=False)
        return time.perf_counter() - started


def peak_memory_of_cli(runs: int, workers: int) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, largest process) of a whole CLI batch."""
    with tempfile.TemporaryDirectory() as tmp:
        code = (
            "import resource, runpy, sys, time\n"
            f"sys.argv = ['run_scenario.py', {str(DEFAULT)!r}, '--runs', '{runs}', '--workers', "
            f"'{workers}', '--out', {tmp + '/out'!r}, '--no-plots', '--quiet']\n"
            "t = time.perf_counter()\n"
            "try:\n"
            f"    runpy.run_path({str(ROOT / 'run_scenario.py')!r}, run_name='__main__')\n"
            "except SystemExit:\n"
            "    pass\n"
            "wall = time.perf_counter() - t\n"
            "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(wall, max(me, kids) / 1024)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        wall, peak = out.stdout.split()
        return float(wall), float(peak)


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
    batch = 50 if args.quick else 200
    big = 200 if args.quick else 1000
    loaded = load_scenario(DEFAULT)
    gc.disable()
    try:
        ws_run, ws_rate = time_wolf_sheep()
        rep, unit_turns = time_replication(loaded)
    finally:
        gc.enable()
    batch_1 = time_batch(loaded, batch, 1)
    batch_n = time_batch(loaded, batch, workers)
    small_wall, small_peak = peak_memory_of_cli(batch, workers)
    big_wall, big_peak = peak_memory_of_cli(big, workers)

    results = {
        "machine": f"{platform.machine()}, {workers} cores, Python {platform.python_version()}",
        "sim_version": __version__,
        "scenario": loaded.spec.name,
        "units": len(loaded.spec.forces),
        "turns": loaded.spec.turn_count,
        "replication_s": rep,
        "unit_turns_per_s": unit_turns / rep,
        "wolfsheep_small_run_s": ws_run,
        "wolfsheep_runs_per_s": 1 / ws_run,
        "wolfsheep_agent_steps_per_s": ws_rate,
        "replication_over_wolfsheep": rep / ws_run,
        f"batch_{batch}_1_worker_s": batch_1,
        f"batch_{batch}_{workers}_workers_s": batch_n,
        "replications_per_s_1_worker": batch / batch_1,
        f"replications_per_s_{workers}_workers": batch / batch_n,
        f"cli_{batch}_runs_s": small_wall,
        f"cli_{batch}_runs_peak_mb": small_peak,
        f"cli_{big}_runs_s": big_wall,
        f"cli_{big}_runs_peak_mb": big_peak,
    }
    rows = [
        ("machine", results["machine"]),
        ("default scenario", f"{results['units']} units x {results['turns']} turns"),
        ("one replication (median)", f"{rep * 1000:.1f} ms ({1 / rep:.1f} runs/s)"),
        ("WolfSheep small, one run (Mesa's method)", f"{ws_run * 1000:.1f} ms ({1 / ws_run:.1f} runs/s)"),
        ("**one replication / one WolfSheep run**", f"**{rep / ws_run:.2f}** (target <= 2)"),
        ("unit-turns per second (one process)", f"{unit_turns / rep:,.0f}"),
        ("WolfSheep agent-steps per second", f"{ws_rate:,.0f}"),
        (f"{batch} replications, 1 worker", f"{batch_1:.1f} s ({batch / batch_1:.1f} runs/s)"),
        (f"{batch} replications, {workers} workers", f"{batch_n:.1f} s ({batch / batch_n:.1f} runs/s)"),
        (
            f"**{big} replications, {workers} workers (whole command, --no-plots)**",
            f"**{big_wall:.1f} s** (target < 60 s)",
        ),
        (f"peak memory, {batch} runs (largest process)", f"{small_peak:.0f} MB"),
        (f"**peak memory, {big} runs (largest process)**", f"**{big_peak:.0f} MB** (target < 1 GB)"),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
