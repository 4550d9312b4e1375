"""Convergence study: the same scenario at other turn lengths and hex sizes, on common random numbers.

A model's answers should not depend on its discretisation. Each variant (a turn length
or a hex size) plays the same runs with the same seeds as the reference, so each
difference is estimated on pairs (`sim.analysis.stats.paired_difference`):

    python bench/convergence.py scenarios/tutorial.yaml --runs 200
    python bench/convergence.py scenarios/sudzha_jan2025.yaml --runs 100 --hex 1.0 1.5 2.0

prints, per outcome, each variant's mean and its paired difference from the
reference with a 95 % interval, as the markdown table `docs/validity.md` shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.analysis.stats import Interval, paired_difference
from sim.loading import load_scenario
from sim.replications import run_batch

OUTCOMES = ("ua_area_change_km2", "ua_casualties", "ru_casualties")
"""The outcomes compared: area Ukraine gained (negative: lost) and each side's casualties."""


@dataclass(frozen=True)
class Variant:
    label: str
    overrides: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One outcome of one variant against the reference."""

    variant: str
    outcome: str
    mean: float
    difference: Interval
    """Paired difference of means, variant minus reference, with its 95 % interval."""
    reference_mean: float

    @property
    def relative(self) -> float:
        """The difference as a share of the reference mean (nan when the reference is 0)."""
        return self.difference.estimate / abs(self.reference_mean) if self.reference_mean else float("nan")

    def within(self, share: float, floor: float = 0.0) -> bool:
        """Whether the mean is within `share` of the reference, or within `floor` in absolute terms."""
        gap = abs(self.difference.estimate)
        return gap <= floor or gap <= share * abs(self.reference_mean)


def variants(spec, turn_hours=(), hex_km=()) -> list[Variant]:
    """The turn lengths and hex sizes to compare, but for the scenario's own (the reference)."""
    out = [Variant(f"turn_hours={h:g}", (f"turn_hours={h:g}",)) for h in turn_hours if h != spec.turn_hours]
    return out + [Variant(f"hex_km={k:g}", (f"hex_km={k:g}",)) for k in hex_km if k != spec.hex_km]


def outcomes(path: Path, overrides: tuple[str, ...], runs: int, seed: int, workers: int, keys) -> dict:
    """Each outcome of `runs` replications, in run order (so runs of two variants pair), and whether
    Ukraine held each objective at the end (`held_<key>`, 0 or 1).

    Uncertain inputs are played at their centres: the question is whether the discretisation
    moves the answer of one model, and drawn inputs would only add noise to each difference.
    """
    loaded = load_scenario(path, list(overrides)).at_centre()
    rows: list[dict] = []
    run_batch(loaded, runs, seed, workers, lambda result: rows.append(result.outcomes))
    held = [k for k in rows[0] if k.startswith("held_")]
    return {key: np.array([float(r[key]) for r in rows]) for key in (*keys, *held)}


def contested(reference: dict, low: float = 0.05, high: float = 0.95) -> list[str]:
    """The objectives whose holder at the end is in doubt in the reference (P(UA holds) in (low, high))."""
    return [k for k, v in reference.items() if k.startswith("held_") and low < v.mean() < high]


def held_shifts(reference: dict, variant_outcomes: dict[str, dict]) -> dict[str, dict[str, float]]:
    """Per variant, per contested objective, the change in the probability that Ukraine holds it."""
    keys = contested(reference)
    return {
        label: {k: float(values[k].mean() - reference[k].mean()) for k in keys}
        for label, values in variant_outcomes.items()
    }


def study(
    path: Path,
    variant_list: list[Variant],
    *,
    runs: int,
    seed: int = 2025,
    workers: int = 1,
    keys: tuple[str, ...] = OUTCOMES,
) -> tuple[dict, list[Row]]:
    """The reference's outcomes and one Row per variant and outcome."""
    reference = outcomes(path, (), runs, seed, workers, keys)
    rng = np.random.default_rng(seed)
    rows = []
    for v in variant_list:
        values = outcomes(path, v.overrides, runs, seed, workers, keys)
        for key in (*keys, *contested(reference)):
            rows.append(
                Row(
                    variant=v.label,
                    outcome=key,
                    mean=float(values[key].mean()),
                    difference=paired_difference(reference[key], values[key], "mean", rng),
                    reference_mean=float(reference[key].mean()),
                )
            )
    return reference, rows


def markdown(reference: dict, rows: list[Row], reference_label: str) -> str:
    """A table: one line per variant, per outcome the mean and the paired difference [95 % interval]
    (for contested objectives, the probability that Ukraine holds it at the end)."""
    keys = list(dict.fromkeys(r.outcome for r in rows)) or [k for k in reference if not k.startswith("held_")]
    head = "| variant | " + " | ".join(keys) + " |"
    lines = [head, "|" + "---|" * (len(keys) + 1)]
    lines.append(
        f"| {reference_label} (reference) | "
        + " | ".join(
            f"{reference[k].mean():.2f}" if k.startswith("held_") else f"{reference[k].mean():.1f}"
            for k in keys
        )
        + " |"
    )
    for label in dict.fromkeys(r.variant for r in rows):
        cells = []
        for k in keys:
            r = next(r for r in rows if r.variant == label and r.outcome == k)
            d = r.difference
            if k.startswith("held_"):
                cells.append(f"{r.mean:.2f} ({d.estimate:+.2f} [{d.low:+.2f}, {d.high:+.2f}])")
            else:
                cells.append(
                    f"{r.mean:.1f} ({d.estimate:+.1f} [{d.low:+.1f}, {d.high:+.1f}]; {r.relative:+.0%})"
                )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
