"""The scenario schema: what a scenario YAML may say, with units, ranges and sources.

A scenario names its map, its time frame (turn length and number of turns), the
two sides' doctrine and sensors, the forces, and every model parameter. This
module owns the pydantic models; `sim.loading` reads files into them.

Every parameter is declared with `sim.params.param`, so it carries its unit,
default, valid range, meaning and source in the schema itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.mapfile import MapSpec
from sim.params import param

Side = Literal["UA", "RU"]
Nation = Literal["UA", "RU", "DPRK"]
UnitKind = Literal["mechanised", "armour", "infantry", "airborne", "marines", "territorial", "special_forces"]
Posture = Literal["attack", "defend", "hold", "reserve", "withdraw"]

SIDES: tuple[Side, ...] = ("UA", "RU")
NATIONS: tuple[Nation, ...] = ("UA", "RU", "DPRK")
UNIT_KINDS: tuple[str, ...] = UnitKind.__args__
POSTURES: tuple[str, ...] = Posture.__args__
TERRAINS: tuple[str, ...] = ("open", "forest", "urban", "marsh")

_ASSUMED = "assumption: a round teaching value, to be calibrated; see docs/model.md"


class Strict(BaseModel):
    """Base of every schema model: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# --------------------------------------------------------------------------- terrain


def _terrain_model(name: str, doc: str, unit: str, source: str, values, lo, hi):
    """A model with one field per terrain type (open, forest, urban, marsh)."""
    fields = {
        terrain: (
            float,
            param(value, unit=unit, ge=lo, le=hi, description=f"{doc}: {terrain}", source=source),
        )
        for terrain, value in zip(TERRAINS, values, strict=True)
    }
    from pydantic import create_model

    return create_model(name, __base__=Strict, __doc__=doc, **fields)


TerrainMoveCost = _terrain_model(
    "TerrainMoveCost",
    "Cost of entering a hex off-road, in hex widths travelled",
    "hex widths",
    "assumption: relative costs in the spirit of classic hex-wargame terrain charts "
    "(woods and towns twice open ground, marsh three times)",
    (1.0, 2.0, 1.5, 3.0),
    0.2,
    10.0,
)
TerrainDefence = _terrain_model(
    "TerrainDefence",
    "Defender's combat-power multiplier from terrain",
    "multiplier",
    "assumption: ordered as Dupuy's QJM/TNDM terrain factors (open < woods/marsh < urban); "
    "values rounded for teaching",
    (1.0, 1.3, 1.5, 1.3),
    0.5,
    3.0,
)
TerrainExposure = _terrain_model(
    "TerrainExposure",
    "How visible a unit is to enemy sensors in this terrain (1 = open field)",
    "multiplier",
    "assumption: cover and concealment lower detection; woods hide best",
    (1.0, 0.4, 0.6, 0.8),
    0.0,
    3.0,
)


def _posture_model(name: str, doc: str, unit: str, source: str, values, lo, hi):
    from pydantic import create_model

    fields = {
        posture: (
            float,
            param(value, unit=unit, ge=lo, le=hi, description=f"{doc}: {posture}", source=source),
        )
        for posture, value in zip(POSTURES, values, strict=True)
    }
    return create_model(name, __base__=Strict, __doc__=doc, **fields)


PostureDefence = _posture_model(
    "PostureDefence",
    "Combat-power multiplier of a unit defending its hex, by its posture",
    "multiplier",
    "Dupuy's QJM posture factors as usually quoted (hasty defence 1.3, prepared 1.5); "
    "withdrawing 0.7 is an assumption",
    (1.0, 1.3, 1.5, 1.0, 0.7),
    0.1,
    3.0,
)
PostureExposure = _posture_model(
    "PostureExposure",
    "How visible a unit is to enemy sensors, by posture (moving units are seen more)",
    "multiplier",
    "assumption: units on the move or attacking are seen more than dug-in ones",
    (1.5, 0.8, 0.8, 0.5, 1.2),
    0.0,
    3.0,
)


