"""The `parameters:` section of a scenario: every rate of the model, by the phase of the turn that uses it.

`Parameters` is the section; each of its fields is one group (`terrain`,
`movement`, `detection`, `combat`, `morale`, `weather`, `air`, `artillery`,
`drones`, `ew`, `logistics`), declared below in turn order with the tables of
one number per terrain or per posture that the group uses. `--set
parameters.combat.intensity=2` names the `intensity` field of `CombatParams`.

This file is pure declarations (one `param(...)` per number, with its unit, range
and source), and so the one module of the schema allowed past ~800 lines.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.fields import Strict, param, posture_table, terrain_table

_ASSUMED = "assumption: a round teaching value, to be calibrated; see docs/model.md"


# --------------------------------------------------------------------------- terrain

TerrainMoveCost = terrain_table(
    "TerrainMoveCost",
    "Cost of entering a hex off-road, in hex widths travelled",
    "hex widths",
    "assumption: relative costs in the spirit of classic hex-wargame terrain charts "
    "(woods and towns twice open ground, marsh three times)",
    (1.0, 2.0, 1.5, 3.0),
    0.2,
    10.0,
    module=__name__,
)
TerrainDefence = terrain_table(
    "TerrainDefence",
    "Defender's combat-power multiplier from terrain",
    "multiplier",
    "assumption: ordered as Dupuy's QJM/TNDM terrain factors (open < woods/marsh < urban); "
    "values rounded for teaching",
    (1.0, 1.3, 1.5, 1.3),
    0.5,
    3.0,
    module=__name__,
)
TerrainExposure = terrain_table(
    "TerrainExposure",
    "How visible a unit is to enemy sensors in this terrain (1 = open field)",
    "multiplier",
    "assumption: cover and concealment lower detection; woods hide best",
    (1.0, 0.4, 0.6, 0.8),
    0.0,
    3.0,
    module=__name__,
)


PostureDefence = posture_table(
    "PostureDefence",
    "Combat-power multiplier of a unit defending its hex, by its posture",
    "multiplier",
    "Dupuy's QJM posture factors as commonly quoted (hasty defence 1.3, prepared 1.5; no public "
    "source found); withdrawing 0.7 is an assumption (docs/sources.md, Attrition and combat)",
    (1.0, 1.3, 1.5, 1.0, 0.7),
    0.1,
    3.0,
    module=__name__,
)
PostureExposure = posture_table(
    "PostureExposure",
    "How visible a unit is to enemy sensors, by posture (moving units are seen more)",
    "multiplier",
    "assumption: units on the move or attacking are seen more than dug-in ones",
    (1.5, 0.8, 0.8, 0.5, 1.2),
    0.0,
    3.0,
    module=__name__,
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
    """How units move across the hex map (phase 5, manoeuvre).

    A unit's speed (km/day) fills a budget each turn; a step is taken only when the
    budget covers its cost, and what is left carries over to the next turn, so a unit
    covers the same ground in a day whatever the turn length.
    """

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
    stacking_per_km2: float = param(
        1.5,
        unit="units/km²",
        gt=0,
        le=20,
        description="most friendly manoeuvre units per km² of ground; a hex holds this density times "
        "its area (rounded, at least one unit)",
        source="assumption: about a brigade's worth of battalion groups per 2 km² (three units per "
        "1.5-km hex)",
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
        source="assumption: Mavic-class recon drones fly about 5-15 km (docs/sources.md, Drones and EW)",
    )
    terrain_exposure: TerrainExposure = Field(default_factory=TerrainExposure)
    posture_exposure: PostureExposure = Field(default_factory=PostureExposure)


class CombatParams(Strict):
    """Ground combat (phase 6): losses after Dupuy's QJM/TNDM rates, ground taken at an advance rate.

    Daily loss fraction of the attacker = intensity x attacker_loss_rate x R^-k,
    of the defender = intensity x defender_loss_rate x R^k, with R the ratio of
    combat powers, k = ratio_exponent, each capped by the QJM maxima and multiplied
    by a daily log-normal factor, and by the attackers' tempo (the share of the time
    they assault). The assault advances at
    advance_rate_km_day x (R-1)^g / ((R-1)^g + (T-1)^g) km a day (nothing without
    preponderance, half the top rate at T = breakthrough_ratio) on a front of
    attack_frontage_km, and takes the hex once it has advanced across it.
    """

    attacker_loss_rate: float = param(
        0.028,
        unit="fraction/day",
        ge=0,
        le=0.5,
        description="attacker's daily personnel loss fraction at a 1:1 power ratio",
        source="Dupuy QJM standard rate, attacker 2.8 %/day (C. Lawrence, International TNDM "
        "Newsletter, Dec 1996) (docs/sources.md, Attrition and combat)",
    )
    defender_loss_rate: float = param(
        0.015,
        unit="fraction/day",
        ge=0,
        le=0.5,
        description="defender's daily personnel loss fraction at a 1:1 power ratio",
        source="Dupuy QJM standard rate, defender 1.5 %/day (Lawrence 1996) "
        "(docs/sources.md, Attrition and combat)",
    )
    attacker_max_loss_rate: float = param(
        0.1344,
        unit="fraction/day",
        ge=0,
        le=1,
        description="cap on the attacker's daily loss fraction",
        source="Dupuy QJM maximum, attacker 13.44 %/day (Lawrence 1996) "
        "(docs/sources.md, Attrition and combat)",
    )
    defender_max_loss_rate: float = param(
        0.0576,
        unit="fraction/day",
        ge=0,
        le=1,
        description="cap on the defender's daily loss fraction",
        source="Dupuy QJM maximum, defender 5.76 %/day (Lawrence 1996) "
        "(docs/sources.md, Attrition and combat)",
    )
    intensity: float = param(
        1.0,
        unit="multiplier",
        ge=0,
        le=10,
        description="scales both sides' loss rates in ground combat (battalion-size fights are "
        "bloodier than the division-size QJM norms); calibrated per scenario",
        source="calibration parameter: set so that daily losses land near the reported "
        "~250 Russian casualties per day in Kursk (UA claim: >38,000 from 6 Aug 2024 to 6 Jan "
        "2025) (docs/sources.md, Casualties)",
    )
    ratio_exponent: float = param(
        0.56,
        unit="exponent",
        ge=0,
        le=3,
        description="how strongly the power ratio shifts losses between the sides: at k = 0.5 the "
        "absolute exchange of losses is the same at every ratio (Lanchester's linear law), at k = 1 "
        "the stronger side's advantage grows with the ratio as in the square law, at 0 the ratio "
        "does not matter",
        source="fitted to RAND's version of the 3:1 rule: equal fractional loss rates at a 3:1 force "
        "ratio against prepared defences in mixed terrain (RAND 1992, quoted by C. Lawrence, "
        "International TNDM Newsletter, Winter 2010)",
    )
    breakthrough_ratio: float = param(
        3.0,
        unit="ratio",
        gt=1,
        le=20,
        description="power ratio at which an assault advances at half its top rate (below 1:1 it "
        "does not advance at all)",
        source="the 3:1 rule (Mearsheimer, International Security 13(4), 1989), contested by Epstein "
        "and Dupuy; Dupuy: advance against opposition requires local combat-power preponderance "
        "(docs/sources.md, Attrition and combat)",
    )
    breakthrough_steepness: float = param(
        2.0,
        unit="exponent",
        gt=0,
        le=10,
        description="how sharply the advance rate rises with the power ratio above 1:1",
        source="assumption",
    )
    advance_rate_km_day: float = param(
        3.0,
        unit="km/day",
        gt=0,
        le=50,
        description="top rate at which an assault that overwhelms its defence eats into the enemy's "
        "ground (undefended ground is walked into at the unit's speed instead)",
        source="Kursk: 1-3 km a day in some directions on 12-13 Aug 2024 (UA); Russian advances of "
        "200-300 m a day on hard axes in late 2024 (ISW)",
    )
    attack_frontage_km: float = param(
        2.0,
        unit="km",
        gt=0,
        le=20,
        description="width of the front one assault advances on: where hexes are narrower, a taken "
        "hex brings the flanking hexes its front covers with it",
        source="assumption: a battalion group attacks on about 1-2 km",
    )
    defence_recovery_per_day: float = param(
        0.5,
        unit="1/day",
        ge=0,
        le=10,
        description="how fast a defence recovers the ground an assault had eaten into once the "
        "assault stops (progress decays as exp(-rate x days))",
        source="assumption",
    )
    loss_noise: float = param(
        0.35,
        unit="log-sd per day",
        ge=0,
        le=2,
        description="spread of each engagement's daily loss rates (sd of the log of a multiplier with "
        "mean 1, drawn once per day and engagement)",
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
    zoc_radius_km: float = param(
        2.0,
        unit="km",
        ge=0,
        le=10,
        description="a unit's zone of control: the enemy cannot walk into a hex whose centre is this "
        "close to it, but must assault it (a battalion holds a sector, not a point)",
        source="assumption: a defending battalion covers a sector of about 3-4 km",
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
        0.4,
        unit="fraction",
        ge=0,
        le=1,
        description="share of a unit's power that helps defend a hex at the edge of its zone of "
        "control (zoc_radius_km away); a hex d km away gets zoc_share^(d / zoc_radius_km)",
        source="assumption",
    )
    river_attack_factor: float = param(
        0.7,
        unit="multiplier",
        ge=0.1,
        le=1,
        description="attacker's power when assaulting into a river hex off the roads",
        source="assumption: river crossings are a TNDM penalty factor; value assumed "
        "(docs/sources.md, Attrition and combat)",
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
        source="assumption: surprise is a TNDM factor; value assumed (docs/sources.md, Attrition and combat)",
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
    defeat_penalty_per_km: float = param(
        0.07,
        unit="morale/km",
        ge=0,
        le=1,
        description="morale lost by a unit for each km it is pushed back (a unit driven out of its "
        "position retreats one hex width)",
        source="assumption: 0.1 for a 1.5-km retreat",
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


GlideBombTerrainEffect = terrain_table(
    "GlideBombTerrainEffect",
    "Glide-bomb casualties per hit, relative to a unit in open ground",
    "multiplier",
    "assumption: heavy bombs bring buildings down on their occupants (Syrskyi, Mar 2025: Sudzha "
    "'almost completely destroyed' by air strikes), woods disperse the blast "
    "(docs/sources.md, Air and glide bombs)",
    (1.0, 0.7, 1.5, 1.0),
    0.0,
    5.0,
    module=__name__,
)
FiresTerrainProtection = terrain_table(
    "FiresTerrainProtection",
    "Artillery casualties per round, relative to a unit in open ground",
    "multiplier",
    "assumption: cellars, buildings and woods shelter troops from shell fragments",
    (1.0, 0.7, 0.6, 0.9),
    0.0,
    5.0,
    module=__name__,
)
StrikePostureEffect = posture_table(
    "StrikePostureEffect",
    "Casualties per hit from air and artillery by the target's posture (dug-in units suffer "
    "least, units moving or massed on roads most)",
    "multiplier",
    "assumption",
    (1.3, 0.6, 0.6, 0.8, 1.3),
    0.0,
    5.0,
    module=__name__,
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
    S's share of both sides' sortie capacity (aircraft x sorties per aircraft, whatever
    the weather), the chance a sortie of S survives the enemy's air defence, and the
    chance it meets none of it. S holds air superiority when AS >= superiority_threshold.
    Next turn, S's sortie generation is multiplied by 1 + sortie_weight x (AS - 0.5)
    and its accuracy by 1 + accuracy_weight x (AS - 0.5).
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
        source="assumption: air strikes hit hardest at columns and traffic massed on roads",
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
        "(Russian military-medical survey, Mar 2025: ~20 % of wounds from artillery) "
        "(docs/sources.md, Casualties)",
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
    density_reference_per_km2: float = param(
        100.0,
        unit="people/km²",
        gt=0,
        le=100_000,
        description="troop density at which area fire (artillery, glide bombs) has its stated effect "
        "per round or hit; denser targets lose proportionally more",
        source="assumption: a battalion of about 600 on its own ground",
    )
    area_fire_spread_km: float = param(
        1.0,
        unit="km",
        gt=0,
        le=20,
        description="spread of the troops that share a target's ground (a Gaussian of this sd), over "
        "which area fire measures the density it hits",
        source="assumption",
    )


DroneTerrainEffect = terrain_table(
    "DroneTerrainEffect",
    "Drone-strike casualties per hit, relative to a unit in open ground",
    "multiplier",
    "assumption: woods and buildings hide and shelter troops from FPV drones",
    (1.0, 0.5, 0.7, 0.9),
    0.0,
    5.0,
    module=__name__,
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
        source="assumption: ISW reported bad weather grounding Russian drones early in Feb 2025 "
        "(no public URL found; docs/sources.md, Drones and EW)",
    )
    terrain_effect: DroneTerrainEffect = Field(default_factory=DroneTerrainEffect)
    posture_effect: StrikePostureEffect = Field(default_factory=StrikePostureEffect)
    interdiction_per_hit: float = param(
        0.15,
        unit="fraction/hit",
        ge=0,
        le=1,
        description="share of a road hex's supply throughput lost for each hit on its traffic",
        source="assumption, calibrated to the 'road of death' reports of Feb-Mar 2025 "
        "(docs/sources.md, Logistics)",
    )
    interdiction_persistence: float = param(
        0.5,
        unit="fraction/day",
        ge=0,
        le=1,
        description="share of a road hex's interdiction that lasts a day (wrecks cleared, traffic "
        "rerouted or moved at night); over a turn of t days it keeps persistence^t",
        source="assumption",
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
        source="assumption after a practitioner's description of failsafes: a jammed drone returns "
        "home, lands, hovers or flies on, so it is 'lost or returned' (docs/sources.md, Drones and EW)",
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
        source="assumption: trucks need roads; mud in March 2025 blocked alternatives (Reuters, "
        "RFE/RL) (docs/sources.md, Logistics)",
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
        source="assumption: cut-off units run down fast; in Feb 2025 the wounded were evacuated on "
        "foot over days (docs/sources.md, Logistics)",
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


class ControlParams(Strict):
    """Control (phase 8): who holds the ground nobody fights over."""

    claim_radius_km: float = param(
        0.0,
        unit="km",
        ge=0,
        le=10,
        description="at the end of a turn a manoeuvre unit takes the enemy-held hexes this close to it "
        "that no enemy unit's zone of control covers: 0 for positional fighting, where ground changes "
        "hands only by assault or occupation; 2-3 km for fluid, mobile warfare",
        source="assumption: a setting for the character of the fighting, not a measured rate",
    )
    presence_km: float = param(
        6.0,
        unit="km",
        gt=0,
        le=50,
        description="a side holds ground in the other side's country only within this distance of one "
        "of its units: beyond it, nobody holds the ground for it",
        source="assumption: about the depth a battalion's patrols, drones and fires dominate",
    )
    unheld_loss_per_day: float = param(
        1.0,
        unit="1/day",
        ge=0,
        le=24,
        description="rate at which such unheld ground goes back to the country it belongs to (a hazard: "
        "the chance within a turn of t days is 1 - exp(-rate x t))",
        source="assumption",
    )
    pocket_garrison_per_km2: float = param(
        10.0,
        unit="people/km²",
        ge=0,
        le=10_000,
        description="a pocket cut off from its side's rear holds out only with at least this many of "
        "the side's troops per km² inside it; a thinner garrison must break out and the pocket falls",
        source="assumption",
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
    control: ControlParams = Field(default_factory=ControlParams)
