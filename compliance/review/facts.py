"""What the rule program knows about an encoded document, as review findings: a pilot with no end,
duties with no deadline, and bodies it addresses that ceased as of the review date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from compliance.catalogue import both
from engine import Program
from engine.message import msg

__all__ = ["program_facts"]


def _finding(doc_id: str, label: str, check: str, rule: str, severity: str, locator: str | None, text: str | None, span: Any, message: Any) -> dict[str, Any]:
    return {
        "rule": rule,
        "kind": "review",
        "check": check,
        "family": "facts",
        "status": "unknown" if check != "fact-pilot-no-end" else "violated",
        "severity": severity,
        "binding": True,
        "document": label,
        "document_id": doc_id,
        "locator": locator,
        "text": text,
        "message": both(message),
        "expected": None,
        "actual": None,
        "fix": None,
        "evidence": [],
        "location": {"file": span.file, "line": span.line, "column": span.column} if span else None,
    }


def program_facts(program: Program, doc_id: str, as_of: date) -> Iterator[dict[str, Any]]:
    doc = program.documents[doc_id]
    if doc.pilot is not None and doc.pilot.until is None:
        prov = doc.pilot.provenance
        yield _finding(
            doc.id,
            doc.label,
            "fact-pilot-no-end",
            f"{doc.id}.pilot",
            "warning",
            str(prov.locator),
            prov.text,
            doc.span,
            msg("review.facts.pilot", document=doc.label),
        )
    for ob in sorted((o for o in program.obligations.values() if o.document == doc.id), key=lambda o: o.id):
        if not ob.deadlines or all(d.kind == "unstated" for d in ob.deadlines):
            loc = str(ob.locator) if ob.locator else ""
            yield _finding(
                doc.id,
                doc.label,
                "fact-no-cadence",
                ob.id,
                "warning",
                loc or None,
                ob.text,
                ob.span,
                msg("review.facts.cadence", obligation=ob.id, locator=loc),
            )
    named = " ".join([*(t for _, t in _texts(program, doc_id))])
    for event in sorted(program.events.values(), key=lambda e: (e.on or as_of, e.id)):
        if event.on is None or event.on > as_of:
            continue
        for change in event.changes:
            if change.subject != "body" or change.name.lower() not in named.lower():
                continue
            outcome = msg("review.facts.merged", successor=change.successor) if change.successor else msg("review.facts.ended")
            yield _finding(
                doc.id,
                doc.label,
                "fact-body-ceased",
                f"{doc.id}.{event.id}.{change.name}",
                "warning" if not change.successor else "info",
                None,
                None,
                doc.span,
                msg("review.facts.ceased", document=doc.label, name=change.name, outcome=outcome, on=event.on, source=event.source or event.id),
            )


def _texts(program: Program, doc_id: str) -> Iterator[tuple[str, str]]:
    for item in program.statements_of(doc_id):
        if item.text:
            yield item.id, item.text
    for ob in program.obligations.values():
        if ob.document == doc_id:
            for name in (ob.by, *ob.to, *ob.cc):
                if name:
                    yield ob.id, name
