"""The command line: `python run_scenario.py [SCENARIO ...] [options]` (also `sudzha-sim`).

One command per question:

- one scenario: a Monte Carlo study (DESIGN §4);
- two or more scenarios: a comparison on common random numbers (`sim.analysis.compare`);
- `--sweep PATH=...`: a grid or Latin hypercube of variants (`sim.analysis.sweep`);
- `--sensitivity [PATHS]`: a tornado, and Morris or Sobol with `--global` (`sim.analysis.sensitivity`);
- `--validate` checks the files (and every design point) and stops; `--schema` writes
  the JSON Schema of scenario files.

Every input is checked before the first run. Exit codes: 0 done; 2 bad input (one
line per problem: file:line: field: what was expected); 1 unexpected failure; 130
interrupted by Ctrl-C (finished runs are written first).
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
DEFAULT_DESIGN_RUNS = 100
"""Runs per design point of a sweep or a sensitivity study."""
DEFAULT_SEED = 20250106
DEFAULT_LHS_SAMPLES = 20

EXAMPLES = """\
examples:
  run_scenario.py                                   the default scenario (January 2025), 500 runs
  run_scenario.py scenarios/tutorial.yaml --runs 50 a small scenario for a first lesson
  run_scenario.py scenarios/sudzha_jan2025.yaml --set turns=10 --set parameters.combat.intensity=1.5
  run_scenario.py scenarios/sudzha_jan2025.yaml --set forces.ru_11_vdv.personnel=3000
  run_scenario.py scenarios/tutorial.yaml --validate   check a scenario file and stop

