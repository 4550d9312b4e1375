"""The example notebook runs, cell by cell, and shows what docs/python.md says it shows."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "docs" / "notebooks" / "first_study.ipynb"


@pytest.mark.slow
def test_the_example_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "P(UA holds Malaya Loknya)" in text and "runs.csv" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the fan chart is drawn inline"
    # the README shows a cell of this notebook and what it prints: both as the notebook has them
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^```python\n(.*?)^```\n```text\n(.*?)^```", readme, re.S | re.M)
    assert shown, "the README shows a notebook cell and its output"
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for line in shown.group(1).splitlines():
        assert line.strip() in code, f"README's cell line not in the notebook: {line}"
    for line in shown.group(2).splitlines():
        assert line in text, f"README's output not what the notebook prints: {line}"
