"""The command line: `python run_scenario.py [SCENARIO] [options]` (also `sudzha-sim`).

Exit codes: 0 done; 2 bad input (one line per problem: file:line: field: what was
expected); 1 unexpected failure; 130 interrupted by Ctrl-C (finished runs are
written first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from sim.errors import Problem, UserInputError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = PROJECT_ROOT / "scenarios" / "sudzha_jan2025.yaml"
DEFAULT_RUNS = 500
DEFAULT_SEED = 20250106

EXAMPLES = """\
examples:
  run_scenario.py                                   the default scenario (January 2025), 500 runs
  run_scenario.py scenarios/tutorial.yaml --runs 50 a small scenario for a first lesson
  run_scenario.py scenarios/sudzha_jan2025.yaml --set turns=10 --set parameters.combat.intensity=1.5
  run_scenario.py scenarios/sudzha_jan2025.yaml --set forces.ru_11_vdv.personnel=3000
  run_scenario.py scenarios/tutorial.yaml --validate   check a scenario file and stop

outputs (in --out, default results/<scenario>-<date-time>/):
  runs.csv                one row per run: seed and every outcome (held_<place> is 1 if UA holds it)
  timeseries.csv          every run's metrics turn by turn
  summary.json            mean, sd and percentiles of each outcome; provenance
  hexes.csv               each hex's chance of being held by Ukraine at the end
  plots/*.png, report.html  the pictures and a one-page report of them
  scenario.resolved.yaml  the exact scenario that ran (after --set), to reproduce it

The same scenario and --seed give the same runs.csv, whatever --workers is.
exit codes: 0 done, 2 bad input, 1 unexpected error, 130 interrupted (finished runs kept).
"""


HEADLINE = {
    "ua_area_km2": "Russian land held by Ukraine",
    "ua_casualties": "Ukrainian casualties",
    "ru_casualties": "Russian casualties",
    "dprk_casualties": "North Korean casualties",
}


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


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected 0 <= seed < 2^63, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from sim.experiment import default_workers

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
        "scenario",
        nargs="?",
        type=Path,
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help="scenario YAML file (default: scenarios/sudzha_jan2025.yaml)",
    )
    parser.add_argument(
        "--runs",
        type=_positive_int,
        default=DEFAULT_RUNS,
        metavar="N",
        help=f"replications to play (default {DEFAULT_RUNS})",
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
        type=_positive_int,
        default=default_workers(),
        metavar="W",
        help="worker processes (default: all cores, here %(default)s)",
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
        help="change one scenario field, e.g. turns=10 or forces.<id>.morale=0.5 "
        "(repeatable; validated like the file)",
    )
    parser.add_argument("--validate", action="store_true", help="check the scenario and stop")
    parser.add_argument("--no-plots", action="store_true", help="skip plots and report (faster)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser


def _default_out(scenario: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("results") / f"{scenario.stem}-{stamp}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def _print_summary(result, scenario_path: Path) -> None:
    s = result.summary
    print(
        f"\n{s['scenario']['name']}: {s['runs_completed']} runs in {s['wall_time_s']:.1f} s "
        f"(seed {s['seed']}, {s['workers']} workers)"
    )
    for key, label in HEADLINE.items():
        m = s["metrics"].get(key)
        if m:
            print(
                f"  {label:<34} median {m['p50']:>8,.0f} {m['unit']:<7}"
                f"(90 % of runs: {m['p5']:,.0f} to {m['p95']:,.0f})"
            )
    objectives = s["objectives"]
    if objectives:
        main = max(objectives.values(), key=lambda o: o.get("value", 0))
        contested = sorted(
            (o for o in objectives.values() if 0.05 <= o["p_ua_holds"] <= 0.95 and o is not main),
            key=lambda o: -o["p_ua_holds"],
        )
        line = f"  chance that Ukraine holds {main['name']} at the end: {main['p_ua_holds']:.0%}"
        if contested:
            line += "; contested: " + ", ".join(f"{o['name']} {o['p_ua_holds']:.0%}" for o in contested[:6])
        print(line)
    report = result.out_dir / "report.html"
    print(f"Outputs in {result.out_dir}/" + (f" (open {report})" if report.exists() else ""))


def main(argv: list[str] | None = None) -> int:
    debug = (argv is not None and "--debug" in argv) or "--debug" in sys.argv
    try:
        return _main(argv)
    except UserInputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(f"unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("this is a bug; run again with --debug for the traceback and please report it", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from sim.loading import load_scenario

    loaded = load_scenario(args.scenario, args.overrides)
    if args.validate:
        spec = loaded.spec
        print(
            f"ok: {args.scenario}: '{spec.name}', {len(spec.forces)} units, {spec.turns} turns of "
            f"{spec.turn_hours:g} h, map '{loaded.map.name}' ({len(loaded.map.settlements)} settlements)"
        )
        return 0

    from sim.output import prepare_output_dir
    from sim.runner import run_study

    out_dir = prepare_output_dir(args.out or _default_out(args.scenario), args.force)
    if not args.quiet:
        print(
            f"Running '{loaded.spec.name}': {args.runs} runs, seed {args.seed}, "
            f"{args.workers} workers -> {out_dir}/",
            file=sys.stderr,
        )
    result = run_study(
        loaded,
        out_dir,
        runs=args.runs,
        seed=args.seed,
        workers=args.workers,
        progress=not args.quiet,
        plots=not args.no_plots,
    )
    if result.status.interrupted:
        print(
            f"\ninterrupted: {result.status.completed} of {result.status.requested} runs finished; "
            f"their results are written in {out_dir}/",
            file=sys.stderr,
        )
        return 130
    if not args.quiet:
        _print_summary(result, args.scenario)
    return 0
