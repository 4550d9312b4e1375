"""The scenario file: what a scenario YAML may say, with units, ranges and sources.

A scenario names its map, its time frame (turn length and number of turns), the
two sides' doctrine and sensors, the forces, and every model parameter. This
package owns the pydantic models of the file; `sim.loading` reads files into them.
Where each part of a scenario file is declared:

    name, map, turns, hex_km, objectives, ...   sim.scenario.document   (Scenario)
    weather:, logistics:, reported:             sim.scenario.document
    parameters:                                 sim.scenario.parameters (Parameters)
    sides: (doctrine, air)                      sim.scenario.sides      (Sides, SideSpec)
    forces:, artillery:, air_defence:,          sim.scenario.units      (Unit, Battery, ...)
      sides.*.drone_teams:, sides.*.jammers:
    param(...), Strict, the choice types        sim.scenario.fields
    a map file                                  sim.scenario.mapfile    (MapSpec)

A scenario as loaded, with its map, is a `LoadedScenario` (sim.scenario.loaded).

The allowed names (sides, postures, unit kinds, terrains, ...) are spelt once,
in `sim.codes`. Every parameter is declared with `sim.scenario.fields.param`, so
it carries its unit, default, valid range, meaning and source in the schema itself.
"""

from sim.scenario.document import Logistics, Reported, Scenario, Weather
from sim.scenario.loaded import LoadedScenario
from sim.scenario.mapfile import MapSpec
from sim.scenario.parameters import Parameters
from sim.scenario.sides import AirSpec, Doctrine, Sides, SideSpec
from sim.scenario.units import AirDefenceUnit, Battery, DroneTeam, Jammer, Order, Placed, Sited, Unit

__all__ = [
    "AirDefenceUnit",
    "AirSpec",
    "Battery",
    "Doctrine",
    "DroneTeam",
    "Jammer",
    "LoadedScenario",
    "Logistics",
    "MapSpec",
    "Order",
    "Parameters",
    "Placed",
    "Reported",
    "Scenario",
    "SideSpec",
    "Sides",
    "Sited",
    "Unit",
    "Weather",
]
