"""The commands: a Monte Carlo study of one scenario (`run`), `compare`, `sweep`, `sensitivity`,
`calibrate`, `validate`, `schema`, `merge` and `app` (see `sim.cli.parser` for their grammar).

The four that play the model share one skeleton, `_execute`: with every input checked,
--validate stops there; otherwise the output folder is prepared, the run announced on
stderr and played, and its summary printed. Each command states only what is its own,
as a `Command`. What plays the model is imported when it plays, so checking stays light.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.cli.parser import (
    DEFAULT_DESIGN_RUNS,
    DEFAULT_GENERATIONS,
    DEFAULT_LHS_SAMPLES,
    DEFAULT_POPULATION,
    DEFAULT_RUNS,
    legacy_hint,
    mode_of,
    parse_args,
)
from sim.cli.printing import (
    ok_line,
    print_calibration,
    print_compare,
    print_outputs,
    print_ranking,
    print_summary,
    print_sweep,
)
from sim.errors import Problem, UserInputError
from sim.invocation import recorded
from sim.resources import DEFAULT_SCENARIO
from sim.scenario.fields import closest


@dataclass(frozen=True)
class Command:
    """One command with its inputs checked: what is its own in the skeleton all of them share."""

    checked: list[str]
    """What --validate prints: an `ok:` line per scenario file."""
    default_out: Callable[[], Path]
    """The output folder when --out is not given."""
    announcement: str
    """What is about to run, said on stderr before the output folder."""
    play: Callable[[Path], Any]
    """Plays the command into the output folder and returns its result."""
    stopped: Callable[[Any, Path], str | None]
    """What finished and where it is written when Ctrl-C stopped the play; None if it completed."""
    summarise: Callable[[Any], None]
    """Prints the summary of a completed result."""
    runs: int = 0
    """How many replications the command will play (for the cost said before a long job)."""
    scenario: Any = None
    """A scenario of the command, timed on one run to estimate the cost."""


def run(argv: list[str] | None) -> int:
    """Parse the command line, check it, and run the command it asks for."""
    given = sys.argv[1:] if argv is None else list(argv)
    with recorded("python run_scenario.py", given):
        # a 0.2 flag form typed by a user says its new form; a call from Python (argv given) does not
        return _run(given, hint=argv is None)


def _run(argv: list[str], hint: bool = False) -> int:
    args = parse_args(argv)
    if args.command == "schema" or args.schema is not None:
        if args.legacy and hint:
            print(legacy_hint(argv, "single"), file=sys.stderr)
        return _write_schema(args.schema)
    if args.command == "app":
        return _serve_app(args)
    if args.command == "merge":
        return _merge(args)
    mode = mode_of(args)
    if not args.scenarios:
        args.scenarios = [DEFAULT_SCENARIO]
    loaded = _load_all(args.scenarios, args.overrides)
    if args.command == "validate":
        for path, scenario in zip(args.scenarios, loaded, strict=True):
            print(ok_line(path, scenario))
        return 0
    if args.fixed:
        loaded = [scenario.at_centre() for scenario in loaded]
    args.precision_targets = _precision_targets(args.precision)
    if args.precision_targets and mode != "single":
        raise UserInputError(
            Problem("--precision applies to one scenario's study, not to " + mode, file="--precision")
        )
    command = {
        "single": _study,
        "compare": _compare,
        "sweep": _sweep,
        "sensitivity": _sensitivity,
        "calibrate": _calibrate,
    }[mode]
    checked = command(args, loaded)
    if args.legacy and hint:  # said once every input is checked, so that errors stay one per line
        print(legacy_hint(argv, mode), file=sys.stderr)
    return _execute(args, checked)


def _execute(args, command: Command) -> int:
    """Validate and stop, or prepare the output folder, announce, play and summarise."""
    if args.executor == "dask" and not args.validate:
        from sim.cluster import dask_cluster

        with dask_cluster(args.scheduler, args.dask_workers or args.workers) as cluster:
            if not args.quiet:
                print(
                    f"Dask: {cluster.kind} at {cluster.address}, {cluster.workers} workers", file=sys.stderr
                )
            return _execute_here(args, command)
    return _execute_here(args, command)


INCOMPLETE = 3
"""The exit code when a worker process died: the finished runs are written, the study is incomplete."""

LONG_JOB_S = 60.0
"""From how many seconds of estimated work a command says how long it will take."""


def _cost_accepted(args, command: Command) -> bool:
    """Say how long a long job will take (timed on one run), and ask at a terminal unless --yes."""
    if not command.runs or command.scenario is None:
        return True
    import time

    from sim.cluster import active
    from sim.replications import run_once

    workers = active().workers if active() is not None else args.workers
    if command.runs * 0.5 / max(1, min(workers, command.runs)) < LONG_JOB_S:
        return True  # short whatever the scenario (a run takes well under half a second): no timing
    started = time.perf_counter()
    run_once(command.scenario, 1)
    per_run = time.perf_counter() - started
    estimate = command.runs * per_run / max(1, min(workers, command.runs))
    if estimate < LONG_JOB_S:
        return True
    minutes = estimate / 60
    print(
        f"This plays {command.runs:,} runs: about {minutes:.0f} min on {workers} workers "
        f"(one run takes {per_run:.2f} s here). Ctrl-C stops it and keeps what finished.",
        file=sys.stderr,
    )
    if args.yes or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return True
    answer = input("Go on? [Y/n] ").strip().lower()
    return answer in ("", "y", "yes")


def _execute_here(args, command: Command) -> int:
    if args.validate:
        for line in command.checked:
            print(line)
        return 0
    if getattr(args, "lockstep", None):
        from sim.replications import lockstep

        with lockstep(args.lockstep):
            return _play_into_folder(args, command)
    return _play_into_folder(args, command)


def _play_into_folder(args, command: Command) -> int:
    from sim.output import claim_output_dir, existing_files, record_outputs
    from sim.replications import WorkersLost

    target = args.out or command.default_out()
    with claim_output_dir(target, args.force, clean=not getattr(args, "resume", False)) as out_dir:
        before = existing_files(out_dir)
        if not args.quiet:
            print(f"{command.announcement} -> {out_dir}/", file=sys.stderr)
            if not _cost_accepted(args, command):
                print("stopped before any run", file=sys.stderr)
                return 0
        try:
            result = command.play(out_dir)
        except WorkersLost as lost:
            print(
                f"error: a worker process ended unexpectedly (killed, or out of memory); {lost.completed} of "
                f"{lost.requested} runs finished and are written in {out_dir}/; the study is incomplete: "
                "play it again",
                file=sys.stderr,
            )
            return INCOMPLETE
        finally:
            record_outputs(out_dir, before)
    stopped = command.stopped(result, out_dir)
    if stopped:
        print(f"\ninterrupted: {stopped}", file=sys.stderr)
        from sim.cli import interrupted_code

        return interrupted_code()
    if not args.quiet:
        command.summarise(result)
        print_outputs(out_dir)
    return 0


def _study(args, loaded) -> Command:
    """One scenario played many times: the Monte Carlo study."""
    (scenario,) = loaded
    path = args.scenarios[0]
    runs = args.runs or DEFAULT_RUNS
    if args.trace is not None and args.trace >= runs:
        raise UserInputError(
            Problem(
                f"run {args.trace} is not in the study: its runs are 0 to {runs - 1} (--runs {runs}); "
                f"ask for one of those, or for --runs {args.trace + 1} or more",
                file="--trace",
            )
        )

    def play(out_dir: Path):
        from sim.study import run_study

        result = run_study(
            scenario,
            out_dir,
            runs=runs,
            per_draw=args.per_draw,
            precision=args.precision_targets or None,
            **_run_options(args),
        )
        if args.trace is not None and not result.status.interrupted:
            _write_trace(args, scenario, out_dir)
        return result

    def stopped(result, out_dir: Path) -> str | None:
        status = result.status
        if not status.interrupted:
            return None
        finished = f"{status.completed} of {status.requested} runs finished"
        if "plots" in result.stopped_during:
            missing = result.summary.get("missing", [])
            return (
                f"while drawing the plots: {finished} and are written in {out_dir}/; "
                f"{len(missing)} pictures or pages are missing (summary.json lists them)"
            )
        return f"{finished}; their results are written in {out_dir}/"

    return Command(
        checked=[ok_line(path, scenario)],
        default_out=lambda: _default_out(path, overrides=args.overrides),
        announcement=f"Running '{scenario.spec.name}': {runs} runs, seed {args.seed}, {args.workers} workers",
        runs=runs,
        scenario=scenario,
        play=play,
        stopped=stopped,
        summarise=print_summary,
    )


def _write_trace(args, scenario, out_dir: Path) -> None:
    """Run `--trace` of the study told turn by turn, into `trace/` (`sim.trace`)."""
    import time

    from sim.trace import trace_run, write_trace

    started = time.perf_counter()
    if not args.quiet:
        print(f"Telling run {args.trace} turn by turn -> {out_dir / 'trace'}/", file=sys.stderr)
    trace = trace_run(scenario, args.seed, args.trace, per_draw=args.per_draw)
    write_trace(trace, out_dir / "trace", animation=not args.no_plots)
    if not args.quiet:
        print(
            f"  {len(trace.events):,} events of run {args.trace} (seed {trace.seed}) in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )


def _calibrate(args, loaded) -> Command:
    """The scenario's uncertain inputs fitted to its reported figures (ABC-SMC)."""
    from sim.analysis.calibrate import targets_of

    (scenario,) = loaded
    path = args.scenarios[0]
    population = args.population or DEFAULT_POPULATION
    generations = args.generations or DEFAULT_GENERATIONS
    problems = []
    if not scenario.inputs:
        problems.append(
            Problem(
                "--calibrate needs uncertain inputs: give the fields to fit as distributions, e.g. "
                "personnel: {dist: triangular, low: 1800, mode: 2200, high: 2600}",
                file=str(path),
            )
        )
    if not targets_of(scenario):
        problems.append(
            Problem("--calibrate needs reported figures (reported: metric, value, low, high)", file=str(path))
        )
    if problems:
        raise UserInputError(problems)
    if args.resume:
        args.force = True  # the folder holds the generations to go on from

    def play(out_dir: Path):
        from sim.analysis.calibrate import run_calibration

        return run_calibration(
            scenario,
            out_dir,
            population=population,
            generations=generations,
            resume=args.resume,
            predictive_runs=args.runs or 100,
            **_run_options(args),
        )

    def stopped(result, out_dir: Path) -> str | None:
        if not result.interrupted:
            return None
        done = len(result.calibration.generations)
        return (
            f"{done} of {generations} generations finished and are written in {out_dir}/generations/; "
            f"go on with --resume --out {out_dir}"
        )

    return Command(
        checked=[ok_line(path, scenario)],
        default_out=lambda: _default_out(Path(f"calibrate-{Path(path).stem}"), overrides=args.overrides),
        announcement=f"Calibrating '{scenario.spec.name}': {len(scenario.inputs)} inputs, {population} "
        f"particles x {generations} generations, seed {args.seed}, {args.workers} workers",
        runs=population * (1 + 3 * (generations - 1)) + (args.runs or 100),  # acceptance falls to about 1/3
        scenario=scenario,
        play=play,
        stopped=stopped,
        summarise=print_calibration,
    )


