"""Literate regulation files (Markdown) → the DSL the parser reads, line for line.

A literate file is the law itself: front matter with the document's heading block, one
Markdown heading per body / Chương / Điều / khoản / điểm with the verbatim text under it, and
under each provision either a fenced ``quy`` block that encodes it or a one-line mark saying why
it is not a rule::

    ### Điều 3. Về Tên gọi

    Trung tâm Giám sát điều hành thông minh

    ```quy
    rule ten_goi { require that centre.name starts with "…" }
    ```

    > không phải quy định — nhiệm vụ: mô tả hoạt động, không phải điều kiện của một cấu hình.

Nothing in a block names its locator: each rule, obligation, claim and gap gets ``at`` from its
heading path and ``text`` from the provision's verbatim text (or keeps the excerpt it quotes,
which must then stand in the provision). Document clauses with provenance (``effective``,
``pilot``, ``applies to``, ``cites`` …) are written under the provision that states them and
joined to the document block at the top.

The DSL view keeps the file's lines: prose becomes blank lines and code stays where it is, so a
syntax error or a rule's span points at the Markdown file's own line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine import ast
from engine.diagnostics import Diagnostic, RegulationError
from engine.parser import parse_text
from engine.text import nfc, squash_spaces

__all__ = [
    "MARK",
    "MARK_CATEGORIES",
    "Block",
    "LiterateFile",
    "Mark",
    "Section",
    "dsl_view",
    "is_literate",
    "is_literate_regulation",
    "parse_literate",
    "parse_literate_file",
    "parse_regulation_file",
    "quoted_texts",
    "read_literate",
    "statement_kinds",
]

# Why a provision is not a rule: the category word written in the mark → its stable id.
MARK_CATEGORIES: dict[str, str] = {
    "định nghĩa": "definition",
    "nguyên tắc": "principle",
    "phạm vi": "scope",
    "nhiệm vụ": "task",
    "chuẩn ngoài": "outside_norm",
    "thi hành": "enactment",
}
MARK = "không phải quy định"
_MARK_LINE = re.compile(r"^>\s*(?:\*\*)?không phải quy định(?:\*\*)?\s*[—–-]\s*([^:]+?)\s*:\s*(\S.*)$", re.IGNORECASE)
_FENCE = re.compile(r"^(```+|~~~+)\s*(\S*)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
_FRONT_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*?)\s*$")

_CHUONG = re.compile(r"^Chương\s+([IVXLC]+|\d+)\b\s*(?:[—–.:-]\s*)?(.*)$")
_DIEU = re.compile(r"^Điều\s+(\d+)\s*(?:\.\s*(.*))?$")
_KHOAN = re.compile(r"^Khoản\s+(\d+)$", re.IGNORECASE)
_DIEM = re.compile(r"^Điểm\s+([a-zđ])$", re.IGNORECASE)
_NOTE = re.compile(r"^Chú thích\s+(\d+)$", re.IGNORECASE)
_MUC = re.compile(r"^Mục\s+([IVXLC]+(?:\.\d+)*(?:\.[a-zđ])?)\b\s*(?:[—–.:-]\s*)?(.*)$")

# Document clauses that carry provenance and may stand under a provision.
DOC_CLAUSES = ("effective", "pilot", "applies", "cites", "derives_from", "amends", "supersedes", "implements", "known_through")
STATEMENTS = ("rule", "obligation", "claim", "gap", "document", "parameter", "event")
_PROVISIONS = ("dieu", "khoan", "diem", "muc")
RANK = {"body": 0, "chuong": 1, "muc": 2, "dieu": 3, "khoan": 4, "diem": 5}
LEVEL = {"body": 1, "chuong": 2, "muc": 2, "dieu": 3, "khoan": 4, "diem": 5, "note": 2, "other": 2}


@dataclass
class Mark:
    """``> không phải quy định — nhiệm vụ: …``: why a provision is not encoded."""

    category: str  # the stable id (MARK_CATEGORIES' values)
    word: str  # as written
    reason: str
    line: int


@dataclass
class Block:
    """A fenced ``quy`` block: its content lines start at file line ``first``."""

    fence: int  # the line of the opening fence
    lines: list[str]
    closed: bool = True

    @property
    def first(self) -> int:
        return self.fence + 1


@dataclass
class Section:
    """One heading and what stands under it up to the next heading."""

    kind: str  # body | chuong | muc | dieu | khoan | diem | note | other
    number: str
    title: str | None
    heading: str  # the heading text as written
    line: int
    level: int
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # (line, verbatim text)
    blocks: list[Block] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = None
    locator: str = ""

    @property
    def text(self) -> str:
        """The provision's own verbatim text, paragraphs joined by one space."""
        return " ".join(t for _, t in self.paragraphs)

    def full_text(self) -> str:
        """The text of the provision and of everything under it (headings of Điều included)."""
        parts = [self.heading] if self.kind == "dieu" else []
        parts.append(self.text)
        parts.extend(c.full_text() for c in self.children)
        return " ".join(p for p in parts if p)

    def walk(self) -> Iterator[Section]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def is_provision(self) -> bool:
        return self.kind in _PROVISIONS

    def body(self) -> Section:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


