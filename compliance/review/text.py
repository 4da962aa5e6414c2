"""A document's text → review report: the drafting findings in the check shape of DESIGN.md."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from compliance.catalogue import both
from compliance.drafting import Context, Finding, run_checks
from compliance.drafting.citations import own_date, own_number
from compliance.legaldoc import LegalDocument, parse
from engine import Program

__all__ = ["finding_dict", "review_text"]


def fingerprint(f: Finding, occurrence: int) -> str:
    """Stable across edits elsewhere in the file: check, locator, the words found, nth such."""
    key = "\x1f".join((f.check, f.locator, " ".join(f.excerpt.split()), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def finding_dict(f: Finding, file: str, document: str, occurrence: int) -> dict[str, Any]:
    start = f.paragraph.at(f.start)
    end = f.paragraph.end(f.end)
    return {
        "rule": f"drafting.{f.check}",
        "kind": "review",
        "check": f.check,
        "family": f.family,
        "status": "violated",
        "severity": f.severity,
        "binding": False,
        "document": document,
        "locator": f.locator,
        "text": " ".join(f.paragraph.text.split()),
        "excerpt": f.excerpt,
        "message": both(f.message),
        "expected": f.expected,
        "actual": f.actual,
        "fix": both(f.fix) if f.fix else None,
        "evidence": [],
        "location": {"file": file, "line": start.line, "column": start.column, "end_line": end.line, "end_column": end.column},
        "fingerprint": fingerprint(f, occurrence),
    }


def review_text(text: str, name: str, program: Program | None, as_of: date, doc: LegalDocument | None = None) -> dict[str, Any]:
    """Every drafting finding of the text as one JSON-ready report (``findings`` in file order)."""
    parsed = doc or parse(text, name)
    found = run_checks(parsed, Context(program, as_of))
    label = own_number(parsed) or name
    seen: dict[tuple[str, str, str], int] = {}
    findings = []
    for f in found:
        k = (f.check, f.locator, f.excerpt)
        seen[k] = seen.get(k, 0) + 1
        findings.append(finding_dict(f, name, label, seen[k]))
    dated = own_date(parsed)
    return {
        "as_of": as_of.isoformat(),
        "document": label,
        "document_id": None,
        "title": parsed.heading.summary,
        "kind": parsed.heading.kind,
        "status": "draft" if parsed.heading.draft or dated is None else "text",
        "file": name,
        "documents": [label],
        "findings": findings,
        "summary": {"violated": len(findings)},
        "severity": {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")},
    }
