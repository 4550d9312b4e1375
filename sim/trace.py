"""One run, told turn by turn: the events of a replication, read off the battlefield phase by phase.

`trace_run(scenario, master_seed, run)` plays run `run` of a study exactly as the batch
plays it (the same seed, the same draw of the uncertain inputs: `sim.replications.iter_jobs`),
with an observer on `sim.engine.play_turn`. The observer compares the state before and
after each phase (`sim.engine.Snapshot`) and writes one event per change it sees:

| kind | what changed |
|---|---|
| `arrived` | a unit entered the map |
| `moved` | a unit changed hex in the manoeuvre phase |
| `assaulted`, `defended` | a unit attacked a hex, or stood in one attacked (ground combat) |
| `advanced`, `retreated` | a unit changed hex outside manoeuvre: into ground its side took, or back |
| `captured hex`, `lost hex` | a hex changed hands (one event for each side) |
| `losses` | a unit lost people or vehicles, one event per cause |
| `broke`, `rallied` | a unit's morale broke, or it rallied |
| `cut off`, `resupplied` | no supply route reached a unit any more, or one did again |
| `left the map` | a unit was destroyed or, too weak to fight, withdrawn |

The phases are not touched: what the record shows is what the state shows. The same
events of a run watched in the classroom app come from `model_events(model)`, which
replays the model's run up to its turn. `write_trace` writes `events.csv`, `run.json`
(the run's seed, inputs and end-of-run outcomes, as in `runs.csv`) and the animated
map `turns.gif` (`sim.report.animation`).
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim import engine
from sim.battle import metrics
from sim.battle.battlefield import Battlefield
from sim.codes import CAUSES, NATIONS, SIDES, UNIT_KINDS, Role
from sim.engine import Snapshot
from sim.replications import iter_jobs, start_run
from sim.scenario.loaded import LoadedScenario

COLUMNS = (
    "turn",
    "date",
    "phase",
    "side",
    "nation",
    "unit_id",
    "unit",
    "unit_kind",
    "hex",
    "place",
    "place_km",
    "kind",
    "detail",
    "personnel_lost",
    "vehicles_lost",
    "cause",
)
"""The columns of `events.csv`, in order."""

KINDS = (
    "arrived",
    "moved",
    "assaulted",
    "defended",
    "advanced",
    "retreated",
    "captured hex",
    "lost hex",
    "losses",
    "broke",
    "rallied",
    "cut off",
    "resupplied",
    "left the map",
)
"""Every kind of event, in the order the events of one phase are listed."""

_CAPTURE_HOW = {
    "start": "by units arriving",
    "manoeuvre": "by advance into undefended ground",
    "combat": "by assault",
    "control": "without a fight (uncontested, unheld or a pocket)",
}
"""How a hex that changed hands in a phase was taken, as far as the phase says."""

_ROLE_KIND = {
    Role.ARTILLERY: "artillery",
    Role.AIR_DEFENCE: "air defence",
    Role.DRONE_TEAM: "drone team",
    Role.JAMMER: "jammer",
}


@dataclass
class Frame:
    """The map at the end of a turn (turn 0: the start), for the animated map."""

    turn: int
    date: str
    control: np.ndarray
    hex: np.ndarray
    active: np.ndarray
    personnel: np.ndarray
    captured: np.ndarray
    """Hexes that changed hands during the turn (and ended it with their new holder)."""


@dataclass
class Trace:
    """One run's events and frames, and what the run was."""

    run: int
    seed: int
    draw: int
    inputs: dict[str, float]
    outcomes: dict[str, float]
    events: list[dict[str, Any]]
    frames: list[Frame]
    battlefield: Battlefield = field(repr=False)

    def table(self):
        """The events as a pandas DataFrame with the columns of `COLUMNS`."""
        import pandas as pd

        return pd.DataFrame(self.events, columns=list(COLUMNS))


