"""What a run reports: per-turn metrics (the time series) and end-of-run outcomes.

Each metric is declared once with its unit and meaning; the DataCollector, the
CSV writers, the summary and the plots all read these declarations, so a column
name always means the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from sim.codes import NATIONS
from sim.geography import UA

if TYPE_CHECKING:
    from sim.model import SudzhaModel


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    description: str
    compute: Callable[[SudzhaModel], float]


def _pair() -> np.ndarray:
    return np.zeros(2, dtype=np.int64)


def _per_kind() -> np.ndarray:
    return np.zeros((2, 3), dtype=np.int64)


@dataclass
class SideCounts:
    """Events counted per side (indexed UA = 0, RU = 1), per turn and summed over a run."""

    assaults_by_side: np.ndarray = field(default_factory=_pair)
    captures_by_side: np.ndarray = field(default_factory=_pair)
    sorties: np.ndarray = field(default_factory=_pair)
    aircraft_lost: np.ndarray = field(default_factory=_pair)
    glide_bombs: np.ndarray = field(default_factory=_pair)
    rounds: np.ndarray = field(default_factory=_pair)
    drone_sorties: np.ndarray = field(default_factory=_per_kind)
    """(side, kind: recon, fpv_radio, fpv_fibre) sorties flown."""
    radio_sorties: np.ndarray = field(default_factory=_pair)
    jammed: np.ndarray = field(default_factory=_pair)
    drone_hits: np.ndarray = field(default_factory=_per_kind)
    supply_vehicles_lost: np.ndarray = field(default_factory=_pair)


@dataclass
class TurnRecord(SideCounts):
    """Events counted during one turn."""

    assaults: int = 0
    hexes_changed: int = 0
    hexes_lost: np.ndarray = field(default_factory=_pair)
    """Hexes each side lost this turn (only a side that lost ground can be cut into pockets)."""
    route_cut: bool = False


@dataclass
class RunTotals(SideCounts):
    """Events summed over a run, and the turns each side held air superiority."""

    hexes_changed: int = 0
    turns: int = 0
    superiority_turns: np.ndarray = field(default_factory=_pair)
    route_cut_turns: int = 0

    def add(self, turn: TurnRecord, superiority: np.ndarray) -> None:
        self.hexes_changed += turn.hexes_changed
        self.route_cut_turns += int(turn.route_cut)
        self.turns += 1
        self.superiority_turns += superiority
        for counts in fields(SideCounts):
            getattr(self, counts.name)[:] += getattr(turn, counts.name)


def ua_area_km2(m: SudzhaModel) -> float:
    return m.hexmap.russian_area_km2(m.control == UA)


def _by_nation(column: str, m: SudzhaModel, nation: int, active_only: bool = False) -> int:
    """Sum of a roster column over one nation's units; all nations summed at once, once a turn."""
    cache = m.__dict__.setdefault("_nation_sums", {})
    key = (m.turn, column, active_only)
    sums = cache.get(key)
    if sums is None:
        if len(cache) > 32:
            cache.clear()
        f = m.forces
        values = getattr(f, column) * f.active if active_only else getattr(f, column)
        sums = np.bincount(f.nation, weights=values, minlength=len(NATIONS))
        cache[key] = sums
    return int(sums[nation])


def _objectives_held(m: SudzhaModel) -> np.ndarray:
    return (m.control[m.site_hex] == UA) & (m.objective_value > 0)


def _cause_metrics() -> list[Metric]:
    from sim.forces import CAUSES

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


def mean_supply(m: SudzhaModel, side: int) -> float:
    """Mean supply (0-1) of the side's manoeuvre units still on the map."""
    f = m.forces
    units = f.active & f.manoeuvre & (f.side == side)
    return float(f.supply[units].mean()) if units.any() else 0.0


def _drone_metrics() -> list[Metric]:
    out = []
    for code, side in enumerate(("ua", "ru")):
        for k, kind in enumerate(("recon", "fpv_radio", "fpv_fibre")):
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
                f"{side.upper()} supply vehicles destroyed on the roads by enemy drones",
                _side_count("supply_vehicles_lost", code),
            ),
        ]
    for code, nation in enumerate(NATIONS):
        out.append(
            Metric(
                f"{nation.lower()}_vehicles_lost_drones",
                "vehicles",
                f"{nation} armoured vehicles lost to drones",
                lambda m, n=code: int(m.forces.lost_vehicles_by_cause[m.forces.nation == n, 3].sum()),
            )
        )
    return out


