"""Verdict + Program → explanation: the derivation from the setup's facts to the verdict.

An explanation is plain data (provenance, the trace of events, evidence, parameters, fix), its
texts catalogue messages, so that the CLI, the JSON report and the site each say it their way.
"""

from __future__ import annotations

from typing import Any

from engine.program import Program
from engine.verdict import Verdict, summary_of

__all__ = ["explain"]


def explain(program: Program, verdict: Verdict) -> dict[str, Any]:
    """Everything a reader needs to follow ``verdict``: the law, the facts, and each event."""
    doc = program.documents.get(verdict.document)
    item = program.rules.get(verdict.id) or program.obligations.get(verdict.id)
    return {
        "rule": verdict.id,
        "kind": verdict.kind,
        "status": verdict.status.value,
        "binding": verdict.binding,
        "summary": summary_of(item) if item is not None else None,
        "document": {
            "id": verdict.document,
            "number": doc.number if doc else None,
            "title": doc.title if doc else None,
            "status": doc.status if doc else None,
            "issuer": doc.issuer if doc else None,
        },
        "locator": verdict.locator,
        "text": verdict.text,
        "source": f"{item.span.file}:{item.span.line}" if item is not None and item.span else None,
        "message": verdict.message,
        "expected": verdict.expected,
        "actual": verdict.actual,
        "trace": list(verdict.trace),
        "evidence": verdict.evidence,
        "parameters": verdict.parameters,
        "fix": verdict.fix,
        "notes": list(item.notes) if item is not None else [],
    }
