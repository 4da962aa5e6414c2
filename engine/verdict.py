"""Verdicts: the four statuses, the verdict of one rule with its evidence, and how verdicts combine.

A status is ``satisfied``, ``violated``, ``not_applicable`` or ``unknown`` (the setup lacks the
facts to decide: never reported as passed). A draft's verdicts are proposals: not binding,
severity info, and their messages say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from engine import ast

__all__ = ["Status", "UNKNOWN", "Facts", "Verdict", "Evaluation", "new_verdict", "summaries", "mark_not_applicable", "mark_proposed", "mark_unknown", "combine"]


class Status(str, Enum):
    SATISFIED = "satisfied"
    VIOLATED = "violated"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class _Unknown:
    """The value of a fact the setup does not give."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"


UNKNOWN: Any = _Unknown()
Facts = Mapping[str, Any]


@dataclass
class Verdict:
    id: str
    kind: str  # rule | obligation | pilot
    document: str
    status: Status
    locator: str | None
    text: str | None
    severity: str = "error"
    binding: bool = True
    message: dict[str, str] = field(default_factory=dict)
    expected: str | None = None
    actual: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    fix: dict[str, str] | None = None
    steps: list[dict[str, str]] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Evaluation:
    as_of: date
    documents: list[str]  # ids of documents applied
    verdicts: list[Verdict]

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for v in self.verdicts:
            counts[v.status.value] += 1
        return counts

    @property
    def violated(self) -> bool:
        return any(v.status is Status.VIOLATED and v.binding for v in self.verdicts)


def new_verdict(item: ast.Rule | ast.Obligation, doc: ast.Document, kind: str) -> Verdict:
    binding = doc.status != "draft"
    fix = None
    if item.fix or item.fix_en:
        fix = {"vi": item.fix or item.fix_en or "", "en": item.fix_en or item.fix or ""}
    return Verdict(
        id=item.id,
        kind=kind,
        document=doc.id,
        status=Status.UNKNOWN,
        locator=str(item.locator) if item.locator else None,
        text=item.text,
        severity=item.severity if binding else "info",
        binding=binding,
        fix=fix,
    )


def summaries(item: ast.Rule | ast.Obligation) -> tuple[str, str]:
    vi = item.summary or item.summary_en or item.id
    en = item.summary_en or item.summary or item.id
    return vi, en


def mark_not_applicable(v: Verdict, reason: dict[str, str], summary: tuple[str, str]) -> Verdict:
    v.status = Status.NOT_APPLICABLE
    v.message = {"vi": f"{summary[0]} — không áp dụng: {reason['vi']}", "en": f"{summary[1]} — not applicable: {reason['en']}"}
    v.steps.append({"vi": reason["vi"], "en": reason["en"]})
    mark_proposed(v)
    return v


def mark_unknown(v: Verdict, reason: dict[str, str], summary: tuple[str, str]) -> Verdict:
    """The setup lacks the facts to decide: say which, never report it as passed."""
    v.status = Status.UNKNOWN
    v.message = {"vi": f"{summary[0]} — {reason['vi']}", "en": f"{summary[1]} — {reason['en']}"}
    mark_proposed(v)
    return v


def mark_proposed(v: Verdict) -> None:
    if not v.binding:
        v.message = {"vi": "[Đề xuất, chưa ban hành] " + v.message["vi"], "en": "[Proposed, not enacted] " + v.message["en"]}


def combine(statuses: Sequence[Status]) -> Status:
    if any(s is Status.VIOLATED for s in statuses):
        return Status.VIOLATED
    if any(s is Status.UNKNOWN for s in statuses):
        return Status.UNKNOWN
    if statuses and all(s is Status.NOT_APPLICABLE for s in statuses):
        return Status.NOT_APPLICABLE
    return Status.SATISFIED
