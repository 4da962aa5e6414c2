"""The API's response shapes for OpenAPI: a finding and a check report (DESIGN.md's JSON contract).

They document the JSON; the responses themselves are the CLI's bytes, never re-serialised
through these models. Extra keys are allowed, so the contract can grow (receipts, traces).
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CheckReport", "Finding", "Problem"]

Text = Any  # a string, or {"vi": …, "en": …}


class Finding(BaseModel):
    """One rule's verdict with its provenance and explanation."""

    model_config = ConfigDict(extra="allow")

    rule: str = Field(description="Rule id, e.g. qd953_2023.giam_doc")
    status: Literal["violated", "unknown", "satisfied", "not_applicable"]
    severity: Literal["error", "warning", "info"]
    document: str = Field(description="The document's official number, e.g. 953/QĐ-UBND-HC")
    locator: Optional[str] = Field(None, description="Điều / khoản / điểm")
    text: Optional[str] = Field(None, description="The provision's verbatim Vietnamese text")
    message: dict[str, str] = Field(description='{"vi": …, "en": …}')
    expected: Text = None
    actual: Text = None
    fix: Optional[dict[str, str]] = None
    evidence: list[Any] = Field(default_factory=list, description="Records that decided the verdict, each resolving to a place in the input")


class CheckReport(BaseModel):
    """`quyche check --format json`."""

    model_config = ConfigDict(extra="allow")

    as_of: str = Field(description="YYYY-MM-DD")
    setup: str = Field(description="The setup's file name")
    documents: list[Any] = Field(description="Documents applied")
    findings: list[Finding]
    summary: dict[str, int] = Field(description="Counts per status, binding documents only")


class Problem(BaseModel):
    """A refused request: the CLI's message, and for an invalid setup each problem at its place."""

    detail: str
    problems: list[dict[str, Any]] = Field(default_factory=list)
