"""A Monte Carlo study of one scenario, from runs to the output folder.

`run_study` plays the replications (`sim.replications.run_batch`), streams
`runs.csv` and `timeseries.csv` to disk as runs finish, then writes
`summary.json`, `hexes.csv`, the plots and `report.html`. If it is interrupted,
everything is still written for the runs that finished, and the summary says so.

Signals (Ctrl-C, SIGTERM, SIGHUP) act only in two windows, the batch of runs and the plots;
elsewhere they wait (`sim.output.signals_held`), so that a run is in `runs.csv` exactly when
all its turns are in `timeseries.csv`, and `summary.json` always says how the study ended:
complete, interrupted (during the runs, the plots, or both: what is missing), or incomplete
(a worker process died: `WorkersLost` is raised once everything else is written).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim import __version__, invocation
from sim.battle import metrics
from sim.battle.geography import build_hexmap
from sim.cluster import describe_executor
from sim.codes import TERRAINS, Role
from sim.errors import printable
from sim.output import (
    StreamingCsv,
    atomic_write_json,
    atomic_write_text,
    csv_text,
    describe,
    format_value,
    pending_signal,
    signals_allowed,
    signals_held,
)
from sim.replications import BatchStatus, Job, RunResult, WorkersLost, plan_jobs, run_batch, run_seeds
from sim.resources import project_path
from sim.scenario import uncertain
from sim.scenario.loaded import LoadedScenario
from sim.scenario.yamlio import dump_yaml
from sim.statistics import mean_interval, variance_split


@dataclass
class StudyResult:
    out_dir: Path
    summary: dict[str, Any]
    status: BatchStatus
    p_ua: np.ndarray | None = None
    """Per hex, the share of runs in which Ukraine held it at the end."""
    p_cut: np.ndarray | None = None
    """Per hex, the share of runs in which Ukraine held it cut off at the end."""
    stopped_during: list[str] = field(default_factory=list)
    """Where a signal stopped the study: "runs", "plots" or both (empty: it was not stopped)."""


class ReportedPoints:
    """Every run's value at each (turn, column) a reported figure or place is compared at, kept as
    the runs stream in: the comparison never reads `timeseries.csv` back, so what the parent holds
    is runs x reported items, not runs x turns x columns. Each value is kept as the file spells it
    (`format_value`), so the comparison is the one a reader of the file would make."""

    def __init__(self, spec) -> None:
        self.points: dict[int, set[str]] = {}
        for item in spec.reported:
            column = metrics.held_column(item.place) if item.is_place else item.metric
            self.points.setdefault(report_turn(spec, item), set()).add(column)
        self._values: dict[tuple[int, str], array] = {}

    def add(self, timeseries: dict[str, list]) -> None:
        """One run's turns (its `RunResult.timeseries`)."""
        first = timeseries["turn"][0]
        for turn, columns in self.points.items():
            row = turn - first
            if not 0 <= row < len(timeseries["turn"]):
                continue
            for column in columns:
                if column in timeseries:
                    kept = self._values.setdefault((turn, column), array("d"))
                    kept.append(float(format_value(timeseries[column][row])))

    def __contains__(self, column: str) -> bool:
        return any(column == kept for _, kept in self._values)

    def at(self, turn: int, column: str) -> np.ndarray:
        """Every run's value of `column` at the end of `turn` (empty if no run reached it)."""
        return np.asarray(self._values.get((turn, column), array("d")))


