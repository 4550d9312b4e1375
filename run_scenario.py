#!/usr/bin/env python3
"""Run a Sudzha scenario many times and plot the spread of outcomes (see --help)."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
