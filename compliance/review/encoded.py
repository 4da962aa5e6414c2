"""One encoded document → review findings: the legal reviewer's pass (DESIGN.md, user 1).

`quyche review DOCUMENT` recomputes every figure the document states (its claims), checks its
citations (an instrument not in the program, the same instrument cited twice in one place, an
instrument dated after the citing document, bounds for an undated one), flags unfinished text
("Công văn số......", "(sẽ bổ sung nội dung sau)") and, for a draft, compares what it proposed
with what was enacted from it (documents that ``derives_from`` it). Findings have the shape of
`quyche check` findings (compliance.findings) plus ``check`` (what kind of finding) and
``location`` (the .quy file and line of the statement). Exit code: 1 when a finding is an
error, else 0.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.catalogue import Lang, both, entries, format_value, text, word
from compliance.catalogue import name as named
from compliance.markup import Printer, escape
from compliance.regulations import regulations_dir
from compliance.setup_facts import vocabulary
from engine import ClaimResult, Context, Program, RegulationError, ast, build_program, evaluate_claims, text_key
from engine.literate import parse_regulation_file
from engine.message import Arg, Message, msg
from engine.printer import format_expr, format_number
from engine.verdict import reason_of, summary_of

__all__ = ["CHECKS", "ReviewInputError", "exit_code", "load_for_review", "render_review", "review"]

# The kinds of review finding: the SARIF rule ids, with what each checks (words from the catalogue).
CHECK_IDS = (
    "claim",
    "claim-today",
    "citation-unknown",
    "citation-duplicate",
    "citation-later",
    "undated",
    "unfinished-text",
    "proposal-vs-enacted",
    "not-modelled",
)
CHECKS: dict[str, tuple[str, str]] = {
    check: (word(f"review.encoded.checks.{check}", "vi"), word(f"review.encoded.checks.{check}", "en")) for check in CHECK_IDS
}

# Placeholders a finished legal text never contains: dot leaders, repeated ellipses, blanks,
# "xx", and promises to fill the text in later.
_PLACEHOLDERS = re.compile(r"\.{4,}|…(?:\s*…)+|_{3,}|\b[xX]{2,}\b|\(?\s*sẽ\s+bổ\s+sung[^)]*\)?|bổ\s+sung\s+sau", re.IGNORECASE)

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_STATUS_ORDER = {"violated": 0, "unknown": 1, "satisfied": 2, "not_applicable": 3}
_CITING = ("cites", "derives_from", "implements")


class ReviewInputError(Exception):
    """The document to review cannot be found or read: exit code 2. ``message`` says why, in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(text(message, "en"))
        self.message = message


# ---------------------------------------------------------------- loading
def _is_path(target: str) -> bool:
    return target.endswith(".quy") or Path(target).is_file()


def load_for_review(target: str, regulations: Path | None = None) -> tuple[Program, ast.Document, list[ast.Link]]:
    """The program, the document to review and the citations of it that name no known document.

    ``target`` is a document id, an official number, or a .quy file (a file outside the
    regulations folder is reviewed together with them, replacing any file that declares the
    same document). Citations of unknown documents would stop the program from building;
    the reviewed document's own are set aside and returned so that review reports them.
    """
    root = regulations or regulations_dir()
    base = root.parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix == ".quy" or (p.suffix == ".md" and p.name.lower() != "readme.md")))
    extra: Path | None = None
    if _is_path(target):
        extra = Path(target)
        if not extra.is_file():
            raise ReviewInputError(msg("review.input.missing", file=target))
        files = [f for f in files if f.resolve() != extra.resolve()]
    modules: list[ast.Module] = []
    errors = []
    for file in files + ([extra] if extra else []):
        resolved = file.resolve()
        shown = str(resolved.relative_to(base.resolve())) if resolved.is_relative_to(base.resolve()) else str(file)
        try:
            modules.append(parse_regulation_file(file, shown))
        except RegulationError as err:
            errors.extend(err.diagnostics)
    if errors:
        raise ReviewInputError(msg("review.encoded.regulation_errors", errors=str(RegulationError(errors))))
    if extra is not None:
        mine = modules[-1]
        if not mine.documents:
            raise ReviewInputError(msg("review.encoded.no_document_in_file", file=target))
        ids = {d.id for d in mine.documents}
        modules = [m for m in modules[:-1] if not ids & {d.id for d in m.documents}] + [mine]
        doc_id = mine.documents[0].id
    else:
        doc_id = _find_document(modules, target)
    known = {d.id for m in modules for d in m.documents}
    dropped: list[ast.Link] = []
    rebuilt: list[ast.Module] = []
    for module in modules:
        docs = []
        for doc in module.documents:
            if doc.id == doc_id:
                dropped = [link for link in doc.links if link.target not in known]
                doc = dataclasses.replace(doc, links=tuple(link for link in doc.links if link.target in known))
            docs.append(doc)
        rebuilt.append(dataclasses.replace(module, documents=tuple(docs)))
    try:
        program = build_program(rebuilt, vocabulary())
    except RegulationError as err:
        raise ReviewInputError(msg("review.encoded.regulation_errors", errors=str(err))) from None
    return program, program.documents[doc_id], dropped


