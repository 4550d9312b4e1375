"""The command line: `python run_scenario.py [SCENARIO ...] [options]` (also `sudzha-sim`).

One command per question:

- one scenario: a Monte Carlo study (`sim.study`);
- two or more scenarios: a comparison on common random numbers (`sim.analysis.compare`);
- `--sweep PATH=...`: a grid or Latin hypercube of variants (`sim.analysis.sweep`);
- `--sensitivity [PATHS]`: a tornado, and Morris or Sobol with `--global` (`sim.analysis.sensitivity`);
- `--validate` checks the files (and every design point) and stops; `--schema` writes
  the JSON Schema of scenario files.

Every input is checked before the first run. Exit codes: 0 done; 2 bad input (one
line per problem: file:line: field: what was expected); 1 unexpected failure; 130
interrupted by Ctrl-C (finished runs are written first).

`main` turns every failure into its exit code; `parser` holds the options and the
modes, `commands` the commands, `printing` what they print when done.
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback

from sim.cli.commands import run
from sim.errors import UserInputError


def _stop_on_termination() -> dict:
    """SIGTERM (kill, timeout, CI cancelling) and SIGHUP (a closed terminal) stop a batch as Ctrl-C
    does: the finished runs are written and the summary says the study was interrupted."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[getattr(signal, name)] = signal.signal(getattr(signal, name), interrupt)
    return previous


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    # read before parsing, so that a failure anywhere can still show its traceback
    debug = (argv is not None and "--debug" in argv) or "--debug" in sys.argv
    previous = _stop_on_termination()
    try:
        return run(argv)
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
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
