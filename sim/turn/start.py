"""The start of a turn: a fresh record, the day's weather, the scenario's orders, reinforcements."""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield, TurnState
from sim.battle.records import TurnRecord
from sim.codes import WEATHER_STATES


def start_turn(bf: Battlefield) -> None:
    bf.turn += 1
    bf.record = TurnRecord()
    bf.this_turn = TurnState.fresh(bf.forces.n)
    bf.weather = draw_weather(bf)
    bf.forces.apply_orders(bf.turn, bf.site_index)
    arrivals(bf)


def draw_weather(bf: Battlefield) -> str:
    """The scenario's weather sequence while it lasts, then a draw from the weather chances."""
    weather = bf.spec.weather
    if bf.turn <= len(weather.sequence):
        return weather.sequence[bf.turn - 1]
    p = np.array([getattr(weather, state) for state in WEATHER_STATES])
    return WEATHER_STATES[int(bf.rng.choice(len(p), p=p / p.sum()))]


def arrivals(bf: Battlefield) -> None:
    """Units due this turn enter the map; one arriving in undefended enemy ground takes its hex."""
    f = bf.forces
    for i in np.flatnonzero((f.arrive_turn == bf.turn) & ~f.active & (f.personnel > 0)):
        i, here = int(i), int(f.hex[i])
        side = int(f.side[i])
        if bf.occupancy[1 - side, here]:
            # the enemy stands there: come in at the nearest hex the side holds that is free of it
            free = bf.nearest_free_hex(side, here)
            here = here if free is None else free
        bf.enter_map(i, here)
