"""The JSON Schema of scenario and map files, for editors and readers.

    python run_scenario.py --schema                 # the scenario schema on stdout
    python run_scenario.py --schema my.schema.json  # ... or into a file
    python -m sim.scenario.jsonschema           # rewrite docs/scenario.schema.json and docs/map.schema.json
    python -m sim.scenario.jsonschema --check   # exit 1 if they are out of date (the tests do this)

Built from the pydantic schema (`sim.scenario.Scenario`, `sim.scenario.mapfile.MapSpec`),
the single source of truth, then adapted for editors (JSON Schema draft 7, which
VS Code's YAML extension and most validators read):

- every parameter keeps its `unit` and `source` (from `sim.scenario.fields.param`)
  and gains a `markdownDescription` that an editor shows on hover: meaning, unit,
  default, valid range and source;
- a file with `extends:` needs no other field (it changes only what it names), so
  the top-level required fields apply only to files without `extends`;
- unknown fields are errors (`additionalProperties: false`), as in the loader.

The schema checks a file's shape and ranges; the loader also checks what a
schema cannot (settlement keys against the map, unique unit ids, ...).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import TypeAdapter

from sim.resources import DOCS_DIR, docs_writable
from sim.scenario.document import Scenario
from sim.scenario.mapfile import MapSpec
from sim.scenario.uncertain import Distribution

SCENARIO_SCHEMA = DOCS_DIR / "scenario.schema.json"
MAP_SCHEMA = DOCS_DIR / "map.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"

EXTENDS_RULES = (
    "Path of a base scenario, relative to this file. This file then changes only what it names: "
    "maps (YAML mappings) are merged key by key at every depth; lists (forces, orders, positions) and "
    "single values replace the base's whole. A base may extend another; --set applies after the merge. "
    "A missing base, a cycle, or a field that neither the schema nor the base has is an error naming "
    "both files. See docs/analysis.md."
)


def _range_text(node: dict) -> str:
    lo = (
        f"{node['minimum']} ≤ "
        if "minimum" in node
        else f"{node['exclusiveMinimum']} < "
        if "exclusiveMinimum" in node
        else ""
    )
    hi = (
        f" ≤ {node['maximum']}"
        if "maximum" in node
        else f" < {node['exclusiveMaximum']}"
        if "exclusiveMaximum" in node
        else ""
    )
    return f"{lo}x{hi}" if lo or hi else ""


def _annotate(node: Any) -> None:
    """Walk the schema: draft-7 tuples, and a hover text for every parameter with a unit."""
    if isinstance(node, dict):
        if "prefixItems" in node:  # draft 2020-12 tuple -> draft 7 tuple
            node["items"] = node.pop("prefixItems")
            node.setdefault("additionalItems", False)
        if "unit" in node:
            lines = [node.get("description", "")]
            facts = [f"**unit:** {node['unit']}"]
            if "default" in node:
                facts.append(f"**default:** {node['default']}")
            if _range_text(node):
                facts.append(f"**range:** {_range_text(node)}")
            lines.append(" · ".join(facts))
            if node.get("source"):
                lines.append(f"**source:** {node['source']}")
            node["markdownDescription"] = "\n\n".join(line for line in lines if line)
        for value in node.values():
            _annotate(value)
    elif isinstance(node, list):
        for value in node:
            _annotate(value)


_KEEP = ("description", "markdownDescription", "unit", "source", "default", "title")


def _allow_distributions(node: Any, ref: str) -> Any:
    """Every number may also be written as a distribution (`sim.scenario.uncertain`)."""
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer"):
            number = {k: v for k, v in node.items() if k not in _KEEP}
            kept = {k: v for k, v in node.items() if k in _KEEP}
            return {**kept, "anyOf": [number, {"$ref": ref}]}
        return {k: _allow_distributions(v, ref) if k != "$defs" else v for k, v in node.items()}
    if isinstance(node, list):
        return [_allow_distributions(v, ref) for v in node]
    return node


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a scenario file."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    _annotate(schema)
    dist = TypeAdapter(Distribution).json_schema(ref_template="#/$defs/{model}")
    defs = schema.setdefault("$defs", {})
    defs.update(dist.pop("$defs", {}))
    defs["Distribution"] = {
        **dist,
        "description": "An uncertain input: the number drawn afresh for each run from this distribution "
        "(docs/analysis.md, 'How sure can we be?').",
    }
    schema = _allow_distributions(schema, "#/$defs/Distribution")
    schema["$defs"] = {
        name: (_allow_distributions(d, "#/$defs/Distribution") if name not in dist_names(defs) else d)
        for name, d in defs.items()
    }
    required = schema.pop("required", [])
    props = schema["properties"]
    if "extends" in props:
        props["extends"]["description"] = EXTENDS_RULES
        props["extends"]["markdownDescription"] = EXTENDS_RULES
    out = {
        "$schema": DRAFT,
        "title": "Sudzha wargame scenario",
        "description": (
            "A scenario of the Sudzha teaching wargame (python run_scenario.py SCENARIO.yaml). Every number "
            "carries its unit, valid range and source; docs/parameters.md lists them. " + EXTENDS_RULES
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "if": {"required": ["extends"]},
        "then": {},
        "else": {"required": required},
    }
    return out


def dist_names(defs: dict) -> set[str]:
    """The definitions that describe distributions themselves (their numbers stay plain numbers)."""
    return {"Distribution", "Uniform", "Triangular", "LogUniform", "Normal", "Beta", "Choice"} & set(defs)


def map_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a map file (scenarios/maps/*.yaml)."""
    schema = MapSpec.model_json_schema(by_alias=True, mode="validation")
    _annotate(schema)
    return {
        "$schema": DRAFT,
        **{k: v for k, v in schema.items() if k != "title"},
        "title": "Sudzha wargame map",
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, default=str) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    files = {SCENARIO_SCHEMA: render(scenario_schema()), MAP_SCHEMA: render(map_schema())}
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is out of date: run python -m sim.scenario.jsonschema", file=sys.stderr)
        return 1 if stale else 0
    if not docs_writable():
        return 2
    DOCS_DIR.mkdir(exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
