"""Literate regulation files: the skeleton from a source text, the accounting, the seed check.

``skeleton`` reads a source document with :mod:`compliance.legaldoc` and writes the literate
file a lawyer then annotates: front matter with the heading block, one heading per body /
Chương / Điều / khoản / điểm with the verbatim text under it, footnotes last.

``account`` says, for every Điều, khoản and điểm of a literate file, whether it is encoded (a
``quy`` block under it), marked not a rule (with a reason category), a gap, accounted for
through its parts, or not accounted for. It reads only the literate file, so it works from a
clone. ``compare_with_seed`` is the developer check: every provision of the seed, in order, is
in the literate file word for word, and no provision text of the literate file is invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from compliance.legaldoc import LegalDocument, Node, parse
from engine.diagnostics import Diagnostic
from engine.literate import LiterateFile, Section, _chunks, read_literate
from engine.text import nfc

__all__ = ["ENCODED", "GAP", "NOT_A_RULE", "PARTS", "MISSING", "Accounting", "account", "compare_with_seed", "literate_files", "skeleton"]

ENCODED, GAP, NOT_A_RULE, PARTS, MISSING = "encoded", "gap", "not_a_rule", "parts", "missing"
_FOOTNOTE = re.compile(r"^\[(\d{1,2})\]\s*(.*)$")
_ENCODING = ("rule", "obligation", "claim", "effective", "pilot", "applies", "cites", "derives_from", "amends", "supersedes", "implements", "known_through")


def literate_files(root: Path) -> list[Path]:
    """The literate regulation files under ``root`` (``*.md``; README files are not regulations)."""
    return sorted(p for p in root.rglob("*.md") if p.is_file() and p.name.lower() != "readme.md")


# ---------------------------------------------------------------- the skeleton
def _body_name(doc: LegalDocument, body: Node) -> str:
    if body.number == "decision":
        return (doc.heading.kind or "Văn bản").capitalize()
    return body.title or "Phụ lục"


def skeleton(text: str, name: str = "-", front: dict[str, str] | None = None) -> str:
    """The literate skeleton of the source ``text``: headings and verbatim text, nothing encoded."""
    doc = parse(text, name)
    h = doc.heading
    meta: dict[str, str] = {}
    if h.number:
        meta["number"] = h.number
    if h.summary:
        meta["title"] = " ".join(h.summary.split())
    if h.issuer:
        meta["issuer"] = h.issuer
    if h.date:
        meta["signed"] = h.date.isoformat()
    meta.update(front or {})
    out = ["---", *(f"{k}: {v}" for k, v in meta.items()), "---", ""]
    footnotes: list[str] = []

    def para(t: str) -> None:
        m = _FOOTNOTE.match(t)
        if m:
            footnotes.append(t)
            return
        out.extend([t, ""])

    for body in doc.bodies:
        out.extend([f"# {_body_name(doc, body)}", ""])
        if body.number == "decision":
            for p in doc.basis:
                para(p.text)
        for p in ([body.paragraph] if body.paragraph and body.number != "decision" else []) + body.paragraphs:
            para(p.text)
        for node in body.walk():
            if node is body:
                continue
            if node.kind == "chuong":
                out.extend([f"## Chương {node.number}" + (f" — {node.title}" if node.title else ""), ""])
                for p in node.paragraphs:
                    if node.title is None or p.text not in node.title:
                        para(p.text)
                continue
            if node.kind == "dieu":
                out.extend([f"### Điều {node.number}" + (f". {node.title}" if node.title else ""), ""])
                if node.inline_text:
                    para(node.inline_text)
            elif node.kind == "khoan":
                out.extend([f"#### Khoản {node.number}", ""])
                if node.paragraph:
                    para(node.paragraph.text)
            elif node.kind == "diem":
                out.extend([f"##### Điểm {node.number}", ""])
                if node.paragraph:
                    para(node.paragraph.text)
            else:
                out.extend([f"## {node.locator}", ""])
                if node.paragraph:
                    para(node.paragraph.text)
            for p in node.paragraphs:
                para(p.text)
    if footnotes:
        out.extend(["## Chú thích", ""])
        for t in footnotes:
            m = _FOOTNOTE.match(t)
            assert m is not None
            out.extend([f"### Chú thích {m.group(1)}", "", t, ""])
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- accounting
@dataclass
class Entry:
    locator: str
    line: int
    status: str
    detail: str = ""  # the mark's category, or the statements' ids


@dataclass
class Accounting:
    file: str
    document: str
    entries: list[Entry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def accounted(self) -> int:
        return self.total - self.count(MISSING)

    def missing(self) -> list[Entry]:
        return [e for e in self.entries if e.status == MISSING]


def _kinds(section: Section) -> list[str]:
    out: list[str] = []
    for block in section.blocks:
        out.extend(c.keyword for c in _chunks(block.lines) if c.keyword)
    return out


def _status(section: Section, memo: dict[int, str]) -> str:
    if id(section) in memo:
        return memo[id(section)]
    kinds = _kinds(section)
    if any(k in _ENCODING for k in kinds):
        status = ENCODED
    elif "gap" in kinds:
        status = GAP
    elif section.marks:
        status = NOT_A_RULE
    else:
        parts = [c for c in section.children if c.is_provision]
        status = PARTS if parts and all(_status(c, memo) != MISSING for c in parts) else MISSING
    memo[id(section)] = status
    return status


def account(lf: LiterateFile) -> Accounting:
    """Every Điều, khoản and điểm of the file with how it is accounted for."""
    memo: dict[int, str] = {}
    result = Accounting(lf.file, lf.front.get("number", lf.file))
    for s in lf.provisions():
        status = _status(s, memo)
        detail = ", ".join(m.category for m in s.marks) if status == NOT_A_RULE else ""
        result.entries.append(Entry(s.locator, s.line, status, detail))
    return result


def account_file(path: Path, shown: str | None = None) -> tuple[Accounting, list[Diagnostic]]:
    lf = read_literate(path.read_text(encoding="utf-8"), shown or str(path))
    return account(lf), list(lf.problems)


# ---------------------------------------------------------------- the seed check
def _normal(text: str) -> str:
    return " ".join(nfc(text).replace("**", "").split())


def _stream(lf: LiterateFile) -> list[tuple[int, str]]:
    """The file's verbatim text in reading order: Điều headings and every paragraph."""
    out: list[tuple[int, str]] = []
    for s in lf.sections():
        if s.kind == "dieu":
            out.append((s.line, f"Điều {s.number}." + (f" {s.title}" if s.title else "")))
        out.extend(s.paragraphs)
    return out


