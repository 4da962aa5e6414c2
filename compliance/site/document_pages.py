"""One page per document (header, status, applicability, links, article by article), the place indexes."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.catalogue import word
from compliance.literate_site import law_sections
from compliance.site.markdown import (
    _LINKS,
    _PLACE_ORDER,
    _SEVERITY,
    _STATUS,
    DRAFT_BANNER,
    GENERATED_MARK,
    Page,
    _anchor,
    _both,
    _cell,
    _day,
    _kind,
    _md,
    _place,
    _short,
    _show,
    _vnd,
    rule_words,
)
from compliance.site.plain_words import describe_condition, describe_constraint
from compliance.site.program_index import _KIND_OF, Statement, _article_of, _doc_path, _jurisdiction, _rel, _section, _slug, _source_lines, _statements
from compliance.site.status import DocStatus
from compliance.site.templating import fragment
from compliance.wording import describe_deadline
from engine import Program, ast
from engine.claims import ClaimResult, evaluate_claims


# ---------------------------------------------------------------- blocks
def _words(key: str) -> tuple[str, str]:
    """A statement block's word in (vi, en), from the catalogue (site.statement.<key>)."""
    return word(f"site.statement.{key}", "vi"), word(f"site.statement.{key}", "en")


def _label(key: str) -> str:
    """ "**Áp dụng khi** · *Applies when*": a statement block's label, bold, English after it."""
    vi, en = _words(key)
    return f"**{vi}** · *{en}*"


def _proposed() -> tuple[str, str]:
    return word("site.common.proposed", "vi"), word("site.common.proposed", "en")


def _badge(kind: str, vi: str, en: str) -> str:
    return fragment("badge", kind=kind, vi=vi, en=en)


def _verbatim(locator: str | None, text: str | None) -> list[str]:
    return fragment("verbatim", locator=locator, body=text).splitlines()


def _dsl_block(item: Any, source_root: Path | None) -> list[str]:
    source = _source_lines(item, source_root)
    if not source:
        return []
    vi, en = _words("encoded_as")
    lines = [f'??? abstract "{vi} · {en}"', "", "    ```text"]
    lines += [f"    {line}" if line.strip() else "" for line in source.splitlines()]
    lines += ["    ```", ""]
    return lines


def _grid(left: list[str], right: list[str]) -> list[str]:
    return (
        ['<div class="grid quyche-statement" markdown>', "", '<div class="quyche-explained" markdown>', ""]
        + left
        + ["", "</div>", ""]
        + right
        + ["", "</div>", ""]
    )


def _summary_lines(item: Statement) -> list[str]:
    vi, en = rule_words(item, "summary") or ("", "")
    out = []
    if vi and _short(vi) != " ".join(vi.split()).rstrip("."):
        out += [_md(vi), ""]  # the heading shows it only shortened
    if en:
        out += [f'<span lang="en">*{_md(en)}*</span>' if vi else _md(en), ""]
    return out


def _fix_lines(item: ast.Rule | ast.Obligation) -> list[str]:
    words = rule_words(item, "fix")
    if words is None:
        return []
    return [f"{_label('fix')}: {_md(words[0])} · *{_md(words[1])}*", ""]


# Encoders' notes about the project's own files (seed texts, digests, .quy files) are for
# encoders, not citizens: the site leaves them out.
_INTERNAL = re.compile(r"\bseeds?\b|DOMAIN\.md|\.quy\b|\.txt\b", re.IGNORECASE)


def _notes(notes: Iterable[str]) -> list[str]:
    notes = [n for n in notes if not _INTERNAL.search(n)]
    if not notes:
        return []
    out = [_label("notes"), ""]
    out += [f"- {_md(n)}" for n in notes]
    return out + [""]


