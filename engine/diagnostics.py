"""Diagnostics: what is wrong with a regulation file, where, and how to fix it.

Every problem the engine finds in a DSL file (syntax, unknown names, missing provenance) is a
:class:`Diagnostic` with a stable code (listed in docs/diagnostics.md), a position and a hint.
Errors are collected per stage and raised together as one :class:`RegulationError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Diagnostic", "RegulationError", "CODES"]

# Stable codes: tools and docs refer to these; never renumber.
CODES: dict[str, str] = {
    "Q001": "syntax error",
    "Q002": "unreadable file",
    "Q010": "duplicate identifier",
    "Q011": "unknown reference",
    "Q012": "missing provenance (locator or verbatim text)",
    "Q013": "a number in the rule does not appear in its verbatim text",
    "Q014": "unknown collection or field",
    "Q015": "invalid value",
    "Q016": "statement outside a document",
    "Q017": "verbatim text not found in the source document",
    "Q018": "nested too deeply",
    "Q020": "malformed literate file (front matter, headings, code blocks)",
    "Q021": "malformed not-a-rule mark",
    "Q022": "statement in the wrong place of a literate file",
    "Q023": "locator written in a literate file (it comes from the heading path)",
    "Q024": "quoted text not in the provision it stands under",
    "Q025": "a provision of the source is missing from its literate file, or out of order",
    "Q026": "a provision neither encoded, nor marked not a rule, nor a gap",
    "Q027": "a statement without its words in the catalogue, or words without their statement",
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    file: str = "<string>"
    line: int = 0
    column: int = 0
    severity: str = "error"
    hint: str | None = None
    context: str | None = None

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        out = f"{where}: {self.severity} {self.code}: {self.message}"
        if self.context:
            out += "\n" + self.context.rstrip("\n")
        if self.hint:
            out += f"\n  hint: {self.hint}"
        return out


@dataclass
class RegulationError(Exception):
    """One or more error diagnostics; raised at the end of the stage that found them."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)
