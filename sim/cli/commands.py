"""The commands: a Monte Carlo study of one scenario, a comparison, a sweep, a sensitivity
study, and --schema. Each checks every input before its first run; the modules that run
the model are imported inside the command that needs them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sim.cli.parser import DEFAULT_DESIGN_RUNS, DEFAULT_LHS_SAMPLES, DEFAULT_RUNS, mode_of, parse_args
from sim.cli.printing import print_compare, print_ok, print_outputs, print_ranking, print_summary, print_sweep
from sim.errors import Problem, UserInputError
from sim.resources import DEFAULT_SCENARIO


def run(argv: list[str] | None) -> int:
    """Parse the command line, check it, and run the command it asks for."""
    args = parse_args(argv)
    if args.schema is not None:
        return _write_schema(args.schema)
    mode = mode_of(args)
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
        print_ok(args.scenarios[0], scenario)
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
        print_summary(result)
    return 0


def _default_out(scenario: Path, kind: str = "") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("results") / f"{scenario.stem}{'-' + kind if kind else ''}-{stamp}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


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


def _check_metrics(args, loaded) -> None:
    """Every --metric is an outcome of every scenario (exit 2 before any run otherwise)."""
    if not args.metric:
        return
    from sim import outcomes
    from sim.analysis.compare import Entry, check_metrics

    entries = [Entry(path.stem, path, sc) for path, sc in zip(args.scenarios, loaded, strict=True)]
    check_metrics(entries, args.metric, [m.name for m in outcomes.END_OF_RUN])


def _interrupted(done: str, out_dir: Path) -> int:
    print(f"\ninterrupted: {done}; the finished runs are written in {out_dir}/", file=sys.stderr)
    return 130


def _compare(args, loaded) -> int:
    from sim.analysis.compare import Entry, labels_for, run_compare
    from sim.output import prepare_output_dir

    labels = labels_for(args.scenarios)
    entries = [Entry(label, path, sc) for label, path, sc in zip(labels, args.scenarios, loaded, strict=True)]
    _check_metrics(args, loaded)
    if args.validate:
        for path, sc in zip(args.scenarios, loaded, strict=True):
            print_ok(path, sc)
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
        print_compare(result.table, labels)
        print_outputs(out_dir)
    return 0


def _design_points(args, sweeps):
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
    _check_metrics(args, [base])
    points = _design_points(args, sweeps)
    runs = args.runs or DEFAULT_DESIGN_RUNS
    if args.validate:
        print_ok(args.scenarios[0], base, f"; {len(points)} design points, all valid")
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
        print_sweep(
            result.summary, sweeps, args.metric[0] if args.metric else "ua_area_km2", result.wall_time_s
        )
        print_outputs(out_dir)
    return 0


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
    _check_metrics(args, [base])
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
        print_ok(args.scenarios[0], base, f"; {len(points)} design points, all valid")
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
        print_ranking(result)
        print_outputs(out_dir)
    return 0
