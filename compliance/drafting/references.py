"""Internal references resolve: "khoản 2 Điều này", "Điều 12 của Quy chế này", "Như Điều 3".

A reference followed by the name of another instrument ("Điều 12, Điều 13 Thông tư số 18/2023")
points outside the document and is not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument, Node, Paragraph
from compliance.legaldoc.citations import TYPE_ABBREVIATIONS
from engine.message import msg

__all__ = ["check_references"]

_REF = re.compile(
    r"(?:(?<![\w])điểm\s+(?P<diem>[a-zđ])\s+)?(?:(?<![\w])khoản\s+(?P<khoan>\d+)\s+)?(?<![\w])Điều\s+(?P<dieu>\d+|này)"
    r"(?P<tail>(?:\s+(?:của\s+)?(?:Quy chế|Quyết định|Quy định|Nghị quyết)\s+này)?)"
)
_OUTSIDE = re.compile(
    r"^\s*(?:,\s*Điều\s+\d+\s*)*(?:của\s+)?(?:" + "|".join(re.escape(t) for t in TYPE_ABBREVIATIONS) + r"|Luật|Bộ luật|Hiến pháp)\b", re.IGNORECASE
)
_BODY_WORDS = {"Quy chế": "annex", "Quy định": "annex", "Quyết định": "decision", "Nghị quyết": "decision"}


def _owner(doc: LegalDocument, p: Paragraph) -> tuple[Node | None, Node | None]:
    """(the Điều, the body) that ``p`` belongs to."""
    for body in doc.bodies:
        for node in body.walk():
            if node.kind == "dieu" and any(x is p for x in node.all_paragraphs()):
                return node, body
    return None, doc.bodies[0] if doc.bodies else None


def check_references(doc: LegalDocument) -> Iterator[Finding]:
    if not any(n.kind == "dieu" for n in doc.nodes()):
        return
    for p in doc.paragraphs:
        for m in _REF.finditer(p.text):
            if _OUTSIDE.match(p.text[m.end() :]):
                continue
            article, body = _owner(doc, p)
            tail = m.group("tail").strip()
            if tail:
                word = next((w for w in _BODY_WORDS if w in tail), None)
                wanted = _BODY_WORDS.get(word or "", "")
                body = next((b for b in doc.bodies if b.number == wanted or (wanted == "annex" and b.number == "annex")), body)
            if m.group("dieu") == "này":
                target = article
            else:
                if body is None:
                    continue
                # Nơi nhận ("Như Điều 3") names the decision's articles.
                if article is None and not tail and p.text.lstrip("-– ").startswith("Như"):
                    body = doc.bodies[0]
                target = next((n for n in body.walk() if n.kind == "dieu" and n.number == m.group("dieu")), None)
            missing = target is None and m.group("dieu") != "này"
            if target is not None and m.group("khoan"):
                clause = next((c for c in target.children if c.kind == "khoan" and c.number == m.group("khoan")), None)
                missing = clause is None
                if clause is not None and m.group("diem"):
                    missing = not any(c.kind == "diem" and c.number == m.group("diem") for c in clause.children)
            if not missing:
                continue
            ref = p.text[m.start() : m.end()]
            yield Finding(
                "reference-unresolved",
                "error",
                doc.locate(p),
                p,
                m.start(),
                m.end(),
                msg("drafting.references.unresolved", reference=ref),
                msg("drafting.references.unresolved_fix"),
                actual=ref,
            )
