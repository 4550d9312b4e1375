"""Everything a scenario places on the map: units, batteries, air defence, drone teams and jammers.

`Sited` is anything with an id and a starting place; `Placed` adds the side and
nation. The lists of a scenario file hold them: `forces:` (`Unit`, with its
`orders:`), `artillery:` (`Battery`), `air_defence:` (`AirDefenceUnit`), and each
side's `drone_teams:` (`DroneTeam`) and `jammers:` (`Jammer`) under `sides:`.
Settlement keys they name are checked against the map (`check_settlement`).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator, model_validator

from sim.scenario.fields import (
    AirDefenceKind,
    ArtilleryKind,
    DroneKind,
    Nation,
    Posture,
    Side,
    Strict,
    UnitKind,
    closest,
    param,
)
from sim.scenario.timing import Timeline, one_of


def check_settlement(value: str | None, info: ValidationInfo) -> str | None:
    """`value` if it is a settlement key of the map being validated against (or None), else an error."""
    known = (info.context or {}).get("settlements")
    if value is not None and known is not None and value not in known:
        hint = closest(value, known)
        raise ValueError(
            f"unknown settlement {value!r}"
            + (f"; did you mean {hint!r}?" if hint else "; see the map file for keys")
        )
    return value


# --------------------------------------------------------------------------- placement


class Sited(Strict):
    """Anything with a place on the map: an id, a name and a starting hex."""

    id: str = Field(
        pattern=r"^[a-z0-9_]+$",
        min_length=1,
        max_length=64,
        description="short unique key (lower case, digits, _), used in --set paths and outputs",
    )
    name: str = Field(min_length=1, description="display name")
    at: str | None = Field(None, description="starting settlement key (or give position)")
    position: tuple[float, float] | None = Field(None, description="starting [lat, lon] (or give at)")

    @field_validator("at")
    @classmethod
    def _known_start(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_settlement(value, info)

    @model_validator(mode="after")
    def _placed_once(self):
        if (self.at is None) == (self.position is None):
            raise ValueError("give exactly one of 'at' (a settlement) or 'position' ([lat, lon])")
        return self

    @field_validator("position")
    @classmethod
    def _inside_map(cls, value, info: ValidationInfo):
        bbox = (info.context or {}).get("bbox")
        if value is not None and bbox is not None and not bbox.contains(*value):
            raise ValueError(
                f"[{value[0]}, {value[1]}] is outside the map box "
                f"(lat {bbox.south}..{bbox.north}, lon {bbox.west}..{bbox.east})"
            )
        return value


class Placed(Sited):
    """A unit of one side: manoeuvre unit, battery or air defence."""

    side: Side
    nation: Nation | None = Field(
        None, description="UA, RU or DPRK (fights for RU, counted apart); defaults to the side"
    )

    @property
    def nation_or_side(self) -> str:
        return self.nation or self.side

    @model_validator(mode="after")
    def _nation_fits_side(self):
        if self.nation == "DPRK" and self.side != "RU":
            raise ValueError("DPRK units fight on the RU side")
        if self.nation in ("UA", "RU") and self.nation != self.side:
            raise ValueError(f"a {self.nation} unit must be on side {self.nation}")
        return self


# --------------------------------------------------------------------------- forces


class Order(Strict):
    """A change of posture or objective from a given moment on: give its `date`, `day` or `turn`."""

    date: dt.date | None = Field(None, description="calendar date it applies from (needs start_date)")
    day: float | None = Field(None, ge=1, le=10_000, description="day it applies from (1: the first day)")
    turn: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="turn it applies from (turns of turn_hours; prefer day or date)",
    )
    posture: Posture | None = None
    objective: str | None = Field(None, description="settlement key, or null to clear it")

    @model_validator(mode="after")
    def _timed_once(self) -> Order:
        one_of({"date": self.date, "day": self.day, "turn": self.turn}, "when the order applies", True)
        return self

    def hours(self, timeline: Timeline) -> float:
        """Hours from the start of the run at which the order applies."""
        return timeline.hours(turn=self.turn, day=self.day, date=self.date)

    @field_validator("objective")
    @classmethod
    def _known_objective(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_settlement(value, info)


class Unit(Placed):
    """A manoeuvre unit: a battalion, regiment or brigade group."""

    kind: UnitKind
    personnel: int = param(
        500,
        unit="people",
        ge=0,
        le=20_000,
        description="soldiers present",
        source="per unit in the scenario file",
    )
    vehicles: int = param(
        20,
        unit="armoured vehicles",
        ge=0,
        le=2_000,
        description="tanks, IFVs and APCs present",
        source="per unit in the scenario file",
    )
    quality: float = param(
        1.0,
        unit="multiplier",
        ge=0.2,
        le=2.0,
        description="combat effectiveness (Dupuy's CEV): training, leadership, equipment",
        source="Dupuy's relative combat effectiveness value, capped at 1.5 in the TNDM; "
        "per-unit values are assumptions (docs/sources.md, Attrition and combat)",
    )
    morale: float = param(
        0.8,
        unit="0-1",
        ge=0,
        le=1,
        description="will to fight; below the break threshold the unit withdraws",
        source="assumption",
    )
    supply: float = param(
        1.0,
        unit="0-1",
        ge=0,
        le=1,
        description="share of needed supply on hand",
        source="assumption; the logistics phase will move it",
    )
    exposure: float = param(
        1.0,
        unit="multiplier",
        ge=0.2,
        le=5,
        description="how exposed the unit's tactics leave it (e.g. infantry assaulting across open ground): "
        "multiplies every loss it takes, to ground combat, artillery, air and drones, once",
        source="assumption",
    )
    assault_commitment: float | None = param(
        None,
        unit="0-1",
        gt=0,
        le=1,
        description="share of its power the unit commits to an assault, e.g. a counter-attack reserve "
        "committed whole (none: its side's doctrine.assault_commitment)",
        source="assumption, per unit in the scenario file",
    )
    attack_tempo: float | None = param(
        None,
        unit="share of time",
        ge=0,
        le=1,
        description="share of its time the unit, attacking and in contact, spends assaulting, e.g. a "
        "push in waves (none: its side's doctrine.attack_tempo)",
        source="assumption, per unit in the scenario file",
    )
    posture: Posture | None = Field(None, description="starting posture; default from doctrine")
    objective: str | None = Field(None, description="settlement key the unit moves against")
    orders: list[Order] = Field(default_factory=list, description="changes of posture or objective, by date")
    arrive_date: dt.date | None = Field(
        None,
        description="date on which the unit enters the map at its starting place (none: there from the "
        "start); a unit arriving in enemy-held ground takes its hex unless an enemy unit is in it",
    )
    arrive_day: float | None = Field(
        None, ge=1, le=10_000, description="day on which the unit enters the map (1: the first day)"
    )
    arrive_turn: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="turn on which the unit enters the map (prefer a day or date)",
    )

    @model_validator(mode="after")
    def _arrives_once(self) -> Unit:
        one_of(
            {"arrive_date": self.arrive_date, "arrive_day": self.arrive_day, "arrive_turn": self.arrive_turn},
            "the unit's arrival",
            False,
        )
        return self

    def arrival_hours(self, timeline: Timeline) -> float:
        """Hours from the start of the run at which the unit enters the map (0: there at the start)."""
        return timeline.hours(turn=self.arrive_turn, day=self.arrive_day, date=self.arrive_date)

    @field_validator("objective")
    @classmethod
    def _known_objective(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_settlement(value, info)


class Battery(Placed):
    """An artillery battery (or MLRS or mortar battery): fires on detected targets in range."""

    kind: ArtilleryKind = Field("howitzer", description="type of battery")
    guns: int = param(
        6,
        unit="guns",
        ge=0,
        le=100,
        description="guns or launchers present",
        source="per battery in the scenario file",
    )
    crew: int = param(
        60,
        unit="people",
        ge=0,
        le=2_000,
        description="gunners and crews",
        source="assumption: about 10 per gun",
    )
    range_km: float = param(
        20.0,
        unit="km",
        gt=0,
        le=100,
        description="maximum range",
        source="typical 152/155 mm tube artillery reaches 17-30 km (e.g. D-20, 2S19, M777; public "
        "specifications) (docs/sources.md, Artillery)",
    )
    rounds_per_gun_per_day: float = param(
        40.0,
        unit="rounds/gun/day",
        ge=0,
        le=1_000,
        description="sustained rate of fire",
        source="assumption",
    )
    ammunition: int = param(
        1_500,
        unit="rounds",
        ge=0,
        le=1_000_000,
        description="rounds on hand at the start",
        source="assumption",
    )
    ammunition_capacity: int = param(
        3_000,
        unit="rounds",
        ge=0,
        le=1_000_000,
        description="most rounds the battery can hold",
        source="assumption",
    )
    resupply_per_day: float = param(
        200.0,
        unit="rounds/day",
        ge=0,
        le=100_000,
        description="rounds delivered per day at full supply (the logistics phase scales it)",
        source="assumption",
    )
    quality: float = param(
        1.0,
        unit="multiplier",
        ge=0.2,
        le=2.0,
        description="accuracy and fire control relative to the default lethality",
        source="assumption",
    )


class AirDefenceUnit(Placed):
    """A SAM battery, short-range air defence or MANPADS teams: engage sorties in coverage."""

    kind: AirDefenceKind = Field("manpads", description="type of air defence")
    launchers: int = param(
        4,
        unit="launchers",
        ge=0,
        le=100,
        description="launchers (or MANPADS teams) present",
        source="per unit in the scenario file",
    )
    crew: int = param(
        30,
        unit="people",
        ge=0,
        le=1_000,
        description="operators and crews",
        source="assumption",
    )
    range_km: float = param(
        5.0,
        unit="km",
        gt=0,
        le=400,
        description="engagement range",
        source="MANPADS about 5 km (Stinger, Igla); Buk-M1 about 32 km (public specifications) "
        "(docs/sources.md, Air and glide bombs)",
    )
    missiles: int = param(
        16,
        unit="missiles",
        ge=0,
        le=10_000,
        description="missiles on hand at the start",
        source="assumption",
    )
    missiles_capacity: int = param(
        16,
        unit="missiles",
        ge=0,
        le=10_000,
        description="most missiles the unit can hold",
        source="assumption",
    )
    resupply_per_day: float = param(
        2.0,
        unit="missiles/day",
        ge=0,
        le=1_000,
        description="missiles delivered per day at full supply (the logistics phase scales it)",
        source="assumption",
    )
    engagement_probability: float = param(
        0.3,
        unit="probability",
        ge=0,
        le=1,
        description="chance the unit engages a sortie flying within its coverage",
        source="assumption",
    )
    kill_probability: float = param(
        0.3,
        unit="probability",
        ge=0,
        le=1,
        description="chance that an engagement downs the aircraft (Pk per engagement)",
        source="assumption: public Pk figures of 0.2-0.7 per missile are manufacturers' claims",
    )
    missiles_per_engagement: int = param(
        2,
        unit="missiles",
        ge=1,
        le=8,
        description="missiles fired per engagement (a salvo)",
        source="assumption: doctrine of two missiles per target",
    )
    intercept_probability: float = param(
        0.02,
        unit="probability",
        ge=0,
        le=1,
        description="chance the unit intercepts one glide bomb aimed at a target within its range",
        source="assumption: glide bombs are small, fast targets that short-range defences rarely stop",
    )


# --------------------------------------------------------------------------- drones and jammers


class DroneTeam(Sited):
    """A drone unit: reconnaissance drones, or FPV strike drones on radio or fibre-optic control.

    Listed under its side (`sides.<UA|RU>.drone_teams`), so a what-if can change one
    side's drones and keep the other's.
    """

    kind: DroneKind = Field(
        description="recon: raises detection in range; fpv_radio: strike drones that jamming "
        "can stop; fpv_fibre: strike drones on a fibre-optic cable, immune to jamming"
    )
    operators: int = param(
        40,
        unit="people",
        ge=0,
        le=5_000,
        description="pilots, engineers and security",
        source="assumption",
    )
    drones: int = param(
        300,
        unit="drones",
        ge=0,
        le=1_000_000,
        description="drones on hand at the start",
        source="per team in the scenario file",
    )
    drones_capacity: int = param(
        600,
        unit="drones",
        ge=0,
        le=1_000_000,
        description="most drones the team can hold",
        source="assumption",
    )
    resupply_per_day: float = param(
        30.0,
        unit="drones/day",
        ge=0,
        le=100_000,
        description="drones delivered per day at full supply (the logistics phase scales it)",
        source="assumption",
    )
    sorties_per_day: float = param(
        30.0,
        unit="sorties/day",
        ge=0,
        le=10_000,
        description="sorties the team flies per day (FPV: one drone each; recon: flights)",
        source="assumption: a Ukrainian drone unit built and used about 20 a day (80th Bde, 2023, "
        "WaPo via TASS) (docs/sources.md, Drones and EW)",
    )
    range_km: float = param(
        10.0,
        unit="km",
        gt=0,
        le=100,
        description="how far from the team its drones reach",
        source="FPV radio about 5-15 km (assumption); fibre-optic spools carry 10-25 km of cable "
        "(Shafaq News, 2025-06-08; Syrskyi: up to 40 km) (docs/sources.md, Drones and EW)",
    )
    reach_probability: float = param(
        0.7,
        unit="probability",
        ge=0,
        le=1,
        description="chance a sortie reaches its target area without technical failure, snagged "
        "cable or operator error, before jamming (recon: chance a flight is not lost)",
        source="assumption: ~40 % of Ukrainian drone losses were put down to operator error "
        "(UK CGS Sanders, 2023) (docs/sources.md, Drones and EW)",
    )
    hit_probability: float = param(
        0.35,
        unit="probability",
        ge=0,
        le=1,
        description="chance a strike drone that reaches its target hits it",
        source="assumption: 'many drones fail to reach targets' (RUSI summary); the often quoted "
        "20-40 % success could not be sourced (docs/sources.md, Drones and EW)",
    )
    casualties_per_hit: float = param(
        0.8,
        unit="people/hit",
        ge=0,
        le=20,
        description="casualties of a hit on a unit in the open, before terrain and posture",
        source="assumption",
    )
    vehicles_per_hit: float = param(
        0.08,
        unit="vehicles/hit",
        ge=0,
        le=1,
        description="armoured vehicles knocked out per hit on a unit",
        source="assumption",
    )
    interdiction_share: float = param(
        0.0,
        unit="fraction",
        ge=0,
        le=1,
        description="share of strike sorties flown against traffic on the enemy's supply roads "
        "instead of against units",
        source="per team: Rubikon's FPV and fibre-optic drones hunted the Yunakivka-Sudzha road "
        "(Baltic Sentinel, Forbes, Jan-Mar 2025) (docs/sources.md, Drones and EW)",
    )
    search_km2_per_day: float = param(
        450.0,
        unit="km²/day",
        ge=0,
        le=100_000,
        description="ground a recon team's flights sweep in a day at exposure 1 (Koopman's search effort): "
        "spread over the area within its range, so each enemy unit there gets an effort of "
        "search / (pi x range²) and a longer range thins it",
        source="assumption: about one full look a day over a 12-km radius (effort 1 per target there)",
    )


class Jammer(Sited):
    """An electronic-warfare system that jams drone control links within its radius.

    Listed under its side (`sides.<UA|RU>.jammers`).
    """

    radius_km: float = param(
        5.0,
        unit="km",
        gt=0,
        le=50,
        description="radius of the jamming coverage",
        source="assumption: tactical anti-drone jammers reach a few kilometres "
        "(docs/sources.md, Drones and EW)",
    )
    strength: float = param(
        0.6,
        unit="probability",
        ge=0,
        le=1,
        description="chance that a radio-controlled drone flying at the jammer's position is "
        "jammed; it falls linearly to `edge_strength` x this at the radius",
        source="assumption: 'up to 31 %' of Ukrainian FPV sorties lost to jamming (unverified); "
        "Ukraine lost ~10,000 drones a month in 2023, mostly to EW (RUSI) (docs/sources.md, Drones and EW)",
    )
    emitting: bool = Field(True, description="an emitting jammer is easier to find and becomes a target")
    crew: int = param(
        10,
        unit="people",
        ge=0,
        le=500,
        description="operators",
        source="assumption",
    )