def turn_start(bf: Battlefield, turn: int) -> str:
    """When turn `turn` begins (turn 0 and 1: the start), `2025-01-06 00:00`, or `day 1 00:00`
    for a scenario without a start date."""
    hours = max(turn - 1, 0) * bf.spec.turn_hours
    start = bf.spec.start_date
    if start is None:
        day, rest = divmod(hours, 24.0)
        return f"day {int(day) + 1} {int(rest):02d}:{round((rest % 1) * 60):02d}"
    moment = dt.datetime.combine(start, dt.time()) + dt.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%d %H:%M")


class Recorder:
    """The observer: turns the difference a phase made into events, and keeps a frame per turn."""

    def __init__(self, bf: Battlefield) -> None:
        hm = bf.hexmap
        f = bf.forces
        self.bf = bf
        self.events: list[dict[str, Any]] = []
        km = np.hypot(hm.x[:, None] - hm.x[bf.site_hex][None, :], hm.y[:, None] - hm.y[bf.site_hex][None, :])
        nearest = np.argmin(km, axis=1) if bf.site_hex.size else np.zeros(hm.n, dtype=int)
        self.place = [bf.sites[k].name if bf.site_hex.size else "" for k in nearest]
        self.place_km = km[np.arange(hm.n), nearest] if bf.site_hex.size else np.zeros(hm.n)
        self.kind = [
            UNIT_KINDS[int(k)].replace("_", " ") if int(r) == Role.MANOEUVRE else _ROLE_KIND[Role(int(r))]
            for r, k in zip(f.role, f.kind, strict=True)
        ]
        self.frames = [self._frame(np.zeros(hm.n, dtype=bool))]
        self._turn_control = bf.control.copy()

    # ------------------------------------------------------------------ frames

    def _frame(self, captured: np.ndarray) -> Frame:
        bf, f = self.bf, self.bf.forces
        return Frame(
            turn=bf.turn,
            date=turn_start(bf, bf.turn),
            control=bf.control.copy(),
            hex=f.hex.copy(),
            active=f.active.copy(),
            personnel=f.personnel.copy(),
            captured=captured,
        )

    # ------------------------------------------------------------------ events

    def _event(self, phase: str, kind: str, *, unit: int | None, hex_index: int, side: int, **extra) -> None:
        bf, f = self.bf, self.bf.forces
        row = {
            "turn": bf.turn,
            "date": turn_start(bf, bf.turn),
            "phase": phase,
            "side": SIDES[side],
            "nation": NATIONS[int(f.nation[unit])] if unit is not None else SIDES[side],
            "unit_id": f.ids[unit] if unit is not None else "",
            "unit": f.names[unit] if unit is not None else "",
            "unit_kind": self.kind[unit] if unit is not None else "",
            "hex": int(hex_index),
            "place": self.place[hex_index],
            "place_km": round(float(self.place_km[hex_index]), 1),
            "kind": kind,
            "detail": "",
            "personnel_lost": 0,
            "vehicles_lost": 0,
            "cause": "",
        }
        row.update(extra)
        self.events.append(row)

    def __call__(self, phase: str, before: Snapshot, bf: Battlefield) -> None:
        f = bf.forces
        found: list[tuple[int, int, dict]] = []  # (kind order, unit or hex, event) so a phase lists in order

        def add(kind: str, order: int, **event) -> None:
            found.append((KINDS.index(kind), order, {"kind": kind, **event}))

        was, now = before.active, f.active
        changed = np.flatnonzero(before.control != bf.control)
        taken_by = {int(h): int(bf.control[h]) for h in changed}

        for i in np.flatnonzero(~was & now):
            add("arrived", i, unit=i, hex_index=int(f.hex[i]), side=int(f.side[i]), detail="enters the map")
        for i in np.flatnonzero(was & now & (before.hex != f.hex)):
            here, there, side = int(before.hex[i]), int(f.hex[i]), int(f.side[i])
            if phase == "manoeuvre":
                kind = "moved"
            else:
                kind = "advanced" if taken_by.get(there) == side else "retreated"
            add(kind, i, unit=i, hex_index=there, side=side, detail=f"from hex {here} ({self.place[here]})")
        if phase == "combat":
            self._assaults(before, bf, add)
        for h in changed:
            self._control_change(phase, int(h), before, bf, add)
        lost = f.lost_by_cause - before.lost_by_cause
        lost_v = f.lost_vehicles_by_cause - before.lost_vehicles_by_cause
        for i, c in zip(*np.nonzero((lost > 0) | (lost_v > 0)), strict=True):
            where = int(before.hex[i]) if was[i] else int(f.hex[i])
            add(
                "losses",
                i,
                unit=i,
                hex_index=where,
                side=int(f.side[i]),
                personnel_lost=int(lost[i, c]),
                vehicles_lost=int(lost_v[i, c]),
                cause=CAUSES[c],
                detail=f"{int(f.personnel[i])} people and {int(f.vehicles[i])} vehicles left",
            )
        for i in np.flatnonzero(now & ~before.broken & f.broken):
            add("broke", i, unit=i, hex_index=int(f.hex[i]), side=int(f.side[i]), detail="morale broke")
        for i in np.flatnonzero(now & before.broken & ~f.broken):
            add("rallied", i, unit=i, hex_index=int(f.hex[i]), side=int(f.side[i]), detail="morale restored")
        cut = bf.supply.cut_off
        for i in np.flatnonzero(now & ~before.cut_off & cut):
            add("cut off", i, unit=i, hex_index=int(f.hex[i]), side=int(f.side[i]), detail="no supply route")
        for i in np.flatnonzero(now & before.cut_off & ~cut):
            add(
                "resupplied",
                i,
                unit=i,
                hex_index=int(f.hex[i]),
                side=int(f.side[i]),
                detail="supply restored",
            )
        for i in np.flatnonzero(was & ~now):
            detail = "destroyed" if f.personnel[i] == 0 else "too weak to fight: withdrawn"
            add("left the map", i, unit=i, hex_index=int(before.hex[i]), side=int(f.side[i]), detail=detail)

        for _, _, event in sorted(found, key=lambda item: (item[0], item[1])):
            kind = event.pop("kind")
            unit = event.pop("unit")
            self._event(phase, kind, unit=None if unit is None else int(unit), **event)

        if phase == engine.phase_name(engine.PHASES[-1]):  # the turn is over: a frame of the map
            captured = bf.control != self._turn_control
            self.frames.append(self._frame(captured))
            self._turn_control = bf.control.copy()

    def _assaults(self, before: Snapshot, bf: Battlefield, add) -> None:
        f = bf.forces
        for target, attackers in before.assaults.items():
            if not attackers:
                continue
            side = int(f.side[attackers[0]])
            taken = bf.control[target] == side and before.control[target] != side
            defenders = np.flatnonzero(before.active & (before.hex == target) & (f.side != side))
            names = ", ".join(f.names[d] for d in defenders) or "its garrison"
            outcome = "took the hex" if taken else "repulsed"
            for a in attackers:
                add(
                    "assaulted",
                    a,
                    unit=a,
                    hex_index=target,
                    side=side,
                    detail=f"{outcome}; defended by {names}",
                )
            held = "lost the hex" if taken else "held"
            for d in defenders:
                add("defended", d, unit=int(d), hex_index=target, side=1 - side, detail=held)

    def _control_change(self, phase: str, h: int, before: Snapshot, bf: Battlefield, add) -> None:
        f, hm = bf.forces, bf.hexmap
        new, old = int(bf.control[h]), int(before.control[h])
        how = _CAPTURE_HOW.get(phase, f"in the {phase} phase")
        if phase == "combat" and h not in before.assaults:
            how = "on the flank of an assault"
        taker = self._unit_at(h, new, f.hex, f.active)
        if taker is None and h in before.assaults:
            taker = before.assaults[h][0]
        if taker is None:
            units = np.flatnonzero(f.active & f.manoeuvre & (f.side == new))
            if units.size:
                km = hm.km_between(f.hex[units], h)
                if km.min() <= 2 * hm.hex_km:
                    taker = int(units[np.argmin(km)])
        add("captured hex", h, unit=taker, hex_index=h, side=new, detail=f"from {SIDES[old]}, {how}")
        loser = self._unit_at(h, old, before.hex, before.active)
        add("lost hex", h, unit=loser, hex_index=h, side=old, detail=f"to {SIDES[new]}, {how}")

    def _unit_at(self, h: int, side: int, where: np.ndarray, active: np.ndarray) -> int | None:
        """The first unit of `side` standing in hex `h` (manoeuvre units before the others)."""
        f = self.bf.forces
        units = np.flatnonzero(active & (where == h) & (f.side == side))
        if units.size == 0:
            return None
        manoeuvre = units[f.role[units] == Role.MANOEUVRE]
        return int(manoeuvre[0] if manoeuvre.size else units[0])


