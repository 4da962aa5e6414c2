"""All drafting checks on one document, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.drafting.ceased import check_ceased
from compliance.drafting.citations import check_citations, own_date
from compliance.drafting.duties import check_duties
from compliance.drafting.figures import check_figures
from compliance.drafting.finding import Finding
from compliance.drafting.references import check_references
from compliance.drafting.structure import check_numbering, check_titles
from compliance.drafting.units import check_units
from compliance.drafting.wording import check_placeholders, check_typos
from compliance.legaldoc import LegalDocument
from engine import Program

__all__ = ["Context", "run_checks"]


@dataclass(frozen=True)
class Context:
    """What the checks may know beyond the text: the rule program and the review date."""

    program: Program | None
    as_of: date


def run_checks(doc: LegalDocument, context: Context) -> list[Finding]:
    found: list[Finding] = []
    found += check_numbering(doc)
    found += check_titles(doc)
    found += check_references(doc)
    found += check_citations(doc, context.program, context.as_of)
    found += check_units(doc)
    found += check_placeholders(doc)
    found += check_typos(doc)
    found += check_duties(doc)
    found += check_figures(doc, context.program, own_date(doc))
    if context.program is not None:
        found += check_ceased(doc, context.program, context.as_of)
    order = {"error": 0, "warning": 1, "info": 2}
    found.sort(key=lambda f: (f.paragraph.at(f.start).line, f.paragraph.at(f.start).column, order[f.severity], f.check))
    return found
