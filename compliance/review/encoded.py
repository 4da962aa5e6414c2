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

from rich.console import Console
from rich.markup import escape

from compliance.regulations import regulations_dir
from compliance.render import LABELS
from compliance.setup import vocabulary
from engine import ClaimResult, Context, Program, RegulationError, ast, build_program, evaluate_claims, parse_file, text_key
from engine.printer import format_expr, format_number

__all__ = ["CHECKS", "ReviewInputError", "exit_code", "load_for_review", "render_review", "review", "to_sarif"]

# The kinds of review finding: the SARIF rule ids, with what each checks.
CHECKS: dict[str, tuple[str, str]] = {
    "claim": ("Số liệu văn bản nêu được tính lại", "A figure the document states, recomputed"),
    "claim-today": ("Số liệu tính theo tham số đã thay đổi", "A figure computed with a parameter that has since changed"),
    "citation-unknown": ("Văn bản viện dẫn không có trong chương trình", "A cited instrument that is not in the program"),
    "citation-duplicate": ("Một văn bản được viện dẫn hai lần ở cùng một chỗ", "The same instrument cited twice in one place"),
    "citation-later": ("Văn bản viện dẫn ban hành sau văn bản viện dẫn nó", "A cited instrument dated after the citing document"),
    "undated": ("Văn bản không ghi ngày", "A document that states no date"),
    "unfinished-text": ("Nội dung chưa hoàn chỉnh", "Unfinished text (blanks, “to be added later”)"),
    "proposal-vs-enacted": ("Đề xuất so với văn bản đã ban hành", "What a draft proposed against what was enacted"),
    "not-modelled": ("Nội dung không được mô hình hóa", "A provision quyche deliberately does not model"),
}

# Placeholders a finished legal text never contains: dot leaders, repeated ellipses, blanks,
# "xx", and promises to fill the text in later.
_PLACEHOLDERS = re.compile(r"\.{4,}|…(?:\s*…)+|_{3,}|\b[xX]{2,}\b|\(?\s*sẽ\s+bổ\s+sung[^)]*\)?|bổ\s+sung\s+sau", re.IGNORECASE)

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_STATUS_ORDER = {"violated": 0, "unknown": 1, "satisfied": 2, "not_applicable": 3}
_CITING = ("cites", "derives_from", "implements")


class ReviewInputError(Exception):
    """The document to review cannot be found or read: exit code 2."""


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
    files = sorted(p for p in root.rglob("*.quy") if p.is_file())
    extra: Path | None = None
    if _is_path(target):
        extra = Path(target)
        if not extra.is_file():
            raise ReviewInputError(f"{target}: no such file")
        files = [f for f in files if f.resolve() != extra.resolve()]
    modules: list[ast.Module] = []
    errors = []
    for file in files + ([extra] if extra else []):
        resolved = file.resolve()
        shown = str(resolved.relative_to(base.resolve())) if resolved.is_relative_to(base.resolve()) else str(file)
        try:
            modules.append(parse_file(file, shown))
        except RegulationError as err:
            errors.extend(err.diagnostics)
    if errors:
        raise ReviewInputError("regulation files have errors:\n" + str(RegulationError(errors)))
    if extra is not None:
        mine = modules[-1]
        if not mine.documents:
            raise ReviewInputError(f"{target}: declares no document")
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
        raise ReviewInputError("regulation files have errors:\n" + str(err)) from None
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
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise ReviewInputError(f"no document {target!r}: give a document id, an official number or a .quy file.{hint}")


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
    vi: str,
    en: str,
    span: ast.Span | None,
    expected: str | None = None,
    actual: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
    fix: dict[str, str] | None = None,
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
        "message": {"vi": vi, "en": en},
        "expected": expected,
        "actual": actual,
        "evidence": evidence or [],
        "fix": fix,
        "steps": steps or [],
        "parameters": parameters or [],
        "location": _where(span),
    }


