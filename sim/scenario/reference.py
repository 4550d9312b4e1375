"""The parameter reference (`docs/parameters.md`), generated from the scenario schema.

    python -m sim.scenario.reference            # rewrite docs/parameters.md
    python -m sim.scenario.reference --check    # exit 1 if it is out of date (the tests do this)

Every row comes from a field declared with `sim.scenario.fields.param`: its dotted
path (as used by `--set`), unit, default, valid range, meaning and source. The
schema is the single source of truth; this page is a view of it.
"""

from __future__ import annotations

import sys
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from sim.codes import SIDES
from sim.resources import DOCS_DIR, docs_writable
from sim.scenario.document import Scenario
from sim.scenario.fields import field_metadata
from sim.scenario.mapfile import MapSpec

DOC = DOCS_DIR / "parameters.md"

HEADER = """\
# Parameter reference

Generated from the scenario schema by `python -m sim.scenario.reference`; do not edit by hand.
Each row is one number a scenario can set, by the dotted path that `--set` takes
(`forces[]` means: on each unit, e.g. `--set forces.ua_47_mech_1.morale=0.6`).
The range is what validation accepts; the source says where the default comes from,
or that it is an assumption. Scenario files may change any value and say why in a
comment beside it.
"""


def _range(meta: dict) -> str:
    lo = f"{meta['ge']} ≤" if "ge" in meta else f"{meta['gt']} <" if "gt" in meta else ""
    hi = f"≤ {meta['le']}" if "le" in meta else f"< {meta['lt']}" if "lt" in meta else ""
    return f"{lo} x {hi}".strip()


def _model_of(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *get_args(annotation)]
    if get_origin(annotation) is list:
        candidates = list(get_args(annotation))
    for tp in candidates:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
    return None


def parameter_rows(model: type[BaseModel] = Scenario, prefix: str = "") -> list[dict]:
    """One row per declared parameter, depth first, in schema order."""
    rows = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "unit" in extra:
            meta = field_metadata(model, name)
            rows.append({"path": path, **meta, "range": _range(meta)})
            continue
        sub = _model_of(info.annotation)
        if sub is None or sub is MapSpec:
            continue
        if name == "sides":
            for side in SIDES:
                rows += parameter_rows(sub.model_fields[side].annotation, f"{path}.{side}.")
            continue
        suffix = "[]." if get_origin(info.annotation) is list else "."
        rows += parameter_rows(sub, f"{path}{suffix}")
    return rows


def render() -> str:
    lines = [HEADER]
    group = None
    for row in parameter_rows():
        parts = row["path"].split(".")
        if len(parts) == 1:
            top = "top level"
        elif parts[0] in ("parameters", "sides"):
            top = ".".join(parts[:2])
        else:
            top = parts[0]
        if top != group:
            group = top
            title = group if group == "top level" else f"`{group}`"
            lines += [
                "",
                f"## {title}",
                "",
                "| path | unit | default | range | meaning | source |",
                "|---|---|---|---|---|---|",
            ]
        cells = [
            f"`{row['path']}`",
            row["unit"],
            f"{row['default']}",
            row["range"],
            row["description"],
            row["source"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is out of date: run python -m sim.scenario.reference", file=sys.stderr)
            return 1
        return 0
    if not docs_writable():
        return 2
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
