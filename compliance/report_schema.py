"""The JSON shape of findings and reports as pydantic models: the contract's schema.

``quyche schema findings``, the web app's OpenAPI and the contract tests validate against these
models; compliance.findings builds the data itself (a check never imports pydantic). A finding
has at least: rule, status, severity, document (official number), locator, text, message,
expected, actual, fix (each ``{vi, en}``; fix may be null), evidence (DESIGN.md "JSON findings").
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

__all__ = ["AuditFinding", "CompactFinding", "Evidence", "Finding", "Report", "Text"]


class Text(BaseModel):
    """A text a user reads, in both languages."""

    model_config = ConfigDict(extra="forbid")
    vi: str
    en: str


class Evidence(BaseModel):
    """A record, fact or event that decided a finding. ``record`` is a path of the input file
    (``staff[2]``, ``teams[1].members[6]``, ``centre.seal``), or for a due occurrence with no
    record ``log:period`` (``reports:2024-H1``), an obligation (``obligation:id``) or an event
    (``event:id``)."""

    model_config = ConfigDict(extra="forbid")
    record: str
    role: str | None = None
    label: str | None = None
    detail: Text | None = None
    actual: Text | None = None
    value: Any = None
    due: str | None = None
    filed: str | None = None
    group: str | None = None
    date: str | None = None
    source: str | None = None
    how: str | None = None
    document: str | None = None
    obligation: str | None = None

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Keys absent from the record are left out; ``value`` stays when set, even unknown (null).
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or (k == "value" and "value" in self.model_fields_set)}


class _Head(BaseModel):
    """What every finding says: which rule, of which document, with which status."""

    model_config = ConfigDict(extra="forbid")
    rule: str
    kind: str
    status: Literal["satisfied", "violated", "not_applicable", "unknown"]
    severity: Literal["error", "warning", "info"]
    binding: bool
    document: str
    document_id: str
    locator: str | None


class CompactFinding(_Head):
    """A finding that needs no attention as an audit writes it by default (no explanation)."""

    status: Literal["satisfied", "not_applicable"]


class _Explained(_Head):
    text: str | None
    message: Text
    expected: Text | None
    actual: Text | None
    evidence: list[Evidence]
    fix: Text | None


class Finding(_Explained):
    """One verdict as the JSON contract gives it (DESIGN.md "JSON findings")."""

    steps: list[Text]
    parameters: list[dict[str, Any]]


class _AuditedFinding(_Explained):
    """A full finding of an audit: the derivation steps only when asked for (``--steps``); the
    evidence items past the first :data:`compliance.findings.AUDIT_EVIDENCE` counted, not listed (unless ``--full``)."""

    evidence_omitted: int | None = None
    steps: list[Text] | None = None
    parameters: list[dict[str, Any]]


AuditFinding = _AuditedFinding | CompactFinding
"""A finding in an audit report: full (violated, unknown, or every one with ``--full``) or compact."""


class Report(BaseModel):
    """`quyche check --format json`: as_of, setup, documents, findings, summary, proposed (and
    the receipt the command adds)."""

    model_config = ConfigDict(extra="forbid")
    as_of: str
    setup: str
    documents: list[str]
    findings: list[Finding]
    summary: dict[str, int]
    proposed: dict[str, int]
    receipt: dict[str, Any] | None = None
