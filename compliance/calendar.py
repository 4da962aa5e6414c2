"""A setup + a year → an iCalendar file of every deadline its regulations set, in the law's words.

Each applicable obligation (reports, meetings, reviews) becomes one VEVENT per due date in the
year, named by its rule, document and article, with the verbatim provision in the description.
The law's wording is kept: "trước ngày 25" (the 25th is late; the last day on time is the
24th), "chậm nhất ngày 25" (the 25th is on time), "trước 08h00 thứ hai" (a timed event in
Asia/Ho_Chi_Minh), "trong tháng 11" (an event spanning the month). An obligation that repeats
with no day stated ("định kỳ 6 tháng") is placed at the period's end and marked as such; one
with no deadline at all gets no event and is listed in the calendar's description instead.

The output is byte-identical for the same inputs: UIDs come from the rule id and the period,
and DTSTAMP is fixed to the first instant of the year (UTC), never the time of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from compliance.setup import Setup, to_facts
from compliance.wording import describe_deadline, describe_due, say
from engine import Program, evaluate
from engine.ast import Document, Obligation
from engine.evaluate import Context, obligation_window
from engine.reorganisation import Reorganisation
from engine.schedule import TIMEZONE, Occurrence, last_day_on_time, occurrences

__all__ = ["CalendarResult", "build_calendar", "due_dates"]

_TZID = "Asia/Ho_Chi_Minh"


@dataclass
class CalendarResult:
    """The .ics bytes, and what the calendar could not show as events (for stderr)."""

    ics: bytes
    events: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    obligation: Obligation
    document: Document
    occurrence: Occurrence
    index: int  # which `due` line of the obligation (an obligation may state several)


def _applicable(program: Program, facts: Mapping[str, Any], year: int) -> tuple[list[tuple[Obligation, Document]], list[str]]:
    """Obligations of the binding documents that apply to the setup, and notes on those left out."""
    evaluation = evaluate(program, facts, date(year, 12, 31))
    ctx = Context(program, facts, date(year, 12, 31))
    chosen: list[tuple[Obligation, Document]] = []
    notes: list[str] = []
    for doc_id in evaluation.documents:
        doc = program.documents[doc_id]
        for ob in sorted((o for o in program.obligations.values() if o.document == doc_id), key=lambda o: o.id):
            if doc.status == "draft":
                notes.append(f"{ob.id}: đề xuất, chưa ban hành — không đưa vào lịch / proposed, not enacted — left out")
                continue
            if ob.when is not None and ctx.value(ob.when) is False:
                continue
            chosen.append((ob, doc))
    return chosen, notes


def due_dates(program: Program, setup: Setup, year: int) -> tuple[list[_Due], list[str]]:
    """Every due occurrence in ``year`` of the obligations applicable to ``setup``, in date order."""
    facts = to_facts(setup)
    centre = facts["centre"]
    chosen, notes = _applicable(program, facts, year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    out: list[_Due] = []
    for ob, doc in chosen:
        if all(d.kind == "unstated" for d in ob.deadlines):
            notes.append(f"{ob.id} ({doc.label} {ob.locator or ''}): văn bản không nêu thời hạn — không có sự kiện / the text states no deadline — no event")
            continue
        start, end = obligation_window(doc, centre)
        lo, hi = max(first, start) if start else first, min(last, end) if end else last
        for index, deadline in enumerate(ob.deadlines):
            for occ in occurrences(deadline, lo, hi):
                out.append(_Due(ob, doc, occ, index))
    out.sort(key=lambda d: (d.occurrence.due, d.obligation.id, d.occurrence.period, d.index))
    return out, notes


def _names(names: tuple[str, ...], reorg: Reorganisation, centre: Mapping[str, Any], lang: str) -> str:
    """Recipients as the law names them, each with what replaced it by the due date (if anything)."""
    vi = lang == "vi"
    shown = []
    for name in names:
        match = reorg.lookup(name, centre)
        if match is None:
            shown.append(name)
        elif match.ceased.successor and match.ceased.change.subject == "body":
            shown.append(f"{name} → {match.ceased.successor} ({'từ' if vi else 'from'} {match.ceased.on.isoformat()}, {match.ceased.source})")
        elif match.ceased.successor and match.ceased.change.subject == "province":
            shown.append(f"{name} ({say(match.ceased.what(), lang)} {say(match.ceased.outcome(), lang)}, {match.ceased.on.isoformat()}, {match.ceased.source})")
        else:
            shown.append(
                f"{name} ({'không còn từ' if vi else 'ceased on'} {match.ceased.on.isoformat()}, {match.ceased.source}; "
                f"{'chưa rõ nơi nhận thay thế' if vi else 'successor unknown'})"
            )
    return "; ".join(shown)


def _event(due: _Due, program: Program, facts: Mapping[str, Any], year: int, lang: str) -> Event:
    centre = facts["centre"]
    ob, doc, occ = due.obligation, due.document, due.occurrence
    reorg = Reorganisation(list(program.events.values()), occ.due_date)
    vi = lang == "vi"
    summary = (ob.summary or ob.summary_en or ob.id) if vi else (ob.summary_en or ob.summary or ob.id)
    event = Event()
    suffix = f".{due.index}" if due.index else ""
    event.add("uid", f"{ob.id}.{occ.period}{suffix}@quyche")
    event.add("dtstamp", datetime(year, 1, 1, tzinfo=UTC))
    if occ.timed:
        event.add("dtstart", occ.due.replace(tzinfo=TIMEZONE))
    elif occ.window_start is not None and occ.stated:
        event.add("dtstart", occ.window_start)  # "trong tháng 11": the whole month
        event.add("dtend", occ.due_date + timedelta(days=1))
    else:
        event.add("dtstart", occ.due_date)
        event.add("dtend", occ.due_date + timedelta(days=1))
    period = f"kỳ {occ.period}" if vi else f"period {occ.period}"
    event.add("summary", f"{summary} [{period}; {describe_due(occ, lang)}]")
    lines = [
        f"{'Quy định' if vi else 'Rule'}: {ob.id}",
        f"{'Văn bản' if vi else 'Document'}: {doc.label}" + (f" — {doc.title}" if doc.title else ""),
        f"{'Điều khoản' if vi else 'Article'}: {ob.locator or '?'}",
        f"{'Kỳ' if vi else 'Period'}: {occ.period} ({'từ' if vi else 'from'} {occ.start.isoformat()})",
        f"{'Hạn' if vi else 'Deadline'}: {describe_due(occ, 'vi')} / {describe_due(occ, 'en')}",
        f"{'Quy tắc' if vi else 'Rule of the deadline'}: {describe_deadline(ob.deadlines[due.index], 'vi')} / "
        f"{describe_deadline(ob.deadlines[due.index], 'en')}",
    ]
    if occ.stated and not occ.window_start:
        last = last_day_on_time(occ)
        lines.append(
            f"{'Ngày cuối cùng còn đúng hạn' if vi else 'Last day on time'}: {last.isoformat()}"
            + (f" ({'trước' if vi else 'before'} {occ.due:%H:%M})" if occ.timed else "")
        )
    if not occ.stated:
        lines.append("Văn bản không nêu ngày cụ thể: sự kiện đặt vào ngày cuối kỳ. / The text states no day: the event is placed on the period's last day.")
    if ob.by:
        lines.append(f"{'Cơ quan thực hiện' if vi else 'By'}: {_names((ob.by,), reorg, centre, lang)}")
    if ob.per is not None:  # one deadline, owed by each group separately
        field_name, source = ob.per
        groups = sorted({str(m[field_name]) for m in facts.get(source) or [] if m.get(field_name)})
        if groups:
            lines.append(("Mỗi nhóm thực hiện riêng" if vi else "Owed by each group separately") + ": " + ", ".join(groups))
    if ob.to:
        lines.append(f"{'Nơi nhận' if vi else 'To'}: {_names(ob.to, reorg, centre, lang)}")
    if ob.cc:
        lines.append(f"{'Gửi kèm' if vi else 'Copy to'}: {_names(ob.cc, reorg, centre, lang)}")
    if ob.text:
        lines.append(f"{'Nguyên văn' if vi else 'Verbatim'}: “{ob.text}”")
    reporter = reorg.lookup(ob.by, centre) if ob.by else None
    event.add("description", "\n".join(lines))
    event.add("categories", [doc.label])
    event.add("status", "TENTATIVE" if reporter is not None else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("x-quyche-rule", vText(ob.id))
    event.add("x-quyche-document", vText(doc.label))
    event.add("x-quyche-locator", vText(ob.locator.raw if ob.locator else ""))
    kind = "unstated-day" if not occ.stated else "during" if occ.window_start else "no-later-than" if occ.inclusive else "before"
    event.add("x-quyche-deadline", vText(kind))
    return event


def _timezone() -> Timezone:
    # Vietnam keeps UTC+7 all year, with no daylight saving, for every date quyche deals with.
    tz = Timezone()
    tz.add("tzid", _TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=7))
    standard.add("tzoffsetto", timedelta(hours=7))
    standard.add("tzname", "+07")
    tz.add_component(standard)
    return tz


def build_calendar(program: Program, setup: Setup, year: int, lang: str = "vi") -> CalendarResult:
    """The iCalendar of ``setup``'s deadlines in ``year``, and the notes on what it leaves out."""
    dues, notes = due_dates(program, setup, year)
    facts = to_facts(setup)
    cal = Calendar()
    cal.add("prodid", "-//quyche//quyche calendar//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(f"quyche — {setup.centre.name} — {year}"))
    cal.add("x-wr-timezone", vText(_TZID))
    description = [f"{'Hạn báo cáo, họp, kiểm điểm năm' if lang == 'vi' else 'Reporting, meeting and review deadlines in'} {year}: {setup.centre.name}."]
    description += notes
    cal.add("x-wr-caldesc", vText("\n".join(description)))
    cal.add_component(_timezone())
    for due in dues:
        cal.add_component(_event(due, program, facts, year, lang))
    return CalendarResult(cal.to_ical(), len(dues), notes)
