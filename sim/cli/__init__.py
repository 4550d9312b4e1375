"""The command line: `sudzha-sim COMMAND [options]` (also `run_scenario.py`, `python -m sim`).

One command per question (`sim.cli.parser` holds their grammar and examples):

- `run [SCENARIO]`: a Monte Carlo study (`sim.study`); the default with no arguments;
- `compare A B ...`: scenarios on common random numbers (`sim.analysis.compare`);
- `sweep --sweep PATH=... | --design-file FILE [--points I:J]`: a grid, a Latin hypercube or
  a design file of variants, whole or one slice (`sim.analysis.sweep`); `merge` joins slices;
- `sensitivity [--param PATHS]`: a tornado, and Morris or Sobol with `--global`
  (`sim.analysis.sensitivity`); `calibrate`: ABC-SMC (`sim.analysis.calibrate`);
- `validate` checks the files and stops (`--validate` on any command checks its design points
  too); `schema` writes the JSON Schema of scenario files; `app` serves the classroom app.

The flag forms of 0.2 (a scenario file first, `--sweep`, `--sensitivity`, ...) still work and
say their new form on stderr.

Every input is checked before the first run. Exit codes: 0 done; 2 bad input (one
line per problem: file:line: field: what was expected); 1 unexpected failure; 3
incomplete (a worker process died; finished runs are written first); 130, 143, 129
interrupted by Ctrl-C, SIGTERM or SIGHUP (128 + the signal; finished runs are written first).

`main` turns every failure into its exit code; `parser` holds the options and the
modes, `commands` the commands, `printing` what they print when done.
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback

from sim.cli.commands import run
from sim.errors import UserInputError, printable


def _stop_on_termination() -> dict:
    """SIGTERM (kill, timeout, CI cancelling) and SIGHUP (a closed terminal) stop a batch as Ctrl-C
    does: the finished runs are written and the summary says the study was interrupted."""

    def interrupt(signum, frame):
        global _STOPPED_BY
        _STOPPED_BY = signum
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[getattr(signal, name)] = signal.signal(getattr(signal, name), interrupt)
    return previous


_STOPPED_BY: int | None = None
"""The signal that stopped the command (SIGTERM, SIGHUP); None for Ctrl-C."""


def interrupted_code() -> int:
    """The exit code of an interrupted command: 128 + the signal's number, as a shell reports a
    process the signal ended (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)."""
    return 128 + (_STOPPED_BY if _STOPPED_BY is not None else int(signal.SIGINT))


PIPE_CLOSED = 141
"""The exit code when the reader of the output went away (`... --validate | head`): 128 + SIGPIPE,
as a process that the closed pipe had stopped."""


def _reader_gone() -> int:
    """The output's reader closed the pipe: stop quietly (nothing more to say to anyone)."""
    import os

    try:  # what is still buffered goes nowhere, so that the exit raises no second error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return PIPE_CLOSED


def _environment_error(exc: OSError) -> str:
    """An OSError as the user's to fix: the path (or the standard output) and the cause."""
    cause = exc.strerror or str(exc)
    if exc.filename is not None:
        shown = printable(str(exc.filename))
        if len(shown) > 120:
            shown = shown[:60] + "..." + shown[-40:]
        return f"{shown}: {cause}"
    return f"cannot write the output (standard output or error): {cause}"


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    # read before parsing, so that a failure anywhere can still show its traceback
    debug = (argv is not None and "--debug" in argv) or "--debug" in sys.argv
    previous = _stop_on_termination()
    try:
        code = run(argv)
        sys.stdout.flush()  # a full or closed output fails here, not after main has returned
        return code
    except UserInputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return interrupted_code()
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:  # the machine's, not the model's: a full disk, a name too long, no permission
        if debug:
            traceback.print_exc()
        print(f"error: {_environment_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(f"unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("this is a bug; run again with --debug for the traceback and please report it", file=sys.stderr)
        return 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
