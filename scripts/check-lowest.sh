#!/usr/bin/env sh
# Install the lowest versions pyproject.toml declares for the direct dependencies, on the lowest
# Python it allows (3.12), into .venv-lowest, then the package itself (built, not editable), and
# play a smoke test from another folder: the declared floors are true and the wheel works.
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
# the package itself as a user gets it: built and installed (not editable), then used from
# another folder through its console script, with the scenarios it carries
.venv-lowest/bin/python -m pip install --quiet --disable-pip-version-check --no-deps .
root=$(pwd)
sim="$root/.venv-lowest/bin/sudzha-sim"
out=$(mktemp -d)
cd "$out"
"$sim" validate
"$sim" run --runs 2 --set days=2 --no-plots --out default --quiet
"$sim" run "$root/scenarios/tutorial.yaml" --runs 4 --workers 2 --out study --quiet
"$sim" compare "$root/scenarios/tutorial.yaml" "$root/scenarios/tutorial.yaml" --runs 4 --set days=3 \
    --no-plots --out compare --quiet
"$sim" sensitivity "$root/scenarios/tutorial.yaml" --param parameters.combat.intensity --param sides.RU.recon_effort \
    --global morris --samples 2 --runs 2 --set days=2 --no-plots --out morris --quiet --yes
cd "$root"
echo "check-lowest: the installed package, at the declared floors, validates and plays its default" \
    "scenario from another folder, a study, a comparison (bootstrap) and Morris (SALib)" >&2
rm -rf "$out" .venv-lowest
