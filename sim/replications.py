"""Running the model: one replication, and many of them across processes.

"Run once" is a plain function `run_once(scenario, seed) -> RunResult`.
Replications use seeds spawned from one master seed with NumPy's `SeedSequence`,
so run k always gets the same seed, whichever process runs it and in whatever
order: results are identical for any number of workers.

`run_batch` streams results, in run order, to a callback as they finish; it
keeps only the results that arrived ahead of their turn, never the models, so
memory stays flat however many runs are asked for. Ctrl-C stops it cleanly: the
runs already finished are still delivered, each whole (a signal waits until the run's
delivery is done). A worker process that dies (killed, out of memory) ends the batch with
`WorkersLost`, once the runs finished before it are delivered.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import numpy as np

from sim import engine
from sim.battle import metrics
from sim.battle.battlefield import Battlefield
from sim.codes import UA
from sim.machine import LOCKSTEP
from sim.output import signals_held
from sim.scenario import uncertain
from sim.scenario.loaded import LoadedScenario


@dataclass
class RunResult:
    run: int
    seed: int
    outcomes: dict[str, float]
    timeseries: dict[str, list]
    """Columns `turn` and every TIMESERIES metric (`sim.battle.metrics`), one entry per turn (0 = start)."""
    ua_control: np.ndarray
    """Bit-packed per-hex flag: UA held the hex at the end."""
    ua_cut_off: np.ndarray
    """Bit-packed per-hex flag: UA held the hex at the end with no supply route to it."""
    inputs: dict[str, float] = field(default_factory=dict)
    """The value each uncertain input took in this run, by dotted name (empty: none)."""
    draw: int = 0
    """Which draw of the uncertain inputs the run played (runs of one draw share the inputs)."""


@dataclass
class BatchStatus:
    requested: int
    completed: int
    interrupted: bool


class WorkersLost(RuntimeError):
    """A worker process ended in the middle of a batch (killed, out of memory): the batch cannot
    finish. The runs that finished before are delivered; `completed` of `requested` counts them."""

    def __init__(self, requested: int, completed: int):
        super().__init__(f"a worker process ended unexpectedly; {completed} of {requested} runs finished")
        self.requested = requested
        self.completed = completed


def run_seeds(master_seed: int, runs: int) -> list[int]:
    """Per-run seeds: the first state word of each SeedSequence child, as a non-negative int."""
    children = np.random.SeedSequence(master_seed).spawn(runs)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


def run_seed(master_seed: int, k: int) -> int:
    """Run k's seed alone, without spawning the k before it: child k of the master `SeedSequence`
    is the sequence with spawn key (k,), so this is `run_seeds(master_seed, k + 1)[k]`."""
    child = np.random.SeedSequence(master_seed, spawn_key=(k,))
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def start_run(
    scenario: LoadedScenario,
    seed: int,
    *,
    draw_seed: int | None = None,
    values: dict[str, float] | None = None,
) -> tuple[Battlefield, dict[str, float]]:
    """A run's battlefield before turn 1, and the values its uncertain inputs take: `values` if given,
    else a draw from `draw_seed` (default: the run's own seed), each input from its own stream."""
    if scenario.inputs and values is None:
        values = uncertain.draw(scenario.inputs, seed if draw_seed is None else draw_seed)
    values = values or {}
    played = scenario.with_inputs(values) if values else scenario
    return Battlefield.from_scenario(played, int(seed)), values


def run_once(
    scenario: LoadedScenario,
    seed: int,
    run: int = 0,
    *,
    draw_seed: int | None = None,
    values: dict[str, float] | None = None,
    draw: int = 0,
) -> RunResult:
    """Play one replication to the end and return its outcomes.

    A scenario with uncertain inputs plays them at `values` if given, else at a draw from
    `draw_seed` (default: the run's own seed), each input from its own stream.
    """
    job = Job(run=run, seed=seed, draw=draw, draw_seed=draw_seed, values=values)
    return play_together(scenario, [job])[0]


def play_together(scenario: LoadedScenario, jobs: list[Job]) -> list[RunResult]:
    """Play the jobs' replications in lock-step (`sim.engine.play_many`), each to its end: the
    same result for each job as if it were played alone."""
    started = [start_run(scenario, job.seed, draw_seed=job.draw_seed, values=job.values) for job in jobs]
    # the same phases as `SudzhaModel.step`, without the grid and agents only a viewer needs
    played = engine.play_many([bf for bf, _ in started])
    return [
        _result(job, bf, values, series)
        for job, (bf, values), series in zip(jobs, started, played, strict=True)
    ]


def _result(job: Job, bf: Battlefield, values: dict[str, float], series: dict[str, list]) -> RunResult:
    timeseries = {"turn": list(range(len(series["ua_area_km2"])))}
    timeseries.update(series)
    return RunResult(
        run=job.run,
        seed=job.seed,
        outcomes=metrics.end_of_run(bf),
        timeseries=timeseries,
        ua_control=np.packbits(bf.control == UA),
        ua_cut_off=np.packbits(bf.cut_off_hexes(UA)),
        inputs=dict(values),
        draw=job.draw,
    )


_LOCKSTEP: list[int] = []


@contextlib.contextmanager
def lockstep(size: int) -> Iterator[None]:
    """Inside the block, batches play `size` replications together in each process (1: one at a
    time). The results are the same for any size; only the speed and memory differ."""
    _LOCKSTEP.append(max(1, int(size)))
    try:
        yield
    finally:
        _LOCKSTEP.pop()


def lockstep_size() -> int:
    """How many replications a process plays together now (`lockstep`, else `LOCKSTEP`)."""
    return _LOCKSTEP[-1] if _LOCKSTEP else LOCKSTEP


def play_in_lockstep(scenario: LoadedScenario, jobs: list[Job], size: int) -> list[RunResult]:
    """The jobs in groups of `size`, each group played together (`play_together`)."""
    return [
        result for group in _chunks(iter(jobs), max(1, size)) for result in play_together(scenario, group)
    ]


# --------------------------------------------------------------------------- worker side

_WORKER_SCENARIO: LoadedScenario | None = None


def _init_worker(scenario: LoadedScenario, parent: int | None = None) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = scenario
    # the parent handles Ctrl-C and SIGTERM; workers finish their chunk and are shut down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    warm(scenario)
    gc.freeze()  # what is loaded now lives all batch long: the collector need not walk it again


def warm(scenario: LoadedScenario) -> None:
    """Build what every replication of `scenario` shares (the hex map, the movement cost tables),
    which each process keeps: a worker forked after this starts with them, and its first
    replication costs what the others do."""
    Battlefield.from_scenario(scenario, 0)


def _die_with(parent: int | None) -> None:
    """End this worker when its parent dies, by any signal (SIGKILL included): no orphan outlives it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if parent is not None and os.getppid() != parent:  # the parent died before we got here
        os._exit(1)


@dataclass(frozen=True)
class Job:
    """One replication to play: its number and seed, and which inputs it plays."""

    run: int
    seed: int
    draw: int = 0
    draw_seed: int | None = None
    values: dict[str, float] | None = None


def _run_chunk(chunk: list[Job], size: int) -> list[RunResult]:
    assert _WORKER_SCENARIO is not None
    return play_in_lockstep(_WORKER_SCENARIO, chunk, size)


def _run_chunk_of(scenario: LoadedScenario, chunk: list[Job], size: int) -> list[RunResult]:
    """A chunk on a cluster worker, which gets the scenario with it (scattered once, `sim.cluster`)."""
    return play_in_lockstep(scenario, chunk, size)


def iter_jobs(master_seed: int, runs: int, per_draw: int = 1, first: int = 0) -> Iterator[Job]:
    """Runs `first` .. `runs - 1` of a study, made as they are needed (memory does not grow with
    `runs`): seeds from the master seed; with `per_draw` > 1 the runs come in groups that share one
    draw of the uncertain inputs (a nested design: draws x replications).

    The seeds of runs 0..n-1 are the same whatever `runs` is, so a longer study extends a shorter one.
    """
    per_draw = max(1, int(per_draw))
    for k in range(first, runs):
        seed = run_seed(master_seed, k)
        draw_seed = run_seed(master_seed + 1, k // per_draw) if per_draw > 1 else seed
        yield Job(run=k, seed=seed, draw=k // per_draw, draw_seed=draw_seed)


def plan_jobs(master_seed: int, runs: int, per_draw: int = 1, first: int = 0) -> list[Job]:
    """`iter_jobs` as a list (for the few callers that need one)."""
    return list(iter_jobs(master_seed, runs, per_draw, first))


# --------------------------------------------------------------------------- batch


def start_method() -> str:
    """How worker processes start: fork (fast) unless this process runs other threads (a Jupyter
    kernel, a Dask client), where forking can deadlock; then forkserver (or spawn)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def chunk_size(runs: int, workers: int, size: int) -> int:
    """Runs per chunk a worker is sent, with `size` played together: as many chunks for each worker,
    at least two each, and a chunk no longer than a lock-step group (or about 25 runs of small
    groups). A worker's memory follows the size of the groups it plays, so a small batch shrinks
    its groups only as far as an even share between the workers needs (100 runs on 2 workers:
    groups of 25, not 13)."""
    longest = max(size, 25 // size * size)
    chunks = max(2 * workers, math.ceil(runs / longest))
    chunks = math.ceil(chunks / workers) * workers
    return max(1, math.ceil(runs / chunks))


def _chunks(items: Iterator[Job], size: int) -> Iterator[list[Job]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def run_batch(
    scenario: LoadedScenario,
    runs: int,
    master_seed: int,
    workers: int,
    deliver: Callable[[RunResult], None],
    *,
    per_draw: int = 1,
    jobs: list[Job] | None = None,
) -> BatchStatus:
    """Run `runs` replications (or the given `jobs`); `deliver` gets each result in run order as soon
    as it can. `per_draw`: runs that share each draw of the uncertain inputs (`iter_jobs`). Jobs are
    made as they are submitted, so memory is bounded by the runs in flight, not by `runs`."""
    if jobs is not None:
        runs = len(jobs)
    stream = iter(iter_jobs(master_seed, runs, per_draw) if jobs is None else jobs)
    completed = 0
    pending: dict[int, RunResult] = {}
    order: collections.deque[int] = collections.deque()  # submitted, not yet delivered, in run order

    def submitted(chunk: list[Job]) -> list[Job]:
        order.extend(job.run for job in chunk)
        return chunk

    def accept(results: list[RunResult]) -> None:
        nonlocal completed
        for result in results:
            pending[result.run] = result
        while order and order[0] in pending:
            with signals_held():  # one run reaches every file, or none
                completed += 1
                deliver(pending.pop(order.popleft()))

    from sim.cluster import active

    cluster = active()
    if cluster is not None:
        workers = cluster.workers
    size = lockstep_size()
    if cluster is None and (workers <= 1 or runs == 1):
        try:
            for group in _chunks(stream, size):
                accept(play_together(scenario, submitted(group)))
        except KeyboardInterrupt:
            return BatchStatus(runs, completed, interrupted=True)
        return BatchStatus(runs, completed, interrupted=False)

    queue = _chunks(stream, chunk_size(runs, workers, size))
    if cluster is not None:
        executor = cluster.executor
        shared = cluster.scenario_ref(scenario)

        def submit(chunk: list[Job]) -> Future:
            return executor.submit(_run_chunk_of, shared, chunk, size)
    else:
        method = start_method()
        if method == "fork":
            warm(scenario)  # once here rather than once in every worker
        context = multiprocessing.get_context(method)
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            # a forked worker's parent is this process; a forkserver's is the server (which ends with it)
            initargs=(scenario, os.getpid() if method == "fork" else None),
        )

        def submit(chunk: list[Job]) -> Future:
            return executor.submit(_run_chunk, chunk, size)

    in_flight: set[Future] = set()
    try:
        for chunk in queue:
            in_flight.add(submit(submitted(chunk)))
            if len(in_flight) >= 3 * workers:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    results = future.result()
                    in_flight.discard(future)  # once its results are in hand, never accepted twice
                    accept(results)
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                results = future.result()
                in_flight.discard(future)
                accept(results)
    except (KeyboardInterrupt, BrokenProcessPool) as stop:
        for future in in_flight:
            future.cancel()
        if cluster is None:
            executor.shutdown(wait=False, cancel_futures=True)
        # keep what finished, even out of order, so no finished run is lost
        for future in list(in_flight):
            if future.done() and not future.cancelled() and future.exception() is None:
                results = future.result()
                in_flight.discard(future)
                accept(results)
        for run in sorted(pending):
            with signals_held():
                completed += 1
                deliver(pending.pop(run))
        if isinstance(stop, BrokenProcessPool):
            raise WorkersLost(runs, completed) from None
        return BatchStatus(runs, completed, interrupted=True)
    except BaseException:  # a result could not be delivered (a full disk): stop the workers too
        for future in in_flight:
            future.cancel()
        if cluster is None:
            executor.shutdown(wait=False, cancel_futures=True)
        raise
    if cluster is None:
        executor.shutdown(wait=True)
    return BatchStatus(runs, completed, interrupted=False)
