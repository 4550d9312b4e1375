"""Phase 7, logistics: supply traced from each side's sources, cut by interdiction (`sim.rules.logistics`).

Each turn, for each side with supply sources, Dijkstra over the side's own ground
gives the supply reaching every hex; each unit's supply moves towards what reaches
its hex, and a unit with no route at all is cut off and runs down fast. Supply
sets combat power (`combat.supply_weight`), drains morale when short, and scales
the resupply of rounds, missiles and drones. The main supply route counts as cut
in a turn when its throughput falls below `route_cut_threshold` or the enemy holds
any of it. Interdiction on roads then fades by `interdiction_persistence`.

A side with no sources in the scenario keeps its units' supply as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import SupplySource
from sim.forces import SIDE
from sim.geography import RU, UA
from sim.rules import logistics

if TYPE_CHECKING:
    from sim.model import SudzhaModel


_NETWORKS: dict[tuple, logistics.SupplyNetwork] = {}


def setup(model: SudzhaModel) -> None:
    hm, spec = model.hexmap, model.spec.logistics
    lp = model.params.logistics
    factors = (lp.secondary_road_factor, lp.main_road_factor)
    key = (model.loaded.map_digest, hm.hex_km, hm.cols, factors)
    if key not in _NETWORKS:
        if len(_NETWORKS) > 16:
            _NETWORKS.clear()
        _NETWORKS[key] = logistics.SupplyNetwork(hm.neighbours, hm.road_edge, hm.road, hm.hex_km, factors)
    model.supply_network = _NETWORKS[key].copy()
    model.interdiction = np.zeros((2, hm.n))
    model.supply_cost = np.zeros((2, hm.n))
    model.supply_state = [None, None]
    model.cut_off = np.zeros(model.forces.n, dtype=bool)
    model.sources = {UA: [], RU: []}
    for source in spec.sources:
        h = model.site_hex_of(source.at) if source.at else hm.nearest_hex(*source.position)
        model.sources[SIDE[source.side]].append(h)
        SupplySource(model, source.id, source.name, source.side, h, model.grid[hm.coord(h)])
    model.sources = {side: np.array(hexes, dtype=np.int64) for side, hexes in model.sources.items()}
    model.main_route = np.empty(0, dtype=np.int64)
    model.main_route_side = UA
    model.on_main_route = np.zeros((2, hm.n), dtype=bool)
    route = spec.main_supply_route
    if route is not None:
        model.main_route_side = SIDE[route.side]
        end, start = model.site_hex_of(route.end), model.site_hex_of(route.start)
        field = model.cost_fields.to(end)
        model.main_route = logistics.road_route(field, start, hm.neighbours)
        model.on_main_route[model.main_route_side, model.main_route] = True
    model.route_throughput = 1.0


def run(model: SudzhaModel) -> None:
    f, lp, spec = model.forces, model.params.logistics, model.spec.logistics
    if model.main_route.size:
        for forced in spec.interdiction:
            if forced.from_turn <= model.turn <= (forced.to_turn or model.turn):
                cut = model.interdiction[model.main_route_side, model.main_route]
                model.interdiction[model.main_route_side, model.main_route] = np.maximum(cut, forced.level)
    model.cut_off[:] = False
    for side in (UA, RU):
        if model.sources[side].size == 0:
            continue
        held = model.control == side
        state = (held.tobytes(), model.interdiction[side].tobytes())
        if state != model.supply_state[side]:  # the same ground and roads give the same routes
            model.supply_state[side] = state
            model.supply_cost[side] = model.supply_network.cost(
                held, model.sources[side], model.interdiction[side], lp.reach_km
            )
        cost = model.supply_cost[side]
        units = np.flatnonzero(f.active & (f.side == side))
        here = cost[f.hex[units]]
        cut = ~np.isfinite(here)
        model.cut_off[units] = cut
        f.supply[units] = logistics.update_supply(
            f.supply[units],
            logistics.available(here, lp.reach_km),
            cut,
            lp.supply_rate,
            lp.cut_off_rate,
            model.days_per_turn,
        )
        f.morale[units] = np.clip(
            f.morale[units] - lp.unsupplied_morale_loss * (1.0 - f.supply[units]) * model.days_per_turn,
            0.0,
            1.0,
        )
    if model.main_route.size:
        side = model.main_route_side
        model.route_throughput = logistics.route_throughput(
            model.main_route, model.control == side, model.interdiction[side]
        )
        if model.route_throughput < lp.route_cut_threshold:
            model.turn_record.route_cut = True
    model.interdiction *= model.params.drones.interdiction_persistence


def cut_off_hexes(model: SudzhaModel, side: int) -> np.ndarray:
    """Hexes `side` holds with no supply route to them (all False if the side has no sources)."""
    if model.sources[side].size == 0:
        return np.zeros(model.hexmap.n, dtype=bool)
    return (model.control == side) & ~np.isfinite(model.supply_cost[side])
