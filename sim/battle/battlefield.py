"""The state of one run, declared in one place: the `Battlefield`.

Everything a run holds and changes is here, as plain NumPy and SciPy state with no
Mesa: the turn and its weather, the forces (`sim.battle.forces.Forces`, one row per
unit), who holds each hex, where each side's manoeuvre units stand and what their
zones of control cover, the objectives, the cost fields units move on, the record
of the turn and the run's totals, and the small records the phases keep from one
turn to the next:

- `recon` (`ReconPicture`): each unit's distance to the nearest enemy (phase 1),
  read by doctrine when it commits reserves;
- `air` (`AirPicture`): aircraft left and each side's air-superiority index (phase 2);
- `ew` (`EWCover`): each side's jamming coverage and the chance a radio drone is
  jammed over each hex (phase 3), read by reconnaissance and fires;
- `supply` (`SupplyLines`): sources, the main route, interdiction on the roads
  (written by fires, read by logistics), supply costs and cut-off units (phase 7);
- `effects` (`EffectTables`): the terrain and posture factors of every phase;
- `this_turn` (`TurnState`): what the turn has done to each unit so far.

The methods are the operations all phases share: move a unit, take a hex, retreat,
take a unit off the map or bring one on, record losses, a unit's power, a strike's
effect, the distance to the other side's ground. The phases (`sim.turn`) are
functions of a battlefield; the Mesa model (`sim.model`) is a view onto one.

Every random number of the run comes from its `dice` (`sim.battle.dice`): one
stream per phase and side, a fixed place per unit, so that variants on common
random numbers pair. Time is in days (`days_per_turn`, the `timeline` of dated
events) and distance in km, never in turns or hexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.battle.dice import Dice, Site
from sim.battle.forces import Forces
from sim.battle.geography import HexMap, build_hexmap
from sim.battle.records import RunTotals, TurnRecord
from sim.caching import BoundedCache
from sim.codes import POSTURES, RU, SIDE, SIDES, TERRAINS, UA, Cause, Role
from sim.rules import combat, draws, ew, fires
from sim.rules.control import HexLayout
from sim.rules.logistics import SupplyNetwork, road_route
from sim.rules.movement import CostFields, HexSet, edge_costs
from sim.scenario import AirSpec, Doctrine, Parameters, Scenario
from sim.scenario.loaded import LoadedScenario
from sim.scenario.timing import Timeline


def by_terrain(table) -> np.ndarray:
    """A per-terrain parameter table as an array indexed by terrain code."""
    return np.array([getattr(table, t) for t in TERRAINS])


def by_posture(table) -> np.ndarray:
    """A per-posture parameter table as an array indexed by posture code."""
    return np.array([getattr(table, p) for p in POSTURES])


@dataclass(frozen=True)
class EffectTables:
    """Terrain and posture factors of each phase, indexed by terrain or posture code."""

    terrain_defence: np.ndarray
    posture_defence: np.ndarray
    terrain_exposure: np.ndarray
    posture_exposure: np.ndarray
    air_terrain: np.ndarray
    air_posture: np.ndarray
    fires_terrain: np.ndarray
    fires_posture: np.ndarray
    drone_terrain: np.ndarray
    drone_posture: np.ndarray

    @classmethod
    def from_parameters(cls, p: Parameters) -> EffectTables:
        return cls(
            terrain_defence=by_terrain(p.combat.terrain_defence),
            posture_defence=by_posture(p.combat.posture_defence),
            terrain_exposure=by_terrain(p.detection.terrain_exposure),
            posture_exposure=by_posture(p.detection.posture_exposure),
            air_terrain=by_terrain(p.air.terrain_effect),
            air_posture=by_posture(p.air.posture_effect),
            fires_terrain=by_terrain(p.artillery.terrain_protection),
            fires_posture=by_posture(p.artillery.posture_protection),
            drone_terrain=by_terrain(p.drones.terrain_effect),
            drone_posture=by_posture(p.drones.posture_effect),
        )


@dataclass
class ReconPicture:
    """What reconnaissance leaves for the rest of the turn (detections are `forces.detected`)."""

    nearest_enemy_km: np.ndarray
    """Each unit's distance to the nearest active enemy unit."""


