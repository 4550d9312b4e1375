"""The state of everything on the map as NumPy arrays, one row per unit, built from the scenario.

Rows are manoeuvre units first, then artillery batteries, air-defence units, drone
teams and jammers (`role` says which, a `sim.codes.Role`). The phases read and
write these arrays directly; the Mesa agents (`sim.agents`) are views onto a row,
which the browser app uses. Keeping the state in one place means there is one
truth for every number: a battery's crew is `personnel`, its guns are `vehicles`,
and losses to either are counted the same way as a battalion's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.battle.geography import HexMap
from sim.codes import (
    AIR_DEFENCE_KINDS,
    ARTILLERY_KINDS,
    CAUSES,
    NATION,
    SIDE,
    SIDES,
    UNIT_KINDS,
    DroneKind,
    Posture,
    Role,
)
from sim.scenario import (
    AirDefenceUnit,
    Battery,
    DroneTeam,
    Jammer,
    Order,
    Scenario,
    Unit,
)


@dataclass
class Forces:
    ids: list[str]
    names: list[str]
    role: np.ndarray
    side: np.ndarray
    nation: np.ndarray
    kind: np.ndarray
    """Manoeuvre: index into UNIT_KINDS; assets: index into their own kind list."""
    personnel: np.ndarray
    vehicles: np.ndarray
    """Armoured vehicles of a manoeuvre unit; guns of a battery; launchers of air defence."""
    personnel0: np.ndarray
    vehicles0: np.ndarray
    quality: np.ndarray
    morale: np.ndarray
    morale0: np.ndarray
    supply: np.ndarray
    exposure: np.ndarray
    commitment: np.ndarray
    """Share of its power a manoeuvre unit commits to an assault (its own, or its side's doctrine)."""
    tempo: np.ndarray
    """Share of its time a manoeuvre unit in contact spends assaulting (its own, or its side's)."""
    posture: np.ndarray
    objective: np.ndarray
    hex: np.ndarray
    speed_km_day: np.ndarray
    arrive_turn: np.ndarray
    """Turn a unit enters the map (1: present from the start), from its arrival date or day."""
    orders: list[list[tuple[int, Order]]]
    """Per unit, its scenario orders with the turn each takes effect in."""
    active: np.ndarray
    broken: np.ndarray
    detected: np.ndarray
    move_budget_km: np.ndarray
    """Movement a unit has saved up: its speed fills it each turn, steps spend it."""
    assault_progress_km: np.ndarray
    """How far a unit's assaults have eaten into the enemy's ground since it last took a hex."""
    lost_by_cause: np.ndarray
    """(units, causes) personnel lost to each cause (`sim.codes.Cause`)."""
    lost_vehicles_by_cause: np.ndarray
    # weapons of batteries and air defence (zero for manoeuvre units)
    range_km: np.ndarray
    ammo: np.ndarray
    """Rounds of a battery, missiles of an air-defence unit."""
    ammo_capacity: np.ndarray
    resupply_per_day: np.ndarray
    fire_rate: np.ndarray
    """Rounds per gun per day of a battery."""
    engage_prob: np.ndarray
    kill_prob: np.ndarray
    salvo: np.ndarray
    intercept_prob: np.ndarray
    fired: np.ndarray
    """A battery fired last turn (easier to detect, a counter-battery target)."""
    # drone teams (ammo = drones, fire_rate = sorties per day) and jammers (range_km = radius)
    reach_prob: np.ndarray
    hit_prob: np.ndarray
    per_hit: np.ndarray
    """Casualties per hit of a strike-drone team."""
    vehicles_per_hit: np.ndarray
    interdiction_share: np.ndarray
    search_km2_per_day: np.ndarray
    jam_strength: np.ndarray
    emitting: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def manoeuvre(self) -> np.ndarray:
        return self.role == Role.MANOEUVRE

    @property
    def lost_personnel(self) -> np.ndarray:
        """Personnel each unit has lost, to every cause."""
        return self.lost_by_cause.sum(axis=1)

    @property
    def lost_vehicles(self) -> np.ndarray:
        """Vehicles (guns, launchers) each unit has lost, to every cause."""
        return self.lost_vehicles_by_cause.sum(axis=1)

    @classmethod
    def from_scenario(cls, spec: Scenario, hexmap: HexMap) -> Forces:
        sites = {s.key: i for i, s in enumerate(hexmap.settlements)}
        speeds = spec.parameters.movement.speed
        default_posture = {side: getattr(spec.sides, side).doctrine.default_posture for side in SIDES}
        commitment = {side: getattr(spec.sides, side).doctrine.assault_commitment for side in SIDES}
        tempo = {side: getattr(spec.sides, side).doctrine.attack_tempo for side in SIDES}
        timeline = spec.timeline
        rows = [
            _row(u, side, hexmap, sites, speeds, default_posture, commitment, tempo, timeline)
            for u, side in spec.placed()
        ]
        columns = {name: [row[name] for row in rows] for name in rows[0]}
        n = len(rows)
        arrays = {
            name: np.array(values, dtype=_DTYPES.get(name, float))
            for name, values in columns.items()
            if name not in ("ids", "names", "orders")
        }
        return cls(
            ids=columns["ids"],
            names=columns["names"],
            orders=columns["orders"],
            personnel0=arrays["personnel"].copy(),
            vehicles0=arrays["vehicles"].copy(),
            morale0=arrays["morale"].copy(),
            active=(arrays["personnel"] > 0) & (arrays["arrive_turn"] <= 1),
            broken=np.zeros(n, dtype=bool),
            detected=np.zeros(n, dtype=bool),
            move_budget_km=np.zeros(n),
            assault_progress_km=np.zeros(n),
            fired=np.zeros(n, dtype=bool),
            lost_by_cause=np.zeros((n, len(CAUSES)), dtype=np.int64),
            lost_vehicles_by_cause=np.zeros((n, len(CAUSES)), dtype=np.int64),
            **arrays,
        )

    def apply_orders(self, turn: int, sites: dict[str, int]) -> None:
        """Scenario orders that take effect this turn."""
        for i, orders in enumerate(self.orders):
            for order_turn, order in orders:
                if order_turn != turn:
                    continue
                if order.posture is not None:
                    self.posture[i] = Posture[order.posture.upper()]
                if "objective" in order.model_fields_set:
                    self.objective[i] = sites[order.objective] if order.objective else -1


_DTYPES = {
    "role": np.int8,
    "side": np.int8,
    "nation": np.int8,
    "kind": np.int8,
    "posture": np.int8,
    "personnel": np.int64,
    "vehicles": np.int64,
    "ammo": np.int64,
    "ammo_capacity": np.int64,
    "salvo": np.int64,
    "objective": np.int32,
    "hex": np.int32,
    "emitting": bool,
    "arrive_turn": np.int32,
}


def _row(
    u, side: str, hexmap: HexMap, sites: dict[str, int], speeds, default_posture, commitment, tempo, timeline
) -> dict:
    start = hexmap.settlements[sites[u.at]].hex if u.at is not None else hexmap.nearest_hex(*u.position)
    row = {
        "ids": u.id,
        "names": u.name,
        "orders": [],
        "side": SIDE[side],
        "nation": NATION[getattr(u, "nation_or_side", side)],
        "hex": start,
        "objective": -1,
        "morale": 0.8,
        "supply": 1.0,
        "exposure": 1.0,
        "commitment": 0.0,
        "tempo": 0.0,
        "quality": 1.0,
        "speed_km_day": 0.0,
        "arrive_turn": 1,
        "posture": Posture.HOLD,
        "range_km": 0.0,
        "ammo": 0,
        "ammo_capacity": 0,
        "resupply_per_day": 0.0,
        "fire_rate": 0.0,
        "engage_prob": 0.0,
        "kill_prob": 0.0,
        "salvo": 1,
        "intercept_prob": 0.0,
        "reach_prob": 0.0,
        "hit_prob": 0.0,
        "per_hit": 0.0,
        "vehicles_per_hit": 0.0,
        "interdiction_share": 0.0,
        "search_km2_per_day": 0.0,
        "jam_strength": 0.0,
        "emitting": False,
    }
    if isinstance(u, Unit):
        row.update(
            role=Role.MANOEUVRE,
            kind=UNIT_KINDS.index(u.kind),
            personnel=u.personnel,
            vehicles=u.vehicles,
            quality=u.quality,
            morale=u.morale,
            supply=u.supply,
            exposure=u.exposure,
            commitment=commitment[u.side] if u.assault_commitment is None else u.assault_commitment,
            tempo=tempo[u.side] if u.attack_tempo is None else u.attack_tempo,
            posture=Posture[(u.posture or default_posture[u.side]).upper()],
            objective=sites[u.objective] if u.objective else -1,
            speed_km_day=getattr(speeds, u.kind),
            orders=sorted(
                ((timeline.turn_at(o.hours(timeline)), o) for o in u.orders), key=lambda item: item[0]
            ),
            arrive_turn=timeline.turn_at(u.arrival_hours(timeline)),
        )
    elif isinstance(u, Battery):
        row.update(
            role=Role.ARTILLERY,
            kind=ARTILLERY_KINDS.index(u.kind),
            personnel=u.crew,
            vehicles=u.guns,
            quality=u.quality,
            range_km=u.range_km,
            ammo=u.ammunition,
            ammo_capacity=u.ammunition_capacity,
            resupply_per_day=u.resupply_per_day,
            fire_rate=u.rounds_per_gun_per_day,
        )
    elif isinstance(u, AirDefenceUnit):
        row.update(
            role=Role.AIR_DEFENCE,
            kind=AIR_DEFENCE_KINDS.index(u.kind),
            personnel=u.crew,
            vehicles=u.launchers,
            range_km=u.range_km,
            ammo=u.missiles,
            ammo_capacity=u.missiles_capacity,
            resupply_per_day=u.resupply_per_day,
            engage_prob=u.engagement_probability,
            kill_prob=u.kill_probability,
            salvo=u.missiles_per_engagement,
            intercept_prob=u.intercept_probability,
        )
    elif isinstance(u, DroneTeam):
        row.update(
            role=Role.DRONE_TEAM,
            kind=DroneKind[u.kind.upper()],
            personnel=u.operators,
            vehicles=0,
            range_km=u.range_km,
            ammo=u.drones,
            ammo_capacity=u.drones_capacity,
            resupply_per_day=u.resupply_per_day,
            fire_rate=u.sorties_per_day,
            reach_prob=u.reach_probability,
            hit_prob=u.hit_probability,
            per_hit=u.casualties_per_hit,
            vehicles_per_hit=u.vehicles_per_hit,
            interdiction_share=u.interdiction_share,
            search_km2_per_day=u.search_km2_per_day if u.kind == "recon" else 0.0,
        )
    elif isinstance(u, Jammer):
        row.update(
            role=Role.JAMMER,
            kind=0,
            personnel=u.crew,
            vehicles=1,
            range_km=u.radius_km,
            jam_strength=u.strength,
            emitting=u.emitting,
        )
    else:  # pragma: no cover - the schema admits nothing else
        raise TypeError(type(u))
    return row
