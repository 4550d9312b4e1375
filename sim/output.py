"""Writing results without ever leaving a half-written file or clobbering a user's work.

- `prepare_output_dir` refuses an existing non-empty folder unless forced; forced, it first
  removes what the tool wrote there before (listed in `MANIFEST`, or known by name), and only
  that, so nothing stale contradicts the new run; `record_outputs` lists what a run wrote.
- `atomic_write_*` write to a hidden temporary file beside the target and
  `os.replace` it into place, so a reader sees the old file or the whole new one.
- `StreamingCsv` appends rows to a hidden `.partial` file as runs finish (memory
  stays flat) and renames it into place when closed, including after Ctrl-C.
- `signals_held` and `signals_allowed` make a pair of writes (one run's row in `runs.csv` and
  its turns in `timeseries.csv`) whole with respect to Ctrl-C, SIGTERM and SIGHUP: a signal
  that arrives inside is noted and acted on when the block ends.
- `summarise` computes the per-metric statistics of `summary.json`.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import math
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from sim.errors import Problem, UserInputError

QUANTILES = {"p5": 5, "p25": 25, "p50": 50, "p75": 75, "p95": 95}


# --------------------------------------------------------------------------- signals

HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that stop a command cleanly (`sim.cli`), and that a held block notes for later."""


class _Guard:
    """One handler for the held signals while a held block is open, and what it has noted.

    A flag, not a swap of handlers, decides what a signal does, so that no signal can land in the
    middle of a change: `holding` (note it) or not (act on it as the handler before would have).
    Inside a held block, an allowed window is interrupted once: the signal that interrupts it holds
    the rest again, so the clean-up after it runs whole.
    """

    holding = False
    regions = 0
    noted: ClassVar[list[int]] = []
    previous: ClassVar[dict[int, Any]] = {}


def _act(signum: int) -> None:
    """What the signal would have done without the guard: its previous handler (KeyboardInterrupt)."""
    handler = _Guard.previous.get(signum, signal.SIG_DFL)
    if callable(handler):
        handler(signum, None)
    elif signum == signal.SIGINT and handler is not signal.SIG_IGN:
        raise KeyboardInterrupt
    elif handler != signal.SIG_IGN:  # the default action (end the process), as it would have been
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)


def _on_signal(signum: int, frame) -> None:
    if _Guard.holding:
        _Guard.noted.append(signum)
        return
    if _Guard.regions:
        _Guard.holding = True  # one interruption per allowed window: its clean-up runs whole
    _act(signum)


def _act_on_noted() -> None:
    if _Guard.noted and not _Guard.holding:
        first = _Guard.noted[0]
        _Guard.noted = []
        if _Guard.regions:
            _Guard.holding = True
        _act(first)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Inside, SIGINT, SIGTERM and SIGHUP are noted, not acted on; when the outermost block ends,
    the first one noted is acted on as it would have been (Ctrl-C: KeyboardInterrupt). Blocks nest.
    Signals reach only the main thread's Python code, so elsewhere this does nothing."""
    if not _main_thread():
        yield
        return
    outermost = _Guard.regions == 0
    if outermost:
        for signum in HELD_SIGNALS:
            current = signal.getsignal(signum)
            if current is not _on_signal:
                _Guard.previous[signum] = current
                signal.signal(signum, _on_signal)
    was = _Guard.holding
    _Guard.regions += 1
    _Guard.holding = True
    try:
        yield
    finally:
        _Guard.regions -= 1  # first: a signal from here on is noted (holding) or acted on (outside)
        _Guard.holding = was
        if outermost:
            for signum in HELD_SIGNALS:
                if _Guard.previous.get(signum) is not None:  # None: not set from Python; ours acts alike
                    signal.signal(signum, _Guard.previous.pop(signum))
        _act_on_noted()


@contextlib.contextmanager
def signals_allowed() -> Iterator[None]:
    """Inside a held block, a window where a signal acts at once (a batch of runs, the plots); a
    signal noted before it acts on entry. Outside any held block it changes nothing."""
    if not _main_thread() or not _Guard.regions:
        yield
        return
    was = _Guard.holding
    _Guard.holding = False
    try:
        _act_on_noted()
        yield
    finally:
        _Guard.holding = was


def pending_signal() -> int | None:
    """The first signal noted in the held blocks open now (and not acted on yet); taken away."""
    if not _Guard.noted:
        return None
    first = _Guard.noted[0]
    _Guard.noted = []
    return first


