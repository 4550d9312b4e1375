"""Mesa agents: units on the hex grid, and settlements fixed to theirs.

Every unit on the map is a Mesa `CellAgent` whose numbers live in the model's
`Forces` arrays (row `idx`), so the vectorised rules and the agent always agree:
`Unit` for manoeuvre units, `Battery` for artillery, `AirDefence` for SAM,
SHORAD and MANPADS units, `DroneTeam` and `Jammer` for drones and electronic
warfare. Settlements and supply sources are `FixedAgent`s: places that never move.
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent, FixedAgent

from sim.codes import NATIONS, POSTURES, SIDES


class MapUnit(CellAgent):
    """Anything on the map with a row in `model.forces`: a view onto row `idx`."""

    def __init__(self, model, idx: int, cell):
        super().__init__(model)
        self.idx = idx
        self.cell = cell

    @property
    def unit_id(self) -> str:
        return self.model.forces.ids[self.idx]

    @property
    def name(self) -> str:
        return self.model.forces.names[self.idx]

    @property
    def side(self) -> str:
        return SIDES[self.model.forces.side[self.idx]]

    @property
    def nation(self) -> str:
        return NATIONS[self.model.forces.nation[self.idx]]

    @property
    def personnel(self) -> int:
        return int(self.model.forces.personnel[self.idx])

    @property
    def vehicles(self) -> int:
        return int(self.model.forces.vehicles[self.idx])

    @property
    def morale(self) -> float:
        return float(self.model.forces.morale[self.idx])

    @property
    def posture(self) -> str:
        return POSTURES[self.model.forces.posture[self.idx]]

    @property
    def strength(self) -> float:
        """Personnel as a share of the starting personnel."""
        f = self.model.forces
        return float(f.personnel[self.idx] / max(f.personnel0[self.idx], 1))


class Unit(MapUnit):
    """A manoeuvre unit: a battalion, regiment or brigade group."""


class Battery(MapUnit):
    """An artillery battery: `vehicles` are its guns, `personnel` its crews."""

    @property
    def ammunition(self) -> int:
        return int(self.model.forces.ammo[self.idx])


class AirDefence(MapUnit):
    """A SAM, SHORAD or MANPADS unit: `vehicles` are its launchers."""

    @property
    def missiles(self) -> int:
        return int(self.model.forces.ammo[self.idx])


class DroneTeam(MapUnit):
    """A drone unit (recon, FPV radio or FPV fibre-optic): `personnel` are its operators."""

    @property
    def drones(self) -> int:
        return int(self.model.forces.ammo[self.idx])


class Jammer(MapUnit):
    """An electronic-warfare jammer; its coverage is in the `ew_ua` / `ew_ru` property layers."""


class SupplySource(FixedAgent):
    """Where a side's supply enters the map."""

    def __init__(self, model, key: str, name: str, side: str, hex_index: int, cell):
        super().__init__(model)
        self.key = key
        self.name = name
        self.side = side
        self.hex_index = hex_index
        self.cell = cell


class Settlement(FixedAgent):
    """A named place on the map; an objective when its value is above zero."""

    def __init__(self, model, key: str, name: str, value: float, hex_index: int, cell):
        super().__init__(model)
        self.key = key
        self.name = name
        self.value = value
        self.hex_index = hex_index
        self.cell = cell

    @property
    def holder(self) -> str:
        return SIDES[self.model.control[self.hex_index]]
