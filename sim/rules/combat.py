"""Ground combat (phase 6): combat power, loss rates, and how far an assault advances.

**Attrition** follows Dupuy's Quantified Judgment Model (QJM) and its successor the
TNDM: each side loses a daily fraction of its personnel, a standard rate (attacker
2.8 %, defender 1.5 % per day) that the force ratio shifts and the QJM maxima cap
(13.44 % and 5.76 % per day). Here the shift is a power law in the ratio R of
combat powers,

    attacker rate = intensity x a0 x R^-k        defender rate = intensity x d0 x R^k

each multiplied by a daily log-normal factor of mean 1. The absolute exchange of
losses then goes as (a0 / d0) x R^(1 - 2k): the same at every ratio for k = 1/2
(Lanchester's linear law), shifting towards the stronger side as in the square law
for k > 1/2. The default k is set so that the sides lose equal fractions at 3:1
against prepared defences in mixed terrain (RAND's version of the 3:1 rule).

**Ground** is taken at a rate, not a hex at a time: an assault eats into the
defended hex at

    v = advance_rate x (R - 1)^g / ((R - 1)^g + (T - 1)^g)   km/day,  0 for R <= 1

(Dupuy: advance against opposition needs local combat-power preponderance; half the
top rate at R = T, the 3:1 rule made smooth), times the share of the time the
attackers spend assaulting. Losses and advance both scale with the days fought
(the TNDM gives half the casualties and half the advance in half the time).

Combat power is strength x quality x morale x supply, with vehicles counted as
personnel-equivalents; defenders multiply it by terrain and posture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules import draws


def target_size(personnel, vehicles, active, vehicle_weight) -> np.ndarray:
    """Personnel-equivalents of each unit (what a strike aims at), before quality, morale and supply;
    0 for units off the map."""
    return (personnel + vehicle_weight * vehicles) * active


def combat_power(
    personnel: np.ndarray,
    vehicles: np.ndarray,
    quality: np.ndarray,
    morale: np.ndarray,
    supply: np.ndarray,
    *,
    vehicle_weight: float,
    morale_weight: float,
    supply_weight: float,
) -> np.ndarray:
    """Raw combat power of each unit, in personnel-equivalents."""
    strength = personnel + vehicle_weight * vehicles
    morale_factor = 1.0 - morale_weight + morale_weight * np.minimum(np.maximum(morale, 0.0), 1.0)
    supply_factor = 1.0 - supply_weight + supply_weight * np.minimum(np.maximum(supply, 0.0), 1.0)
    return strength * quality * morale_factor * supply_factor


def loss_rates(
    ratio: np.ndarray,
    *,
    attacker_rate: float,
    defender_rate: float,
    attacker_max: float,
    defender_max: float,
    intensity: float,
    exponent: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Daily loss fractions of attacker and defender at power ratio `ratio` (before noise)."""
    ratio = np.clip(ratio, 1e-3, 1e3)
    att = np.minimum(intensity * attacker_rate * ratio**-exponent, attacker_max)
    dfd = np.minimum(intensity * defender_rate * ratio**exponent, defender_max)
    return att, dfd


def daily_noise(z: np.ndarray, sd: float) -> np.ndarray:
    """Log-normal factors of mean 1 from standard normal `z`: exp(sd z - sd^2 / 2)."""
    return np.exp(sd * np.asarray(z) - 0.5 * sd * sd)


def advance_rate(ratio: np.ndarray, *, top: float, threshold: float, steepness: float) -> np.ndarray:
    """km/day an assault at power ratio R eats into the defended hex: 0 up to 1:1, top/2 at R = threshold."""
    excess = np.clip(np.asarray(ratio, dtype=float) - 1.0, 0.0, 1e6)
    scale = max(threshold - 1.0, 1e-9)
    return top * excess**steepness / (excess**steepness + scale**steepness)


def depth_to_take(hex_km: float, frontage_km: float) -> float:
    """km an assault must advance to take a hex of width `hex_km` on a front `frontage_km` wide.

    One hex width when the front spans the hex; proportionally more when the hex is
    wider than the front, so that an assault gains frontage x advance of ground
    whatever the hex size (`flank_share` covers hexes narrower than the front).
    """
    return hex_km * max(1.0, hex_km / frontage_km)


def flank_share(hex_km: float, frontage_km: float) -> float:
    """Chance each of the two hexes flanking a taken hex falls with it (the front's width beyond it)."""
    return min(1.0, max(0.0, frontage_km / hex_km - 1.0) / 2.0)