def _file_mode() -> int:
    """Permissions a plain open() would give a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


MANIFEST = ".sudzha-outputs.json"
"""The files the last command wrote in its output folder (relative paths)."""

OUTPUT_NAMES = frozenset(
    {
        "runs.csv",
        "timeseries.csv",
        "summary.json",
        "hexes.csv",
        "report.html",
        "scenario.resolved.yaml",
        "compare.csv",
        "sweep.csv",
        "sweep_summary.csv",
        "design.csv",
        "sensitivity.csv",
        "tornado.csv",
        "morris.csv",
        "sobol.csv",
        "posterior.csv",
        "posterior.json",
        "generations.csv",
        "calibrated.yaml",
        "calibration.json",
    }
)
"""What a folder written before the manifest existed may hold of ours (at the top or one folder down)."""
OUTPUT_FOLDERS = frozenset({"plots", "generations", "posterior_predictive"})


def _ours_without_manifest(path: Path) -> list[Path]:
    found = []
    for item in path.iterdir():
        if item.is_file() and item.name in OUTPUT_NAMES:
            found.append(item)
        elif item.is_dir() and item.name in OUTPUT_FOLDERS:
            found += [f for f in item.rglob("*") if f.is_file()]
        elif item.is_dir():  # a compared scenario's sub-folder
            found += [f for f in item.iterdir() if f.is_file() and f.name in OUTPUT_NAMES]
            plots = item / "plots"
            if plots.is_dir():
                found += [f for f in plots.rglob("*") if f.is_file()]
    return found


def clean_outputs(path: Path) -> None:
    """Remove the files a previous command wrote in `path` (and folders they leave empty)."""
    manifest = path / MANIFEST
    if manifest.exists():
        try:
            listed = [path / name for name in json.loads(manifest.read_text(encoding="utf-8"))]
        except (OSError, ValueError):
            listed = _ours_without_manifest(path)
    else:
        listed = _ours_without_manifest(path)
    folders = set()
    for file in listed:
        if file.is_file() and path.resolve() in file.resolve().parents:
            folders.add(file.parent)
            file.unlink()
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != path and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    manifest.unlink(missing_ok=True)


def existing_files(path: Path) -> set[str]:
    return {str(f.relative_to(path)) for f in path.rglob("*") if f.is_file()} if path.is_dir() else set()


def record_outputs(path: Path, before: set[str]) -> None:
    """List in `MANIFEST` the files written in `path` since `before` (what --force will replace)."""
    written = sorted(existing_files(path) - before - {MANIFEST})
    atomic_write_text(path / MANIFEST, json.dumps(written, indent=0) + "\n")


def _make_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise UserInputError(Problem("exists and is not a folder", file=str(path)))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(
            Problem(f"cannot create the output folder: {exc.strerror}", file=str(path))
        ) from None


def _refuse_if_used(path: Path, force: bool, ignore: tuple[str, ...] = ()) -> None:
    if not force and any(p.name not in ignore for p in path.iterdir()):
        raise UserInputError(
            Problem(
                "output folder exists and is not empty; choose another --out or add --force "
                "to overwrite the files in it",
                file=str(path),
            )
        )


def prepare_output_dir(path: Path, force: bool, *, clean: bool = True) -> Path:
    _make_folder(path)
    _refuse_if_used(path, force)
    if force and clean:
        clean_outputs(path)
    return path


LOCK = ".sudzha-lock"
"""Held (flock) by the command writing in a folder, with its process id inside."""


@contextlib.contextmanager
def claim_output_dir(path: Path, force: bool, *, clean: bool = True) -> Iterator[Path]:
    """The output folder, locked for this command alone while it writes (see `prepare_output_dir`).

    A second command into the same folder is refused, naming the holder, before it checks or
    cleans anything, so two runs can never mix their files.
    """
    path = Path(path)
    _make_folder(path)
    lock = path / LOCK
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise UserInputError(
                Problem(f"cannot write in the output folder: {exc.strerror}", file=str(path))
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise UserInputError(
                Problem(
                    f"another run (process {holder}) is writing in this folder; wait for it to finish "
                    "or choose another --out",
                    file=str(path),
                )
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed that lock file as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _refuse_if_used(path, force, ignore=(LOCK,))
        if force and clean:
            clean_outputs(path)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def write_failed(path: Path, exc: OSError) -> UserInputError:
    """A write error (a full disk, a read-only folder, a file name too long) as the user's to fix."""
    return UserInputError(Problem(f"cannot write: {exc.strerror or exc}", file=str(path)))


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_failed(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> Path:
    return atomic_write_text(
        path, json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def format_value(value: Any) -> str:
    """One spelling per value, so equal results give byte-identical CSV files (None: empty)."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return str(int(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    return str(value)


def _open_partial(path: Path):
    return open(path, "w", newline="", encoding="utf-8")  # closed by StreamingCsv


class StreamingCsv:
    """Rows appended as they come to a hidden partial file; renamed into place on close.

    A write error (a full disk) removes the partial file and is raised as the user's to fix
    (exit 2, the path and the cause): a half-written file never reaches its final name, and an
    older file of that name is left as it was.
    """

    def __init__(self, path: Path, columns: list[str]):
        self.path = Path(path)
        self.columns = list(columns)
        self._partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        self.failed = False
        self.rows = 0
        try:
            self._fh = _open_partial(self._partial)
            self._writer = csv.writer(self._fh, lineterminator="\n")
            self._writer.writerow(self.columns)
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError):
        self.failed = True
        with contextlib.suppress(Exception):
            self._fh.close()
        self._partial.unlink(missing_ok=True)
        raise write_failed(self.path, exc) from None

    def write(self, row: dict[str, Any]) -> None:
        try:
            self._writer.writerow([format_value(row[c]) for c in self.columns])
        except OSError as exc:
            self._fail(exc)
        self.rows += 1

    def abort(self) -> None:
        """Give up: the partial file goes, nothing reaches the final name."""
        self.failed = True
        with contextlib.suppress(Exception):
            self._fh.close()
        self._partial.unlink(missing_ok=True)

    def close(self) -> Path:
        if self.failed:
            return self.path
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(self._partial, self.path)
        except OSError as exc:
            self._fail(exc)
        return self.path


def csv_text(columns: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(v) for v in row])
    return buf.getvalue()


def describe(values: np.ndarray) -> dict[str, float]:
    """Mean, standard deviation and the quantiles a fan chart and a report need."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return {"mean": math.nan, "std": math.nan, **{k: math.nan for k in QUANTILES}}
    stats = {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if values.size > 1 else 0.0}
    for key, q in QUANTILES.items():
        stats[key] = float(np.percentile(values, q))
    return stats
