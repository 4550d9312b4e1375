"""The floors of the house: lower layers never import higher ones, and no module imports in a circle.

Every import of every module under `sim/` counts, those inside functions and under
`TYPE_CHECKING` included. The allowed directions are written once, here, and drawn
in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "vocabulary",
        (
            "sim.errors",
            "sim.codes",
            "sim.resources",
            "sim.caching",
            "sim.machine",
            "sim.invocation",
            "sim.bundled",
        ),
    ),
    ("files and rules", ("sim.output", "sim.statistics", "sim.rules")),
    ("scenario", ("sim.scenario",)),
    ("battle", ("sim.battle",)),
    ("turn", ("sim.turn",)),
    ("engine", ("sim.engine",)),
    ("loading", ("sim.loading",)),
    ("mesa shell", ("sim.grid", "sim.agents", "sim.model")),
    ("replications", ("sim.replications", "sim.cluster")),
    ("report", ("sim.report",)),
    ("trace", ("sim.trace",)),
    ("study", ("sim.study",)),
    ("analysis", ("sim.analysis",)),
    ("app", ("sim.app",)),
    ("cli", ("sim.cli",)),
    ("face", ("sim", "sim.api", "sim.__main__")),
]
"""Lowest first. A module may import its own floor and the floors below it, never one above."""

MESA_MODULES = ("sim.grid", "sim.agents", "sim.model", "sim.app")
"""The only modules that may import Mesa: the Mesa shell and the classroom app."""

PHASE_HELPERS = ("sim.turn.targeting", "sim.turn.doctrine")
"""What a phase may import from `sim.turn`: the helpers beside the phases, never another phase."""


def module_files() -> dict[str, Path]:
    mods = {}
    for path in sorted((ROOT / "sim").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


MODULES = module_files()


def imports_of(name: str) -> set[str]:
    """Every module of ours (and `mesa`) that module `name` imports, anywhere in its file."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "mesa":
                found.add("mesa")
            elif target in MODULES and target != name and not name.startswith(target + "."):
                found.add(target)  # importing one's own parent package is not an edge
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def floor_of(name: str) -> int:
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            # the package face `sim` is its own floor; every other prefix holds its sub-modules too
            holds = name == prefix or (prefix != "sim" and name.startswith(prefix + "."))
            if holds and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    assert best is not None, f"{name} is on no floor: add it to LAYERS (and docs/architecture.md)"
    return best[0]


def test_every_module_has_a_floor():
    """Each module of `sim` belongs to one of the declared layers."""
    for name in MODULES:
        floor_of(name)


def test_no_lower_layer_imports_a_higher_one():
    """An import never points up: rules never see the scenario, the battle never sees Mesa or the CLI."""
    upward = [
        f"{name} ({LAYERS[floor_of(name)][0]}) imports {target} ({LAYERS[floor_of(target)][0]})"
        for name, targets in GRAPH.items()
        for target in targets
        if target != "mesa" and floor_of(target) > floor_of(name)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_circles():
    """No module reaches itself through its imports (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v] - {"mesa"}:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not circles, circles


def test_only_the_mesa_shell_and_the_app_import_mesa():
    """Validating, plotting and the rules never need Mesa."""
    users = sorted(name for name, targets in GRAPH.items() if "mesa" in targets)
    assert all(name.startswith(MESA_MODULES) for name in users), users


def test_no_phase_imports_another_phase():
    """A phase reads what another leaves on the battlefield, never the other phase's module."""
    for name, targets in GRAPH.items():
        if name.startswith("sim.turn.") and name not in PHASE_HELPERS:
            others = {t for t in targets if t.startswith("sim.turn.") and t not in PHASE_HELPERS}
            assert not others, f"{name} imports {sorted(others)}"


def test_the_layer_test_sees_upward_imports():
    """The checker itself: an import from the rules into the model would be caught."""
    GRAPH["sim.rules.combat"].add("sim.model")
    try:
        assert floor_of("sim.model") > floor_of("sim.rules.combat")
        upward = [
            t for t in GRAPH["sim.rules.combat"] if t != "mesa" and floor_of(t) > floor_of("sim.rules.combat")
        ]
        assert upward == ["sim.model"]
    finally:
        GRAPH["sim.rules.combat"].discard("sim.model")
