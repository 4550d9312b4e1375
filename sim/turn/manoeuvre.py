"""Phase 5, manoeuvre: units, in random order, follow doctrine towards their goals.

A unit walks downhill on the cost field of its goal (`sim.rules.movement`). Its
speed (km/day, times the turn's days) fills a movement budget; a step is taken only
when the budget covers its cost, and an unfinished step's budget carries over to the
next turn, so a unit covers the same ground in a day whatever the turn length. Only
attacking units enter enemy-held ground: they stop before a hex within an enemy
unit's zone of control or held by the enemy's garrison (`garrison_per_km2`), and
register an assault on it for phase 6, if the odds are worth it; undefended enemy
ground they take as they go, paying
`occupation_cost_factor` times the step's cost, on a front `attack_frontage_km` wide:
where hexes are narrower than that front, the flanking hexes of each step fall too
(`sim.rules.combat.flank_share`), so the ground a march takes does not depend on the
hex size. Other units stop at the edge of their side's ground. A unit that stops for
any reason but an unfinished step keeps no budget.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.rules import combat
from sim.turn import doctrine


def run(bf: Battlefield) -> None:
    bf.this_turn.assaults = {}
    bf.this_turn.manoeuvre_power = bf.unit_power()  # nobody is hurt while units move: computed once
    # the order units move in: a random key per unit, each at its own place in the block
    keys = bf.uniform(Site.MANOEUVRE, bf.forces.n)
    flanks = bf.uniform(Site.MANOEUVRE, bf.hexmap.n, part=1)
    for i in sorted(bf.manoeuvre_order, key=lambda i: keys[i]):
        move(bf, i, flanks)


def move(bf: Battlefield, i: int, flanks: np.ndarray) -> None:
    """Unit i's move this turn: towards its goal while its budget lasts."""
    f = bf.forces
    if not f.active[i]:
        return
    plan = doctrine.intent(bf, i)
    if plan.goal is None:
        f.move_budget_km[i] = 0.0
        return
    side = int(f.side[i])
    movement = bf.params.movement
    hexes, costs = bf.cost_fields.routes(plan.goal)
    here = int(f.hex[i])
    gain = f.speed_km_day[i] * bf.days_per_turn
    if bf.enemy_zoc(here, side):
        gain *= movement.contact_speed_factor
    budget = float(f.move_budget_km[i]) + gain
    f.move_budget_km[i] = 0.0
    flank = combat.flank_share(bf.hexmap.hex_km, bf.params.combat.attack_frontage_km)
    while True:
        options = hexes[here]
        k = next((k for k, j in enumerate(options) if bf.occupancy[side, j] < bf.stacking_limit), None)
        if k is None:
            return  # at the goal, or blocked by friendly stacks
        step = options[k]
        hostile = bf.control[step] != side
        if hostile and not plan.advance:
            return
        if bf.occupancy[1 - side, step] or (hostile and (bf.enemy_zoc(step, side) or bf.garrison[step] > 0)):
            if plan.assault and doctrine.worth_assaulting(bf, i, step):
                bf.this_turn.assaults.setdefault(step, []).append(i)
            return
        # undefended enemy ground is taken on the way, at a price in time
        cost = costs[here][k] * (movement.occupation_cost_factor if hostile else 1.0)
        if cost > budget:
            # save up for the step, but never more than a day's march beyond what it costs
            f.move_budget_km[i] = min(budget, cost + f.speed_km_day[i])
            return
        budget -= cost
        bf.move_unit(i, step)
        previous, here = here, step
        if hostile:
            bf.take_hex(step, side)
            if flank > 0:
                bf.take_flanks(previous, step, side, flank, flanks, zoc_stops=True)
            if bf.enemy_zoc(here, side):
                return  # in contact now: no further this turn
