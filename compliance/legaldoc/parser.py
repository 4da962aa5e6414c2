"""Text of a Vietnamese legal document → :class:`LegalDocument`.

Three passes. Lines are cleaned (Markdown and HTML markup dropped, page numbers skipped, columns
kept). Cleaned lines are joined into paragraphs where the extraction broke a sentence (a line
that does not end a sentence, followed by one that does not start a structural unit). The
paragraphs are then read in order into the heading block, the căn cứ list, bodies (the decision
and each attached regulation or appendix, each numbered on its own) of Phần / Chương / Mục /
Điều / khoản / điểm, tables, footnotes, Nơi nhận and the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from compliance.legaldoc.citations import find_citations, parse_date
from compliance.legaldoc.model import Heading, LegalDocument, Node, Paragraph, Position, Table
from engine.text import nfc

__all__ = ["DIEM_LETTERS", "parse", "roman_value"]

# Vietnamese điểm letters in order: no f, j, w, z; đ after d.
DIEM_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()

_MARKUP = re.compile(r"</?[A-Za-z]+\s*/?>|\*\*|^\s*#{1,6}\s+|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_COLUMNS = re.compile(r"\t+|\s{6,}")
_PAGE = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^Trang\s+\d+(?:\s*/\s*\d+)?$|^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.IGNORECASE)

_PHAN = re.compile(r"^(?:PHẦN|Phần)\s+(THỨ\s+\w+|thứ\s+\w+|[IVXLC]+|\d+)\b[.:]?\s*(.*)$")
_CHUONG = re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$")
_MUC = re.compile(r"^(?:MỤC|Mục)\s+(\d+)\s*[.:]\s*(.*)$")
_DIEU = re.compile(r"^(?:ĐIỀU|Điều)\s+(\d+)\s*[.:]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\s*[.)]\s+(?=\S)(.*)$")
_LETTERED = re.compile(r"^([a-zđ])\)\s*(.*)$")
_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(.*)$")
_BULLET = re.compile(r"^[-–+•]\s*(?=\S)")
_BASIS = re.compile(r"^(?:[-–+]\s*)?(?:Căn cứ|Theo đề nghị|Xét đề nghị|Thực hiện)\b")
_RECIPIENTS = re.compile(r"^Nơi nhận\b", re.IGNORECASE)
_ADDRESSEE = re.compile(r"^Kính gửi\s*:?\s*(.*)$", re.IGNORECASE)
_ANNEX = re.compile(r"^\(\s*(?:Ban hành\s+|Đính\s+)?kèm theo\s+(.*?)\)?\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"\bSố\s*:\s*(\S.*?)\s*$")
_PLACE_DATE = re.compile(r"^(.{2,40}?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_FIGURE = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:,\d+)?$|^\d+$")
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_])(\d{1,2})(?=[.,;:)]|\s*$)|\[(\d{1,2})\]")

KINDS = (
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "TỜ TRÌNH",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "KẾ HOẠCH",
    "BÁO CÁO",
    "CHỈ THỊ",
    "CÔNG VĂN",
    "ĐỀ ÁN",
    "PHỤ LỤC",
    "HƯỚNG DẪN",
)
_STANDALONE_CAPS = ("CỘNG HÒA", "CỘNG HOÀ", "DỰ THẢO", "QUYẾT ĐỊNH", "TM.", "KT.", "Q.", "TL.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "ỦY BAN", "UỶ BAN", "HỘI ĐỒNG")
# Words after which a phrase cannot end: a heading broken after one of them continues.
# "Phần thứ nhất", "Phần thứ tư": the ordinal words of Vietnamese.
_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_TERRITORIES = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")
_CONNECTORS = {"của", "và", "về", "với", "các", "trong", "cho", "đến", "tại", "theo", "thuộc", "trên", "những", "hoặc", "để", "từ", "là", "việc", "đối", "giữa"}


@dataclass
class _Piece:
    text: str
    where: list[Position]


def roman_value(text: str) -> int:
    """XIV → 14; 0 when not a Roman numeral."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        if ch not in values:
            return 0
        v = values[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _clean(raw: str, lineno: int) -> list[_Piece]:
    """The line without markup, split into columns; each character keeps its file column."""
    kept: list[tuple[str, int]] = []
    pos = 0
    for m in _MARKUP.finditer(raw):
        kept.extend((raw[i], i + 1) for i in range(pos, m.start()))
        pos = m.end()
    kept.extend((raw[i], i + 1) for i in range(pos, len(raw)))
    text = "".join(c for c, _ in kept)
    pieces: list[_Piece] = []
    start = 0
    splits = [] if _is_table_line(text) else list(_COLUMNS.finditer(text))  # a table row is kept whole
    for part in [*splits, None]:
        end = part.start() if part else len(text)
        chunk = kept[start:end]
        while chunk and chunk[0][0].isspace():
            chunk = chunk[1:]
        while chunk and chunk[-1][0].isspace():
            chunk = chunk[:-1]
        if chunk:
            pieces.append(_Piece("".join(c for c, _ in chunk), [Position(lineno, col) for _, col in chunk]))
        if part is None:
            break
        start = part.end()
    return pieces


def _is_table_line(text: str) -> bool:
    """A row of a table: cells separated by two tabs or more, or a Markdown row ``| a | b |``."""
    stripped = text.strip()
    return stripped.count("\t") >= 2 or (stripped.startswith("|") and stripped.count("|") >= 3)


def _cells(text: str) -> list[str]:
    if text.strip().startswith("|"):
        return [c.strip() for c in text.strip().strip("|").split("|")]
    return [c.strip() for c in text.split("\t")]


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _is_row(text: str) -> bool:
    """A table row: figures on one line ("19 2.235.000 42.465.000"), a label allowed before them."""
    tokens = text.replace(":", " ").split()
    figures = [t for t in tokens if _FIGURE.match(t)]
    if len(figures) < 2:
        return False
    tail = 0
    for t in reversed(tokens):
        if not _FIGURE.match(t):
            break
        tail += 1
    return tail >= 2 and tail == len(figures) and not _NUMBERED.match(text)


def _starts_unit(text: str) -> bool:
    return bool(
        _PHAN.match(text)
        or _CHUONG.match(text)
        or _MUC.match(text)
        or _DIEU.match(text)
        or _NUMBERED.match(text)
        or _LETTERED.match(text)
        or _ROMAN.match(text)
        or _BULLET.match(text)
        or _BASIS.match(text)
        or _RECIPIENTS.match(text)
        or _ADDRESSEE.match(text)
        or _ANNEX.match(text)
        or _PLACE_DATE.match(text)
        or _NUMBER.search(text)
        or text.startswith("Độc lập")
        or _is_row(text)
    )


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":", "!", "?", "./.", ".”", ";”"))


