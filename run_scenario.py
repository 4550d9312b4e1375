#!/usr/bin/env python3
"""Run a Sudzha scenario many times and plot the spread of outcomes (see --help)."""

import sys


def _environment_problem():
    """Why this interpreter cannot run the model (too old, or without the packages), or None.

    Written for any Python 3, so that an old interpreter gets the message instead of a syntax error.
    """
    if sys.version_info < (3, 12):  # noqa: UP036 - the point is to tell older interpreters
        return "this is Python {}.{}; the model needs Python 3.12 or newer".format(*sys.version_info[:2])
    import importlib.util

    missing = [
        m
        for m in ("numpy", "scipy", "pandas", "pydantic", "yaml", "mesa", "matplotlib")
        if importlib.util.find_spec(m) is None
    ]
    if missing:
        return "this Python ({}) lacks the project's packages ({})".format(sys.executable, ", ".join(missing))
    return None


if __name__ == "__main__":
    problem = _environment_problem()
    if problem:
        args = " ".join(sys.argv[1:])
        sys.stderr.write(
            f"error: {problem}.\n"
            "Run it with the project's own environment instead (./run.sh sets it up the first time):\n"
            f"  ./run.sh {args}\n"
            f"  .venv/bin/python run_scenario.py {args}\n"
        )
        sys.exit(2)
    from sim.cli import main

    sys.exit(main())
