"""Parameter sweeps: a grid, a Latin hypercube or a design file of scenario variants, many runs each.

    sudzha-sim sweep S.yaml --sweep parameters.combat.intensity=1:4:7 --runs 100
    sudzha-sim sweep S.yaml --sweep A=1,2,3 --sweep B=0.2:0.8:4          # a 3 x 4 grid
    sudzha-sim sweep S.yaml --design lhs --samples 40 --sweep A=1:4 --sweep B=0.2:0.8
    sudzha-sim sweep S.yaml --design-file design.csv --points 0:50       # one slice of a design
    sudzha-sim merge SLICE1 SLICE2 ... --out DIR                         # the slices, joined

Every design point is validated like `--set` before the first run, and played
with the same per-run seeds (common random numbers). Outputs:

- `design.csv`: one row per point of the whole design: its parameter values and the
  sha256 of the resolved scenario;
- `sweep.csv`: one row per point and run (streamed to disk as runs finish):
  `point`, the parameters, `run`, `seed` and every outcome;
- with `timeseries`, `points_timeseries.csv`: one row per point, run and turn:
  `point`, `run`, `turn` and the per-turn metrics of `timeseries.csv`;
- `sweep_summary.csv`: per point and outcome: runs, mean, std, p5 ... p95;
- plots (`sim.report.sweep_page`): with one parameter, each main outcome's
  median with the bands of 50 % and 90 % of runs against it; with two (a grid),
  a heat map of the median; otherwise each point's median against each parameter;
- `summary.json`, `scenario.resolved.yaml` (the base) and `report.html`.

A slice (`--points I:J`) plays points I to J-1 of the whole design with the seeds
the whole run gives them, so its rows are the whole run's rows for those points;
`merge_sweeps` puts slices together into the files one whole run writes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.design import LoadedPoint, Sweep, resolve_field
from sim.analysis.execute import DesignStatus, design_provenance, held_columns, run_points
from sim.analysis.stats import quantile_summary
from sim.errors import Problem, UserInputError
from sim.output import atomic_write_json, atomic_write_text, csv_text
from sim.replications import WorkersLost
from sim.scenario.loaded import LoadedScenario
from sim.study import resolved_yaml

TABLES = ("sweep.csv", "points_timeseries.csv", "sweep_summary.csv")
"""The files of a sweep that hold rows per point, in point order: a merge joins the slices' rows."""


@dataclass
class SweepResult:
    out_dir: Path
    status: DesignStatus
    summary: pd.DataFrame
    wall_time_s: float


def design_csv(points: list[LoadedPoint], sweeps: list[Sweep]) -> str:
    columns = ["point", *(s.path for s in sweeps), "sha256"]
    rows = [[lp.point.index, *(lp.point.values[s.path] for s in sweeps), lp.digest] for lp in points]
    return csv_text(columns, rows)


def run_sweep(
    base: LoadedScenario,
    points: list[LoadedPoint],
    sweeps: list[Sweep],
    out_dir: Path,
    *,
    design: str,
    runs: int,
    seed: int,
    workers: int,
    progress: bool = True,
    plots: bool = True,
    metrics: list[str] | None = None,
    overrides: list[str] = (),
    selected: tuple[int, int] | None = None,
    timeseries: bool = False,
) -> SweepResult:
    """Play every point (or points `selected` = (first, stop) of them), then summarise, plot and
    report; see the module docstring."""
    note = "the base of the sweep: each point changes it as design.csv says (--set PATH=VALUE)"
    atomic_write_text(out_dir / "scenario.resolved.yaml", resolved_yaml(base, note))
    table = design_csv(points, sweeps)
    atomic_write_text(out_dir / "design.csv", table)
    first, stop = selected if selected is not None else (0, len(points))
    chosen = points[first:stop]
    started = time.perf_counter()
    lost: WorkersLost | None = None
    try:
        status = _play(chosen, out_dir, sweeps, base, points, runs, seed, workers, progress, timeseries)
    except WorkersLost as exc:  # what finished is kept; the summary says the sweep is incomplete
        lost = exc
        status = DesignStatus.after_lost(len(chosen), runs, exc)
    wall = time.perf_counter() - started

    summary = pd.DataFrame()
    if status.runs_completed:
        values = {lp.point.index: lp.point.values for lp in chosen}
        summary = _summary_table(pd.read_csv(out_dir / "sweep.csv"), sweeps, values)
        atomic_write_text(out_dir / "sweep_summary.csv", _frame_csv(summary))
    info = {
        "analysis": "sweep",
        "design": design,
        "parameters": [
            {
                "path": s.path,
                "unit": s.field.unit,
                "scenario_value": s.field.current,
                "values": list(s.values) if s.values else None,
                "range": [s.lo, s.hi] if s.lo is not None else None,
            }
            for s in sweeps
        ],
        "points": len(points),
        **({"slice": {"first": first, "stop": stop, "points": len(chosen)}} if selected is not None else {}),
        **design_provenance(base, overrides, seed=seed, runs=runs, status=status, workers=workers, wall=wall),
    }
    if lost is not None:
        info |= status.incomplete("the sweep is incomplete")
    atomic_write_json(out_dir / "summary.json", info)
    if lost is not None:
        raise lost
    if plots and len(summary):
        _plots(out_dir, summary, sweeps, design, info, metrics)
    return SweepResult(out_dir, status, summary, wall)


