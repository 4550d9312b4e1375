"""What this machine offers a study: how many worker processes it can run at once.

Nothing heavy is imported here, so the command line can show its defaults (`--help`)
without loading the model.
"""

from __future__ import annotations

import os


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
