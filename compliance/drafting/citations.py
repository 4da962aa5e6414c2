"""Citations checked: the same instrument twice in one list, dated after the citing document,
a malformed số ký hiệu, and what the rule program knows of the cited instrument's status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from compliance.drafting.finding import Finding
from compliance.legaldoc import Citation, LegalDocument
from compliance.legaldoc.citations import TYPE_ABBREVIATIONS
from engine import Program, doc_in_force, text_key
from engine.message import msg

__all__ = ["check_citations", "own_date", "own_number"]

# Well-formed số ký hiệu: 10/2023/NĐ-CP, 1316/QĐ-UBND, 52-NQ/TW, 953/QĐ-UBND-HC, 25/TTr-STTTT.
_WELL_FORMED = re.compile(r"^\d+(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ&]*(?:-[A-ZĐ][A-Za-zĐđ&]*)*$|^\d+-[A-ZĐ]+/[A-ZĐ]+$")
_HEAD = re.compile(r"^(?:[-–+•]\s*)?(?:(?:Căn cứ|Thực hiện)\s+)?(?:quy định tại\s+)?$", re.IGNORECASE)


def own_number(doc: LegalDocument) -> str | None:
    if doc.heading.number:
        return doc.heading.number
    for text, _ in doc.annex_refs:
        m = re.search(r"số\s*:?\s*(\d+\s*/\s*[\w\-Đ]+)", text)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def own_date(doc: LegalDocument) -> date | None:
    return doc.heading.date or next((d for _, d in doc.annex_refs if d), None)


def _is_head(c: Citation) -> bool:
    """The instrument a list item is about, not one its description mentions."""
    return bool(_HEAD.match(c.paragraph.text[: c.start]))


def check_citations(doc: LegalDocument, program: Program | None, as_of: date) -> Iterator[Finding]:
    mine = own_number(doc)
    when = own_date(doc)
    cites = [c for c in doc.citations if not (mine and c.symbol.upper() == mine.upper())]
    seen: dict[tuple[str, tuple[str, str]], Citation] = {}
    for c in cites:
        if not _is_head(c):
            continue
        group = (doc.locate(c.paragraph) if not c.in_basis else "căn cứ", c.key)
        first = seen.get(group)
        if first is None:
            seen[group] = c
            continue
        yield Finding(
            "citation-duplicate",
            "warning",
            doc.locate(c.paragraph),
            c.paragraph,
            c.start,
            c.end,
            msg("drafting.citations.duplicate", kind=c.kind, symbol=c.symbol, first=first.paragraph.line),
            msg("drafting.citations.duplicate_fix"),
            actual=c.symbol,
        )
    for c in cites:
        where = doc.locate(c.paragraph)
        if when is not None and c.date is not None and c.date > when:
            yield Finding(
                "citation-later",
                "error",
                where,
                c.paragraph,
                c.start,
                c.end,
                msg("drafting.citations.later", kind=c.kind, symbol=c.symbol, cited=c.date, own=when),
                msg("drafting.citations.later_fix"),
                expected=f"<= {when.isoformat()}",
                actual=c.date.isoformat(),
            )
        problem = _malformed(c)
        if problem is not None:
            yield Finding(
                "citation-malformed",
                "warning",
                where,
                c.paragraph,
                c.start,
                c.end,
                msg(f"drafting.citations.{problem[0]}", kind=c.kind, symbol=c.raw_symbol, detail=problem[1]),
                msg("drafting.citations.malformed_fix", decree="30/2020/NĐ-CP"),
                actual=c.raw_symbol,
            )
        if program is not None and _is_head(c):
            yield from _status(doc, c, program, when, as_of, where)


def _malformed(c: Citation) -> tuple[str, str] | None:
    lines = {c.paragraph.at(i).line for i in range(c.end - len(c.raw_symbol), c.end)}
    if c.raw_symbol != c.symbol and len(lines) == 1:  # a space the extraction added at a line break is noise
        return ("malformed_spaces", c.symbol)
    if not _WELL_FORMED.match(c.symbol) and len(lines) == 1:
        return ("malformed", c.symbol)
    abbreviation = TYPE_ABBREVIATIONS.get(c.kind, "")
    parts = re.split(r"[/-]", c.symbol)
    if abbreviation and abbreviation not in parts and c.kind not in ("Luật", "Bộ luật", "Pháp lệnh", "Văn bản hợp nhất"):
        return ("malformed_type", abbreviation)
    year = re.search(r"/(\d{4})/", c.symbol)
    if year and c.date is not None and int(year.group(1)) != c.date.year:
        return ("malformed_year", str(c.date.year))
    return None


def _status(doc: LegalDocument, c: Citation, program: Program, when: date | None, as_of: date, where: str) -> Iterator[Finding]:
    known = program.by_number(c.symbol)
    if known is None:
        key = text_key(c.symbol)
        known = next((d for d in program.documents.values() if d.number and text_key(d.number) == key), None)
    if known is None:
        return
    # Only a symbol with its year names one instrument: 04-NQ/TU is reused by every provincial committee.
    if known.signed and c.date and known.signed != c.date and re.search(r"/\d{4}/", c.symbol):
        yield Finding(
            "citation-status",
            "warning",
            where,
            c.paragraph,
            c.start,
            c.end,
            msg("drafting.citations.date_differs", symbol=c.symbol, cited=c.date, known=known.signed),
            msg("drafting.citations.later_fix"),
            expected=known.signed.isoformat(),
            actual=c.date.isoformat(),
        )
    day = when or as_of
    in_force, _gate = doc_in_force(known, day)
    if not in_force and known.status != "draft":
        yield Finding(
            "citation-status",
            "warning",
            where,
            c.paragraph,
            c.start,
            c.end,
            msg("drafting.citations.not_in_force", symbol=c.symbol, day=day),
            None,
        )
