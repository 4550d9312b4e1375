#!/usr/bin/env sh
# Install the lowest versions pyproject.toml declares for the direct dependencies, on the lowest
# Python it allows (3.12), into .venv-lowest, and play a smoke test: the declared floors are true.
# CI runs it (.ci/run); by hand: ./scripts/check-lowest.sh
set -eu
cd "$(dirname "$0")/.."
python=""
for candidate in ${PYTHON312:-} python3.12 "$(pyenv root 2>/dev/null)/versions/3.12.1/bin/python3"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' \
        >/dev/null 2>&1; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
    echo "check-lowest: no Python 3.12 found (set PYTHON312=/path/to/python3.12)" >&2
    exit 2
fi
floors=$("$python" - <<'PY'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
out = []
for dep in deps:
    name, low = re.match(r"([A-Za-z0-9_.\[\],-]+)>=([0-9.]+)", dep.replace(" ", "")).groups()
    # a floor "X.Y" means the X.Y series (its first release may have no wheel for this Python)
    out.append(f"{name}=={low}" if low.count(".") >= 2 else f"{name}=={low}.*")
print(" ".join(out))
PY
)
echo "check-lowest: $python with $floors" >&2
rm -rf .venv-lowest
"$python" -m venv .venv-lowest
.venv-lowest/bin/python -m pip install --quiet --disable-pip-version-check --only-binary ':all:' $floors
.venv-lowest/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
out=$(mktemp -d)
.venv-lowest/bin/python run_scenario.py scenarios/tutorial.yaml --runs 4 --workers 2 --out "$out/study" --quiet
.venv-lowest/bin/python run_scenario.py scenarios/tutorial.yaml scenarios/tutorial.yaml --runs 4 --set days=3 \
    --no-plots --out "$out/compare" --quiet
.venv-lowest/bin/python run_scenario.py scenarios/tutorial.yaml --sensitivity parameters.combat.intensity,sides.RU.recon_effort \
    --global morris --samples 2 --runs 2 --set days=2 --no-plots --out "$out/morris" --quiet --yes
echo "check-lowest: the declared floors run the model, a comparison (bootstrap) and Morris (SALib)" >&2
rm -rf "$out"