def _seed_units(doc: LegalDocument) -> Iterator[tuple[tuple[int, str], str, int]]:
    """(position key, text, line) of every paragraph that belongs to an Điều of the seed."""
    for b_index, body in enumerate(b for b in doc.bodies if any(n.kind == "dieu" for n in b.walk())):
        for node in body.walk():
            if node.kind != "dieu":
                continue
            for p in node.all_paragraphs():
                yield (b_index, node.locator), p.text, p.line


def _seed_locators(doc: LegalDocument) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    bodies = [b for b in doc.bodies if any(n.kind == "dieu" for n in b.walk())]
    for b_index, body in enumerate(bodies):
        for node in body.walk():
            if node.kind in ("dieu", "khoan", "diem"):
                out.append((b_index, _bare(node.locator)))
    return out


def _bare(locator: str) -> str:
    """'Quy chế, Điều 7 khoản 2' → 'Điều 7 khoản 2'; a literate '(Quyết định)' suffix dropped too."""
    locator = locator.split(", ", 1)[1] if ", " in locator and not locator.startswith("Điều") else locator
    return re.sub(r"\s*\([^)]*\)$", "", locator).replace("(lần 2)", "").strip()


def compare_with_seed(lf: LiterateFile, seed_text: str, seed_name: str) -> list[Diagnostic]:
    """The literate file against its seed: every provision present, in order, word for word."""
    problems: list[Diagnostic] = []
    doc = parse(seed_text, seed_name)
    mine_bodies = [b for b in lf.bodies if any(s.kind == "dieu" for s in b.walk())]
    mine = [(i, _bare(s.locator)) for i, b in enumerate(mine_bodies) for s in b.walk() if s.is_provision]
    cursor = 0
    for key in _seed_locators(doc):
        try:
            cursor = mine.index(key, cursor) + 1
        except ValueError:
            where = "" if key in mine else " (missing)"
            problems.append(Diagnostic("Q025", f"{key[1]} of the source is not in the literate file in order{where}", file=lf.file, line=1, column=1))
    stream = _stream(lf)
    joined = ""
    starts: list[int] = []
    for _, t in stream:
        starts.append(len(joined))
        joined += _normal(t) + " "
    pos = 0
    for (_, locator), text, line in _seed_units(doc):
        needle = _normal(text)
        found = joined.find(needle, pos)
        if found < 0:
            problems.append(
                Diagnostic(
                    "Q025",
                    f"{_bare(locator)}: the source text of {seed_name}:{line} is not in the literate file in order: “{needle[:70]}…”",
                    file=lf.file,
                    line=1,
                    column=1,
                )
            )
            continue
        pos = found + len(needle)
    source = _normal(seed_text)
    for line, t in stream:
        if _normal(t) not in source:
            problems.append(
                Diagnostic(
                    "Q017",
                    f"text not found in the source {seed_name}: “{_normal(t)[:70]}…”",
                    file=lf.file,
                    line=line,
                    column=1,
                    hint="copy the provision exactly from the source",
                )
            )
    return problems
