"""Phase 6, ground combat: every assault declared in manoeuvre, resolved at once (`sim.rules.combat`).

Defenders of an assaulted hex are every active unit of the other side in it, and a
share `zoc_share^(d / zoc_radius_km)` of those d km away within the zone-of-control
radius. Losses on both sides scale with the days fought and the attackers' tempo.
Each assault advances at its rate, and every attacking unit's progress adds up over
turns (`forces.assault_progress_km`, fading once it stops assaulting, kept when it
turns to another hex); the hex falls when its most advanced attacker has gone
`depth_to_take` into it. Then its defenders retreat, the strongest surviving attacker
moves in (stacking allowing), the flanking hexes the assault's front covers may fall
with it (`flank_share`), and the attackers keep what they advanced beyond it for
their next assault. An undefended hex is taken at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from sim.battle.battlefield import Battlefield
from sim.battle.dice import Site
from sim.codes import Cause, Posture
from sim.rules import combat
from sim.turn.doctrine import support_shares


def run(bf: Battlefield) -> None:
    run_many([bf])


def run_many(bfs: list[Battlefield]) -> None:
    """Ground combat of several replications (lock-step): each declares its own assaults; those of
    replications that share their combat rates are resolved in one call, and the losses of all of
    them drawn in one call (each unit from its own uniforms); then each takes its ground."""
    pending = [(bf, _assaults(bf)) for bf in bfs]
    pending = [(bf, assaults) for bf, assaults in pending if assaults is not None]
    if not pending:
        return
    results = _resolved([assaults for _, assaults in pending])
    losses = combat.draw_losses_many(
        [
            (
                bf.forces.personnel,
                bf.forces.vehicles,
                result.unit_loss_fraction,
                bf.params.combat.vehicle_loss_factor,
                bf.uniform(Site.COMBAT_LOSSES, (2, bf.forces.n)),
            )
            for (bf, _), result in zip(pending, results, strict=True)
        ]
    )
    for (bf, assaults), result, (people, vehicles) in zip(pending, results, losses, strict=True):
        _aftermath(bf, assaults, result, people, vehicles)


def _resolved(assaults: list[_Assaults]) -> list[combat.CombatResult]:
    """Each replication's assaults resolved; those that share their rates together (one call)."""
    together: dict[tuple, list[int]] = {}
    for k, a in enumerate(assaults):
        together.setdefault(a.shared, []).append(k)
    out: list = [None] * len(assaults)
    for members in together.values():
        terms = assaults[members[0]].terms
        results = combat.resolve_many([assaults[k].fight for k in members], **terms)
        for k, result in zip(members, results, strict=True):
            out[k] = result
    return out


@dataclass(frozen=True)
class _Assaults:
    """A turn's assaults of one replication, ready to be resolved (`combat.resolve_many`)."""

    targets: np.ndarray
    attacker_side: np.ndarray
    in_hex: np.ndarray
    depth: float
    fight: combat.Fight
    terms: dict
    """The rates, advance and days its resolution shares with others' (`resolve_many`)."""
    shared: tuple
    """What must be equal for fights to be resolved together: those terms, the morale thresholds
    and the number of units."""


def _assaults(bf: Battlefield) -> _Assaults | None:
    """The turn's assaults, ready to be resolved (none: None); the losses are drawn after."""
    f, hm, c, t = bf.forces, bf.hexmap, bf.params.combat, bf.this_turn
    fading = np.exp(-c.defence_recovery_per_day * bf.days_per_turn)
    assaulting = np.zeros(f.n, dtype=bool)
    for attackers in t.assaults.values():
        assaulting[attackers] = True
    f.assault_progress_km[:] = np.where(assaulting, f.assault_progress_km, f.assault_progress_km * fading)
    if not t.assaults:
        return None
    targets = np.fromiter(t.assaults, dtype=np.int64)
    n_e = targets.size
    attack_share = np.zeros((n_e, f.n))
    for e, attackers in enumerate(t.assaults.values()):
        attack_share[e, attackers] = f.commitment[attackers]
    attacker_side = np.array([f.side[a[0]] for a in t.assaults.values()])
    # an assault goes at the pace of its attackers, weighted by what each commits
    power_now = bf.unit_power()  # before any loss of this phase
    weight = attack_share * np.maximum(power_now, 1e-9)[None, :]
    tempo = (weight @ f.tempo) / np.maximum(weight.sum(axis=1), 1e-12)

    # defenders: every active unit of the other side in the hex, and a share of those nearby
    defending = f.active[None, :] & (f.side[None, :] != attacker_side[:, None])
    km = hm.km_between(targets[:, None], f.hex[None, :])
    in_hex = defending & (f.hex[None, :] == targets[:, None])
    defence_share = np.where(defending, support_shares(bf, km), 0.0)
    committed = defence_share.sum(axis=0)
    defence_share /= np.maximum(committed, 1.0)[None, :]
    defence_multiplier = (
        bf.effects.terrain_defence[hm.terrain[targets]][:, None]
        * bf.effects.posture_defence[f.posture][None, :]
    )

    attack_factor = np.ones(n_e)
    for e, (target, attackers) in enumerate(t.assaults.items()):
        if hm.river[target] and not any(
            hm.road_edge[f.hex[a]][hm.neighbours[f.hex[a]] == target].any() for a in attackers
        ):
            attack_factor[e] *= c.river_attack_factor
        seen_defenders = in_hex[e] & f.detected
        if in_hex[e].any() and not seen_defenders.any():
            attack_factor[e] *= c.blind_attack_factor
        if not f.detected[attackers].any():
            attack_factor[e] *= c.surprise_factor

    depth = combat.depth_to_take(hm.hex_km, c.attack_frontage_km)
    furthest = np.array([f.assault_progress_km[attackers].max() for attackers in t.assaults.values()])
    rates = dict(
        attacker_rate=c.attacker_loss_rate,
        defender_rate=c.defender_loss_rate,
        attacker_max=c.attacker_max_loss_rate,
        defender_max=c.defender_max_loss_rate,
        intensity=c.intensity,
        exponent=c.ratio_exponent,
    )
    advance = dict(
        top=c.advance_rate_km_day, threshold=c.breakthrough_ratio, steepness=c.breakthrough_steepness
    )
    m = bf.params.morale
    fight = combat.Fight(
        combat.Engagements(attack_share, defence_share, attack_factor, tempo),
        power_now,
        defence_multiplier,
        f.exposure,
        noise=_loss_noise(bf, targets),
        remaining_km=depth - furthest,
        garrison_power=bf.garrison[targets]
        * bf.effects.terrain_defence[hm.terrain[targets]]
        * bf.effects.posture_defence[Posture.DEFEND],
        morale=dict(level=f.morale, break_at=m.break_threshold, sensitivity=m.loss_sensitivity),
    )
    t.in_combat |= (attack_share.sum(axis=0) + defence_share.sum(axis=0)) > 0
    terms = dict(rates=rates, advance=advance, days=bf.days_per_turn)
    shared = (
        tuple(rates.values()),
        tuple(advance.values()),
        float(bf.days_per_turn),
        float(m.break_threshold),
        float(m.loss_sensitivity),
        f.n,
    )
    return _Assaults(targets, attacker_side, in_hex, depth, fight, terms, shared)


