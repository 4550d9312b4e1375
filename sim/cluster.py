"""Playing batches on a Dask cluster instead of this machine's process pool.

    with dask_cluster(scheduler="tcp://10.0.0.5:8786") as cluster:   # an existing cluster
        run_study(...)                                              # every batch goes there
    with dask_cluster(workers=4) as cluster:                        # a LocalCluster here

Inside the block, `sim.replications.run_batch` sends its chunks of runs to the cluster
through Dask's `concurrent.futures` executor; the scenario goes to each worker once
(`Client.scatter`, broadcast) and a chunk carries only its runs' numbers, seeds and
inputs. Results come back in run order, as from the local pool, so every output is
byte-identical for a seed whatever runs it (a test compares them). Every worker must
run the same versions of Python, NumPy, SciPy, Mesa and this package as this process,
or the results could differ: a mismatch is refused before any run.

Dask is an optional dependency: `pip install "sudzha-sim[dask]"`.
"""

from __future__ import annotations

import contextlib
import platform
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sim.errors import Problem, UserInputError

SLOW_ALLOCATOR_KEY = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""The Dask setting that starts workers with a fixed malloc trim threshold (see `dask_cluster`)."""


def _trim_threshold() -> str | None:
    """MALLOC_TRIM_THRESHOLD_ in this process's environment (run on each worker)."""
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def versions() -> dict[str, str]:
    """The versions that decide a run's numbers, on this process (or, via `Client.run`, a worker),
    read from the installed distributions (nothing is imported)."""
    from importlib.metadata import version

    from sim import __version__

    return {
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "scipy": version("scipy"),
        "mesa": version("mesa"),
        "sudzha-sim": __version__,
    }


@dataclass
class DaskCluster:
    """A connected Dask client, what each batch needs of it, and what the summary records."""

    client: Any
    executor: Any
    workers: int
    address: str
    kind: str
    worker_versions: dict[str, dict[str, str]] = field(default_factory=dict)
    _scattered: tuple[Any, Any] | None = None
    """The last scenario sent and its future. The scenario itself is kept, not its id(): a sweep's
    next point could be built at the address of the last one, once freed, and take its future."""

    def scenario_ref(self, scenario: Any) -> Any:
        """The scenario on every worker, sent once per scenario (a Dask future)."""
        if self._scattered is None or self._scattered[0] is not scenario:
            self._scattered = (scenario, self.client.scatter(scenario, broadcast=True, hash=False))
        return self._scattered[1]

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "scheduler": self.address,
            "workers": self.workers,
            "versions": versions(),
            "worker_versions": self.worker_versions,
        }


_ACTIVE: list[DaskCluster] = []


def active() -> DaskCluster | None:
    """The cluster batches go to now, if any."""
    return _ACTIVE[-1] if _ACTIVE else None


def describe_executor(workers: int) -> dict[str, Any]:
    """What plays the runs, for a summary: this machine's processes, or the Dask cluster (with the
    versions on every worker)."""
    cluster = active()
    return cluster.describe() if cluster is not None else {"kind": "local processes", "workers": workers}


@contextlib.contextmanager
def dask_cluster(scheduler: str | None = None, workers: int = 2) -> Iterator[DaskCluster]:
    """Connect to `scheduler` (or start a LocalCluster of `workers` processes) for the block."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserInputError(
            Problem(
                'the Dask executor needs the distributed package: pip install "sudzha-sim[dask]"',
                file="--executor dask",
            )
        ) from None
    local = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise UserInputError(
                    Problem(f"cannot reach the Dask scheduler: {exc}", file=f"--scheduler {scheduler}")
                ) from None
            kind = "dask (existing cluster)"
        else:
            import dask

            # Dask starts its workers with MALLOC_TRIM_THRESHOLD_ set, which fixes glibc's mmap
            # threshold: every large NumPy temporary is then mapped and unmapped afresh, and a
            # replication costs about twice as much; our workers keep the allocator's default
            with dask.config.set({SLOW_ALLOCATOR_KEY: None}):
                local = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            client = Client(local)
            kind = "dask (LocalCluster)"
        client.wait_for_workers(1, timeout=60)
        found = client.run(versions)
        mine = versions()
        wrong = {w: v for w, v in found.items() if v != mine}
        if wrong:
            first, theirs = next(iter(wrong.items()))
            diff = ", ".join(
                f"{k} {theirs.get(k)} (here {mine[k]})" for k in mine if theirs.get(k) != mine[k]
            )
            raise UserInputError(
                Problem(
                    f"{len(wrong)} Dask worker(s) run other versions than this process, which could change "
                    f"the results: {first}: {diff}; install the same versions on every worker",
                    file="--executor dask",
                )
            )
        trimming = {w: v for w, v in client.run(_trim_threshold).items() if v is not None}
        if trimming:
            print(
                f"warning: {len(trimming)} Dask worker(s) run with MALLOC_TRIM_THRESHOLD_="
                f"{next(iter(trimming.values()))} (Dask's default), which makes each replication about "
                "twice as slow; start them with the Dask setting "
                f"{SLOW_ALLOCATOR_KEY}: null (docs/scale.md)",
                file=sys.stderr,
            )
        cluster = DaskCluster(
            client=client,
            executor=client.get_executor(pure=False),
            workers=len(found),
            address=client.scheduler.address,
            kind=kind,
            worker_versions=found,
        )
        _ACTIVE.append(cluster)
        try:
            yield cluster
        finally:
            _ACTIVE.pop()
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if local is not None:
            with contextlib.suppress(Exception):
                local.close()
