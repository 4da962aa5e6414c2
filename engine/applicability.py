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

from engine import ast
from engine.constraints import describe_expr
from engine.logic import Context, show_value, truth
from engine.verdict import Status, Verdict

__all__ = ["doubt_applicability", "excluded_claim", "no_document_applies"]


def doubt_applicability(verdicts: list[Verdict], doc: ast.Document) -> None:
    """The rules of a document whose applicability is unknown: a violation becomes unknown."""
    for v in verdicts:
        if v.status is Status.VIOLATED:
            v.status = Status.UNKNOWN
            reason = {
                "vi": f"chưa đủ dữ kiện để biết {doc.label} có áp dụng cho Trung tâm không, nên chưa thể kết luận vi phạm",
                "en": f"the setup lacks the facts to tell whether {doc.label} applies to this centre, so this is not a violation yet",
            }
            v.message = {lang: f"{v.message.get(lang, '')} — {reason[lang]}" for lang in ("vi", "en")}
            v.steps.append(reason)


def _excluding(ctx: Context, condition: ast.Expr) -> list[ast.Expr]:
    """The parts of an applicability condition that are false for this centre."""
    items = condition.items if isinstance(condition, ast.And) else (condition,)
    return [item for item in items if truth(ctx.value(item)) is False]


def excluded_claim(ctx: Context, doc: ast.Document) -> Verdict:
    """The setup claims ``doc`` governs it, but ``doc``'s scope excludes the centre."""
    assert doc.applies is not None
    parts = _excluding(ctx, doc.applies.condition) or [doc.applies.condition]
    facts = "; ".join(
        f"[{describe_expr(p)}]: "
        + ", ".join(f"{describe_expr(path)} = {show_value(ctx.value(path))}" for path in dict.fromkeys(ast.walk(p)) if isinstance(path, ast.Path))
        for p in parts
    )
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
        message={
            "vi": f"Thiết lập ghi {doc.label} trong governing_documents, nhưng văn bản này không áp dụng cho Trung tâm: {facts}",
            "en": f"The setup lists {doc.label} among its governing_documents, but it does not apply to this centre: {facts}",
        },
        expected=describe_expr(doc.applies.condition),
        actual=facts,
        fix={
            "vi": f"Bỏ {doc.label} khỏi governing_documents, hoặc sửa thông tin về địa bàn, cấp của Trung tâm nếu ghi sai.",
            "en": f"Remove {doc.label} from governing_documents, or correct the centre's place or level if it is wrong.",
        },
    )


def no_document_applies(ctx: Context) -> Verdict:
    """No encoded document governs this centre on this date: say so, never a silent clean pass."""
    centre = ctx.centre()
    where = ", ".join(f"{k} = {show_value(centre.get(k))}" for k in ("province", "jurisdiction", "level"))
    return Verdict(
        id="quyche.no_document_applies",
        kind="applicability",
        document="",
        status=Status.UNKNOWN,
        locator=None,
        text=None,
        severity="warning",
        message={
            "vi": (
                f"Không văn bản nào trong bộ quy định áp dụng cho Trung tâm này vào ngày {ctx.when:%d/%m/%Y} ({where}): "
                "quyche chưa kiểm tra được gì, đây không phải kết quả đạt"
            ),
            "en": f"No regulation in the rule set applies to this centre as of {ctx.when.isoformat()} ({where}): nothing was checked, this is not a pass",
        },
    )