def _compare(args, loaded) -> Command:
    """Two or more scenarios played on the same seeds, and their differences."""
    from sim.analysis.compare import Entry, labels_for

    labels = labels_for(args.scenarios)
    entries = [Entry(label, path, sc) for label, path, sc in zip(labels, args.scenarios, loaded, strict=True)]
    _check_metrics(args, loaded)
    runs = args.runs or DEFAULT_RUNS

    def play(out_dir: Path):
        from sim.analysis.compare import run_compare

        return run_compare(entries, out_dir, runs=runs, metrics=args.metric or None, **_run_options(args))

    def stopped(result, out_dir: Path) -> str | None:
        if not result.interrupted:
            return None
        return f"the comparison stopped; the finished runs are written in {out_dir}/"

    return Command(
        checked=[ok_line(path, sc) for path, sc in zip(args.scenarios, loaded, strict=True)],
        default_out=lambda: _default_out(
            Path("compare-" + "-vs-".join(labels[:3])), overrides=args.overrides
        ),
        announcement=f"Comparing {', '.join(labels)}: {runs} runs each on the same seeds (seed {args.seed}), "
        f"{args.workers} workers",
        runs=runs * len(loaded),
        scenario=loaded[0],
        play=play,
        stopped=stopped,
        summarise=lambda result: print_compare(result.table, labels),
    )