def _play(chosen, out_dir, sweeps, base, points, runs, seed, workers, progress, timeseries) -> DesignStatus:
    return run_points(
        chosen,
        out_dir / "sweep.csv",
        runs=runs,
        seed=seed,
        workers=workers,
        point_columns=lambda lp: {
            "point": lp.point.index,
            **{s.path: lp.point.values[s.path] for s in sweeps},
        },
        progress=progress,
        description=f"sweep {base.spec.name}",
        held=held_columns(points),
        series_path=out_dir / "points_timeseries.csv" if timeseries else None,
    )


def _frame_csv(frame: pd.DataFrame) -> str:
    return csv_text(list(frame.columns), frame.astype(object).where(frame.notna(), "").values.tolist())


def _summary_table(df: pd.DataFrame, sweeps: list[Sweep], values: dict[int, dict]) -> pd.DataFrame:
    outcome_columns = [c for c in df.columns[df.columns.get_loc("seed") + 1 :]]
    summary = quantile_summary(df, ["point"], outcome_columns)
    for i, s in enumerate(sweeps):
        summary.insert(1 + i, s.path, [values[p][s.path] for p in summary["point"]])
    return summary


def _plots(out_dir: Path, summary, sweeps, design, info, metrics) -> None:
    from sim.report.sweep_page import make_sweep_plots, write_sweep_report

    figures = make_sweep_plots(out_dir, summary, sweeps, design, metrics)
    write_sweep_report(out_dir, summary, sweeps, figures, info, metrics)


# --------------------------------------------------------------------------- merging slices


@dataclass(frozen=True)
class _Slice:
    folder: Path
    info: dict
    first: int
    stop: int


def _read_slice(folder: Path) -> _Slice:
    path = folder / "summary.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserInputError(
            Problem("not a sweep's output folder (no summary.json)", file=str(folder))
        ) from None
    except (OSError, ValueError) as exc:
        raise UserInputError(Problem(f"cannot read summary.json: {exc}", file=str(folder))) from None
    if info.get("analysis") != "sweep":
        raise UserInputError(
            Problem(
                f"not a sweep's output folder (its summary.json is of a {info.get('analysis', 'study')})",
                file=str(folder),
            )
        )
    if info.get("interrupted") or info.get("points_completed") != info.get("slice", {}).get(
        "points", info.get("points")
    ):
        raise UserInputError(
            Problem(
                "this slice was interrupted before all its points finished; play it again", file=str(folder)
            )
        )
    part = info.get("slice") or {"first": 0, "stop": info["points"]}
    return _Slice(folder, info, int(part["first"]), int(part["stop"]))


SAME = {
    "seed": "--seed",
    "runs_per_point": "--runs",
    "design": "kind of design",
    "points": "number of points",
}


