"""What the user ran: the command line a study was started with, so that its outputs can name it.

The command line sets it (`recorded`); a study's summary, report and resolved scenario read it
(`current`). From Python, nothing is set and the outputs name the overrides alone.
"""

from __future__ import annotations

import contextlib
import contextvars
import shlex
from collections.abc import Iterator, Sequence

_COMMAND: contextvars.ContextVar[str | None] = contextvars.ContextVar("command", default=None)


def current() -> str | None:
    """The command line being run, as the user could type it again, or None."""
    return _COMMAND.get()


@contextlib.contextmanager
def recorded(program: str, argv: Sequence[str]) -> Iterator[str]:
    command = f"{program} {shlex.join(argv)}".strip()
    token = _COMMAND.set(command)
    try:
        yield command
    finally:
        _COMMAND.reset(token)
