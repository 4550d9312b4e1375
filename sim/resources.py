"""Where the project's files are (scenarios, maps, generated docs), and what a bare run plays."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "scenarios").is_dir()
"""Running from the repository (an editable install or the scripts), not from an installed wheel."""


def _bundled() -> Path:
    """Where an installed package keeps its scenarios and schemas (copied in when the wheel is built)."""
    from importlib.resources import files

    return Path(str(files("sim.bundled")))


SCENARIO_DIR = PROJECT_ROOT / "scenarios" if IN_CHECKOUT else _bundled() / "scenarios"
DOCS_DIR = PROJECT_ROOT / "docs"
"""The repository's docs: the generated references are written here, and only from a checkout."""
SCHEMA_DIR = DOCS_DIR if IN_CHECKOUT else _bundled()
"""Where the published JSON Schemas are read from."""


def docs_writable() -> bool:
    """Whether the doc generators may write `DOCS_DIR`: only in a checkout (says why not, if not)."""
    if not IN_CHECKOUT:
        import sys

        print(
            "the generated docs belong to a checkout of the repository; an installed package writes "
            "nothing into its own folder (for the schema: run_scenario.py --schema FILE)",
            file=sys.stderr,
        )
    return IN_CHECKOUT


DEFAULT_SCENARIO = SCENARIO_DIR / "sudzha_jan2025.yaml"
"""The January 2025 fighting around Sudzha: what a run with no scenario file plays."""
DEFAULT_SEED = 20250106
"""The master seed when none is given (the date of the default scenario's first turn)."""


def project_path(path: str | Path) -> str:
    """`path` relative to the project when it lies inside it (outputs name no one's home folder)."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
