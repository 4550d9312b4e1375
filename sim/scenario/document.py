"""A whole scenario file (`Scenario`), and its top-level sections that have no module of their own.

`Scenario` lists every top-level field of a scenario file in the order the
schema gives them: name, map, time frame, objectives, then the sections
`sides:` (`sim.scenario.sides`), `forces:`, `artillery:` and `air_defence:`
(`sim.scenario.units`), `weather:`, `logistics:` and `reported:` (here) and
`parameters:` (`sim.scenario.parameters`). The map itself is `sim.scenario.mapfile`.
"""

from __future__ import annotations

import datetime as dt
import math

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.codes import SIDES
from sim.scenario.fields import LocatedError, Side, Strict, WeatherState, closest, param
from sim.scenario.mapfile import MapSpec
from sim.scenario.parameters import Parameters
from sim.scenario.sides import Sides
from sim.scenario.timing import Timeline, one_of
from sim.scenario.units import AirDefenceUnit, Battery, Sited, Unit, check_settlement

EARLIEST_START = dt.date(1000, 1, 1)
LATEST_DATE = dt.date(9900, 12, 31)
"""The calendar a scenario's dates may use: the plots' calendar (years 1 to 9999) with room to spare."""

# --------------------------------------------------------------------------- weather


class Weather(Strict):
    """The day's flying weather: drawn each day (whatever the turn length), or fixed by a sequence."""

    clear: float = param(
        0.6,
        unit="probability",
        ge=0,
        le=1,
        description="chance of a clear day",
        source="assumption: January in Kursk oblast is often overcast",
    )
    degraded: float = param(
        0.3,
        unit="probability",
        ge=0,
        le=1,
        description="chance of a degraded day (fewer sorties, poorer accuracy)",
        source="assumption",
    )
    grounded: float = param(
        0.1,
        unit="probability",
        ge=0,
        le=1,
        description="chance that nothing flies",
        source="assumption",
    )
    sequence: list[WeatherState] = Field(
        default_factory=list,
        description="weather of days 1, 2, ... in order; days beyond its end are drawn",
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> Weather:
        total = self.clear + self.degraded + self.grounded
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"clear + degraded + grounded must be 1, not {total:g}")
        return self


# --------------------------------------------------------------------------- logistics


class SupplySource(Sited):
    """A point supply enters the map: a depot or the road from the rear."""

    side: Side


class SupplyRoute(Strict):
    """A side's main supply route, followed along the roads from one settlement to another."""

    side: Side = "UA"
    start: str = Field(alias="from", description="settlement key where the route starts")
    end: str = Field(alias="to", description="settlement key where it ends")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("start", "end")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        return check_settlement(value, info)


class ForcedInterdiction(Strict):
    """Interdiction imposed by the scenario on the main supply route (a teaching lever).

    It applies from its `from_date` / `from_day` / `from_turn` (none: the start) to the
    end of its `to_date` / `to_day` / `to_turn` (none: the end of the run).
    """

    from_date: dt.date | None = Field(None, description="first date it applies (needs start_date)")
    from_day: float | None = Field(None, ge=1, le=10_000, description="first day it applies")
    from_turn: int | None = Field(None, ge=1, le=10_000, description="first turn it applies")
    to_date: dt.date | None = Field(None, description="last date it applies")
    to_day: float | None = Field(None, ge=1, le=10_000, description="last day it applies")
    to_turn: int | None = Field(None, ge=1, le=10_000, description="last turn it applies")
    level: float = param(
        0.8,
        unit="fraction",
        ge=0,
        le=1,
        description="share of throughput lost on every hex of the main supply route",
        source="per scenario",
    )

    @model_validator(mode="after")
    def _timed_once(self) -> ForcedInterdiction:
        one_of(
            {"from_date": self.from_date, "from_day": self.from_day, "from_turn": self.from_turn},
            "its start",
            False,
        )
        one_of({"to_date": self.to_date, "to_day": self.to_day, "to_turn": self.to_turn}, "its end", False)
        return self

    def span_hours(self, timeline: Timeline) -> tuple[float, float]:
        """[start, end) in hours from the start of the run (end: inf for 'to the end')."""
        start = timeline.hours(turn=self.from_turn, day=self.from_day, date=self.from_date)
        if self.to_turn is not None:
            return start, self.to_turn * timeline.turn_hours
        if self.to_day is not None or self.to_date is not None:
            return start, timeline.hours(day=self.to_day, date=self.to_date) + 24.0
        return start, float("inf")


