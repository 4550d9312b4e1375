"""Where the project's files are: the shipped scenarios and maps, and the generated documentation."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SCENARIO_DIR = PROJECT_ROOT / "scenarios"
DOCS_DIR = PROJECT_ROOT / "docs"
DEFAULT_SCENARIO = SCENARIO_DIR / "sudzha_jan2025.yaml"
"""The January 2025 fighting around Sudzha: what a run with no scenario file plays."""
