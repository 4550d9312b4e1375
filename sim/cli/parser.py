"""The command line's grammar: its sub-commands and options, their types and defaults, the
examples of each --help, and which question (mode) a command asks.

    sudzha-sim run [SCENARIO] [options]          a Monte Carlo study (the default: no arguments)
    sudzha-sim compare A B [C ...] [options]     scenarios on common random numbers
    sudzha-sim sweep [SCENARIO] --sweep PATH=SPEC ... | --design-file FILE [--points I:J]
    sudzha-sim sensitivity [SCENARIO] [--param PATH[=LO:HI] ...] [--global morris|sobol]
    sudzha-sim calibrate [SCENARIO] [--population N] [--generations G]
    sudzha-sim validate [SCENARIO ...]           check and stop
    sudzha-sim schema [FILE]                     the JSON Schema of scenario files
    sudzha-sim merge SLICE ... --out DIR         slices of a design (--points) into one result
    sudzha-sim app                               the classroom app

The flag forms of 0.2 (a scenario file first, two files to compare, --sweep, --sensitivity,
--calibrate, --validate, --schema) are read by `build_legacy_parser` for this release; the
command then says the new form on stderr (`legacy_hint`).

Nothing heavy is imported here, so `--help` answers before the model is loaded.
"""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path

from sim.errors import Problem, UserInputError
from sim.machine import LOCKSTEP, default_workers
from sim.resources import DEFAULT_SEED

DEFAULT_RUNS = 500
DEFAULT_PER_DRAW = 5
"""Runs per draw of the uncertain inputs: enough to split the spread, few enough to draw often."""
DEFAULT_POPULATION = 200
DEFAULT_GENERATIONS = 4
DEFAULT_DESIGN_RUNS = 100
"""Runs per design point of a sweep or a sensitivity study."""
DEFAULT_LHS_SAMPLES = 20

PROG = "sudzha-sim"
"""The name the help and the hints give the command (./run.sh, run_scenario.py and python -m sim
are the same command)."""

OUTPUTS = """\
outputs (in --out, default results/<scenario>-<date-time>/):
  runs.csv                one row per run: seed and every outcome (held_<place> is 1 if UA holds it)
  timeseries.csv          every run's metrics turn by turn
  summary.json            mean, sd and percentiles of each outcome; provenance
  hexes.csv               each hex's chance of being held by Ukraine at the end
  plots/*.png, report.html  the pictures and a one-page report of them
  scenario.resolved.yaml  the exact scenario that ran (after --set), to reproduce it
"""

TRACE_OUTPUTS = """\
  trace/events.csv        with --trace RUN: that run's events (turn, date, phase, unit, place, what
                          happened, losses by cause); trace/turns.gif its turns on the map
"""

EXIT_CODES = """\
The same scenario and --seed give the same runs.csv, whatever --workers and --lockstep are.
exit codes: 0 done, 2 bad input, 1 unexpected error, 3 incomplete (a worker process died;
finished runs kept), 130 / 143 / 129 interrupted by Ctrl-C / SIGTERM / SIGHUP (finished runs kept).
"""

OVERVIEW = f"""\
examples:
  {PROG}                                          the default scenario (January 2025), 500 runs
  {PROG} run scenarios/tutorial.yaml --runs 50     a small scenario for a first lesson
  {PROG} run scenarios/sudzha_jan2025.yaml --set days=10 --set parameters.combat.intensity=1.5
  {PROG} validate scenarios/tutorial.yaml          check a scenario file and stop
  {PROG} compare scenarios/sudzha_jan2025.yaml scenarios/whatif_no_air.yaml --runs 200
  {PROG} sweep scenarios/tutorial.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
  {PROG} sensitivity scenarios/tutorial.yaml --global morris
  {PROG} schema docs/scenario.schema.json

options most commands share (see each command's --help):
  --runs N  --seed S  --workers W  --lockstep B  --out DIR  --force  --set PATH=VALUE
  --validate  --no-plots  --quiet  --yes  --executor dask [--dask-workers N | --scheduler ADDRESS]

{OUTPUTS}
./run.sh ARGS, python run_scenario.py ARGS and python -m sim ARGS are the same command.
{EXIT_CODES}"""

