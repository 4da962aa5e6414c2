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

from compliance.setup_facts import to_facts
from compliance.setup_format import SetupData
from compliance.wording import say
from engine import Program, evaluate, phrase
from engine.ast import Document, Obligation
from engine.evaluate import Context, obligation_window
from engine.message import Message, msg
from engine.reorganisation import Reorganisation
from engine.schedule import TIMEZONE, Occurrence, last_day_on_time, occurrences
from engine.verdict import summary_of

__all__ = ["CalendarResult", "build_calendar", "due_dates"]

_TZID = TIMEZONE.key


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


def _applicable(program: Program, facts: Mapping[str, Any], year: int, lang: str) -> tuple[list[tuple[Obligation, Document]], list[str]]:
    """Obligations of the binding documents that apply to the setup, and notes on those left out."""
    evaluation = evaluate(program, facts, date(year, 12, 31))
    ctx = Context(program, facts, date(year, 12, 31))
    chosen: list[tuple[Obligation, Document]] = []
    notes: list[str] = []
    for doc_id in evaluation.documents:
        doc = program.documents[doc_id]
        for ob in sorted((o for o in program.obligations.values() if o.document == doc_id), key=lambda o: o.id):
            if doc.status == "draft":
                notes.append(say(msg("calendar.proposed", rule=ob.id), lang))
                continue
            if ob.when is not None and ctx.value(ob.when) is False:
                continue
            chosen.append((ob, doc))
    return chosen, notes


def due_dates(program: Program, setup: SetupData, year: int, lang: str = "vi") -> tuple[list[_Due], list[str]]:
    """Every due occurrence in ``year`` of the obligations applicable to ``setup``, in date order."""
    facts = to_facts(setup)
    centre = facts["centre"]
    chosen, notes = _applicable(program, facts, year, lang)
    first, last = date(year, 1, 1), date(year, 12, 31)
    out: list[_Due] = []
    for ob, doc in chosen:
        if all(d.kind == "unstated" for d in ob.deadlines):
            notes.append(say(msg("calendar.no_deadline", rule=ob.id, document=doc.label, locator=str(ob.locator or "")), lang))
            continue
        start, end = obligation_window(doc, centre)
        lo, hi = max(first, start) if start else first, min(last, end) if end else last
        for index, deadline in enumerate(ob.deadlines):
            for occ in occurrences(deadline, lo, hi):
                out.append(_Due(ob, doc, occ, index))
    out.sort(key=lambda d: (d.occurrence.due, d.obligation.id, d.occurrence.period, d.index))
    return out, notes


def _names(names: tuple[str, ...], reorg: Reorganisation, centre: Mapping[str, Any]) -> Message:
    """Recipients as the law names them, each with what replaced it by the due date (if anything)."""
    shown: list[Message] = []
    for name in names:
        match = reorg.lookup(name, centre)
        if match is None:
            shown.append(msg("reorganisation.name", name=name))
            continue
        c = match.ceased
        if c.successor and c.change.subject == "body":
            shown.append(msg("calendar.successor", name=name, successor=c.successor, on=c.on, source=c.source))
        elif c.successor and c.change.subject == "province":
            shown.append(msg("calendar.province", name=name, what=c.what(), outcome=c.outcome(), on=c.on, source=c.source))
        else:
            shown.append(msg("calendar.ceased", name=name, on=c.on, source=c.source))
    return msg("calendar.names", names=tuple(shown))


def _event(due: _Due, program: Program, facts: Mapping[str, Any], year: int, lang: str) -> Event:
    centre = facts["centre"]
    ob, doc, occ = due.obligation, due.document, due.occurrence
    reorg = Reorganisation(list(program.events.values()), occ.due_date)
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
    event.add("summary", say(msg("calendar.summary", summary=summary_of(ob), period=occ.period, due=phrase.due(occ)), lang))
    lines: list[Message] = [
        msg("calendar.rule", rule=ob.id),
        msg("calendar.document_titled", document=doc.label, title=doc.title) if doc.title else msg("calendar.document", document=doc.label),
        msg("calendar.article", locator=str(ob.locator or "?")),
        msg("calendar.period", period=occ.period, start=occ.start),
        msg("calendar.due", due=phrase.due(occ)),
        msg("calendar.deadline_rule", deadline=phrase.deadline(ob.deadlines[due.index])),
    ]
    if occ.stated and not occ.window_start:
        last = last_day_on_time(occ)
        lines.append(msg("calendar.last_day_timed", day=last, at=f"{occ.due:%H:%M}") if occ.timed else msg("calendar.last_day", day=last))
    if not occ.stated:
        lines.append(msg("calendar.no_day"))
    if ob.by:
        lines.append(msg("calendar.by", names=_names((ob.by,), reorg, centre)))
    if ob.per is not None:  # one deadline, owed by each group separately
        field_name, source = ob.per
        groups = sorted({str(m[field_name]) for m in facts.get(source) or [] if m.get(field_name)})
        if groups:
            lines.append(msg("calendar.groups", groups=tuple(groups)))
    if ob.to:
        lines.append(msg("calendar.to", names=_names(ob.to, reorg, centre)))
    if ob.cc:
        lines.append(msg("calendar.cc", names=_names(ob.cc, reorg, centre)))
    if ob.text:
        lines.append(msg("calendar.verbatim", text=ob.text))
    reporter = reorg.lookup(ob.by, centre) if ob.by else None
    event.add("description", "\n".join(say(line, lang) for line in lines))
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


def build_calendar(program: Program, setup: SetupData, year: int, lang: str = "vi") -> CalendarResult:
    """The iCalendar of ``setup``'s deadlines in ``year``, and the notes on what it leaves out."""
    dues, notes = due_dates(program, setup, year, lang)
    facts = to_facts(setup)
    cal = Calendar()
    cal.add("prodid", "-//quyche//quyche calendar//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(f"quyche — {setup['centre']['name']} — {year}"))
    cal.add("x-wr-timezone", vText(_TZID))
    description = [say(msg("calendar.description", year=str(year), centre=setup["centre"]["name"]), lang)]
    description += notes
    cal.add("x-wr-caldesc", vText("\n".join(description)))
    cal.add_component(_timezone())
    for due in dues:
        cal.add_component(_event(due, program, facts, year, lang))
    return CalendarResult(cal.to_ical(), len(dues), notes)