class _Collector:
    """Receives runs in order: writes their rows, adds up per-hex control, keeps only the values
    the summary compares with the reports (`ReportedPoints`) and those `tracked` for precision."""

    def __init__(
        self,
        out_dir: Path,
        n_hexes: int,
        progress=None,
        inputs: tuple[str, ...] = (),
        tracked=(),
        reported: ReportedPoints | None = None,
    ):
        self.out_dir = out_dir
        self.inputs = inputs
        self.tracked: dict[str, list[float]] = {name: [] for name in tracked}
        self.reported = reported
        self.draws: list[int] = []
        self.runs_csv: StreamingCsv | None = None
        self.series_csv: StreamingCsv | None = None
        self.ua_control_count = np.zeros(n_hexes, dtype=np.int64)
        self.ua_cut_off_count = np.zeros(n_hexes, dtype=np.int64)
        self.n_hexes = n_hexes
        self.progress = progress
        self.delivered = 0
        """Runs written whole to both files."""

    def __call__(self, result: RunResult) -> None:
        with signals_held():  # the run's row and its turns go together, whatever signal arrives
            self._write(result)

    def _write(self, result: RunResult) -> None:
        drawn = ["draw", *self.inputs] if self.inputs else []
        if self.runs_csv is None:
            self.runs_csv = StreamingCsv(self.out_dir / "runs.csv", ["run", "seed", *drawn, *result.outcomes])
            self.series_csv = StreamingCsv(self.out_dir / "timeseries.csv", ["run", *result.timeseries])
        inputs = {"draw": result.draw, **result.inputs} if self.inputs else {}
        self.runs_csv.write({"run": result.run, "seed": result.seed, **inputs, **result.outcomes})
        for name, values in self.tracked.items():
            values.append(result.outcomes[name])
        self.draws.append(result.draw)
        columns = list(result.timeseries)
        for values in zip(*result.timeseries.values(), strict=True):
            self.series_csv.write({"run": result.run, **dict(zip(columns, values, strict=True))})
        if self.reported is not None:
            self.reported.add(result.timeseries)
        self.ua_control_count += np.unpackbits(result.ua_control, count=self.n_hexes)
        self.ua_cut_off_count += np.unpackbits(result.ua_cut_off, count=self.n_hexes)
        self.delivered += 1
        if self.progress is not None:
            self.progress.update(1)

    def close(self) -> None:
        for writer in (self.runs_csv, self.series_csv):
            if writer is not None:
                writer.close()

    def abort(self) -> None:
        """A write failed: neither stream reaches its final name (runs.csv and timeseries.csv agree)."""
        for writer in (self.runs_csv, self.series_csv):
            if writer is not None:
                writer.abort()


def summarise(
    loaded: LoadedScenario, runs_df, status: BatchStatus, *, seed: int, workers: int, wall: float
) -> dict:
    spec = loaded.spec
    described = {}
    drawn = {item.name for item in loaded.inputs}
    for column in runs_df.columns:
        if column in ("run", "seed", "draw") or column in drawn or metrics.is_held_column(column):
            continue
        meta = metrics.METRICS.get(column)
        described[column] = {
            "unit": meta.unit if meta else "",
            "description": meta.description if meta else "",
            **describe(runs_df[column].to_numpy()),
        }
    names = {s.key: s.name for s in loaded.map.settlements}
    objectives = {
        metrics.held_key(column): {
            "name": names.get(metrics.held_key(column), column),
            "p_ua_holds": float(runs_df[column].mean()) if len(runs_df) else float("nan"),
        }
        for column in runs_df.columns
        if metrics.is_held_column(column)
    }
    return {
        "scenario": {
            "name": spec.name,
            "file": project_path(loaded.path),
            "sha256": loaded.digest,
            "description": spec.description,
            "turns": spec.turn_count,
            "days": spec.duration_days,
            "turn_hours": spec.turn_hours,
            "start_date": str(spec.start_date) if spec.start_date else None,
        },
        "command": invocation.current(),
        "overrides": list(loaded.overrides),
        "seed": seed,
        "runs_requested": status.requested,
        "runs_completed": status.completed,
        "interrupted": status.interrupted,
        "workers": workers,
        "executor": describe_executor(workers),
        "version": __version__,
        "wall_time_s": round(wall, 3),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "metrics": described,
        "objectives": objectives,
        **_inputs_summary(loaded, runs_df),
    }


SPLIT_METRICS = ("ua_area_km2", "ua_casualties", "ru_casualties", "dprk_casualties")
"""The outcomes whose spread the summary splits into inputs and dice."""


def _inputs_summary(loaded: LoadedScenario, runs_df) -> dict:
    """The uncertain inputs (their distributions and what was drawn) and the split of the spread."""
    if not loaded.inputs:
        return {}
    rows = uncertain.describe(loaded.inputs)
    for row in rows:
        if row["name"] in runs_df:
            row["drawn"] = describe(runs_df[row["name"]].to_numpy())
    out: dict = {"inputs": rows}
    if "draw" in runs_df and len(runs_df):
        split = {
            name: variance_split(runs_df[name].to_numpy(), runs_df["draw"].to_numpy())
            for name in SPLIT_METRICS
            if name in runs_df
        }
        if any("variance" in v for v in split.values()):
            out["spread"] = {
                "method": "one-way random-effects analysis of variance over a nested design (draws of "
                "the inputs x replications of each); Sun, Apley and Staum, Operations Research 59(4), 2011",
                "outcomes": split,
            }
    return out


