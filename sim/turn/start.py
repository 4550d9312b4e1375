"""The start of a turn: a fresh record, the weather of its days, the scenario's orders, reinforcements.

The weather is a property of the calendar day, not of the turn: each day's is drawn
once (or read from the scenario's sequence), and a turn that spans several days (or
part of one) sees each with its share of the turn's hours.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield, TurnState
from sim.battle.dice import Site
from sim.battle.records import TurnRecord
from sim.codes import WEATHER_STATES
from sim.rules import draws


def run(bf: Battlefield) -> None:
    bf.turn += 1
    bf.record = TurnRecord()
    bf.this_turn = TurnState.fresh(bf.forces.n)
    bf.this_turn.weather = [
        (weather_of_day(bf, day), hours / bf.spec.turn_hours)
        for day, hours in bf.timeline.days_of_turn(bf.turn)
    ]
    bf.forces.apply_orders(bf.turn, bf.site_index)
    arrivals(bf)


def weather_of_day(bf: Battlefield, day: int) -> str:
    """Day `day`'s weather (0: the first day): the scenario's sequence while it lasts, then drawn."""
    weather = bf.spec.weather
    if day < len(weather.sequence):
        return weather.sequence[day]
    p = np.array([getattr(weather, state) for state in WEATHER_STATES])
    return WEATHER_STATES[draws.choice(bf.dice.uniform(Site.WEATHER, day, 1)[0], p)]


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
