"""A drafting finding: what is wrong, where (paragraph span → file line and column), how sure."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.legaldoc import Paragraph
from engine.message import Message

__all__ = ["CHECK_FAMILY", "FAMILIES", "Finding"]

# Each check id → its family (the unit of the precision/recall measurement).
CHECK_FAMILY = {
    "numbering-duplicate": "numbering",
    "numbering-gap": "numbering",
    "numbering-letter-order": "numbering",
    "title-missing": "titles",
    "reference-unresolved": "references",
    "citation-duplicate": "citations",
    "citation-later": "citations",
    "citation-malformed": "citations",
    "citation-status": "citations",
    "body-ceased": "ceased",
    "unit-level": "units",
    "unit-misspelled": "units",
    "placeholder": "placeholders",
    "typo-syllable": "typos",
    "typo-phrase": "typos",
    "pilot-no-end": "duties",
    "duty-no-cadence": "duties",
    "figure-mismatch": "figures",
}
FAMILIES = tuple(dict.fromkeys(CHECK_FAMILY.values()))


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # error | warning | info
    locator: str
    paragraph: Paragraph
    start: int
    end: int
    message: Message
    fix: Message | None = None
    expected: str | None = None
    actual: str | None = None

    @property
    def family(self) -> str:
        return CHECK_FAMILY[self.check]

    @property
    def excerpt(self) -> str:
        return self.paragraph.text[self.start : self.end]