def _find_document(modules: Iterable[ast.Module], target: str) -> str:
    docs = [d for m in modules for d in m.documents]
    key = text_key(target)
    for doc in docs:
        if text_key(doc.id) == key or (doc.number and text_key(doc.number) == key):
            return doc.id
    import difflib

    names = sorted({d.id for d in docs} | {d.number for d in docs if d.number})
    close = difflib.get_close_matches(target, names, n=3)
    hint = msg("review.encoded.did_you_mean", names=tuple(close)) if close else ""
    raise ReviewInputError(msg("review.encoded.unknown_document", target=repr(target), hint=hint))


# ---------------------------------------------------------------- findings
def _vnd(value: Decimal | None) -> str:
    return "?" if value is None else format_number(value, human=True)


def _where(span: ast.Span | None) -> dict[str, Any] | None:
    return {"file": span.file, "line": span.line, "column": span.column} if span else None


def _finding(
    doc: ast.Document,
    *,
    check: str,
    rule: str,
    status: str,
    severity: str,
    locator: str | None,
    text: str | None,
    message: Message | dict[str, str],
    span: ast.Span | None,
    expected: str | None = None,
    actual: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
    fix: Message | None = None,
    steps: list[dict[str, str]] | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "rule": rule,
        "kind": "review",
        "check": check,
        "status": status,
        "severity": severity,
        "binding": doc.status != "draft",
        "document": doc.label,
        "document_id": doc.id,
        "locator": locator,
        "text": text,
        "message": message if isinstance(message, dict) else both(message),
        "expected": expected,
        "actual": actual,
        "evidence": evidence or [],
        "fix": both(fix) if fix is not None else None,
        "steps": steps or [],
        "parameters": parameters or [],
        "location": _where(span),
    }


def _bilingual(key: str, vi: dict[str, Arg], en: dict[str, Arg], **common: Arg) -> dict[str, str]:
    """``{vi, en}`` of one entry whose data differs by language (a summary and its English one)."""
    return {"vi": text(msg(key, **common, **vi), "vi"), "en": text(msg(key, **common, **en), "en")}


def _param_phrase(params: list[dict[str, Any]], lang: Lang) -> Message | str:
    """ "; lương cơ sở 1.490.000 theo Nghị định 38/2019/NĐ-CP (…)", or nothing when no parameter was read."""
    if not params:
        return ""
    phrases = tuple(
        msg(
            "review.encoded.parameter",
            label=(p.get("title") or p["parameter"]) if lang == "vi" else p["parameter"],
            value=Decimal(p["value"]),
            source=p["source"],
            start=date.fromisoformat(p["from"]),
            read=date.fromisoformat(p["as_of"]),
        )
        for p in params
    )
    return msg("review.encoded.parameters", parameters=phrases)


def _substituted(program: Program, claim: ast.Claim, result: ClaimResult) -> str:
    """The computation with every name replaced by the value used: "19 * 2.235.000"."""
    refs = {r["claim"]: Decimal(r["stated"]) for r in result.references}
    params = {p["parameter"]: Decimal(p["value"]) for p in result.parameters}

    def swap(node: Any) -> Any:
        if isinstance(node, ast.Path) and len(node.parts) == 1:
            name = node.parts[0]
            for candidate in (name, f"{claim.document}.{name}"):
                if candidate in refs:
                    return ast.Literal(refs[candidate])
            if name in params:
                return ast.Literal(params[name])
            return node
        if isinstance(node, (ast.Arith, ast.Compare)):
            return dataclasses.replace(node, left=swap(node.left), right=swap(node.right))
        return node

    return format_expr(swap(claim.computed), human=True)


