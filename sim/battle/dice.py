"""The random numbers of one run: a stream per source of randomness, a fixed place per unit.

Everything random in a run comes from one seed, through NumPy's `SeedSequence`:
each *site* (a phase's draw for one side, or for all units, such as "detection" or
"air, UA side") has its own stream, spawned from the run's seed by the site's number
(`Site`). Within a stream each turn (or each day) owns a fixed stretch, and within
it each unit, hex or pair owns a fixed position, so

- a change that adds or removes draws in one phase leaves every other phase's
  numbers as they were, and the same phase's numbers in the other turns;
- a change to one unit's numbers leaves the other units' draws where they were.

That is what makes common random numbers pair (`sim.rules.draws` turns each
uniform into a count by inversion). The blocks are uniforms in [0, 1).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

TURN_STRIDE = 1 << 40
"""Draws reserved for each turn (or day) of a stream."""
PART_STRIDE = 1 << 32
"""Draws reserved for each part (one kind of draw) within a turn: far more than any block needs."""
_PERIOD = 1 << 128
"""PCG64's period: advancing by it leaves a stream where it was."""


class Site(IntEnum):
    """Every source of randomness in a run, each with its own stream. Add new ones at the end."""

    WEATHER = 0
    DETECTION = 1
    RECON_FLIGHTS = 2
    AIR_UA = 3
    AIR_RU = 4
    ARTILLERY = 5
    DRONES_ON_UNITS = 6
    DRONES_ON_ROADS = 7
    MANOEUVRE = 8
    COMBAT_NOISE = 9
    COMBAT_LOSSES = 10
    CAPTURE = 11
    RETREAT = 12
    CONTROL = 13
    RESUPPLY = 14
    ZONES = 15


AIR_SITES = (Site.AIR_UA, Site.AIR_RU)
"""The air phase's stream of each side (indexed UA, RU)."""


class Dice:
    """Uniform blocks for (site, turn) from one run's seed; see the module docstring."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._bits: dict[Site, np.random.PCG64] = {}
        self._generators: dict[Site, np.random.Generator] = {}
        self._at: dict[Site, int] = {}
        """Where each stream stands: draws made since its start (the next block moves from there)."""

    def _stream(self, site: Site) -> np.random.PCG64:
        bits = self._bits.get(site)
        if bits is None:
            bits = np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(int(site),)))
            self._bits[site] = bits
            self._at[site] = 0
            self._generators[site] = np.random.Generator(bits)
        return bits

    def uniform(self, site: Site, when: int, shape, part: int = 0) -> np.ndarray:
        """The block of uniforms of `site` for turn (or day) `when` and draw `part`, of the given shape.

        Asking again for the same site, turn and part gives the same numbers: positions
        are fixed, so a caller indexes the block by unit, hex or pair, never by order of use.
        """
        bits = self._stream(site)
        start = int(when) * TURN_STRIDE + int(part) * PART_STRIDE
        # the stream moves from where it stands to the block (modulo its period, so also back):
        # the same position as from its start, without resetting its state
        bits.advance((start - self._at[site]) % _PERIOD)
        block = self._generators[site].random(shape)  # one 64-bit draw per uniform, from `bits`
        self._at[site] = start + block.size
        return block
