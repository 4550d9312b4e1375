"""What a run reports: per-turn metrics (the time series) and end-of-run outcomes.

Each metric is declared once with its unit and meaning, and computed from the
battlefield; the Mesa model's DataCollector, the CSV writers, the summary and the
plots all read these declarations, so a column name always means the same thing.
Objective settlements add two columns each at the end of a run: `held_<key>`
(`held_column`), 1 if Ukraine holds it, and `changed_day_<key>` (`change_day_column`),
the day it last changed hands (empty if it never did). Places a scenario's `reported:`
list names are also followed turn by turn (`held_<key>` in the time series).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import CAUSES, DRONE_KINDS, NATIONS, RU, SIDES, UA, Cause

HELD_PREFIX = "held_"
"""Prefix of the columns saying whether Ukraine holds each objective settlement."""
CHANGE_PREFIX = "changed_day_"
"""Prefix of the end-of-run columns giving the day each objective settlement last changed hands."""


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    description: str
    compute: Callable[[Battlefield], float]


def _by_nation(column: str, m: Battlefield, nation: int, active_only: bool = False) -> int:
    """Sum of a roster column (`personnel`, `lost_personnel`, ...) over one nation's units."""
    f = m.forces
    values = getattr(f, column) * f.active if active_only else getattr(f, column)
    return int(values[f.nation == nation].sum())


def _objectives_held(m: Battlefield) -> np.ndarray:
    return (m.control[m.site_hex] == UA) & (m.objective_value > 0)


def _cause_metrics() -> list[Metric]:
    out = []
    for code, nation in enumerate(NATIONS):
        for c, cause in enumerate(CAUSES):
            out.append(
                Metric(
                    f"{nation.lower()}_casualties_{cause}",
                    "people",
                    f"{nation} personnel lost to {cause}",
                    lambda m, n=code, k=c: int(m.forces.lost_by_cause[m.forces.nation == n, k].sum()),
                )
            )
    return out


def mean_supply(m: Battlefield, side: int) -> float:
    """Mean supply (0-1) of the side's manoeuvre units still on the map."""
    f = m.forces
    units = f.active & f.manoeuvre & (f.side == side)
    return float(f.supply[units].mean()) if units.any() else 0.0


def _drone_metrics() -> list[Metric]:
    out = []
    for code, side in enumerate(s.lower() for s in SIDES):
        for k, kind in enumerate(DRONE_KINDS):
            out.append(
                Metric(
                    f"{side}_drone_sorties_{kind}",
                    "sorties",
                    f"{side.upper()} {kind} drone sorties flown",
                    lambda m, c=code, k=k: int(m.totals.drone_sorties[c, k]),
                )
            )
        out += [
            Metric(
                f"{side}_drones_jammed_share",
                "fraction",
                f"share of {side.upper()} radio-controlled drone sorties jammed",
                lambda m, c=code: (
                    float(m.totals.jammed[c] / m.totals.radio_sorties[c])
                    if m.totals.radio_sorties[c]
                    else 0.0
                ),
            ),
            Metric(
                f"{side}_drone_hits",
                "hits",
                f"hits scored by {side.upper()} strike drones",
                lambda m, c=code: int(m.totals.drone_hits[c].sum()),
            ),
            Metric(
                f"{side}_supply_vehicles_lost",
                "vehicles",
                f"{side.upper()} supply vehicles destroyed on the roads by enemy drones (one per hit)",
                _side_count("supply_vehicles_lost", code),
            ),
        ]
    for code, nation in enumerate(NATIONS):
        out.append(
            Metric(
                f"{nation.lower()}_vehicles_lost_drones",
                "vehicles",
                f"{nation} armoured vehicles lost to drones",
                lambda m, n=code: int(
                    m.forces.lost_vehicles_by_cause[m.forces.nation == n, Cause.DRONES].sum()
                ),
            )
        )
    return out