def _claim_findings(program: Program, doc: ast.Document, as_of: date) -> Iterator[dict[str, Any]]:
    results = evaluate_claims(program, doc.id)
    for r in results:
        claim = program.claims[r.id]
        expr = format_expr(claim.computed, human=True) if claim.computed is not None else None
        evidence = [{"record": f"claim:{ref['claim']}", "role": "operand", "value": _vnd(Decimal(ref["stated"]))} for ref in r.references]
        steps = []
        if r.computed is not None and expr is not None:
            line = f"{expr} = {_substituted(program, claim, r)} = {_vnd(r.computed)}"
            steps.append({"vi": line, "en": line})
        for note in r.notes:
            steps.append({"vi": note, "en": note})
        per_lang: dict[Lang, dict[str, Arg]] = {
            lang: {
                "summary": summary_of(claim),
                "params": msg("review.encoded.params_suffix", parameters=_param_phrase(r.parameters, lang)) if r.parameters else "",
            }
            for lang in ("vi", "en")
        }
        status = r.status.value
        severity = "info"
        fix: Message | None = None
        expected = f"{_vnd(r.computed)} (= {expr})" if status in ("violated", "satisfied") else None
        if status == "violated":
            severity = "error"
            message = _bilingual(
                "review.encoded.claim.violated", per_lang["vi"], per_lang["en"], stated=r.stated, computed=r.computed, expr=expr or "", difference=r.difference
            )
            fix = msg("review.encoded.claim.fix", computed=r.computed)
        elif status == "satisfied":
            message = _bilingual("review.encoded.claim.satisfied", per_lang["vi"], per_lang["en"], stated=r.stated, expr=expr or "")
        elif status == "not_applicable":
            message = _bilingual("review.encoded.claim.input", per_lang["vi"], per_lang["en"], stated=r.stated)
        else:
            status = "unknown"
            severity = "error" if (r.problem or "").startswith("cycle") else "warning"
            message = _bilingual("review.encoded.claim.unknown", per_lang["vi"], per_lang["en"], stated=r.stated, problem=r.problem or "")
        yield _finding(
            doc,
            check="claim",
            rule=r.id,
            status=status,
            severity=severity,
            locator=r.locator,
            text=r.text,
            message=message,
            span=r.span,
            expected=expected,
            actual=_vnd(r.stated),
            evidence=evidence,
            fix=fix,
            steps=steps,
            parameters=r.parameters,
        )
    yield from _claims_today(program, doc, results, as_of)


def _claims_today(program: Program, doc: ast.Document, results: list[ClaimResult], as_of: date) -> Iterator[dict[str, Any]]:
    """One note per parameter whose value on ``as_of`` differs from the one the figures used."""
    today = {r.id: r for r in evaluate_claims(program, doc.id, when=as_of)}
    changed: dict[str, list[tuple[ClaimResult, ClaimResult, dict[str, Any], dict[str, Any]]]] = {}
    for r in results:
        now = today[r.id]
        for used in r.parameters:
            current = next((p for p in now.parameters if p["parameter"] == used["parameter"]), None)
            if current is not None and Decimal(current["value"]) != Decimal(used["value"]):
                changed.setdefault(used["parameter"], []).append((r, now, used, current))
    for name, rows in sorted(changed.items()):
        _, _, used, current = rows[0]
        first = min((r for r, _, _, _ in rows), key=lambda r: (r.span.line if r.span else 0, r.id))
        changes = tuple(msg("review.encoded.change", claim=r.id.split(".", 1)[-1], before=r.computed, after=now.computed) for r, now, _, _ in rows)
        yield _finding(
            doc,
            check="claim-today",
            rule=f"{doc.id}.{name}",
            status="violated",
            severity="info",
            locator=first.locator,
            text=first.text,
            span=first.span,
            expected=f"{name} = {_vnd(Decimal(current['value']))} ({current['source']})",
            actual=f"{name} = {_vnd(Decimal(used['value']))} ({used['source']})",
            parameters=[used, current],
            message=_bilingual(
                "review.encoded.claim_today",
                {"label": used.get("title") or name},
                {"label": name},
                used=Decimal(used["value"]),
                used_source=used["source"],
                current=Decimal(current["value"]),
                current_source=current["source"],
                day=as_of,
                changes=changes,
            ),
        )


