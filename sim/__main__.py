"""`python -m sim COMMAND ...` is `run_scenario.py COMMAND ...` and the `sudzha-sim` command."""

import sys

from sim.cli import main

sys.exit(main())
