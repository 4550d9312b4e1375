#!/usr/bin/env sh
# Install what the browser test (tests/test_app.py) needs; safe to run again, it only fills gaps.
#
# 1. Debian's Chromium at /usr/bin/chromium (Playwright drives it; Playwright's own browser
#    download needs internet). apt-get runs only when /usr/bin/chromium is missing.
# 2. The app's browser assets (scripts/fetch-app-assets.sh), for machines without internet.
#
# Usage: scripts/install-chromium.sh   (after scripts/setup-env.sh has made .venv)
set -eu
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium (for the browser test)" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
exec ./scripts/fetch-app-assets.sh
