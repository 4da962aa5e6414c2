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

from compliance import catalogue
from compliance.catalogue import Lang
from compliance.legaldoc import LegalDocument, Node, Paragraph, parse
from engine.diagnostics import Diagnostic
from engine.literate import LiterateFile, Section, quoted_texts, read_literate, statement_kinds
from engine.message import msg
from engine.sources import normalise_source
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
    # (paragraph index, order, lines): headings and text in the order of the source.
    items: list[tuple[float, int, list[str]]] = []

    def add(index: float, *lines: str) -> None:
        items.append((index, len(items), [*lines]))

    def para(p: Paragraph, text: str | None = None) -> None:
        t = p.text if text is None else text
        if _FOOTNOTE.match(t):
            footnotes.append(t)
        else:
            add(p.index, t)

    for b_index, body in enumerate(doc.bodies):
        first = body.paragraph.index if body.paragraph else (min((q.index for q in body.all_paragraphs()), default=0))
        add(first - 0.5 if b_index else -1, f"# {_body_name(doc, body)}")
        if body.number == "decision" and doc.basis:
            add(doc.basis[0].index - 0.25, "## Căn cứ")
            for p in doc.basis:
                para(p)
        for p in ([body.paragraph] if body.paragraph and body.number != "decision" else []) + body.paragraphs:
            para(p)
        for node in body.walk():
            if node is body or node.paragraph is None:
                continue
            at = node.paragraph.index
            if node.kind == "chuong":
                add(at, f"## Chương {node.number}" + (f" — {node.title}" if node.title else ""))
                for p in node.paragraphs:
                    if node.title is None or p.text not in node.title:
                        para(p)
                continue
            if node.kind == "dieu":
                add(at, f"### Điều {node.number}" + (f". {node.title}" if node.title else ""))
                if node.inline_text:
                    add(at + 0.5, node.inline_text)
            elif node.kind in ("khoan", "diem"):
                add(at - 0.25, f"#### Khoản {node.number}" if node.kind == "khoan" else f"##### Điểm {node.number}")
                para(node.paragraph)
            else:
                level = 2 + node.locator.count(".") if node.locator.startswith("Mục") else 2
                add(at - 0.25, "#" * level + f" {node.locator}")
                para(node.paragraph)
            for p in node.paragraphs:
                para(p)
    for n, p in enumerate(doc.footnotes, start=1):  # a page's footnotes stand where the page put them
        m = re.match(r"^(\d{1,2})[.)]\s", p.text)
        add(p.index - 0.25, f"###### Chú thích {m.group(1) if m else n}")
        add(p.index, p.text)
    for table in doc.tables:  # rows the parser read as a table stand where they are in the source
        for p, _ in table.rows:
            para(p)
    for _, _, lines in sorted(items):
        for line in lines:
            out.extend([line, ""])
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


def _own(section: Section) -> str | None:
    """How the provision is accounted for by what stands under its own heading."""
    kinds = statement_kinds(section)
    parts = [c for c in section.children if c.kind in ("other", "note")]  # a table's rows, a footnote: the provision's own
    while parts:
        part = parts.pop()
        kinds += statement_kinds(part)
        parts.extend(c for c in part.children if c.kind in ("other", "note"))
    if any(k in _ENCODING for k in kinds):
        return ENCODED
    if "gap" in kinds:
        return GAP
    return NOT_A_RULE if section.marks else None


def _status(section: Section, memo: dict[int, str]) -> str:
    if id(section) in memo:
        return memo[id(section)]
    status = _own(section)
    if status is None:
        # A gap or a mark on a Điều covers its khoản and điểm; a rule on it does not.
        parent = section.parent
        while status is None and parent is not None and parent.is_provision:
            inherited = _own(parent)
            status = inherited if inherited in (GAP, NOT_A_RULE) else None
            parent = parent.parent
    if status is None and section.text:
        # A rule on the Điều that quotes this khoản word for word encodes it too (QĐ 1089 Điều 5).
        mine = _normal(section.text)
        parent = section.parent
        while status is None and parent is not None and parent.is_provision:
            if _own(parent) == ENCODED and any(mine in _normal(q) for q in quoted_texts(parent)):
                status = ENCODED
            parent = parent.parent
    if status is None:
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