def _rule_block(program: Program, rule: ast.Rule, page: str, proposed: bool, source_root: Path | None) -> list[str]:
    left = [
        _badge("rule", *_words("badge.rule"))
        + (" " + _badge("draft", *_proposed()) if proposed else "")
        + f' <span class="quyche-severity">{html.escape(_both(*_SEVERITY.get(rule.severity, (rule.severity, rule.severity))).replace("*", ""))}</span>',
        "",
    ]
    left += _summary_lines(rule)
    if rule.when is not None:
        left += [
            f"{_label('applies_when')}: {_md(describe_condition(rule.when, 'vi', program))} · *{_md(describe_condition(rule.when, 'en', program))}*",
            "",
        ]
    left += [_label("checked"), ""]
    for c in rule.requires:
        left.append(f"- {_md(describe_constraint(c, 'vi', program))}  ")
        left.append(f'  <span lang="en">*{_md(describe_constraint(c, "en", program))}*</span>')
    left.append("")
    left += _fix_lines(rule)
    refs = []
    for ref in rule.uses:
        if ref in program.documents:
            target = program.documents[ref]
            refs.append(f"[{_md(target.label)}]({_rel(page, _doc_path(target))})")
        elif ref in program.parameters:
            refs.append(f"[{_md(program.parameters[ref].title or ref)}]({_rel(page, 'generated/tham-so.md')}#param-{ref})")
        else:
            refs.append(f"`{ref}`")
    if refs:
        left += [f"{_label('relies_on')}: " + ", ".join(refs), ""]
    for ref in rule.overrides:
        left += [f"{_label('overrides')}: `{ref}`", ""]
    left += _notes(rule.notes)
    return _grid(left, _verbatim(str(rule.locator) if rule.locator else None, rule.text)) + _dsl_block(rule, source_root)


def _recipients(names: Iterable[str]) -> str:
    return ", ".join(_md(n) for n in names) or "—"


def _obligation_block(program: Program, ob: ast.Obligation, proposed: bool, source_root: Path | None) -> list[str]:
    left = [_badge("obligation", *_words("badge.obligation")) + (" " + _badge("draft", *_proposed()) if proposed else ""), ""]
    left += _summary_lines(ob)
    left += [f"- {_label('who')}: {_md(ob.by) or '—'}", f"- {_label('to')}: {_recipients(ob.to)}"]
    if ob.cc:
        left.append(f"- {_label('cc')}: {_recipients(ob.cc)}")
    for d in ob.deadlines:
        left.append(f"- {_label('when')}: {_md(describe_deadline(d, 'vi'))} · *{_md(describe_deadline(d, 'en'))}*")
    if ob.when is not None:
        left.append(f"- {_label('applies_when')}: {_md(describe_condition(ob.when, 'vi', program))}")
    left.append("")
    left += _fix_lines(ob)
    left += _notes(ob.notes)
    return _grid(left, _verbatim(str(ob.locator) if ob.locator else None, ob.text)) + _dsl_block(ob, source_root)


def _formula(expr: ast.Expr | None, program: Program, doc_id: str) -> str:
    """A claim's computation as Markdown: numbers the Vietnamese way, parameters by title, other
    claims of the document as links to them."""
    if expr is None:
        return ""
    if isinstance(expr, ast.Literal) and isinstance(expr.value, Decimal):
        return _md(_show(expr.value))
    if isinstance(expr, ast.Path) and len(expr.parts) == 1:
        name = expr.parts[0]
        for candidate in (f"{doc_id}.{name}", name):
            if candidate in program.claims and program.claims[candidate].document == doc_id:
                return f"[{_md(name)}](#{_anchor('claim', candidate)})"
    if isinstance(expr, ast.Arith):

        def side(e: ast.Expr, tight: bool) -> str:
            text = _formula(e, program, doc_id)
            loose = isinstance(e, ast.Arith) and e.op in "+-"
            return f"({text})" if tight and loose else text

        tight = expr.op in "*/"
        op = {"*": "×", "/": ":"}.get(expr.op, expr.op)
        return f"{side(expr.left, tight)} {op} {side(expr.right, tight or expr.op == '-')}"
    return _md(describe_condition(expr, "vi", program))


