"""One page per centre, and the citizens' question pages, as the build date sees them.

A centre is known by the bundled example setup that describes it (its name, province, unit,
level: only the ``centre`` facts are used, never the example's staff), or, for the district
centres the 2021 draft names without an example, by those facts alone. From them: which
documents apply, each document's status today, what the centre must have (who leads it, how
many people of which kind), who pays and how much (the base salary of the date), and what it
reports to whom and when (the next due date from the build date). Every sentence is a rule's
own plain summary, linked to the rule on its document's page, with the verbatim text beside it.

Pages are Markdown rendered from Jinja templates (``templates/``) with autoescape; every word
comes from the catalogue (``compliance/catalogue/site.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.catalogue import text
from compliance.site.markdown import Page, _anchor, rule_words
from compliance.site.program_index import _doc_path, _walk
from compliance.site.status import DocStatus, document_status, unit_status
from compliance.site.templating import render
from compliance.wording import describe_deadline
from engine import Context, Program, ast
from engine.logic import truth
from engine.message import Message, msg
from engine.obligations import obligation_window
from engine.reorganisation import Reorganisation
from engine.schedule import occurrences

__all__ = ["Centre", "centre_pages", "known_centres"]

# The centres the regulations name, with the example setup that describes each (examples/…).
_EXAMPLES = (
    ("cao-lanh", "dong-thap/cao-lanh.yaml"),
    ("hong-ngu", "dong-thap/hong-ngu.yaml"),
    ("sa-dec", "dong-thap/sa-dec.yaml"),
    ("loc-ninh", "loc-ninh/loc-ninh.yaml"),
    ("binh-phuoc", "binh-phuoc/provincial-ioc.yaml"),
    ("binh-thuan", "binh-thuan/binh-thuan.yaml"),
    ("dong-xoai", "binh-phuoc/dong-xoai.yaml"),
)
# District centres the Bình Phước draft (Tờ trình 2021, Mục III) names, with no example setup:
# (slug, unit type, name) — the facts the draft states, nothing more.
_NAMED_BY_DRAFT = (("phuoc-long", "thị xã", "Phước Long"), ("binh-long", "thị xã", "Bình Long"))
_MONEY = ("funding", "allowances")
_PEOPLE = ("staff", "members", "teams")
FOLDER = "trung-tam"


@dataclass(frozen=True)
class Centre:
    slug: str
    name: str
    facts: Mapping[str, Any]  # {"centre": {...}} and empty collections

    @property
    def centre(self) -> Mapping[str, Any]:
        return self.facts["centre"]  # type: ignore[no-any-return]

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.slug}.md"


@dataclass
class Sentence:
    """A rule's or obligation's plain summary with where it comes from."""

    vi: str
    en: str
    doc: ast.Document
    locator: str
    verbatim: str
    anchor: str
    proposed: bool
    extra: dict[str, Any] = field(default_factory=dict)


def known_centres(examples: Path | None) -> list[Centre]:
    """The centres, from the example setups under ``examples`` (skipped when absent)."""
    from compliance.loading import SetupError, load_setup
    from compliance.setup_facts import to_facts

    out: list[Centre] = []
    for slug, name in _EXAMPLES:
        path = examples / name if examples else None
        if path is None or not path.is_file():
            continue
        try:
            setup = load_setup(path)
        except SetupError:
            continue
        centre = dict(to_facts(setup)["centre"])
        out.append(Centre(slug, str(centre.get("name") or slug), {"centre": centre}))
    for slug, unit_type, place in _NAMED_BY_DRAFT:
        centre = {"name": f"Trung tâm IOC {unit_type} {place}", "province": "Bình Phước", "jurisdiction": place, "level": "district", "unit_type": unit_type}
        out.append(Centre(slug, str(centre["name"]), {"centre": centre}))
    return out


def _applies(program: Program, doc: ast.Document, centre: Centre, when: date) -> bool:
    """Whether ``doc`` is written for ``centre`` (whatever its status on ``when``)."""
    if doc.status == "cited":
        return False
    if doc.applies is None:
        listed = {str(x) for x in centre.centre.get("governing_documents") or []}
        return doc.id in listed or (doc.number is not None and doc.number in listed)
    return truth(Context(program, centre.facts, when).value(doc.applies.condition)) is True


def _topic(rule: ast.Rule) -> str:
    collections = {getattr(n, "collection", None) for n in _walk(rule.requires)} | {getattr(n, "collection", None) for n in _walk(rule.when)}
    if collections & set(_MONEY) or any(isinstance(n, ast.Path) and n.parts[0] in ("funding",) for n in _walk(rule.requires)):
        return "money"
    if any(isinstance(c, ast.RoleHeld) for c in rule.requires) or collections & set(_PEOPLE):
        return "people"
    return "organisation"


def _sentence(item: ast.Rule | ast.Obligation, doc: ast.Document, kind: str) -> Sentence:
    vi, en = rule_words(item, "summary") or (item.id, "")
    return Sentence(
        vi=vi,
        en=en,
        doc=doc,
        locator=str(item.locator) if item.locator else "",
        verbatim=item.text or "",
        anchor=f"{_doc_path(doc)}#{_anchor(kind, item.id)}",
        proposed=doc.status == "draft",
    )


def _parameter_on(program: Program, name: str, when: date) -> tuple[Decimal, date, str] | None:
    param = program.parameters.get(name)
    if param is None:
        return None
    values = [v for v in param.values if v.start <= when]
    if not values:
        return None
    last = max(values, key=lambda v: v.start)
    return last.value, last.start, last.source


def _uses_parameter(rule: ast.Rule, program: Program) -> bool:
    return any(isinstance(n, ast.Path) and n.parts[0] in program.parameters for n in _walk((rule.requires, rule.when))) or any(
        u in program.parameters for u in rule.uses
    )


def _next_due(ob: ast.Obligation, doc: ast.Document, centre: Centre, as_of: date) -> Message:
    if doc.status == "draft":
        return msg("site.centre.due_proposed")
    start, end = obligation_window(doc, centre.centre)
    if end is not None and end < as_of:
        return msg("site.centre.due_ended", until=end)
    if all(d.kind == "unstated" for d in ob.deadlines):
        return msg("site.centre.due_unstated")
    lo = max(as_of, start) if start else as_of
    hi = min(end, lo + timedelta(days=400)) if end else lo + timedelta(days=400)
    found = sorted(o.due_date for d in ob.deadlines for o in occurrences(d, lo, hi))
    return msg("site.centre.due_next", due=found[0]) if found else msg("site.centre.due_none")


def _recipients(names: tuple[str, ...], centre: Centre, as_of: date, program: Program) -> tuple[Message, ...]:
    reorg = Reorganisation(list(program.events.values()), as_of)
    out: list[Message] = []
    for name in names:
        match = reorg.lookup(name, centre.centre)
        if match is None:
            out.append(msg("site.centre.recipient", name=name))
        elif match.ceased.successor:
            out.append(msg("site.centre.recipient_now", name=name, successor=match.ceased.successor, on=match.ceased.on))
        else:
            out.append(msg("site.centre.recipient_gone", name=name, on=match.ceased.on))
    return tuple(out)


@dataclass
class CentreView:
    centre: Centre
    documents: list[tuple[ast.Document, DocStatus]]
    people: list[Sentence]
    money: list[Sentence]
    organisation: list[Sentence]
    reports: list[Sentence]
    unit: tuple[Message, ...]
    salary: tuple[Decimal, date, str] | None

    @property
    def in_force_count(self) -> int:
        return sum(1 for _, st in self.documents if st.in_force)


def _view(program: Program, centre: Centre, as_of: date, statuses: Mapping[str, DocStatus]) -> CentreView:
    docs = [d for d in sorted(program.documents.values(), key=lambda d: (d.signed or date.min, d.id)) if _applies(program, d, centre, as_of)]
    view = CentreView(centre, [(d, statuses[d.id]) for d in docs], [], [], [], [], unit_status(program, centre.centre, as_of), None)
    view.salary = _parameter_on(program, "luong_co_so", as_of)
    for doc in docs:
        ctx = Context(program, centre.facts, doc.effective or doc.signed or as_of)
        for rule in sorted((r for r in program.rules.values() if r.document == doc.id), key=lambda r: (r.span.line if r.span else 0, r.id)):
            if rule.when is not None and truth(ctx.value(rule.when)) is False:
                continue
            topic = "money" if _uses_parameter(rule, program) else _topic(rule)
            getattr(view, topic).append(_sentence(rule, doc, "rule"))
        for ob in sorted((o for o in program.obligations.values() if o.document == doc.id), key=lambda o: (o.span.line if o.span else 0, o.id)):
            if ob.when is not None and truth(ctx.value(ob.when)) is False:
                continue
            s = _sentence(ob, doc, "obligation")
            s.extra = {
                "by": ob.by or "",
                "to": _recipients(ob.to, centre, as_of, program),
                "when_vi": [describe_deadline(d, "vi") for d in ob.deadlines],
                "when_en": [describe_deadline(d, "en") for d in ob.deadlines],
                "next": _next_due(ob, doc, centre, as_of),
            }
            view.reports.append(s)
    return view


def _front(title: str, boost: int) -> dict[str, Any]:
    return {"title": title, "boost": boost}


def centre_pages(program: Program, centres: list[Centre], as_of: date, statuses: Mapping[str, DocStatus]) -> list[Page]:
    """The centres' pages, their index, and the question pages."""
    views = [_view(program, c, as_of, statuses) for c in centres]
    pages: list[Page] = []
    for view in views:
        page = view.centre.path
        pages.append(Page(page, view.centre.name, render("centre.md.j2", page, v=view, as_of=as_of, front=_front(view.centre.name, 8))))
    questions = [
        ("index.md", "questions.index", "centre_index.md.j2", 2),
        ("ai-lanh-dao.md", "questions.lead", "question_lead.md.j2", 6),
        ("ai-tra-tien.md", "questions.pay", "question_pay.md.j2", 6),
        ("bao-cao-gi-khi-nao.md", "questions.report", "question_report.md.j2", 10),
        ("sau-sap-xep-2025.md", "questions.after_2025", "question_after.md.j2", 6),
    ]
    for name, key, template, boost in questions:
        page = f"{FOLDER}/{name}"
        title = f"{text(msg('site.' + key), 'vi')} · {text(msg('site.' + key), 'en')}"
        pages.append(Page(page, title, render(template, page, views=views, as_of=as_of, key="site." + key, front=_front(title, boost))))
    return pages


def document_statuses(program: Program, centres: list[Centre], as_of: date) -> dict[str, DocStatus]:
    """Every document's status on ``as_of``, judged with the centres it applies to."""
    out: dict[str, DocStatus] = {}
    for doc in program.documents.values():
        applying = [c.centre for c in centres if _applies(program, doc, c, as_of)]
        out[doc.id] = document_status(program, doc, as_of, applying)
    return out