class KindSpeed(Strict):
    """Road-march-equivalent speed of each kind of unit under combat conditions."""

    mechanised: float = param(
        16.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="cross-country advance of a mechanised battalion group in a contested area",
    )
    armour: float = param(
        16.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of a tank battalion group",
    )
    infantry: float = param(
        8.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of dismounted infantry",
    )
    airborne: float = param(
        12.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of air-assault / airborne units (light vehicles)",
    )
    marines: float = param(
        12.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of naval-infantry units",
    )
    territorial: float = param(
        6.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of territorial-defence units (few vehicles)",
    )
    special_forces: float = param(
        10.0,
        unit="km/day",
        ge=1,
        le=100,
        source=_ASSUMED,
        description="advance of special-forces detachments",
    )


# --------------------------------------------------------------------------- parameters


class MovementParams(Strict):
    """How units move across the hex map (phase 5, manoeuvre)."""

    terrain_cost: TerrainMoveCost = Field(default_factory=TerrainMoveCost)
    road_cost: float = param(
        0.5,
        unit="hex widths",
        gt=0,
        le=5,
        description="cost of a step along a road, whatever the terrain",
        source="assumption: roads halve movement cost, as in most hex wargames",
    )
    river_crossing_cost: float = param(
        2.0,
        unit="hex widths",
        ge=0,
        le=20,
        description="extra cost of entering a river hex where no road (bridge) leads",
        source="assumption",
    )
    control_radius: int = param(
        0,
        unit="hexes",
        ge=0,
        le=3,
        description="at the end of a turn a manoeuvre unit takes the enemy-held hexes this close to it "
        "that no enemy unit's zone of control covers: 0 for positional fighting, where ground changes "
        "hands only by assault or occupation; 1-2 for fluid, mobile warfare",
        source="assumption: a setting for the character of the fighting, not a measured rate",
    )
    occupation_cost_factor: float = param(
        2.0,
        unit="multiplier",
        ge=1,
        le=20,
        description="an attacking unit entering undefended enemy ground pays this many times the "
        "step's cost (clearing and securing it) and may carry on",
        source="assumption",
    )
    contact_speed_factor: float = param(
        0.5,
        unit="fraction",
        gt=0,
        le=1,
        description="share of its speed a unit keeps when it starts the turn next to the enemy",
        source="assumption",
    )
    stacking_limit: int = param(
        3,
        unit="units per hex",
        ge=1,
        le=20,
        description="most friendly units one hex may hold",
        source="assumption: about a brigade's worth of battalion groups per 2 km²",
    )
    speed: KindSpeed = Field(default_factory=KindSpeed)


class DetectionParams(Strict):
    """Reconnaissance (phase 1): chance that a side sees each enemy unit this turn.

    p = 1 - exp(-effort x terrain exposure x posture exposure x unit exposure) for
    units within `range_km` of any enemy unit; 0 beyond.
    """

    range_km: float = param(
        10.0,
        unit="km",
        gt=0,
        le=100,
        description="how far behind the contact line a side's sensors (patrols, recon drones) look",
        source="assumption: Mavic-class recon drones fly about 5-15 km; refined by the drone issue",
    )
    terrain_exposure: TerrainExposure = Field(default_factory=TerrainExposure)
    posture_exposure: PostureExposure = Field(default_factory=PostureExposure)


