"""Program + facts + a date → verdicts: honest, three-valued evaluation with its evidence.

Facts are plain data (a mapping: ``centre`` → dict, each collection → list of dicts); a key the
setup does not give is *unknown*, never false. Each rule, obligation and pilot becomes a
:class:`Verdict` whose status is satisfied, violated, not_applicable or unknown, with the
records that decided it, the parameter values used, and the steps of its derivation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from engine import ast
from engine.applicability import doubt_applicability, excluded_claim, no_document_applies
from engine.constraints import check_constraint, describe_expr
from engine.logic import Context, show_value, truth
from engine.obligations import is_extended, obligation_verdict, obligation_window
from engine.program import Program
from engine.reorganisation import reorganisation_verdicts
from engine.text import text_key
from engine.verdict import UNKNOWN, Evaluation, Facts, Status, Verdict, combine, mark_not_applicable, mark_proposed, mark_unknown, new_verdict, summaries

__all__ = ["Status", "Verdict", "Evaluation", "evaluate", "UNKNOWN", "doc_in_force", "obligation_window", "Context"]


def doc_in_force(doc: ast.Document, when: date) -> tuple[bool, dict[str, str] | None]:
    """Whether ``doc`` is in force on ``when``; if not, why (vi/en)."""
    if doc.signed is not None and when < doc.signed:
        return False, {
            "vi": f"văn bản {doc.label} chưa được ký ban hành vào ngày {when:%d/%m/%Y} (ký ngày {doc.signed:%d/%m/%Y})",
            "en": f"{doc.label} had not been signed on {when.isoformat()} (signed {doc.signed.isoformat()})",
        }
    start = doc.effective or doc.signed
    if start is not None and when < start:
        return False, {
            "vi": f"văn bản {doc.label} chưa có hiệu lực vào ngày {when:%d/%m/%Y} (hiệu lực từ {start:%d/%m/%Y})",
            "en": f"{doc.label} is not in force on {when.isoformat()} (in force from {start.isoformat()})",
        }
    if doc.status == "temporary" and doc.pilot and doc.pilot.until and when > doc.pilot.until:
        return False, {
            "vi": f"quy chế tạm thời {doc.label} chỉ áp dụng đến hết {doc.pilot.until:%d/%m/%Y}",
            "en": f"temporary regulation {doc.label} applied only until {doc.pilot.until.isoformat()}",
        }
    return True, None


def _applies(ctx: Context, doc: ast.Document) -> bool | None:
    if doc.status == "cited":
        return False
    if doc.applies is None:
        return None if not _governing(ctx, doc) else True
    return truth(ctx.value(doc.applies.condition))


def _governing(ctx: Context, doc: ast.Document) -> bool:
    listed = ctx.centre().get("governing_documents") or []
    keys = {text_key(str(x)) for x in listed}
    return text_key(doc.id) in keys or (doc.number is not None and text_key(doc.number) in keys)


def _rule_verdict(ctx: Context, rule: ast.Rule, doc: ast.Document, gate: dict[str, str] | None, overridden_by: str | None) -> Verdict:
    v = new_verdict(rule, doc, "rule")
    summary = summaries(rule)
    if gate is not None:
        return mark_not_applicable(v, gate, summary)
    if overridden_by is not None:
        return mark_not_applicable(v, {"vi": f"được thay thế bởi quy định {overridden_by}", "en": f"overridden by {overridden_by}"}, summary)
    ctx.params_used, ctx.name_notes = {}, {}
    if rule.when is not None:
        applies = truth(ctx.value(rule.when))
        v.steps.append(
            {
                "vi": f"điều kiện áp dụng [{describe_expr(rule.when)}]: {show_value(applies)}",
                "en": f"applicability [{describe_expr(rule.when)}]: {show_value(applies)}",
            }
        )
        if applies is False:
            return mark_not_applicable(
                v, {"vi": f"điều kiện [{describe_expr(rule.when)}] không thỏa", "en": f"condition [{describe_expr(rule.when)}] does not hold"}, summary
            )
        if applies is None:
            return mark_unknown(
                v, {"vi": "chưa đủ dữ kiện để biết quy định có áp dụng không", "en": "the setup lacks the facts to tell whether this applies"}, summary
            )
    results = [check_constraint(ctx, c) for c in rule.requires]
    v.status = combine([r.status for r in results])
    deciding = [r for r in results if r.status is v.status] or results
    v.expected = "; ".join(r.expected for r in results if r.expected)
    v.actual = "; ".join(r.actual for r in results)
    for r in results:
        v.evidence.extend(r.evidence)
        v.steps.append({"vi": f"{r.vi} → {r.status.value}", "en": f"{r.en} → {r.status.value}"})
    v.parameters = list(ctx.params_used.values())
    v.steps.extend(_parameter_steps(ctx, rule))
    lead_vi = {"satisfied": "Đạt", "violated": "Vi phạm", "unknown": "Chưa đủ dữ kiện"}[v.status.value]
    lead_en = {"satisfied": "Satisfied", "violated": "Violated", "unknown": "Unknown"}[v.status.value]
    v.message = {"vi": f"{lead_vi}: {summary[0]} ({'; '.join(r.vi for r in deciding)})", "en": f"{lead_en}: {summary[1]} ({'; '.join(r.en for r in deciding)})"}
    if v.status is Status.VIOLATED and ctx.name_notes:  # say when a name fails only because it is another unit's (engine.names)
        v.message = {lang: f"{text}. " + "; ".join(n[lang] for n in ctx.name_notes.values()) for lang, text in v.message.items()}
    mark_proposed(v)
    return v


def _parameter_steps(ctx: Context, rule: ast.Rule) -> list[dict[str, str]]:
    """Each computation on dated parameters alone, resolved for the date: "1,5 * luong_co_so = 3.510.000"."""
    found: list[ast.Arith] = []

    def walk(node: Any) -> None:
        if isinstance(node, ast.Arith):
            paths = list(paths_in(node))
            if paths and all(p.parts[0] in ctx.program.parameters for p in paths):
                found.append(node)
                return
        if isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    walk(getattr(node, name))

    walk((rule.requires, rule.when))
    steps: list[dict[str, str]] = []
    for node in dict.fromkeys(found):
        text = f"{describe_expr(node)} = {show_value(ctx.value(node))}"
        used = [ctx.params_used[p.parts[0]] for p in paths_in(node) if p.parts[0] in ctx.params_used]
        basis = "; ".join(f"{u['parameter']} = {show_value(Decimal(u['value']))} từ {u['from']}, {u['source']}" for u in used)
        basis_en = "; ".join(f"{u['parameter']} = {show_value(Decimal(u['value']))} from {u['from']}, {u['source']}" for u in used)
        steps.append({"vi": f"{text} (ngày {ctx.when:%d/%m/%Y}: {basis})", "en": f"{text} (as of {ctx.when.isoformat()}: {basis_en})"})
    return steps


def paths_in(node: Any) -> list[ast.Path]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Path)]


def _pilot_verdict(ctx: Context, doc: ast.Document) -> Verdict:
    assert doc.pilot is not None
    prov = doc.pilot.provenance
    v = Verdict(
        id=f"{doc.id}.pilot",
        kind="pilot",
        document=doc.id,
        status=Status.UNKNOWN,
        locator=str(prov.locator),
        text=prov.text,
        severity="error" if doc.status != "draft" else "info",
        binding=doc.status != "draft",
    )
    until = doc.pilot.until
    if until is None:
        v.status = Status.UNKNOWN
        v.severity = "warning"
        v.expected = "an end date for the pilot"
        v.actual = "none stated"
        v.message = {
            "vi": f"Quy chế {doc.label} chỉ áp dụng trong thời gian thử nghiệm nhưng không nêu ngày kết thúc",
            "en": f"{doc.label} applies only during the pilot but states no end date",
        }
        v.fix = {"vi": "Đề nghị cơ quan ban hành xác định thời hạn thử nghiệm.", "en": "Ask the issuer to fix the pilot's end date."}
        return v
    v.expected = f"pilot ends {until.isoformat()}"
    if ctx.when <= until:
        v.status = Status.SATISFIED
        v.actual = f"as of {ctx.when.isoformat()}: pilot running"
        v.message = {
            "vi": f"Đạt: thời gian thí điểm theo {doc.label} kéo dài đến hết {until:%d/%m/%Y}",
            "en": f"Satisfied: the pilot under {doc.label} runs until {until.isoformat()}",
        }
        return v
    centre = ctx.centre()
    extensions = [str(x) for x in centre.get("pilot_extensions") or []]
    extended = any(text_key(doc.id) == text_key(x) or (doc.number and text_key(doc.number) in text_key(x)) for x in extensions)
    operating = centre.get("operating")
    v.actual = f"as of {ctx.when.isoformat()}: operating = {show_value(operating if operating is not None else UNKNOWN)}"
    if extended:
        v.status = Status.SATISFIED
        v.evidence.append({"record": "centre.pilot_extensions", "role": "decides", "value": extensions})
        v.message = {
            "vi": f"Đạt: thí điểm theo {doc.label} đã hết hạn {until:%d/%m/%Y} nhưng có văn bản gia hạn",
            "en": f"Satisfied: the pilot under {doc.label} ended {until.isoformat()} but an extension is recorded",
        }
    elif operating is False:
        v.status = Status.SATISFIED
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": False})
        v.message = {
            "vi": f"Đạt: thí điểm kết thúc {until:%d/%m/%Y} và Trung tâm không còn hoạt động theo văn bản này",
            "en": f"Satisfied: the pilot ended {until.isoformat()} and the centre no longer operates under it",
        }
    elif operating is True:
        v.status = Status.VIOLATED
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": True})
        v.message = {
            "vi": f"Vi phạm: thời gian thí điểm theo {doc.label} ({prov.locator}) đã kết thúc ngày {until:%d/%m/%Y}; "
            "Trung tâm vẫn hoạt động mà không có văn bản gia hạn",
            "en": f"Violated: the pilot under {doc.label} ({prov.locator}) ended on {until.isoformat()}; the centre still operates with no extension recorded",
        }
        v.fix = {
            "vi": "Trình cấp có thẩm quyền đánh giá, quyết định gia hạn hoặc chuyển sang mô hình chính thức.",
            "en": "Have the competent body evaluate the pilot and extend it or make the centre permanent.",
        }
    else:
        v.status = Status.UNKNOWN
        v.message = {
            "vi": f"Thí điểm theo {doc.label} đã kết thúc ngày {until:%d/%m/%Y}; thiết lập không cho biết Trung tâm còn hoạt động không",
            "en": f"The pilot under {doc.label} ended on {until.isoformat()}; the setup does not say whether the centre still operates",
        }
    v.steps.append(
        {
            "vi": f"thí điểm đến hết {until:%d/%m/%Y}; ngày đánh giá {ctx.when:%d/%m/%Y}",
            "en": f"pilot until {until.isoformat()}; evaluated as of {ctx.when.isoformat()}",
        }
    )
    return v


def _why_it_applies(ctx: Context, doc: ast.Document) -> dict[str, str]:
    """The first step of every derivation: the document is in force, and it governs this centre."""
    start = doc.effective or doc.signed
    since_vi = f" từ {start:%d/%m/%Y}" if start else ""
    since_en = f" since {start.isoformat()}" if start else ""
    if doc.applies is not None:
        cond = describe_expr(doc.applies.condition)
        where = f" ({doc.applies.provenance.locator})" if doc.applies.provenance else ""
        facts = "; ".join(f"{p} = {show_value(ctx.value(p))}" for p in dict.fromkeys(paths_in(doc.applies.condition)))
        return {
            "vi": f"{doc.label} có hiệu lực{since_vi}; áp dụng cho Trung tâm{where}: [{cond}] đúng vì {facts}",
            "en": f"{doc.label} in force{since_en}; applies to this centre{where}: [{cond}] holds as {facts}",
        }
    return {
        "vi": f"{doc.label} có hiệu lực{since_vi}; Trung tâm ghi văn bản này trong governing_documents",
        "en": f"{doc.label} in force{since_en}; the setup lists it among its governing_documents",
    }


def evaluate(program: Program, facts: Facts, as_of: date) -> Evaluation:
    """Evaluate every applicable document's rules, obligations and pilot against ``facts``."""
    ctx = Context(program, facts, as_of)
    verdicts: list[Verdict] = []
    applied: list[str] = []
    active_rules: dict[str, bool] = {}
    gates: dict[str, dict[str, str] | None] = {}
    doubtful: set[str] = set()  # documents whose applicability is unknown
    for doc in sorted(program.documents.values(), key=lambda d: d.id):
        applies = _applies(ctx, doc)
        if applies is False and doc.applies is not None and doc.status != "cited" and _governing(ctx, doc):
            verdicts.append(excluded_claim(ctx, doc))  # the setup claims a document whose scope excludes it
        if applies is False or (applies is None and doc.applies is None):
            continue
        if applies is None:
            doubtful.add(doc.id)
        applied.append(doc.id)
        in_force, why = doc_in_force(doc, as_of)
        gate = why
        if (
            gate is not None
            and doc.status == "temporary"
            and doc.pilot is not None
            and doc.pilot.until is not None
            and as_of > doc.pilot.until
            and is_extended(doc, ctx.centre())
        ):
            gate = None  # the setup records a document extending the temporary regulation's pilot
        if applies is None:
            # Rules of a document in force still evaluate; the applicability doubt is reported here.
            # A document not yet signed or in force stays not applicable whatever the doubt.
            verdicts.append(
                Verdict(
                    id=f"{doc.id}.applicability",
                    kind="applicability",
                    document=doc.id,
                    status=Status.UNKNOWN,
                    locator=str(doc.applies.provenance.locator) if doc.applies and doc.applies.provenance else None,
                    text=doc.applies.provenance.text if doc.applies and doc.applies.provenance else None,
                    severity="warning",
                    binding=doc.status != "draft",
                    message={
                        "vi": f"Chưa đủ dữ kiện để biết {doc.label} có áp dụng cho Trung tâm không",
                        "en": f"The setup lacks the facts to tell whether {doc.label} applies to this centre",
                    },
                    expected=describe_expr(doc.applies.condition) if doc.applies else None,
                )
            )
        gates[doc.id] = gate
        for rule in program.rules.values():
            if rule.document == doc.id:
                active_rules[rule.id] = gate is None and (rule.when is None or truth(ctx.value(rule.when)) is True)
    overridden: dict[str, str] = {}
    for rule in program.rules.values():
        if active_rules.get(rule.id):
            for ref in rule.overrides:
                target = ref if ref in program.rules else f"{rule.document}.{ref}"
                overridden[target] = rule.id
    for doc_id in applied:
        doc = program.documents[doc_id]
        gate = gates[doc_id]
        first = len(verdicts)
        for rule in sorted((r for r in program.rules.values() if r.document == doc_id), key=lambda r: r.id):
            verdicts.append(_rule_verdict(ctx, rule, doc, gate, overridden.get(rule.id)))
        for ob in sorted((o for o in program.obligations.values() if o.document == doc_id), key=lambda o: o.id):
            verdicts.append(obligation_verdict(ctx, ob, doc, gate))
        if gate is None:  # every derivation starts from why the document governs this centre on this date
            why = _why_it_applies(ctx, doc)
            for v in verdicts[first:]:
                v.steps.insert(0, why)
        start = doc.effective or doc.signed
        if doc.pilot is not None and (start is None or as_of >= start):
            verdicts.append(_pilot_verdict(ctx, doc))
        if doc_id in doubtful:
            doubt_applicability(verdicts[first:], doc)
    if not applied:
        verdicts.append(no_document_applies(ctx))
    # As of a date after a 2025 reorganisation event: what ceased, and what replaced it (never a violation).
    verdicts.extend(reorganisation_verdicts(ctx.reorganisation, program, facts, [d for d in applied if gates[d] is None]))
    return Evaluation(as_of=as_of, documents=applied, verdicts=verdicts)