what if? (see docs/analysis.md):
  run_scenario.py A.yaml B.yaml --runs 200           compare scenarios (same seeds): compare.csv, report.html
  run_scenario.py S.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
                                                    one parameter over 7 values: sweep.csv, bands plot
  run_scenario.py S.yaml --sweep sides.RU.doctrine.attack_tempo=0.3,0.6,0.9 --sweep turns=5,10
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
        "scenarios",
        nargs="*",
        type=Path,
        metavar="SCENARIO",
        help="scenario YAML file (default: scenarios/sudzha_jan2025.yaml); two or more: compare them",
    )
    parser.add_argument(
        "--runs",
        type=_positive_int,
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
    parser.add_argument(
        "--validate", action="store_true", help="check the scenario(s) and every design point, and stop"
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
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser


def _default_out(scenario: Path, kind: str = "") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("results") / f"{scenario.stem}{'-' + kind if kind else ''}-{stamp}"
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


def _mode(args) -> str:
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
        for name, on in (("compare", compare), ("--sweep", args.sweep), ("--sensitivity", sensitivity))
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
    mode = "compare" if compare else "sweep" if args.sweep else "sensitivity" if sensitivity else "single"
    if args.metric and mode == "single":
        problems.append(
            Problem("--metric applies to comparisons, sweeps and sensitivity studies", file="--metric")
        )
    if problems:
        raise UserInputError(problems)
    return mode


def _write_schema(target: str) -> int:
    from sim.schema_json import render, scenario_schema

    text = render(scenario_schema())
    if target == "-":
        sys.stdout.write(text)
        return 0
    path = Path(target)
    if path.suffix.lower() in (".yaml", ".yml"):
        raise UserInputError(
            Problem(
                "--schema writes JSON; give a file name ending in .json (this looks like a scenario)",
                file=target,
            )
        )
    if path.is_dir():
        raise UserInputError(Problem("is a folder; give the file to write", file=target))
    from sim.output import atomic_write_text

    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise UserInputError(Problem(f"cannot write: {exc.strerror}", file=target)) from None
    print(f"wrote {path}: the JSON Schema of scenario files (see docs/editors.md)")
    return 0


def _load_all(paths: list[Path], overrides: list[str]):
    """Load every scenario, reporting the problems of all of them at once."""
    from sim.loading import load_scenario

    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_scenario(path, overrides))
        except UserInputError as exc:
            problems += exc.problems
    if problems:
        raise UserInputError(problems)
    return loaded


def _known_metrics(loaded) -> list[str]:
    from sim import outcomes

    names = [m.name for m in getattr(outcomes, "END_OF_RUN", outcomes.METRICS.values())]
    return list(dict.fromkeys(names))


def _check_metrics(args, entries_or_loaded, mode: str) -> None:
    if not args.metric:
        return
    from sim.analysis.compare import Entry, check_metrics

    if mode == "compare":
        entries = entries_or_loaded
    else:
        entries = [Entry(args.scenarios[0], args.scenarios[0], entries_or_loaded)]
    check_metrics(entries, args.metric, _known_metrics(entries[0].scenario))


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.schema is not None:
        return _write_schema(args.schema)
    # `--sensitivity scenarios/x.yaml`: the optional value swallowed the scenario; give it back
    if args.sensitivity:
        kept = []
        for value in args.sensitivity:
            if "=" not in value and value.lower().endswith((".yaml", ".yml")):
                args.scenarios.append(Path(value))
            else:
                kept.append(value)
        args.sensitivity = kept or [""]
    mode = _mode(args)
    if not args.scenarios:
        args.scenarios = [DEFAULT_SCENARIO]
    loaded = _load_all(args.scenarios, args.overrides)

    if mode == "compare":
        return _compare(args, loaded)
    if mode == "sweep":
        return _sweep(args, loaded[0])
    if mode == "sensitivity":
        return _sensitivity(args, loaded[0])

    (scenario,) = loaded
    if args.validate:
        _print_ok(args.scenarios[0], scenario)
        return 0

    from sim.output import prepare_output_dir
    from sim.runner import run_study

    runs = args.runs or DEFAULT_RUNS
    out_dir = prepare_output_dir(args.out or _default_out(args.scenarios[0]), args.force)
    if not args.quiet:
        print(
            f"Running '{scenario.spec.name}': {runs} runs, seed {args.seed}, "
            f"{args.workers} workers -> {out_dir}/",
            file=sys.stderr,
        )
    result = run_study(
        scenario,
        out_dir,
        runs=runs,
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
        _print_summary(result, args.scenarios[0])
    return 0


def _print_ok(path: Path, loaded, extra: str = "") -> None:
    spec = loaded.spec
    print(
        f"ok: {path}: '{spec.name}', {len(spec.forces)} units, {spec.turns} turns of "
        f"{spec.turn_hours:g} h, map '{loaded.map.name}' ({len(loaded.map.settlements)} settlements){extra}"
    )


def _interrupted(done: str, out_dir: Path) -> int:
    print(f"\ninterrupted: {done}; the finished runs are written in {out_dir}/", file=sys.stderr)
    return 130


def _outputs_line(out_dir: Path) -> None:
    report = out_dir / "report.html"
    print(f"Outputs in {out_dir}/" + (f" (open {report})" if report.exists() else ""))


def _compare(args, loaded) -> int:
    from sim.analysis.compare import Entry, labels_for, run_compare
    from sim.output import prepare_output_dir

    labels = labels_for(args.scenarios)
    entries = [Entry(label, path, sc) for label, path, sc in zip(labels, args.scenarios, loaded, strict=True)]
    _check_metrics(args, entries, "compare")
    if args.validate:
        for path, sc in zip(args.scenarios, loaded, strict=True):
            _print_ok(path, sc)
        return 0
    runs = args.runs or DEFAULT_RUNS
    out_dir = prepare_output_dir(
        args.out or _default_out(Path("compare-" + "-vs-".join(labels[:3]))), args.force
    )
    if not args.quiet:
        print(
            f"Comparing {', '.join(labels)}: {runs} runs each on the same seeds (seed {args.seed}), "
            f"{args.workers} workers -> {out_dir}/",
            file=sys.stderr,
        )
    result = run_compare(
        entries,
        out_dir,
        runs=runs,
        seed=args.seed,
        workers=args.workers,
        progress=not args.quiet,
        plots=not args.no_plots,
        metrics=args.metric or None,
    )
    if result.interrupted:
        return _interrupted("the comparison stopped", out_dir)
    if not args.quiet:
        _print_compare(result.table, labels)
        _outputs_line(out_dir)
    return 0


def _signed(value: float, decimals: int) -> str:
    text = f"{value:+,.{decimals}f}"
    return text.replace("-", "+", 1) if float(text.replace(",", "")) == 0 else text


def _print_compare(table, labels: list[str]) -> None:
    import math

    print(f"\nChange from {labels[0]} (mean, with its 95 % interval; same seeds; * = beyond the noise):")
    for key, label in HEADLINE.items():
        rows = table[table["metric"] == key].set_index("scenario")
        if rows.empty:
            continue
        unit = rows["unit"].iloc[0]
        parts = [f"{labels[0]} median {rows.loc[labels[0], 'median']:,.0f}"]
        for other in labels[1:]:
            r = rows.loc[other]
            size = max(abs(r["diff_mean_low"]), abs(r["diff_mean_high"]), abs(r["diff_mean"]))
            d = 1 if math.isfinite(size) and size < 10 else 0
            text = f"{other} {_signed(r['diff_mean'], d)}"
            if math.isfinite(r["diff_mean_low"]):
                text += f" ({_signed(r['diff_mean_low'], d)} to {_signed(r['diff_mean_high'], d)})"
                if r["diff_mean_low"] > 0 or r["diff_mean_high"] < 0:
                    text += " *"
            parts.append(text)
        print(f"  {label:<34} {unit:<7} " + "; ".join(parts))


def _design_points(args, base, sweeps):
    from sim.analysis.design import grid_design, lhs_design, load_points

    if args.design == "lhs":
        points = lhs_design(sweeps, args.samples or DEFAULT_LHS_SAMPLES, args.seed)
    else:
        points = grid_design(sweeps)
    return load_points(args.scenarios[0], args.overrides, points)


def _sweep(args, base) -> int:
    from sim.analysis.design import parse_sweep
    from sim.analysis.sweep import run_sweep
    from sim.output import prepare_output_dir

    problems, sweeps = [], []
    for argument in args.sweep:
        try:
            sweeps.append(parse_sweep(base, argument, lhs=args.design == "lhs"))
        except UserInputError as exc:
            problems += exc.problems
    paths = [s.path for s in sweeps]
    for path in {p for p in paths if paths.count(p) > 1}:
        problems.append(Problem(f"{path} is swept twice", file="--sweep"))
    if problems:
        raise UserInputError(problems)
    _check_metrics(args, base, "sweep")
    points = _design_points(args, base, sweeps)
    runs = args.runs or DEFAULT_DESIGN_RUNS
    if args.validate:
        _print_ok(args.scenarios[0], base, f"; {len(points)} design points, all valid")
        return 0
    out_dir = prepare_output_dir(args.out or _default_out(args.scenarios[0], "sweep"), args.force)
    if not args.quiet:
        print(
            f"Sweeping '{base.spec.name}': {len(points)} points x {runs} runs = {len(points) * runs:,} runs, "
            f"seed {args.seed}, {args.workers} workers -> {out_dir}/",
            file=sys.stderr,
        )
    result = run_sweep(
        base,
        points,
        sweeps,
        out_dir,
        design=args.design,
        runs=runs,
        seed=args.seed,
        workers=args.workers,
        progress=not args.quiet,
        plots=not args.no_plots,
        metrics=args.metric or None,
        overrides=args.overrides,
    )
    if result.status.interrupted:
        return _interrupted(
            f"{result.status.points_completed} of {result.status.points} points finished", out_dir
        )
    if not args.quiet:
        _print_sweep(
            result.summary, sweeps, args.metric[0] if args.metric else "ua_area_km2", result.wall_time_s
        )
        _outputs_line(out_dir)
    return 0


def _print_sweep(summary, sweeps, metric: str, wall: float) -> None:
    from sim.report.style import metric_label

    rows = summary[summary["metric"] == metric]
    if rows.empty:
        return
    print(f"\n{len(rows)} points in {wall:.1f} s; {metric_label(metric)}: median (90 % of runs)")
    for _, r in rows.head(40).iterrows():
        values = ", ".join(f"{s.path}={r[s.path]}" for s in sweeps)
        print(f"  {values:<60} {r['p50']:>10,.1f}  ({r['p5']:,.1f} to {r['p95']:,.1f})")
    if len(rows) > 40:
        print(f"  ... {len(rows) - 40} more in sweep_summary.csv")


def _sensitivity(args, base) -> int:
    from sim.analysis.design import load_points
    from sim.analysis.sensitivity import (
        DEFAULT_SAMPLES,
        global_design,
        oat_design,
        parse_factors,
        run_sensitivity,
    )
    from sim.output import prepare_output_dir

    factors = parse_factors(base, args.sensitivity)
    _check_metrics(args, base, "sensitivity")
    points = oat_design(factors)
    matrix = None
    samples = None
    if args.global_method:
        samples = args.samples or DEFAULT_SAMPLES[args.global_method]
        extra, matrix = global_design(factors, args.global_method, samples, args.seed, start=len(points))
        points += extra
    loaded_points = load_points(args.scenarios[0], args.overrides, points)
    runs = args.runs or DEFAULT_DESIGN_RUNS
    if args.validate:
        _print_ok(args.scenarios[0], base, f"; {len(points)} design points, all valid")
        return 0
    out_dir = prepare_output_dir(args.out or _default_out(args.scenarios[0], "sensitivity"), args.force)
    if not args.quiet:
        print(
            f"Sensitivity of '{base.spec.name}' to {len(factors)} parameters: "
            f"{len(points)} points x {runs} runs "
            f"= {len(points) * runs:,} runs, seed {args.seed}, {args.workers} workers -> {out_dir}/",
            file=sys.stderr,
        )
    result = run_sensitivity(
        base,
        factors,
        loaded_points,
        out_dir,
        runs=runs,
        seed=args.seed,
        workers=args.workers,
        method=args.global_method,
        matrix=matrix,
        samples=samples,
        progress=not args.quiet,
        plots=not args.no_plots,
        metrics=args.metric or None,
        overrides=args.overrides,
    )
    if result.status.interrupted:
        return _interrupted(
            f"{result.status.points_completed} of {result.status.points} points finished", out_dir
        )
    if not args.quiet:
        _print_ranking(result)
        _outputs_line(out_dir)
    return 0


def _print_ranking(result) -> None:
    import math

    t = result.tornado
    if len(t):
        main = t["metric"].iloc[0]
        rows = t[t["metric"] == main]
        unit = rows["unit"].iloc[0]
        print(
            f"\nParameters ranked by influence on {main} (one at a time: mean at the high end minus "
            "mean at the low end, 95 % interval):"
        )
        for _, r in rows.iterrows():
            interval = (
                f"({r['swing_low']:+,.1f} to {r['swing_high']:+,.1f})"
                if math.isfinite(r["swing_low"])
                else ""
            )
            flag = "" if r["distinguishable"] else "  within the noise"
            print(f"  {int(r['rank']):>2}. {r['parameter']:<45} {r['swing']:>+9,.1f} {unit} {interval}{flag}")
    g = result.global_table
    if len(g):
        main = g["metric"].iloc[0]
        rows = g[g["metric"] == main]
        score = "mu_star" if "mu_star" in rows else "ST"
        print(
            f"Global ranking ({score}): "
            + ", ".join(f"{r['parameter']} {r[score]:.3g}" for _, r in rows.iterrows())
        )
