"""The answer must not depend on the discretisation: turn lengths and hex sizes against the reference.

Each variant plays the same seeds as the scenario as written (`sim.analysis.convergence`);
`python bench/convergence.py` prints the same comparison as a table (docs/validity.md).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from sim.analysis import convergence
from sim.loading import load_scenario

from conftest import DEFAULT, ROOT, TUTORIAL

KEYS = ("ua_area_change_km2", "ua_casualties", "ru_casualties")


@pytest.fixture(scope="module")
def tutorial_turns():
    spec = load_scenario(TUTORIAL).spec
    return convergence.study(
        TUTORIAL,
        convergence.variants(spec, turn_hours=(6, 12, 48)),
        runs=160,
        seed=2025,
        workers=2,
        keys=KEYS,
    )


@pytest.mark.parametrize("hours", [6, 12, 48])
@pytest.mark.parametrize("outcome", KEYS)
def test_tutorial_outcomes_do_not_depend_on_the_turn_length(tutorial_turns, hours, outcome):
    """Area lost and casualties at 6-, 12- and 48-h turns within 10 % (or 1 km², 1 casualty) of 24-h turns."""
    _, rows = tutorial_turns
    row = next(r for r in rows if r.variant == f"turn_hours={hours}" and r.outcome == outcome)
    assert row.within(0.10, floor=1.0), (
        f"{outcome} at {hours}-h turns: {row.mean:.1f} against {row.reference_mean:.1f} "
        f"({row.relative:+.0%}, paired 95 % interval {row.difference.low:+.1f} to {row.difference.high:+.1f})"
    )


@pytest.fixture(scope="module")
def default_variants():
    spec = load_scenario(DEFAULT).spec
    chosen = convergence.variants(spec, turn_hours=(12,), hex_km=(1.0, 2.0))
    return convergence.study(DEFAULT, chosen, runs=80, seed=2025, workers=2, keys=("ua_area_change_km2",))


def _row(rows, variant, outcome="ua_area_change_km2"):
    return next(r for r in rows if r.variant == variant and r.outcome == outcome)


@pytest.mark.slow
def test_default_area_lost_does_not_depend_on_half_the_turn_length(default_variants):
    """The default scenario at 12-h turns loses the same area as at 24-h turns, within 15 %."""
    row = _row(default_variants[1], "turn_hours=12")
    assert row.within(0.15), f"{row.mean:.1f} km² against {row.reference_mean:.1f} ({row.relative:+.0%})"


HEX_MISS = pytest.mark.xfail(
    strict=True,
    reason="known miss (docs/validity.md): at 2 km hexes January loses about a sixth more ground "
    "(assaults by several units at once on the same, larger hex)",
)
SETTLEMENT_MISS = pytest.mark.xfail(
    strict=True,
    reason="known miss (docs/validity.md): Cherkasskoye Porechnoye, just behind the 5 January attack "
    "group, falls at 1.0 and 2.0 km hexes in nearly every run and holds in most at 1.5 km; Martynovka "
    "holds in nine runs of ten at 1.0 and 2.0 km and in about half at 1.5 km",
)


@pytest.mark.slow
@pytest.mark.parametrize("hex_km", ["1", pytest.param("2", marks=HEX_MISS)])
def test_default_area_lost_does_not_depend_on_the_hex_size(default_variants, hex_km):
    """The default scenario at 1.0 and 2.0 km hexes loses the same area as at 1.5 km, within 15 %."""
    row = _row(default_variants[1], f"hex_km={hex_km}")
    assert row.within(0.15), f"{row.mean:.1f} km² against {row.reference_mean:.1f} ({row.relative:+.0%})"


@pytest.mark.slow
@pytest.mark.parametrize(
    "variant",
    [
        "turn_hours=12",
        pytest.param("hex_km=1", marks=SETTLEMENT_MISS),
        pytest.param("hex_km=2", marks=SETTLEMENT_MISS),
    ],
)
def test_default_contested_settlements_do_not_depend_on_the_discretisation(default_variants, variant):
    """Each contested objective's chance of being Ukrainian at the end moves by at most 0.15."""
    _, rows = default_variants
    shifts = {
        r.outcome: r.difference.estimate
        for r in rows
        if r.variant == variant and r.outcome.startswith("held_")
    }
    assert shifts, "the reference should have contested objectives"
    worst = max(shifts, key=lambda k: abs(shifts[k]))
    assert abs(shifts[worst]) <= 0.15, f"{worst} moves by {shifts[worst]:+.2f} at {variant}"


VALIDITY = ROOT / "docs" / "validity.md"


def validity_commands() -> list[list[str]]:
    """Each command of docs/validity.md's ```sh blocks, as words (they all run bench/convergence.py)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", VALIDITY.read_text(encoding="utf-8"), re.S | re.M)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]


def test_validity_page_shows_how_to_make_its_tables():
    commands = validity_commands()
    assert commands, "docs/validity.md should show the commands behind its tables"
    for words in commands:
        assert words[:2] == [".venv/bin/python", "bench/convergence.py"], " ".join(words)


@pytest.mark.slow
@pytest.mark.parametrize("words", validity_commands(), ids=lambda w: " ".join(w[2:4]))
def test_validity_page_commands_run_as_written(words):
    """The page's commands run (with two runs per variant instead of hundreds) and print a table."""
    args = words[1:]
    if "--runs" in args:
        args[args.index("--runs") + 1] = "2"
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| variant |" in done.stdout and "(reference)" in done.stdout
