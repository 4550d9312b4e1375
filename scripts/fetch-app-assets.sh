#!/usr/bin/env sh
# Fill Solara's browser-asset cache from the npm registry, so the app works without internet.
#
# Solara's server fetches its page's JavaScript and CSS from a public CDN on first use and
# keeps them in .venv/share/solara/cdn; offline, the page stays blank. The CDN serves npm
# packages file for file, so the cache can be filled with `npm pack`. Skipped for packages
# already there, or when npm is missing (then Solara fetches them itself). Safe to run again.
#
# Usage: scripts/fetch-app-assets.sh   (after scripts/setup-env.sh has made .venv)
set -eu
cd "$(dirname "$0")/.."

# the npm packages (name@version) that the pages of the installed Solara load
cache=.venv/share/solara/cdn
packages="
@widgetti/solara-vuetify3-app@5.2.0
@widgetti/solara-vuetify-app@10.1.1
@widgetti/vue-grid-layout@2.3.13-alpha.2
requirejs@2.3.6
font-awesome@4.5.0
mermaid@10.8.0
katex@0.16.9
"
if [ -x .venv/bin/python ]; then
    # the app versions that this Solara asks for, in case Solara was upgraded since this list
    found=$(.venv/bin/python - <<'EOF' 2>/dev/null || true
import pathlib, re, solara.server
root = pathlib.Path(solara.server.__file__).parent
names = set()
for path in list(root.rglob("*.html")) + list(root.rglob("*.py")):
    names.update(re.findall(r"cdn\}\}/(@widgetti/solara-vuetify3?-app@[0-9.]+)", path.read_text(errors="ignore")))
print("\n".join(sorted(names)))
EOF
)
    packages="$packages $found"
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: Solara will fetch its browser assets from its CDN when the app first opens" >&2
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in $(echo "$packages" | tr ' ' '\n' | sort -u); do
    [ -n "$spec" ] || continue
    if [ -f "$cache/$spec/package.json" ]; then
        continue
    fi
    echo "Fetching $spec from the npm registry into $cache (Solara's asset cache)" >&2
    tarball=$(cd "$work" && npm pack "$spec" --silent 2>/dev/null | tail -n 1)
    if [ -z "$tarball" ] || [ ! -f "$work/$tarball" ]; then
        echo "warning: could not fetch $spec; the app needs internet to load it" >&2
        continue
    fi
    # unpack beside the cache and rename into place: the folder is complete whenever it exists
    staging="$cache/.staging-$$"
    rm -rf "$staging" "$cache/$spec"
    mkdir -p "$staging" "$(dirname "$cache/$spec")"
    tar xzf "$work/$tarball" -C "$staging"
    mv "$staging/package" "$cache/$spec"
    rm -rf "$staging" "$work/$tarball"
done
