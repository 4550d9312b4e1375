"""User-facing errors: one `Problem` per thing the user must fix.

Every mistake a user can make (a missing file, bad YAML, a value out of range, a
mistyped `--set`) becomes a `UserInputError` holding one or more `Problem`s. The
command line prints one line per problem and exits with code 2; nothing else in
the package prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass


def printable(text: str) -> str:
    """`text` with every control character written as an escape (a file name with a newline stays on
    one line), everything else (accents, Cyrillic) as it is."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = printable(self.file) if self.line is None else f"{printable(self.file)}:{self.line}"
        parts = [p for p in (where, printable(self.field or "")) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class UserInputError(Exception):
    """Input that the user can fix; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
