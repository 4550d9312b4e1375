"""Every figure's source lives in the repository: docs/sources.md, and what points at it."""

from __future__ import annotations

import re

from conftest import ROOT

SOURCES = ROOT / "docs" / "sources.md"
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".txt", ".toml", ".html", ".css", ".js"}
OUTSIDE = ("shared/facts", "../shared", "DESIGN.md", "DESIGN §")
REFERENCE = "docs/sources.md, "


def product_files() -> list:
    """The text files of sim/, docs/, scenarios/ and the README (no caches, no images)."""
    files = [ROOT / "README.md"]
    for folder in ("sim", "docs", "scenarios"):
        files += [
            p
            for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts
        ]
    return files


def sections() -> set[str]:
    """The level-2 headings of docs/sources.md, also without a trailing "(...)" gloss."""
    names = set()
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            names.add(title)
            names.add(re.sub(r"\s*\(.*\)$", "", title))
    return names


def test_the_product_names_no_file_outside_the_repository():
    """No code, doc or scenario points to a facts sheet or design note kept outside the repository."""
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in product_files()
        for needle in OUTSIDE
        if needle in path.read_text(encoding="utf-8")
    ]
    assert not offenders, "cite docs/sources.md instead:\n" + "\n".join(offenders)


def test_every_reference_to_docs_sources_names_one_of_its_sections():
    """Each "(docs/sources.md, Section; Section)" names sections that exist, on one line."""
    known = sections()
    assert {"Area held by Ukraine, by date", "Drones and EW", "Attrition and combat"} <= known
    bad, count = [], 0
    for path in product_files():
        if path == SOURCES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            start = 0
            while (at := line.find(REFERENCE, start)) >= 0:
                count += 1
                rest = line[at + len(REFERENCE) :]
                end = rest.find(")")
                names = [n.strip() for n in rest[:end].split(";")] if end >= 0 else [rest]
                for name in names:
                    if name not in known:
                        bad.append(f"{path.relative_to(ROOT)}:{number}: {name!r}")
                start = at + len(REFERENCE)
    assert count > 20, "the source strings and scenario comments should point at docs/sources.md"
    assert not bad, (
        "no such section in docs/sources.md (or the reference is split over lines):\n" + "\n".join(bad)
    )


def test_every_section_has_a_stable_anchor():
    """Each section of docs/sources.md carries an explicit anchor, so links survive a retitling."""
    text = SOURCES.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    anchors = re.findall(r'^<a id="([a-z0-9-]+)"></a>\n\n## ', text, re.M)
    assert len(headings) >= 8 and len(anchors) == len(headings)


def test_readme_and_the_model_description_link_the_sources():
    """A reader finds the list from the README and from the ODD description's references."""
    assert "(docs/sources.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert "(sources.md)" in model.split("## 5. References", 1)[1]