# --------------------------------------------------------------------------- playing a run


def play_traced(
    scenario: LoadedScenario,
    seed: int,
    *,
    run: int = 0,
    draw_seed: int | None = None,
    values: dict[str, float] | None = None,
    draw: int = 0,
) -> Trace:
    """Play one replication as `sim.replications.run_once` does, watching every phase."""
    bf, values = start_run(scenario, seed, draw_seed=draw_seed, values=values)
    engine.prepare(bf)
    recorder = Recorder(bf)
    while not engine.finished(bf):
        engine.play_turn(bf, recorder)
    return Trace(
        run=run,
        seed=int(seed),
        draw=draw,
        inputs=dict(values),
        outcomes=metrics.end_of_run(bf),
        events=recorder.events,
        frames=recorder.frames,
        battlefield=bf,
    )


def trace_run(scenario: LoadedScenario, master_seed: int, run: int, per_draw: int = 1) -> Trace:
    """Run `run` (counted from 0) of a study of `scenario` with `master_seed`, as the batch plays it:
    its seed, and with uncertain inputs its draw (`per_draw` runs to a draw, as the study has it)."""
    per_draw = max(1, per_draw) if scenario.inputs else 1
    job = next(iter_jobs(master_seed, run + 1, per_draw, first=run))
    return play_traced(scenario, job.seed, run=job.run, draw_seed=job.draw_seed, draw=job.draw)