def _aftermath(
    bf: Battlefield,
    assaults: _Assaults,
    result: combat.CombatResult,
    people: np.ndarray,
    vehicles: np.ndarray,
) -> None:
    """The losses taken, the assaults' progress, and the hexes that fell."""
    f, hm, c, t = bf.forces, bf.hexmap, bf.params.combat, bf.this_turn
    targets, attacker_side, in_hex, depth = (
        assaults.targets,
        assaults.attacker_side,
        assaults.in_hex,
        assaults.depth,
    )
    n_e = targets.size
    bf.record_losses(people, vehicles, Cause.COMBAT)
    bf.garrison[targets] *= 1.0 - result.defender_loss  # unlisted troops: not counted as casualties

    # progress: each attacker keeps how far its assaults have gone; the hex falls to the furthest,
    # and what they went beyond it counts towards the next
    captured = result.captured
    for e, attackers in enumerate(t.assaults.values()):
        f.assault_progress_km[attackers] += result.advance_km[e]
        if captured[e]:
            f.assault_progress_km[attackers] = np.maximum(f.assault_progress_km[attackers] - depth, 0.0)
    bf.record.assaults += n_e
    bf.record.assaults_by_side += np.bincount(attacker_side, minlength=2)
    bf.record.captures_by_side += np.bincount(attacker_side[captured], minlength=2)

    power = bf.unit_power()
    flank = combat.flank_share(hm.hex_km, c.attack_frontage_km)
    u_flank = bf.uniform(Site.CAPTURE, hm.n)
    for e in np.flatnonzero(captured):
        target = int(targets[e])
        side = int(attacker_side[e])
        if bf.control[target] == side:
            continue  # taken already this turn (a flank of another assault)
        for d in np.flatnonzero(in_hex[e] & f.active):
            bf.retreat(int(d))
        attackers = [a for a in t.assaults[target] if f.active[a]]
        if not attackers or bf.occupancy[1 - side, target]:
            continue
        lead = max(attackers, key=lambda a: power[a])
        origin = int(f.hex[lead])
        if bf.occupancy[side, target] < bf.stacking_limit:
            bf.move_unit(lead, target)
        bf.take_hex(target, side)
        if flank > 0:
            bf.take_flanks(origin, target, side, flank, u_flank, zoc_stops=False)
        if f.hex[lead] == target:
            push_on(bf, lead, depth, flank, u_flank)


def push_on(bf: Battlefield, lead: int, depth: float, flank: float, u_flank: np.ndarray) -> None:
    """An assault that went further than its hex takes the next hexes towards the lead unit's
    objective while its progress lasts, where only a garrison holds them (no enemy unit in them or
    covering them): the ground an assault gains in a turn does not depend on the turn length."""
    f = bf.forces
    side = int(f.side[lead])
    if f.objective[lead] < 0:
        return
    hexes, _ = bf.cost_fields.routes(int(bf.sites[f.objective[lead]].hex))
    while f.assault_progress_km[lead] >= depth:
        here = int(f.hex[lead])
        if not hexes[here]:
            return  # at the objective
        step = hexes[here][0]
        if bf.control[step] == side or bf.occupancy[1 - side, step] or bf.enemy_zoc(step, side):
            return
        if bf.occupancy[side, step] >= bf.stacking_limit:
            return
        f.assault_progress_km[lead] -= depth
        bf.move_unit(lead, step)
        bf.take_hex(step, side)
        if flank > 0:
            bf.take_flanks(here, step, side, flank, u_flank, zoc_stops=True)


def _loss_noise(bf: Battlefield, targets: np.ndarray) -> np.ndarray:
    """(2, engagements) attacker and defender loss factors: one draw per day and hex, averaged over
    the days of the turn by their hours, so a turn of any length sees the same daily spread."""
    sd = bf.params.combat.loss_noise
    out = np.zeros((2, targets.size))
    for day, hours in bf.timeline.days_of_turn(bf.turn):
        u = bf.dice.uniform(Site.COMBAT_NOISE, day, (2, bf.hexmap.n))[:, targets]
        out += combat.daily_noise(ndtri(np.clip(u, 1e-12, 1 - 1e-12)), sd) * (hours / bf.spec.turn_hours)
    return out