def _statements(program: Program, doc: ast.Document) -> Iterator[tuple[str, str | None, str, ast.Span | None]]:
    """(owner id, locator, verbatim text, span) of everything the document's encoding quotes."""
    if doc.effective_provenance:
        yield f"{doc.id}.effective", str(doc.effective_provenance.locator), doc.effective_provenance.text, doc.span
    if doc.applies and doc.applies.provenance:
        yield f"{doc.id}.applies", str(doc.applies.provenance.locator), doc.applies.provenance.text, doc.span
    for link in doc.links:
        if link.provenance:
            yield f"{doc.id}.{link.kind}.{link.target}", str(link.provenance.locator), link.provenance.text, link.span
    for item in sorted(program.statements_of(doc.id), key=lambda s: s.id):
        if item.text:
            yield item.id, str(item.locator) if item.locator else None, item.text, item.span


def _unfinished(program: Program, doc: ast.Document) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, int]] = set()
    for owner, locator, quoted, span in _statements(program, doc):
        found = [m.group(0).strip() for m in _PLACEHOLDERS.finditer(quoted)]
        key = (quoted, span.line if span else 0)
        if not found or key in seen:
            continue
        seen.add(key)
        marks = tuple(f"“{m}”" for m in dict.fromkeys(found))
        yield _finding(
            doc,
            check="unfinished-text",
            rule=owner,
            status="violated",
            severity="warning",
            locator=locator,
            text=quoted,
            span=span,
            actual=", ".join(marks),
            evidence=[{"record": owner, "role": "placeholder", "detail": m} for m in dict.fromkeys(found)],
            message=msg("review.encoded.unfinished", locator=locator or "", marks=marks, text=quoted),
            fix=msg("review.encoded.unfinished_fix"),
        )


def _citations(program: Program, doc: ast.Document, dropped: list[ast.Link]) -> Iterator[dict[str, Any]]:
    for link in dropped:
        prov = link.provenance
        yield _finding(
            doc,
            check="citation-unknown",
            rule=f"{doc.id}.{link.kind}.{link.target}",
            status="violated",
            severity="error",
            locator=str(prov.locator) if prov else None,
            text=prov.text if prov else None,
            span=link.span,
            actual=link.target,
            message=msg("review.encoded.citation_unknown", document=doc.label, link=link.kind, target=link.target),
            fix=msg("review.encoded.citation_unknown_fix"),
        )
    groups: dict[tuple[str, str, str], list[ast.Link]] = {}
    for link in doc.links:
        if link.kind == "cites":
            where = text_key(str(link.provenance.locator)) if link.provenance else ""
            groups.setdefault((link.kind, link.target, where), []).append(link)
    for (_, target, _), links in sorted(groups.items()):
        if len(links) < 2:
            continue
        cited = program.documents[target]
        prov = links[1].provenance
        yield _finding(
            doc,
            check="citation-duplicate",
            rule=f"{doc.id}.cites.{target}",
            status="violated",
            severity="warning",
            locator=str(prov.locator) if prov else None,
            text=prov.text if prov else None,
            span=links[1].span,
            actual=str(len(links)),
            evidence=[
                {"record": f"{lk.span.file}:{lk.span.line}" if lk.span else target, "role": "citation", "detail": lk.provenance.text if lk.provenance else ""}
                for lk in links
            ],
            message=msg("review.encoded.citation_duplicate", cited=cited.label, count=len(links), locator=str(prov.locator) if prov else ""),
            fix=msg("review.encoded.citation_duplicate_fix"),
        )
    own = doc.signed or doc.effective
    citing = [link for link in doc.links if link.kind in _CITING]
    if own is not None:
        for link in citing:
            cited = program.documents[link.target]
            if cited.signed is not None and cited.signed > own:
                prov = link.provenance
                yield _finding(
                    doc,
                    check="citation-later",
                    rule=f"{doc.id}.{link.kind}.{link.target}",
                    status="violated",
                    severity="error",
                    locator=str(prov.locator) if prov else None,
                    text=prov.text if prov else None,
                    span=link.span or doc.span,
                    expected=f"≤ {own.isoformat()}",
                    actual=cited.signed.isoformat(),
                    message=msg("review.encoded.citation_later", document=doc.label, own=own, cited=cited.label, cited_on=cited.signed),
                    fix=msg("review.encoded.citation_later_fix"),
                )
        return
    dated = [(d, link) for link in citing if (d := program.documents[link.target].signed) is not None]
    later = [
        (d.signed, d) for d in program.documents.values() if d.signed is not None and any(lk.kind == "derives_from" and lk.target == doc.id for lk in d.links)
    ]
    if not dated and not later:
        return
    low = max(dated, key=lambda x: x[0]) if dated else None
    high = min(later, key=lambda x: x[0]) if later else None
    after = msg("review.encoded.undated_after", cited=program.documents[low[1].target].label, day=low[0]) if low else ""
    before = msg("review.encoded.undated_before", enacted=high[1].label, day=high[0]) if high else ""
    yield _finding(
        doc,
        check="undated",
        rule=f"{doc.id}.date",
        status="unknown",
        severity="info",
        locator=None,
        text=None,
        span=doc.span,
        message=msg("review.encoded.undated", document=doc.label, after=after, before=before),
    )


