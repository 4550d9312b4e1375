"""What this machine offers a study: how many worker processes it can run at once, and how many
replications each plays together.

Nothing heavy is imported here, so the command line can show its defaults (`--help`)
without loading the model.
"""

from __future__ import annotations

import os

LOCKSTEP = 32
"""Replications a process plays together by default (`sim.replications.lockstep`): enough to spread
NumPy's cost per call over many replications, few enough that a chunk's results stream out often."""


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