def _is_heading(text: str) -> bool:
    if _DIEU.match(text):
        return not _ends_sentence(text)
    return bool(_CHUONG.match(text) or _PHAN.match(text) or _MUC.match(text) or _ROMAN.match(text) or _is_caps(text))


def _joins(prev: str, text: str) -> bool:
    """Whether ``text`` continues the paragraph ``prev`` (a sentence the extraction broke)."""
    if _starts_unit(text) or _is_row(prev) or "\t" in prev or _is_table_line(prev) or _is_table_line(text):
        return False
    if _is_caps(text) and (text.startswith(_STANDALONE_CAPS) or text.startswith(KINDS) or not _is_caps(prev)):
        return False
    if _is_caps(prev):
        if prev.startswith(_STANDALONE_CAPS) and not prev.startswith(("ỦY BAN", "UỶ BAN", "HỘI ĐỒNG")) or (prev.startswith(KINDS) and len(prev) <= 25):
            return False
        return _is_caps(text) or text[:1].islower()
    if _ends_sentence(prev):
        return False
    if _is_heading(prev):
        last = prev.split()[-1].lower() if prev.split() else ""
        return text[:1].islower() or last in _CONNECTORS
    return True


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    pieces: list[_Piece] = []
    for n, raw in enumerate(lines, start=1):
        for piece in _clean(raw, n):
            if _PAGE.match(piece.text) and len(_clean(raw, n)) == 1:
                continue
            pieces.append(piece)
    out: list[Paragraph] = []
    for piece in pieces:
        if out and _joins(out[-1].text, piece.text):
            last = out[-1]
            glue = last.where[-1]
            last.text += " " + piece.text
            last.where.extend([Position(glue.line, glue.column + 1), *piece.where])
        else:
            out.append(Paragraph(piece.text, list(piece.where), len(out)))
    return out