def _param_phrase(params: list[dict[str, Any]], lang: str) -> str:
    parts = []
    for p in params:
        value = _vnd(Decimal(p["value"]))
        if lang == "vi":
            parts.append(f"{p.get('title') or p['parameter']} {value} theo {p['source']} (áp dụng từ {p['from']}, đọc tại ngày {p['as_of']})")
        else:
            parts.append(f"{p['parameter']} {value} under {p['source']} (from {p['from']}, read as of {p['as_of']})")
    return "; ".join(parts)


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
        summary = (r.summary or r.summary_en or r.id, r.summary_en or r.summary or r.id)
        expr = format_expr(claim.computed, human=True) if claim.computed is not None else None
        evidence = [{"record": f"claim:{ref['claim']}", "role": "operand", "value": _vnd(Decimal(ref["stated"]))} for ref in r.references]
        steps = []
        if r.computed is not None and expr is not None:
            line = f"{expr} = {_substituted(program, claim, r)} = {_vnd(r.computed)}"
            steps.append({"vi": line, "en": line})
        for note in r.notes:
            steps.append({"vi": note, "en": note})
        common = dict(check="claim", rule=r.id, locator=r.locator, text=r.text, span=r.span, evidence=evidence, steps=steps, parameters=r.parameters)
        params_vi = f"; {_param_phrase(r.parameters, 'vi')}" if r.parameters else ""
        params_en = f"; {_param_phrase(r.parameters, 'en')}" if r.parameters else ""
        if r.status.value == "violated":
            yield _finding(
                doc,
                status="violated",
                severity="error",
                expected=f"{_vnd(r.computed)} (= {expr})",
                actual=_vnd(r.stated),
                vi=f"Sai số liệu: {summary[0]} Văn bản ghi {_vnd(r.stated)}, tính lại được {_vnd(r.computed)} "
                f"(= {expr}, chênh lệch {_vnd(r.difference)}){params_vi}",
                en=f"Figure does not add up: {summary[1]} The document states {_vnd(r.stated)}; recomputed "
                f"{_vnd(r.computed)} (= {expr}, difference {_vnd(r.difference)}){params_en}",
                fix={
                    "vi": f"Sửa số liệu thành {_vnd(r.computed)} hoặc sửa các số liệu thành phần.",
                    "en": f"Correct the figure to {_vnd(r.computed)}, or correct the figures it is made of.",
                },
                **common,
            )
        elif r.status.value == "satisfied":
            yield _finding(
                doc,
                status="satisfied",
                severity="info",
                expected=f"{_vnd(r.computed)} (= {expr})",
                actual=_vnd(r.stated),
                vi=f"Đúng: {summary[0]} ({_vnd(r.stated)} = {expr}){params_vi}",
                en=f"Adds up: {summary[1]} ({_vnd(r.stated)} = {expr}){params_en}",
                **common,
            )
        elif r.status.value == "not_applicable":
            yield _finding(
                doc,
                status="not_applicable",
                severity="info",
                actual=_vnd(r.stated),
                vi=f"Số liệu đầu vào, văn bản không cho cách tính lại: {summary[0]} ({_vnd(r.stated)})",
                en=f"An input figure the document gives no way to recompute: {summary[1]} ({_vnd(r.stated)})",
                **common,
            )
        else:
            cycle = (r.problem or "").startswith("cycle")
            yield _finding(
                doc,
                status="unknown",
                severity="error" if cycle else "warning",
                actual=_vnd(r.stated),
                vi=f"Không tính lại được: {summary[0]} — {r.problem}",
                en=f"Cannot be recomputed: {summary[1]} — {r.problem}",
                **common,
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
        lines_vi = "; ".join(f"{r.id.split('.', 1)[-1]}: {_vnd(r.computed)} → {_vnd(now.computed)}" for r, now, _, _ in rows)
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
            vi=f"Các số liệu tính theo {used.get('title') or name} {_vnd(Decimal(used['value']))} ({used['source']}); "
            f"đến ngày {as_of:%d/%m/%Y} mức này là {_vnd(Decimal(current['value']))} ({current['source']}): {lines_vi}",
            en=f"The figures use {name} = {_vnd(Decimal(used['value']))} ({used['source']}); on {as_of.isoformat()} it is "
            f"{_vnd(Decimal(current['value']))} ({current['source']}): {lines_vi}",
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
    for owner, locator, text, span in _statements(program, doc):
        found = [m.group(0).strip() for m in _PLACEHOLDERS.finditer(text)]
        key = (text, span.line if span else 0)
        if not found or key in seen:
            continue
        seen.add(key)
        marks = ", ".join(f"“{m}”" for m in dict.fromkeys(found))
        yield _finding(
            doc,
            check="unfinished-text",
            rule=owner,
            status="violated",
            severity="warning",
            locator=locator,
            text=text,
            span=span,
            actual=marks,
            evidence=[{"record": owner, "role": "placeholder", "detail": m} for m in dict.fromkeys(found)],
            vi=f"Nội dung chưa hoàn chỉnh tại {locator}: {marks} — “{text}”",
            en=f"Unfinished text at {locator}: {marks} — “{text}”",
            fix={"vi": "Điền đầy đủ nội dung còn để trống trước khi trình.", "en": "Fill in the blanks before the document is submitted."},
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
            vi=f"{doc.label} viện dẫn văn bản '{link.target}' không có trong chương trình",
            en=f"{doc.label} {link.kind} '{link.target}', which is not in the program",
            fix={
                "vi": "Khai báo văn bản được viện dẫn (regulations/cited/) hoặc sửa mã văn bản.",
                "en": "Declare the cited instrument (regulations/cited/) or correct its id.",
            },
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
            actual=f"{len(links)} lần / times",
            evidence=[
                {"record": f"{lk.span.file}:{lk.span.line}" if lk.span else target, "role": "citation", "detail": lk.provenance.text if lk.provenance else ""}
                for lk in links
            ],
            vi=f"{cited.label} được viện dẫn {len(links)} lần tại {prov.locator if prov else ''}",
            en=f"{cited.label} is cited {len(links)} times at {prov.locator if prov else ''}",
            fix={"vi": "Bỏ dòng viện dẫn trùng lặp.", "en": "Remove the repeated citation."},
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
                    vi=f"{doc.label} (ngày {own:%d/%m/%Y}) viện dẫn {cited.label} ban hành sau đó, ngày {cited.signed:%d/%m/%Y}",
                    en=f"{doc.label} (dated {own.isoformat()}) cites {cited.label}, dated later, {cited.signed.isoformat()}",
                    fix={"vi": "Kiểm tra lại số, ngày của văn bản được viện dẫn.", "en": "Check the cited instrument's number and date."},
                )
        return
    dated = [(program.documents[link.target].signed, link) for link in citing if program.documents[link.target].signed is not None]
    later = [
        (d.signed, d) for d in program.documents.values() if d.signed is not None and any(lk.kind == "derives_from" and lk.target == doc.id for lk in d.links)
    ]
    if not dated and not later:
        return
    low = max(dated, key=lambda x: x[0]) if dated else None
    high = min(later, key=lambda x: x[0]) if later else None
    vi = f"{doc.label} không ghi ngày ban hành"
    en = f"{doc.label} states no date"
    if low:
        vi += f"; văn bản viện dẫn mới nhất là {program.documents[low[1].target].label} ngày {low[0]:%d/%m/%Y}, nên được soạn từ ngày đó"
        en += f"; the latest instrument it cites is {program.documents[low[1].target].label} of {low[0].isoformat()}, so it was written on or after that day"
    if high:
        vi += f"; {high[1].label} ngày {high[0]:%d/%m/%Y} được ban hành từ văn bản này, nên văn bản có trước ngày đó"
        en += f"; {high[1].label} of {high[0].isoformat()} was enacted from it, so it predates that day"
    yield _finding(
        doc,
        check="undated",
        rule=f"{doc.id}.date",
        status="unknown",
        severity="info",
        locator=None,
        text=None,
        span=doc.span,
        expected="a date",
        actual=None,
        vi=vi,
        en=en,
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
            vi="Chưa có văn bản ban hành nào trong chương trình được ghi là xây dựng từ dự thảo này (derives_from)",
            en="No document in the program is recorded as enacted from this draft (derives_from)",
        )
        return
    proposed = [
        (rule, sig, expr) for rule in sorted(program.rules.values(), key=lambda r: r.id) if rule.document == doc.id for sig, expr in _rates(program, rule)
    ]
    varying = {k for _, sig, _ in proposed for k in sig if len({s.get(k) for _, s, _ in proposed}) > 1}
    for enacted in successors:
        when = enacted.effective or enacted.signed or as_of
        via = next((lk for lk in enacted.links if lk.kind == "known_through"), None)
        via_vi = via_en = ""
        if via is not None:
            source = program.documents[via.target].label
            where = f" {via.provenance.locator}" if via.provenance else ""
            via_vi, via_en = f", biết qua {source}{where}", f", known through {source}{where}"
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
            if not matches:
                yield _finding(
                    doc,
                    check="proposal-vs-enacted",
                    rule=rule.id,
                    status="unknown",
                    severity="info",
                    locator=str(rule.locator) if rule.locator else None,
                    text=rule.text,
                    span=rule.span,
                    actual=shown,
                    parameters=list(ctx.params_used.values()),
                    vi=f"Đề xuất {rule.locator}: {shown}; không tìm thấy mức tương ứng trong {enacted.label}{via_vi}",
                    en=f"Proposed at {rule.locator}: {shown}; no matching amount found in {enacted.label}{via_en}",
                )
                continue
            for er, _, ee in matches:
                other = Context(program, {}, when).value(ee)
                same = isinstance(value, Decimal) and isinstance(other, Decimal) and value == other
                gap = f"{_vnd(value - other)}" if isinstance(value, Decimal) and isinstance(other, Decimal) else "?"
                params = list(ctx.params_used.values())
                basis_vi = f" ({_param_phrase(params, 'vi')})" if params else ""
                basis_en = f" ({_param_phrase(params, 'en')})" if params else ""
                yield _finding(
                    doc,
                    check="proposal-vs-enacted",
                    rule=rule.id,
                    status="satisfied" if same else "violated",
                    severity="info",
                    locator=str(rule.locator) if rule.locator else None,
                    text=rule.text,
                    span=rule.span,
                    expected=f"{enacted.label}: {_vnd(other) if isinstance(other, Decimal) else format_expr(ee, human=True)}",
                    actual=shown,
                    parameters=params,
                    evidence=[
                        {
                            "record": f"rule:{er.id}",
                            "role": "enacted",
                            "locator": str(er.locator) if er.locator else None,
                            "value": _vnd(other) if isinstance(other, Decimal) else "?",
                            "detail": er.text or "",
                        }
                    ],
                    vi=(
                        f"{'Giống' if same else 'Khác'} văn bản ban hành: dự thảo đề xuất {shown} đồng{basis_vi}; "
                        f"{enacted.label}{via_vi} quy định {_vnd(other) if isinstance(other, Decimal) else '?'} đồng"
                        + ("" if same else f" (chênh lệch {gap} đồng)")
                    ),
                    en=(
                        f"{'Same as' if same else 'Differs from'} what was enacted: the draft proposed {shown} VND{basis_en}; "
                        f"{enacted.label}{via_en} sets {_vnd(other) if isinstance(other, Decimal) else '?'} VND" + ("" if same else f" (difference {gap} VND)")
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
            vi=f"Không mô hình hóa: {gap.reason or ''}",
            en=f"Not modelled: {gap.reason_en or gap.reason or ''}",
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quyche")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0"


def _uri(file: str) -> str:
    path = Path(file)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def to_sarif(report: dict[str, Any], lang: str = "vi") -> dict[str, Any]:
    """The report as SARIF 2.1.0: one result per problem (violated or unknown), at its .quy line."""
    level = {"error": "error", "warning": "warning", "info": "note"}
    results = []
    for f in report["findings"]:
        if f["status"] not in ("violated", "unknown"):
            continue
        result: dict[str, Any] = {
            "ruleId": f["check"],
            "level": level[f["severity"]],
            "message": {"text": f["message"][lang]},
            "properties": {"rule": f["rule"], "status": f["status"], "document": f["document"], "locator": f["locator"]},
        }
        where = f["location"] or ({"file": report["file"], "line": 1, "column": 1} if report["file"] else None)
        if where:
            location: dict[str, Any] = {
                "physicalLocation": {"artifactLocation": {"uri": _uri(where["file"])}, "region": {"startLine": where["line"], "startColumn": where["column"]}}
            }
            if f["locator"]:
                location["logicalLocations"] = [{"name": f["locator"], "fullyQualifiedName": f"{f['document_id']}/{f['locator']}"}]
            result["locations"] = [location]
        results.append(result)
    used = sorted({r["ruleId"] for r in results})
    rules = [
        {"id": check, "name": check, "shortDescription": {"text": CHECKS[check][0 if lang == "vi" else 1]}, "fullDescription": {"text": CHECKS[check][1]}}
        for check in used
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "quyche", "version": _version(), "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


_SEVERITY_LABELS = {"vi": {"error": "LỖI", "warning": "CẢNH BÁO", "info": "THÔNG TIN"}, "en": {"error": "ERROR", "warning": "WARNING", "info": "INFO"}}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# What a status means for a kind of finding, in words a reviewer uses.
_STATUS_WORDS = {
    "claim": {
        "vi": {"violated": "SAI SỐ LIỆU", "satisfied": "ĐÚNG", "unknown": "KHÔNG TÍNH LẠI ĐƯỢC", "not_applicable": "ĐẦU VÀO"},
        "en": {"violated": "DOES NOT ADD UP", "satisfied": "ADDS UP", "unknown": "CANNOT RECOMPUTE", "not_applicable": "INPUT"},
    },
    "claim-today": {"vi": {"violated": "ĐÃ THAY ĐỔI"}, "en": {"violated": "CHANGED SINCE"}},
    "proposal-vs-enacted": {
        "vi": {"violated": "KHÁC BẢN BAN HÀNH", "satisfied": "GIỐNG BẢN BAN HÀNH", "unknown": "KHÔNG ĐỐI CHIẾU ĐƯỢC"},
        "en": {"violated": "DIFFERS FROM ENACTED", "satisfied": "AS ENACTED", "unknown": "NO COUNTERPART"},
    },
    "undated": {"vi": {"unknown": "KHÔNG GHI NGÀY"}, "en": {"unknown": "UNDATED"}},
    "unfinished-text": {"vi": {"violated": "CHƯA HOÀN CHỈNH"}, "en": {"violated": "UNFINISHED"}},
    "not-modelled": {"vi": {"not_applicable": "KHÔNG MÔ HÌNH HÓA"}, "en": {"not_applicable": "NOT MODELLED"}},
}


def render_review(console: Console, report: dict[str, Any], lang: str, verbose: bool = False) -> None:
    """The review as text: problems first; satisfied and not-applicable findings only with ``verbose``."""
    t = LABELS[lang]
    sev = _SEVERITY_LABELS[lang]
    vi = lang == "vi"
    console.print(
        f"[bold]{'Văn bản' if vi else 'Document'}:[/bold] {escape(report['document'])}" + (f" — {escape(report['title'])}" if report.get("title") else "")
    )
    if report["status"] == "draft":
        console.print(f"[bold]{'Trạng thái' if vi else 'Status'}:[/bold] [bold magenta]{t['proposed']}[/]")
    console.print(f"[bold]{t['as_of']}:[/bold] {report['as_of']}")
    console.print()
    hidden = 0
    for f in report["findings"]:
        if f["status"] in ("satisfied", "not_applicable") and not verbose:
            hidden += 1
            continue
        where = f"{f['location']['file']}:{f['location']['line']}" if f["location"] else ""
        word = _STATUS_WORDS.get(f["check"], {}).get(lang, {}).get(f["status"], t[f["status"]])
        locator = f"[bold]{escape(f['locator'])}[/bold] — " if f["locator"] else ""
        console.print(f"[{_SEVERITY_STYLE[f['severity']]}]{sev[f['severity']]}[/] {word} {locator}{escape(f['rule'])} ({f['check']})")
        console.print(f"  {escape(f['message'][lang])}")
        if f.get("text") and f["check"] not in ("unfinished-text",):
            console.print(f"  [dim]{t['text']}:[/dim] [italic]“{escape(f['text'])}”[/italic]")
        if f["status"] == "violated" and f.get("expected"):
            console.print(f"  [dim]{t['expected']}:[/dim] {escape(str(f['expected']))}")
            console.print(f"  [dim]{t['actual']}:[/dim] {escape(str(f['actual']))}")
        for step in f.get("steps", []):
            console.print(f"    • {escape(step[lang])}")
        if f.get("fix") and f["status"] == "violated":
            console.print(f"  [dim]{t['fix']}:[/dim] {escape(f['fix'][lang])}")
        if where:
            console.print(f"  [dim]{t['source']}: {escape(where)}[/dim]")
        console.print()
    counts = report["severity"]
    console.print(
        f"[bold]{t['summary']}:[/bold] "
        + ", ".join(f"[{_SEVERITY_STYLE[k]}]{sev[k]}[/] {counts[k]}" for k in ("error", "warning", "info"))
        + (
            f" ({hidden} {'mục đạt hoặc không áp dụng được ẩn, xem --verbose' if vi else 'satisfied or not-applicable findings hidden, see --verbose'})"
            if hidden
            else ""
        )
    )
