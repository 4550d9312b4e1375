"""A whole scenario file (`Scenario`), and its top-level sections that have no module of their own.

`Scenario` lists every top-level field of a scenario file in the order the
schema gives them: name, map, time frame, objectives, then the sections
`sides:` (`sim.scenario.sides`), `forces:`, `artillery:` and `air_defence:`
(`sim.scenario.units`), `weather:`, `logistics:` and `reported:` (here) and
`parameters:` (`sim.scenario.parameters`). The map itself is `sim.scenario.mapfile`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.codes import SIDES
from sim.scenario.fields import Side, Strict, WeatherState, closest, param
from sim.scenario.mapfile import MapSpec
from sim.scenario.parameters import Parameters
from sim.scenario.sides import Sides
from sim.scenario.units import AirDefenceUnit, Battery, Sited, Unit, check_settlement

# --------------------------------------------------------------------------- weather


class Weather(Strict):
    """The day's flying weather: drawn each turn, or fixed by a sequence."""

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
        description="weather of turns 1, 2, ... in order; turns beyond its end are drawn",
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
    """Interdiction imposed by the scenario on the main supply route (a teaching lever)."""

    from_turn: int = Field(1, ge=1, le=10_000, description="first turn it applies")
    to_turn: int | None = Field(None, ge=1, le=10_000, description="last turn it applies (none: to the end)")
    level: float = param(
        0.8,
        unit="fraction",
        ge=0,
        le=1,
        description="share of throughput lost on every hex of the main supply route",
        source="per scenario",
    )


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
    """A publicly reported outcome the scenario is compared with (and calibrated to)."""

    metric: str = Field(description="outcome column it compares with, e.g. ua_area_km2")
    turn: int | None = Field(None, ge=0, le=10_000, description="turn it refers to (none: the last)")
    value: float = Field(description="the reported figure (central estimate)")
    low: float = Field(description="low end of the band the model's median should land in")
    high: float = Field(description="high end of that band")
    source: str = Field(min_length=1, description="who reported it, where and when")
    expect_match: bool = Field(
        True,
        description="false for a known miss: the figure is shown for honesty but the model is not "
        "expected to land in its band (the report says so, the test skips it)",
    )

    @model_validator(mode="after")
    def _band(self) -> Reported:
        if not self.low <= self.high:
            raise ValueError("low must not exceed high")
        return self

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("metrics")
        if known is not None and value not in known:
            hint = closest(value, known)
            raise ValueError(f"unknown outcome {value!r}" + (f"; did you mean {hint!r}?" if hint else ""))
        return value


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
    turns: int = param(
        30,
        unit="turns",
        ge=1,
        le=1000,
        description="number of turns to play",
        source="per scenario",
    )
    start_date: dt.date | None = Field(None, description="calendar date of turn 1")
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
    def _unique_units(self) -> Scenario:
        ids = [u.id for u, _ in self.placed()] + [source.id for source in self.logistics.sources]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"unit ids must be unique; repeated: {', '.join(dupes)}")
        for side in SIDES:
            if not any(u.side == side for u in self.forces):
                raise ValueError(f"side {side} has no units")
        return self

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
