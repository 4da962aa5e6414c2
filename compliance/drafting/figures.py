"""Stated arithmetic recomputed: in tables, count × rate = month, month × 12 = year, rows add up to
the total; a rate stated as a coefficient × lương cơ sở; and in prose, "N công chức … X/tháng"
against the document's own monthly rate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from compliance.drafting.finding import Finding
from compliance.legaldoc import LegalDocument, Paragraph, Table
from engine import Program
from engine.message import Message, Money, msg

__all__ = ["BASE_SALARY", "check_figures", "figure"]

# The rule program's parameter for lương cơ sở (regulations/parameters/luong-co-so.quy).
BASE_SALARY = "luong_co_so"

_FIG = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)|(?<![\d.,])\d+(?:,\d+)?(?![\d.,]*\d)")
_COEF = re.compile(r"(?:Hệ số(?: chi)?|hệ số)\s*(\d+(?:,\d+)?)")
_PROSE = re.compile(r"(?P<n>\d+)\s+(?:công chức|người|cán bộ|định suất)\b[^.;]*?(?P<x>\d{1,3}(?:\.\d{3})+)\s*(?:đồng\s*)?/\s*(?P<per>tháng|năm)")


def figure(text: str) -> Decimal | None:
    """1.233.720.000 → 1233720000; 1,5 → 1.5."""
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _span(p: Paragraph, text: str) -> tuple[int, int]:
    i = p.text.find(text)
    return (i, i + len(text)) if i >= 0 else (0, len(p.text))


def _is_total(p: Paragraph) -> bool:
    """A total row: "Tổng cộng", "Cộng" in its first cell (of a tab or Markdown table)."""
    return p.text.lstrip("| \t").lower().startswith(("tổng", "cộng"))


def _row_figures(p: Paragraph) -> list[tuple[Decimal, str]]:
    out = []
    for m in _FIG.finditer(p.text):
        value = figure(m.group(0))
        if value is not None:
            out.append((value, m.group(0)))
    return out


def _whole(value: Decimal) -> Decimal:
    """1170000.0 → 1170000: figures are shown as the text writes them."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _mismatch(p: Paragraph, locator: str, shown: str, stated: Decimal, computed: Decimal, how: Message) -> Finding:
    start, end = _span(p, shown)
    return Finding(
        "figure-mismatch",
        "error",
        locator,
        p,
        start,
        end,
        msg("drafting.figures.mismatch", stated=_whole(stated), computed=_whole(computed), how=how),
        msg("drafting.figures.mismatch_fix", computed=_whole(computed)),
        expected=str(_whole(computed)),
        actual=str(_whole(stated)),
    )


def _product(a: Decimal, b: Decimal) -> Message:
    return msg("drafting.figures.product", a=_whole(a), b=_whole(b))


def _table(t: Table, base: list[tuple[date, Decimal, str]], when: date | None) -> Iterator[Finding]:
    heads = [p.text for p, _ in t.rows if len(_row_figures(p)) < 2]
    header = " ".join([t.header, *heads]).lower()
    monthly = "tháng" in header
    yearly = "năm" in header
    coefficient = _COEF.search(" ".join([t.header, *heads]))
    rows: list[tuple[Paragraph, list[tuple[Decimal, str]]]] = []
    failed = False  # a row that does not add up: which of its cells is wrong is unknown, so totals are not judged
    for p, _cells in t.rows:
        figs = _row_figures(p)
        if len(figs) < 2:
            continue  # a header row
        total_row = _is_total(p)
        if total_row:
            if not rows or failed:
                continue
            width = min(len(r) for _, r in rows)
            # The first figure is the count; the rest align from the right (a rate column stays empty).
            pairs = [(0, 0)] + [(len(figs) - k, width - k) for k in range(1, len(figs))] if len(figs) < width else [(i, i) for i in range(len(figs))]
            for mine, theirs in pairs:
                if not 0 <= theirs < width:
                    continue
                column = [r[theirs] for _, r in rows]
                if sum(c[0] for c in column) != figs[mine][0]:
                    yield _mismatch(
                        p,
                        t.locator,
                        figs[mine][1],
                        figs[mine][0],
                        sum((c[0] for c in column), Decimal(0)),
                        msg("drafting.figures.sum", parts=tuple(_whole(c[0]) for c in column)),
                    )
            continue
        corrected = list(figs)  # the totals are checked against recomputed cells: one wrong cell, one finding
        if len(figs) >= 3 and monthly:
            count, rate, month = figs[0], figs[1], figs[2]
            if count[0] * rate[0] != month[0]:
                yield _mismatch(p, t.locator, month[1], month[0], count[0] * rate[0], _product(count[0], rate[0]))
                corrected[2] = (count[0] * rate[0], month[1])
                failed = True
            if len(figs) >= 4 and yearly and corrected[2][0] * 12 != figs[3][0]:
                if corrected[2][0] == month[0]:
                    yield _mismatch(p, t.locator, figs[3][1], figs[3][0], month[0] * 12, _product(month[0], Decimal(12)))
                failed = True
                corrected[3] = (corrected[2][0] * 12, figs[3][1])
        rows.append((p, corrected))
        if len(figs) >= 3 and monthly:
            rate = figs[1]
            if coefficient and base:
                coef = figure(coefficient.group(1))
                if coef is not None and rate[0] >= 100000:
                    if not any(coef * v == rate[0] for _, v, _ in base):  # no base salary, ever, gives this rate
                        _, value, source = _base_at(base, when)
                        how = msg("drafting.figures.coefficient", coef=coef, base=Money(value), source=source)
                        yield _mismatch(p, t.locator, rate[1], rate[0], coef * value, how)


def _base_at(base: list[tuple[date, Decimal, str]], when: date | None) -> tuple[date, Decimal, str]:
    """The base salary in force on ``when`` (the latest one when the text is undated)."""
    found = base[-1]
    for item in base:
        if when is None or item[0] <= when:
            found = item
    return found


def check_figures(doc: LegalDocument, program: Program | None, when: date | None) -> Iterator[Finding]:
    base: list[tuple[date, Decimal, str]] = []
    if program is not None and BASE_SALARY in program.parameters:
        base = [(v.start, v.value, v.source) for v in program.parameters[BASE_SALARY].values]
    rates: set[Decimal] = set()
    for t in doc.tables:
        yield from _table(t, base, when)
        if "tháng" in t.header.lower():
            for p, _ in t.rows:
                figs = _row_figures(p)
                if len(figs) >= 3 and not _is_total(p):
                    rates.add(figs[1][0])
    for p in doc.paragraphs:
        for m in _PROSE.finditer(p.text):
            n, x = Decimal(m.group("n")), figure(m.group("x"))
            if x is None or not rates:
                continue
            months = 12 if m.group("per") == "năm" else 1
            if any(n * r * months == x for r in rates):
                continue
            rate = sorted(rates)[0]
            how = msg("drafting.figures.per_person_year" if months == 12 else "drafting.figures.per_person_month", n=n, rate=_whole(rate))
            yield _mismatch(p, doc.locate(p), m.group("x"), x, n * rate * months, how)