def _sweep(args, loaded) -> Command:
    """One scenario with fields varied over a grid or a Latin hypercube."""
    from sim.analysis.design import parse_sweep

    (base,) = loaded
    problems, sweeps = [], []
    if args.design_file is not None:
        from sim.analysis.design import read_design_file

        sweeps, raw_points = read_design_file(base, args.design_file)
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
    _check_metrics(args, loaded)
    if args.design_file is not None:
        from sim.analysis.design import load_points

        points = load_points(args.scenarios[0], args.overrides, raw_points)
    else:
        points = _design_points(args, sweeps)
    selected = _selected_points(args.points, len(points))
    played = len(points) if selected is None else selected[1] - selected[0]
    runs = args.runs or DEFAULT_DESIGN_RUNS
    metric = args.metric[0] if args.metric else "ua_area_km2"

    def play(out_dir: Path):
        from sim.analysis.sweep import run_sweep

        return run_sweep(
            base,
            points,
            sweeps,
            out_dir,
            design="file" if args.design_file is not None else args.design,
            runs=runs,
            metrics=args.metric or None,
            overrides=args.overrides,
            selected=selected,
            timeseries=args.timeseries,
            **_run_options(args),
        )

    part = "" if selected is None else f" (points {selected[0]} to {selected[1] - 1} of {len(points)})"
    return Command(
        checked=[ok_line(args.scenarios[0], base, f"; {len(points)} design points, all valid")],
        default_out=lambda: _default_out(
            args.scenarios[0],
            "sweep" if selected is None else f"sweep{selected[0]}-{selected[1]}",
            args.overrides,
        ),
        announcement=f"Sweeping '{base.spec.name}'{part}: {played} points x {runs} runs = "
        f"{played * runs:,} runs, seed {args.seed}, {args.workers} workers",
        runs=played * runs,
        scenario=base,
        play=play,
        stopped=_points_stopped,
        summarise=lambda result: print_sweep(result.summary, sweeps, metric, result.wall_time_s),
    )