# ---------------------------------------------------------------- proposal against enactment
def _has_records(node: Any, program: Program) -> bool:
    """Whether ``node`` reads a setup's records (a record field, a count or a sum) rather than only constants."""
    if isinstance(node, (ast.CountExpr, ast.SumExpr)):
        return True
    if isinstance(node, ast.Path):
        return node.parts[0] not in program.parameters
    if isinstance(node, tuple):
        return any(_has_records(i, program) for i in node)
    if hasattr(node, "__dataclass_fields__"):
        return any(_has_records(getattr(node, n), program) for n in node.__dataclass_fields__ if n != "span")
    return False


def _is_money(node: Any, program: Program) -> bool:
    """A constant amount: a parameter, a VND literal or a figure of 1.000 or more, and no record."""
    if _has_records(node, program):
        return False

    def walk(n: Any) -> bool:
        if isinstance(n, ast.Path):
            return n.parts[0] in program.parameters
        if isinstance(n, ast.Literal):
            return isinstance(n.value, Decimal) and (n.unit == "VND" or n.value >= 1000)
        if isinstance(n, ast.Arith):
            return walk(n.left) or walk(n.right)
        return False

    return walk(node)


def _signature(where: ast.Expr | None) -> dict[str, bool]:
    """The yes/no facts a filter fixes: works_at_centre = true and supported = true → {…: True, …}."""
    items = where.items if isinstance(where, ast.And) else ((where,) if where is not None else ())
    out: dict[str, bool] = {}
    for item in items:
        if (
            isinstance(item, ast.Compare)
            and item.op == "="
            and isinstance(item.left, ast.Path)
            and isinstance(item.right, ast.Literal)
            and isinstance(item.right.value, bool)
        ):
            out[str(item.left)] = item.right.value
    return out


def _rates(program: Program, rule: ast.Rule) -> list[tuple[dict[str, bool], ast.Expr]]:
    """The amounts a rule sets per record: (filter signature, amount expression)."""
    out: list[tuple[dict[str, bool], ast.Expr]] = []

    def compares(node: Any) -> Iterator[ast.Compare]:
        if isinstance(node, ast.Compare):
            yield node
        elif isinstance(node, (ast.And, ast.Or)):
            for item in node.items:
                yield from compares(item)

    for c in rule.requires:
        if not isinstance(c, ast.Every):
            continue
        seen: set[str] = set()
        for cmp in compares(c.condition):
            for amount, other in ((cmp.right, cmp.left), (cmp.left, cmp.right)):
                if _is_money(amount, program) and _has_records(other, program):
                    key = format_expr(amount)
                    if key not in seen:
                        seen.add(key)
                        out.append((_signature(c.where), amount))
    return out