LEGACY_EXAMPLES = f"""\
The flag forms below are those of 0.2; they still work for this release and say their new
form on stderr. See `{PROG} --help` for the commands.

examples:
  run_scenario.py                                   the default scenario (January 2025), 500 runs
  run_scenario.py scenarios/tutorial.yaml --runs 50 a small scenario for a first lesson
  run_scenario.py scenarios/tutorial.yaml --validate   check a scenario file and stop
  run_scenario.py A.yaml B.yaml --runs 200           compare scenarios (same seeds)
  run_scenario.py S.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
  run_scenario.py S.yaml --sensitivity               tornado of the default parameters (+-50 %)
  run_scenario.py --schema docs/scenario.schema.json  the JSON Schema for editors

{OUTPUTS}  compare:      compare.csv (differences with 95 % intervals) and one sub-folder per scenario
  --sweep:      sweep.csv (a row per point and run), design.csv, sweep_summary.csv
  --sensitivity: sensitivity.csv, tornado.csv (ranked), morris.csv or sobol.csv with --global

{EXIT_CODES}"""

COMMAND_EXAMPLES = {
    "run": f"""\
examples:
  {PROG} run                                        the default scenario (January 2025), 500 runs
  {PROG} run scenarios/tutorial.yaml --runs 50       a small scenario for a first lesson
  {PROG} run scenarios/sudzha_jan2025.yaml --set days=10 --set parameters.combat.intensity=1.5
  {PROG} run scenarios/sudzha_jan2025.yaml --set forces.ru_11_vdv.personnel=3000
  {PROG} run --precision ua_area_km2=2 --runs 5000   runs until the mean area is known to +-1 km²
  {PROG} run --fixed                                 uncertain inputs at their centres: the dice alone
  {PROG} run scenarios/tutorial.yaml --validate      check the scenario and stop
  {PROG} run scenarios/tutorial.yaml --runs 50 --trace 7   and run 7 told turn by turn in trace/

{OUTPUTS}{TRACE_OUTPUTS}
{EXIT_CODES}""",
    "compare": f"""\
examples:
  {PROG} compare scenarios/sudzha_jan2025.yaml scenarios/whatif_no_air.yaml --runs 300
  {PROG} compare scenarios/sudzha_jan2025.yaml scenarios/whatif_no_air.yaml scenarios/whatif_no_ew.yaml
  {PROG} compare A.yaml B.yaml --metric ua_area_km2 --metric held_sudzha

The first file is the baseline; every scenario plays the same per-run seeds, each into its own
sub-folder with the outputs of `run`. Then compare.csv (differences in mean and median with paired
bootstrap 95 % intervals), plots/compare_*.png and report.html (see docs/analysis.md).

{EXIT_CODES}""",
    "sweep": f"""\
examples:
  {PROG} sweep scenarios/tutorial.yaml --sweep parameters.combat.breakthrough_ratio=1.5:4.5:7 --runs 100
  {PROG} sweep scenarios/tutorial.yaml --sweep sides.RU.doctrine.attack_tempo=0.3,0.6,0.9 --sweep days=5,10
  {PROG} sweep scenarios/tutorial.yaml --design lhs --samples 30 \\
      --sweep parameters.combat.intensity=1:4 --sweep sides.RU.recon_effort=0.5:2
  {PROG} sweep scenarios/tutorial.yaml --design-file design.csv --runs 50
  {PROG} sweep scenarios/tutorial.yaml --design-file design.csv --points 0:10 --out results/part0

A design file is a CSV table: one column per dotted path (as --set takes), one row per point;
each cell is validated like --set. --points I:J plays points I to J-1 only, with the seeds of the
whole design, and `{PROG} merge` joins such slices into the files of a whole run.

outputs: design.csv (the points), sweep.csv (a row per point and run), sweep_summary.csv,
summary.json, plots/sweep_*.png, report.html; with --timeseries points_timeseries.csv (a row per
point, run and turn)

{EXIT_CODES}""",
    "sensitivity": f"""\
examples:
  {PROG} sensitivity scenarios/tutorial.yaml                 the default parameters, each +-50 %
  {PROG} sensitivity scenarios/tutorial.yaml --param parameters.combat.intensity=1:4 \\
      --param sides.RU.doctrine.attack_tempo,sides.UA.recon_effort
  {PROG} sensitivity scenarios/tutorial.yaml --global morris --samples 10 --runs 30
  {PROG} sensitivity scenarios/tutorial.yaml --global sobol --samples 32 --runs 20 --salib

outputs: sensitivity.csv (a row per point and run), tornado.csv (ranked), morris.csv or sobol.csv
with --global, summary.json, plots, report.html; with --salib the SALib text files beside them
(<method>_problem.txt, <method>_X.txt, <method>_Y.txt); with --timeseries points_timeseries.csv

{EXIT_CODES}""",
    "calibrate": f"""\
examples:
  {PROG} calibrate scenarios/sudzha_jan2025.yaml --population 200 --generations 4
  {PROG} calibrate scenarios/sudzha_mar2025.yaml --population 100 --generations 3 --runs 100
  {PROG} calibrate scenarios/sudzha_jan2025.yaml --resume --out results/jan-calibrated

Fits the scenario's uncertain inputs to its dated reported figures (ABC-SMC); figures marked
holdout: true are kept out as checks. Outputs: posterior.csv, generations.csv, calibrated.yaml,
plots, posterior_predictive/ and report.html (see docs/analysis.md).

{EXIT_CODES}""",
    "validate": f"""\
examples:
  {PROG} validate                                    the default scenario
  {PROG} validate scenarios/tutorial.yaml scenarios/whatif_no_air.yaml
  {PROG} validate scenarios/tutorial.yaml --set forces.ru_north_1.personnel=3000

Prints an ok: line per file; each mistake is one line with the file, line and field (exit 2).
Any other command checks its design points too with --validate, e.g.
  {PROG} sweep scenarios/tutorial.yaml --sweep days=5,10 --validate
""",
    "schema": f"""\
examples:
  {PROG} schema                                      to the screen
  {PROG} schema my.schema.json                       to a file (see docs/editors.md)
""",
    "merge": f"""\
examples:
  {PROG} sweep S.yaml --design-file design.csv --points 0:50 --out results/part0
  {PROG} sweep S.yaml --design-file design.csv --points 50:100 --out results/part1
  {PROG} merge results/part0 results/part1 --out results/whole

The slices must come from one sweep design (the same design.csv, scenario, seed and runs) and cover
its points once each; the merged folder then holds the files one whole run writes, byte for byte
(design.csv, sweep.csv, sweep_summary.csv, points_timeseries.csv with --timeseries), with its
plots and report.
""",
    "app": f"""\
examples:
  {PROG} app                                         http://localhost:8765
  {PROG} app --port 8800
  {PROG} app --host 0.0.0.0 --production             students on the same network connect

Serves the classroom app with Solara (`solara run sim.app`); other options go to solara run.
./scripts/app.sh also sets up .venv and the page's offline assets first (see docs/app.md).
""",
}

