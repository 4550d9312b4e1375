"""The `sides:` section of a scenario: each side's doctrine, reconnaissance, aviation, drones and jammers.

`Sides` has one `SideSpec` per side (`sides.UA`, `sides.RU`); a `SideSpec`
holds the side's `Doctrine` (what its units do without orders), its `AirSpec`
(strike aviation) and its lists of drone teams and jammers (declared in
`sim.scenario.units`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.fields import Posture, Strict, param
from sim.scenario.units import DroneTeam, Jammer


class Doctrine(Strict):
    """What a side's units do when the scenario gives them no explicit order."""

    default_posture: Posture = Field("defend", description="posture of units that have none in the scenario")
    attack_tempo: float = param(
        0.5,
        unit="share of time",
        ge=0,
        le=1,
        description="share of its time an attacking unit in contact spends assaulting (the rest it "
        "probes, regroups and holds): scales the assault's progress and both sides' losses in it",
        source="assumption",
    )
    assault_commitment: float = param(
        1.0,
        unit="fraction",
        gt=0,
        le=1,
        description="share of an attacking unit's power committed to its assault in a turn "
        "(the rest holds and supports); the committed share also takes the attacker's losses",
        source="assumption: 1 = the whole unit; Russian practice in Kursk was many small "
        "company-size assaults (UA General Staff counted 40-100 a day in early January 2025) "
        "(docs/sources.md, Timeline and tempo)",
    )
    min_attack_ratio: float = param(
        1.0,
        unit="ratio",
        ge=0,
        le=20,
        description="an attacking unit assaults only where its estimate of the power ratio "
        "(from what its side has detected) is at least this",
        source="assumption",
    )
    reserve_commit_km: float = param(
        6.0,
        unit="km",
        ge=0,
        le=100,
        description="a unit in reserve is committed (takes the default posture) when an enemy "
        "unit comes this close",
        source="assumption",
    )
    retarget: bool = Field(
        True,
        description="after taking its objective an attacking unit picks the next enemy-held "
        "objective instead of stopping",
    )
    objective_range_km: float = param(
        10.0,
        unit="km",
        gt=0,
        le=200,
        description="when picking a new objective a unit scores each enemy-held one as "
        "value / (1 + route km / objective_range_km): small values favour nearby objectives",
        source="assumption",
    )


class AirSpec(Strict):
    """One side's strike aviation over the area (glide-bomb carriers)."""

    aircraft: int = param(
        0,
        unit="aircraft",
        ge=0,
        le=1_000,
        description="strike aircraft available to this sector at the start",
        source="per scenario; sortie and aircraft counts were not found in public sources "
        "(docs/sources.md, Air and glide bombs)",
    )
    sorties_per_aircraft: float = param(
        1.0,
        unit="sorties/aircraft/day",
        ge=0,
        le=6,
        description="sorties each available aircraft flies per day",
        source="assumption",
    )
    bombs_per_sortie: float = param(
        2.0,
        unit="bombs/sortie",
        ge=0,
        le=10,
        description="glide bombs released per sortie",
        source="assumption: an Su-34 usually carries two UMPK-kitted FAB-500s (up to four); no "
        "public URL found (docs/sources.md, Air and glide bombs)",
    )
    release_depth_min_km: float = param(
        10.0,
        unit="km",
        ge=0,
        le=200,
        description="nearest release point behind one's own front line",
        source="assumption: UMPK glide bombs fly 40-70 km; carriers release well behind the line "
        "(docs/sources.md, Air and glide bombs)",
    )
    release_depth_max_km: float = param(
        40.0,
        unit="km",
        ge=0,
        le=300,
        description="farthest release point behind one's own front line",
        source="assumption",
    )
    hit_probability: float = param(
        0.25,
        unit="probability",
        ge=0,
        le=1,
        description="chance that a bomb aimed at a detected unit lands on its position",
        source="assumption: UMPK accuracy is poor (tens of metres) and targeting lags",
    )
    casualties_per_hit: float = param(
        2.0,
        unit="people/hit",
        ge=0,
        le=200,
        description="casualties of a hit on a unit in the open, before terrain and posture",
        source="assumption, calibrated so air causes 5-15 % of Ukrainian casualties",
    )
    vehicles_per_hit: float = param(
        0.1,
        unit="vehicles/hit",
        ge=0,
        le=10,
        description="armoured vehicles destroyed per hit",
        source="assumption",
    )

    @model_validator(mode="after")
    def _depths(self) -> AirSpec:
        if self.release_depth_max_km < self.release_depth_min_km:
            raise ValueError("release_depth_max_km must not be below release_depth_min_km")
        return self


class SideSpec(Strict):
    """One side's sensors, aviation and doctrine."""

    recon_effort: float = param(
        1.0,
        unit="detections per exposure per day",
        ge=0,
        le=20,
        description="intensity of the side's reconnaissance over the contact zone",
        source="assumption: both sides watched the front closely with drones (UA intelligence, Jan "
        "2025: ~2,500 Mavic-type Russian drones in Kursk) (docs/sources.md, Drones and EW)",
    )
    garrison_per_km2: float = param(
        0.0,
        unit="people/km²",
        ge=0,
        le=500,
        description="troops not listed as units (outposts, drone, artillery and support crews) that "
        "hold the ground the side holds at the start: nobody walks into that ground, it is taken by "
        "assault against this garrison (0: only the listed units hold it)",
        source="per scenario: the side's reported total in the area less its listed units, over "
        "the ground it holds",
    )
    doctrine: Doctrine = Field(default_factory=Doctrine)
    air: AirSpec = Field(default_factory=AirSpec)
    drone_teams: list[DroneTeam] = Field(default_factory=list, description="the side's drone units")
    jammers: list[Jammer] = Field(default_factory=list, description="the side's EW jammers")
    ew_fratricide: bool = Field(
        False,
        description="whether the side's own jammers also degrade its own radio drones "
        "(less the deconfliction share, parameters.ew.deconfliction)",
    )


class Sides(Strict):
    UA: SideSpec = Field(default_factory=SideSpec)
    RU: SideSpec = Field(default_factory=lambda: SideSpec(doctrine=Doctrine(default_posture="attack")))