def merge_sweeps(folders: list[Path], out_dir: Path, *, plots: bool = True) -> SweepResult:
    """Join the slice folders of one design into the files a whole run writes (exit 2 if they are not
    slices of one design, with the same seed and runs, covering every point once)."""
    slices = sorted((_read_slice(Path(f)) for f in folders), key=lambda s: s.first)
    first = slices[0]
    problems = []
    for other in slices[1:]:
        for key, what in SAME.items():
            if other.info.get(key) != first.info.get(key):
                problems.append(
                    Problem(
                        f"not a slice of the same sweep as {first.folder}: its {what} differs "
                        f"({other.info.get(key)!r}, not {first.info.get(key)!r})",
                        file=str(other.folder),
                    )
                )
        if other.info.get("scenario", {}).get("sha256") != first.info.get("scenario", {}).get("sha256"):
            problems.append(
                Problem(
                    f"not a slice of the same sweep as {first.folder}: its scenario differs",
                    file=str(other.folder),
                )
            )
        if (other.folder / "design.csv").read_bytes() != (first.folder / "design.csv").read_bytes():
            problems.append(
                Problem(
                    f"not a slice of the same sweep as {first.folder}: its design.csv differs",
                    file=str(other.folder),
                )
            )
    if problems:
        raise UserInputError(problems)
    expected = 0
    for part in slices:
        if part.first > expected:
            problems.append(Problem(f"points {expected} to {part.first - 1} are in no slice"))
        elif part.first < expected:
            problems.append(
                Problem(
                    f"points {part.first} to {min(expected, part.stop) - 1} are in two slices",
                    file=str(part.folder),
                )
            )
        expected = max(expected, part.stop)
    if expected < first.info["points"]:
        problems.append(Problem(f"points {expected} to {first.info['points'] - 1} are in no slice"))
    if problems:
        raise UserInputError(problems)

    started = time.perf_counter()
    design_text = (first.folder / "design.csv").read_text(encoding="utf-8")
    atomic_write_text(out_dir / "design.csv", design_text)
    for name in TABLES:
        texts = [(part.folder / name) for part in slices]
        present = [path.exists() for path in texts]
        if not any(present):
            continue
        if not all(present):
            missing = [str(p.parent) for p, here in zip(texts, present, strict=True) if not here]
            raise UserInputError(
                Problem(f"{name} is in some slices but not in {', '.join(missing)} (play every slice alike)")
            )
        header, lines = None, []
        for path in texts:
            head, _, body = path.read_text(encoding="utf-8").partition("\n")
            if header is None:
                header = head
            elif head != header:
                raise UserInputError(
                    Problem(
                        f"{name} has other columns than in {first.folder}; the slices cannot be joined",
                        file=str(path.parent),
                    )
                )
            lines.append(body)
        atomic_write_text(out_dir / name, f"{header}\n" + "".join(lines))
    from sim.loading import load_scenario

    base = load_scenario(first.folder / "scenario.resolved.yaml")
    sweeps = _sweeps_of(base, first.info)
    note = "the base of the sweep: each point changes it as design.csv says (--set PATH=VALUE)"
    atomic_write_text(out_dir / "scenario.resolved.yaml", resolved_yaml(base, note))
    info = {k: v for k, v in first.info.items() if k != "slice"}
    info["points_completed"] = sum(p.info["points_completed"] for p in slices)
    info["runs_completed"] = sum(p.info["runs_completed"] for p in slices)
    info["wall_time_s"] = round(sum(p.info.get("wall_time_s", 0) for p in slices), 3)
    info["merged_from"] = [str(p.folder) for p in slices]
    atomic_write_json(out_dir / "summary.json", info)
    summary = (
        pd.read_csv(out_dir / "sweep_summary.csv")
        if (out_dir / "sweep_summary.csv").exists()
        else pd.DataFrame()
    )
    if plots and len(summary):
        _plots(out_dir, summary, sweeps, info["design"], info, None)
    status = DesignStatus(
        info["points"],
        info["points_completed"],
        info["points"] * info["runs_per_point"],
        info["runs_completed"],
        False,
    )
    return SweepResult(out_dir, status, summary, time.perf_counter() - started)


def _sweeps_of(base: LoadedScenario, info: dict) -> list[Sweep]:
    """The swept parameters a summary.json names, resolved against the base scenario."""
    sweeps = []
    for entry in info["parameters"]:
        f = resolve_field(base, entry["path"], "summary.json")
        lo, hi = entry.get("range") or (None, None)
        sweeps.append(Sweep(f, entry["path"], tuple(entry.get("values") or ()), lo=lo, hi=hi))
    return sweeps
