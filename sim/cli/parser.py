"""The command line's grammar: its options, their types and defaults, the examples of --help,
and which question (mode) a command asks.

Nothing heavy is imported here, so `--help` answers before the model is loaded.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.errors import Problem, UserInputError
from sim.machine import default_workers
from sim.resources import DEFAULT_SEED

DEFAULT_RUNS = 500
DEFAULT_PER_DRAW = 5
DEFAULT_POPULATION = 200
DEFAULT_GENERATIONS = 4
"""Runs per draw of the uncertain inputs: enough to split the spread, few enough to draw often."""
DEFAULT_DESIGN_RUNS = 100
"""Runs per design point of a sweep or a sensitivity study."""
DEFAULT_LHS_SAMPLES = 20

EXAMPLES = """\
examples:
  run_scenario.py                                   the default scenario (January 2025), 500 runs
  run_scenario.py scenarios/tutorial.yaml --runs 50 a small scenario for a first lesson
  run_scenario.py scenarios/sudzha_jan2025.yaml --set days=10 --set parameters.combat.intensity=1.5
  run_scenario.py scenarios/sudzha_jan2025.yaml --set forces.ru_11_vdv.personnel=3000
  run_scenario.py scenarios/tutorial.yaml --validate   check a scenario file and stop
  run_scenario.py --precision ua_area_km2=2 --runs 5000  runs until the mean area is known to +-1 km²
  run_scenario.py --fixed                           uncertain inputs at their centres: the dice alone
  run_scenario.py --calibrate --population 200 --generations 4   fit the inputs to the reported figures

what if? (see docs/analysis.md):
  run_scenario.py A.yaml B.yaml --runs 200           compare scenarios (same seeds): compare.csv, report.html
  run_scenario.py S.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
                                                    one parameter over 7 values: sweep.csv, bands plot
  run_scenario.py S.yaml --sweep sides.RU.doctrine.attack_tempo=0.3,0.6,0.9 --sweep days=5,10
                                                    a 3 x 2 grid: heat map of the median
  run_scenario.py S.yaml --design lhs --samples 30 --sweep A=lo:hi --sweep B=lo:hi   a Latin hypercube
  run_scenario.py S.yaml --sensitivity               tornado of the default parameters (+-50 %)
  run_scenario.py S.yaml --sensitivity parameters.combat.intensity=1:4,sides.RU.recon_effort --global morris
  run_scenario.py --schema docs/scenario.schema.json  the JSON Schema for editors

