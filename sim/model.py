"""The Mesa model: one step is one turn, played in the eight phases of DESIGN §2.

    1 reconnaissance  2 air  3 electronic warfare  4 fires
    5 manoeuvre       6 ground combat  7 logistics and morale  8 control and records

The support phases (1-4 and the supply half of 7) live in `sim.phases`, one
module each; manoeuvre, ground combat, morale and control are here. Every phase
calls pure rules from `sim.rules` on the arrays of `sim.forces.Forces`; the model
only gathers inputs and applies results.

All randomness comes from the model's two generators, seeded once: `self.rng`
(NumPy, for the vectorised rules) and `self.random` (for the order in which units
act and for doctrine's coin flips).
"""

from __future__ import annotations

import numpy as np
from mesa import Model
from mesa.datacollection import DataCollector

from sim import doctrine, outcomes
from sim.agents import AirDefence, Battery, DroneTeam, Jammer, Settlement, Unit
from sim.codes import POSTURES, SIDES, WEATHER_STATES
from sim.forces import CAUSE, POSTURE, ROLE, Forces
from sim.geography import RU, TERRAIN_NAMES, UA, GeoHexGrid, HexMap, build_hexmap
from sim.phases import air, ew, fires, logistics, recon
from sim.rules import combat, control, morale
from sim.rules.control import undirected_edges
from sim.rules.movement import CostFields, edge_costs
from sim.scenario import LoadedScenario

LAYERS = ("terrain", "road", "river", "country", "settlement", "control")

_MOVEMENT_CACHE: dict[tuple, tuple[np.ndarray, CostFields]] = {}


def _movement_tables(loaded: LoadedScenario, hexmap: HexMap) -> tuple[np.ndarray, CostFields]:
    """Step costs and the cost-field cache; shared by every run of a scenario in a process."""
    movement = loaded.spec.parameters.movement
    key = (loaded.map_digest, hexmap.hex_km, hexmap.cols, movement)  # frozen models hash by value
    if key not in _MOVEMENT_CACHE:
        costs = edge_costs(
            hexmap.terrain,
            hexmap.river,
            hexmap.neighbours,
            hexmap.road_edge,
            hex_km=hexmap.hex_km,
            terrain_cost=np.array([getattr(movement.terrain_cost, t) for t in TERRAIN_NAMES]),
            road_cost=movement.road_cost,
            river_crossing_cost=movement.river_crossing_cost,
        )
        if len(_MOVEMENT_CACHE) > 16:
            _MOVEMENT_CACHE.clear()
        _MOVEMENT_CACHE[key] = (costs, CostFields(hexmap.neighbours, costs))
    return _MOVEMENT_CACHE[key]


def flat_layer(grid: GeoHexGrid, name: str) -> np.ndarray:
    """A flat, writable view of a property layer (the one place that touches layer internals)."""
    return getattr(grid, name).data.reshape(-1)