class RunsColumns:
    """runs.csv as a summary reads it, a column at a time: each column has every run's value (exact
    quantiles need them all), but only the last two groups of `GROUP` columns read are held, so what
    the parent holds does not grow with the runs' columns x runs (10,000 runs x 190 columns: 15 MB).
    Reads as a DataFrame does for what a summary asks: `columns`, `name in`, `[name]`, `len`."""

    GROUP = 12

    def __init__(self, path: Path) -> None:
        import csv

        self.path = path
        with open(path, newline="") as fh:
            self.columns = next(csv.reader(fh))
        self._index = {name: k for k, name in enumerate(self.columns)}
        self._groups: dict[int, dict] = {}  # by the group's first column, the last read at the end
        self._rows: int | None = None

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def __getitem__(self, name: str):
        for group in self._groups.values():
            if name in group:
                return group[name]
        import pandas as pd

        start = self._index[name]
        names = self.columns[start : start + self.GROUP]
        values = _read_columns(self.path, range(start, start + len(names)))
        if values is None:  # a value that is not a number: let pandas read the group as it can
            frame = pd.read_csv(self.path, usecols=names)
            values = [frame[column].to_numpy() for column in names]
        if len(self._groups) >= 2:
            self._groups.pop(next(iter(self._groups)))
        self._groups[start] = {
            column: pd.Series(v, name=column) for column, v in zip(names, values, strict=True)
        }
        self._rows = len(values[0])
        return self._groups[start][name]

    def __len__(self) -> int:
        if self._rows is None:
            self[self.columns[0]]
        return int(self._rows)


