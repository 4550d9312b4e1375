"""Phase 5, manoeuvre: units, in random order, follow doctrine towards their goals.

A unit walks downhill on the cost field of its goal (`sim.rules.movement`),
spending its speed on step costs. Only attacking units enter enemy-held ground:
they stop before a hex within an enemy unit's zone of control (and, if they mean
to assault this turn, register an assault on it for phase 6); undefended enemy
ground they take as they go, paying `occupation_cost_factor` times the step's
cost. Other units stop at the edge of their side's ground.
"""

from __future__ import annotations

from sim.battle.battlefield import Battlefield
from sim.turn import doctrine


def run(bf: Battlefield) -> None:
    bf.this_turn.assaults = {}
    bf.this_turn.manoeuvre_power = bf.unit_power()  # nobody is hurt while units move: computed once
    order = list(bf.manoeuvre_order)
    bf.random.shuffle(order)
    for i in order:
        move(bf, i)


def move(bf: Battlefield, i: int) -> None:
    """Unit i's move this turn: towards its goal while its speed lasts."""
    f = bf.forces
    if not f.active[i]:
        return
    plan = doctrine.intent(bf, i)
    if plan.goal is None:
        return
    side = int(f.side[i])
    movement = bf.params.movement
    limit = movement.stacking_limit
    hexes, costs = bf.cost_fields.routes(plan.goal)
    here = int(f.hex[i])
    budget = f.speed_km_day[i] * bf.days_per_turn
    if bf.enemy_zoc(here, side):
        budget *= movement.contact_speed_factor
    while budget > 0:
        options = hexes[here]
        k = next((k for k, j in enumerate(options) if bf.occupancy[side, j] < limit), None)
        if k is None:
            return
        step = options[k]
        hostile = bf.control[step] != side
        if hostile and not plan.advance:
            return
        if bf.occupancy[1 - side, step] or (hostile and bf.enemy_zoc(step, side)):
            if plan.assault and doctrine.worth_assaulting(bf, i, step):
                bf.this_turn.assaults.setdefault(step, []).append(i)
            return
        # undefended enemy ground is taken on the way, at a price in time
        budget -= costs[here][k] * (movement.occupation_cost_factor if hostile else 1.0)
        bf.move_unit(i, step)
        here = step
        if hostile:
            bf.take_hex(step, side)
            if bf.enemy_zoc(here, side):
                return  # in contact now: no further this turn