def draw_losses(
    personnel, vehicles, loss_fraction, vehicle_loss_factor: float, u
) -> tuple[np.ndarray, np.ndarray]:
    """Binomial personnel and vehicle losses (one uniform per unit for each, `u` is (2, units))."""
    return draw_losses_many([(personnel, vehicles, loss_fraction, vehicle_loss_factor, u)])[0]


def draw_losses_many(fights: list[tuple]) -> list[tuple[np.ndarray, np.ndarray]]:
    """`draw_losses` for several (personnel, vehicles, loss_fraction, vehicle_loss_factor, u) at once,
    in one call (replications played together): each count is still drawn from its own uniform."""
    u, n, p, sizes = [], [], [], []
    for personnel, vehicles, loss_fraction, vehicle_loss_factor, uniforms in fights:
        share = np.clip(loss_fraction, 0.0, 1.0)
        u += [uniforms[0], uniforms[1]]
        n += [np.maximum(personnel, 0), np.maximum(vehicles, 0)]
        p += [share, np.clip(share * vehicle_loss_factor, 0.0, 1.0)]
        sizes.append(share.size)
    lost = draws.binomial(np.concatenate(u), np.concatenate(n), np.concatenate(p))
    out, start = [], 0
    for units in sizes:
        out.append((lost[start : start + units], lost[start + units : start + 2 * units]))
        start += 2 * units
    return out


@dataclass(frozen=True)
class Engagements:
    """All assaults of one turn as matrices over (engagement, unit).

    `attack_share[e, u]` and `defence_share[e, u]` are the fractions of unit u's
    power committed to engagement e; a unit's shares sum to at most 1. `tempo[e]` is
    the share of the turn the attackers of e spend assaulting.
    """

    attack_share: np.ndarray
    defence_share: np.ndarray
    attack_factor: np.ndarray
    tempo: np.ndarray


@dataclass(frozen=True)
class CombatResult:
    ratio: np.ndarray
    advance_km: np.ndarray
    """How far each engagement's assault advanced this turn (km)."""
    undefended: np.ndarray
    unit_loss_fraction: np.ndarray
    captured: np.ndarray
    """Whether each engagement's hex fell this turn (its assault went the remaining depth)."""
    defender_loss: np.ndarray
    """Loss fraction of each engagement's defence (a garrison loses it too)."""


def resolve(
    engagements: Engagements,
    power: np.ndarray,
    defence_multiplier: np.ndarray,
    exposure: np.ndarray,
    *,
    rates: dict,
    advance: dict,
    days: float,
    noise: np.ndarray,
    remaining_km: np.ndarray | None = None,
    morale: dict | None = None,
    garrison_power: np.ndarray | None = None,
) -> CombatResult:
    """Resolve every engagement at once: ratios, how far each advanced, each unit's loss fraction.

    `defence_multiplier[e, u]` is terrain x posture for unit u defending engagement e;
    `noise` is (2, engagements): the attacker's and defender's loss factors over the turn.
    `remaining_km[e]` is how far e's assault still has to go to take its hex (none: unbounded); an
    assault that gets there goes on into the ground behind it for the rest of the turn.
    `morale` (`level` per unit, `break_at`, `sensitivity` per loss fraction) ends a fight when its
    main attacker would break (the assault is called off) or its main defender would (the hex
    falls): the same feedback a shorter turn would give. `garrison_power[e]` is the defence of
    the troops not listed as units holding e's hex (it adds to the units' defence and never breaks).
    """
    return resolve_many(
        [
            Fight(
                engagements, power, defence_multiplier, exposure, noise, remaining_km, morale, garrison_power
            )
        ],
        rates=rates,
        advance=advance,
        days=days,
    )[0]


@dataclass(frozen=True)
class Fight:
    """One replication's engagements of a turn and what `resolve` needs of its units."""

    engagements: Engagements
    power: np.ndarray
    defence_multiplier: np.ndarray
    exposure: np.ndarray
    noise: np.ndarray
    remaining_km: np.ndarray | None = None
    morale: dict | None = None
    garrison_power: np.ndarray | None = None