class SudzhaModel(Model):
    """The fighting around Sudzha on a hex map, one turn per step."""

    def __init__(self, scenario: LoadedScenario, rng: int | None = None):
        super().__init__(rng=rng)
        self.loaded = scenario
        self.spec = scenario.spec
        self.params = self.spec.parameters
        self.turn = 0
        self.days_per_turn = self.spec.turn_hours / 24.0

        self.hexmap = build_hexmap(
            scenario.map,
            self.spec.hex_km,
            self.params.terrain.urban_min_population,
            cache_key=scenario.map_digest,
        )
        hm = self.hexmap
        self.step_costs, self.cost_fields = _movement_tables(scenario, hm)

        self.grid = GeoHexGrid((hm.cols, hm.rows), torus=False, random=self.random)
        for name, values in (
            ("terrain", hm.terrain),
            ("road", hm.road),
            ("river", hm.river),
            ("country", hm.country),
            ("settlement", hm.settlement_at),
            ("control", hm.initial_control(self.spec.line_of_control)),
        ):
            self.grid.create_property_layer(name, default_value=0, dtype=values.dtype.type)
            flat_layer(self.grid, name)[:] = values
        self.control = flat_layer(self.grid, "control")
        self.initial_ua_area_km2 = hm.russian_area_km2(self.control == UA)

        # objectives: the map's values, replaced where the scenario says
        self.sites = hm.settlements
        self.objective_value = np.array(
            [self.spec.objectives.get(s.key, s.value) for s in self.sites], dtype=float
        )
        self.site_index = {s.key: i for i, s in enumerate(self.sites)}
        self.site_hex = np.array([s.hex for s in self.sites], dtype=np.int64)
        self.settlements = [
            Settlement(self, s.key, s.name, self.objective_value[i], s.hex, self.grid[hm.coord(s.hex)])
            for i, s in enumerate(self.sites)
        ]

        # each side's rear: Ukraine itself for UA, the Russian map edges for RU
        col, row = np.divmod(np.arange(hm.n), hm.rows)
        edge = (col == 0) | (col == hm.cols - 1) | (row == 0) | (row == hm.rows - 1)
        self.anchors = {UA: hm.country == UA, RU: edge & (hm.country == RU)}
        self.rear_goal = {side: tuple(np.flatnonzero(mask).tolist()) for side, mask in self.anchors.items()}
        self.edges = undirected_edges(hm.neighbours)

        self.doctrine = {code: getattr(self.spec.sides, side).doctrine for code, side in enumerate(SIDES)}
        c = self.params.combat
        self.terrain_defence = self.by_terrain(c.terrain_defence)
        self.posture_defence = self.by_posture(c.posture_defence)

        self.forces = Forces.from_scenario(self.spec, hm)
        f = self.forces
        # stacking and zones of control count manoeuvre units only
        self.occupancy = np.zeros((2, hm.n), dtype=np.int16)
        self.zoc = np.zeros((2, hm.n), dtype=np.int16)
        """Per side and hex: how many of the side's manoeuvre units have the hex in their zone of control."""
        self.zoc_ball = [row[row >= 0] for row in hm.ball(self.params.combat.zoc_radius)]
        self.exerts_zoc = f.manoeuvre & (f.personnel >= self.params.combat.zoc_min_personnel)
        for i in np.flatnonzero(f.active & f.manoeuvre):
            self._occupy(int(i), int(f.hex[i]), +1)
        agent_class = {
            ROLE["manoeuvre"]: Unit,
            ROLE["artillery"]: Battery,
            ROLE["air_defence"]: AirDefence,
            ROLE["drone_team"]: DroneTeam,
            ROLE["jammer"]: Jammer,
        }
        self._agent_class = agent_class
        self.unit_agents: list = [
            agent_class[f.role[i]](self, i, self.grid[hm.coord(f.hex[i])]) if f.active[i] else None
            for i in range(f.n)
        ]
        # units standing in enemy-held ground at the start take it
        for i in np.flatnonzero(f.active):
            self.control[f.hex[i]] = f.side[i]

        self.weather = "clear"
        self.turn_record = outcomes.TurnRecord()
        for phase in (recon, air, ew, fires, logistics):
            phase.setup(self)

        self.nearest_enemy_km = np.full(f.n, np.inf)
        self.turn_loss_fraction = np.zeros(f.n)
        self.in_combat = np.zeros(f.n, dtype=bool)
        self.defeated = np.zeros(f.n, dtype=bool)
        self.assaults: dict[int, list[int]] = {}
        self.totals = outcomes.RunTotals()
        self.datacollector = DataCollector(model_reporters=outcomes.model_reporters())
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ helpers

    @property
    def units(self):
        """The Mesa AgentSet of units still on the map."""
        return self.agents_by_type[Unit]

    def settlement_holder(self, site: int) -> int:
        return int(self.control[self.site_hex[site]])

    def site_hex_of(self, key: str) -> int:
        return int(self.site_hex[self.site_index[key]])

    def layer(self, name: str) -> np.ndarray:
        """Flat view of a grid property layer."""
        return flat_layer(self.grid, name)

    @staticmethod
    def by_terrain(table) -> np.ndarray:
        """A per-terrain parameter table as an array indexed by terrain code."""
        return np.array([getattr(table, t) for t in TERRAIN_NAMES])

    @staticmethod
    def by_posture(table) -> np.ndarray:
        """A per-posture parameter table as an array indexed by posture code."""
        return np.array([getattr(table, p) for p in POSTURES])

    def drone_weather(self) -> float:
        """Share of drone sorties the day's weather allows."""
        d = self.params.drones
        return {"clear": 1.0, "degraded": d.degraded_sortie_factor, "grounded": d.grounded_sortie_factor}[
            self.weather
        ]

    def km_to_ground_of(self, side: int, units: np.ndarray) -> np.ndarray:
        """Distance from each unit to the nearest hex `side` holds (the front, seen from the enemy)."""
        if units.size == 0:
            return np.zeros(0)
        hm = self.hexmap
        held = self.control == side
        if not held.any():
            return np.full(units.size, np.inf)
        nb = hm.neighbours
        # the nearest held hex to a unit outside is on the edge of the held ground
        edge = held & (~held[np.where(nb >= 0, nb, 0)] & (nb >= 0)).any(axis=1)
        where = self.forces.hex[units]
        inside = held[where]
        ex, ey = hm.x[edge], hm.y[edge]
        d = np.hypot(hm.x[where][:, None] - ex[None, :], hm.y[where][:, None] - ey[None, :]).min(
            axis=1, initial=np.inf
        )
        return np.where(inside, 0.0, d)

    def strike_effect(
        self, targets: np.ndarray, terrain: np.ndarray, posture: np.ndarray, road: float
    ) -> np.ndarray:
        """Losses per hit on each target relative to a unit in the open (terrain, posture, road, exposure)."""
        f, hm = self.forces, self.hexmap
        where = f.hex[targets]
        on_road = np.where(hm.road[where] > 0, road, 1.0)
        return terrain[hm.terrain[where]] * posture[f.posture[targets]] * on_road * f.exposure[targets]

    def unit_power_raw(self) -> np.ndarray:
        """Personnel-equivalents of each unit (a target's size), before quality, morale and supply."""
        f = self.forces
        return (f.personnel + self.params.combat.vehicle_weight * f.vehicles) * f.active

    def unit_power(self) -> np.ndarray:
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

    def enemy_zoc(self, hex_index: int, side: int) -> bool:
        """Whether the hex lies in the zone of control of an active enemy manoeuvre unit."""
        return bool(self.zoc[1 - side, hex_index])

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
        """The one place a unit changes hex: roster, occupancy and Mesa cell together."""
        f = self.forces
        if f.role[i] == ROLE["manoeuvre"]:
            self._occupy(i, int(f.hex[i]), -1)
            self._occupy(i, to_hex, +1)
        f.hex[i] = to_hex
        self.unit_agents[i].cell = self.grid[self.hexmap.coord(to_hex)]

    def take_hex(self, hex_index: int, side: int) -> None:
        """The hex changes hands; support units of the loser standing in it fall back."""
        if self.control[hex_index] == side:
            return
        self.turn_record.hexes_lost[self.control[hex_index]] += 1
        self.control[hex_index] = side
        self.turn_record.hexes_changed += 1
        f = self.forces
        for i in np.flatnonzero(f.active & ~f.manoeuvre & (f.side != side) & (f.hex == hex_index)):
            self.defeated[i] = True
            self._retreat(int(i))

    def take_off_map(self, i: int) -> None:
        f = self.forces
        if not f.active[i]:
            return
        if f.role[i] == ROLE["manoeuvre"]:
            self._occupy(i, int(f.hex[i]), -1)
        f.active[i] = False
        self.unit_agents[i].remove()

    # ------------------------------------------------------------------ the turn

    def step(self) -> None:
        self.turn += 1
        self.turn_record = outcomes.TurnRecord()
        f = self.forces
        self.turn_loss_fraction = np.zeros(f.n)
        self.in_combat = np.zeros(f.n, dtype=bool)
        self.defeated = np.zeros(f.n, dtype=bool)
        self.weather = self._draw_weather()
        f.apply_orders(self.turn, self.site_index)
        self._arrivals()
        self.reconnaissance()
        self.air()
        self.electronic_warfare()
        self.fires()
        self.manoeuvre()
        self.ground_combat()
        self.logistics_and_morale()
        self.control_and_records()
        self.datacollector.collect(self)
        if self.turn >= self.spec.turns:
            self.running = False

    def _arrivals(self) -> None:
        """Units due this turn enter the map; one arriving in undefended enemy ground takes its hex."""
        f, hm = self.forces, self.hexmap
        for i in np.flatnonzero((f.arrive_turn == self.turn) & ~f.active & (f.personnel > 0)):
            i, here = int(i), int(f.hex[i])
            side = int(f.side[i])
            if self.occupancy[1 - side, here]:
                # the enemy stands there: come in at the nearest hex the side holds that is free of it
                free = (self.control == side) & (self.occupancy[1 - side] == 0)
                here = int(
                    np.argmin(np.where(free, (hm.x - hm.x[here]) ** 2 + (hm.y - hm.y[here]) ** 2, np.inf))
                )
                f.hex[i] = here
            f.active[i] = True
            if f.role[i] == ROLE["manoeuvre"]:
                self._occupy(i, here, +1)
            self.unit_agents[i] = self._agent_class[f.role[i]](self, i, self.grid[hm.coord(here)])
            self.take_hex(here, side)

    def _draw_weather(self) -> str:
        weather = self.spec.weather
        if self.turn <= len(weather.sequence):
            return weather.sequence[self.turn - 1]
        p = np.array([getattr(weather, state) for state in WEATHER_STATES])
        return WEATHER_STATES[int(self.rng.choice(len(p), p=p / p.sum()))]

    def reconnaissance(self) -> None:
        """Phase 1: each side draws which enemy units it sees, helped by recon drones (`sim.phases.recon`)."""
        recon.run(self)

    def air(self) -> None:
        """Phase 2: sorties against air defence, glide bombs, air superiority (`sim.phases.air`)."""
        air.run(self)

    def electronic_warfare(self) -> None:
        """Phase 3: each side's jamming coverage over every hex (`sim.phases.ew`)."""
        ew.run(self)

    def fires(self) -> None:
        """Phase 4: artillery, then FPV strike drones, on detected targets (`sim.phases.fires`)."""
        fires.run(self)

    def manoeuvre(self) -> None:
        """Phase 5: units, in random order, follow doctrine towards their goals.

        A unit walks downhill on the cost field of its goal, spending its speed on
        step costs. Only attacking units enter enemy-held ground: they stop before
        a hex within an enemy unit's zone of control (and, if they mean to assault
        this turn, register an assault on it); undefended enemy ground they take as
        they go, paying `occupation_cost_factor` times the step's cost. Other units
        stop at the edge of their side's ground.
        """
        self.assaults = {}
        self.manoeuvre_power = self.unit_power()  # nobody is hurt while units move: computed once
        self.units.shuffle_do(self._manoeuvre_unit)

    def _manoeuvre_unit(self, agent: Unit) -> None:
        f = self.forces
        i = agent.idx
        if not f.active[i]:
            return
        plan = doctrine.intent(self, i)
        if plan.goal is None:
            return
        side = int(f.side[i])
        limit = self.params.movement.stacking_limit
        hexes, costs = self.cost_fields.routes(plan.goal)
        occupation = self.params.movement.occupation_cost_factor
        here = int(f.hex[i])
        budget = f.speed_km_day[i] * self.days_per_turn
        if self.enemy_zoc(here, side):
            budget *= self.params.movement.contact_speed_factor
        while budget > 0:
            options = hexes[here]
            k = next((k for k, j in enumerate(options) if self.occupancy[side, j] < limit), None)
            if k is None:
                return
            step = options[k]
            hostile = self.control[step] != side
            if hostile and not plan.advance:
                return
            if self.occupancy[1 - side, step] or (hostile and self.enemy_zoc(step, side)):
                if plan.assault and doctrine.worth_assaulting(self, i, step):
                    self.assaults.setdefault(step, []).append(i)
                return
            # undefended enemy ground is taken on the way, at a price in time
            budget -= costs[here][k] * (occupation if hostile else 1.0)
            self.move_unit(i, step)
            here = step
            if hostile:
                self.take_hex(step, side)
                if self.enemy_zoc(here, side):
                    return  # in contact now: no further this turn

    def ground_combat(self) -> None:
        """Phase 6: resolve all assaults at once (`sim.rules.combat`), then retreat and advance."""
        f, hm, c = self.forces, self.hexmap, self.params.combat
        if not self.assaults:
            return
        targets = np.fromiter(self.assaults, dtype=np.int64)
        n_e = targets.size
        attack_share = np.zeros((n_e, f.n))
        for e, attackers in enumerate(self.assaults.values()):
            attack_share[e, attackers] = [self.doctrine[f.side[a]].assault_commitment for a in attackers]
        attacker_side = np.array([f.side[a[0]] for a in self.assaults.values()])

        # defenders: every active unit of the other side in the hex, and zoc_share^k of those k steps away
        defending = f.active[None, :] & (f.side[None, :] != attacker_side[:, None])
        steps = hm.distance(targets[:, None], f.hex[None, :])
        in_hex = defending & (steps == 0)
        in_zone = defending & (steps <= c.zoc_radius)
        defence_share = np.where(in_zone, c.zoc_share**steps, 0.0)
        committed = defence_share.sum(axis=0)
        defence_share /= np.maximum(committed, 1.0)[None, :]
        defence_multiplier = (
            self.terrain_defence[hm.terrain[targets]][:, None] * self.posture_defence[f.posture][None, :]
        )

        attack_factor = np.ones(n_e)
        for e, (target, attackers) in enumerate(self.assaults.items()):
            if hm.river[target] and not any(
                hm.road_edge[f.hex[a]][hm.neighbours[f.hex[a]] == target].any() for a in attackers
            ):
                attack_factor[e] *= c.river_attack_factor
            seen_defenders = in_hex[e] & f.detected
            if in_hex[e].any() and not seen_defenders.any():
                attack_factor[e] *= c.blind_attack_factor
            if not f.detected[attackers].any():
                attack_factor[e] *= c.surprise_factor

        result = combat.resolve(
            combat.Engagements(attack_share, defence_share, attack_factor, np.ones(n_e)),
            self.unit_power(),
            defence_multiplier,
            f.exposure,
            rates=dict(
                attacker_rate=c.attacker_loss_rate,
                defender_rate=c.defender_loss_rate,
                attacker_max=c.attacker_max_loss_rate,
                defender_max=c.defender_max_loss_rate,
                intensity=c.intensity,
                exponent=c.ratio_exponent,
                noise=c.loss_noise,
                days=self.days_per_turn,
            ),
            threshold=c.breakthrough_ratio,
            steepness=c.breakthrough_steepness,
            rng=self.rng,
        )
        self.in_combat |= (attack_share.sum(axis=0) + defence_share.sum(axis=0)) > 0
        self._apply_losses(result.unit_loss_fraction)
        self.turn_record.assaults += n_e
        self.turn_record.assaults_by_side += np.bincount(attacker_side, minlength=2)
        self.turn_record.captures_by_side += np.bincount(attacker_side[result.captured], minlength=2)

        power = self.unit_power()
        for e in np.flatnonzero(result.captured):
            target = int(targets[e])
            side = int(attacker_side[e])
            for d in np.flatnonzero(in_hex[e] & f.active):
                self.defeated[d] = True
                self._retreat(int(d))
            attackers = [a for a in self.assaults[target] if f.active[a]]
            if attackers and not self.occupancy[1 - side, target]:
                lead = max(attackers, key=lambda a: power[a])
                if self.occupancy[side, target] < self.params.movement.stacking_limit:
                    self.move_unit(lead, target)
                self.take_hex(target, side)

    def _apply_losses(self, loss_fraction: np.ndarray) -> None:
        f = self.forces
        people, vehicles = combat.draw_losses(
            f.personnel, f.vehicles, loss_fraction, self.params.combat.vehicle_loss_factor, self.rng
        )
        self.record_losses(people, vehicles, "combat")

    def record_losses(self, people: np.ndarray, vehicles: np.ndarray, cause: str) -> None:
        """Apply losses (never more than a unit has) and count them against their cause."""
        f = self.forces
        people = np.minimum(people, f.personnel)
        vehicles = np.minimum(vehicles, f.vehicles)
        self.turn_loss_fraction += people / np.maximum(f.personnel, 1)
        f.personnel -= people
        f.vehicles -= vehicles
        f.lost_personnel += people
        f.lost_vehicles += vehicles
        f.lost_by_cause[:, CAUSE[cause]] += people
        f.lost_vehicles_by_cause[:, CAUSE[cause]] += vehicles
        if self.params.combat.zoc_min_personnel:
            self._update_zoc_strength()

    def _retreat(self, i: int) -> None:
        """Unit i, beaten in its hex, falls back to the friendly neighbour nearest its rear."""
        f, hm = self.forces, self.hexmap
        side = int(f.side[i])
        here = int(f.hex[i])
        rear = self.cost_fields.to(self.rear_goal[side])
        options = [
            int(j)
            for j in hm.neighbours[here]
            if j >= 0 and self.control[j] == side and not self.occupancy[1 - side, j]
        ]
        if options:
            self.move_unit(i, min(options, key=lambda j: rear[j]))
            return
        # surrounded: part of the unit is lost, the rest breaks out to the nearest friendly hex
        lost = self.rng.binomial(f.personnel[i], self.params.combat.encircled_loss_fraction)
        lost_vehicles = self.rng.binomial(f.vehicles[i], self.params.combat.encircled_loss_fraction)
        people = np.zeros(f.n, dtype=np.int64)
        vehicles = np.zeros(f.n, dtype=np.int64)
        people[i], vehicles[i] = lost, lost_vehicles
        self.record_losses(people, vehicles, "combat")
        free = (self.control == side) & (self.occupancy[1 - side] == 0)
        if not free.any():
            self.take_off_map(i)
            return
        d2 = (hm.x - hm.x[here]) ** 2 + (hm.y - hm.y[here]) ** 2
        self.move_unit(i, int(np.argmin(np.where(free, d2, np.inf))))

    def logistics_and_morale(self) -> None:
        """Phase 7: supply traced and delivered (`sim.phases.logistics`), then morale (`sim.rules.morale`)."""
        f, m = self.forces, self.params.morale
        logistics.run(self)
        self._resupply()
        f.morale = morale.update_morale(
            f.morale,
            f.morale0,
            self.turn_loss_fraction,
            self.defeated,
            self.in_combat,
            f.posture == POSTURE["reserve"],
            loss_sensitivity=m.loss_sensitivity,
            defeat_penalty=m.defeat_penalty,
            recovery=m.recovery_per_day,
            reserve_recovery=m.reserve_recovery_per_day,
            days=self.days_per_turn,
        )
        f.broken = morale.broken_state(
            f.morale, f.broken, break_at=m.break_threshold, rally_at=m.rally_threshold
        )
        spent = f.active & (f.personnel < self.params.combat.ineffective_fraction * f.personnel0)
        for i in np.flatnonzero(spent):
            self.take_off_map(int(i))

    def _claim_uncontested_ground(self) -> None:
        """Units take the enemy-held hexes around them that no enemy zone of control covers."""
        f = self.forces
        radius = self.params.movement.control_radius
        if radius <= 0:
            return
        ball = self.hexmap.ball(radius)
        for side in (UA, RU):
            units = f.active & f.manoeuvre & (f.side == side) & ~f.broken
            if not units.any():
                continue
            near = ball[f.hex[units]].ravel()
            near = near[near >= 0]
            claim = near[(self.control[near] != side) & (self.zoc[1 - side, near] == 0)]
            for h in np.unique(claim):
                self.take_hex(int(h), side)

    def _resupply(self) -> None:
        """Rounds, missiles and drones delivered this turn: the daily resupply scaled by the unit's supply."""
        f = self.forces
        delivered = np.floor(f.resupply_per_day * self.days_per_turn * np.clip(f.supply, 0.0, 1.0)).astype(
            np.int64
        )
        f.ammo = np.minimum(f.ammo + delivered * f.active, np.maximum(f.ammo_capacity, f.ammo))

    def control_and_records(self) -> None:
        """Phase 8: abandoned pockets change hands (`sim.rules.control`); the turn is recorded."""
        f = self.forces
        self._claim_uncontested_ground()
        for side in (UA, RU):
            if not self.turn_record.hexes_lost[side]:
                continue  # gaining ground never cuts a side into pockets
            occupied = np.zeros(self.hexmap.n, dtype=bool)
            occupied[f.hex[f.active & (f.side == side)]] = True
            lost = control.abandoned_pockets(self.control, side, self.anchors[side], occupied, self.edges)
            if lost.any():
                self.turn_record.hexes_changed += int(lost.sum())
                self.control[lost] = 1 - side
        self.totals.add(self.turn_record, self.air_superiority >= self.params.air.superiority_threshold)