@dataclass
class LiterateFile:
    file: str
    lines: list[str]
    front: dict[str, str]
    front_lines: dict[str, int]
    preamble: list[Block]  # blocks before the first heading (the document block)
    bodies: list[Section]
    problems: list[Diagnostic]

    def sections(self) -> Iterator[Section]:
        for b in self.bodies:
            yield from b.walk()

    def provisions(self) -> list[Section]:
        return [s for s in self.sections() if s.is_provision]


def is_literate(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".md"


def _diag(code: str, message: str, file: str, line: int, column: int = 1, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, file=file, line=line, column=column, hint=hint)


# ---------------------------------------------------------------- reading the Markdown
def _classify(heading: str, level: int) -> tuple[str, str, str | None]:
    if level == 1:
        return "body", heading, heading
    m = _CHUONG.match(heading)
    if m:
        return "chuong", m.group(1), m.group(2) or None
    m = _DIEU.match(heading)
    if m:
        return "dieu", m.group(1), (m.group(2) or None)
    m = _KHOAN.match(heading)
    if m:
        return "khoan", m.group(1), None
    m = _DIEM.match(heading)
    if m:
        return "diem", m.group(1).lower(), None
    m = _NOTE.match(heading)
    if m:
        return "note", m.group(1), None
    m = _MUC.match(heading)
    if m:
        return "muc", m.group(1), m.group(2) or None
    return "other", heading, heading


def read_literate(text: str, file: str = "<string>") -> LiterateFile:
    """The structure of a literate file; problems are collected, not raised."""
    lines = nfc(text).split("\n")
    problems: list[Diagnostic] = []
    front: dict[str, str] = {}
    front_lines: dict[str, int] = {}
    i = 0
    if lines and lines[0].strip() == "---":
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            raw = lines[i]
            if raw.strip() and not raw.lstrip().startswith("#"):
                m = _FRONT_KEY.match(raw)
                if m is None:
                    problems.append(_diag("Q020", "front matter line is not 'key: value'", file, i + 1))
                else:
                    front[m.group(1)] = squash_spaces(m.group(2))
                    front_lines[m.group(1)] = i + 1
            i += 1
        if i >= len(lines):
            problems.append(_diag("Q020", "front matter is not closed by a '---' line", file, 1))
        i += 1
    preamble: list[Block] = []
    bodies: list[Section] = []
    stack: list[Section] = []
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        fence = _FENCE.match(raw)
        if fence:
            marker, lang = fence.group(1), fence.group(2)
            j = i + 1
            while j < len(lines) and not lines[j].startswith(marker[:3]):
                j += 1
            content = lines[i + 1 : j]
            closed = j < len(lines)
            if not closed:
                problems.append(_diag("Q020", "code block is not closed", file, lineno))
            if lang == "quy":
                block = Block(lineno, content, closed)
                (stack[-1].blocks if stack else preamble).append(block)
            i = j + 1
            continue
        heading = _HEADING.match(raw)
        if heading:
            level = len(heading.group(1))
            words = squash_spaces(heading.group(2))
            kind, number, title = _classify(words, level)
            section = Section(kind, number, title, words, lineno, level)
            if kind == "body":
                stack = [section]
                bodies.append(section)
            elif not stack:
                problems.append(_diag("Q020", f"heading '{words}' comes before the first body heading ('# Quyết định', '# Quy chế' …)", file, lineno))
                i += 1
                continue
            else:
                rank = _rank(section)
                while (
                    len(stack) > 1
                    and _rank(stack[-1]) >= rank
                    and not (kind in ("note", "other") and stack[-1].kind in ("note", "other") and stack[-1].level < level)
                ):
                    stack.pop()
                if kind in ("note", "other"):  # a note sits at its heading level
                    while len(stack) > 1 and stack[-1].level >= level:
                        stack.pop()
                section.parent = stack[-1]
                stack[-1].children.append(section)
                stack.append(section)
            i += 1
            continue
        mark = _MARK_LINE.match(raw.strip())
        if raw.lstrip().startswith(">"):
            if not stack:
                problems.append(_diag("Q020", "a mark comes before the first heading", file, lineno))
            elif mark is None:
                problems.append(
                    _diag(
                        "Q021",
                        "a '>' line under a provision must be a mark: '> không phải quy định — CATEGORY: reason'",
                        file,
                        lineno,
                        hint="categories: " + ", ".join(MARK_CATEGORIES),
                    )
                )
            else:
                word = mark.group(1).strip().lower()
                if word not in MARK_CATEGORIES:
                    problems.append(_diag("Q021", f"unknown mark category '{mark.group(1)}'", file, lineno, hint="categories: " + ", ".join(MARK_CATEGORIES)))
                else:
                    stack[-1].marks.append(Mark(MARK_CATEGORIES[word], word, squash_spaces(mark.group(2)), lineno))
            i += 1
            continue
        if raw.strip() and stack:
            stack[-1].paragraphs.append((lineno, squash_spaces(raw)))
        elif raw.strip():
            problems.append(_diag("Q020", "text before the first heading", file, lineno, hint="put the heading block in the front matter"))
        i += 1
    lf = LiterateFile(file, lines, front, front_lines, preamble, bodies, problems)
    _assign_locators(lf)
    return lf


def _rank(section: Section) -> int:
    """Nesting order: body, Chương, Mục (I above I.2 above I.2.a), Điều, khoản, điểm; notes last."""
    if section.kind == "muc":
        return 2 + section.number.count(".")
    return RANK.get(section.kind, 9)


def _assign_locators(lf: LiterateFile) -> None:
    """Locators from the heading path, as the .quy files write them ("Điều 7 khoản 2 điểm c")."""
    main = lf.front.get("main")
    marks: dict[str, Section] = {}
    for body in lf.bodies:
        suffix = "" if (main is None and body is lf.bodies[-1]) or body.heading == main else f" ({body.heading})"
        body.locator = body.heading
        for s in body.walk():
            if s is body:
                continue
            parent = s.parent
            assert parent is not None
            if s.kind == "dieu":
                s.locator = f"Điều {s.number}"
            elif s.kind == "khoan":
                s.locator = f"{parent.locator} khoản {s.number}" if parent.is_provision else f"khoản {s.number}"
            elif s.kind == "diem":
                s.locator = f"{parent.locator} điểm {s.number}" if parent.is_provision else f"điểm {s.number}"
            elif s.kind == "muc":
                s.locator = f"Mục {s.number}"
            elif s.kind == "chuong":
                s.locator = f"Chương {s.number}"
            elif s.kind == "note":
                s.locator = f"chú thích {s.number}"
            else:
                s.locator = s.heading
            twins = [c for c in parent.children[: parent.children.index(s)] if c.kind == s.kind and c.number == s.number]
            if twins and s.kind in ("khoan", "diem"):  # "khoản 7 (lần 2)": the source numbers two clauses 7
                s.locator += f" (lần {len(twins) + 1})"
        for s in body.walk():
            if s.kind in ("dieu", "khoan", "diem", "muc", "chuong", "other"):
                # "[2]", or a number glued to a word: "01 người1." (footnote marks as extracted)
                own = s.text + " " + (s.heading if s.kind == "dieu" else "")
                for n in re.findall(r"\[(\d{1,2})\]|(?<=[^\W\d_])(\d{1,2})(?=[.,;:)])", own):
                    marks.setdefault(n[0] or n[1], s)
        appendix = not any(s.kind in ("dieu", "muc") for s in body.walk())
        for s in body.walk():
            if s is body:
                continue
            if appendix and s.kind == "other":  # an appendix names its parts inside: "Phụ lục (Tổ 2)"
                s.locator = f"{body.heading} ({s.heading})"
                continue
            if s.kind == "other" and s.parent is not None and s.parent.is_provision:
                # A part of a provision that is not one: "Mục V.2.c (bảng, dòng Tổng cộng)".
                s.locator = f"{s.parent.locator} ({s.heading})"
                continue
            if s.kind == "note":
                owner = marks.get(s.number)
                s.locator = f"{owner.locator} (chú thích {s.number})" if owner else f"Chú thích {s.number}"
            # A body other than the main one names itself after the locator: "Điều 2 (Quyết định)".
            if suffix and s.kind != "note":
                s.locator += suffix
            elif suffix and s.kind == "note" and s.locator.startswith("Chú thích"):
                s.locator += suffix


# ---------------------------------------------------------------- the DSL view
@dataclass
class _Token:
    kind: str  # word | string | punct
    value: str
    line: int  # index into the block's lines
    col: int  # 0-based
    end_line: int
    end_col: int  # exclusive


_WORD_RE = re.compile(r"[^\W\d][\w.-]*|\d[\w.:-]*", re.UNICODE)


def _tokens(lines: list[str]) -> Iterator[_Token]:
    """Words, strings and punctuation of a block; comments dropped; strings kept whole."""
    row, col = 0, 0
    while row < len(lines):
        line = lines[row]
        if col >= len(line):
            row, col = row + 1, 0
            continue
        ch = line[col]
        if ch.isspace():
            col += 1
            continue
        if ch == "#":
            row, col = row + 1, 0
            continue
        if line.startswith('"""', col):
            r, c = row, col + 3
            while r < len(lines):
                k = lines[r].find('"""', c)
                if k >= 0:
                    yield _Token("string", "", row, col, r, k + 3)
                    row, col = r, k + 3
                    break
                r, c = r + 1, 0
            else:
                return
            continue
        if ch == '"':
            c = col + 1
            while c < len(line) and line[c] != '"':
                c += 2 if line[c] == "\\" else 1
            yield _Token("string", line[col : c + 1], row, col, row, min(c + 1, len(line)))
            col = c + 1
            continue
        m = _WORD_RE.match(line, col)
        if m:
            yield _Token("word", m.group(0), row, col, row, m.end())
            col = m.end()
            continue
        yield _Token("punct", ch, row, col, row, col + 1)
        col += 1


@dataclass
class _Chunk:
    keyword: str
    tokens: list[_Token]

    @property
    def start(self) -> _Token:
        return self.tokens[0]

    @property
    def end(self) -> _Token:
        return self.tokens[-1]


def _chunks(lines: list[str]) -> list[_Chunk]:
    """Top-level statements of a block: ``rule x { … }`` or a document clause up to the next."""
    out: list[_Chunk] = []
    depth = 0
    for tok in _tokens(lines):
        starts = depth == 0 and tok.kind == "word" and (tok.value in STATEMENTS or tok.value in DOC_CLAUSES)
        if starts and not (out and out[-1].keyword in STATEMENTS and _open(out[-1])):
            out.append(_Chunk(tok.value, [tok]))
        elif out:
            out[-1].tokens.append(tok)
        else:
            out.append(_Chunk("", [tok]))
        if tok.kind == "punct" and tok.value == "{":
            depth += 1
        elif tok.kind == "punct" and tok.value == "}":
            depth = max(0, depth - 1)
    return out


def statement_kinds(section: Section) -> list[str]:
    """The keywords of the statements under a provision: rule, obligation, gap, cites …"""
    return [c.keyword for block in section.blocks for c in _chunks(block.lines) if c.keyword]


def quoted_texts(section: Section) -> list[str]:
    """The excerpts the statements under a provision quote explicitly (``text "…"``)."""
    out: list[str] = []
    for block in section.blocks:
        for chunk in _chunks(block.lines):
            found = _has_field(chunk, "text")
            if found is not None:
                out.append(_string_value(found[1], block.lines))
    return out


def _open(chunk: _Chunk) -> bool:
    opened = sum(1 for t in chunk.tokens if t.kind == "punct" and t.value == "{")
    closed = sum(1 for t in chunk.tokens if t.kind == "punct" and t.value == "}")
    return opened == 0 or opened > closed


def _has_field(chunk: _Chunk, name: str) -> tuple[_Token, _Token] | None:
    """The keyword and string of a ``name "…"`` field at the statement's own level, if any."""
    depth = 0
    toks = chunk.tokens
    for k, t in enumerate(toks):
        if t.kind == "punct" and t.value in "{}":
            depth += 1 if t.value == "{" else -1
        limit = 0 if chunk.keyword in DOC_CLAUSES else 1
        if depth == limit and t.kind == "word" and t.value == name and k + 1 < len(toks) and toks[k + 1].kind == "string":
            return t, toks[k + 1]
    return None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _string_value(tok: _Token, lines: list[str]) -> str:
    if tok.line == tok.end_line:
        raw = lines[tok.line][tok.col : tok.end_col]
    else:
        raw = "\n".join([lines[tok.line][tok.col :], *lines[tok.line + 1 : tok.end_line], lines[tok.end_line][: tok.end_col]])
    if raw.startswith('"""'):
        return squash_spaces(raw[3:-3])
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


def _normal(text: str) -> str:
    return " ".join(nfc(text).replace("**", "").split())


def dsl_view(lf: LiterateFile, probes: list[str] | None = None) -> tuple[str, list[Diagnostic]]:
    """The DSL source of a literate file, with the same lines, and the problems found.

    Each document clause written under a provision is also given, in ``probes``, as a small
    document of its own on its own lines: if the whole view does not parse, the probes say
    whether the error is in a clause, and where in the Markdown file.
    """
    probes = [] if probes is None else probes
    problems = list(lf.problems)
    out = [""] * len(lf.lines)
    doc_end: tuple[int, int] | None = None  # (file line index, column) of the document block's "}"
    additions: list[str] = []
    fields = [("number", "number"), ("title", "title"), ("issuer", "issuer"), ("signer", "signer")]
    for key, name in fields:
        if key in lf.front:
            additions.append(f"{name} {_quote(lf.front[key])}")
    if "signed" in lf.front:
        additions.append(f"signed {lf.front['signed']}")
    if "seed" in lf.front:
        additions.append(f"source {_quote(lf.front['seed'])}")

    def place(block: Block) -> None:
        for k, line in enumerate(block.lines):
            out[block.first - 1 + k] = line

    for block in lf.preamble:
        place(block)
        for chunk in _chunks(block.lines):
            if chunk.keyword == "document" and doc_end is None:
                end = chunk.end
                if end.kind == "punct" and end.value == "}":
                    doc_end = (block.first - 1 + end.line, end.col)
            elif chunk.keyword in STATEMENTS and chunk.keyword not in ("parameter", "event"):
                problems.append(
                    _diag(
                        "Q022",
                        f"{chunk.keyword} outside a provision: put it under the heading of the provision it encodes",
                        lf.file,
                        block.first + chunk.start.line,
                        chunk.start.col + 1,
                    )
                )
    for section in lf.sections():
        for block in section.blocks:
            place(block)
            for chunk in _chunks(block.lines):
                _encode_chunk(lf, section, block, chunk, out, additions, problems, probes)
    main = lf.front.get("main")
    # An article the document block names itself (an untitled Điều given a title) is not named twice.
    declared = {m.group(1) for b in lf.preamble for m in re.finditer(r"^\s*article\s+(\d+)", "\n".join(b.lines), re.MULTILINE)}
    for body in lf.bodies:
        if (main is None and body is lf.bodies[-1]) or body.heading == main:
            for s in body.walk():
                if s.kind == "dieu" and s.title and s.number not in declared:
                    additions.append(f"article {s.number} {_quote(s.title)}")
    if doc_end is not None:
        row, col = doc_end
        out[row] = out[row][:col] + " " + " ".join(additions) + " " + out[row][col:]
    elif any(s.blocks for s in lf.sections()):
        problems.append(_diag("Q022", "no document block: start the file with a ```quy block holding 'document ID { kind … status … }'", lf.file, 1))
    return "\n".join(out), problems


def _encode_chunk(
    lf: LiterateFile, section: Section, block: Block, chunk: _Chunk, out: list[str], additions: list[str], problems: list[Diagnostic], probes: list[str]
) -> None:
    row0 = block.first - 1
    start = chunk.start
    where = (block.first + start.line, start.col + 1)
    if chunk.keyword in ("document", "parameter", "event", ""):
        if chunk.keyword:
            problems.append(
                _diag("Q022", f"{chunk.keyword} under a provision: documents go in the first block, parameters and events in .quy files", lf.file, *where)
            )
        return
    if section.kind == "chuong" or (section.kind == "body" and any(s.kind == "dieu" for s in section.walk())):
        problems.append(_diag("Q022", f"{chunk.keyword} under '{section.heading}': put it under the Điều, khoản or điểm it encodes", lf.file, *where))
        return
    found_at = _has_field(chunk, "at")
    if found_at is not None:
        at = found_at[1]
        problems.append(
            _diag(
                "Q023",
                "a literate file writes no 'at': the locator is the heading path",
                lf.file,
                block.first + at.line,
                at.col + 1,
                hint=f"this provision's locator is “{section.locator}”",
            )
        )
        return
    found_text = _has_field(chunk, "text")
    quoted = found_text[1] if found_text else None
    provenance = f"at {_quote(section.locator)}"
    if quoted is None:
        if not section.text:
            problems.append(_diag("Q024", f"'{section.heading}' has no text of its own to quote: give an excerpt with text \"…\"", lf.file, *where))
            return
        provenance += f" text {_quote(section.text)}"
    else:
        excerpt = _string_value(quoted, block.lines)
        # A part of a provision (a table's row, a footnote) may quote across the provision's text.
        scope = section
        while scope.kind in ("other", "note") and scope.parent is not None and scope.parent.is_provision:
            scope = scope.parent
        if _normal(excerpt) not in _normal(section.full_text()) and _normal(excerpt) not in _normal(scope.full_text()):
            problems.append(
                _diag(
                    "Q024",
                    f"the quoted text is not in {section.locator}: “{excerpt[:60]}…”",
                    lf.file,
                    block.first + quoted.line,
                    quoted.col + 1,
                    hint="quote the provision word for word",
                )
            )
            return
    if chunk.keyword in DOC_CLAUSES:
        # Checked on its own lines first, so that a syntax error points here, then joined to the document.
        pad = [""] * len(lf.lines)
        for k, line in enumerate(block.lines):
            pad[row0 + k] = line
        s_row, s_col = row0 + start.line, start.col
        e_row, e_col = row0 + chunk.end.line, chunk.end.end_col
        clause_lines = pad[s_row : e_row + 1]
        clause_lines[-1] = clause_lines[-1][:e_col]
        clause_lines[0] = " " * s_col + clause_lines[0][s_col:]
        probe = [""] * len(lf.lines)
        probe[s_row : e_row + 1] = clause_lines
        if quoted is None:
            probe[e_row] += " " + provenance
        elif found_text is not None:
            word = found_text[0]
            q_row = row0 + word.line
            probe[q_row] = probe[q_row][: word.col] + provenance + " " + probe[q_row][word.col :]
        probe[0] = "document _literate_clause { " + probe[0]
        probe[-1] += " }"
        probes.append("\n".join(probe))  # parsed only if the whole file fails, to place the error here
        joined = " ".join(_strip_comment(line) for line in probe[s_row : e_row + 1]).strip()
        additions.append(joined)
        for r in range(s_row, e_row + 1):  # the clause now lives in the document block
            line = out[r]
            lo = s_col if r == s_row else 0
            hi = e_col if r == e_row else len(line)
            out[r] = line[:lo] + " " * (hi - lo) + line[hi:]
        return
    end = chunk.end
    if not (end.kind == "punct" and end.value == "}"):
        return  # unbalanced: the parser reports it
    row = row0 + end.line
    out[row] = out[row][: end.col] + provenance + " " + out[row][end.col :]


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (outside strings)."""
    in_string = False
    k = 0
    while k < len(line):
        ch = line[k]
        if ch == "\\" and in_string:
            k += 2
            continue
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            return line[:k]
        k += 1
    return line


# ---------------------------------------------------------------- parsing
def parse_literate(text: str, file: str = "<string>") -> ast.Module:
    """Parse a literate file into an :class:`engine.ast.Module`; raise RegulationError on errors."""
    lf = read_literate(text, file)
    probes: list[str] = []
    source, problems = dsl_view(lf, probes)
    if problems:
        raise RegulationError(problems)
    try:
        return parse_text(source, file)
    except RegulationError as whole:
        for probe in probes:  # an error in a clause moved to the document block: say where it was written
            try:
                parse_text(probe, file)
            except RegulationError as err:
                raise RegulationError(err.diagnostics) from None
        raise whole from None


def parse_literate_file(path: str | Path, display: str | None = None) -> ast.Module:
    path = Path(path)
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegulationError([Diagnostic("Q002", f"cannot read {shown}: {exc}", file=shown)]) from None
    return parse_literate(text, shown)


def parse_regulation_file(path: str | Path, display: str | None = None) -> ast.Module:
    """A regulation file of either form: literate (.md) or plain DSL (.quy)."""
    from engine.parser import parse_file

    return parse_literate_file(path, display) if is_literate(path) else parse_file(path, display)


def is_literate_regulation(path: str | Path) -> bool:
    """Whether a .md file is a literate regulation (a ```quy block holding its document) rather than prose."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return is_literate(path) and re.search(r"^```quy\s*\n\s*document\s", text, re.MULTILINE) is not None
