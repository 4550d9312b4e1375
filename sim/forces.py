"""The state of every unit as NumPy arrays (one row per unit), built from the scenario.

The vectorised rules read and write these arrays directly; the Mesa `Unit` agents
(`sim.agents`) are views onto a row, which the browser app and per-unit decisions
use. Keeping the state in one place means there is one truth for every number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.geography import HexMap
from sim.scenario import NATIONS, POSTURES, SIDES, UNIT_KINDS, Order, Scenario

POSTURE = {name: code for code, name in enumerate(POSTURES)}
NATION = {name: code for code, name in enumerate(NATIONS)}
SIDE = {name: code for code, name in enumerate(SIDES)}


@dataclass
class Forces:
    ids: list[str]
    names: list[str]
    side: np.ndarray
    nation: np.ndarray
    kind: np.ndarray
    personnel: np.ndarray
    vehicles: np.ndarray
    personnel0: np.ndarray
    vehicles0: np.ndarray
    quality: np.ndarray
    morale: np.ndarray
    morale0: np.ndarray
    supply: np.ndarray
    exposure: np.ndarray
    posture: np.ndarray
    objective: np.ndarray
    hex: np.ndarray
    speed_km_day: np.ndarray
    orders: list[list[Order]]
    active: np.ndarray
    broken: np.ndarray
    detected: np.ndarray
    lost_personnel: np.ndarray
    lost_vehicles: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @classmethod
    def from_scenario(cls, spec: Scenario, hexmap: HexMap) -> Forces:
        sites = {s.key: i for i, s in enumerate(hexmap.settlements)}
        units = spec.forces
        n = len(units)
        speeds = spec.parameters.movement.speed

        def start_hex(u) -> int:
            if u.at is not None:
                return hexmap.settlements[sites[u.at]].hex
            return hexmap.nearest_hex(*u.position)

        default_posture = {side: getattr(spec.sides, side).doctrine.default_posture for side in SIDES}
        personnel = np.array([u.personnel for u in units], dtype=np.int64)
        vehicles = np.array([u.vehicles for u in units], dtype=np.int64)
        morale = np.array([u.morale for u in units], dtype=float)
        return cls(
            ids=[u.id for u in units],
            names=[u.name for u in units],
            side=np.array([SIDE[u.side] for u in units], dtype=np.int8),
            nation=np.array([NATION[u.nation_or_side] for u in units], dtype=np.int8),
            kind=np.array([UNIT_KINDS.index(u.kind) for u in units], dtype=np.int8),
            personnel=personnel.copy(),
            vehicles=vehicles.copy(),
            personnel0=personnel,
            vehicles0=vehicles,
            quality=np.array([u.quality for u in units], dtype=float),
            morale=morale.copy(),
            morale0=morale,
            supply=np.array([u.supply for u in units], dtype=float),
            exposure=np.array([u.exposure for u in units], dtype=float),
            posture=np.array([POSTURE[u.posture or default_posture[u.side]] for u in units], dtype=np.int8),
            objective=np.array([sites[u.objective] if u.objective else -1 for u in units], dtype=np.int32),
            hex=np.array([start_hex(u) for u in units], dtype=np.int32),
            speed_km_day=np.array([getattr(speeds, u.kind) for u in units], dtype=float),
            orders=[sorted(u.orders, key=lambda o: o.turn) for u in units],
            active=personnel > 0,
            broken=np.zeros(n, dtype=bool),
            detected=np.zeros(n, dtype=bool),
            lost_personnel=np.zeros(n, dtype=np.int64),
            lost_vehicles=np.zeros(n, dtype=np.int64),
        )

    def apply_orders(self, turn: int, sites: dict[str, int]) -> None:
        """Scenario orders that take effect this turn."""
        for i, orders in enumerate(self.orders):
            for order in orders:
                if order.turn != turn:
                    continue
                if order.posture is not None:
                    self.posture[i] = POSTURE[order.posture]
                if "objective" in order.model_fields_set:
                    self.objective[i] = sites[order.objective] if order.objective else -1
