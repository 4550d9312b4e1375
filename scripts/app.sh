#!/usr/bin/env sh
# Set up (first time) and start the classroom app in the browser: http://localhost:8765
# Any arguments go to `solara run`, e.g. scripts/app.sh --port 8800 --production
set -eu
cd "$(dirname "$0")/.."
./scripts/setup-env.sh
./scripts/fetch-app-assets.sh   # the page's JavaScript, in case this machine is offline
exec .venv/bin/solara run sim.app "$@"