class _Builder:
    """Reads paragraphs in order into bodies of nested nodes."""

    LEVEL = {"phan": 0, "chuong": 1, "muc": 2, "dieu": 3, "khoan": 4, "diem": 5}

    def __init__(self) -> None:
        self.bodies: list[Node] = []
        self.stack: list[Node] = []
        self.footnote_marks: set[int] = set()
        self.footnotes: list[Paragraph] = []
        self.new_body("decision", "", None)

    def new_body(self, name: str, label: str, paragraph: Paragraph | None) -> None:
        body = Node("body", name, len(self.bodies), label or None, paragraph, label, body=name)
        self.bodies.append(body)
        self.stack = [body]

    @property
    def body(self) -> Node:
        return self.bodies[-1]

    def has_articles(self) -> bool:
        return any(n.kind == "dieu" for n in self.body.walk())

    def _locator(self, kind: str, number: str, parent: Node, occurrence: int) -> str:
        word = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "dieu": "Điều", "khoan": "khoản", "diem": "điểm"}.get(kind, "")
        own = f"{word} {number}" if word else number
        if occurrence > 1:
            own += f" (lần {occurrence})"
        if kind == "section":
            base = parent.locator if parent.kind == "section" else ""
            dotted = f"{base}.{number}" if base else f"Mục {number}"
            return dotted + (f" (lần {occurrence})" if occurrence > 1 else "")
        if kind in ("khoan", "diem"):
            return f"{parent.locator} {own}"
        prefix = self.body.title
        if kind == "dieu" and prefix:
            return f"{prefix}, {own}"
        if kind in ("chuong", "phan", "muc") and prefix:
            return f"{prefix}, {own}"
        return own

    def open(self, kind: str, number: str, value: int, title: str | None, paragraph: Paragraph) -> Node:
        level = self.LEVEL.get(kind, 3)
        if kind == "section":
            while len(self.stack) > 1 and (self.stack[-1].kind != "section" or _rank(self.stack[-1].value) >= _rank(value)):
                self.stack.pop()
        else:
            while len(self.stack) > 1 and self.LEVEL.get(self.stack[-1].kind, 9) >= level:
                self.stack.pop()
        parent = self.stack[-1]
        occurrence = 1 + sum(1 for c in parent.children if c.kind == kind and c.number == number)
        if kind in ("dieu", "chuong", "phan"):  # numbered across the body, not within the parent
            occurrence = 1 + sum(1 for n in self.body.walk() if n.kind == kind and n.number == number)
        node = Node(kind, number, value, title, paragraph, self._locator(kind, number, parent, occurrence), occurrence, body=self.body.number)
        parent.children.append(node)
        self.stack.append(node)
        return node

    def inside(self, kind: str) -> Node | None:
        return next((n for n in reversed(self.stack) if n.kind == kind), None)

    def add_text(self, paragraph: Paragraph) -> None:
        self.stack[-1].paragraphs.append(paragraph)