COMMAND_HELP = {
    "run": "play one scenario many times (Monte Carlo) and show the spread of outcomes",
    "compare": "play two or more scenarios on the same seeds and estimate their differences",
    "sweep": "vary fields over a grid, a Latin hypercube or a design file",
    "sensitivity": "rank parameters by influence (one at a time; Morris or Sobol with --global)",
    "calibrate": "fit the scenario's uncertain inputs to its reported figures (ABC-SMC)",
    "validate": "check scenario files (and --set) and stop",
    "schema": "write the JSON Schema of scenario files",
    "merge": "join slices of a design (--points) into the files of one whole run",
    "app": "start the classroom app in the browser",
}
COMMANDS = tuple(COMMAND_HELP)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit code 2, no usage dump
        raise UserInputError(Problem(f"{message} (see {self.prog} --help)"))


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
MAX_LOCKSTEP = 1024
"""Most replications one process plays together: beyond a few dozen only memory grows."""
_lockstep = _bounded(MAX_LOCKSTEP, "replications played together")


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected 0 <= seed < 2^63, got {value}")
    return value


def points_slice(text: str) -> tuple[int, int | None]:
    """--points I:J: design points I to J-1 (counted from 0, as in design.csv); I: runs to the end."""
    start, colon, stop = text.partition(":")
    try:
        first = int(start)
        last = int(stop) if stop.strip() else None
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected I:J (points I to J-1, counted from 0), e.g. 0:10; got {text!r}"
        ) from None
    if not colon or first < 0 or (last is not None and last <= first):
        raise argparse.ArgumentTypeError(
            f"expected I:J with 0 <= I < J (points I to J-1, counted from 0), e.g. 0:10; got {text!r}"
        )
    return first, last