class CombatParams(Strict):
    """Ground combat (phase 6), after Dupuy's QJM/TNDM attrition rates.

    Daily loss fraction of the attacker = intensity x attacker_loss_rate x R^-k,
    of the defender = intensity x defender_loss_rate x R^k, with R the ratio of
    combat powers, k = ratio_exponent, each capped by the QJM maxima and multiplied
    by log-normal noise. The attacker takes the hex with probability
    R^g / (R^g + T^g), T = breakthrough_ratio, g = breakthrough_steepness.
    """

    attacker_loss_rate: float = param(
        0.028,
        unit="fraction/day",
        ge=0,
        le=0.5,
        description="attacker's daily personnel loss fraction at a 1:1 power ratio",
        source="Dupuy QJM standard rate, attacker 2.8 %/day (C. Lawrence, International TNDM "
        "Newsletter, Dec 1996)",
    )
    defender_loss_rate: float = param(
        0.015,
        unit="fraction/day",
        ge=0,
        le=0.5,
        description="defender's daily personnel loss fraction at a 1:1 power ratio",
        source="Dupuy QJM standard rate, defender 1.5 %/day (Lawrence 1996)",
    )
    attacker_max_loss_rate: float = param(
        0.1344,
        unit="fraction/day",
        ge=0,
        le=1,
        description="cap on the attacker's daily loss fraction",
        source="Dupuy QJM maximum, attacker 13.44 %/day (Lawrence 1996)",
    )
    defender_max_loss_rate: float = param(
        0.0576,
        unit="fraction/day",
        ge=0,
        le=1,
        description="cap on the defender's daily loss fraction",
        source="Dupuy QJM maximum, defender 5.76 %/day (Lawrence 1996)",
    )
    intensity: float = param(
        1.0,
        unit="multiplier",
        ge=0,
        le=10,
        description="scales both sides' loss rates (battalion-size fights are bloodier than "
        "the division-size QJM norms); calibrated per scenario",
        source="calibration parameter: set so that daily losses land near the reported "
        "~250 Russian casualties per day in Kursk (UA claim, shared/facts)",
    )
    ratio_exponent: float = param(
        0.5,
        unit="exponent",
        ge=0,
        le=3,
        description="how strongly the power ratio shifts losses between the sides",
        source="assumption: square-root dependence, between Lanchester's linear (1) and "
        "square-law behaviour and a ratio-blind rate (0)",
    )
    breakthrough_ratio: float = param(
        3.0,
        unit="ratio",
        gt=0,
        le=20,
        description="power ratio at which an assault takes the hex half of the time",
        source="the 3:1 rule (Mearsheimer, International Security 13(4), 1989); contested by "
        "Epstein and Dupuy",
    )
    breakthrough_steepness: float = param(
        2.0,
        unit="exponent",
        gt=0,
        le=10,
        description="how sharply the chance of taking the hex rises with the power ratio",
        source="assumption",
    )
    loss_noise: float = param(
        0.35,
        unit="log-sd",
        ge=0,
        le=2,
        description="spread of each engagement's loss rates (sd of the log of a multiplier)",
        source="assumption: daily losses vary by a factor of about 1.4 either way",
    )
    vehicle_weight: float = param(
        10.0,
        unit="personnel-equivalents",
        ge=0,
        le=200,
        description="combat power of one armoured vehicle, in soldiers",
        source="assumption",
    )
    vehicle_loss_factor: float = param(
        1.0,
        unit="ratio",
        ge=0,
        le=5,
        description="a unit's vehicle loss fraction relative to its personnel loss fraction",
        source="assumption",
    )
    terrain_defence: TerrainDefence = Field(default_factory=TerrainDefence)
    posture_defence: PostureDefence = Field(default_factory=PostureDefence)
    zoc_radius: int = param(
        2,
        unit="hexes",
        ge=0,
        le=4,
        description="a unit's zone of control: the enemy cannot walk into a hex this close "
        "to it, but must assault it (a battalion holds a sector, not a point)",
        source="assumption: a defending battalion covers a sector of about 3-4 km, about two "
        "1.5 km hexes either side",
    )
    zoc_min_personnel: int = param(
        0,
        unit="people",
        ge=0,
        le=10_000,
        description="a unit smaller than this exerts no zone of control (it holds only its own hex): "
        "outposts and depleted companies can be bypassed",
        source="assumption",
    )
    zoc_share: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="share of a unit's power that defends a hex one step from its own; "
        "zoc_share^k at k steps, up to zoc_radius",
        source="assumption",
    )
    river_attack_factor: float = param(
        0.7,
        unit="multiplier",
        ge=0.1,
        le=1,
        description="attacker's power when assaulting into a river hex off the roads",
        source="assumption: river crossings are a TNDM penalty factor; value assumed",
    )
    blind_attack_factor: float = param(
        0.8,
        unit="multiplier",
        ge=0.1,
        le=1,
        description="attacker's power against defenders it has not detected",
        source="assumption",
    )
    surprise_factor: float = param(
        1.2,
        unit="multiplier",
        ge=1,
        le=3,
        description="attacker's power when the defender has not detected the attacker",
        source="assumption: surprise is a TNDM factor; value assumed",
    )
    encircled_loss_fraction: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="share of a broken unit's personnel lost (captured or killed) when it "
        "must retreat and no friendly hex is next to it",
        source="assumption",
    )
    ineffective_fraction: float = param(
        0.2,
        unit="fraction",
        ge=0,
        le=1,
        description="a unit whose personnel falls below this share of its starting strength "
        "is combat-ineffective and leaves the map",
        source="assumption: battalions worn below about a fifth are pulled out to reconstitute",
    )
    morale_weight: float = param(
        0.6,
        unit="fraction",
        ge=0,
        le=1,
        description="how much of a unit's power depends on its morale: power x (1 - w + w x morale)",
        source="assumption",
    )
    supply_weight: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="how much of a unit's power depends on its supply: power x (1 - w + w x supply)",
        source="assumption",
    )


