"""Ground combat (phase 6): combat power, loss rates and who holds the hex.

The attrition follows Dupuy's Quantified Judgment Model (QJM) and its successor
the TNDM: each side loses a daily fraction of its personnel, a standard rate
(attacker 2.8 %, defender 1.5 % per day) that the force ratio shifts and the QJM
maxima cap (13.44 % and 5.76 % per day). Here the shift is a power law in the
ratio R of combat powers,

    attacker rate = intensity x a0 x R^-k        defender rate = intensity x d0 x R^k

each multiplied by a log-normal draw, so equal forces bleed at the standard
rates and a strong attacker bleeds less while the defender bleeds more. Whether
the attacker takes the hex follows the 3:1 rule of thumb made smooth:

    P(take) = R^g / (R^g + T^g),  T = 3 by default

Combat power is strength x quality x morale x supply, with vehicles counted as
personnel-equivalents; defenders multiply it by terrain and posture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    morale_factor = 1.0 - morale_weight + morale_weight * np.clip(morale, 0.0, 1.0)
    supply_factor = 1.0 - supply_weight + supply_weight * np.clip(supply, 0.0, 1.0)
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
    noise: float,
    days: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Loss fractions of attacker and defender in each engagement over `days`."""
    ratio = np.clip(ratio, 1e-3, 1e3)
    n = ratio.shape[0]
    noise_a = np.exp(noise * rng.standard_normal(n))
    noise_d = np.exp(noise * rng.standard_normal(n))
    att = np.minimum(intensity * attacker_rate * ratio**-exponent, attacker_max) * noise_a
    dfd = np.minimum(intensity * defender_rate * ratio**exponent, defender_max) * noise_d
    return np.clip(att * days, 0.0, 1.0), np.clip(dfd * days, 0.0, 1.0)


def capture_probability(ratio: np.ndarray, *, threshold: float, steepness: float) -> np.ndarray:
    """Chance that an assault at power ratio R takes the hex (0.5 at R = threshold)."""
    ratio = np.clip(ratio, 1e-6, 1e6)
    return 1.0 / (1.0 + (threshold / ratio) ** steepness)


def draw_losses(
    personnel: np.ndarray,
    vehicles: np.ndarray,
    loss_fraction: np.ndarray,
    vehicle_loss_factor: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Binomial personnel and vehicle losses: never negative, never above strength."""
    p = np.clip(loss_fraction, 0.0, 1.0)
    lost_people = rng.binomial(np.maximum(personnel, 0), p)
    lost_vehicles = rng.binomial(np.maximum(vehicles, 0), np.clip(p * vehicle_loss_factor, 0.0, 1.0))
    return lost_people, lost_vehicles


@dataclass(frozen=True)
class Engagements:
    """All assaults of one turn as matrices over (engagement, unit).

    `attack_share[e, u]` and `defence_share[e, u]` are the fractions of unit u's
    power committed to engagement e; a unit's shares sum to at most 1.
    """

    attack_share: np.ndarray
    defence_share: np.ndarray
    attack_factor: np.ndarray
    defence_factor: np.ndarray


@dataclass(frozen=True)
class CombatResult:
    ratio: np.ndarray
    captured: np.ndarray
    unit_loss_fraction: np.ndarray


def resolve(
    engagements: Engagements,
    power: np.ndarray,
    defence_multiplier: np.ndarray,
    exposure: np.ndarray,
    *,
    rates: dict,
    threshold: float,
    steepness: float,
    rng: np.random.Generator,
) -> CombatResult:
    """Resolve every engagement at once; returns ratios, captures and each unit's loss fraction.

    `defence_multiplier[e, u]` is terrain x posture for unit u defending engagement e.
    """
    attack_power = (engagements.attack_share @ power) * engagements.attack_factor
    defence_power = ((engagements.defence_share * defence_multiplier) @ power) * engagements.defence_factor
    ratio = attack_power / np.maximum(defence_power, 1e-9)
    att_rate, def_rate = loss_rates(ratio, rng=rng, **rates)
    # an undefended hex costs the attacker nothing and is simply taken
    undefended = defence_power <= 1e-9
    att_rate = np.where(undefended, 0.0, att_rate)
    captured = undefended | (
        rng.random(ratio.shape[0]) < capture_probability(ratio, threshold=threshold, steepness=steepness)
    )
    unit_fraction = (
        engagements.attack_share.T @ att_rate + engagements.defence_share.T @ def_rate
    ) * exposure
    return CombatResult(ratio=ratio, captured=captured, unit_loss_fraction=np.clip(unit_fraction, 0.0, 1.0))