def _units(body: Node) -> list[Node]:
    """The top units of a body: its Điều, or (a Tờ trình) its sections I., II. …"""
    articles = [n for n in body.walk() if n.kind == "dieu"]
    return articles or [n for n in body.children if n.kind == "section"]


def _seed_units(doc: LegalDocument) -> Iterator[tuple[tuple[int, str], str, int]]:
    """(position key, text, line) of every paragraph that belongs to an Điều (or a section) of the seed."""
    for b_index, body in enumerate(b for b in doc.bodies if _units(b)):
        for node in _units(body):
            for p in node.all_paragraphs():
                yield (b_index, node.locator), p.text, p.line


def _seed_locators(doc: LegalDocument) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    bodies = [b for b in doc.bodies if _units(b)]
    for b_index, body in enumerate(bodies):
        for node in body.walk():
            if node.kind in ("dieu", "khoan", "diem") or (node.kind == "section" and node.locator.startswith("Mục")):
                out.append((b_index, _bare(node.locator)))
    return out


def _bare(locator: str) -> str:
    """'Quy chế, Điều 7 khoản 2' → 'Điều 7 khoản 2'; a literate '(Quyết định)' suffix dropped too."""
    locator = locator.split(", ", 1)[1] if ", " in locator and not locator.startswith("Điều") else locator
    return re.sub(r"\s*\([^)]*\)$", "", locator).replace("(lần 2)", "").strip()


def _stands_in(text: str, source: str, least: int = 4) -> bool:
    """Whether ``text`` is the source's own words: whole, or in runs of ``least`` words or more.

    The extraction breaks a sentence across a page (and its footnotes); the parser joins it
    again, so a paragraph may stand in the source in two or three runs, never a changed word.
    """
    if text in source:
        return True
    words = text.split()
    start = 0
    while start < len(words):
        lo, hi = 0, len(words) - start  # the longest run from ``start`` found in the source
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if " ".join(words[start : start + mid]) in source:
                lo = mid
            else:
                hi = mid - 1
        if lo < min(least, len(words) - start):
            return False
        start += lo
    return True


def compare_with_seed(lf: LiterateFile, seed_text: str, seed_name: str) -> list[Diagnostic]:
    """The literate file against its seed: every provision present, in order, word for word."""
    problems: list[Diagnostic] = []
    doc = parse(seed_text, seed_name)
    mine_bodies = [b for b in lf.bodies if any(s.kind in ("dieu", "muc") for s in b.walk())]
    sections = [s for b in mine_bodies for s in b.walk() if s.is_provision]
    mine = [(i, _bare(s.locator)) for i, b in enumerate(mine_bodies) for s in b.walk() if s.is_provision]
    cursor = 0
    for key in _seed_locators(doc):
        try:
            cursor = mine.index(key, cursor) + 1
        except ValueError:
            where = "" if key in mine else " (missing)"
            after = sections[cursor - 1].line if cursor else 1  # where it should follow
            problems.append(Diagnostic("Q025", f"{key[1]} of the source is not in the literate file in order{where}", file=lf.file, line=after, column=1))
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
    source = normalise_source(seed_text)
    for line, t in stream:
        if not _stands_in(_normal(t), source):
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


# ---------------------------------------------------------------- the commands' work
@dataclass
class Verification:
    problems: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    provisions: int = 0
    missing: int = 0
    quotes: int = 0
    seeds_absent: bool = False


def _shown(path: Path, base: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(base.resolve())) if resolved.is_relative_to(base.resolve()) else str(path)


