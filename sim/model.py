"""The Mesa model: one step is one turn, played in the eight phases of DESIGN §2.

    1 reconnaissance  2 air  3 electronic warfare  4 fires
    5 manoeuvre       6 ground combat  7 logistics and morale  8 control and records

Phases 2-4 and the logistics half of 7 are named places in the turn that later
model versions fill (aviation, drones and EW, artillery, supply); today they
change nothing. Every phase calls pure rules from `sim.rules` on the arrays of
`sim.forces.Forces`; the model only gathers inputs and applies results.

All randomness comes from the model's two generators, seeded once: `self.rng`
(NumPy, for the vectorised rules) and `self.random` (for the order in which units
act and for doctrine's coin flips).
"""

from __future__ import annotations

import json

import numpy as np
from mesa import Model
from mesa.datacollection import DataCollector
from mesa.discrete_space import HexGrid

from sim import doctrine, outcomes
from sim.agents import Settlement, Unit
from sim.forces import POSTURE, Forces
from sim.geography import RU, TERRAIN_NAMES, UA, HexMap, build_hexmap
from sim.loading import LoadedScenario
from sim.rules import combat, control, detection, morale
from sim.rules.movement import CostFields, downhill_order, edge_costs
from sim.scenario import POSTURES, SIDES

LAYERS = ("terrain", "road", "river", "country", "settlement", "control")

_MOVEMENT_CACHE: dict[tuple, tuple[np.ndarray, CostFields]] = {}


def _movement_tables(loaded: LoadedScenario, hexmap: HexMap) -> tuple[np.ndarray, CostFields]:
    """Step costs and the cost-field cache; shared by every run of a scenario in a process."""
    movement = loaded.spec.parameters.movement
    key = (loaded.map_digest, hexmap.hex_km, hexmap.cols, json.dumps(movement.model_dump(), sort_keys=True))
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


