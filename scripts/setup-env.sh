#!/usr/bin/env sh
# Create (or refresh) the project's virtual environment in .venv with a Python >= 3.12.
# Used by run.sh and test.sh; safe to run again: it reinstalls only when pyproject.toml changed.
set -eu
cd "$(dirname "$0")/.."

is_new_enough() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
    for candidate in ${PYTHON:-} python3.13 python3.12 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 && is_new_enough "$candidate"; then
            echo "$candidate"; return 0
        fi
    done
    # pyenv installs versions that its shims only expose when selected: look at them directly
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root)
        for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+' | sort -t. -k2,2nr); do
            for exe in "$root/versions/$version/bin/python3"; do
                if [ -x "$exe" ] && is_new_enough "$exe"; then echo "$exe"; return 0; fi
            done
        done
    fi
    return 1
}

if [ ! -x .venv/bin/python ] || ! is_new_enough .venv/bin/python; then
    python=$(find_python) || {
        echo "error: this project needs Python 3.12 or newer (set PYTHON=/path/to/python3.12)" >&2
        exit 2
    }
    echo "Creating .venv with $($python --version 2>&1)" >&2
    rm -rf .venv
    "$python" -m venv .venv
fi

stamp=.venv/.setup-stamp
want=$(cat pyproject.toml | cksum)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing dependencies into .venv (first time only; takes a minute)" >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    echo "$want" > "$stamp"
fi
