#!/usr/bin/env sh
# Set up (first time) and run the default scenario: plots and a report under results/.
# Any arguments go to run_scenario.py, e.g. ./run.sh scenarios/tutorial.yaml --runs 50
set -eu
cd "$(dirname "$0")"
./scripts/setup-env.sh
exec .venv/bin/python run_scenario.py "$@"