def write_trace(trace: Trace, folder: Path, *, animation: bool = True) -> list[Path]:
    """`events.csv`, `run.json` and (unless `animation` is off) `turns.gif` in `folder`; the paths."""
    from sim.output import atomic_write_json, atomic_write_text, csv_text

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = [[event[c] for c in COLUMNS] for event in trace.events]
    written = [atomic_write_text(folder / "events.csv", csv_text(list(COLUMNS), rows))]
    about = {
        "run": trace.run,
        "seed": trace.seed,
        "draw": trace.draw,
        "inputs": trace.inputs,
        "events": len(trace.events),
        "outcomes": trace.outcomes,
    }
    written.append(atomic_write_json(folder / "run.json", about))
    if animation:
        from sim.report.animation import save_turns_gif

        written.append(save_turns_gif(trace, folder / "turns.gif"))
    return written


# --------------------------------------------------------------------------- the app's run

_REPLAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def model_events(model):
    """The events of the run a `SudzhaModel` has played so far, as a DataFrame (`COLUMNS`).

    The model's run is replayed on a battlefield of its own, from the model's scenario and
    seed, up to the model's turn (a run is the same however it is played); what was replayed
    is kept, so asking again after each step plays only the new turns."""
    import pandas as pd

    watched = model.battlefield
    kept = _REPLAYS.get(model)
    if kept is None or kept[0].turn > watched.turn:
        bf = Battlefield.from_scenario(watched.loaded, watched.dice.seed)
        engine.prepare(bf)
        kept = (bf, Recorder(bf))
        _REPLAYS[model] = kept
    bf, recorder = kept
    while bf.turn < watched.turn and not engine.finished(bf):
        engine.play_turn(bf, recorder)
    return pd.DataFrame(recorder.events, columns=list(COLUMNS))