# --------------------------------------------------------------------------- option groups


def _add_play_options(parser: argparse.ArgumentParser, runs_help: str) -> None:
    """What every command that plays runs takes: how many, which seeds, where, into which folder."""
    parser.add_argument("--runs", type=_runs, default=None, metavar="N", help=runs_help)
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
        "--lockstep",
        type=_lockstep,
        default=None,
        metavar="B",
        help="replications each process plays together, phase by phase (default "
        f"{LOCKSTEP}); any B gives the same runs.csv, only speed and memory change",
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
    _add_set(parser)
    parser.add_argument(
        "--validate", action="store_true", help="check the scenario(s) and every design point, and stop"
    )
    parser.add_argument("--no-plots", action="store_true", help="skip plots and report (faster)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.add_argument(
        "--yes", action="store_true", help="do not ask before a long job (its cost is still said)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        dest="overrides",
        help="change one scenario field, e.g. days=10 or forces.<id>.morale=0.5 "
        "(repeatable; validated like the file)",
    )


def _add_uncertain(parser: argparse.ArgumentParser, per_draw: bool = True) -> None:
    group = parser.add_argument_group(
        "uncertain inputs (fields written {dist: ...}; see docs/analysis.md, 'How sure can we be?')"
    )
    group.add_argument(
        "--fixed",
        action="store_true",
        help="play every uncertain input at its centre (mode or median): the model's own dice alone",
    )
    if per_draw:
        group.add_argument(
            "--per-draw",
            type=_positive_int,
            default=DEFAULT_PER_DRAW,
            metavar="M",
            help="runs that share each draw of the uncertain inputs (default %(default)s): the summary "
            "then splits the spread into inputs and dice; 1 draws afresh for every run",
        )


def _run_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a run number (0, 1, ...), got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a run number counted from 0, got {value}")
    return value


def _add_trace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trace",
        type=_run_number,
        default=None,
        metavar="RUN",
        help="also tell run RUN (counted from 0, as in runs.csv; the same seed and inputs) turn by "
        "turn: trace/events.csv, trace/run.json and the animated map trace/turns.gif (not with --no-plots)",
    )


def _add_precision(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--precision",
        action="append",
        default=[],
        metavar="NAME=WIDTH",
        help="play runs in batches of 50 until the 95 %% interval of NAME's mean is at most WIDTH wide "
        "(e.g. ua_area_km2=2; repeatable); --runs is then the most to play",
    )


def _add_calibration(parser: argparse.ArgumentParser, flag: bool) -> None:
    group = parser.add_argument_group("calibration to what was reported (see docs/analysis.md)")
    if flag:
        group.add_argument(
            "--calibrate",
            action="store_true",
            help="fit the scenario's uncertain inputs to its reported figures (ABC-SMC): posterior.csv, "
            "calibrated.yaml, report.html; figures marked holdout: true are kept out as checks",
        )
    group.add_argument(
        "--population",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"particles per generation (default {DEFAULT_POPULATION})",
    )
    group.add_argument(
        "--generations",
        type=_positive_int,
        default=None,
        metavar="G",
        help=f"generations, each with a tighter tolerance (default {DEFAULT_GENERATIONS})",
    )
    group.add_argument(
        "--resume",
        action="store_true",
        help="with --out: go on from the generations a stopped calibration finished",
    )


