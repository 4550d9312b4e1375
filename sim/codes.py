"""The model's vocabulary, once: sides, nations, postures, unit kinds, terrains, roles, causes.

Scenario files and outputs use the names (`"UA"`, `"defend"`, `"forest"`); the
arrays of a run hold the small integer codes (the position of the name in its
tuple). Each enumeration below is the one place a code is defined: the schema's
allowed values, the arrays' codes and the output labels all derive from it, so
`role == Role.JAMMER` reads as what it means and can never drift from the schema.
"""

from __future__ import annotations

from enum import IntEnum


def _names(codes: type[IntEnum]) -> tuple[str, ...]:
    return tuple(member.name.lower() for member in codes)


# --------------------------------------------------------------------------- sides and nations

SIDES: tuple[str, ...] = ("UA", "RU")
UA, RU = 0, 1
"""Side codes used in every array: control, country, unit side."""
SIDE = {name: code for code, name in enumerate(SIDES)}

NATIONS: tuple[str, ...] = ("UA", "RU", "DPRK")
"""Who a unit belongs to; DPRK units fight on the RU side and are counted apart."""
NATION = {name: code for code, name in enumerate(NATIONS)}


# --------------------------------------------------------------------------- units


class Posture(IntEnum):
    """What a unit is doing: sets its defence, how visible it is, and what doctrine has it do."""

    ATTACK = 0
    DEFEND = 1
    HOLD = 2
    RESERVE = 3
    WITHDRAW = 4


POSTURES = _names(Posture)

UNIT_KINDS: tuple[str, ...] = (
    "mechanised",
    "armour",
    "infantry",
    "airborne",
    "marines",
    "territorial",
    "special_forces",
)
"""Kinds of manoeuvre unit (each has its own speed)."""


class Role(IntEnum):
    """What a row of the forces arrays is; rows are ordered by role."""

    MANOEUVRE = 0
    ARTILLERY = 1
    AIR_DEFENCE = 2
    DRONE_TEAM = 3
    JAMMER = 4


ROLES = _names(Role)

ARTILLERY_KINDS: tuple[str, ...] = ("howitzer", "mlrs", "mortar")
AIR_DEFENCE_KINDS: tuple[str, ...] = ("sam", "shorad", "manpads")


class DroneKind(IntEnum):
    """A drone team's kind: reconnaissance, or FPV strike drones on radio or fibre-optic control."""

    RECON = 0
    FPV_RADIO = 1
    FPV_FIBRE = 2


DRONE_KINDS = _names(DroneKind)
STRIKE_DRONE_KINDS = (DroneKind.FPV_RADIO, DroneKind.FPV_FIBRE)


class Cause(IntEnum):
    """What a loss is counted against: direct ground combat (and encirclement), artillery, air, drones."""

    COMBAT = 0
    ARTILLERY = 1
    AIR = 2
    DRONES = 3


CAUSES = _names(Cause)


# --------------------------------------------------------------------------- ground and weather


class Terrain(IntEnum):
    """A hex's terrain; settlements above the urban threshold make a hex urban."""

    OPEN = 0
    FOREST = 1
    URBAN = 2
    MARSH = 3


TERRAINS = _names(Terrain)

ROAD_CLASSES: tuple[str, ...] = ("none", "secondary", "main")
"""Road class of a hex (its code is the position here): main roads carry more supply."""
ROAD_CLASS = {name: code for code, name in enumerate(ROAD_CLASSES)}

RIVER_SIZES: tuple[str, ...] = ("none", "minor", "major")
RIVER_SIZE = {name: code for code, name in enumerate(RIVER_SIZES)}

WEATHER_STATES: tuple[str, ...] = ("clear", "degraded", "grounded")
"""The day's flying weather."""
