"""Doctrine: what a unit does this turn when the scenario has not said.

The rules of thumb, per posture:

- broken units (morale below the break threshold) and `withdraw`: fall back
  towards their side's rear, never assault;
- `defend` and `hold`: stay and fight where they stand;
- `reserve`: stay back and recover until an enemy comes within
  `reserve_commit_km`, then take the side's default posture;
- `attack`: move on the objective; next to the enemy, assault if the estimated
  power ratio (from what the side has detected) is at least `min_attack_ratio`
  (how much of its time it spends assaulting is `attack_tempo`, applied in ground
  combat). Once the objective is held, pick the enemy-held
  objective with the best value for its distance, shared with fewer friendly units
  (`retarget`), or else defend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import Posture


@dataclass(frozen=True)
class Intent:
    goal: int | tuple[int, ...] | None
    """Hex (or hexes) to move towards; None to stay put."""
    advance: bool = False
    """Whether the unit may enter enemy-held ground (only attacking units do)."""
    assault: bool = False
    """Whether to attack a defended enemy hex met on the way."""


STAY = Intent(None)


def intent(bf: Battlefield, i: int) -> Intent:
    f = bf.forces
    side = int(f.side[i])
    doctrine = bf.doctrine[side]
    posture = int(f.posture[i])  # one read: a NumPy scalar compares slowly, and this runs per unit
    if f.broken[i] or posture == Posture.WITHDRAW:
        return Intent(bf.rear_goal[side])
    if posture == Posture.RESERVE:
        if bf.recon.nearest_enemy_km[i] > doctrine.reserve_commit_km:
            return STAY
        f.posture[i] = posture = Posture[doctrine.default_posture.upper()]
    if posture != Posture.ATTACK:
        return STAY
    objective = int(f.objective[i])
    if objective < 0 or bf.settlement_holder(objective) == side:
        objective = choose_objective(bf, i) if doctrine.retarget else -1
        f.objective[i] = objective
        if objective < 0:
            f.posture[i] = Posture.DEFEND
            return STAY
    return Intent(bf.sites[objective].hex, advance=True, assault=bool(f.tempo[i] > 0))


def choose_objective(bf: Battlefield, i: int) -> int:
    """The enemy-held objective worth most per km of route from where unit i stands.

    Objectives that other units of the side already head for count for less (divided by
    one plus their number), so a side spreads its attacks instead of queueing at one town.
    """
    f = bf.forces
    side = int(f.side[i])
    mine = f.active & f.manoeuvre & (f.side == side) & (np.arange(f.n) != i)
    taken = np.bincount(f.objective[mine & (f.objective >= 0)], minlength=len(bf.sites))
    best, best_score = -1, 0.0
    for s, site in enumerate(bf.sites):
        value = bf.objective_value[s]
        if value <= 0 or bf.settlement_holder(s) == side:
            continue
        km = bf.cost_fields.to(site.hex)[f.hex[i]]
        if not np.isfinite(km):
            continue
        score = value / (1.0 + km / bf.doctrine[side].objective_range_km) / (1.0 + taken[s])
        if score > best_score:
            best, best_score = s, score
    return best


def worth_assaulting(bf: Battlefield, i: int, target: int) -> bool:
    """Whether unit i's side, from what it has detected, rates the odds at `target` good enough."""
    f = bf.forces
    side = int(f.side[i])
    threshold = bf.doctrine[side].min_attack_ratio
    if threshold <= 0:
        return True
    seen = f.active & f.detected & (f.side != side)
    power = bf.this_turn.manoeuvre_power
    weights = support_shares(bf, bf.hexmap.km_between(f.hex[seen], target))
    defence = float(weights @ power[seen]) + bf.garrison[target]
    if defence <= 0:
        return True
    terrain = bf.effects.terrain_defence[bf.hexmap.terrain[target]]
    attack = power[i] * f.commitment[i]
    return attack / (defence * terrain) >= threshold


def support_shares(bf: Battlefield, km: np.ndarray) -> np.ndarray:
    """Share of its power a defender `km` away lends to the defence of a hex.

    zoc_share^(km / radius) within its zone of control, times the share of the hex the
    zone covers there (the chance the hex belongs to it, `ZonesOfControl`), so that a
    defender supports every hex its zone may hold and the support does not depend on
    the hex size.
    """
    c = bf.params.combat
    radius = max(c.zoc_radius_km, 1e-9)
    covered = np.minimum(np.maximum((radius - km) / bf.hexmap.hex_km + 0.5, 0.0), 1.0)
    return np.where(km <= 1e-6, 1.0, covered * c.zoc_share ** np.minimum(km / radius, 1.0))