def _selected_points(points: tuple[int, int | None] | None, total: int) -> tuple[int, int] | None:
    """--points I:J as (first, stop) within the design's `total` points (J past the end stops there)."""
    if points is None:
        return None
    first, stop = points
    if first >= total:
        raise UserInputError(
            Problem(
                f"the design has {total} points (0 to {total - 1}); {first} is past its end", file="--points"
            )
        )
    return first, total if stop is None else min(stop, total)


def _design_points(args, sweeps):
    """Every point of the sweep's design, each loaded and checked as a scenario of its own."""
    from sim.analysis.design import grid_design, lhs_design, load_points

    if args.design == "lhs":
        points = lhs_design(sweeps, args.samples or DEFAULT_LHS_SAMPLES, args.seed)
    else:
        points = grid_design(sweeps)
    return load_points(args.scenarios[0], args.overrides, points)


def _sensitivity(args, loaded) -> Command:
    """One scenario with parameters varied one at a time (and globally with --global), ranked."""
    from sim.analysis.design import load_points
    from sim.analysis.sensitivity import DEFAULT_SAMPLES, global_design, oat_design, parse_factors

    (base,) = loaded
    factors = parse_factors(base, args.sensitivity)
    _check_metrics(args, loaded)
    points = oat_design(factors)
    matrix = None
    samples = None
    if args.global_method:
        samples = args.samples or DEFAULT_SAMPLES[args.global_method]
        extra, matrix = global_design(factors, args.global_method, samples, args.seed, start=len(points))
        points += extra
    loaded_points = load_points(args.scenarios[0], args.overrides, points)
    runs = args.runs or DEFAULT_DESIGN_RUNS

    def play(out_dir: Path):
        from sim.analysis.sensitivity import run_sensitivity

        return run_sensitivity(
            base,
            factors,
            loaded_points,
            out_dir,
            runs=runs,
            method=args.global_method,
            matrix=matrix,
            samples=samples,
            metrics=args.metric or None,
            overrides=args.overrides,
            timeseries=args.timeseries,
            salib=args.salib,
            **_run_options(args),
        )

    return Command(
        checked=[ok_line(args.scenarios[0], base, f"; {len(points)} design points, all valid")],
        default_out=lambda: _default_out(args.scenarios[0], "sensitivity", args.overrides),
        announcement=f"Sensitivity of '{base.spec.name}' to {len(factors)} parameters: "
        f"{len(points)} points x {runs} runs = {len(points) * runs:,} runs, seed {args.seed}, "
        f"{args.workers} workers",
        runs=len(points) * runs,
        scenario=base,
        play=play,
        stopped=_points_stopped,
        summarise=print_ranking,
    )