@dataclass
class AirPicture:
    """Each side's strike aviation and its share of the sky."""

    spec: tuple[AirSpec, AirSpec]
    aircraft: np.ndarray
    """Strike aircraft each side has left."""
    superiority: np.ndarray
    """Each side's air-superiority index this turn (it feeds the next turn's sorties and accuracy)."""


@dataclass
class EWCover:
    """Each side's jamming over every hex, as the EW phase last computed it."""

    fratricide: np.ndarray
    """Per side: its own jammers also degrade its own radio drones."""
    cover: np.ndarray
    """(side, hex) chance that the side's jammers jam a radio drone over the hex."""
    jam: np.ndarray
    """(side, hex) chance that a radio drone *of* the side is jammed over the hex."""
    last_jammers: list = field(default_factory=lambda: [None, None])
    """Per side, the jammer positions and strengths `cover` was computed for."""


@dataclass
class SupplyLines:
    """Supply sources, the main supply route, and what interdiction has done to the roads."""

    network: SupplyNetwork
    sources: dict[int, np.ndarray]
    """Per side, the hexes where its supply enters the map."""
    source_sites: list[tuple[str, str, str, int]]
    """(id, name, side, hex) of every supply source, as the scenario lists them."""
    main_route: np.ndarray
    main_route_side: int
    on_main_route: np.ndarray
    """(side, hex): the hex is on that side's main supply route."""
    interdiction: np.ndarray
    """(side, hex) share of the road throughput lost to strikes on the traffic."""
    cost: np.ndarray
    """(side, hex) cheapest supply cost from the side's sources (inf: cut off)."""
    cut_off: np.ndarray
    """Per unit: no supply route reaches it."""
    throughput: float = 1.0
    """Share of traffic getting through the main supply route this turn."""
    last_state: list = field(default_factory=lambda: [None, None])
    """Per side, the ground and interdiction `cost` was computed for."""


@dataclass
class TurnState:
    """What the current turn has done to each unit so far; reset when a turn starts."""

    loss_fraction: np.ndarray
    in_combat: np.ndarray
    pushed_back_km: np.ndarray
    """How far each unit was driven back this turn (a defeat costs morale per km)."""
    assaults: dict[int, list[int]] = field(default_factory=dict)
    """Target hex -> the units assaulting it (manoeuvre registers, ground combat resolves)."""
    manoeuvre_power: np.ndarray | None = None
    """Each unit's power while units move (nobody is hurt during manoeuvre)."""
    weather: list[tuple[str, float]] = field(default_factory=lambda: [("clear", 1.0)])
    """The weather of the days the turn spans, each with its share of the turn."""

    @classmethod
    def fresh(cls, n: int) -> TurnState:
        return cls(np.zeros(n), np.zeros(n, dtype=bool), np.zeros(n))

    @property
    def defeated(self) -> np.ndarray:
        return self.pushed_back_km > 0


# per process: tables that depend only on the map, the hex size and the parameters
_MOVEMENT: BoundedCache[tuple[np.ndarray, CostFields]] = BoundedCache()
_SUPPLY_NETWORKS: BoundedCache[SupplyNetwork] = BoundedCache()


def _movement_tables(loaded: LoadedScenario, hexmap: HexMap) -> tuple[np.ndarray, CostFields]:
    """Step costs and the cost-field cache; shared by every run of a scenario in a process."""
    movement = loaded.spec.parameters.movement

    def build():
        costs = edge_costs(
            hexmap.terrain,
            hexmap.river,
            hexmap.neighbours,
            hexmap.road_edge,
            hex_km=hexmap.hex_km,
            terrain_cost=by_terrain(movement.terrain_cost),
            road_cost=movement.road_cost,
            river_crossing_cost=movement.river_crossing_cost,
        )
        return costs, CostFields(hexmap.neighbours, costs)

    # frozen pydantic models hash by value
    return _MOVEMENT.get((loaded.map_digest, hexmap.hex_km, hexmap.cols, movement), build)


