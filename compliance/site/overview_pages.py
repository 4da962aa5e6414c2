"""Overview pages across documents: reports, parameters, reorganisation events, the graph, the blind spots."""

from __future__ import annotations

from datetime import date

from compliance.catalogue import word
from compliance.site.document_pages import _front, _notes, _place_order, _recipients
from compliance.site.markdown import _LINKS, Page, _anchor, _both, _cell, _day, _md, _place, _short, _vnd, rule_words
from compliance.site.program_index import _KIND_OF, _doc_path, _jurisdiction, _parameter_users, _rel
from compliance.wording import describe_deadline
from engine import Program, ast, build_graph


def _site(key: str) -> tuple[str, str]:
    """A page word in (vi, en), from the catalogue (site.<key>)."""
    return word(f"site.{key}", "vi"), word(f"site.{key}", "en")


def _pair(key: str) -> str:
    """ "Văn bản · *Document*": a page word, English in italics after it."""
    vi, en = _site(key)
    return f"{vi} · *{en}*"


def _bold(key: str) -> str:
    vi, en = _site(key)
    return f"**{vi}** · *{en}*"


def _headed(heading: str, lead: str) -> list[str]:
    """A page's title line and its lead paragraph, Vietnamese then English."""
    vi, en = _site(lead)
    return [f"# {_pair(heading)}", "", vi, "", f"*{en}*", ""]


def _reports_page(program: Program) -> Page:
    page = "generated/bao-cao.md"
    title = " · ".join(_site("reports.title"))
    lead_vi, lead_en = _site("reports.lead")
    columns = ("common.document", "reports.article", "reports.who", "reports.what", "reports.to", "reports.when")
    lines = _front(title, None, hide=["toc"]) + [
        f"# {_pair('reports.title')}",
        "",
        lead_vi,
        "",
        f"*{lead_en}*",
        "",
        "| " + " | ".join(_pair(k) for k in columns) + " |",
        "|---|---|---|---|---|---|",
    ]
    found = False
    for doc in sorted(program.documents.values(), key=lambda d: (_jurisdiction(d), d.id)):
        for ob in sorted((o for o in program.obligations.values() if o.document == doc.id), key=lambda o: (o.span.line if o.span else 0, o.id)):
            found = True
            link = f"[{_md(doc.label)}]({_rel(page, _doc_path(doc))})" + (f" ({_pair('reports.draft')})" if doc.status == "draft" else "")
            where = f"[{_md(str(ob.locator))}]({_rel(page, _doc_path(doc))}#{_anchor('obligation', ob.id)})" if ob.locator else "—"
            vi, en = rule_words(ob, "summary") or (ob.id, "")
            what = _md(vi) + (f"<br>*{_md(en)}*" if en else "")
            to = _recipients(ob.to) + (f"<br>{_pair('reports.cc')}: {_recipients(ob.cc)}" if ob.cc else "")
            when = "<br>".join(f"{_md(describe_deadline(d, 'vi'))}<br>*{_md(describe_deadline(d, 'en'))}*" for d in ob.deadlines)
            lines.append(f"| {link} | {where} | {_cell(ob.by)} | {what} | {to} | {when or '—'} |")
    if not found:
        lines += ["", _pair("reports.none")]
    return Page(page, title, "\n".join(lines).rstrip() + "\n")


def _gaps_page(program: Program) -> Page:
    page = "generated/chua-mo-hinh.md"
    title = " · ".join(_site("gaps.title"))
    lead_vi, lead_en = _site("gaps.lead")
    lines = _front(title, None, hide=["toc"]) + [
        f"# {_pair('gaps.heading')}",
        "",
        lead_vi,
        "",
        f"*{lead_en}*",
        "",
        "| " + " | ".join(_pair(k) for k in ("common.document", "reports.article", "gaps.reason")) + " |",
        "|---|---|---|",
    ]
    gaps = sorted(
        program.gaps.values(), key=lambda g: (_jurisdiction(program.documents[g.document]) if g.document in program.documents else "", g.document, g.id)
    )
    for gap in gaps:
        doc = program.documents.get(gap.document)
        if doc is None:
            continue
        where = f"[{_md(str(gap.locator) if gap.locator else gap.id)}]({_rel(page, _doc_path(doc))}#{_anchor('gap', gap.id)})"
        vi, en = rule_words(gap, "reason") or ("", "")
        reason = _md(vi) + (f"<br>*{_md(en)}*" if en else "")
        lines.append(f"| [{_md(doc.label)}]({_rel(page, _doc_path(doc))}) | {where} | {reason or '—'} |")
    if not gaps:
        lines += ["", _pair("gaps.none")]
    return Page(page, title, "\n".join(lines).rstrip() + "\n")


def _parameters_page(program: Program) -> Page:
    page = "generated/tham-so.md"
    users = _parameter_users(program)
    page_title = " · ".join(_site("parameters.title"))
    lines = _front(page_title) + _headed("parameters.heading", "parameters.lead")
    for param in sorted(program.parameters.values(), key=lambda p: p.id):
        title = param.title or param.id
        lines += [f"## {_md(title)} {{ #param-{param.id} }}", ""]
        if param.title_en:
            lines += [f"*{_md(param.title_en)}* — `{param.id}`" + (f", {_pair('parameters.unit')}: `{param.unit}`" if param.unit else ""), ""]
        lines += ["| " + " | ".join(_pair(f"parameters.{k}") for k in ("from", "value", "source")) + " |", "|---|---|---|"]
        for value in param.values:
            lines.append(f"| {_day(value.start)} | {_vnd(value.value)} | {_md(value.source)} |")
        lines.append("")
        if users.get(param.id):
            lines += [f"{_bold('parameters.used_by')}:", ""]
            for item in users[param.id]:
                doc = program.documents.get(item.document)
                if doc is None:
                    continue
                kind = _KIND_OF[type(item)]
                label = (rule_words(item, "reason" if kind == "gap" else "summary") or (item.id, ""))[0]
                lines.append(
                    f"- [{_md(doc.label)} — {_md(str(item.locator) if item.locator else item.id)}]"
                    f"({_rel(page, _doc_path(doc))}#{_anchor(kind, item.id)}): {_md(_short(label, 120))}"
                )
            lines.append("")
    if not program.parameters:
        lines += [_pair("parameters.none")]
    return Page(page, page_title, "\n".join(lines).rstrip() + "\n")