def _enacted_findings(program: Program, doc: ast.Document, as_of: date) -> Iterator[dict[str, Any]]:
    successors = sorted((d for d in program.documents.values() if any(lk.kind == "derives_from" and lk.target == doc.id for lk in d.links)), key=lambda d: d.id)
    if not successors:
        yield _finding(
            doc,
            check="proposal-vs-enacted",
            rule=f"{doc.id}.enacted",
            status="unknown",
            severity="info",
            locator=None,
            text=None,
            span=doc.span,
            message=msg("review.encoded.enacted_none"),
        )
        return
    proposed = [
        (rule, sig, expr) for rule in sorted(program.rules.values(), key=lambda r: r.id) if rule.document == doc.id for sig, expr in _rates(program, rule)
    ]
    varying = {k for _, sig, _ in proposed for k in sig if len({s.get(k) for _, s, _ in proposed}) > 1}
    for enacted in successors:
        when = enacted.effective or enacted.signed or as_of
        known = next((lk for lk in enacted.links if lk.kind == "known_through"), None)
        via: Message | str = ""
        if known is not None:
            where = f" {known.provenance.locator}" if known.provenance else ""
            via = msg("review.encoded.via", source=program.documents[known.target].label, where=where)
        rules = [r for r in sorted(program.rules.values(), key=lambda r: r.id) if r.document == enacted.id or enacted.id in r.uses]
        enacted_rates = [(rule, sig, expr) for rule in rules for sig, expr in _rates(program, rule)]
        for rule, sig, expr in proposed:
            matches = [
                (er, es, ee)
                for er, es, ee in enacted_rates
                if all(es[k] == sig[k] for k in es.keys() & sig.keys()) and any(k in es and es[k] == sig[k] for k in varying & sig.keys())
            ]
            ctx = Context(program, {}, when)
            value = ctx.value(expr)
            shown = f"{format_expr(expr, human=True)} = {_vnd(value)}" if isinstance(value, Decimal) else format_expr(expr, human=True)
            locator = str(rule.locator) if rule.locator else None
            if not matches:
                yield _finding(
                    doc,
                    check="proposal-vs-enacted",
                    rule=rule.id,
                    status="unknown",
                    severity="info",
                    locator=locator,
                    text=rule.text,
                    span=rule.span,
                    actual=shown,
                    parameters=list(ctx.params_used.values()),
                    message=msg("review.encoded.enacted_unmatched", locator=locator or "", shown=shown, enacted=enacted.label, via=via),
                )
                continue
            for er, _, ee in matches:
                other = Context(program, {}, when).value(ee)
                both_amounts = isinstance(value, Decimal) and isinstance(other, Decimal)
                same = both_amounts and value == other
                params = list(ctx.params_used.values())
                basis = {lang: msg("review.encoded.basis", parameters=_param_phrase(params, lang)) if params else "" for lang in ("vi", "en")}
                gap = msg("review.encoded.gap", gap=value - other) if both_amounts and not same else ""
                amount = _vnd(other) if isinstance(other, Decimal) else "?"
                yield _finding(
                    doc,
                    check="proposal-vs-enacted",
                    rule=rule.id,
                    status="satisfied" if same else "violated",
                    severity="info",
                    locator=locator,
                    text=rule.text,
                    span=rule.span,
                    expected=f"{enacted.label}: {amount if isinstance(other, Decimal) else format_expr(ee, human=True)}",
                    actual=shown,
                    parameters=params,
                    evidence=[
                        {
                            "record": f"rule:{er.id}",
                            "role": "enacted",
                            "locator": str(er.locator) if er.locator else None,
                            "value": amount,
                            "detail": er.text or "",
                        }
                    ],
                    message=_bilingual(
                        "review.encoded.enacted_same" if same else "review.encoded.enacted_differs",
                        {"basis": basis["vi"]},
                        {"basis": basis["en"]},
                        shown=shown,
                        enacted=enacted.label,
                        via=via,
                        amount=other if isinstance(other, Decimal) else None,
                        gap=gap,
                    ),
                )


def _gaps(program: Program, doc: ast.Document, skip: set[str]) -> Iterator[dict[str, Any]]:
    for gap in sorted((g for g in program.gaps.values() if g.document == doc.id), key=lambda g: g.id):
        if gap.id in skip:
            continue
        yield _finding(
            doc,
            check="not-modelled",
            rule=gap.id,
            status="not_applicable",
            severity="info",
            locator=str(gap.locator) if gap.locator else None,
            text=gap.text,
            span=gap.span,
            message=both(msg("review.encoded.not_modelled", reason=reason_of(gap))),
        )


