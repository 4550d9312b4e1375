"""Phase 7, logistics: supply traced from each side's sources, cut by interdiction (`sim.rules.logistics`).

Each turn, for each side with supply sources, Dijkstra over the side's own ground
gives the supply reaching every hex; each unit's supply moves towards what reaches
its hex, and a unit with no route at all is cut off and runs down fast. Supply
sets combat power (`combat.supply_weight`), drains morale when short, and scales
the resupply of rounds, missiles and drones delivered at the end of the phase. The
main supply route counts as cut in a turn when its throughput falls below
`route_cut_threshold` or the enemy holds any of it. Interdiction on roads then
fades to `interdiction_persistence`^days of what it was.

A side with no sources in the scenario keeps its units' supply as given.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.codes import RU, UA
from sim.rules import draws, logistics


def run(bf: Battlefield) -> None:
    trace_supply(bf)
    resupply(bf)


def trace_supply(bf: Battlefield) -> None:
    f, lp, lines = bf.forces, bf.params.logistics, bf.supply
    route, route_side = lines.main_route, lines.main_route_side
    if route.size:
        now = (bf.turn - 1) * bf.spec.turn_hours
        for forced in bf.spec.logistics.interdiction:
            start, end = forced.span_hours(bf.timeline)
            if start <= now < end:
                lines.interdiction[route_side, route] = np.maximum(
                    lines.interdiction[route_side, route], forced.level
                )
    lines.cut_off[:] = False
    for side in (UA, RU):
        if lines.sources[side].size == 0:
            continue
        held = bf.control == side
        state = (held.tobytes(), lines.interdiction[side].tobytes())
        if state != lines.last_state[side]:  # the same ground and roads give the same routes
            lines.last_state[side] = state
            lines.cost[side] = lines.network.cost(
                held, lines.sources[side], lines.interdiction[side], lp.reach_km
            )
        units = np.flatnonzero(f.active & (f.side == side))
        here = lines.cost[side][f.hex[units]]
        cut = ~np.isfinite(here)
        lines.cut_off[units] = cut
        f.supply[units] = logistics.update_supply(
            f.supply[units],
            logistics.available(here, lp.reach_km),
            cut,
            lp.supply_rate,
            lp.cut_off_rate,
            bf.days_per_turn,
        )
        f.morale[units] = np.clip(
            f.morale[units] - lp.unsupplied_morale_loss * (1.0 - f.supply[units]) * bf.days_per_turn,
            0.0,
            1.0,
        )
    if route.size:
        lines.throughput = logistics.route_throughput(
            route, bf.control == route_side, lines.interdiction[route_side]
        )
        if lines.throughput < lp.route_cut_threshold:
            bf.record.route_cut = True
    lines.interdiction *= bf.params.drones.interdiction_persistence**bf.days_per_turn


def resupply(bf: Battlefield) -> None:
    """Rounds, missiles and drones delivered this turn: the daily resupply scaled by the unit's supply."""
    f = bf.forces
    due = f.resupply_per_day * bf.days_per_turn * np.clip(f.supply, 0.0, 1.0)
    delivered = draws.stochastic_round(due, bf.uniform(Site.RESUPPLY, f.n))
    f.ammo[:] = np.minimum(f.ammo + delivered * f.active, np.maximum(f.ammo_capacity, f.ammo))