class MoraleParams(Strict):
    """Morale (phase 7): losses and defeats lower it, rest restores it."""

    loss_sensitivity: float = param(
        3.0,
        unit="morale per loss fraction",
        ge=0,
        le=20,
        description="morale lost per unit of personnel loss fraction in a turn (losing 10 % costs 0.3)",
        source="assumption",
    )
    defeat_penalty: float = param(
        0.1,
        unit="morale",
        ge=0,
        le=1,
        description="morale lost by a unit pushed out of its hex",
        source="assumption",
    )
    recovery_per_day: float = param(
        0.03,
        unit="morale/day",
        ge=0,
        le=1,
        description="morale regained by a unit not in combat",
        source="assumption",
    )
    reserve_recovery_per_day: float = param(
        0.08,
        unit="morale/day",
        ge=0,
        le=1,
        description="morale regained by a unit in reserve",
        source="assumption",
    )
    break_threshold: float = param(
        0.3,
        unit="morale",
        ge=0,
        le=1,
        description="below this a unit is broken: it withdraws and cannot attack",
        source="assumption",
    )
    rally_threshold: float = param(
        0.55,
        unit="morale",
        ge=0,
        le=1,
        description="a broken unit returns to duty once its morale is back above this",
        source="assumption",
    )

    @model_validator(mode="after")
    def _ordered(self) -> MoraleParams:
        if self.rally_threshold < self.break_threshold:
            raise ValueError("rally_threshold must not be below break_threshold")
        return self


GlideBombTerrainEffect = _terrain_model(
    "GlideBombTerrainEffect",
    "Glide-bomb casualties per hit, relative to a unit in open ground",
    "multiplier",
    "assumption: heavy bombs bring buildings down on their occupants (shared/facts: Sudzha "
    "'almost completely destroyed' by strikes), woods disperse the blast",
    (1.0, 0.7, 1.5, 1.0),
    0.0,
    5.0,
)
FiresTerrainProtection = _terrain_model(
    "FiresTerrainProtection",
    "Artillery casualties per round, relative to a unit in open ground",
    "multiplier",
    "assumption: cellars, buildings and woods shelter troops from shell fragments",
    (1.0, 0.7, 0.6, 0.9),
    0.0,
    5.0,
)
StrikePostureEffect = _posture_model(
    "StrikePostureEffect",
    "Casualties per hit from air and artillery by the target's posture (dug-in units suffer "
    "least, units moving or massed on roads most)",
    "multiplier",
    "assumption",
    (1.3, 0.6, 0.6, 0.8, 1.3),
    0.0,
    5.0,
)