def flat_layer(grid: HexGrid, name: str) -> np.ndarray:
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

        self.grid = HexGrid((hm.cols, hm.rows), torus=False, random=self.random)
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
        self.rear_goal = {side: tuple(np.flatnonzero(mask)) for side, mask in self.anchors.items()}

        self.doctrine = {code: getattr(self.spec.sides, side).doctrine for code, side in enumerate(SIDES)}
        self.recon_effort = np.array([getattr(self.spec.sides, s).recon_effort for s in SIDES])
        c = self.params.combat
        self.terrain_defence = np.array([getattr(c.terrain_defence, t) for t in TERRAIN_NAMES])
        self.posture_defence = np.array([getattr(c.posture_defence, p) for p in POSTURES])
        d = self.params.detection
        self.terrain_exposure = np.array([getattr(d.terrain_exposure, t) for t in TERRAIN_NAMES])
        self.posture_exposure = np.array([getattr(d.posture_exposure, p) for p in POSTURES])

        self.forces = Forces.from_scenario(self.spec, hm)
        f = self.forces
        self.occupancy = np.zeros((2, hm.n), dtype=np.int16)
        np.add.at(self.occupancy, (f.side[f.active], f.hex[f.active]), 1)
        self.unit_agents = [Unit(self, i, self.grid[hm.coord(f.hex[i])]) for i in range(f.n)]
        # units standing in enemy-held ground at the start take it
        for i in np.flatnonzero(f.active):
            self.control[f.hex[i]] = f.side[i]

        self.nearest_enemy_km = np.full(f.n, np.inf)
        self.assaults: dict[int, list[int]] = {}
        self.turn_record = outcomes.TurnRecord()
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
        """Whether an active enemy unit stands within its zone of control of the hex."""
        f = self.forces
        enemy = f.active & (f.side != side)
        if not enemy.any():
            return False
        return bool(self.hexmap.distance(f.hex[enemy], hex_index).min() <= self.params.combat.zoc_radius)

    def move_unit(self, i: int, to_hex: int) -> None:
        """The one place a unit changes hex: roster, occupancy and Mesa cell together."""
        f = self.forces
        self.occupancy[f.side[i], f.hex[i]] -= 1
        self.occupancy[f.side[i], to_hex] += 1
        f.hex[i] = to_hex
        self.unit_agents[i].cell = self.grid[self.hexmap.coord(to_hex)]

    def take_hex(self, hex_index: int, side: int) -> None:
        if self.control[hex_index] != side:
            self.control[hex_index] = side
            self.turn_record.hexes_changed += 1

    def take_off_map(self, i: int) -> None:
        f = self.forces
        if not f.active[i]:
            return
        self.occupancy[f.side[i], f.hex[i]] -= 1
        f.active[i] = False
        self.unit_agents[i].remove()

    # ------------------------------------------------------------------ the turn

    def step(self) -> None:
        self.turn += 1
        self.turn_record = outcomes.TurnRecord()
        self.forces.apply_orders(self.turn, self.site_index)
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

    def reconnaissance(self) -> None:
        """Phase 1: each side draws which enemy units it sees (`sim.rules.detection`)."""
        f, hm = self.forces, self.hexmap
        x, y = hm.x[f.hex], hm.y[f.hex]
        self.nearest_enemy_km = detection.nearest_enemy_km(x, y, f.side, f.active)
        exposure = self.terrain_exposure[hm.terrain[f.hex]] * self.posture_exposure[f.posture] * f.exposure
        f.detected = detection.detect(
            x=x,
            y=y,
            side=f.side,
            active=f.active,
            exposure=exposure,
            effort_by_side=self.recon_effort,
            range_km=self.params.detection.range_km,
            rng=self.rng,
        )

    def air(self) -> None:
        """Phase 2: aviation against air defence, glide-bomb strikes. Not modelled yet."""

    def electronic_warfare(self) -> None:
        """Phase 3: jammer coverage against radio-controlled drones. Not modelled yet."""

    def fires(self) -> None:
        """Phase 4: artillery and FPV drones against detected targets. Not modelled yet."""

    def manoeuvre(self) -> None:
        """Phase 5: units, in random order, follow doctrine towards their goals.

        A unit walks downhill on the cost field of its goal, spending its speed on
        step costs. Only attacking units enter enemy-held ground: they stop before
        a hex within an enemy unit's zone of control (and, if they mean to assault
        this turn, register an assault on it), or walk into undefended enemy ground,
        take it, and stop there. Other units stop at the edge of their side's ground.
        """
        f = self.forces
        limit = self.params.movement.stacking_limit
        contact_factor = self.params.movement.contact_speed_factor
        neighbours = self.hexmap.neighbours
        self.assaults = {}
        for agent in self.units.shuffle():
            i = agent.idx
            if not f.active[i]:
                continue
            plan = doctrine.intent(self, i)
            if plan.goal is None:
                continue
            side = int(f.side[i])
            field = self.cost_fields.to(plan.goal)
            here = int(f.hex[i])
            budget = f.speed_km_day[i] * self.days_per_turn
            if self.enemy_zoc(here, side):
                budget *= contact_factor
            while budget > 0:
                step = next(
                    (
                        int(j)
                        for j in downhill_order(field, here, neighbours)
                        if self.occupancy[side, j] < limit
                    ),
                    None,
                )
                if step is None:
                    break
                hostile = self.control[step] != side
                if hostile and not plan.advance:
                    break
                if self.occupancy[1 - side, step] or (hostile and self.enemy_zoc(step, side)):
                    if plan.assault and doctrine.worth_assaulting(self, i, step):
                        self.assaults.setdefault(step, []).append(i)
                    break
                budget -= self.step_costs[here, int(np.flatnonzero(neighbours[here] == step)[0])]
                self.move_unit(i, step)
                here = step
                if hostile:
                    self.take_hex(step, side)
                    break

    def ground_combat(self) -> None:
        """Phase 6: resolve all assaults at once (`sim.rules.combat`), then retreat and advance."""
        f, hm, c = self.forces, self.hexmap, self.params.combat
        self.turn_loss_fraction = np.zeros(f.n)
        self.in_combat = np.zeros(f.n, dtype=bool)
        self.defeated = np.zeros(f.n, dtype=bool)
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
        self.in_combat = (attack_share.sum(axis=0) + defence_share.sum(axis=0)) > 0
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
        self._record_losses(people, vehicles)

    def _record_losses(self, people: np.ndarray, vehicles: np.ndarray) -> None:
        f = self.forces
        before = np.maximum(f.personnel, 1)
        self.turn_loss_fraction += people / before
        f.personnel -= people
        f.vehicles -= vehicles
        f.lost_personnel += people
        f.lost_vehicles += vehicles

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
        self._record_losses(people, vehicles)
        free = (self.control == side) & (self.occupancy[1 - side] == 0)
        if not free.any():
            self.take_off_map(i)
            return
        d2 = (hm.x - hm.x[here]) ** 2 + (hm.y - hm.y[here]) ** 2
        self.move_unit(i, int(np.argmin(np.where(free, d2, np.inf))))

    def logistics_and_morale(self) -> None:
        """Phase 7: supply (not modelled yet: units keep their supply) and morale (`sim.rules.morale`)."""
        f, m = self.forces, self.params.morale
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

    def control_and_records(self) -> None:
        """Phase 8: abandoned pockets change hands (`sim.rules.control`); the turn is recorded."""
        if self.turn_record.hexes_changed:
            for side in (UA, RU):
                lost = control.abandoned_pockets(
                    self.control, side, self.anchors[side], self.occupancy[side] > 0, self.hexmap.neighbours
                )
                if lost.any():
                    self.turn_record.hexes_changed += int(lost.sum())
                    self.control[lost] = 1 - side
        self.totals.add(self.turn_record)