_OUTCOMES = {
    "ceases": ("chấm dứt", "ceases"),
    "reorganised": ("được tổ chức lại", "reorganised"),
    "merged_into": ("hợp nhất vào", "merged into"),
    "replaced_by": ("được thay bằng", "replaced by"),
}
_SUBJECTS = {"body": ("cơ quan", "body"), "unit": ("đơn vị hành chính", "unit"), "province": ("tỉnh", "province"), "level": ("cấp chính quyền", "level")}


def _events_page(program: Program) -> Page:
    page = "generated/su-kien.md"
    page_title = " · ".join(_site("events.title"))
    lines = _front(page_title) + _headed("events.heading", "events.lead")
    for event in sorted(program.events.values(), key=lambda e: (e.on or date.min, e.id)):
        lines += [f"## {_day(event.on)} — {_md(event.title or event.id)} {{ #event-{event.id} }}", ""]
        if event.title_en:
            lines += [f"*{_md(event.title_en)}*", ""]
        if event.source and ".md" not in event.source:  # an instrument; never the project's own notes
            lines += [f"{_bold('parameters.source')}: {_md(event.source)}", ""]
        if event.changes:
            lines += ["| " + " | ".join(_pair(f"events.{k}") for k in ("subject", "name", "change", "successor")) + " |", "|---|---|---|---|"]
            for ch in event.changes:
                subject = _both(*_SUBJECTS.get(ch.subject, (ch.subject, ch.subject)))
                outcome = _both(*_OUTCOMES.get(ch.outcome, (ch.outcome, ch.outcome)))
                successor = _md(ch.successor) if ch.successor else ("—" if ch.outcome == "ceases" else _pair("events.unknown"))
                within = getattr(ch, "within", None)
                name = _md(ch.name) + (f" ({_md(within)})" if within else "")
                lines.append(f"| {subject} | {name} | {outcome} | {successor} |")
            lines.append("")
        lines += _notes(event.notes)
    return Page(page, page_title, "\n".join(lines).rstrip() + "\n")


def _small_graph(program: Program, doc: ast.Document) -> str:
    """One document and its direct links, top to bottom: small enough to read on a phone.

    Node labels are the documents' numbers; edge labels the relation in Vietnamese (the table
    below gives it in English too). A link stated twice is drawn once."""
    g = build_graph(program)
    here = f"doc:{doc.id}"
    edges = sorted({(u, v, str(a.get("relation", ""))) for u, v, a in g.edges(data=True) if here in (u, v) and u.startswith("doc:") and v.startswith("doc:")})
    nodes = sorted({here} | {u for u, _, _ in edges} | {v for _, v, _ in edges})
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    lines = ["flowchart TB"]
    for node in nodes:
        target = program.documents.get(node.removeprefix("doc:"))
        label = (target.label if target else node.removeprefix("doc:")).replace('"', "'")
        lines.append(f'  {ids[node]}["{label}"]')
    for u, v, relation in edges:
        shown = _LINKS[relation][0] if relation in _LINKS else relation
        lines.append(f'  {ids[u]} -->|"{shown}"| {ids[v]}')
    return "\n".join(lines)


def _graph_page(program: Program, places: dict[str, list[ast.Document]], mermaid: bool) -> Page:
    page = "generated/do-thi.md"
    page_title = " · ".join(_site("graph.title"))
    lines = _front(page_title, None, **({"mermaid": True} if mermaid else {})) + _headed("graph.title", "graph.lead")
    fence = "mermaid" if mermaid else "text"
    if not mermaid:
        lines += [f'!!! note "{" · ".join(_site("graph.as_text_title"))}"', "", f"    {_pair('graph.as_text')}", ""]
    for slug in _place_order(places):
        if slug == "cited":
            continue
        lines += [f"## {_md(_place(slug))} {{ #graph-{slug} }}", ""]
        for doc in places[slug]:
            rows = []
            for link in doc.links:
                target = program.documents.get(link.target)
                if target is None:
                    continue
                vi, en = _LINKS.get(link.kind, (link.kind, link.kind, "", ""))[:2]
                rows.append(
                    f"| {_both(vi, en)} | [{_md(target.label)}]({_rel(page, _doc_path(target))}) | "
                    f"{_md(str(link.provenance.locator)) if link.provenance else '—'} |"
                )
            if not rows:
                continue
            lines += [f"### [{_md(doc.label)}]({_rel(page, _doc_path(doc))}) {{ #graph-{doc.id} }}", ""]
            lines += [f"```{fence}", _small_graph(program, doc), "```", ""]
            lines += ["| " + " | ".join(_pair(k) for k in ("links.relation", "common.document", "links.at")) + " |", "|---|---|---|", *rows, ""]
    return Page(page, page_title, "\n".join(lines).rstrip() + "\n")