def _side_count(name: str, side: int) -> Callable[[SudzhaModel], int]:
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
    Metric("ua_area_km2", "km²", "Russian territory held by Ukraine", ua_area_km2),
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
        lambda m: float(m.air_superiority[0]),
    ),
    Metric(
        "ru_air_superiority",
        "index 0-1",
        "Russia's air-superiority index this turn",
        lambda m: float(m.air_superiority[1]),
    ),
    Metric(
        "ru_sorties_turn",
        "sorties",
        "Russian strike sorties flown this turn",
        lambda m: int(m.turn_record.sorties[1]),
    ),
    Metric(
        "ru_glide_bombs_turn",
        "bombs",
        "Russian glide bombs released this turn",
        lambda m: int(m.turn_record.glide_bombs[1]),
    ),
    Metric("ua_supply", "0-1", "mean supply of Ukrainian units", lambda m: mean_supply(m, 0)),
    Metric("ru_supply", "0-1", "mean supply of Russian-side units", lambda m: mean_supply(m, 1)),
    Metric(
        "route_throughput",
        "fraction",
        "share of traffic getting through the main supply route",
        lambda m: float(m.route_throughput),
    ),
    Metric("assaults", "assaults", "assaults resolved this turn", lambda m: m.turn_record.assaults),
    Metric(
        "hexes_changed", "hexes", "hexes that changed hands this turn", lambda m: m.turn_record.hexes_changed
    ),
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
        for code, side in enumerate(("ua", "ru"))
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
            f"share of turns {side.upper()} held air superiority",
            lambda m, c=code: float(m.totals.superiority_turns[c] / max(m.totals.turns, 1)),
        )
        for code, side in enumerate(("ua", "ru"))
    ),
    *_drone_metrics(),
    Metric(
        "route_cut_turns",
        "turns",
        "turns in which the main supply route was cut",
        lambda m: m.totals.route_cut_turns,
    ),
    Metric(
        "ua_units_cut_off",
        "units",
        "Ukrainian units with no supply route at the end",
        lambda m: int((m.cut_off & m.forces.active & (m.forces.side == 0)).sum()),
    ),
    Metric(
        "ua_area_change_km2",
        "km²",
        "change in Ukrainian-held area over the run",
        lambda m: ua_area_km2(m) - m.initial_ua_area_km2,
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
        lambda m: int(m.totals.assaults_by_side[1]),
    ),
    Metric(
        "ru_assaults_won",
        "assaults",
        "Russian-side assaults that took their hex",
        lambda m: int(m.totals.captures_by_side[1]),
    ),
    Metric(
        "ua_assaults", "assaults", "assaults launched by Ukraine", lambda m: int(m.totals.assaults_by_side[0])
    ),
    Metric(
        "ua_assaults_won",
        "assaults",
        "Ukrainian assaults that took their hex",
        lambda m: int(m.totals.captures_by_side[0]),
    ),
    Metric("hexes_changed", "hexes", "hex changes of hands over the run", lambda m: m.totals.hexes_changed),
    Metric(
        "ua_units_on_map",
        "units",
        "Ukrainian units still on the map",
        lambda m: int((m.forces.active & (m.forces.side == 0)).sum()),
    ),
    Metric(
        "ru_units_on_map",
        "units",
        "Russian-side units still on the map",
        lambda m: int((m.forces.active & (m.forces.side == 1)).sum()),
    ),
]

METRICS: dict[str, Metric] = {m.name: m for m in (*TIMESERIES, *END_OF_RUN)}


def model_reporters() -> dict[str, Callable]:
    return {metric.name: metric.compute for metric in TIMESERIES}


def held_column(key: str) -> str:
    return f"held_{key}"


def objective_keys(m: SudzhaModel) -> list[str]:
    return [s.key for s, v in zip(m.sites, m.objective_value, strict=True) if v > 0]


def end_of_run(m: SudzhaModel) -> dict[str, float]:
    """The outcome record of a finished run: every END_OF_RUN metric, then held_<settlement>."""
    record = {metric.name: metric.compute(m) for metric in END_OF_RUN}
    held = m.control[m.site_hex] == UA
    for i, site in enumerate(m.sites):
        if m.objective_value[i] > 0:
            record[held_column(site.key)] = int(held[i])
    return record
