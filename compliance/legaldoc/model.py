"""The parsed document: paragraphs with file positions, structural nodes, tables, citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Position:
    """A place in the reviewed file: 1-based line and column (Unicode code points)."""

    line: int
    column: int


@dataclass
class Paragraph:
    """One logical paragraph: broken lines joined, markup removed; ``where[i]`` is char i's place."""

    text: str
    where: list[Position]
    index: int = 0

    @property
    def line(self) -> int:
        return self.where[0].line if self.where else 0

    @property
    def end_line(self) -> int:
        return self.where[-1].line if self.where else 0

    def at(self, offset: int) -> Position:
        """The file position of character ``offset`` (clamped to the paragraph)."""
        if not self.where:
            return Position(1, 1)
        return self.where[max(0, min(offset, len(self.where) - 1))]

    def end(self, offset: int) -> Position:
        """The position just after character ``offset - 1`` (an exclusive end)."""
        p = self.at(offset - 1)
        return Position(p.line, p.column + 1)


@dataclass
class Node:
    """A structural unit: part, chapter, section, article, clause, point, item.

    ``number`` is the number as written ("7", "II", "đ"); ``value`` its order (7, 2, 6);
    ``occurrence`` counts earlier siblings with the same number (khoản 7 (lần 2) has 2).
    """

    kind: str  # body | phan | chuong | muc | dieu | khoan | diem | section
    number: str
    value: int
    title: str | None
    paragraph: Paragraph | None
    locator: str
    occurrence: int = 1
    children: list[Node] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)  # own text, after the heading
    body: str = ""  # the body this node belongs to: "decision", "annex" …
    inline_text: str | None = None  # an Điều whose text follows its number on the same line

    @property
    def line(self) -> int:
        return self.paragraph.line if self.paragraph else (self.paragraphs[0].line if self.paragraphs else 0)

    @property
    def end_line(self) -> int:
        last = self.line
        for p in self.paragraphs:
            last = max(last, p.end_line)
        for c in self.children:
            last = max(last, c.end_line)
        return last

    def walk(self) -> list[Node]:
        out: list[Node] = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def all_paragraphs(self) -> list[Paragraph]:
        out = ([self.paragraph] if self.paragraph else []) + list(self.paragraphs)
        for c in self.children:
            out.extend(c.all_paragraphs())
        return sorted(out, key=lambda p: p.index)


@dataclass
class Table:
    """Rows of cells as read (tab-separated, or figures on one line); ``label`` the text before."""

    rows: list[tuple[Paragraph, list[str]]]
    header: str
    locator: str


@dataclass
class Citation:
    """A cited instrument: type, number/symbol, date, issuer, where it is cited."""

    kind: str
    symbol: str
    raw_symbol: str
    date: date | None
    year: int | None
    issuer: str | None
    paragraph: Paragraph
    start: int
    end: int
    in_basis: bool  # in the căn cứ (legal-basis) list

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.lower(), self.symbol.upper())


@dataclass
class Heading:
    """The heading block: Quốc hiệu, issuer, số/ký hiệu, place and date, type, trích yếu, signer."""

    national_motto: bool = False
    issuer: str | None = None
    number: str | None = None
    place: str | None = None
    date: date | None = None
    kind: str | None = None
    summary: str | None = None
    authority: str | None = None  # "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN": who decides
    draft: bool = False
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    addressee: str | None = None  # Kính gửi


@dataclass
class LegalDocument:
    """Everything the parser read from one file."""

    name: str
    lines: list[str]
    paragraphs: list[Paragraph]
    heading: Heading
    bodies: list[Node]
    basis: list[Paragraph]
    tables: list[Table]
    footnotes: list[Paragraph]
    citations: list[Citation]
    annex_refs: list[tuple[str, date | None]]  # "(Kèm theo Quyết định số … ngày …)"
    zones: dict[int, str] = field(default_factory=dict)  # paragraph index → the part it is in, as the text names it

    def nodes(self) -> list[Node]:
        out: list[Node] = []
        for b in self.bodies:
            out.extend(b.walk())
        return out

    def locate(self, paragraph: Paragraph) -> str:
        """The locator of the innermost node that owns ``paragraph``, or the heading's."""
        best: Node | None = None
        for node in self.nodes():
            if node.kind == "body":
                continue
            if node.paragraph is paragraph or any(p is paragraph for p in node.paragraphs):
                best = node
        if best is not None:
            return best.locator
        if paragraph.index in self.zones:
            return self.zones[paragraph.index]
        return (self.heading.kind or "").capitalize() or self.name
