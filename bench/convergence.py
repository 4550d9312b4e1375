#!/usr/bin/env python3
"""Convergence study: does a scenario's answer stay put when the turn length or hex size changes?

Plays the scenario as written (the reference) and at each turn length and hex size
given, on the same seeds, and prints a markdown table of the means with paired 95 %
intervals of each difference (the tables in docs/validity.md come from here):

    python bench/convergence.py scenarios/tutorial.yaml --runs 200
    python bench/convergence.py scenarios/sudzha_jan2025.yaml --runs 100 --turn-hours 12 --hex 1.0 2.0
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis import convergence  # noqa: E402
from sim.loading import load_scenario  # noqa: E402
from sim.machine import default_workers  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--runs", type=int, default=100, help="replications per variant (default 100)")
    parser.add_argument("--seed", type=int, default=2025, help="master seed shared by every variant")
    parser.add_argument(
        "--turn-hours", type=float, nargs="*", default=[6, 12, 48], help="turn lengths (default 6 12 48)"
    )
    parser.add_argument("--hex", type=float, nargs="*", default=[1.0, 1.5, 2.0], help="hex sizes in km")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    spec = load_scenario(args.scenario).spec
    chosen = convergence.variants(spec, args.turn_hours, args.hex)
    reference, rows = convergence.study(
        args.scenario, chosen, runs=args.runs, seed=args.seed, workers=args.workers
    )
    print(f"{args.scenario.name}, {args.runs} paired runs per variant, seed {args.seed}:\n")
    label = f"turn_hours={spec.turn_hours:g}, hex_km={spec.hex_km:g}"
    print(convergence.markdown(reference, rows, label))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