def _claim_block(program: Program, claim: ast.Claim, result: ClaimResult | None, proposed: bool, source_root: Path | None) -> list[str]:
    left = [_badge("claim", *_words("badge.claim")) + (" " + _badge("draft", *_proposed()) if proposed else ""), ""]
    left += _summary_lines(claim)
    stated = result.stated if result else None
    left.append(f"- {_label('stated')}: **{_md(_show(stated))}**")
    if claim.computed is None:
        left.append(f"- {_label('recomputed')}: {_both(*_words('input_figure'))}")
    elif result is not None:
        left.append(f"- {_label('recomputed_by')}: **{_md(_show(result.computed))}** = {_formula(claim.computed, program, claim.document)}")
        for ref in result.references:
            local = ref["claim"].split(".", 1)[-1]
            left.append(
                f"    - [{_md(local)}](#{_anchor('claim', ref['claim'])}) = "
                f"{_md(_show(Decimal(ref['stated'])) if ref['stated'] != '?' else '?')} "
                f"({_both(*_words('as_stated'))})"
            )
        for p in result.parameters:
            left.append(
                f"    - {_md(p['title'] or p['parameter'])} = {_md(_vnd(Decimal(p['value'])))} ({_both(*_words('from'))} {_md(p['from'])}, {_md(p['source'])})"
            )
        status = result.status.value
        if status == "satisfied":
            left.append(f'- {_label("result")}: <span class="quyche-ok">✓ {" · ".join(_words("matches"))}</span>')
        elif status == "violated":
            diff = result.difference
            gap = f" ({_both(*_words('off_by'))} {_md(_show(diff))})" if diff is not None else ""
            left.append(f'- {_label("result")}: <span class="quyche-bad">✗ {" · ".join(_words("mismatch"))}</span>{gap}')
        else:
            left.append(f"- {_label('result')}: {_both(*_words('cannot_recompute'))} ({_md(result.problem or '')})")
    if result is not None and result.as_of and result.parameters:
        left.append(f"- {_both(*_words('parameters_as_of'))} {_day(result.as_of)}")
    left.append("")
    left += _notes(claim.notes)
    return _grid(left, _verbatim(str(claim.locator) if claim.locator else None, claim.text)) + _dsl_block(claim, source_root)


def _gap_block(gap: ast.Gap, source_root: Path | None) -> list[str]:
    vi, en = _words("badge.gap")
    left = [_badge("gap", vi, en), "", f'!!! warning "{vi} · {en}"', ""]
    reason, reason_en = rule_words(gap, "reason") or ("", "")
    left += [f"    {_md(reason)}", "", f"    *{_md(reason_en)}*", ""]
    return _grid(left, _verbatim(str(gap.locator) if gap.locator else None, gap.text)) + _dsl_block(gap, source_root)


def _heading(item: Statement) -> str:
    kind = _KIND_OF[type(item)]
    title = (rule_words(item, "reason" if kind == "gap" else "summary") or ("", ""))[0]
    if kind == "gap":
        label = "Không mô hình hóa: " + (str(item.locator) if item.locator else item.id)
    else:
        label = _short(title) if title else item.id.split(".", 1)[-1]
    return f"### {_md(label)} {{ #{_anchor(kind, item.id)} }}"


# ---------------------------------------------------------------- pages
def _front(title: str, description: str | None = None, **meta: Any) -> list[str]:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(_short(description, 200), ensure_ascii=False)}")
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return lines + ["---", GENERATED_MARK, ""]


def _nav_title(doc: ast.Document) -> str:
    prefix = "[Dự thảo] " if doc.status == "draft" else ""
    return prefix + _short(doc.label, 60)


def _site(key: str, **args: Any) -> tuple[str, str]:
    """A page word in (vi, en), from the catalogue (site.<key>)."""
    return word(f"site.{key}", "vi", **args), word(f"site.{key}", "en", **args)


def _pair(key: str, **args: Any) -> str:
    """ "Văn bản · *Document*": a page word, English in italics after it."""
    vi, en = _site(key, **args)
    return f"{vi} · *{en}*"


def _label_of(key: str) -> str:
    vi, en = _site(key)
    return f"**{vi}** · *{en}*"