class WeatherParams(Strict):
    """How the day's weather changes what flies (the weather itself is a scenario field)."""

    degraded_sortie_factor: float = param(
        0.6,
        unit="multiplier",
        ge=0,
        le=1,
        description="share of planned sorties flown in degraded weather (low cloud, icing)",
        source="assumption",
    )
    degraded_accuracy_factor: float = param(
        0.7,
        unit="multiplier",
        ge=0,
        le=1,
        description="glide-bomb hit chance in degraded weather, relative to clear",
        source="assumption",
    )


class AirParams(Strict):
    """Air phase (2): air superiority and the effect of glide bombs.

    The air-superiority index of side S in a turn is AS = share x survival x freedom:
    share of all sorties flown that were S's, share of S's sorties not shot down, and
    the chance a sortie of S meets no enemy air defence. S holds air superiority when
    AS >= superiority_threshold. Next turn, S's sortie generation is multiplied by
    1 + sortie_weight x (AS - 0.5) and its accuracy by 1 + accuracy_weight x (AS - 0.5).
    """

    superiority_threshold: float = param(
        0.5,
        unit="index 0-1",
        ge=0,
        le=1,
        description="a side holds air superiority in a turn when its index is at least this",
        source="definition (see docs/model.md)",
    )
    sortie_weight: float = param(
        0.5,
        unit="per index point",
        ge=0,
        le=2,
        description="how strongly last turn's air-superiority index raises or lowers sortie generation",
        source="assumption",
    )
    accuracy_weight: float = param(
        0.4,
        unit="per index point",
        ge=0,
        le=2,
        description="how strongly last turn's air-superiority index raises or lowers bomb accuracy",
        source="assumption",
    )
    terrain_effect: GlideBombTerrainEffect = Field(default_factory=GlideBombTerrainEffect)
    posture_effect: StrikePostureEffect = Field(default_factory=StrikePostureEffect)
    road_effect: float = param(
        1.3,
        unit="multiplier",
        ge=0,
        le=5,
        description="extra effect against a unit on a road hex (columns, supply traffic)",
        source="assumption: 'strongest against units massed on roads' (issue brief)",
    )


class ArtilleryParams(Strict):
    """Fires phase (4), artillery: lethality of rounds and counter-battery priority."""

    casualties_per_round: float = param(
        0.015,
        unit="people/round",
        ge=0,
        le=5,
        description="casualties per round fired at a detected unit in the open",
        source="assumption, calibrated so artillery causes about a fifth of casualties "
        "(Russian military-medical survey: ~20 % of wounds from artillery, shared/facts §2.5)",
    )
    vehicles_per_round: float = param(
        0.0005,
        unit="vehicles/round",
        ge=0,
        le=1,
        description="armoured vehicles knocked out per round fired at a unit",
        source="assumption",
    )
    counter_battery_priority: float = param(
        5.0,
        unit="multiplier",
        ge=0,
        le=100,
        description="how much more a detected enemy battery that fired is worth as a target",
        source="assumption: batteries hunt each other with drones and counter-battery radar",
    )
    fired_exposure: float = param(
        3.0,
        unit="multiplier",
        ge=1,
        le=50,
        description="how much easier a battery that fired last turn is to detect",
        source="assumption: muzzle flash, sound and radar tracks give firing batteries away",
    )
    terrain_protection: FiresTerrainProtection = Field(default_factory=FiresTerrainProtection)
    posture_protection: StrikePostureEffect = Field(default_factory=StrikePostureEffect)


DroneTerrainEffect = _terrain_model(
    "DroneTerrainEffect",
    "Drone-strike casualties per hit, relative to a unit in open ground",
    "multiplier",
    "assumption: woods and buildings hide and shelter troops from FPV drones",
    (1.0, 0.5, 0.7, 0.9),
    0.0,
    5.0,
)


