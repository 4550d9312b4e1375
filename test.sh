#!/usr/bin/env sh
# Set up (first time) and run the whole test suite. Any arguments go to pytest.
set -eu
cd "$(dirname "$0")"
./scripts/setup-env.sh
exec .venv/bin/python -m pytest "$@"