def accountings(root: Path) -> list[tuple[Accounting, list[Diagnostic], LiterateFile]]:
    """The accounting of every literate file under ``root``, with the problems of reading it."""
    out = []
    for path in literate_files(root):
        lf = read_literate(path.read_text(encoding="utf-8"), _shown(path, root.parent))
        out.append((account(lf), list(lf.problems), lf))
    return out


def verify_literate(root: Path, seeds: Path, lang: Lang = "vi") -> Verification:
    """Structure and accounting of every literate file; the seed comparison when ``seeds`` exists."""
    result = Verification()
    result.seeds_absent = not seeds.is_dir()
    for acc, problems, lf in accountings(root):
        result.files += 1
        result.provisions += acc.total
        result.problems.extend(problems)
        for entry in acc.missing():
            result.missing += 1
            result.problems.append(
                Diagnostic(
                    "Q026",
                    catalogue.text(msg("literate.verify.unaccounted", locator=entry.locator), lang),
                    file=acc.file,
                    line=entry.line,
                    column=1,
                    hint=catalogue.text(msg("literate.verify.unaccounted_hint"), lang),
                )
            )
        seed = lf.front.get("seed")
        if seed and not result.seeds_absent:
            path = seeds / seed
            if not path.is_file():
                result.problems.append(Diagnostic("Q002", f"{seed} not found in {seeds}", file=acc.file, line=lf.front_lines.get("seed", 1), column=1))
                continue
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:  # a seed that is not UTF-8 text is a problem to report, not a crash
                reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
                where = lf.front_lines.get("seed", 1)
                result.problems.append(Diagnostic("Q002", f"cannot read source {seed}: {reason}", file=acc.file, line=where, column=1))
                continue
            result.problems.extend(compare_with_seed(lf, source, seed))
    return result


def coverage_text(root: Path, documents_without_literate: list[str], lang: Lang = "vi") -> str:
    """The provisions table of ``quyche coverage``: counts per document, then what is missing."""
    rows = [catalogue.text(msg("literate.coverage.header"), lang), "", catalogue.text(msg("literate.coverage.columns"), lang)]
    missing_lines: list[str] = []
    for acc, _, _ in accountings(root):
        counts = [acc.total, acc.count(ENCODED), acc.count(NOT_A_RULE), acc.count(GAP), acc.count(PARTS), acc.count(MISSING)]
        share = f"{100 * acc.accounted // acc.total if acc.total else 100} %"
        rows.append(" | ".join([catalogue.name(acc.document), *(str(c) for c in counts), share]))  # the number: a name
        missing_lines.extend(catalogue.text(msg("literate.coverage.missing", locator=e.locator, file=acc.file, line=str(e.line)), lang) for e in acc.missing())
    rows.extend(missing_lines)
    if documents_without_literate:
        rows.append(catalogue.text(msg("literate.coverage.plain", documents=", ".join(documents_without_literate)), lang))
    return "\n".join(rows) + "\n"


def coverage_json(root: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for acc, _, _ in accountings(root):
        out.append(
            {
                "document": acc.document,
                "file": acc.file,
                "total": acc.total,
                "encoded": acc.count(ENCODED),
                "not_a_rule": acc.count(NOT_A_RULE),
                "gap": acc.count(GAP),
                "through_parts": acc.count(PARTS),
                "missing": [{"locator": e.locator, "line": e.line} for e in acc.missing()],
            }
        )
    return out


def literate_documents(root: Path) -> set[str]:
    """The ids of the documents written as literate files (their first block's ``document ID``)."""
    ids: set[str] = set()
    for _, _, lf in accountings(root):
        for block in lf.preamble:
            m = re.search(r"^\s*document\s+([A-Za-z_][\w.-]*)", "\n".join(block.lines), re.MULTILINE)
            if m:
                ids.add(m.group(1))
    return ids


def regulation_files(root: Path) -> list[Path]:
    """Every regulation file under ``root``: plain DSL and literate."""
    return sorted([*root.rglob("*.quy"), *literate_files(root)])
