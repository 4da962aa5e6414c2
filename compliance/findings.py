"""Verdicts → findings: the JSON shape that check, review and audit all share (DESIGN.md).

A finding has at least: rule, status, severity, document (official number), locator, text,
message, expected, actual, fix (each ``{vi, en}``; fix may be null), evidence. quyche adds:
kind, binding, document_id, steps (the trace, ``{vi, en}`` per event) and parameters. Every
text comes from the catalogue: the engine's messages are rendered here and only here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from compliance.catalogue import both
from engine import Evaluation, Program, Verdict
from engine.message import Message
from engine.schedule import TIMEZONE

__all__ = ["finding", "report", "exit_code", "plain", "today_in_vietnam"]

_ORDER = {"violated": 0, "unknown": 1, "satisfied": 2, "not_applicable": 3}


def plain(value: Any) -> Any:
    """Engine data as JSON data: messages as ``{vi, en}``, exact numbers as text, dates ISO."""
    if isinstance(value, Message):
        return both(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None or k == "value"}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def finding(program: Program, v: Verdict) -> dict[str, Any]:
    doc = program.documents.get(v.document)
    return {
        "rule": v.id,
        "kind": v.kind,
        "status": v.status.value,
        "severity": v.severity,
        "binding": v.binding,
        "document": doc.number if doc and doc.number else v.document,
        "document_id": v.document,
        "locator": v.locator,
        "text": v.text,
        "message": both(v.message),
        "expected": plain(v.expected),
        "actual": plain(v.actual),
        "evidence": [plain(e) for e in v.evidence],
        "fix": plain(v.fix),
        "steps": [both(m) for m in v.trace],
        "parameters": v.parameters,
    }


def _counts(verdicts: list[Verdict]) -> dict[str, int]:
    return {status: sum(1 for v in verdicts if v.status.value == status) for status in _ORDER}


def report(program: Program, evaluation: Evaluation, setup_name: str) -> dict[str, Any]:
    """The `quyche check --format json` object: as_of, setup, documents, findings, summary.

    ``summary`` counts the findings of binding documents (what the exit code follows);
    ``proposed`` counts those of drafts, which are information only.
    """
    verdicts = sorted(evaluation.verdicts, key=lambda v: (_ORDER[v.status.value], v.document, v.id))
    return {
        "as_of": evaluation.as_of.isoformat(),
        "setup": setup_name,
        "documents": [program.documents[d].number or d for d in evaluation.documents],
        "findings": [finding(program, v) for v in verdicts],
        "summary": _counts([v for v in verdicts if v.binding]),
        "proposed": _counts([v for v in verdicts if not v.binding]),
    }


def exit_code(evaluation: Evaluation) -> int:
    """0 when no binding rule is violated, 1 otherwise (a draft's findings never fail a check)."""
    return 1 if evaluation.violated else 0


def today_in_vietnam() -> date:
    """Today's date in Asia/Ho_Chi_Minh, the default as-of date."""
    return datetime.now(TIMEZONE).date()
