"""Verdict + Program → explanation: the derivation from the setup's facts to the verdict.

An explanation is plain data (title, provenance, steps, evidence, parameters, fix) so that
the CLI, the JSON report and the docs site can each render it their own way.
"""

from __future__ import annotations

from typing import Any

from engine.program import Program
from engine.verdict import Verdict

__all__ = ["explain"]


def explain(program: Program, verdict: Verdict, lang: str = "vi") -> dict[str, Any]:
    """Everything a reader needs to follow ``verdict``: the law, the facts, and each step."""
    doc = program.documents.get(verdict.document)
    item = program.rules.get(verdict.id) or program.obligations.get(verdict.id)
    summary = None
    if item is not None:
        summary = (item.summary or item.summary_en) if lang == "vi" else (item.summary_en or item.summary)
    return {
        "rule": verdict.id,
        "kind": verdict.kind,
        "status": verdict.status.value,
        "binding": verdict.binding,
        "summary": summary,
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
        "message": verdict.message.get(lang, ""),
        "expected": verdict.expected,
        "actual": verdict.actual,
        "steps": [step.get(lang, step.get("en", "")) for step in verdict.steps],
        "evidence": verdict.evidence,
        "parameters": verdict.parameters,
        "fix": verdict.fix.get(lang) if verdict.fix else None,
        "notes": list(item.notes) if item is not None else [],
    }