def _side_count(name: str, side: int) -> Callable[[Battlefield], int]:
    return lambda m: int(getattr(m.totals, name)[side])


def _nation_metrics() -> list[Metric]:
    out = []
    for code, nation in enumerate(NATIONS):
        key = nation.lower()
        out += [
            Metric(
                f"{key}_casualties",
                "people",
                f"{nation} personnel lost (killed, wounded, captured)",
                lambda m, c=code: _by_nation("lost_personnel", m, c),
            ),
            Metric(
                f"{key}_vehicles_lost",
                "vehicles",
                f"{nation} armoured vehicles lost",
                lambda m, c=code: _by_nation("lost_vehicles", m, c),
            ),
            Metric(
                f"{key}_personnel",
                "people",
                f"{nation} personnel in units still on the map",
                lambda m, c=code: _by_nation("personnel", m, c, active_only=True),
            ),
        ]
    return out


TIMESERIES: list[Metric] = [
    Metric("ua_area_km2", "km²", "Russian territory held by Ukraine", Battlefield.ua_area_km2),
    *_nation_metrics(),
    Metric(
        "ua_objectives_held",
        "settlements",
        "objective settlements held by Ukraine",
        lambda m: int(_objectives_held(m).sum()),
    ),
    Metric(
        "ua_air_superiority",
        "index 0-1",
        "Ukraine's air-superiority index this turn",
        lambda m: float(m.air.superiority[UA]),
    ),
    Metric(
        "ru_air_superiority",
        "index 0-1",
        "Russia's air-superiority index this turn",
        lambda m: float(m.air.superiority[RU]),
    ),
    Metric(
        "ru_sorties_turn",
        "sorties",
        "Russian strike sorties flown this turn",
        lambda m: int(m.record.sorties[RU]),
    ),
    Metric(
        "ru_glide_bombs_turn",
        "bombs",
        "Russian glide bombs released this turn",
        lambda m: int(m.record.glide_bombs[RU]),
    ),
    Metric("ua_supply", "0-1", "mean supply of Ukrainian units", lambda m: mean_supply(m, UA)),
    Metric("ru_supply", "0-1", "mean supply of Russian-side units", lambda m: mean_supply(m, RU)),
    Metric(
        "route_throughput",
        "fraction",
        "share of traffic getting through the main supply route",
        lambda m: float(m.supply.throughput),
    ),
    Metric("assaults", "assaults", "assaults resolved this turn", lambda m: m.record.assaults),
    Metric("hexes_changed", "hexes", "hexes that changed hands this turn", lambda m: m.record.hexes_changed),
]

PER_TURN_ONLY = {
    "assaults",
    "hexes_changed",
    "ua_air_superiority",
    "ru_air_superiority",
    "ru_sorties_turn",
    "ru_glide_bombs_turn",
    "route_throughput",
}

