"""Cited instruments in running text: "Quyết định số 1316/QĐ-UBND ngày 17/6/2020 của UBND tỉnh".

A citation is a type word, a number/symbol (số ký hiệu), and optionally a date and an issuer
("của …"), in either order ("của UBND tỉnh ngày 17/6/2020"). The symbol is kept as written
(``raw_symbol``) and normalised (``symbol``: spaces dropped) so that a malformed one can be
reported and the same instrument recognised however it is spaced.
"""

from __future__ import annotations

import re
from datetime import date

from compliance.legaldoc.model import Citation, Paragraph

__all__ = ["TYPE_ABBREVIATIONS", "find_citations", "parse_date"]

# Type word → the abbreviation its số ký hiệu carries (Nghị định 30/2020/NĐ-CP, Phụ lục I).
TYPE_ABBREVIATIONS = {
    "Luật": "QH",
    "Bộ luật": "QH",
    "Pháp lệnh": "UBTVQH",
    "Nghị quyết": "NQ",
    "Nghị định": "NĐ",
    "Quyết định": "QĐ",
    "Thông tư": "TT",
    "Thông tư liên tịch": "TTLT",
    "Chỉ thị": "CT",
    "Kế hoạch": "KH",
    "Tờ trình": "TTr",
    "Báo cáo": "BC",
    "Văn bản hợp nhất": "VBHN",
    "Hướng dẫn": "HD",
    "Kết luận": "KL",
    "Thông báo": "TB",
    "Công văn": "",
}
_TYPES = "|".join(sorted((re.escape(t) for t in TYPE_ABBREVIATIONS), key=len, reverse=True))
_DATE = r"ngày\s+(?P<{n}d>\d{{1,2}})\s*(?:/|-|\s+tháng\s+)\s*(?P<{n}m>\d{{1,2}})\s*(?:/|-|\s+năm\s+)\s*(?P<{n}y>\d{{4}})"
# What ends an issuer's name: a date, the subject ("về …", "quy định …"), punctuation.
_AFTER_ISSUER = r"(?:ngày|về|quy định|ban hành|phê duyệt|hướng dẫn|thực hiện|v/v)\b"
_ISSUER = r"của\s+(?P<{n}i>(?:(?!\s" + _AFTER_ISSUER + r")[^;,.()])+?)(?=\s+" + _AFTER_ISSUER + r"|[;,.()]|$)"
CITATION = re.compile(
    rf"(?<![\w])(?P<kind>{_TYPES})\s+(?:số\s*)?(?P<symbol>\d+[\d.]*\s*(?:[/-]\s*[\wĐđ&.]+(?:\s*-\s*[A-ZĐ][\wĐđ&]*)*)+)"
    rf"(?:\s*,?\s*{_DATE.format(n='a')}|\s+{_ISSUER.format(n='a')}\s+{_DATE.format(n='b')})?"
    rf"(?:\s+{_ISSUER.format(n='b')})?"
)
_LAW_YEAR = re.compile(r"(?<![\w])(?P<kind>Luật|Bộ luật)\s+(?P<name>[A-ZĐ][^;,.]*?)\s+(?:ngày\s+[\d/ thángnăm]+?)?năm\s+(?P<year>\d{4})")


def parse_date(day: int, month: int, year: int) -> date | None:
    """A calendar date, or None when the text's figures name none (31/2)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_citations(paragraphs: list[Paragraph], basis: set[int]) -> list[Citation]:
    """Every citation with a number, in reading order."""
    out: list[Citation] = []
    for p in paragraphs:
        for m in CITATION.finditer(p.text):
            raw = m.group("symbol").rstrip(".-")
            day, month, year = (m.group("ad") or m.group("bd")), (m.group("am") or m.group("bm")), (m.group("ay") or m.group("by"))
            when = parse_date(int(day), int(month), int(year)) if day and month and year else None
            issuer = m.group("ai") or m.group("bi")
            symbol = re.sub(r"\s+", "", raw)
            yr = re.search(r"/(\d{4})/", symbol)
            out.append(
                Citation(
                    kind=m.group("kind"),
                    symbol=symbol,
                    raw_symbol=raw,
                    date=when,
                    year=int(yr.group(1)) if yr else (when.year if when else None),
                    issuer=issuer.strip() if issuer else None,
                    paragraph=p,
                    start=m.start(),
                    end=m.start("symbol") + len(raw),
                    in_basis=id(p) in basis,
                )
            )
    return out