outputs (in --out, default results/<scenario>-<date-time>/):
  runs.csv                one row per run: seed and every outcome (held_<place> is 1 if UA holds it)
  timeseries.csv          every run's metrics turn by turn
  summary.json            mean, sd and percentiles of each outcome; provenance
  hexes.csv               each hex's chance of being held by Ukraine at the end
  plots/*.png, report.html  the pictures and a one-page report of them
  scenario.resolved.yaml  the exact scenario that ran (after --set), to reproduce it
  compare:      compare.csv (differences with 95 % intervals) and one sub-folder per scenario
  --sweep:      sweep.csv (a row per point and run), design.csv, sweep_summary.csv
  --sensitivity: sensitivity.csv, tornado.csv (ranked), morris.csv or sobol.csv with --global

The same scenario and --seed give the same runs.csv, whatever --workers is.
exit codes: 0 done, 2 bad input, 1 unexpected error, 130 interrupted (finished runs kept).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit code 2, no usage dump
        raise UserInputError(Problem(f"{message} (see --help)"))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


MAX_RUNS = 10_000_000
"""Most replications one command plays (runs are made as they are needed, but runs.csv grows)."""
MAX_WORKERS = max(64, 4 * (os.cpu_count() or 1))
"""Most worker processes: more than the cores only adds memory and switching."""


def _bounded(limit: int, what: str):
    def parse(text: str) -> int:
        value = _positive_int(text)
        if value > limit:
            raise argparse.ArgumentTypeError(f"expected at most {limit:,} {what}, got {value:,}")
        return value

    return parse


_runs = _bounded(MAX_RUNS, "runs per command (split a larger study by seeds)")
_workers = _bounded(MAX_WORKERS, f"worker processes on this machine ({os.cpu_count()} cores)")


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected 0 <= seed < 2^63, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Every option with its help, and the examples, outputs and exit codes of --help."""
    parser = _Parser(
        prog="run_scenario.py",
        description=(
            "Play a Sudzha scenario many times (Monte Carlo) and show the spread of outcomes: "
            "area held, casualties, settlements. The model is stochastic, so every result is a "
            "distribution, never one number."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "scenarios",
        nargs="*",
        type=Path,
        metavar="SCENARIO",
        help="scenario YAML file (default: scenarios/sudzha_jan2025.yaml); two or more: compare them",
    )
    parser.add_argument(
        "--runs",
        type=_runs,
        default=None,
        metavar="N",
        help=f"replications to play (default {DEFAULT_RUNS}; per design point of a sweep or "
        f"sensitivity study {DEFAULT_DESIGN_RUNS})",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"master seed; per-run seeds are spawned from it (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default=default_workers(),
        metavar="W",
        help="worker processes (default: all cores, here %(default)s)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where the runs play: this machine's processes (default) or a Dask cluster "
        "(needs the [dask] extra; same results for the same seed; see docs/scale.md)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: an existing cluster's scheduler, e.g. tcp://10.0.0.5:8786",
    )
    parser.add_argument(
        "--dask-workers",
        type=_workers,
        metavar="N",
        help="with --executor dask and no --scheduler: start a LocalCluster of N worker processes here "
        "(default: --workers)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default results/<scenario>-<date-time>/)"
    )
    parser.add_argument(
        "--force", action="store_true", help="write into --out even if it already holds files"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        dest="overrides",
        help="change one scenario field, e.g. days=10 or forces.<id>.morale=0.5 "
        "(repeatable; validated like the file)",
    )
    parser.add_argument(
        "--validate", action="store_true", help="check the scenario(s) and every design point, and stop"
    )
    unknowns = parser.add_argument_group(
        "uncertain inputs (fields written {dist: ...}; see docs/analysis.md, 'How sure can we be?')"
    )
    unknowns.add_argument(
        "--fixed",
        action="store_true",
        help="play every uncertain input at its centre (mode or median): the model's own dice alone",
    )
    unknowns.add_argument(
        "--per-draw",
        type=_positive_int,
        default=DEFAULT_PER_DRAW,
        metavar="M",
        help="runs that share each draw of the uncertain inputs (default %(default)s): the summary "
        "then splits the spread into inputs and dice; 1 draws afresh for every run",
    )
    parser.add_argument(
        "--precision",
        action="append",
        default=[],
        metavar="NAME=WIDTH",
        help="play runs in batches of 50 until the 95 %% interval of NAME's mean is at most WIDTH wide "
        "(e.g. ua_area_km2=2; repeatable); --runs is then the most to play",
    )
    fit = parser.add_argument_group("calibration to what was reported (see docs/analysis.md)")
    fit.add_argument(
        "--calibrate",
        action="store_true",
        help="fit the scenario's uncertain inputs to its reported figures (ABC-SMC): posterior.csv, "
        "calibrated.yaml, report.html; figures marked holdout: true are kept out as checks",
    )
    fit.add_argument(
        "--population",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"with --calibrate: particles per generation (default {DEFAULT_POPULATION})",
    )
    fit.add_argument(
        "--generations",
        type=_positive_int,
        default=None,
        metavar="G",
        help=f"with --calibrate: generations, each with a tighter tolerance (default {DEFAULT_GENERATIONS})",
    )
    fit.add_argument(
        "--resume",
        action="store_true",
        help="with --calibrate and --out: go on from the generations a stopped calibration finished",
    )
    what_if = parser.add_argument_group("what if? (comparisons, sweeps, sensitivity; see docs/analysis.md)")
    what_if.add_argument(
        "--compare",
        action="store_true",
        help="compare the scenarios given (implied by two or more), each with the same per-run seeds",
    )
    what_if.add_argument(
        "--sweep",
        action="append",
        default=[],
        metavar="PATH=SPEC",
        help="vary one field: PATH=v1,v2,v3 or PATH=lo:hi:n (repeatable: a grid); "
        "with --design lhs, PATH=lo:hi",
    )
    what_if.add_argument(
        "--design",
        choices=("grid", "lhs"),
        default="grid",
        help="grid: every combination of the --sweep values (default); "
        "lhs: a Latin hypercube of --samples points",
    )
    what_if.add_argument(
        "--samples",
        type=_positive_int,
        metavar="K",
        help=f"points of a Latin hypercube (default {DEFAULT_LHS_SAMPLES}); Morris trajectories (default 10) "
        "or Sobol base samples (a power of two, default 32) with --global",
    )
    what_if.add_argument(
        "--sensitivity",
        action="append",
        nargs="?",
        const="",
        metavar="PATHS",
        help="rank parameters by influence: comma-separated PATH or PATH=LO:HI (default: a list of the main "
        "combat, morale, detection and doctrine parameters, each +-50 %%); a tornado chart",
    )
    what_if.add_argument(
        "--global",
        dest="global_method",
        choices=("morris", "sobol"),
        help="with --sensitivity: also a global method from SALib "
        "(Morris elementary effects or Sobol indices)",
    )
    what_if.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME",
        help="outcome(s) to plot and rank (repeatable; default: area held by UA and casualties)",
    )
    parser.add_argument(
        "--schema",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the JSON Schema of scenario files (to FILE, or to the screen) and stop",
    )
    parser.add_argument("--no-plots", action="store_true", help="skip plots and report (faster)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.add_argument(
        "--yes", action="store_true", help="do not ask before a long job (its cost is still said)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options given; `--sensitivity scenarios/x.yaml` gives the scenario back to the scenarios."""
    args = build_parser().parse_args(argv)
    # the optional value of --sensitivity swallows a scenario file that follows it
    if args.sensitivity:
        kept = []
        for value in args.sensitivity:
            if "=" not in value and value.lower().endswith((".yaml", ".yml")):
                args.scenarios.append(Path(value))
            else:
                kept.append(value)
        args.sensitivity = kept or [""]
    return args


def mode_of(args) -> str:
    """Which question the command asks; mixing modes, or options of another mode, is an error."""
    problems = []
    sensitivity = args.sensitivity is not None
    compare = args.compare or len(args.scenarios) >= 2
    if args.compare and len(args.scenarios) < 2:
        problems.append(
            Problem(
                f"comparing needs at least two scenario files; got {len(args.scenarios)}", file="--compare"
            )
        )
    chosen = [
        name
        for name, on in (
            ("compare", compare),
            ("--sweep", args.sweep),
            ("--sensitivity", sensitivity),
            ("--calibrate", args.calibrate),
        )
        if on
    ]
    if len(chosen) > 1:
        problems.append(Problem(f"choose one analysis per command, not {' and '.join(chosen)}"))
    if len(args.scenarios) >= 2 and not compare:
        problems.append(Problem("several scenario files are compared; --sweep and --sensitivity take one"))
    if args.design == "lhs" and not args.sweep:
        problems.append(
            Problem("--design lhs needs the ranges to sample: --sweep PATH=lo:hi", file="--design")
        )
    if args.samples is not None and args.design != "lhs" and not args.global_method:
        problems.append(Problem("--samples applies to --design lhs and to --global", file="--samples"))
    if args.global_method and not sensitivity:
        problems.append(Problem("--global needs --sensitivity (the parameters to vary)", file="--global"))
    mode = (
        "compare"
        if compare
        else "sweep"
        if args.sweep
        else "sensitivity"
        if sensitivity
        else "calibrate"
        if args.calibrate
        else "single"
    )
    for flag, value in (("--population", args.population), ("--generations", args.generations)):
        if value is not None and mode != "calibrate":
            problems.append(Problem(f"{flag} applies to --calibrate", file=flag))
    if args.resume and mode != "calibrate":
        problems.append(Problem("--resume applies to --calibrate", file="--resume"))
    if args.metric and mode == "single":
        problems.append(
            Problem("--metric applies to comparisons, sweeps and sensitivity studies", file="--metric")
        )
    if args.executor != "dask" and (args.scheduler or args.dask_workers):
        problems.append(Problem("--scheduler and --dask-workers need --executor dask", file="--executor"))
    if args.scheduler and args.dask_workers:
        problems.append(
            Problem("give --scheduler (an existing cluster) or --dask-workers (a new one here), not both")
        )
    if problems:
        raise UserInputError(problems)
    return mode