class Logistics(Strict):
    """Supply sources, the main supply route, and any interdiction the scenario imposes."""

    sources: list[SupplySource] = Field(default_factory=list, description="where supply enters the map")
    main_supply_route: SupplyRoute | None = Field(None, description="the route whose cuts are counted")
    interdiction: list[ForcedInterdiction] = Field(
        default_factory=list, description="interdiction of the main supply route imposed by the scenario"
    )

    @model_validator(mode="after")
    def _route_needs_sources(self) -> Logistics:
        if self.interdiction and self.main_supply_route is None:
            raise ValueError("interdiction needs a main_supply_route to act on")
        return self


# --------------------------------------------------------------------------- history


class Reported(Strict):
    """A publicly reported figure or event the scenario is compared with (and calibrated to).

    Either a figure (`metric`, `value`, `low`, `high`: the model's median should land in
    the band) or a place (`place`, `holder`: who held the settlement then; the model
    should agree in most runs), at a `date`, `day` or `turn` (none: the end of the run).
    """

    metric: str | None = Field(None, description="outcome column it compares with, e.g. ua_area_km2")
    value: float | None = Field(None, description="the reported figure (central estimate)")
    low: float | None = Field(None, description="low end of the band the model's median should land in")
    high: float | None = Field(None, description="high end of that band")
    place: str | None = Field(None, description="settlement key of a place reported held by `holder`")
    holder: Side | None = Field(None, description="who was reported to hold `place` at that moment")
    date: dt.date | None = Field(None, description="date it refers to (needs start_date)")
    day: float | None = Field(None, ge=1, le=10_000, description="day it refers to (the end of that day)")
    turn: int | None = Field(None, ge=0, le=10_000, description="turn it refers to (0: the start)")
    source: str = Field(min_length=1, description="who reported it, where and when")
    expect_match: bool = Field(
        True,
        description="false for a known miss: the figure is shown for honesty but the model is not "
        "expected to land in its band (the report says so, the test skips it)",
    )
    holdout: bool = Field(
        False,
        description="true for an out-of-sample check: `calibrate` never uses it, and the report shows "
        "it apart, as a test of the calibrated model on what it was not fitted to",
    )

    @model_validator(mode="after")
    def _figure_or_place(self) -> Reported:
        one_of({"date": self.date, "day": self.day, "turn": self.turn}, "when it was reported", False)
        figure = (self.metric, self.value, self.low, self.high)
        place = (self.place, self.holder)
        if any(v is not None for v in place):
            if any(v is not None for v in figure) or None in place:
                raise ValueError("a reported place gives place and holder (and no metric, value, low, high)")
        elif None in figure:
            raise ValueError("a reported figure gives metric, value, low and high (or give place and holder)")
        elif not self.low <= self.high:
            raise ValueError("low must not exceed high")
        return self

    @property
    def is_place(self) -> bool:
        return self.place is not None

    def end_hours(self, timeline: Timeline, run_hours: float) -> float:
        """The moment it refers to, in hours from the start (the end of its day; the run's end if none)."""
        if self.turn is not None:
            return self.turn * timeline.turn_hours
        if self.day is not None or self.date is not None:
            return timeline.hours(day=self.day, date=self.date) + 24.0
        return run_hours

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("metrics")
        if value is not None and known is not None and value not in known:
            hint = closest(value, known)
            raise ValueError(f"unknown outcome {value!r}" + (f"; did you mean {hint!r}?" if hint else ""))
        return value

    @field_validator("place")
    @classmethod
    def _known_place(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_settlement(value, info)


# --------------------------------------------------------------------------- scenario


class Scenario(Strict):
    """A whole scenario file."""

    name: str = Field(min_length=1, description="short name shown in outputs")
    description: str = Field("", description="what the scenario represents, with sources")
    extends: str | None = Field(
        None,
        description="path of a base scenario (relative to this file) whose fields this "
        "file changes; maps are merged deeply, lists replaced whole",
    )
    map: str | MapSpec = Field(description="path of the map file (relative to this file), or the map itself")
    line_of_control: str | None = Field(
        description="key of the map's lines_of_control giving the area UA holds inside Russia at the "
        "start; null: none (each side holds its own country, as before August 2024)"
    )
    hex_km: float = param(
        1.5,
        unit="km",
        ge=0.5,
        le=5,
        description="distance between neighbouring hex centres (hex width across flats)",
        source="design choice: about a battalion's frontage, 1-2 km; see docs/model.md",
    )
    turn_hours: float = param(
        24.0,
        unit="hours",
        ge=1,
        le=168,
        description="length of one turn",
        source="design choice: a day, the rhythm of the daily reports the scenarios are compared "
        "with; see docs/model.md",
    )
    days: float | None = param(
        None,
        unit="days",
        ge=0.04,
        le=1000,
        description="how long the run lasts (30 if neither days nor turns is given); the same whatever "
        "turn_hours is",
        source="per scenario",
    )
    turns: int | None = param(
        None,
        unit="turns",
        ge=1,
        le=10_000,
        description="how long the run lasts, in turns of turn_hours (give days or turns, not both)",
        source="per scenario",
    )
    start_date: dt.date | None = Field(None, description="calendar date of the first day")
    objectives: dict[str, float] = Field(
        default_factory=dict,
        description="objective values (points) that replace the map's, by settlement key",
    )
    sides: Sides = Field(default_factory=Sides)
    forces: list[Unit] = Field(min_length=1)
    artillery: list[Battery] = Field(default_factory=list, description="artillery batteries")
    air_defence: list[AirDefenceUnit] = Field(default_factory=list, description="air-defence units")
    weather: Weather = Field(default_factory=Weather)
    logistics: Logistics = Field(default_factory=Logistics)
    reported: list[Reported] = Field(
        default_factory=list,
        description="publicly reported outcomes to compare with: drawn on the plots and in the report, "
        "and checked by the test suite for historical scenarios",
    )
    parameters: Parameters = Field(default_factory=Parameters)

    @field_validator("line_of_control")
    @classmethod
    def _known_line(cls, value: str | None, info: ValidationInfo) -> str | None:
        lines = (info.context or {}).get("lines_of_control")
        if value is not None and lines is not None and value not in lines:
            raise ValueError(f"the map has no line of control {value!r}; it has: {', '.join(sorted(lines))}")
        return value

    @field_validator("objectives")
    @classmethod
    def _known_objectives(cls, value: dict[str, float], info: ValidationInfo):
        for key, points in value.items():
            check_settlement(key, info)
            if not 0 <= points <= 100:
                raise ValueError(f"objective value of {key!r} must be within 0..100")
        return value

    @model_validator(mode="after")
    def _one_length(self) -> Scenario:
        one_of({"days": self.days, "turns": self.turns}, "the run's length", False)
        return self

    @property
    def timeline(self) -> Timeline:
        return Timeline(self.turn_hours, self.start_date)

    @property
    def duration_days(self) -> float:
        """How long the run lasts, in days."""
        if self.turns is not None:
            return self.turns * self.turn_hours / 24.0
        return 30.0 if self.days is None else self.days

    @property
    def turn_count(self) -> int:
        """How many turns the run plays."""
        return self.turns if self.turns is not None else self.timeline.turns_for_days(self.duration_days)

    def _dates(self) -> list[tuple[dt.date, tuple[str | int, ...]]]:
        """Every date the scenario gives, with where it is written."""
        dated = [(u.arrive_date, ("forces", i, "arrive_date")) for i, u in enumerate(self.forces)]
        dated += [
            (o.date, ("forces", i, "orders", k, "date"))
            for i, u in enumerate(self.forces)
            for k, o in enumerate(u.orders)
        ]
        dated += [(r.date, ("reported", i, "date")) for i, r in enumerate(self.reported)]
        dated += [
            (d, ("logistics", "interdiction", i, key))
            for i, item in enumerate(self.logistics.interdiction)
            for key, d in (("from_date", item.from_date), ("to_date", item.to_date))
        ]
        return [(d, where) for d, where in dated if d is not None]

    @model_validator(mode="after")
    def _dates_need_a_start(self) -> Scenario:
        dated = self._dates()
        if self.start_date is None and dated:
            raise LocatedError(
                "dates are given (orders, arrivals, interdiction or reported) but no start_date", dated[0][1]
            )
        if self.start_date is None:
            return self
        early = [(d, where) for d, where in dated if d < self.start_date]
        if early:
            first, where = min(early, key=lambda item: item[0])
            raise LocatedError(f"{first} is before the start_date {self.start_date}", where)
        if self.start_date < EARLIEST_START:
            raise LocatedError(f"start_date must be {EARLIEST_START} or later", ("start_date",))
        try:
            end = self.start_date + dt.timedelta(days=math.ceil(self.duration_days) + 1)
        except OverflowError:
            end = dt.date.max
        last = max([end, *(d for d, _ in dated)])
        if last > LATEST_DATE:
            raise LocatedError(
                f"the run and its dates must end by {LATEST_DATE} (they reach {last}); "
                "the plots' calendar ends there",
                ("start_date",),
            )
        return self

    @model_validator(mode="after")
    def _unique_units(self) -> Scenario:
        seen: set[str] = set()
        for unit_id, where in self._unit_ids():
            if unit_id in seen:
                raise LocatedError(f"unit ids must be unique; repeated: {unit_id}", where)
            seen.add(unit_id)
        for side in SIDES:
            if not any(u.side == side for u in self.forces):
                raise LocatedError(f"side {side} has no units", ("forces",))
        return self

    def _unit_ids(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """Every id on the map (units, batteries, air defence, drone teams, jammers, supply sources)
        with where it is written, in the order `placed` gives them."""
        out: list[tuple[str, tuple[str | int, ...]]] = []
        for section in ("forces", "artillery", "air_defence"):
            out += [(u.id, (section, i, "id")) for i, u in enumerate(getattr(self, section))]
        for side in SIDES:
            spec = getattr(self.sides, side)
            out += [(t.id, ("sides", side, "drone_teams", i, "id")) for i, t in enumerate(spec.drone_teams)]
            out += [(j.id, ("sides", side, "jammers", i, "id")) for i, j in enumerate(spec.jammers)]
        out += [(s.id, ("logistics", "sources", i, "id")) for i, s in enumerate(self.logistics.sources)]
        return out

    def placed(self) -> list[tuple[Sited, str]]:
        """Everything on the map with its side: units, batteries, air defence, drone teams, jammers."""
        out: list[tuple[Sited, str]] = [
            (u, u.side) for u in (*self.forces, *self.artillery, *self.air_defence)
        ]
        for side in SIDES:
            spec = getattr(self.sides, side)
            out += [(team, side) for team in spec.drone_teams]
            out += [(jammer, side) for jammer in spec.jammers]
        return out

    def unit(self, unit_id: str) -> Sited:
        for unit, _ in self.placed():
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)