def resolve_many(fights: list[Fight], *, rates: dict, advance: dict, days: float) -> list[CombatResult]:
    """`resolve` for several replications' fights that share their rates, advance, days and morale
    thresholds (replications played together): each one's matrix products on its own, and every
    step that is engagement by engagement once over all their engagements side by side, so each
    engagement's numbers are the ones it gets alone."""
    first = fights[0]
    sizes = np.cumsum([0, *(f.engagements.tempo.size for f in fights)])
    attack_power = np.concatenate(
        [(f.engagements.attack_share @ f.power) * f.engagements.attack_factor for f in fights]
    )
    defence_power = np.concatenate(
        [(f.engagements.defence_share * f.defence_multiplier) @ f.power for f in fights]
    )
    if first.garrison_power is not None:
        defence_power = defence_power + np.concatenate([f.garrison_power for f in fights])
    ratio = attack_power / np.maximum(defence_power, 1e-9)
    att_rate, def_rate = loss_rates(ratio, **rates)
    fought = np.concatenate([f.engagements.tempo for f in fights]) * days
    rate = advance_rate(ratio, **advance)
    # an undefended hex costs the attacker nothing and is simply taken
    undefended = defence_power <= 1e-9
    if first.remaining_km is None:
        remaining_km = np.full(ratio.shape, np.inf)
    else:
        remaining_km = np.concatenate([f.remaining_km for f in fights])
    needed = np.where(rate > 0, np.maximum(remaining_km, 0.0) / np.maximum(rate, 1e-12), np.inf)
    noise = np.concatenate([f.noise for f in fights], axis=1)
    called_off = defence_breaks = np.full(ratio.shape, np.inf)
    if first.morale is not None:
        attack_share = np.concatenate([f.engagements.attack_share for f in fights])
        defence_share = np.concatenate([f.engagements.defence_share for f in fights])
        power = np.concatenate([np.broadcast_to(f.power, f.engagements.attack_share.shape) for f in fights])
        exposure = np.concatenate(
            [np.broadcast_to(f.exposure, f.engagements.attack_share.shape) for f in fights]
        )
        level = np.concatenate(
            [np.broadcast_to(f.morale["level"], f.engagements.attack_share.shape) for f in fights]
        )
        thresholds = dict(break_at=first.morale["break_at"], sensitivity=first.morale["sensitivity"])
        attack_weight = attack_share * power
        defence_weight = (
            np.concatenate([f.engagements.defence_share * f.defence_multiplier for f in fights]) * power
        )
        called_off = _time_to_break(
            attack_share, attack_weight, att_rate * noise[0], exposure, level, **thresholds
        )
        defence_breaks = _time_to_break(
            defence_share, defence_weight, def_rate * noise[1], exposure, level, **thresholds
        )
    # the fight goes on all turn (past the hex, into the ground behind it) unless a side breaks
    ends = np.minimum(fought, np.minimum(called_off, defence_breaks))
    captured = undefended | (needed <= ends) | ((defence_breaks <= ends) & (called_off > ends))
    fought = np.where(undefended, 0.0, ends)
    att = -np.expm1(-att_rate * noise[0] * fought)
    dfd = -np.expm1(-def_rate * noise[1] * fought)
    advance_km = np.where(captured, np.maximum(rate * fought, np.maximum(remaining_km, 0.0)), rate * fought)
    out = []
    for f, a, b in zip(fights, sizes[:-1], sizes[1:], strict=True):
        e = f.engagements
        unit_fraction = (e.attack_share.T @ att[a:b] + e.defence_share.T @ dfd[a:b]) * f.exposure
        out.append(
            CombatResult(
                ratio=ratio[a:b],
                advance_km=advance_km[a:b],
                undefended=undefended[a:b],
                unit_loss_fraction=np.clip(unit_fraction, 0.0, 1.0),
                captured=captured[a:b],
                defender_loss=dfd[a:b],
            )
        )
    return out


def _time_to_break(share, weight, loss_rate, exposure, level, *, break_at: float, sensitivity: float):
    """Fighting days after which each engagement's main unit on one side (the largest `weight`)
    would break: its morale falls by `sensitivity` x the fraction it loses, which grows as
    1 - exp(-loss_rate x t) times its share and exposure; inf if it never would. `exposure` and
    `level` (morale) are given per engagement and unit, as `share` is."""
    lead = np.argmax(weight, axis=1)
    rows = np.arange(weight.shape[0])
    has = weight[rows, lead] > 0
    scale = sensitivity * share[rows, lead] * exposure[rows, lead]
    room = (level[rows, lead] - break_at) / np.maximum(scale, 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(room >= 1.0, np.inf, -np.log1p(-np.clip(room, 0.0, 1.0)) / np.maximum(loss_rate, 1e-12))
    return np.where(has & (scale > 0), np.maximum(t, 0.0), np.inf)