def _merge(args) -> int:
    """`merge SLICE ... --out DIR`: the slices of one sweep design joined into the files of a whole run."""
    from sim.analysis.sweep import merge_sweeps
    from sim.output import claim_output_dir, existing_files, record_outputs

    for folder in args.slices:
        if not folder.is_dir():
            raise UserInputError(Problem("no such output folder", file=str(folder)))
    with claim_output_dir(args.out, args.force) as out_dir:
        before = existing_files(out_dir)
        try:
            result = merge_sweeps(args.slices, out_dir, plots=not args.no_plots)
        finally:
            record_outputs(out_dir, before)
    if not args.quiet:
        status = result.status
        print(
            f"merged {len(args.slices)} slices: {status.points_completed} points, "
            f"{status.runs_completed:,} runs -> {out_dir}/"
        )
    return 0


def _serve_app(args) -> int:
    """`app`: the classroom app, served by `solara run sim.app` until stopped."""
    import importlib.util
    import subprocess

    if importlib.util.find_spec("solara") is None:
        raise UserInputError(
            Problem("the app needs Solara (installed with mesa[rec]): pip install 'mesa[rec]'", file="app")
        )
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "sim.app",
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    print(f"serving the app at http://{args.host}:{args.port} (Ctrl-C stops it)", file=sys.stderr)
    return subprocess.call([*command, *args.passthrough])


def _run_options(args) -> dict[str, Any]:
    """What every command passes on to its runner from the options alike."""
    return {
        "seed": args.seed,
        "workers": args.workers,
        "progress": not args.quiet,
        "plots": not args.no_plots,
    }


def _points_stopped(result, out_dir: Path) -> str | None:
    """How far an interrupted sweep or sensitivity study got: its design points finished."""
    status = result.status
    if not status.interrupted:
        return None
    return (
        f"{status.points_completed} of {status.points} points finished; "
        f"the finished runs are written in {out_dir}/"
    )


def _default_out(scenario: Path, kind: str = "", overrides: Sequence[str] = ()) -> Path:
    """A new folder results/<scenario>[-kind][-changes]-<date-time>/, numbered if that one is taken;
    the changes name each --set by its last field and value (tutorial-personnel3000-...)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    parts = [scenario.stem, kind, *(_slug(o) for o in overrides[:3])]
    base = Path("results") / ("-".join(p for p in parts if p) + f"-{stamp}")
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def _slug(assignment: str) -> str:
    """`forces.ru_north_1.personnel=3000` -> `personnel3000` (letters, digits, dots and dashes only)."""
    path, _, value = assignment.partition("=")
    text = path.rsplit(".", 1)[-1] + value
    return re.sub(r"[^A-Za-z0-9.-]+", "", text)[:32]


def _precision_targets(assignments: list[str]) -> dict[str, float]:
    """--precision NAME=WIDTH: each an end-of-run outcome and a positive width (exit 2 otherwise)."""
    from sim.battle import metrics

    known = {m.name for m in metrics.END_OF_RUN}
    targets, problems = {}, []
    for text in assignments:
        name, _, width = text.partition("=")
        label = f"--precision {text}"
        try:
            value = float(width)
        except ValueError:
            value = float("nan")
        if name not in known:
            close = closest(name, known)
            problems.append(
                Problem(
                    f"unknown outcome {name!r}" + (f"; did you mean {close!r}?" if close else ""), file=label
                )
            )
        elif not value > 0:
            problems.append(
                Problem("expected NAME=WIDTH with a positive width, e.g. ua_area_km2=2", file=label)
            )
        else:
            targets[name] = value
    if problems:
        raise UserInputError(problems)
    return targets


def _load_all(paths: list[Path], overrides: list[str]):
    """Load every scenario, reporting the problems of all of them at once."""
    from sim.loading import check_buildable, load_scenario

    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_scenario(path, overrides))
            check_buildable(loaded[-1])  # the map and the forces, as a run builds them
        except UserInputError as exc:
            problems += exc.problems
    if problems:
        raise UserInputError(problems)
    return loaded


def _check_metrics(args, loaded) -> None:
    """Every --metric is an outcome of every scenario (exit 2 before any run otherwise)."""
    if not args.metric:
        return
    from sim.analysis.compare import Entry, check_metrics
    from sim.battle import metrics

    entries = [Entry(path.stem, path, sc) for path, sc in zip(args.scenarios, loaded, strict=True)]
    check_metrics(entries, args.metric, [m.name for m in metrics.END_OF_RUN])


def _write_schema(target: str) -> int:
    """--schema: the JSON Schema of scenario files, to the screen ("-") or to a .json file."""
    from sim.scenario.jsonschema import render, scenario_schema

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
