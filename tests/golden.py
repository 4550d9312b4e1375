"""The golden test's commands and reference: every output file of a handful of commands, hashed.

A refactor that must not change results keeps these hashes; a change that alters
results on purpose regenerates the reference in the same commit, with

    .venv/bin/python tests/golden.py --update

and says why in its message. Wall times, creation stamps and the checkout's own
path are normalised away before hashing; everything else (CSV, JSON, YAML, HTML,
every PNG) must match to the byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "golden" / "reference.json"

COMMANDS: dict[str, list[str]] = {
    "tutorial_study": ["scenarios/tutorial.yaml", "--runs", "12", "--seed", "3", "--workers", "2"],
    "default_no_plots": ["--runs", "8", "--seed", "5", "--workers", "2", "--no-plots"],
    "compare_three": [
        "scenarios/sudzha_jan2025.yaml",
        "scenarios/whatif_no_air.yaml",
        "scenarios/whatif_strong_ad.yaml",
        "--set",
        "days=8",
        "--runs",
        "6",
        "--seed",
        "7",
        "--workers",
        "2",
    ],
    "sweep_grid": [
        "scenarios/tutorial.yaml",
        "--sweep",
        "parameters.combat.intensity=1.5,2.5",
        "--sweep",
        "sides.RU.doctrine.attack_tempo=0.3,0.9",
        "--runs",
        "5",
        "--seed",
        "11",
        "--workers",
        "2",
    ],
    "sensitivity_morris": [
        "scenarios/tutorial.yaml",
        "--sensitivity",
        "--global",
        "morris",
        "--samples",
        "2",
        "--runs",
        "3",
        "--seed",
        "13",
        "--workers",
        "2",
    ],
    "schema": ["--schema", "{out}/scenario.schema.json"],
}

_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?")
_WALL_JSON = re.compile(rb'("wall_time_s"\s*:\s*)[0-9.eE+-]+')
_WALL_HTML = re.compile(rb"(<dt>Wall time</dt><dd>)[^<]*")


def normalise(name: str, data: bytes, out: Path | None = None) -> bytes:
    """Blank what legitimately differs between two identical runs: wall time, stamps, the checkout's
    path and the output folder's (which the recorded command line names)."""
    if name.endswith((".json", ".html", ".yaml", ".csv", ".txt")):
        if out is not None:
            data = data.replace(str(out).encode(), b"<out>")
        data = data.replace(str(ROOT).encode(), b"<root>")
        data = _STAMP.sub(b"<stamp>", data)
        data = _WALL_JSON.sub(rb"\g<1>0", data)
        data = _WALL_HTML.sub(rb"\g<1><wall>", data)
    return data


def run_command(name: str, out: Path) -> dict[str, str]:
    """Run one golden command into `out` and return {relative file: sha256} of what it wrote."""
    out.mkdir(parents=True, exist_ok=True)
    args = [a.replace("{out}", str(out)) for a in COMMANDS[name]]
    if name != "schema":
        args += ["--out", str(out), "--quiet", "--force"]
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_scenario.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name} exited {done.returncode}:\n{done.stderr[-2000:]}")
    hashes = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        hashes[rel] = hashlib.sha256(normalise(rel, path.read_bytes(), out)).hexdigest()
    return hashes


def run_all(names=None) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        return {name: run_command(name, Path(tmp) / name) for name in (names or COMMANDS)}


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: .venv/bin/python tests/golden.py --update   (rewrites tests/golden/reference.json)")
        return 2
    hashes = run_all()
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    files = sum(map(len, hashes.values()))
    print(f"wrote {REFERENCE.relative_to(ROOT)}: {files} files of {len(hashes)} commands")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
