"""Numbering (Chương, Điều, khoản, điểm continuous, no duplicates or gaps, điểm letters in
Vietnamese order) and titles (every Chương, and every Điều of a body whose articles have titles)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument, Node
from compliance.legaldoc.parser import DIEM_LETTERS
from engine.message import msg

__all__ = ["check_numbering", "check_titles"]

_WORD = {"chuong": "Chương", "dieu": "Điều", "khoan": "khoản", "diem": "điểm", "phan": "Phần", "muc": "Mục"}


def _heading_span(node: Node) -> tuple[int, int]:
    text = node.paragraph.text if node.paragraph else ""
    cut = text.find(node.number)
    return (0, cut + len(node.number) if cut >= 0 else min(len(text), 12))


def _sequence(kind: str, nodes: list[Node], scope: str) -> Iterator[Finding]:
    """Findings for one list of siblings of ``kind`` numbered 1, 2, 3 … (or a, b, c …)."""
    expected = 1
    for i, node in enumerate(nodes):
        if node.paragraph is None:
            continue
        start, end = _heading_span(node)
        shown = _display(kind, expected)
        if kind == "diem" and node.value == 0:
            yield Finding(
                "numbering-letter-order",
                "error",
                node.locator,
                node.paragraph,
                start,
                end,
                msg("drafting.numbering.letter_invalid", letter=node.number, scope=scope),
                None,
                expected=shown,
                actual=node.number,
            )
            expected += 1
            continue
        if node.value < expected:
            yield Finding(
                "numbering-duplicate",
                "error",
                node.locator,
                node.paragraph,
                start,
                end,
                msg("drafting.numbering.duplicate", unit=_WORD[kind], number=node.number, scope=scope, expected=shown),
                msg("drafting.numbering.duplicate_fix", unit=_WORD[kind], expected=shown),
                expected=shown,
                actual=node.number,
            )
            expected += 1
            continue
        before = nodes[nodes.index(node) - 1].all_paragraphs() if nodes.index(node) > 0 else []
        if node.value > expected and any(re.search(rf"(?<![\w]){re.escape(shown)}\)\s", p.text) for p in before):
            expected = node.value + 1  # the missing unit is on its predecessor's line: the extraction merged them
            continue
        following = nodes[i + 1].value if i + 1 < len(nodes) else None
        if node.value > expected and following is not None and following <= node.value:
            # 1, 3, 3 or 1, 3, 2: this unit is the misnumbered one; its successors are right.
            check = "numbering-letter-order" if kind == "diem" else "numbering-gap"
            yield Finding(
                check,
                "error",
                node.locator,
                node.paragraph,
                start,
                end,
                msg("drafting.numbering.misnumbered", unit=_WORD[kind], number=node.number, scope=scope, expected=shown),
                msg("drafting.numbering.gap_fix", unit=_WORD[kind], expected=shown),
                expected=shown,
                actual=node.number,
            )
            expected += 1
            continue
        if node.value > expected:
            check = "numbering-letter-order" if kind == "diem" else "numbering-gap"
            yield Finding(
                check,
                "error",
                node.locator,
                node.paragraph,
                start,
                end,
                msg("drafting.numbering.gap", unit=_WORD[kind], number=node.number, scope=scope, expected=shown),
                msg("drafting.numbering.gap_fix", unit=_WORD[kind], expected=shown),
                expected=shown,
                actual=node.number,
            )
        expected = node.value + 1


def _display(kind: str, value: int) -> str:
    if kind == "diem":
        return DIEM_LETTERS[value - 1] if 0 < value <= len(DIEM_LETTERS) else "?"
    if kind == "chuong":
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out, n = "", value
        for v, s in numerals:
            while n >= v:
                out, n = out + s, n - v
        return out
    return str(value)


def check_numbering(doc: LegalDocument) -> Iterator[Finding]:
    for body in doc.bodies:
        scope = body.title or "văn bản"
        nodes = body.walk()
        for kind in ("phan", "chuong", "dieu"):
            yield from _sequence(kind, [n for n in nodes if n.kind == kind], scope)
        for node in nodes:
            if node.kind == "chuong":  # sections (Mục) are numbered within their chapter
                yield from _sequence("muc", [c for c in node.children if c.kind == "muc"], node.locator)
            if node.kind == "dieu":
                yield from _sequence("khoan", [c for c in node.children if c.kind == "khoan"], node.locator)
                yield from _sequence("diem", [c for c in node.children if c.kind == "diem"], node.locator)
            if node.kind == "khoan":
                yield from _sequence("diem", [c for c in node.children if c.kind == "diem"], node.locator)


def check_titles(doc: LegalDocument) -> Iterator[Finding]:
    for body in doc.bodies:
        nodes = body.walk()
        articles = [n for n in nodes if n.kind == "dieu"]
        titled = sum(1 for n in articles if n.title)
        # A decision's articles usually have no titles; a regulation's all do.
        expect_titles = bool(articles) and titled * 2 > len(articles)
        for node in nodes:
            if node.paragraph is None or node.title:
                continue
            if node.kind == "chuong" or (node.kind == "dieu" and expect_titles):
                start, end = _heading_span(node)
                yield Finding(
                    "title-missing",
                    "warning",
                    node.locator,
                    node.paragraph,
                    start,
                    end,
                    msg("drafting.titles.missing", unit=_WORD[node.kind], number=node.number),
                    msg("drafting.titles.missing_fix", unit=_WORD[node.kind]),
                )
