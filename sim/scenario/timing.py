"""When things happen: a moment written as a turn, a day or a date, and the turns it falls in.

A scenario may time an order, an arrival, a forced interdiction or a reported figure
by `date` (a calendar date, with the scenario's `start_date`), by `day` (day 1 is the
first day) or by `turn` (kept for old files; converted with the turn length). All
three become hours from the start of the run, and a moment takes effect at the
start of the turn in which it falls, so that changing `turn_hours` moves nothing
whose date is given. A run's length is `days` (or `turns` of `turn_hours`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

DAY_HOURS = 24.0

ALTERNATIVES: tuple[frozenset[str], ...] = (
    frozenset({"days", "turns"}),
    frozenset({"date", "day", "turn"}),
    frozenset({"arrive_date", "arrive_day", "arrive_turn"}),
    frozenset({"from_date", "from_day", "from_turn"}),
    frozenset({"to_date", "to_day", "to_turn"}),
)
"""Keys that say the same thing in different units: setting one (in a variant or with --set)
replaces whichever of the others the scenario gave."""


def replace_alternatives(mapping: dict, key: str) -> None:
    """Drop from `mapping` the keys that `key` (just set) replaces (`ALTERNATIVES`)."""
    for group in ALTERNATIVES:
        if key in group:
            for other in group - {key}:
                mapping.pop(other, None)


@dataclass(frozen=True)
class Timeline:
    """The clock of one scenario: its first date and its turn length."""

    turn_hours: float
    start_date: dt.date | None = None

    @property
    def days_per_turn(self) -> float:
        return self.turn_hours / DAY_HOURS

    def hours(
        self, *, turn: int | None = None, day: float | None = None, date: dt.date | None = None
    ) -> float:
        """Hours from the start of the run of a moment given one way or another (the start if none)."""
        if date is not None:
            if self.start_date is None:
                raise ValueError("a date needs the scenario's start_date")
            return (date - self.start_date).days * DAY_HOURS
        if day is not None:
            return (day - 1) * DAY_HOURS
        if turn is not None:
            return (turn - 1) * self.turn_hours
        return 0.0

    def turn_at(self, hours: float) -> int:
        """The turn (1, 2, ...) whose span [start, end) holds the moment `hours` after the start."""
        return 1 + max(0, math.floor(hours / self.turn_hours + 1e-9))

    def turns_for_days(self, days: float) -> int:
        """How many turns cover `days` (the last one may run past the end)."""
        return max(1, math.ceil(days * DAY_HOURS / self.turn_hours - 1e-9))

    def days_of_turn(self, turn: int) -> list[tuple[int, float]]:
        """The days (0 = the first) turn `turn` spans, each with the hours of the turn inside it."""
        start, end = (turn - 1) * self.turn_hours, turn * self.turn_hours
        out = []
        day = math.floor(start / DAY_HOURS + 1e-9)
        while day * DAY_HOURS < end - 1e-9:
            inside = min(end, (day + 1) * DAY_HOURS) - max(start, day * DAY_HOURS)
            if inside > 1e-9:
                out.append((day, inside))
            day += 1
        return out

    def date_of_turn_end(self, turn: int) -> dt.date | None:
        """The calendar date on which turn `turn` ends (its last hour's day)."""
        if self.start_date is None:
            return None
        return self.start_date + dt.timedelta(hours=turn * self.turn_hours - 1e-6)


def one_of(values: dict[str, object], what: str, required: bool) -> str | None:
    """The single name among `values` that is set, or an error naming the choice."""
    given = [name for name, value in values.items() if value is not None]
    if len(given) > 1:
        raise ValueError(f"give {what} once: one of {', '.join(values)}, not {' and '.join(given)}")
    if required and not given:
        raise ValueError(f"give {what}: one of {', '.join(values)}")
    return given[0] if given else None