# ---------------------------------------------------------------- the report
def review(program: Program, doc_id: str, as_of: date, dropped: Iterable[ast.Link] = ()) -> dict[str, Any]:
    """Every review finding for document ``doc_id`` as one JSON-ready report."""
    doc = program.documents[doc_id]
    findings = list(_claim_findings(program, doc, as_of))
    findings += _citations(program, doc, list(dropped))
    unfinished = list(_unfinished(program, doc))
    findings += unfinished
    if doc.status == "draft":
        findings += _enacted_findings(program, doc, as_of)
    findings += _gaps(program, doc, {f["rule"] for f in unfinished})

    def order(f: dict[str, Any]) -> tuple[Any, ...]:
        line = f["location"]["line"] if f["location"] else 0
        return (_SEVERITY_ORDER[f["severity"]], _STATUS_ORDER[f["status"]], line, f["check"], f["rule"])

    findings.sort(key=order)
    summary = {s: sum(1 for f in findings if f["status"] == s) for s in _STATUS_ORDER}
    severity = {s: sum(1 for f in findings if f["severity"] == s and f["status"] in ("violated", "unknown")) for s in _SEVERITY_ORDER}
    return {
        "as_of": as_of.isoformat(),
        "document": doc.label,
        "document_id": doc.id,
        "title": doc.title,
        "status": doc.status,
        "kind": doc.kind,
        "file": doc.span.file if doc.span else None,
        "documents": [doc.label],
        "findings": findings,
        "summary": summary,
        "severity": severity,
    }


def exit_code(report: dict[str, Any]) -> int:
    """1 when any finding is an error, else 0."""
    return 1 if any(f["severity"] == "error" and f["status"] in ("violated", "unknown") for f in report["findings"]) else 0


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_review(console: Printer, report: dict[str, Any], lang: Lang, verbose: bool = False) -> None:
    """The review as text: problems first; satisfied and not-applicable findings only with ``verbose``."""
    console.print(
        f"[bold]{word('review.document', lang)}:[/bold] {escape(named(report['document']))}"
        + (f" — {escape(named(report['title']))}" if report.get("title") else "")
    )
    if report["status"] == "draft":
        console.print(f"[bold]{word('review.encoded.status_label', lang)}:[/bold] [bold magenta]{word('review.encoded.proposed', lang)}[/]")
    console.print(f"[bold]{word('review.as_of', lang)}:[/bold] {format_value(date.fromisoformat(report['as_of']), lang)}")
    for note in report.get("notes", []):
        console.print(f"[yellow]{escape(note[lang])}[/]")
    console.print()
    hidden = 0
    entries_ = entries()
    for f in report["findings"]:
        if f["status"] in ("satisfied", "not_applicable") and not verbose:
            hidden += 1
            continue
        where = f"{f['location']['file']}:{f['location']['line']}" if f["location"] else ""
        specific = f"review.encoded.status.{f['check']}.{f['status']}"
        status_word = word(specific if specific in entries_ else f"review.encoded.status.any.{f['status']}", lang)
        locator = f"[bold]{escape(named(f['locator']))}[/bold] — " if f["locator"] else ""
        severity = word(f"review.severity.{f['severity']}", lang)
        console.print(f"[{_SEVERITY_STYLE[f['severity']]}]{severity}[/] {status_word} {locator}{escape(named(f['rule']))} ({named(f['check'])})")
        console.print(f"  {escape(f['message'][lang])}")
        if f.get("text") and f["check"] not in ("unfinished-text",):
            console.print(f"  [dim]{word('review.encoded.text', lang)}:[/dim] [italic]“{escape(named(f['text']))}”[/italic]")
        if f["status"] == "violated" and f.get("expected"):
            console.print(f"  [dim]{word('review.encoded.expected', lang)}:[/dim] {escape(named(str(f['expected'])))}")
            console.print(f"  [dim]{word('review.encoded.actual', lang)}:[/dim] {escape(named(str(f['actual'])))}")
        for step in f.get("steps", []):
            console.print(f"    • {escape(step[lang])}")
        if f.get("fix") and f["status"] == "violated":
            console.print(f"  [dim]{word('review.fix', lang)}:[/dim] {escape(f['fix'][lang])}")
        if where:
            console.print(f"  [dim]{word('review.encoded.source', lang)}: {escape(where)}[/dim]")
        console.print()
    counts = report["severity"]
    parts = ", ".join(f"[{_SEVERITY_STYLE[k]}]{word(f'review.severity.{k}', lang)}[/] {counts[k]}" for k in ("error", "warning", "info"))
    tail = f" ({word('review.encoded.hidden', lang, count=hidden)})" if hidden else ""
    console.print(f"[bold]{word('review.encoded.summary', lang)}:[/bold] {parts}{tail}")