class DroneParams(Strict):
    """Drones (phases 1 and 4): weather, terrain and posture effects, road interdiction."""

    degraded_sortie_factor: float = param(
        0.7,
        unit="multiplier",
        ge=0,
        le=1,
        description="share of drone sorties flown in degraded weather",
        source="assumption",
    )
    grounded_sortie_factor: float = param(
        0.3,
        unit="multiplier",
        ge=0,
        le=1,
        description="share of drone sorties flown on days that ground aircraft (drones fly under "
        "low cloud but not in storms)",
        source="assumption: ISW reported bad weather grounding Russian drones early in Feb 2025",
    )
    terrain_effect: DroneTerrainEffect = Field(default_factory=DroneTerrainEffect)
    posture_effect: StrikePostureEffect = Field(default_factory=StrikePostureEffect)
    interdiction_per_hit: float = param(
        0.15,
        unit="fraction/hit",
        ge=0,
        le=1,
        description="share of a road hex's supply throughput lost for each hit on its traffic",
        source="assumption, calibrated to the 'road of death' reports of Feb-Mar 2025",
    )
    interdiction_persistence: float = param(
        0.5,
        unit="fraction/day",
        ge=0,
        le=1,
        description="share of a road hex's interdiction that lasts into the next day (wrecks "
        "cleared, traffic rerouted or moved at night)",
        source="assumption",
    )
    supply_vehicles_per_hit: float = param(
        0.5,
        unit="vehicles/hit",
        ge=0,
        le=5,
        description="supply vehicles destroyed per hit on road traffic",
        source="assumption: 'dozens' of vehicles destroyed on 25 Feb 2025, 'hundreds' over the "
        "period (Forbes/CDS; shared/facts)",
    )


class EWParams(Strict):
    """Electronic warfare (phase 3): how coverage is computed and who it hurts."""

    edge_strength: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="a jammer's strength at the edge of its radius relative to its centre "
        "(linear in between, zero beyond)",
        source="assumption",
    )
    deconfliction: float = param(
        0.7,
        unit="fraction",
        ge=0,
        le=1,
        description="with fratricide on, share of a side's own jamming that it coordinates away "
        "from its own drones",
        source="assumption",
    )
    target_priority: float = param(
        5.0,
        unit="multiplier",
        ge=1,
        le=100,
        description="how much more an emitting enemy jammer is worth as a target for drones and artillery",
        source="assumption: jammers are hunted because they protect everything around them",
    )
    emitting_exposure: float = param(
        3.0,
        unit="multiplier",
        ge=1,
        le=50,
        description="how much easier an emitting jammer is to detect",
        source="assumption: direction finding locates emitters",
    )
    recon_jam_loss: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="share of jammed reconnaissance flights whose drone is lost (the rest return "
        "home on failsafe)",
        source="practitioners' description of failsafes (shared/facts: 'lost or returned')",
    )


class LogisticsParams(Strict):
    """Logistics (phase 7): supply traced from sources over friendly ground, cut by interdiction.

    Supply reaching a hex = exp(-cost / reach_km), where the cost of a route adds the
    off-road km it crosses, road km times the road's factor, and -ln(1 - interdiction) x
    reach_km for each interdicted hex entered, so throughput multiplies by
    (1 - interdiction) along the way. Enemy-held hexes are impassable; a unit with no
    route at all is cut off.
    """

    reach_km: float = param(
        30.0,
        unit="km",
        gt=0,
        le=1_000,
        description="off-road distance over which supply falls to 1/e of what leaves the source",
        source="assumption: trucks need roads; mud in March 2025 blocked alternatives (Reuters, RFE/RL)",
    )
    main_road_factor: float = param(
        0.1,
        unit="multiplier",
        ge=0,
        le=1,
        description="a km of main road costs supply this many off-road km",
        source="assumption",
    )
    secondary_road_factor: float = param(
        0.3,
        unit="multiplier",
        ge=0,
        le=1,
        description="a km of secondary road costs supply this many off-road km (narrower, less traffic)",
        source="assumption",
    )
    supply_rate: float = param(
        0.3,
        unit="fraction/day",
        ge=0,
        le=1,
        description="how fast a unit's supply moves towards what reaches its hex (stocks buffer)",
        source="assumption",
    )
    cut_off_rate: float = param(
        0.5,
        unit="fraction/day",
        ge=0,
        le=1,
        description="how fast a cut-off unit's supply runs down",
        source="assumption: encircled units 'decline fast' (issue brief); wounded evacuated on foot",
    )
    unsupplied_morale_loss: float = param(
        0.05,
        unit="morale/day",
        ge=0,
        le=1,
        description="morale lost per day by a unit with no supply (scaled by the shortfall)",
        source="assumption",
    )
    route_cut_threshold: float = param(
        0.5,
        unit="fraction",
        ge=0,
        le=1,
        description="the main supply route counts as cut in a turn when its throughput is below this",
        source="definition",
    )