def _add_metric(parser) -> None:
    parser.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME",
        help="outcome(s) to plot and rank (repeatable; default: area held by UA and casualties)",
    )


def _add_sweep_design(parser) -> None:
    parser.add_argument(
        "--sweep",
        action="append",
        default=[],
        metavar="PATH=SPEC",
        help="vary one field: PATH=v1,v2,v3 or PATH=lo:hi:n (repeatable: a grid); "
        "with --design lhs, PATH=lo:hi",
    )
    parser.add_argument(
        "--design",
        choices=("grid", "lhs"),
        default="grid",
        help="grid: every combination of the --sweep values (default); "
        "lhs: a Latin hypercube of --samples points",
    )
    parser.add_argument(
        "--design-file",
        type=Path,
        metavar="FILE",
        help="a CSV table of design points: one column per dotted path (as --set takes), one row "
        "per point, each cell validated like --set (instead of --sweep)",
    )
    parser.add_argument(
        "--points",
        type=points_slice,
        metavar="I:J",
        help="play design points I to J-1 only (counted from 0, as in design.csv), with the seeds "
        "of the whole design; `merge` joins the slices",
    )


def _add_timeseries(parser) -> None:
    parser.add_argument(
        "--timeseries",
        action="store_true",
        help="also write points_timeseries.csv: every point's runs turn by turn, one row per point, run "
        "and turn (a long file: points x runs x turns rows)",
    )


def _add_salib(parser) -> None:
    parser.add_argument(
        "--salib",
        action="store_true",
        help="with --global: also write the SALib text files beside morris.csv or sobol.csv "
        "(<method>_problem.txt, <method>_X.txt, <method>_Y.txt), for SALib's own analyses",
    )


def _add_samples(parser) -> None:
    parser.add_argument(
        "--samples",
        type=_positive_int,
        metavar="K",
        help=f"points of a Latin hypercube (default {DEFAULT_LHS_SAMPLES}); Morris trajectories (default 10) "
        "or Sobol base samples (a power of two, default 32) with --global",
    )


def _add_global(parser) -> None:
    parser.add_argument(
        "--global",
        dest="global_method",
        choices=("morris", "sobol"),
        help="also a global method from SALib (Morris elementary effects or Sobol indices)",
    )


def _scenario_argument(parser, nargs: str, help_text: str) -> None:
    parser.add_argument("scenarios", nargs=nargs, type=Path, metavar="SCENARIO", help=help_text)


SCENARIO_HELP = "scenario YAML file (default: scenarios/sudzha_jan2025.yaml)"


# --------------------------------------------------------------------------- the commands