def _read_columns(path: Path, positions: range) -> list[np.ndarray] | None:
    """The columns at `positions` of a CSV file of numbers, read row by row into typed arrays: int64
    while a column holds only whole numbers, else float64 (empty: NaN), as pandas would type them.
    Parsing row by row holds only the columns kept, where pandas' parser briefly holds about twice
    the file (10,000 runs: 13 MB more at the parent's peak). None if a value is not a number."""
    import csv

    first, stop = positions.start, positions.stop
    whole: list[array | None] = [array("q") for _ in positions]
    real: list[array | None] = [None for _ in positions]
    with open(path, newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for row in rows:
            for k, text in enumerate(row[first:stop]):
                ints = whole[k]
                if ints is not None:
                    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
                        ints.append(int(text))
                        continue
                    real[k], whole[k] = array("d", (float(v) for v in ints)), None
                try:
                    real[k].append(float(text) if text else math.nan)
                except ValueError:
                    return None
    return [
        np.array(ints, dtype=np.int64) if ints is not None else np.array(floats, dtype=np.float64)
        for ints, floats in zip(whole, real, strict=True)
    ]


def report_turn(spec, item) -> int:
    """The turn at whose end a reported item is compared (its moment rounded up to a turn's end)."""
    timeline = spec.timeline
    hours = item.end_hours(timeline, spec.turn_count * spec.turn_hours)
    return int(min(spec.turn_count, max(0, math.ceil(hours / spec.turn_hours - 1e-9))))


def compare_with_reports(spec, runs_df, at_turns: ReportedPoints) -> list[dict[str, Any]]:
    """Each reported figure next to the model's median and 90 % interval at the same moment, and each
    reported place next to the share of runs in which the model agrees who held it."""
    out = []
    for item in spec.reported:
        turn = report_turn(spec, item)
        date = spec.timeline.date_of_turn_end(turn) if turn else spec.start_date
        common = {
            **item.model_dump(mode="json"),
            "kind": "place" if item.is_place else "figure",
            "turn": turn,
            "date": str(date) if date else None,
            "day": round(turn * spec.turn_hours / 24.0, 4),
        }
        if item.is_place:
            column = metrics.held_column(item.place)
            if column not in at_turns:
                continue
            held_by_ua = at_turns.at(turn, column)
            share = (
                float(np.mean(held_by_ua == (1 if item.holder == "UA" else 0)))
                if held_by_ua.size
                else math.nan
            )
            out.append({**common, "model_share": share, "model_agrees": bool(share >= 0.5)})
            continue
        if turn < spec.turn_count and item.metric in at_turns:
            values = at_turns.at(turn, item.metric)
        elif item.metric in runs_df:
            values = runs_df[item.metric].to_numpy()
        else:
            continue
        stats = describe(values)
        out.append(
            {
                **common,
                "model_p5": stats["p5"],
                "model_p50": stats["p50"],
                "model_p95": stats["p95"],
                "median_inside_band": bool(item.low <= stats["p50"] <= item.high),
            }
        )
    return out


def _hexes_csv(hexmap, p_ua: np.ndarray, p_cut: np.ndarray, initial_control: np.ndarray) -> str:
    rows = []
    for h in range(hexmap.n):
        col, row = hexmap.coord(h)
        site = hexmap.settlement_at[h]
        rows.append(
            [
                h,
                col,
                row,
                round(float(hexmap.lat[h]), 5),
                round(float(hexmap.lon[h]), 5),
                TERRAINS[hexmap.terrain[h]],
                "RU" if hexmap.country[h] else "UA",
                "UA" if initial_control[h] == 0 else "RU",
                hexmap.settlements[site].key if site >= 0 else "",
                round(float(p_ua[h]), 4),
                round(float(p_cut[h]), 4),
            ]
        )
    columns = [
        "hex",
        "col",
        "row",
        "lat",
        "lon",
        "terrain",
        "country",
        "initial_control",
        "settlement",
        "p_ua_control",
        "p_ua_cut_off",
    ]
    return csv_text(columns, rows)


def ew_snapshot(loaded: LoadedScenario, seed: int, turn: int) -> dict[str, np.ndarray]:
    """EW coverage of both sides and the control of one run at a chosen turn (for the EW map)."""
    from sim.model import SudzhaModel

    model = SudzhaModel(loaded, rng=seed)
    while model.running and model.turn < turn:
        model.step()
    bf = model.battlefield
    f = bf.forces
    jammers = f.active & (f.role == Role.JAMMER)
    return {
        "ua": bf.ew.cover[0].copy(),
        "ru": bf.ew.cover[1].copy(),
        "control": bf.control.copy(),
        "jammers": f.hex[jammers].copy(),
        "jammer_side": f.side[jammers].copy(),
        "turn": bf.turn,
    }


def run_study(
    loaded: LoadedScenario,
    out_dir: Path,
    *,
    runs: int,
    seed: int,
    workers: int,
    progress: bool = True,
    plots: bool = True,
    ew_turn: int = 1,
    per_draw: int = 1,
    precision: dict[str, float] | None = None,
    values: list[dict[str, float]] | None = None,
) -> StudyResult:
    """Run the replications and write every output file; see the module docstring.

    `per_draw`: with uncertain inputs, runs that share each draw of them (a nested design,
    so that the summary can split the spread). `precision` ({outcome: width}): play runs
    in batches until the 95 % interval of each named outcome's mean is at most that wide,
    `runs` at most. `values`: the uncertain inputs of each run, given (a posterior sample).
    """
    with signals_held():  # signals act in the batch and the plots only (see the module docstring)
        return _run_study(
            loaded,
            Path(out_dir),
            runs=runs,
            seed=seed,
            workers=workers,
            progress=progress,
            plots=plots,
            ew_turn=ew_turn,
            per_draw=per_draw,
            precision=precision,
            values=values,
        )


def _run_study(
    loaded, out_dir, *, runs, seed, workers, progress, plots, ew_turn, per_draw, precision, values
) -> StudyResult:
    import pandas as pd

    spec = loaded.spec
    out_dir.mkdir(parents=True, exist_ok=True)  # a new folder is made, as the command line does
    hexmap = build_hexmap(
        loaded.map, spec.hex_km, spec.parameters.terrain.urban_min_population, cache_key=loaded.map_digest
    )
    initial_control = hexmap.initial_control(spec.line_of_control)
    atomic_write_text(
        out_dir / "scenario.resolved.yaml",
        resolved_yaml(
            loaded,
            f"Run it again with: python run_scenario.py scenario.resolved.yaml --seed {seed} --runs {runs}",
        ),
    )

    bar = None
    if progress:
        from tqdm.auto import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
        bar = tqdm(total=runs, unit="run", desc=spec.name[:30], dynamic_ncols=True, smoothing=0.1)
    per_draw = max(1, per_draw) if loaded.inputs else 1
    collector = _Collector(
        out_dir,
        hexmap.n,
        bar,
        tuple(item.name for item in loaded.inputs),
        tuple(precision or ()),
        ReportedPoints(spec),
    )

    def batch() -> tuple[BatchStatus, dict | None]:
        if precision:
            return _until_precise(loaded, runs, seed, workers, collector, per_draw, precision)
        if values is not None:
            jobs = [
                Job(run=job.run, seed=job.seed, draw=job.run, values=given)
                for job, given in zip(plan_jobs(seed, runs), values, strict=True)
            ]
            return run_batch(loaded, runs, seed, workers, collector, jobs=jobs), None
        return run_batch(loaded, runs, seed, workers, collector, per_draw=per_draw), None

    started = time.perf_counter()
    lost: WorkersLost | None = None
    reached = None
    try:
        with signals_allowed():
            status, reached = batch()
    except KeyboardInterrupt:  # a signal while the batch was already stopping, or between batches
        status = BatchStatus(runs, collector.delivered, interrupted=True)
    except WorkersLost as exc:  # the runs delivered are whole: they are kept, and the study is incomplete
        lost = exc
        status = BatchStatus(runs, collector.delivered, interrupted=False)
    except BaseException:
        collector.abort()
        raise
    finally:
        collector.close()
        if bar is not None:
            bar.close()
    wall = time.perf_counter() - started
    stopped = ["runs"] if status.interrupted else []

    if status.completed == 0:
        summary = summarise(loaded, pd.DataFrame(), status, seed=seed, workers=workers, wall=wall)
        _how_it_ended(summary, status, stopped, lost, out_dir if plots else None)
        atomic_write_json(out_dir / "summary.json", summary)
        if lost is not None:
            raise WorkersLost(status.requested, status.completed)
        pending_signal()  # noted after the batch stopped: nothing is left to stop
        return StudyResult(out_dir, summary, status, stopped_during=stopped)

    runs_df = RunsColumns(out_dir / "runs.csv")  # every run's value, a few columns at a time
    summary = summarise(loaded, runs_df, status, seed=seed, workers=workers, wall=wall)
    if precision and reached is not None:
        summary["precision"] = reached
    if spec.reported:
        summary["reported"] = compare_with_reports(spec, runs_df, collector.reported)
    p_ua = collector.ua_control_count / status.completed
    p_cut = collector.ua_cut_off_count / status.completed
    atomic_write_text(out_dir / "hexes.csv", _hexes_csv(hexmap, p_ua, p_cut, initial_control))
    _how_it_ended(summary, status, stopped, lost, out_dir if plots else None)
    atomic_write_json(out_dir / "summary.json", summary)
    if lost is not None:  # no plots of a study that is missing runs: it must be played again
        raise WorkersLost(status.requested, status.completed)
    if plots:
        try:
            with signals_allowed():
                if progress:
                    print(
                        f"{spec.name[:30]}: drawing the plots and the report ...", file=sys.stderr, flush=True
                    )
                write_pictures(loaded, out_dir, summary, p_ua, p_cut, seed=seed, ew_turn=ew_turn)
        except KeyboardInterrupt:
            status = BatchStatus(status.requested, status.completed, interrupted=True)
            stopped.append("plots")
            summary["interrupted"] = True
            _how_it_ended(summary, status, stopped, None, out_dir)
            atomic_write_json(out_dir / "summary.json", summary)
    pending_signal()  # noted once everything was written: nothing is left to stop
    return StudyResult(out_dir, summary, status, p_ua, p_cut, stopped_during=stopped)


def _how_it_ended(
    summary: dict, status: BatchStatus, stopped: list[str], lost: WorkersLost | None, plots_in: Path | None
) -> None:
    """What a summary adds when the study did not end complete (a complete one stays as it was):
    `status` (interrupted or incomplete), where a signal stopped it, the runs missing, and the
    pictures and report not drawn (`plots_in`: the folder, if plots were asked for)."""
    if not stopped and lost is None:
        return
    summary["status"] = "incomplete" if lost is not None else "interrupted"
    if stopped:
        summary["interrupted_during"] = list(stopped)
    summary["runs_missing"] = status.requested - status.completed
    if lost is not None:
        summary["error"] = (
            "a worker process ended unexpectedly (killed, or out of memory): "
            f"{status.completed} of {status.requested} runs finished; the study is incomplete"
        )
    if plots_in is None:
        return
    if lost is not None:
        summary["missing"] = ["plots/", "report.html"]
        return
    if "plots" in stopped:
        from sim.report.study_page import PLOT_CAPTIONS

        folder = plots_in / "plots"
        drawn = sorted(p.name for p in folder.glob("*.png")) if folder.is_dir() else []
        summary["plots_drawn"] = drawn
        not_drawn = [f"plots/{name}.png" for name in PLOT_CAPTIONS if f"{name}.png" not in drawn]
        report = [] if (plots_in / "report.html").exists() else ["report.html"]
        summary["missing"] = not_drawn + report


def write_pictures(
    loaded: LoadedScenario,
    out_dir: Path,
    summary: dict,
    p_ua: np.ndarray,
    p_cut: np.ndarray,
    *,
    seed: int,
    ew_turn: int = 1,
) -> None:
    """The plots and report.html of a study whose runs.csv and timeseries.csv are in `out_dir`."""
    import pandas as pd

    from sim.report.figures import make_all_plots
    from sim.report.study_page import write_report

    spec = loaded.spec
    hexmap = build_hexmap(
        loaded.map, spec.hex_km, spec.parameters.terrain.urban_min_population, cache_key=loaded.map_digest
    )
    figures = make_all_plots(
        out_dir,
        pd.read_csv(out_dir / "runs.csv"),
        pd.read_csv(out_dir / "timeseries.csv"),
        hexmap,
        loaded.map,
        p_ua,
        line_of_control=spec.line_of_control,
        initial_control=hexmap.initial_control(spec.line_of_control),
        start_date=spec.start_date,
        turn_hours=spec.turn_hours,
        air_threshold=spec.parameters.air.superiority_threshold,
        p_cut=p_cut,
        ew=ew_snapshot(loaded, run_seeds(seed, 1)[0], min(ew_turn, spec.turn_count)),
        reported=summary.get("reported", []),
        scenario=spec,
    )
    write_report(out_dir, summary, figures)


PRECISION_BATCH = 50
"""Runs added at a time while a study works towards a `--precision` target."""


def _until_precise(loaded, cap, seed, workers, collector, per_draw, precision):
    """Batches of runs (always the same ones for a seed) until every target width is met, or `cap` runs."""
    batch = max(per_draw, PRECISION_BATCH // per_draw * per_draw)
    done, status = 0, BatchStatus(0, 0, False)
    while True:
        upto = min(cap, done + batch)
        jobs = plan_jobs(seed, upto, per_draw, first=done)
        part = run_batch(loaded, len(jobs), seed, workers, collector, jobs=jobs)
        done += part.completed
        status = BatchStatus(cap, done, part.interrupted)
        widths = {}
        for name, target in precision.items():
            values = np.asarray(collector.tracked[name], dtype=float)
            if per_draw > 1:  # runs of one draw are not independent: the draw means are
                draws = np.asarray(collector.draws)
                values = np.array([values[draws == d].mean() for d in np.unique(draws)])
            _, low, high = mean_interval(values)
            widths[name] = {"target": target, "width": high - low}
        met = all(w["width"] <= w["target"] for w in widths.values())
        if met or part.interrupted or done >= cap:
            return status, {"met": bool(met), "runs": done, "runs_allowed": cap, "outcomes": widths}


def resolved_yaml(loaded: LoadedScenario, note: str = "") -> str:
    """The scenario as run (after `extends` and `--set`, map inlined), to reproduce a study."""
    changes = "".join(f"#   --set {printable(o)}\n" for o in loaded.overrides)
    command = printable(invocation.current() or "")
    note = printable(note)
    header = (  # every line a comment: a newline in a file name or a --set value is written escaped
        f"# Scenario {loaded.spec.name!r} as run: {printable(project_path(loaded.path))} after 'extends' "
        "and --set,\n"
        f"# with its map inlined. sha256 of this content: {loaded.digest}\n"
        + (f"# Changed on the command line:\n{changes}" if changes else "")
        + (f"# Command: {command}\n" if command else "")
        + (f"# {note}\n" if note else "")
    )
    return header + dump_yaml(loaded.data)