class TerrainParams(Strict):
    """How the map's features become hex terrain."""

    urban_min_population: int = param(
        2000,
        unit="people",
        ge=0,
        le=10_000_000,
        description="a settlement at least this populous makes its hex urban terrain; "
        "smaller villages stay open ground",
        source="assumption: villages of a few hundred people give little cover at the scale of a 2 km² hex",
    )


class Parameters(Strict):
    """All the model's rates, grouped by the phase of the turn that uses them."""

    terrain: TerrainParams = Field(default_factory=TerrainParams)
    movement: MovementParams = Field(default_factory=MovementParams)
    detection: DetectionParams = Field(default_factory=DetectionParams)
    combat: CombatParams = Field(default_factory=CombatParams)
    morale: MoraleParams = Field(default_factory=MoraleParams)
    weather: WeatherParams = Field(default_factory=WeatherParams)
    air: AirParams = Field(default_factory=AirParams)
    artillery: ArtilleryParams = Field(default_factory=ArtilleryParams)
    drones: DroneParams = Field(default_factory=DroneParams)
    ew: EWParams = Field(default_factory=EWParams)
    logistics: LogisticsParams = Field(default_factory=LogisticsParams)


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
        return _check_settlement(value, info)

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


# --------------------------------------------------------------------------- sides


