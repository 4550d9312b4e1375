"""Where the project's files are (scenarios, maps, generated docs), and what a bare run plays."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SCENARIO_DIR = PROJECT_ROOT / "scenarios"
DOCS_DIR = PROJECT_ROOT / "docs"
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