@dataclass(eq=False)
class Battlefield:
    """Everything one run holds and changes (see the module docstring)."""

    # what is fixed for the run
    loaded: LoadedScenario
    spec: Scenario
    params: Parameters
    hexmap: HexMap
    days_per_turn: float
    timeline: Timeline
    step_costs: np.ndarray
    cost_fields: CostFields
    sites: list
    """The map's settlements (`sim.battle.geography.SettlementSite`)."""
    site_index: dict[str, int]
    site_hex: np.ndarray
    objective_value: np.ndarray
    anchors: dict[int, np.ndarray]
    """Per side, the hexes of its rear: Ukraine itself for UA, the Russian map edges for RU."""
    rear_goal: dict[int, tuple[int, ...]]
    hex_layout: HexLayout
    """The hexes on an axial grid, for finding connected groups (pockets) in one call."""
    doctrine: dict[int, Doctrine]
    recon_effort: np.ndarray
    """Per side, the baseline reconnaissance effort over enemy units."""
    effects: EffectTables
    zoc_ball: ZonesOfControl
    """Per hex, the hexes a unit standing there holds in its zone of control (`ZonesOfControl`)."""
    stacking_limit: int
    """Most friendly manoeuvre units one hex holds: the density limit times the hex's area."""
    drone_team_rows: np.ndarray
    """The forces rows of drone teams (their places in the drones' random blocks)."""
    road_hexes: np.ndarray
    """The hexes with a road (the traffic strike drones may hunt)."""
    initial_ua_area_km2: float
    # what changes
    dice: Dice
    forces: Forces
    control: np.ndarray
    """Per hex, the side holding it."""
    occupancy: np.ndarray
    """(side, hex) manoeuvre units of the side in the hex (stacking counts these)."""
    zoc: np.ndarray
    """(side, hex) how many of the side's manoeuvre units have the hex in their zone of control."""
    exerts_zoc: np.ndarray
    """Per unit: a manoeuvre unit strong enough to exert a zone of control."""
    manoeuvre_order: list[int]
    """The manoeuvre units on the map, in the order they entered it (shuffled each turn to move)."""
    last_change_turn: np.ndarray
    """Per hex, the last turn it changed hands (0: never)."""
    garrison: np.ndarray
    """Per hex, the unlisted troops (people) of its holder still holding it since the start
    (`garrison_per_km2`); gone once the hex changes hands."""
    needs_presence: np.ndarray
    """Per hex, whether its holder keeps it only with troops near (ground taken after the line of
    control was drawn: in the run, or by a unit standing in enemy ground at the start)."""
    recon: ReconPicture
    air: AirPicture
    ew: EWCover
    supply: SupplyLines
    this_turn: TurnState
    record: TurnRecord = field(default_factory=TurnRecord)
    totals: RunTotals = field(default_factory=RunTotals)
    turn: int = 0
    lockstep: object | None = field(default=None, repr=False)
    """The lock-step group whose arrays hold this battlefield's per-unit arrays as rows
    (`sim.battle.stacked.SharedRows`), if it plays in one."""
    _front_edge_key: tuple | None = field(default=None, repr=False)
    _front_edge: tuple = field(default=(), repr=False)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_scenario(cls, loaded: LoadedScenario, seed: int) -> Battlefield:
        """The battlefield at the start of a run, before turn 1; `seed` is the run's seed."""
        spec = loaded.spec
        params = spec.parameters
        hm = build_hexmap(
            loaded.map, spec.hex_km, params.terrain.urban_min_population, cache_key=loaded.map_digest
        )
        step_costs, cost_fields = _movement_tables(loaded, hm)
        control = hm.initial_control(spec.line_of_control)

        sites = hm.settlements
        col, row = np.divmod(np.arange(hm.n), hm.rows)
        edge = (col == 0) | (col == hm.cols - 1) | (row == 0) | (row == hm.rows - 1)
        anchors = {UA: hm.country == UA, RU: edge & (hm.country == RU)}
        forces = Forces.from_scenario(spec, hm)
        n = forces.n
        sides = [getattr(spec.sides, side) for side in SIDES]
        bf = cls(
            loaded=loaded,
            spec=spec,
            params=params,
            hexmap=hm,
            days_per_turn=spec.turn_hours / 24.0,
            timeline=spec.timeline,
            step_costs=step_costs,
            cost_fields=cost_fields,
            sites=sites,
            site_index={s.key: i for i, s in enumerate(sites)},
            site_hex=np.array([s.hex for s in sites], dtype=np.int64),
            # objectives: the map's values, replaced where the scenario says
            objective_value=np.array([spec.objectives.get(s.key, s.value) for s in sites], dtype=float),
            anchors=anchors,
            rear_goal={side: HexSet(np.flatnonzero(mask).tolist()) for side, mask in anchors.items()},
            hex_layout=HexLayout.of(hm.cols, hm.rows),
            doctrine={code: side.doctrine for code, side in enumerate(sides)},
            recon_effort=np.array([side.recon_effort for side in sides]),
            effects=EffectTables.from_parameters(params),
            zoc_ball=ZonesOfControl(hm, params.combat.zoc_radius_km, Dice(seed).uniform(Site.ZONES, 0, hm.n)),
            stacking_limit=max(1, round(params.movement.stacking_per_km2 * hm.hex_area_km2)),
            drone_team_rows=np.flatnonzero(forces.role == Role.DRONE_TEAM),
            road_hexes=np.flatnonzero(hm.road > 0),
            initial_ua_area_km2=0.0,  # set below, once units standing in enemy ground hold it
            dice=Dice(seed),
            forces=forces,
            control=control,
            # stacking and zones of control count manoeuvre units only
            occupancy=np.zeros((2, hm.n), dtype=np.int16),
            zoc=np.zeros((2, hm.n), dtype=np.int16),
            exerts_zoc=forces.manoeuvre & (forces.personnel >= params.combat.zoc_min_personnel),
            manoeuvre_order=[int(i) for i in np.flatnonzero(forces.active & forces.manoeuvre)],
            last_change_turn=np.zeros(hm.n, dtype=np.int32),
            needs_presence=np.zeros(hm.n, dtype=bool),
            garrison=np.zeros(hm.n),
            recon=ReconPicture(np.full(n, np.inf)),
            air=AirPicture(
                spec=(sides[UA].air, sides[RU].air),
                aircraft=np.array([sides[UA].air.aircraft, sides[RU].air.aircraft], dtype=np.int64),
                superiority=np.zeros(2),
            ),
            ew=EWCover(
                fratricide=np.array([side.ew_fratricide for side in sides]),
                cover=np.zeros((2, hm.n)),
                jam=np.zeros((2, hm.n)),
            ),
            supply=_supply_lines(loaded, hm, cost_fields, n),
            this_turn=TurnState.fresh(n),
        )
        for i in bf.manoeuvre_order:
            bf._occupy(i, int(forces.hex[i]), +1)
        # units standing in enemy-held ground at the start hold it, and the way they came
        for i in np.flatnonzero(forces.active & forces.manoeuvre):
            bf._hold_the_way_in(int(i))
        density = np.array([side.garrison_per_km2 for side in sides])
        bf.garrison = np.where(bf.needs_presence, 0.0, density[control] * hm.hex_area_km2)
        bf.initial_ua_area_km2 = hm.russian_area_km2(control == UA)
        return bf

    def _hold_the_way_in(self, i: int) -> None:
        """Unit i, placed in enemy-held ground, holds its hex and the way back to its side's ground; where
        the hex's holders stand in it too (a village shared at this hex size), it stands a hex back."""
        f = self.forces
        here, side = int(f.hex[i]), int(f.side[i])
        if self.control[here] == side:
            return
        way, goal = self.way_back(here, side)
        if self.occupancy[1 - side, here]:
            way = way[way != here]
            back = way[np.argmin(self.hexmap.km_between(way, here))] if way.size else goal
            self.move_unit(i, int(back))
        self.control[way] = side
        self.needs_presence[way] = True

    def way_back(self, start: int, side: int) -> tuple[np.ndarray, int]:
        """The enemy-held hexes on the straight line from `start` to the nearest hex `side` holds, and
        that hex: the ground a unit standing in enemy ground at the start advanced across."""
        hm = self.hexmap
        held = np.flatnonzero(self.control == side)
        if held.size == 0:
            return np.array([start]), start
        goal = int(held[np.argmin(hm.km_between(held, start))])
        steps = max(2, int(np.ceil(float(hm.km_between(start, goal)) / (hm.hex_km / 4))) + 1)
        t = np.linspace(0.0, 1.0, steps)[:-1]
        px = hm.x[start] + t * (hm.x[goal] - hm.x[start])
        py = hm.y[start] + t * (hm.y[goal] - hm.y[start])
        nearest = np.argmin((hm.x[None, :] - px[:, None]) ** 2 + (hm.y[None, :] - py[:, None]) ** 2, axis=1)
        return np.unique(nearest[self.control[nearest] != side]), goal

    # ------------------------------------------------------------------ looking up

    def settlement_holder(self, site: int) -> int:
        return int(self.control[self.site_hex[site]])

    def site_hex_of(self, key: str) -> int:
        return int(self.site_hex[self.site_index[key]])

    def positions(self, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x and y (km on the map's plane) of each unit."""
        where = self.forces.hex[units]
        return self.hexmap.x[where], self.hexmap.y[where]

    def enemy_zoc(self, hex_index: int, side: int) -> bool:
        """Whether the hex lies in the zone of control of an active enemy manoeuvre unit."""
        return bool(self.zoc[1 - side, hex_index])

    def weather_factor(self, clear: float, degraded: float, grounded: float) -> float:
        """A factor by weather, averaged over the days of the turn by the hours in each."""
        factors = {"clear": clear, "degraded": degraded, "grounded": grounded}
        return sum(factors[state] * share for state, share in self.this_turn.weather)

    def drone_weather(self) -> float:
        """Share of drone sorties the weather of the turn allows."""
        d = self.params.drones
        return self.weather_factor(1.0, d.degraded_sortie_factor, d.grounded_sortie_factor)

    def uniform(self, site: Site, shape, part: int = 0) -> np.ndarray:
        """This turn's block of uniforms of a site and draw `part` (`sim.battle.dice`)."""
        return self.dice.uniform(site, self.turn, shape, part)

    def km_to_ground_of(self, side: int, units: np.ndarray) -> np.ndarray:
        """Distance from each unit to the nearest hex `side` holds (the front, seen from the enemy)."""
        if units.size == 0:
            return np.zeros(0)
        hm = self.hexmap
        held = self.control == side
        if not held.any():
            return np.full(units.size, np.inf)
        ex, ey = self.front_edge(side, held)
        where = self.forces.hex[units]
        inside = held[where]
        d = np.hypot(hm.x[where][:, None] - ex[None, :], hm.y[where][:, None] - ey[None, :]).min(
            axis=1, initial=np.inf
        )
        return np.where(inside, 0.0, d)

    def front_edge(self, side: int, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (km) of the hexes `side` holds that touch ground it does not: the nearest held
        hex to a unit outside is one of them. Found once for each state of the ground (several
        phases ask in a turn, and the ground often stands still between them)."""
        key = (side, held.tobytes())
        if self._front_edge_key != key:
            nb = self.hexmap.neighbours
            edge = held & (~held[self.hexmap.neighbours_or_zero] & (nb >= 0)).any(axis=1)
            self._front_edge_key = key
            self._front_edge = (self.hexmap.x[edge], self.hexmap.y[edge])
        return self._front_edge

    def strike_effect(
        self, targets: np.ndarray, terrain: np.ndarray, posture: np.ndarray, road: float
    ) -> np.ndarray:
        """Losses per hit on each target relative to a unit in the open (terrain, posture, road, exposure)."""
        f, hm = self.forces, self.hexmap
        where = f.hex[targets]
        return fires.strike_effect(
            terrain[hm.terrain[where]],
            posture[f.posture[targets]],
            hm.road[where] > 0,
            road,
            f.exposure[targets],
        )

    def unit_power_raw(self) -> np.ndarray:
        """Personnel-equivalents of each unit (a target's size), before quality, morale and supply."""
        f = self.forces
        return combat.target_size(f.personnel, f.vehicles, f.active, self.params.combat.vehicle_weight)

    def unit_power(self) -> np.ndarray:
        """Each unit's combat power: strength x quality x morale x supply (`sim.rules.combat`)."""
        f, c = self.forces, self.params.combat
        return combat.combat_power(
            f.personnel * f.active,
            f.vehicles * f.active,
            f.quality,
            f.morale,
            f.supply,
            vehicle_weight=c.vehicle_weight,
            morale_weight=c.morale_weight,
            supply_weight=c.supply_weight,
        )

    def jam_strength(self) -> np.ndarray:
        """Each jammer's strength now: its nominal strength times its crew left, nothing once wrecked."""
        f = self.forces
        return ew.jammer_strength(f.role, f.active, f.vehicles, f.personnel, f.personnel0, f.jam_strength)

    def emitting(self) -> np.ndarray:
        """Jammers on the air now: switched on and with strength left (the others neither jam nor show)."""
        return self.forces.emitting & (self.jam_strength() > 0)

    def density_factor(self, targets: np.ndarray) -> np.ndarray:
        """Troop density around each target relative to `density_reference_per_km2` (for area fire,
        `sim.rules.fires.density_factor`)."""
        if targets.size == 0:
            return np.zeros(0)
        f, hm, a = self.forces, self.hexmap, self.params.artillery
        x, y = hm.x[f.hex], hm.y[f.hex]
        return fires.density_factor(
            x[targets],
            y[targets],
            f.side[targets],
            x,
            y,
            f.side,
            f.personnel,
            f.active,
            a.area_fire_spread_km,
            a.density_reference_per_km2,
        )

    def ua_area_km2(self) -> float:
        """Russian territory held by Ukraine now."""
        return self.hexmap.russian_area_km2(self.control == UA)

    def cut_off_hexes(self, side: int) -> np.ndarray:
        """Hexes `side` holds with no supply route to them (all False if the side has no sources)."""
        if self.supply.sources[side].size == 0:
            return np.zeros(self.hexmap.n, dtype=bool)
        return (self.control == side) & ~np.isfinite(self.supply.cost[side])

    # ------------------------------------------------------------------ changing

    def _occupy(self, i: int, hex_index: int, change: int) -> None:
        """Add (+1) or remove (-1) manoeuvre unit i at a hex in the occupancy and zone-of-control counts."""
        side = self.forces.side[i]
        self.occupancy[side, hex_index] += change
        if self.exerts_zoc[i]:
            self.zoc[side, self.zoc_ball[hex_index]] += change

    def _update_zoc_strength(self) -> None:
        """Units worn below `zoc_min_personnel` stop exerting a zone of control."""
        f = self.forces
        weak = self.exerts_zoc & (f.personnel < self.params.combat.zoc_min_personnel)
        for i in np.flatnonzero(weak & f.active):
            self.zoc[f.side[i], self.zoc_ball[f.hex[i]]] -= 1
        self.exerts_zoc &= ~weak

    def move_unit(self, i: int, to_hex: int) -> None:
        """The one place a unit changes hex: its row and the occupancy counts together."""
        f = self.forces
        if f.role[i] == Role.MANOEUVRE:
            self._occupy(i, int(f.hex[i]), -1)
            self._occupy(i, to_hex, +1)
        f.hex[i] = to_hex

    def take_hex(self, hex_index: int, side: int) -> None:
        """The hex changes hands; support units of the loser standing in it fall back."""
        if self.control[hex_index] == side:
            return
        self.record.hexes_lost[self.control[hex_index]] += 1
        self.control[hex_index] = side
        self.last_change_turn[hex_index] = self.turn
        self.needs_presence[hex_index] = True
        self.garrison[hex_index] = 0.0
        self.record.hexes_changed += 1
        f = self.forces
        for i in np.flatnonzero(f.active & ~f.manoeuvre & (f.side != side) & (f.hex == hex_index)):
            self.retreat(int(i))

    def take_flanks(
        self, origin: int, target: int, side: int, share: float, u: np.ndarray, *, zoc_stops: bool
    ) -> None:
        """The two hexes flanking a move or assault from `origin` into `target` (the neighbours of
        both) fall with it, each with chance `share` (its front's width beyond the hex), where no
        enemy unit stands in them, nor, if `zoc_stops`, covers them with its zone of control."""
        nb = self.hexmap.neighbours
        for h in np.intersect1d(nb[origin][nb[origin] >= 0], nb[target][nb[target] >= 0]):
            h = int(h)
            if self.control[h] == side or self.occupancy[1 - side, h] or u[h] >= share:
                continue
            if zoc_stops and self.enemy_zoc(h, side):
                continue
            self.take_hex(h, side)

    def hand_over(self, hexes: np.ndarray, side: int) -> None:
        """Hexes that change hands without a fight (abandoned pockets, unheld ground)."""
        hexes = hexes[self.control[hexes] != side]
        if hexes.size == 0:
            return
        self.record.hexes_changed += int(hexes.size)
        self.control[hexes] = side
        self.last_change_turn[hexes] = self.turn
        self.needs_presence[hexes] = True
        self.garrison[hexes] = 0.0

    def enter_map(self, i: int, hex_index: int) -> None:
        """Unit i arrives at a hex (a reinforcement); arriving in enemy ground takes the hex."""
        f = self.forces
        f.hex[i] = hex_index
        f.active[i] = True
        if f.role[i] == Role.MANOEUVRE:
            self._occupy(i, hex_index, +1)
            self.manoeuvre_order.append(i)
        self.take_hex(hex_index, int(f.side[i]))

    def take_off_map(self, i: int) -> None:
        """Unit i leaves the map for good (destroyed, or too weak to fight)."""
        f = self.forces
        if not f.active[i]:
            return
        if f.role[i] == Role.MANOEUVRE:
            self._occupy(i, int(f.hex[i]), -1)
            self.manoeuvre_order.remove(i)
        f.active[i] = False

    def record_losses(self, people: np.ndarray, vehicles: np.ndarray, cause: Cause) -> None:
        """Apply losses (never more than a unit has) and count them against their cause."""
        f = self.forces
        people = np.minimum(people, f.personnel)
        vehicles = np.minimum(vehicles, f.vehicles)
        self.this_turn.loss_fraction += people / np.maximum(f.personnel, 1)
        f.personnel -= people
        f.vehicles -= vehicles
        f.lost_by_cause[:, cause] += people
        f.lost_vehicles_by_cause[:, cause] += vehicles
        if self.params.combat.zoc_min_personnel:
            self._update_zoc_strength()

    def nearest_free_hex(self, side: int, near: int) -> int | None:
        """The hex nearest `near` that `side` holds and no enemy manoeuvre unit stands in."""
        hm = self.hexmap
        free = (self.control == side) & (self.occupancy[1 - side] == 0)
        if not free.any():
            return None
        d2 = (hm.x - hm.x[near]) ** 2 + (hm.y - hm.y[near]) ** 2
        return int(np.argmin(np.where(free, d2, np.inf)))

    def retreat(self, i: int) -> None:
        """Unit i, beaten in its hex, falls back to the friendly neighbour nearest its rear."""
        f, hm = self.forces, self.hexmap
        side = int(f.side[i])
        here = int(f.hex[i])
        self.this_turn.pushed_back_km[i] += hm.hex_km
        rear = self.cost_fields.to(self.rear_goal[side])
        options = [
            int(j)
            for j in hm.neighbours[here]
            if j >= 0 and self.control[j] == side and not self.occupancy[1 - side, j]
        ]
        if options:
            self.move_unit(i, min(options, key=lambda j: rear[j]))
            return
        self.break_out(i)

    def break_out(self, i: int) -> None:
        """Unit i, surrounded, loses part of its strength and breaks out to the nearest friendly hex."""
        f = self.forces
        side, here = int(f.side[i]), int(f.hex[i])
        u = self.uniform(Site.RETREAT, (2, f.n))[:, i]
        share = self.params.combat.encircled_loss_fraction
        people = np.zeros(f.n, dtype=np.int64)
        vehicles = np.zeros(f.n, dtype=np.int64)
        people[i] = draws.binomial(u[0], f.personnel[i], share)
        vehicles[i] = draws.binomial(u[1], f.vehicles[i], share)
        self.record_losses(people, vehicles, Cause.COMBAT)
        escape = self.nearest_free_hex(side, here)
        if escape is None:
            self.take_off_map(i)
            return
        self.move_unit(i, escape)


class ZonesOfControl:
    """Per hex, the hexes in the zone of control of a unit standing there (`zoc_ball[h]`).

    A zone of control is a disk of `radius_km`. A hex it covers only in part belongs to it
    with a chance equal to the share covered (about (r - d) / w + 1/2 for a hex of width w
    whose centre is d km away), drawn once per run and hex from `u`: so the ground a zone
    covers is pi r² on average whatever the hex size, not the nearest whole ring of hexes.
    Each hex's zone is worked out the first time a unit stands there (most hexes never
    hold one), from one vectorised draw for the whole map.
    """

    def __init__(self, hm: HexMap, radius_km: float, u: np.ndarray) -> None:
        w = hm.hex_km
        near = hm.within_km(radius_km + w / 2)
        valid = near >= 0
        safe = np.where(valid, near, 0)
        own = np.arange(hm.n)[:, None]
        covered = np.clip((radius_km - hm.km_between(safe, own)) / w + 0.5, 0.0, 1.0)
        self._near = near
        self._member = valid & ((safe == own) | (covered > u[safe]))
        self._zones: dict[int, np.ndarray] = {}

    def __getitem__(self, hex_index) -> np.ndarray:
        h = int(hex_index)
        zone = self._zones.get(h)
        if zone is None:
            zone = self._zones[h] = self._near[h][self._member[h]]
        return zone


def _supply_lines(loaded: LoadedScenario, hm: HexMap, cost_fields: CostFields, units: int) -> SupplyLines:
    """Supply sources and the main route from the scenario; the supply graph shared per process."""
    spec, lp = loaded.spec.logistics, loaded.spec.parameters.logistics
    factors = (lp.secondary_road_factor, lp.main_road_factor)
    network = _SUPPLY_NETWORKS.get(
        (loaded.map_digest, hm.hex_km, hm.cols, factors),
        lambda: SupplyNetwork(hm.neighbours, hm.road_edge, hm.road, hm.hex_km, factors),
    ).copy()
    site_hex = {s.key: s.hex for s in hm.settlements}
    source_sites = []
    for source in spec.sources:
        h = site_hex[source.at] if source.at else hm.nearest_hex(*source.position)
        source_sites.append((source.id, source.name, source.side, int(h)))
    sources = {
        side: np.array([h for _, _, s, h in source_sites if SIDE[s] == side], dtype=np.int64)
        for side in (UA, RU)
    }
    main_route = np.empty(0, dtype=np.int64)
    main_route_side = UA
    on_main_route = np.zeros((2, hm.n), dtype=bool)
    route = spec.main_supply_route
    if route is not None:
        main_route_side = SIDE[route.side]
        main_route = road_route(cost_fields.to(site_hex[route.end]), site_hex[route.start], hm.neighbours)
        on_main_route[main_route_side, main_route] = True
    return SupplyLines(
        network=network,
        sources=sources,
        source_sites=source_sites,
        main_route=main_route,
        main_route_side=main_route_side,
        on_main_route=on_main_route,
        interdiction=np.zeros((2, hm.n)),
        cost=np.zeros((2, hm.n)),
        cut_off=np.zeros(units, dtype=bool),
    )