class Doctrine(Strict):
    """What a side's units do when the scenario gives them no explicit order."""

    default_posture: Posture = Field("defend", description="posture of units that have none in the scenario")
    attack_tempo: float = param(
        0.5,
        unit="probability/turn",
        ge=0,
        le=1,
        description="chance that an attacking unit in contact launches an assault this turn "
        "(otherwise it probes, regroups and holds its ground)",
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
        "company-size assaults (UA General Staff counted 40-100 a day in early January 2025)",
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


class DroneTeam(Sited):
    """A drone unit: reconnaissance drones, or FPV strike drones on radio or fibre-optic control.

    Listed under its side (`sides.<UA|RU>.drone_teams`), so a what-if can change one
    side's drones and keep the other's.
    """

    kind: Literal["recon", "fpv_radio", "fpv_fibre"] = Field(
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
        "WaPo via TASS; shared/facts)",
    )
    range_km: float = param(
        10.0,
        unit="km",
        gt=0,
        le=100,
        description="how far from the team its drones reach",
        source="FPV radio about 5-15 km; fibre-optic spools carry 10-25 km of cable (shafaq.com "
        "2025-06; Syrskyi: up to 40 km) (shared/facts §2.5)",
    )
    reach_probability: float = param(
        0.7,
        unit="probability",
        ge=0,
        le=1,
        description="chance a sortie reaches its target area without technical failure, snagged "
        "cable or operator error, before jamming (recon: chance a flight is not lost)",
        source="assumption: ~40 % of Ukrainian drone losses were put down to operator error "
        "(UK CGS Sanders, 2023; shared/facts)",
    )
    hit_probability: float = param(
        0.35,
        unit="probability",
        ge=0,
        le=1,
        description="chance a strike drone that reaches its target hits it",
        source="assumption: 'many drones fail to reach targets' (RUSI summary); the often quoted "
        "20-40 % success could not be sourced (shared/facts)",
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
        "(Baltic Sentinel, Forbes, Jan-Mar 2025)",
    )
    recon_effort: float = param(
        1.0,
        unit="detections per exposure per day",
        ge=0,
        le=20,
        description="reconnaissance effort a recon team adds over enemy units within its range",
        source="assumption",
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
        source="assumption: tactical anti-drone jammers reach a few kilometres",
    )
    strength: float = param(
        0.6,
        unit="probability",
        ge=0,
        le=1,
        description="chance that a radio-controlled drone flying at the jammer's position is "
        "jammed; it falls linearly to `edge_strength` x this at the radius",
        source="assumption: 'up to 31 %' of Ukrainian FPV sorties lost to jamming (unverified); "
        "Ukraine lost ~10,000 drones a month in 2023, mostly to EW (RUSI) (shared/facts)",
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


class AirSpec(Strict):
    """One side's strike aviation over the area (glide-bomb carriers)."""

    aircraft: int = param(
        0,
        unit="aircraft",
        ge=0,
        le=1_000,
        description="strike aircraft available to this sector at the start",
        source="per scenario; sortie counts were not found in public sources (shared/facts §2.4)",
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
        source="assumption: an Su-34 usually carries two UMPK-kitted FAB-500s (up to four)",
    )
    release_depth_min_km: float = param(
        10.0,
        unit="km",
        ge=0,
        le=200,
        description="nearest release point behind one's own front line",
        source="assumption: UMPK glide bombs fly 40-70 km; carriers release well behind the line",
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
        source="assumption: both sides watched the front closely with drones (shared/facts "
        "§2.5); refined by the drone issue",
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


# --------------------------------------------------------------------------- forces


class Order(Strict):
    """A change of posture or objective from a given turn on."""

    turn: int = Field(ge=1, le=10_000, description="first turn the order applies")
    posture: Posture | None = None
    objective: str | None = Field(None, description="settlement key, or null to clear it")

    @field_validator("objective")
    @classmethod
    def _known_objective(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_settlement(value, info)


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
        "per-unit values are assumptions",
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
        description="how exposed the unit's tactics leave it: scales its losses and how "
        "easily it is seen (e.g. infantry assaulting across open ground)",
        source="assumption",
    )
    posture: Posture | None = Field(None, description="starting posture; default from doctrine")
    objective: str | None = Field(None, description="settlement key the unit moves against")
    orders: list[Order] = Field(default_factory=list, description="changes by turn")
    arrive_turn: int = param(
        1,
        unit="turn",
        ge=1,
        le=10_000,
        description="turn on which the unit enters the map at its starting place (1: there from "
        "the start); a unit arriving in enemy-held ground takes its hex unless an enemy unit is in it",
        source="per unit in the scenario file (reinforcements, infiltrations)",
    )

    @field_validator("objective")
    @classmethod
    def _known_objective(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_settlement(value, info)


class Battery(Placed):
    """An artillery battery (or MLRS or mortar battery): fires on detected targets in range."""

    kind: Literal["howitzer", "mlrs", "mortar"] = Field("howitzer", description="type of battery")
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
        source="typical 152/155 mm tube artillery reaches 17-30 km (e.g. D-20, 2S19, M777)",
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

    kind: Literal["sam", "shorad", "manpads"] = Field("manpads", description="type of air defence")
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
        source="MANPADS about 5 km (Stinger, Igla); Buk-M1 about 32 km (public specifications)",
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


def _check_settlement(value: str | None, info: ValidationInfo) -> str | None:
    known = (info.context or {}).get("settlements")
    if value is not None and known is not None and value not in known:
        hint = _closest(value, known)
        raise ValueError(
            f"unknown settlement {value!r}"
            + (f"; did you mean {hint!r}?" if hint else "; see the map file for keys")
        )
    return value


def _closest(word: str, options) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


# --------------------------------------------------------------------------- weather

WeatherState = Literal["clear", "degraded", "grounded"]
WEATHER_STATES: tuple[str, ...] = WeatherState.__args__


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
        return _check_settlement(value, info)


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
            hint = _closest(value, known)
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
        source="DESIGN.md: about 1-2 km, a battalion's frontage",
    )
    turn_hours: float = param(
        24.0,
        unit="hours",
        ge=1,
        le=168,
        description="length of one turn",
        source="DESIGN.md: a day by default",
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
            _check_settlement(key, info)
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