def _banners(doc: ast.Document) -> list[str]:
    out: list[str] = []
    if doc.status == "draft":
        vi, en = _site("banner.draft_body")
        out += [f'!!! danger "{DRAFT_BANNER}"', "", f"    {vi}", "", f"    *{en}*", ""]
    if doc.status == "temporary" or doc.pilot is not None:
        until = doc.pilot.until if doc.pilot else None
        period_vi = word("site.banner.pilot_until", "vi", until=_day(until)) if until else word("site.banner.pilot_unstated", "vi")
        period_en = word("site.banner.pilot_until", "en", until=until.isoformat()) if until else word("site.banner.pilot_unstated", "en")
        title = " · ".join(_site("banner.temporary_title" if doc.status == "temporary" else "banner.pilot_title"))
        period = f"{word('site.banner.pilot_period', 'vi', period=period_vi)} · *{word('site.banner.pilot_period', 'en', period=period_en)}*."
        out += [f'!!! warning "{title}"', "", f"    {period}", ""]
        if doc.pilot:
            out += [f"    > {_md(doc.pilot.provenance.text)} — {_md(str(doc.pilot.provenance.locator))}", ""]
    if doc.status == "cited":
        vi, en = _site("banner.cited_body")
        out += [f'!!! note "{" · ".join(_site("banner.cited_title"))}"', "", f"    {vi}", "", f"    *{en}*", ""]
    return out


def _header_table(doc: ast.Document) -> list[str]:
    kind_vi, kind_en = _kind(doc)
    status_vi, status_en = _STATUS.get(doc.status, (doc.status, doc.status))
    rows = [
        ("header.kind", _both(kind_vi, kind_en)),
        ("header.status", _both(status_vi, status_en)),
        ("common.issuer", _cell(doc.issuer)),
        ("header.signer", _cell(doc.signer)),
        ("header.signed", _day(doc.signed)),
    ]
    effective = _day(doc.effective)
    if doc.effective_provenance:
        prov = doc.effective_provenance
        effective += f" — {_md(str(prov.locator))}: “{_md(prov.text)}”"
    rows.append(("header.effective", effective))
    if doc.pilot:
        rows.append(("header.pilot_until", _day(doc.pilot.until) if doc.pilot.until else _both(*_site("header.unstated"))))
    # The number heads the table (a header row that says something).
    vi, en = _site("header.number")
    lines = [f"| **{vi}** · *{en}* | {_md(doc.number) or '—'} |", "|---|---|"]
    lines += [f"| **{vi}** · *{en}* | {value} |" for (vi, en), value in ((_site(key), value) for key, value in rows)]
    return lines + [""]


def _links_section(program: Program, doc: ast.Document, page: str, incoming: dict[str, list[tuple[ast.Document, ast.Link]]]) -> list[str]:
    rows = []
    for link in doc.links:
        target = program.documents.get(link.target)
        vi, en = _LINKS.get(link.kind, (link.kind, link.kind, "", ""))[:2]
        where = _md(str(link.provenance.locator)) if link.provenance else "—"
        said = f"“{_md(link.provenance.text)}”" if link.provenance else "—"
        name = f"[{_md(target.label)}]({_rel(page, _doc_path(target))})" if target else f"`{link.target}`"
        title = _md(target.title) if target and target.title else ""
        rows.append(f"| {_both(vi, en)} | {name}<br>{title} | {where} | {said} |")
    back = []
    for source, link in incoming.get(doc.id, []):
        vi, en = _LINKS.get(link.kind, ("", "", link.kind, link.kind))[2:]
        where = _md(str(link.provenance.locator)) if link.provenance else "—"
        said = f"“{_md(link.provenance.text)}”" if link.provenance else "—"
        back.append(f"| {_both(vi, en)} | [{_md(source.label)}]({_rel(page, _doc_path(source))}) | {where} | {said} |")
    if not rows and not back:
        return []
    out = [f"## {_pair('links.heading')} {{ #lien-quan }}", ""]
    columns = f"| {_pair('links.relation')} | {_pair('common.document')} |"
    if rows:
        out += [f"{columns} {_pair('links.citing_article')} | {_pair('common.verbatim')} |", "|---|---|---|---|", *rows, ""]
    if back:
        out += [
            _label_of("links.referred_by"),
            "",
            f"{columns} {_pair('links.at')} | {_pair('common.verbatim')} |",
            "|---|---|---|---|",
            *back,
            "",
        ]
    return out


