"""The Mesa model: a thin shell around one run's `Battlefield`; one step is one turn.

It builds the battlefield (`sim.battle`), the hex grid with its property layers
(`sim.grid`) and the agents (`sim.agents`), and `step()` plays one turn with
`sim.engine.play_turn`, the same function the batch runner uses. The phases change the battlefield; after each
turn the grid's layers and the agents' cells are brought up to date from it, and
the DataCollector records the per-turn metrics (`sim.battle.metrics`).

Every random number of the run comes from the battlefield's dice, spawned from the
seed given as `rng` (`sim.battle.dice`: one stream per phase and side, a fixed place
per unit), so that variants on common random numbers pair. Mesa's own generators
(`self.rng`, `self.random`) are seeded from the same number but the rules never
draw from them.
"""

from __future__ import annotations

from mesa import Model
from mesa.datacollection import DataCollector

from sim import engine
from sim.agents import AGENT_CLASS, Settlement, SupplySource, Unit
from sim.battle.battlefield import Battlefield
from sim.grid import GeoHexGrid
from sim.scenario.loaded import LoadedScenario

EW_LAYERS = ("ew_ua", "ew_ru")
"""The property layers showing each side's jamming coverage."""


class SudzhaModel(Model):
    """The fighting around Sudzha on a hex map, one turn per step."""

    def __init__(self, scenario: LoadedScenario, rng: int | None = None):
        super().__init__(rng=rng)
        self.loaded = scenario
        seed = int(rng) if rng is not None else int(self.rng.integers(2**63))
        self.battlefield = bf = Battlefield.from_scenario(scenario, seed)
        hm = bf.hexmap
        self.grid = GeoHexGrid((hm.cols, hm.rows), torus=False, random=self.random)
        for name, values in (
            ("terrain", hm.terrain),
            ("road", hm.road),
            ("river", hm.river),
            ("country", hm.country),
            ("settlement", hm.settlement_at),
            ("control", bf.control),
        ):
            self.grid.create_property_layer(name, default_value=0, dtype=values.dtype.type)
            self.layer(name)[:] = values
        for name in EW_LAYERS:
            self.grid.create_property_layer(name, default_value=0.0, dtype=float)
        for i, site in enumerate(bf.sites):
            Settlement(self, site.key, site.name, bf.objective_value[i], site.hex, self.cell(site.hex))
        for key, name, side, h in bf.supply.source_sites:
            SupplySource(self, key, name, side, h, self.cell(h))
        self.unit_agents: list = [None] * bf.forces.n
        engine.prepare(bf)
        self._show()
        reporters = engine.reporters(bf)
        self.datacollector = DataCollector(
            model_reporters={
                name: (lambda model, compute=compute: compute(model.battlefield))
                for name, compute in reporters.items()
            }
        )
        self.datacollector.collect(self)

    def step(self) -> None:
        bf = self.battlefield
        engine.play_turn(bf)  # the phases, in the order engine.PHASES lists them
        self._show()
        self.datacollector.collect(self)
        if engine.finished(bf):
            self.running = False

    # ------------------------------------------------------------------ the view

    @property
    def turn(self) -> int:
        return self.battlefield.turn

    @property
    def units(self):
        """The Mesa AgentSet of manoeuvre units on the map."""
        return self.agents_by_type[Unit]

    def layer(self, name: str):
        """A flat, writable view of a property layer (the one place that touches layer internals)."""
        return getattr(self.grid, name).data.reshape(-1)

    def cell(self, hex_index: int):
        return self.grid[self.battlefield.hexmap.coord(hex_index)]

    def _show(self) -> None:
        """Bring the grid's layers and the agents up to date with the battlefield."""
        bf = self.battlefield
        f = bf.forces
        self.layer("control")[:] = bf.control
        for side, name in enumerate(EW_LAYERS):
            self.layer(name)[:] = bf.ew.cover[side]
        for i in range(f.n):
            agent = self.unit_agents[i]
            if f.active[i]:
                if agent is None:
                    self.unit_agents[i] = AGENT_CLASS[f.role[i]](self, i, self.cell(f.hex[i]))
                elif agent.cell.coordinate != bf.hexmap.coord(f.hex[i]):
                    agent.cell = self.cell(f.hex[i])
            elif agent is not None:
                agent.remove()
                self.unit_agents[i] = None
