"""Playing a design: every point's replications through `sim.replications.run_batch`, streamed to one CSV.

Points are played one after the other, each on all workers, and each with the
same per-run seeds (common random numbers). Rows go to disk as runs finish, in
point and run order, through `sim.output.StreamingCsv`, so memory stays flat and
the file is byte-identical for a given seed whatever the number of workers.
Ctrl-C stops cleanly: the rows of the runs that finished are kept; so does a worker process
that dies, which ends the design with `WorkersLost` (the design's runs counted). When asked, each run's
metrics turn by turn go beside it to a tidy long file (`point`, `run`, `turn`, one column per
metric).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import __version__
from sim.analysis.design import LoadedPoint, objective_columns
from sim.battle.metrics import is_held_column
from sim.cluster import describe_executor
from sim.output import StreamingCsv
from sim.replications import RunResult, WorkersLost, run_batch
from sim.scenario.loaded import LoadedScenario

__all__ = ["DesignStatus", "design_provenance", "held_columns", "objective_columns", "run_points"]


@dataclass
class DesignStatus:
    points: int
    points_completed: int
    runs_requested: int
    runs_completed: int
    interrupted: bool

    @classmethod
    def after_lost(cls, points: int, runs: int, lost: WorkersLost) -> DesignStatus:
        """How far a design got before a worker died (its rows so far are written whole)."""
        return cls(points, lost.completed // runs, lost.requested, lost.completed, False)

    def incomplete(self, what: str) -> dict[str, Any]:
        """What a design's summary adds when a worker died: its status, the runs missing, why."""
        return {
            "status": "incomplete",
            "runs_missing": self.runs_requested - self.runs_completed,
            "error": f"a worker process ended unexpectedly (killed, or out of memory); {what}",
        }


def design_provenance(
    base: LoadedScenario,
    overrides: Sequence[str],
    *,
    seed: int,
    runs: int,
    status: DesignStatus,
    workers: int,
    wall: float,
) -> dict[str, Any]:
    """What every design study records to be reproduced: scenario, seed, run counts, version, time."""
    return {
        "points_completed": status.points_completed,
        "scenario": {
            "name": base.spec.name,
            "file": base.path,
            "sha256": base.digest,
            "overrides": list(overrides),
        },
        "seed": seed,
        "runs_per_point": runs,
        "runs_completed": status.runs_completed,
        "interrupted": status.interrupted,
        "workers": workers,
        "executor": describe_executor(workers),
        "version": __version__,
        "wall_time_s": round(wall, 3),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def held_columns(points: list[LoadedPoint]) -> list[str]:
    """The objectives' `held_<key>` columns of every point, in order of first appearance."""
    held: list[str] = []
    for lp in points:
        held += [c for c in lp.objectives if c not in held]
    return held


def run_points(
    points: list[LoadedPoint],
    csv_path: Path,
    *,
    runs: int,
    seed: int,
    workers: int,
    point_columns: Callable[[LoadedPoint], dict[str, Any]],
    progress: bool = True,
    description: str = "design",
    held: list[str] | None = None,
    series_path: Path | None = None,
) -> DesignStatus:
    """Play `runs` replications of every point; one CSV row per point and run, and with `series_path`
    one row per point, run and turn. `held`: the objective columns (default: those of `points`; a
    slice of a design passes those of the whole design, so that every slice has the same columns)."""
    held = list(held) if held is not None else held_columns(points)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
        bar = tqdm(total=runs * len(points), unit="run", desc=description[:30], dynamic_ncols=True)

    writer: StreamingCsv | None = None
    series: StreamingCsv | None = None
    completed_points = completed_runs = 0
    interrupted = False
    try:
        for lp in points:
            fixed = point_columns(lp)

            def deliver(result: RunResult, fixed=fixed) -> None:
                nonlocal writer, series, completed_runs
                if writer is None:
                    metrics = [k for k in result.outcomes if not is_held_column(k)]
                    extra_held = [k for k in result.outcomes if is_held_column(k) and k not in held]
                    columns = [*fixed, "run", "seed", *metrics, *held, *extra_held]
                    writer = StreamingCsv(csv_path, columns)
                row = {**fixed, "run": result.run, "seed": result.seed, **result.outcomes}
                writer.write({c: row.get(c, "") for c in writer.columns})
                if series_path is not None:
                    if series is None:
                        series = StreamingCsv(series_path, ["point", "run", *result.timeseries])
                    names = list(result.timeseries)
                    for values in zip(*result.timeseries.values(), strict=True):
                        turn = dict(zip(names, values, strict=True))
                        series.write(
                            {c: turn.get(c, "") for c in series.columns}
                            | {"point": fixed["point"], "run": result.run}
                        )
                completed_runs += 1
                if bar is not None:
                    bar.update(1)

            status = run_batch(lp.scenario, runs, seed, workers, deliver)
            if status.interrupted:
                interrupted = True
                break
            completed_points += 1
    except KeyboardInterrupt:
        interrupted = True
    except WorkersLost:  # the rows written are of whole runs: kept; the design is incomplete
        raise WorkersLost(runs * len(points), completed_runs) from None
    except BaseException:
        for stream in (writer, series):  # a failed write: neither file reaches its name
            if stream is not None:
                stream.abort()
        raise
    finally:
        for stream in (writer, series):
            if stream is not None:
                stream.close()
        if bar is not None:
            bar.close()
    return DesignStatus(len(points), completed_points, runs * len(points), completed_runs, interrupted)