def _sub(subparsers, name: str, description: str):
    return subparsers.add_parser(
        name,
        prog=f"{PROG} {name}",
        help=COMMAND_HELP[name],
        description=description,
        epilog=COMMAND_EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    """The commands, each with its options, examples, outputs and exit codes in its --help."""
    parser = _Parser(
        prog=PROG,
        description=(
            "Play a Sudzha scenario many times (Monte Carlo) and show the spread of outcomes: "
            "area held, casualties, settlements. The model is stochastic, so every result is a "
            "distribution, never one number."
        ),
        epilog=OVERVIEW,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage=f"{PROG} [COMMAND] [options]",
    )
    from sim import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_Parser,
        title="commands (each has its own --help with examples)",
    )

    run = _sub(subparsers, "run", "Play one scenario many times and show the spread of its outcomes.")
    _scenario_argument(run, "?", SCENARIO_HELP)
    _add_play_options(run, f"replications to play (default {DEFAULT_RUNS})")
    _add_uncertain(run)
    _add_precision(run)
    _add_trace(run)

    compare = _sub(
        subparsers,
        "compare",
        "Play two or more scenarios with the same per-run seeds (common random numbers) and estimate "
        "each one's differences from the first, with paired bootstrap intervals.",
    )
    _scenario_argument(compare, "+", "scenario YAML files; the first is the baseline")
    _add_play_options(compare, f"replications of each scenario (default {DEFAULT_RUNS})")
    _add_uncertain(compare, per_draw=False)
    _add_metric(compare)

    design_runs = f"replications per design point (default {DEFAULT_DESIGN_RUNS})"
    sweep = _sub(
        subparsers,
        "sweep",
        "Vary scenario fields over a grid, a Latin hypercube or the rows of a design file; every "
        "point is validated first and played on the same per-run seeds.",
    )
    _scenario_argument(sweep, "?", SCENARIO_HELP)
    _add_sweep_design(sweep)
    _add_samples(sweep)
    _add_timeseries(sweep)
    _add_play_options(sweep, design_runs)
    _add_uncertain(sweep, per_draw=False)
    _add_metric(sweep)

    sensitivity = _sub(
        subparsers,
        "sensitivity",
        "Rank parameters by their influence on the outcomes: each alone at both ends of its range "
        "(a tornado), and all at once with --global (Morris or Sobol, SALib).",
    )
    _scenario_argument(sensitivity, "?", SCENARIO_HELP)
    sensitivity.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="PATH[=LO:HI]",
        help="a parameter to vary, over LO:HI or +-50 %% of its value (repeatable, or comma-separated); "
        "default: the main combat, morale, detection and doctrine parameters",
    )
    _add_global(sensitivity)
    _add_samples(sensitivity)
    _add_salib(sensitivity)
    _add_timeseries(sensitivity)
    _add_play_options(sensitivity, design_runs)
    _add_uncertain(sensitivity, per_draw=False)
    _add_metric(sensitivity)

    calibrate = _sub(
        subparsers,
        "calibrate",
        "Fit the scenario's uncertain inputs to its dated reported figures by ABC-SMC.",
    )
    _scenario_argument(calibrate, "?", SCENARIO_HELP)
    _add_calibration(calibrate, flag=False)
    _add_play_options(calibrate, "posterior-predictive runs after the fit (default 100)")

    validate = _sub(subparsers, "validate", "Check scenario files (after extends and --set) and stop.")
    _scenario_argument(validate, "*", "scenario YAML files (default: scenarios/sudzha_jan2025.yaml)")
    _add_set(validate)
    validate.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")

    schema = _sub(subparsers, "schema", "Write the JSON Schema of scenario files, for editors.")
    schema.add_argument(
        "schema", nargs="?", default="-", metavar="FILE", help="a .json file (default: the screen)"
    )

    merge = _sub(
        subparsers,
        "merge",
        "Join the slice folders of one sweep design (played with --points) into the "
        "files one whole run writes.",
    )
    merge.add_argument("slices", nargs="+", type=Path, metavar="SLICE", help="the slices' output folders")
    merge.add_argument("--out", type=Path, metavar="DIR", required=True, help="the merged output folder")
    merge.add_argument("--force", action="store_true", help="write into --out even if it holds files")
    merge.add_argument("--no-plots", action="store_true", help="skip plots and report (faster)")
    merge.add_argument("--quiet", action="store_true", help="no summary")
    merge.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")

    app = _sub(subparsers, "app", "Start the classroom app (Solara) and serve it at http://localhost:8765.")
    app.add_argument("--port", type=_positive_int, default=8765, help="the port (default %(default)s)")
    app.add_argument("--host", default="localhost", help="the address to listen on (default %(default)s)")
    return parser


