"""`python -m sim ARGS` is `run_scenario.py ARGS` (and the `sudzha-sim` command)."""

import sys

from sim.cli import main

sys.exit(main())
