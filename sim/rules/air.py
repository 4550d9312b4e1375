"""Air (phase 2): sorties against air defence, glide bombs, and the air-superiority index.

A side's strike aircraft fly sorties that release glide bombs from stand-off range,
somewhere between `release_depth_min_km` and `release_depth_max_km` behind their own
front line. An enemy air-defence unit at distance d from that front line, with range
r, covers the share

    c = clip((r - d - depth_min) / (depth_max - depth_min), 0, 1)

of the release points. It engages a sortie it covers with its engagement probability
(limited by the missiles it has) and downs it with its kill probability, so a sortie
survives with probability prod(1 - c e pk) over the enemy's air-defence units.
Bombs from surviving sorties go to detected enemy units; the defender's air defence
near a target may intercept them; the rest hit with a probability set by accuracy,
weather and air superiority, and each hit costs the target a Poisson number of
casualties scaled by its terrain and posture.

The air-superiority index of side S is AS = share x survival x freedom (see
`superiority_index`). Draws are by inversion (`sim.rules.draws`).
"""

from __future__ import annotations

import numpy as np


def release_coverage(range_km, distance_to_front_km, depth_min_km, depth_max_km) -> np.ndarray:
    """Share of a side's release points inside each enemy air-defence unit's reach (elementwise; the
    depths may be columns, one per replication)."""
    reach = np.asarray(range_km, dtype=float) - np.asarray(distance_to_front_km, dtype=float)
    span = np.maximum(np.asarray(depth_max_km, dtype=float) - depth_min_km, 1e-9)
    return np.clip((reach - depth_min_km) / span, 0.0, 1.0)


def engagement_chance(coverage, engage_prob, launcher_share, missiles, salvo, sorties) -> np.ndarray:
    """Chance each air-defence unit engages a given sortie, limited by the missiles it holds for the
    `sorties` flown (a number, or a column of them, one per replication)."""
    wanted = np.asarray(coverage) * np.asarray(engage_prob) * np.asarray(launcher_share)
    sorties = np.asarray(sorties, dtype=float)
    affordable = np.asarray(missiles) / np.maximum(np.asarray(salvo), 1) / np.maximum(sorties, 1.0)
    return np.where(sorties > 0, np.minimum(wanted, affordable), wanted)


def sortie_survival(engage, kill_prob) -> np.ndarray:
    """Chance a sortie comes back: it must survive every unit that may engage it (the product over
    the last axis; a unit that cannot engage counts 1)."""
    return np.prod(1.0 - np.asarray(engage) * np.asarray(kill_prob), axis=-1)


def superiority_index(capacity: np.ndarray, survival: np.ndarray, freedom: np.ndarray) -> np.ndarray:
    """AS per side = (share of both sides' sortie capacity) x (chance a sortie survives) x (chance it
    meets no enemy air defence); sides are the last axis.

    Capacity is aircraft x sorties per aircraft, whatever the weather lets fly, so the index
    measures the contest in the air, not the day's clouds; a side with no aircraft scores 0.
    """
    capacity = np.asarray(capacity, dtype=float)
    total = capacity.sum(axis=-1, keepdims=True)
    share = np.where(total > 0, capacity / np.where(total > 0, total, 1.0), 0.0)
    return share * np.asarray(survival, dtype=float) * np.asarray(freedom, dtype=float)


def interception_chance(target_x, target_y, ad_x, ad_y, ad_range, ad_intercept, ad_ready) -> np.ndarray:
    """Chance a bomb aimed at each target is intercepted by the defender's air defence in range
    (targets and air-defence units the last two axes; any leading axes broadcast)."""
    dist = np.hypot(
        np.asarray(target_x)[..., :, None] - ad_x[..., None, :],
        np.asarray(target_y)[..., :, None] - ad_y[..., None, :],
    )
    covered = (dist <= ad_range[..., None, :]) & ad_ready[..., None, :]
    miss = np.where(covered, 1.0 - ad_intercept[..., None, :], 1.0)
    return 1.0 - miss.prod(axis=-1)