END_OF_RUN: list[Metric] = [
    *(metric for metric in TIMESERIES if metric.name not in PER_TURN_ONLY),
    *_cause_metrics(),
    *(
        Metric(f"{side}_{name}", unit, f"{label} ({side.upper()} side)", _side_count(attr, code))
        for code, side in enumerate(s.lower() for s in SIDES)
        for name, attr, unit, label in (
            ("sorties", "sorties", "sorties", "strike sorties flown"),
            ("aircraft_lost", "aircraft_lost", "aircraft", "strike aircraft shot down"),
            ("glide_bombs", "glide_bombs", "bombs", "glide bombs released"),
            ("rounds_fired", "rounds", "rounds", "artillery rounds fired"),
        )
    ),
    *(
        Metric(
            f"{side}_air_superiority_share",
            "fraction",
            f"share of the time {side.upper()} held air superiority",
            lambda m, c=code: float(m.totals.superiority_turns[c] / max(m.totals.turns, 1)),
        )
        for code, side in enumerate(s.lower() for s in SIDES)
    ),
    *_drone_metrics(),
    Metric(
        "route_cut_days",
        "days",
        "days on which the main supply route was cut (turns cut x days per turn)",
        lambda m: m.totals.route_cut_turns * m.days_per_turn,
    ),
    Metric(
        "ua_units_cut_off",
        "units",
        "Ukrainian units with no supply route at the end",
        lambda m: int((m.supply.cut_off & m.forces.active & (m.forces.side == UA)).sum()),
    ),
    Metric(
        "ua_area_change_km2",
        "km²",
        "change in Ukrainian-held area over the run",
        lambda m: m.ua_area_km2() - m.initial_ua_area_km2,
    ),
    Metric(
        "ua_objective_points",
        "points",
        "objective value of the settlements Ukraine holds",
        lambda m: float(m.objective_value[_objectives_held(m)].sum()),
    ),
    Metric(
        "ru_assaults",
        "assaults",
        "assaults launched by the Russian side (RU and DPRK)",
        lambda m: int(m.totals.assaults_by_side[RU]),
    ),
    Metric(
        "ru_assaults_won",
        "assaults",
        "Russian-side assaults that took their hex",
        lambda m: int(m.totals.captures_by_side[RU]),
    ),
    Metric(
        "ua_assaults",
        "assaults",
        "assaults launched by Ukraine",
        lambda m: int(m.totals.assaults_by_side[UA]),
    ),
    Metric(
        "ua_assaults_won",
        "assaults",
        "Ukrainian assaults that took their hex",
        lambda m: int(m.totals.captures_by_side[UA]),
    ),
    Metric("hexes_changed", "hexes", "hex changes of hands over the run", lambda m: m.totals.hexes_changed),
    Metric(
        "ua_units_on_map",
        "units",
        "Ukrainian units still on the map",
        lambda m: int((m.forces.active & (m.forces.side == UA)).sum()),
    ),
    Metric(
        "ru_units_on_map",
        "units",
        "Russian-side units still on the map",
        lambda m: int((m.forces.active & (m.forces.side == RU)).sum()),
    ),
]

METRICS: dict[str, Metric] = {m.name: m for m in (*TIMESERIES, *END_OF_RUN)}


def held_column(key: str) -> str:
    """The end-of-run column of an objective settlement: `held_<key>`."""
    return f"{HELD_PREFIX}{key}"


def is_held_column(column: str) -> bool:
    return column.startswith(HELD_PREFIX)


def held_key(column: str) -> str:
    """The settlement key of a `held_<key>` column."""
    return column[len(HELD_PREFIX) :]


def change_day_column(key: str) -> str:
    """The end-of-run column with the day an objective settlement last changed hands."""
    return f"{CHANGE_PREFIX}{key}"


def is_change_day_column(column: str) -> bool:
    return column.startswith(CHANGE_PREFIX)


def place_reporters(m: Battlefield) -> dict[str, Callable[[Battlefield], int]]:
    """Per-turn `held_<key>` of the places the scenario's reported figures name."""
    keys = dict.fromkeys(r.place for r in m.spec.reported if r.is_place)
    hexes = {key: m.site_hex_of(key) for key in keys}
    return {held_column(key): (lambda b, h=h: int(b.control[h] == UA)) for key, h in hexes.items()}


def end_of_run(m: Battlefield) -> dict[str, float]:
    """The outcome record of a finished run: every END_OF_RUN metric, then held_ and changed_day_
    of each objective settlement."""
    record = {metric.name: metric.compute(m) for metric in END_OF_RUN}
    held = m.control[m.site_hex] == UA
    objectives = [i for i in range(len(m.sites)) if m.objective_value[i] > 0]
    for i in objectives:
        record[held_column(m.sites[i].key)] = int(held[i])
    for i in objectives:
        turn = int(m.last_change_turn[m.site_hex[i]])
        record[change_day_column(m.sites[i].key)] = round(turn * m.days_per_turn, 4) if turn else None
    return record
