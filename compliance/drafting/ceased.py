"""Bodies, units and provinces the text names that have ceased or merged as of the review date
(the dated events of regulations/events/, read through the program's public ``events``).

Written here rather than borrowed from engine.reorganisation (whose matcher reads a centre
setup): a draft has no setup, only names in running text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from compliance.drafting.citations import own_date
from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument
from engine import Program
from engine.message import msg

__all__ = ["check_ceased"]

_ABBREVIATIONS = (
    (r"TT\s*&\s*TT|TTTT", "Thông tin và Truyền thông"),
    (r"KH\s*&\s*ĐT|KHĐT", "Kế hoạch và Đầu tư"),
    (r"TN\s*&\s*MT|TNMT", "Tài nguyên và Môi trường"),
    (r"NN\s*&\s*PTNT", "Nông nghiệp và Phát triển nông thôn"),
)


def _pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.split()]
    body = r"\s+".join(words)
    for short, full in _ABBREVIATIONS:
        if full in name:
            body = f"(?:{body}|" + r"\s+".join(re.escape(w) for w in name.replace(full, "\0").split()).replace("\\\0", "\0").replace("\0", f"(?:{short})") + ")"
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def check_ceased(doc: LegalDocument, program: Program, as_of: date) -> Iterator[Finding]:
    written = own_date(doc)
    for event in sorted(program.events.values(), key=lambda e: (e.on or as_of, e.id)):
        if event.on is None or event.on > as_of:
            continue
        for change in event.changes:
            if change.subject not in ("body", "unit", "province"):
                continue
            name = f"tỉnh {change.name}" if change.subject == "province" else change.name
            pattern = _pattern(name)
            hits = [(p, m) for p in doc.paragraphs for m in pattern.finditer(p.text)]
            if not hits:
                continue
            p, m = hits[0]
            # Written before the event, the text was right then: information. Written after (or undated): a defect.
            severity = "info" if written is not None and written < event.on else "warning"
            successor = change.successor
            key = "drafting.ceased.merged" if successor else "drafting.ceased.reorganised" if change.outcome == "reorganised" else "drafting.ceased.ended"
            yield Finding(
                "body-ceased",
                severity,
                doc.locate(p),
                p,
                m.start(),
                m.end(),
                msg(key, name=p.text[m.start() : m.end()], on=event.on, successor=successor or "", count=len(hits), source=event.source or event.id),
                msg("drafting.ceased.fix", successor=successor) if successor else msg("drafting.ceased.fix_unknown"),
                expected=successor,
                actual=p.text[m.start() : m.end()],
            )
