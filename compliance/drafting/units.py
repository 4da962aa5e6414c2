"""Unit words consistent with the document's level: no "thị xã" or "phường" for a huyện's own
territory, no "thị trấn" in a city's text; and unit words misspelled ("trị trấn")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument
from engine.message import msg

__all__ = ["check_units", "document_unit"]

# Misspellings of unit words an editor's eye slides over, with the word meant.
_MISSPELLED = {
    "trị trấn": "thị trấn",
    "thị trấng": "thị trấn",
    "thị sã": "thị xã",
    "thi xã": "thị xã",
    "thị xả": "thị xã",
    "phuờng": "phường",
    "huỵên": "huyện",
}
# Units that a territory of each kind never contains (generic mentions, not a named place).
_FOREIGN = {
    "huyện": ("thị xã", "phường", "quận"),
    "thị xã": ("thị trấn", "quận"),
    "thành phố": ("thị trấn",),
    "quận": ("thị trấn", "xã"),
}
_UNIT_IN = re.compile(r"\b(HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|TỈNH)\b", re.IGNORECASE)


def document_unit(doc: LegalDocument) -> str | None:
    """The kind of territory whose authority issues the text: from the heading or the annex line."""
    for text in (doc.heading.authority, doc.heading.issuer, *(t for t, _ in doc.annex_refs)):
        if not text:
            continue
        m = _UNIT_IN.search(text.split("của")[-1] if "của" in text else text)
        if m:
            return m.group(1).lower()
    return None


def check_units(doc: LegalDocument) -> Iterator[Finding]:
    unit = document_unit(doc)
    foreign = _FOREIGN.get(unit or "", ())
    for p in doc.paragraphs:
        low = p.text.lower()
        for wrong, right in _MISSPELLED.items():
            for m in re.finditer(rf"(?<!\w){re.escape(wrong)}(?!\w)", low):
                yield Finding(
                    "unit-misspelled",
                    "warning",
                    doc.locate(p),
                    p,
                    m.start(),
                    m.end(),
                    msg("drafting.units.misspelled", found=p.text[m.start() : m.end()], meant=right),
                    msg("drafting.units.misspelled_fix", meant=right),
                    expected=right,
                    actual=p.text[m.start() : m.end()],
                )
        for word in foreign:
            for m in re.finditer(rf"(?<!\w){word}(?!\w)", low):
                after = p.text[m.end() : m.end() + 2].strip()
                if after[:1].isupper() or after[:1].isdigit():
                    continue  # a named place ("thị xã Phước Long") is somewhere else, not the text's own territory
                yield Finding(
                    "unit-level",
                    "warning",
                    doc.locate(p),
                    p,
                    m.start(),
                    m.end(),
                    msg("drafting.units.level", found=p.text[m.start() : m.end()], unit=unit or ""),
                    msg("drafting.units.level_fix", unit=unit or "", examples=("xã", "thị trấn")),
                    actual=p.text[m.start() : m.end()],
                )
