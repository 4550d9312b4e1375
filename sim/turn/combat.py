"""Phase 6, ground combat: every assault declared in manoeuvre, resolved at once (`sim.rules.combat`).

Defenders of an assaulted hex are every active unit of the other side in it, and a
share `zoc_share^k` of those k steps away within the zone-of-control radius. After
the losses, the defenders of a taken hex retreat (`Battlefield.retreat`) and the
strongest surviving attacker moves in, stacking limit allowing.
"""

from __future__ import annotations

import numpy as np

from sim.battle.battlefield import Battlefield
from sim.codes import Cause
from sim.rules import combat


def run(bf: Battlefield) -> None:
    f, hm, c, t = bf.forces, bf.hexmap, bf.params.combat, bf.this_turn
    if not t.assaults:
        return
    targets = np.fromiter(t.assaults, dtype=np.int64)
    n_e = targets.size
    attack_share = np.zeros((n_e, f.n))
    for e, attackers in enumerate(t.assaults.values()):
        attack_share[e, attackers] = [bf.doctrine[f.side[a]].assault_commitment for a in attackers]
    attacker_side = np.array([f.side[a[0]] for a in t.assaults.values()])

    # defenders: every active unit of the other side in the hex, and zoc_share^k of those k steps away
    defending = f.active[None, :] & (f.side[None, :] != attacker_side[:, None])
    steps = hm.distance(targets[:, None], f.hex[None, :])
    in_hex = defending & (steps == 0)
    in_zone = defending & (steps <= c.zoc_radius)
    defence_share = np.where(in_zone, c.zoc_share**steps, 0.0)
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

    result = combat.resolve(
        combat.Engagements(attack_share, defence_share, attack_factor, np.ones(n_e)),
        bf.unit_power(),
        defence_multiplier,
        f.exposure,
        rates=dict(
            attacker_rate=c.attacker_loss_rate,
            defender_rate=c.defender_loss_rate,
            attacker_max=c.attacker_max_loss_rate,
            defender_max=c.defender_max_loss_rate,
            intensity=c.intensity,
            exponent=c.ratio_exponent,
            noise=c.loss_noise,
            days=bf.days_per_turn,
        ),
        threshold=c.breakthrough_ratio,
        steepness=c.breakthrough_steepness,
        rng=bf.rng,
    )
    t.in_combat |= (attack_share.sum(axis=0) + defence_share.sum(axis=0)) > 0
    people, vehicles = combat.draw_losses(
        f.personnel, f.vehicles, result.unit_loss_fraction, c.vehicle_loss_factor, bf.rng
    )
    bf.record_losses(people, vehicles, Cause.COMBAT)
    bf.record.assaults += n_e
    bf.record.assaults_by_side += np.bincount(attacker_side, minlength=2)
    bf.record.captures_by_side += np.bincount(attacker_side[result.captured], minlength=2)

    power = bf.unit_power()
    for e in np.flatnonzero(result.captured):
        target = int(targets[e])
        side = int(attacker_side[e])
        for d in np.flatnonzero(in_hex[e] & f.active):
            t.defeated[d] = True
            bf.retreat(int(d))
        attackers = [a for a in t.assaults[target] if f.active[a]]
        if attackers and not bf.occupancy[1 - side, target]:
            lead = max(attackers, key=lambda a: power[a])
            if bf.occupancy[side, target] < bf.params.movement.stacking_limit:
                bf.move_unit(lead, target)
            bf.take_hex(target, side)