def build_legacy_parser() -> argparse.ArgumentParser:
    """The flag forms of 0.2: a scenario file first, the analysis chosen by flags."""
    parser = _Parser(
        prog="run_scenario.py",
        description=(
            "Play a Sudzha scenario many times (Monte Carlo) and show the spread of outcomes: "
            "area held, casualties, settlements."
        ),
        epilog=LEGACY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _scenario_argument(
        parser, "*", "scenario YAML file (default: scenarios/sudzha_jan2025.yaml); two or more: compare them"
    )
    _add_play_options(
        parser,
        f"replications to play (default {DEFAULT_RUNS}; per design point of a sweep or "
        f"sensitivity study {DEFAULT_DESIGN_RUNS})",
    )
    _add_uncertain(parser)
    _add_precision(parser)
    _add_trace(parser)
    _add_calibration(parser, flag=True)
    what_if = parser.add_argument_group("what if? (comparisons, sweeps, sensitivity; see docs/analysis.md)")
    what_if.add_argument(
        "--compare",
        action="store_true",
        help="compare the scenarios given (implied by two or more), each with the same per-run seeds",
    )
    _add_sweep_design(what_if)
    _add_samples(what_if)
    what_if.add_argument(
        "--sensitivity",
        action="append",
        nargs="?",
        const="",
        metavar="PATHS",
        help="rank parameters by influence: comma-separated PATH or PATH=LO:HI (default: a list of the main "
        "combat, morale, detection and doctrine parameters, each +-50 %%); a tornado chart",
    )
    _add_global(what_if)
    _add_salib(what_if)
    _add_timeseries(what_if)
    _add_metric(what_if)
    parser.add_argument(
        "--schema",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the JSON Schema of scenario files (to FILE, or to the screen) and stop",
    )
    return parser


# --------------------------------------------------------------------------- reading a command line

DEFAULTS = {
    "command": "run",
    "legacy": False,
    "scenarios": [],
    "runs": None,
    "seed": DEFAULT_SEED,
    "executor": "local",
    "scheduler": None,
    "dask_workers": None,
    "lockstep": None,
    "out": None,
    "force": False,
    "overrides": [],
    "validate": False,
    "fixed": False,
    "per_draw": DEFAULT_PER_DRAW,
    "precision": [],
    "trace": None,
    "calibrate": False,
    "population": None,
    "generations": None,
    "resume": False,
    "compare": False,
    "sweep": [],
    "design": "grid",
    "design_file": None,
    "points": None,
    "samples": None,
    "sensitivity": None,
    "global_method": None,
    "metric": [],
    "schema": None,
    "no_plots": False,
    "quiet": False,
    "yes": False,
    "debug": False,
    "slices": [],
    "timeseries": False,
    "salib": False,
    "passthrough": [],
}
"""Every attribute a command reads, for the options its own command line does not have."""


def looks_like_file(word: str) -> bool:
    """A scenario file given first (the 0.2 form) rather than a command name."""
    return (
        word.lower().endswith((".yaml", ".yml"))
        or "/" in word
        or os.sep in word
        or word.startswith(".")
        or Path(word).exists()
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command and its options, from a sub-command form or a 0.2 flag form (`args.legacy`)."""
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    first = argv[0] if argv else None
    if first in COMMANDS:
        args, rest = build_parser().parse_known_args(argv)
        if first == "app":  # what the app does not know goes to solara run
            args.passthrough = rest
        elif rest:
            raise UserInputError(
                Problem(f"unrecognized arguments: {' '.join(rest)} (see {PROG} {first} --help)")
            )
        if not isinstance(getattr(args, "scenarios", []), list):  # nargs="?": one file or none
            args.scenarios = [] if args.scenarios is None else [args.scenarios]
        if args.command == "sensitivity":
            args.sensitivity = args.param or [""]
        elif args.command == "compare":
            args.compare = True
        elif args.command == "calibrate":
            args.calibrate = True
        elif args.command == "validate":
            args.validate = True
    elif first is None or first in ("-h", "--help", "--version"):
        args = build_parser().parse_args(argv)
        args.command = "run"
    elif first.startswith("-") or looks_like_file(first):
        args = _parse_legacy(argv)
        args.legacy = True
    else:
        from sim.scenario.fields import closest

        close = closest(first, COMMANDS)
        raise UserInputError(
            Problem(
                f"unknown command {first!r}"
                + (f"; did you mean {close!r}?" if close else "")
                + f" The commands are: {', '.join(COMMANDS)} (see {PROG} --help)"
            )
        )
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, list(value) if isinstance(value, list) else value)
    if not hasattr(args, "workers"):
        args.workers = default_workers()
    return args


def _parse_legacy(argv: list[str]) -> argparse.Namespace:
    """The 0.2 flags; `--sensitivity scenarios/x.yaml` gives the scenario back to the scenarios."""
    args = build_legacy_parser().parse_args(argv)
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


MODE_COMMAND = {"single": "run", "compare": "compare", "sweep": "sweep", "sensitivity": "sensitivity"}


def legacy_hint(argv: list[str], mode: str) -> str:
    """The sub-command form of a 0.2 command line: `hint: this is `sudzha-sim sweep S.yaml ...``."""
    words, i = [], 0
    while i < len(argv):
        word = argv[i]
        if word in ("--compare", "--calibrate"):
            pass
        elif word == "--sensitivity":
            following = argv[i + 1] if i + 1 < len(argv) else None
            if (
                following
                and not following.startswith("-")
                and not following.lower().endswith((".yaml", ".yml"))
            ):
                words += ["--param", following]
                i += 1
        elif word.startswith("--sensitivity="):
            words += ["--param", word.partition("=")[2]]
        elif word.startswith("--schema"):
            target = word.partition("=")[2]
            if not target and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                target = argv[i + 1]
                i += 1
            words = [PROG, "schema", *([target] if target else [])]
            return f"hint: this is `{shlex.join(words)}` (the flag form goes in a later release)"
        else:
            words.append(word)
        i += 1
    command = mode if mode == "calibrate" else MODE_COMMAND[mode]
    simple = {"--validate"}
    if command == "run" and "--validate" in words:
        rest = [w for w in words if w != "--validate"]
        plain = all(not w.startswith("-") or w in simple or w.startswith("--set") for w in rest)
        if plain:
            command, words = "validate", rest
    return f"hint: this is `{shlex.join([PROG, command, *words])}` (the flag form goes in a later release)"


def mode_of(args) -> str:
    """Which question the command asks; mixing modes, or options of another mode, is an error."""
    problems = []
    sensitivity = args.sensitivity is not None
    sweep = bool(args.sweep or args.design_file)
    compare = args.compare or (args.legacy and len(args.scenarios) >= 2)
    if args.compare and len(args.scenarios) < 2:
        problems.append(
            Problem(
                f"comparing needs at least two scenario files; got {len(args.scenarios)}",
                file="compare" if not args.legacy else "--compare",
            )
        )
    chosen = [
        name
        for name, on in (
            ("compare", compare),
            ("--sweep", sweep),
            ("--sensitivity", sensitivity),
            ("--calibrate", args.calibrate),
        )
        if on
    ]
    if len(chosen) > 1:
        problems.append(Problem(f"choose one analysis per command, not {' and '.join(chosen)}"))
    if len(args.scenarios) >= 2 and not compare and args.command != "validate":
        problems.append(Problem("several scenario files are compared; --sweep and --sensitivity take one"))
    if args.command == "sweep" and not sweep:
        problems.append(
            Problem("a sweep needs --sweep PATH=SPEC or --design-file FILE (see sweep --help)", file="sweep")
        )
    if args.design_file and (args.sweep or args.design == "lhs"):
        problems.append(
            Problem(
                "a design file gives the points itself: not with --sweep or --design lhs",
                file="--design-file",
            )
        )
    elif args.design == "lhs" and not args.sweep:
        problems.append(
            Problem("--design lhs needs the ranges to sample: --sweep PATH=lo:hi", file="--design")
        )
    if args.samples is not None and args.design != "lhs" and not args.global_method:
        problems.append(Problem("--samples applies to --design lhs and to --global", file="--samples"))
    if args.global_method and not sensitivity:
        problems.append(Problem("--global needs --sensitivity (the parameters to vary)", file="--global"))
    if args.salib and not args.global_method:
        problems.append(Problem("--salib writes the files of --global morris or sobol", file="--salib"))
    if args.timeseries and not (sweep or sensitivity):
        problems.append(
            Problem(
                "--timeseries applies to sweeps and sensitivity studies (a study always writes "
                "timeseries.csv)",
                file="--timeseries",
            )
        )
    if args.points is not None and not sweep:
        problems.append(Problem("--points slices the design of a sweep", file="--points"))
    mode = (
        "compare"
        if compare
        else "sweep"
        if sweep
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
    if args.trace is not None and (mode != "single" or args.command == "validate"):
        problems.append(Problem("--trace tells one run of a study (the run command)", file="--trace"))
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
