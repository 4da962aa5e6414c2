"""Applicability as a verdict: applies / does not apply / unknown, and what each means for the rules.

* Unknown applicability (a missing jurisdiction or level): a rule the setup would break may not
  bind the centre at all, so its violation is *unknown*, never a violation (Kleene: "applies →
  holds" is unknown when "applies" is unknown and "holds" is false; true when "holds" is true).
* A document the setup lists in ``governing_documents`` that does not apply to it: a finding at
  the document's scope article naming the condition that excludes it and the fact that decides.
* No document applies at all: a warning (status unknown), so that the check does not read as a
  clean pass; the exit code stays 0 (nothing is violated, DESIGN's exit codes).
"""

from __future__ import annotations

from engine import ast, phrase
from engine.logic import Context, truth
from engine.message import Message, msg
from engine.verdict import UNKNOWN, Status, Verdict, status_word

__all__ = ["doubt_applicability", "excluded_claim", "no_document_applies"]


def doubt_applicability(verdicts: list[Verdict], doc: ast.Document) -> None:
    """The rules of a document whose applicability is unknown: a violation becomes unknown."""

    def doubt(v: Verdict) -> None:  # after the rule's own explanation, which ends in its violation
        v.status = Status.UNKNOWN
        v.message = msg("applicability.doubt", outcome=v.message, document=doc.label)
        v.add_event(msg("applicability.doubt_step", document=doc.label))
        v.add_event(msg("trace.outcome", status=status_word(Status.UNKNOWN)))

    for v in verdicts:
        if v.status is Status.VIOLATED:
            v.status = Status.UNKNOWN
            v.explain_with(doubt)


def _excluding(ctx: Context, condition: ast.Expr) -> list[ast.Expr]:
    """The parts of an applicability condition that are false for this centre."""
    items = condition.items if isinstance(condition, ast.And) else (condition,)
    return [item for item in items if truth(ctx.value(item)) is False]


def _facts(ctx: Context, expr: ast.Expr) -> tuple[Message, ...]:
    """What the setup gives for each field the condition reads: "tỉnh = Vĩnh Long"."""
    paths = dict.fromkeys(p for p in ast.walk(expr) if isinstance(p, ast.Path))
    return tuple(msg("check.fact", field=phrase.field(str(p)), value=phrase.value(None if (x := ctx.value(p)) is UNKNOWN else x)) for p in paths)


def excluded_claim(ctx: Context, doc: ast.Document) -> Verdict:
    """The setup claims ``doc`` governs it, but ``doc``'s scope excludes the centre."""
    assert doc.applies is not None
    parts = _excluding(ctx, doc.applies.condition) or [doc.applies.condition]
    facts = msg("check.facts", facts=tuple(msg("applicability.excluded_part", condition=phrase.condition(p), facts=_facts(ctx, p)) for p in parts))
    prov = doc.applies.provenance
    return Verdict(
        id=f"{doc.id}.applicability",
        kind="applicability",
        document=doc.id,
        status=Status.VIOLATED,
        locator=str(prov.locator) if prov else None,
        text=prov.text if prov else None,
        severity="error",
        binding=doc.status != "draft",
        message=msg("applicability.excluded", document=doc.label, facts=facts),
        expected=phrase.condition(doc.applies.condition),
        actual=facts,
        fix=msg("applicability.excluded_fix", document=doc.label),
        trace=[msg("trace.outcome", status=status_word(Status.VIOLATED))],
    )


def no_document_applies(ctx: Context) -> Verdict:
    """No encoded document governs this centre on this date: say so, never a silent clean pass."""
    centre = ctx.centre()
    facts = msg(
        "check.facts",
        facts=tuple(msg("check.fact", field=phrase.field(f"centre.{k}"), value=phrase.value(centre.get(k))) for k in ("province", "jurisdiction", "level")),
    )
    return Verdict(
        id="quyche.no_document_applies",
        kind="applicability",
        document="",
        status=Status.UNKNOWN,
        locator=None,
        text=None,
        severity="warning",
        message=msg("applicability.no_document", date=ctx.when, facts=facts),
        trace=[msg("trace.outcome", status=status_word(Status.UNKNOWN))],
    )