def _applies_heading() -> str:
    vi, en = _site("applies.heading")
    return f"## {vi} · *{en}* {{ #ap-dung }}"


def _applies_section(program: Program, doc: ast.Document) -> list[str]:
    if doc.applies is None:
        if doc.status == "cited":
            return []
        vi, en = _site("applies.none")
        return [_applies_heading(), "", vi, "", f"*{en}*", ""]
    out = [
        _applies_heading(),
        "",
        f"{_md(describe_condition(doc.applies.condition, 'vi', program))}.",
        "",
        f"*{_md(describe_condition(doc.applies.condition, 'en', program))}.*",
        "",
    ]
    if doc.applies.provenance:
        out += _verbatim(str(doc.applies.provenance.locator), doc.applies.provenance.text) + [""]
    return out


def _glance(items: list[Statement]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[_KIND_OF[type(item)]] += 1
    if not items:
        return []
    vi, en = _site("glance.heading")
    out = [f"## {vi} · *{en}* {{ #tom-luoc }}", ""]
    for kind in ("rule", "obligation", "claim", "gap"):
        vi, en = _site(f"glance.{kind}")
        out.append(f"- **{counts[kind]}** {vi} · *{en}*")
    return out + [""]


_STATE_KIND = {"in_force": "success", "temporary_open": "warning", "pilot_ended": "warning", "unit_ceased": "warning", "not_yet": "info", "draft": "info"}


def _status_block(status: DocStatus, as_of: date) -> list[str]:
    """The page's first block: the status on the build date, and what replaced it where known."""
    unknown = status.state in ("pilot_ended", "unit_ceased") and not any(n.key.endswith("_by") for n in status.notes)
    box = fragment("status_box", kind=_STATE_KIND.get(status.state, "note"), status=status, replaced_unknown=unknown, as_of=as_of)
    return box.splitlines() + [""]


def _document_page(
    program: Program,
    doc: ast.Document,
    incoming: dict[str, list[tuple[ast.Document, ast.Link]]],
    source_root: Path | None,
    status: DocStatus | None = None,
    as_of: date | None = None,
) -> Page:
    page = _doc_path(doc)
    items = _statements(program, doc.id)
    proposed = doc.status == "draft"
    lines = _front(_nav_title(doc), doc.title)
    lines += [f"# {_md(doc.label)}", ""]
    if status is not None and as_of is not None:
        lines += _status_block(status, as_of)
    if doc.title:
        lines += [f"**{_md(doc.title)}**", ""]
    lines += _banners(doc)
    lines += _header_table(doc)
    lines += _notes(doc.notes)
    lines += _applies_section(program, doc)
    lines += _links_section(program, doc, page, incoming)
    lines += _glance(items)

    claims = {r.id: r for r in evaluate_claims(program, doc.id)}
    law = law_sections(doc, items, source_root, lambda item: _statement(program, item, doc, page, proposed, source_root, claims), _md)
    if law is not None:  # a literate file: the page follows the law text (compliance/literate_site.py)
        return Page(page, _nav_title(doc), "\n".join(lines + law).rstrip() + "\n")
    by_article: dict[int | None, list[Statement]] = defaultdict(list)
    for item in items:
        by_article[_article_of(item)].append(item)
    titles = dict(doc.articles)
    numbers = sorted(set(titles) | {n for n in by_article if n is not None})
    for number in numbers:
        title = titles.get(number)
        heading = f"Điều {number}" + (f". {_md(title)}" if title else "")
        lines += [f"## {heading} {{ #dieu-{number} }}", ""]
        if not by_article.get(number):
            vi, en = _site("body.article_empty")
            lines += [f'<p class="quyche-empty">{vi} · <em>{en}</em></p>', ""]
            continue
        for item in by_article[number]:
            lines += _statement(program, item, doc, page, proposed, source_root, claims)
    # Documents without articles (a Tờ trình has Mục I, II, …): one section per leading part of the locator.
    sections: dict[str, list[Statement]] = defaultdict(list)
    order: dict[str, tuple[int, int]] = {}
    for item in by_article.get(None, []):  # in file order, so the first seen is the earliest
        group, rank, title = _section(item)
        order.setdefault(title, (group, rank))
        sections[title].append(item)
    for title in sorted(sections, key=lambda t: order[t]):
        lines += [f"## {_md(title)} {{ #{_slug(title)} }}", ""]
        for item in sections[title]:
            lines += _statement(program, item, doc, page, proposed, source_root, claims)
    if not items and doc.status != "cited":
        lines += [f'!!! info "{" · ".join(_site("body.not_encoded_title"))}"', "", f"    {_pair('body.not_encoded')}", ""]
    return Page(page, _nav_title(doc), "\n".join(lines).rstrip() + "\n")


def _statement(
    program: Program, item: Statement, doc: ast.Document, page: str, proposed: bool, source_root: Path | None, claims: dict[str, ClaimResult]
) -> list[str]:
    lines = [_heading(item), ""]
    if isinstance(item, ast.Rule):
        lines += _rule_block(program, item, page, proposed, source_root)
    elif isinstance(item, ast.Obligation):
        lines += _obligation_block(program, item, proposed, source_root)
    elif isinstance(item, ast.Claim):
        lines += _claim_block(program, item, claims.get(item.id), proposed, source_root)
    else:
        lines += _gap_block(item, source_root)
    return lines


def _documents_by_place(program: Program) -> dict[str, list[ast.Document]]:
    places: dict[str, list[ast.Document]] = defaultdict(list)
    for doc in program.documents.values():
        places[_jurisdiction(doc)].append(doc)
    for docs in places.values():
        docs.sort(key=lambda d: (d.status == "cited", d.signed or date.min, d.id))
    return places


def _place_order(places: Iterable[str]) -> list[str]:
    def key(slug: str) -> tuple[int, int, str]:
        if slug == "cited":
            return (2, 0, slug)
        return (0, _PLACE_ORDER.index(slug), slug) if slug in _PLACE_ORDER else (1, 0, slug)

    return sorted(places, key=key)


def _counts(program: Program, doc_id: str) -> dict[str, int]:
    counts = {"rule": 0, "obligation": 0, "claim": 0, "gap": 0}
    for item in program.statements_of(doc_id):
        counts[_KIND_OF[type(item)]] += 1
    return counts


def _doc_table(program: Program, docs: list[ast.Document], page: str) -> list[str]:
    lines = [
        "| "
        + " | ".join(
            _pair(k) for k in ("common.document", "index.status", "index.signed", "index.rules", "index.obligations", "index.figures", "index.not_modelled")
        )
        + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for doc in docs:
        c = _counts(program, doc.id)
        status_vi, status_en = _STATUS.get(doc.status, (doc.status, doc.status))
        title = f"<br>{_md(_short(doc.title, 120))}" if doc.title else ""
        lines.append(
            f"| [{_md(doc.label)}]({_rel(page, _doc_path(doc))}){title} | {_both(status_vi, status_en)} | "
            f"{_day(doc.signed)} | {c['rule']} | {c['obligation']} | {c['claim']} | {c['gap']} |"
        )
    return lines + [""]


def _place_page(program: Program, slug: str, docs: list[ast.Document]) -> Page:
    page = f"regulations/{slug}/index.md"
    name = _place(slug)
    lines = _front(name) + [f"# {_md(name)}", ""]
    if slug == "cited":
        vi, en = _site("index.cited_lead")
    else:
        vi, en = _site("index.place_lead", place=_md(name))
    lines += [vi, "", f"*{en}*", ""]
    lines += _doc_table(program, docs, page)
    return Page(page, name, "\n".join(lines).rstrip() + "\n")


def _regulations_index(program: Program, places: dict[str, list[ast.Document]]) -> Page:
    page = "regulations/index.md"
    title = " · ".join(_site("index.title"))
    lead_vi, lead_en = _site("index.lead")
    lines = _front(title) + [f"# {_pair('index.heading')}", "", lead_vi, "", f"*{lead_en}*", ""]
    for slug in _place_order(places):
        lines += [f"## [{_md(_place(slug))}]({_rel(page, f'regulations/{slug}/index.md')})", ""]
        lines += _doc_table(program, places[slug], page)
    return Page(page, title, "\n".join(lines).rstrip() + "\n")