def parse(text: str, name: str = "-") -> LegalDocument:
    """Parse the document ``text`` (shown as ``name`` in findings)."""
    lines = nfc(text).split("\n")
    paragraphs = _paragraphs(lines)
    heading = Heading()
    basis: list[Paragraph] = []
    tables: list[Table] = []
    annex_refs: list[tuple[str, date | None]] = []
    b = _Builder()
    for p in paragraphs:
        for mark in _FOOTNOTE_MARK.finditer(p.text):
            b.footnote_marks.add(int(mark.group(1) or mark.group(2)))
    zones: dict[int, str] = {}
    zone = "head"  # head → body → recipients → signature → head (of an annex) …
    pending_title: Node | None = None
    last_text: Paragraph | None = None  # the last paragraph of the body's text (not a footnote)
    last_row: int | None = None
    for i, p in enumerate(paragraphs):
        t = p.text
        caps = _is_caps(t)
        kind_word = next((k for k in KINDS if t.rstrip(":. ").startswith(k) and len(t) <= len(k) + 20 and caps), None)
        if pending_title is not None:
            if caps and not _DIEU.match(t) and not _CHUONG.match(t) and not _PHAN.match(t):
                pending_title.title = t if pending_title.title is None else f"{pending_title.title} {t}"
                pending_title.paragraphs.append(p)
                continue
            pending_title = None
        if "CỘNG HÒA XÃ HỘI" in t.upper() or t.startswith("Độc lập"):
            heading.national_motto = True
            continue
        if t.upper().startswith("DỰ THẢO"):
            heading.draft = True
            continue
        if zone == "head" or zone == "signature":
            number = _NUMBER.search(t)
            if number and heading.number is None:
                heading.number = re.sub(r"\s+", "", number.group(1))
                continue
            m = _PLACE_DATE.match(t)
            if m and heading.date is None:
                heading.place = m.group(1).strip()
                heading.date = parse_date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
                continue
        if kind_word and (zone == "head" or (zone in ("signature", "recipients") or b.has_articles())):
            if b.has_articles() or zone in ("signature", "recipients"):
                b.new_body("annex", kind_word.capitalize(), p)
            if heading.kind is None:
                heading.kind = kind_word
            elif zone == "body" and t.rstrip().endswith(":"):
                pass
            zone = "title"
            if t.rstrip().endswith(":") and heading.kind == kind_word and b.body.number == "decision":
                zone = "body"  # "QUYẾT ĐỊNH:": the decision's articles follow
            continue
        if zone == "title":
            if caps and (t.startswith(("CHỦ TỊCH", "ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "BỘ TRƯỞNG", "THỦ TƯỚNG", "GIÁM ĐỐC"))):
                heading.authority = heading.authority or t
                zone = "head"
                continue
            if not _starts_unit(t) and not _CHUONG.match(t) and "\t" not in t and not _is_table_line(t):
                if b.body.number == "decision" and heading.summary is None:
                    heading.summary = t
                elif b.body.paragraph is not None:
                    b.body.paragraphs.append(p)
                continue
            zone = "head" if b.body.number == "decision" else "body"
        m = _ADDRESSEE.match(t)
        if m:
            heading.addressee = m.group(1) or None
            zone = "body"
            continue
        if zone == "head" and caps and heading.issuer is None and t.startswith(("ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "BỘ ", "SỞ ")):
            heading.issuer = t
            continue
        if zone == "head" and caps and heading.issuer and heading.issuer.endswith("NHÂN DÂN") and t.startswith(_TERRITORIES):
            heading.issuer += " " + t  # the issuer's second line, after the Quốc hiệu in the other column
            continue
        m = _ANNEX.match(t)
        if m:
            annex_refs.append((m.group(1), _first_date(m.group(1))))
            zone = "body"
            continue
        if _BASIS.match(t) and zone in ("head", "body") and not b.has_articles() and b.inside("section") is None:
            basis.append(p)
            zones[p.index] = "Căn cứ"
            continue
        if _RECIPIENTS.match(t):
            zones[p.index] = "Nơi nhận"
            zone = "recipients"
            rest = t.split(":", 1)[1].strip() if ":" in t else ""
            if rest:
                heading.recipients.append(rest)
            continue
        if zone == "recipients":
            if _BULLET.match(t):
                heading.recipients.append(_BULLET.sub("", t))
                zones[p.index] = "Nơi nhận"
                continue
            zone = "signature"
        if zone == "signature":
            signed = any(not _is_caps(x) for x in heading.signature)
            if caps and signed and t.startswith(("ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "BỘ ", "SỞ ")):
                zone = "head"  # after the signer's name: the heading of an attached regulation
                continue
            if caps or len(t.split()) <= 5:
                heading.signature.append(t)
                continue
            zone = "body"
        if _is_row(t) or "\t" in t or _is_table_line(t):
            cells = _cells(t) if "\t" in t or _is_table_line(t) else t.replace(":", " ").split()
            if last_row is not None and i - last_row <= 3 and tables:
                tables[-1].rows.append((p, cells))
            else:
                header = paragraphs[i - 1].text if i > 0 else ""
                for back in range(i - 1, max(-1, i - 3), -1):  # the header is the last sentence-less text before
                    if _ends_sentence(paragraphs[back].text):
                        break
                    header = paragraphs[back].text
                tables.append(Table([(p, cells)], header, b.stack[-1].locator if len(b.stack) > 1 else (b.body.title or (heading.kind or "").capitalize())))
            last_row = i
            continue
        if zone in ("head", "title") and re.match(r"^(?:QUYẾT NGHỊ|QUYẾT ĐỊNH|NGHỊ QUYẾT|BAN HÀNH KÈM THEO)\s*:", t):
            zone = "body"  # the operative part begins
            continue
        zone = "body" if zone in ("head", "title") and (_DIEU.match(t) or _CHUONG.match(t) or _ROMAN.match(t) or _PHAN.match(t)) else zone
        if zone != "body":
            if caps and heading.authority is None and t.startswith(("CHỦ TỊCH", "BỘ TRƯỞNG", "THỦ TƯỚNG", "GIÁM ĐỐC")):
                heading.authority = t
            elif caps and heading.issuer is None and t.startswith(("ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "BỘ ", "SỞ ")):
                heading.issuer = t
            continue
        if t[:1].islower() and b.footnotes and i > 0 and paragraphs[i - 1] is b.footnotes[-1] and last_text is not None and not _ends_sentence(last_text.text):
            # The sentence a page break cut, resumed after the page's footnotes.
            glue = last_text.where[-1]
            last_text.text += " " + t
            last_text.where.extend([Position(glue.line, glue.column + 1), *p.where])
            continue
        _structure(b, p, t)
        last_text = p if not b.footnotes or b.footnotes[-1] is not p else last_text
        if b.stack[-1].kind in ("chuong", "phan") and b.stack[-1].title is None:
            pending_title = b.stack[-1]
    citations = find_citations(paragraphs, {id(p) for p in basis})
    for body in b.bodies:  # the paragraphs of an annex's title and its tables belong to the annex
        for q in ([body.paragraph] if body.paragraph else []) + body.paragraphs:
            zones.setdefault(q.index, body.title or "")
    for table in tables:
        for q, _ in table.rows:
            zones.setdefault(q.index, table.locator)
    kept = [x for x in b.bodies if x.children or x.paragraphs]
    return LegalDocument(name, lines, paragraphs, heading, kept, basis, tables, b.footnotes, citations, annex_refs, zones)


def _first_date(text: str) -> date | None:
    m = re.search(r"ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", text)
    return parse_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _structure(b: _Builder, p: Paragraph, t: str) -> None:
    """Place one body paragraph: open the unit it starts, or add it to the open unit's text."""
    m = _PHAN.match(t)
    if m:
        number = m.group(1)
        value = roman_value(number) or _int(number) or _ORDINALS.get(number.lower().split()[-1], 0)
        b.open("phan", number, value, m.group(2).strip() or None, p)
        return
    m = _CHUONG.match(t)
    if m:
        title = m.group(2).strip() or None
        b.open("chuong", m.group(1).upper(), roman_value(m.group(1)) or _int(m.group(1)), title, p)
        return
    m = _MUC.match(t)
    if m:
        b.open("muc", m.group(1), int(m.group(1)), m.group(2).strip() or None, p)
        return
    m = _DIEU.match(t)
    if m:
        rest = m.group(2).strip()
        inline = bool(rest) and (_ends_sentence(rest) or len(rest.split()) > 60)
        node = b.open("dieu", m.group(1), int(m.group(1)), None if inline or not rest else rest, p)
        node.inline_text = rest if inline else None
        return
    dieu = b.inside("dieu")
    m = _NUMBERED.match(t)
    if m:
        value = int(m.group(1))
        if dieu is not None:
            b.open("khoan", m.group(1), value, None, p)
            return
        parent = next((n for n in reversed(b.stack) if n.kind == "section" and _rank(n.value) == 1), b.body)
        siblings = [c for c in parent.children if c.kind == "section" and _rank(c.value) == 2]
        last = siblings[-1].value if siblings else 0
        # A footnote: a number marked in the text ("người1.") that restarts the list it falls in.
        if value in b.footnote_marks and (value == len(b.footnotes) + 1) and (b.footnotes or value <= last):
            b.footnotes.append(p)
            return
        b.open("section", m.group(1), value, None, p)
        return
    m = _ROMAN.match(t)
    if m and dieu is None and roman_value(m.group(1)):
        while len(b.stack) > 1:
            b.stack.pop()
        b.open("section", m.group(1), 1000 + roman_value(m.group(1)), m.group(2).strip() or None, p)
        return
    m = _LETTERED.match(t)
    if m:
        letter = m.group(1)
        value = DIEM_LETTERS.index(letter) + 1 if letter in DIEM_LETTERS else 0
        if dieu is not None:
            b.open("diem", letter, value, None, p)
        else:
            b.open("section", letter, 500 + value, None, p)
        return
    b.add_text(p)


def _rank(value: int) -> int:
    """Tờ trình sections: I. (1) above 1. (2) above a) (3)."""
    return 1 if value >= 1000 else 3 if value >= 500 else 2


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
