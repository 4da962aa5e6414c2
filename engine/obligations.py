"""Obligations → verdicts: due occurrences checked against the setup's logs (reports, meetings).

Each occurrence from the document's start (or ``records_since``) to the as-of date (or
``records_until``) is missing, late, early, for a period the schedule cannot have, or sent
without a required recipient — each with its due date. A recipient that has since ceased is
read through the reorganisation events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache, partial
from itertools import repeat
from typing import Any

from engine import ast, phrase
from engine.facts import record_ref
from engine.logic import Context, truth
from engine.memo import ByIdentity, forgettable
from engine.message import Message, msg
from engine.reorganisation import normalise_name
from engine.schedule import Occurrence, due_in, is_on_time, local, period_label
from engine.text import text_key
from engine.verdict import UNKNOWN, Deferred, Status, Verdict, finish, mark_not_applicable, mark_unknown, new_verdict, status_word, summary_of

__all__ = ["obligation_verdict", "obligation_window", "as_local_date", "is_extended"]


def as_local_date(value: Any) -> date | datetime | None:
    """A filing date or time from the setup, as local (Asia/Ho_Chi_Minh) time."""
    if isinstance(value, (date, datetime)):
        return local(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
        return local(parsed)
    return None


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _instant(value: date | datetime | None) -> tuple[bool, datetime]:
    """A sort key putting unknown dates last and a bare date at the start of its day."""
    if value is None:
        return True, datetime.max
    return False, value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


def is_extended(doc: ast.Document, centre: Mapping[str, Any]) -> bool:
    """Whether the setup records a document extending ``doc``'s pilot."""
    extensions = [str(x) for x in centre.get("pilot_extensions") or []]
    return any(text_key(doc.id) == text_key(x) or (doc.number is not None and text_key(doc.number) in text_key(x)) for x in extensions)


def obligation_window(doc: ast.Document, centre: Mapping[str, Any]) -> tuple[date | None, date | None]:
    """The dates between which ``doc``'s obligations fall due (None: open).

    From the later of signing and entry into force; until the end of the document's pilot,
    unless the setup records an extension: after the end, the pilot finding speaks for the
    centre, and no report is expected under a regime that has ended.
    """
    starts = [d for d in (doc.signed, doc.effective) if d is not None]
    end = doc.pilot.until if doc.pilot and doc.pilot.until and not is_extended(doc, centre) else None
    return (max(starts) if starts else None), end


def obligation_verdict(ctx: Context, ob: ast.Obligation, doc: ast.Document, gate: Message | None) -> Verdict:
    """The obligation's status, decided now; its explanation, built when first read (Verdict.explain_with)."""
    v = new_verdict(ob, doc, "obligation")
    if gate is not None:
        v.status = Status.NOT_APPLICABLE
        v.explain_with(lambda v: mark_not_applicable(v, gate, summary_of(ob)))
        return v
    v.status = _check(ctx, ob, doc, None)
    if v.status is Status.UNKNOWN and v.binding and all(d.kind == "unstated" for d in ob.deadlines):
        v.severity = "info"  # no deadline stated: nothing can be late (decided now: reports read it unexplained)
    v.explain_with(lambda v: _explain(ctx, ob, doc, v))
    return v


def _explain(ctx: Context, ob: ast.Obligation, doc: ast.Document, v: Verdict) -> None:
    with ctx.recording():
        _check(ctx, ob, doc, v)


def _check(ctx: Context, ob: ast.Obligation, doc: ast.Document, v: Verdict | None) -> Status:  # noqa: C901 - one walk of the occurrences
    """Each due occurrence against the log: the status, and with ``v`` (explaining) its evidence and words.

    Deciding (``v`` None) and explaining walk the same occurrences; only the explanation builds messages."""
    summary = summary_of(ob)
    if ob.when is not None:
        applies = truth(ctx.value(ob.when))
        if applies is False:
            if v is not None:
                mark_not_applicable(v, msg("applicability.condition_fails", condition=phrase.condition(ob.when)), summary)
            return Status.NOT_APPLICABLE
    deadlines = tuple(phrase.deadline(d) for d in ob.deadlines) if v is not None else ()
    if v is not None:
        v.expected = msg("obligation.deadlines", deadlines=deadlines)
    if all(d.kind == "unstated" for d in ob.deadlines):
        if v is not None:
            v.severity = "info" if v.binding else v.severity
            mark_unknown(v, msg("obligation.no_deadline"), summary)
        return Status.UNKNOWN
    log = ctx.collection(ob.record)
    if log is UNKNOWN:
        if v is not None:
            mark_unknown(v, msg("obligation.no_log", log=phrase.field(ob.record)), summary)
        return Status.UNKNOWN
    centre = ctx.centre()
    short = ob.id.split(".", 1)[1] if "." in ob.id else ob.id
    mine = [(i, r) for i, r in enumerate(log) if text_key(str(r.get("obligation", ""))) in (text_key(ob.id), text_key(short))]
    doc_start, doc_end = obligation_window(doc, centre)
    since, until = as_local_date(centre.get("records_since")), as_local_date(centre.get("records_until"))
    starts = [d for d in (doc_start, _day(since) if since else None) if d is not None]
    start = max(starts) if starts else ctx.when
    end = min(ctx.when, doc_end) if doc_end else ctx.when
    records_end = _day(until) if until else None
    if v is not None:
        v.trace.append(msg("trace.window", start=start, end=end, deadlines=deadlines))
        if doc_end is not None and doc_end < ctx.when:
            v.trace.append(msg("trace.pilot_unchecked", end=doc_end))
    reporter = ctx.reorganisation.lookup(ob.by, centre) if ob.by else None
    groups, field_name = _groups(ctx, ob)
    if groups is None:
        if v is not None:
            mark_unknown(v, msg("obligation.groups_unknown", field=phrase.field(field_name)), summary)
        return Status.UNKNOWN
    # The occurrences do not depend on the group: each deadline's, with its periods' places in it.
    schedules = [(due, _period_places(due)) for due in (due_in(deadline, start, end) for deadline in ob.deadlines)]
    # Explaining: each item of evidence (and its trace event) is built when read; its role is known now.
    evidence: Deferred[dict[str, Any]] = Deferred(v.evidence if v is not None else None)
    roles: list[str] = []
    checked = 0  # occurrences (and wrong periods) checked: the "due" of the verdict's counts
    violated = uncertain = False
    for group in groups:
        by_period: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
        for i, r in _in_group(mine, field_name, group):
            by_period.setdefault(str(r.get("period", "")).strip(), []).append((i, r))
        for due, places in schedules:
            # The occurrences with a filing for their period, in order; a run between two of them
            # filed nothing (for a weekly report missed for years, most of them): taken as a whole.
            filed_at = sorted([at for period in by_period for at in places.get(period, ())]) if by_period else []
            filed_at.append(len(due))
            previous = 0
            for at in filed_at:
                run = due[previous:at]
                if run:
                    checked += len(run)
                    if records_end is None and reporter is None:  # nothing excuses a missing report
                        if v is None:
                            return Status.VIOLATED  # deciding: a violation decides the whole obligation
                        violated = True
                        roles.extend(repeat("missing", len(run)))
                    else:
                        excused = [
                            (records_end is not None and o.due_date > records_end) or (reporter is not None and o.due_date >= reporter.ceased.on) for o in run
                        ]
                        if not all(excused):
                            if v is None:
                                return Status.VIOLATED
                            violated = True
                        uncertain = uncertain or any(excused)
                        if v is not None:
                            roles.extend(["uncertain" if e else "missing" for e in excused])
                    if v is not None:
                        evidence.later_each("", partial(_item_missing, ob, group, records_end, reporter), run)
                if at == len(due):
                    break
                previous = at + 1
                occ = due[at]
                checked += 1
                rows = sorted(((i, r, as_local_date(r.get("filed"))) for i, r in by_period[occ.period]), key=lambda row: _instant(row[2]))
                # As of the date asked, a filing made after it had not happened yet.
                known = [row for row in rows if row[2] is None or _day(row[2]) <= ctx.when]
                if not known:
                    excused_one = (records_end is not None and occ.due_date > records_end) or (reporter is not None and occ.due_date >= reporter.ceased.on)
                    if not excused_one:
                        if v is None:
                            return Status.VIOLATED
                        violated = True
                    else:
                        uncertain = True
                    if v is not None:
                        roles.append("uncertain" if excused_one else "missing")
                        evidence.later("", _item, ob, group, _missing, ob, occ, rows, records_end, reporter)
                    continue
                i, record, filed = known[0]
                if filed is None:
                    uncertain = True
                    if v is not None:
                        roles.append("uncertain")
                        evidence.later("", _item, ob, group, _no_filing_date, ob, occ, i, record)
                    continue
                on_time = is_on_time(occ, filed)
                status = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNKNOWN}[on_time]
                missing_to, notes = _recipient_gaps(ctx, ob, record, _day(filed))
                if missing_to and status is Status.SATISFIED:
                    status = Status.VIOLATED
                if status is Status.VIOLATED:
                    if v is None:
                        return Status.VIOLATED
                    violated = True
                elif status is Status.UNKNOWN:
                    uncertain = True
                if v is not None:
                    roles.append(_filed_role(occ, filed, on_time, status))
                    evidence.later("", _item, ob, group, _filed, ob, occ, i, record, filed, on_time, status, missing_to, notes)
        for period, period_rows in sorted(by_period.items()):
            if any(period in places for _, places in schedules) or any(_period_matches_shape(d, period, period_label) for d in ob.deadlines):
                continue  # a period of the right shape outside the window checked is not an error
            checked += 1
            if v is None:
                return Status.VIOLATED
            violated = True
            for i, record in period_rows:
                roles.append("wrong_period")
                evidence.later("", _item, ob, group, _wrong_period, ob, period, i, record)
    status = Status.VIOLATED if violated else Status.UNKNOWN if uncertain else Status.SATISFIED
    if v is not None:
        v.status = status
        _tally(v, summary, checked, evidence, roles)
    return status


# occurrences (a memoised tuple, engine.schedule.due_in) → each period's places in it.
_PLACES: ByIdentity[dict[str, tuple[int, ...]]] = ByIdentity(4096)


def _period_places(due: tuple[Occurrence, ...]) -> dict[str, tuple[int, ...]]:
    found = _PLACES.get(due)
    if found is None:
        places: dict[str, tuple[int, ...]] = {}
        for at, occ in enumerate(due):
            places[occ.period] = places.get(occ.period, ()) + (at,)
        found = _PLACES.put(due, places)
    return found


def _item(ob: ast.Obligation, group: str | None, make: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """An evidence item, made when read; for an obligation per group, saying whose report it is about."""
    item = make(*args)
    if group is not None:
        item["group"] = group
        item["detail"] = _wrapped("group", group, item["detail"])
        if item["record"].startswith(f"{ob.record}:"):
            item["record"] = f"{ob.record}:{group}:{item['record'].split(':', 1)[1]}"
    return item


def _item_missing(ob: ast.Obligation, group: str | None, records_end: date | None, reporter: Any, occ: Occurrence) -> dict[str, Any]:
    return _item(ob, group, _missing, ob, occ, [], records_end, reporter)


def _no_filing_date(ob: ast.Obligation, occ: Occurrence, i: int, record: Mapping[str, Any]) -> dict[str, Any]:
    due, due_iso = _due_of(occ)
    return {**record_ref(record, ob.record, i), "role": "uncertain", "due": due_iso, "detail": msg("obligation.no_filing_date", period=occ.period, due=due)}


def _wrong_period(ob: ast.Obligation, period: str, i: int, record: Mapping[str, Any]) -> dict[str, Any]:
    return {**record_ref(record, ob.record, i), "role": "wrong_period", "detail": msg("obligation.wrong_period", period=period)}


def _missing(ob: ast.Obligation, occ: Occurrence, rows: list[Any], records_end: date | None, reporter: Any) -> dict[str, Any]:
    """Evidence of an occurrence with no filing known by the as-of date: missing, or excused."""
    due, due_iso = _due_of(occ)
    later = rows[0][2] if rows else None
    excuse: Message | None = None
    if records_end is not None and occ.due_date > records_end:
        excuse = msg("obligation.logs_end", end=records_end)
    elif reporter is not None and occ.due_date >= reporter.ceased.on:
        excuse = msg("obligation.reporter_ceased", body=ob.by or "", on=reporter.ceased.on, source=reporter.ceased.source)
    if excuse is not None:
        return {
            "record": f"{ob.record}:{occ.period}",
            "role": "uncertain",
            "due": due_iso,
            "detail": msg("obligation.no_record_excused", period=occ.period, due=due, excuse=excuse),
        }
    detail = msg("obligation.missing_filed_later", period=occ.period, due=due, filed=_day(later)) if later is not None else _missing_detail(occ)
    return {"record": f"{ob.record}:{occ.period}", "role": "missing", "due": due_iso, "detail": detail}


def _filed(
    ob: ast.Obligation,
    occ: Occurrence,
    i: int,
    record: Mapping[str, Any],
    filed: date | datetime,
    on_time: bool | None,
    status: Status,
    missing_to: list[Message],
    notes: list[Message],
) -> dict[str, Any]:
    """Evidence of a filing: on time, late, early, or without a required recipient."""
    due, due_iso = _due_of(occ)
    role = _filed_role(occ, filed, on_time, status)
    shown = filed.isoformat(sep=" ", timespec="minutes") if isinstance(filed, datetime) else filed.isoformat()
    remarks: list[Message] = []
    if on_time is None:
        remarks.append(msg("obligation.time_not_given"))
    if missing_to:
        remarks.append(msg("obligation.missing_recipients", recipients=tuple(missing_to)))
    remarks.extend(notes)
    detail = msg("obligation.filed", period=occ.period, filed=filed, due=due)
    if remarks:
        detail = msg("obligation.remarks", detail=detail, remarks=tuple(remarks))
    return {**record_ref(record, ob.record, i), "role": role, "due": due_iso, "filed": shown, "detail": detail}


def _filed_role(occ: Occurrence, filed: date | datetime, on_time: bool | None, status: Status) -> str:
    if status is Status.SATISFIED:
        return "on_time"
    if status is Status.UNKNOWN:
        return "uncertain"
    if on_time is False:
        return "early" if occ.window_start is not None and _day(filed) < occ.window_start else "late"
    return "wrong_recipient"


_PROBLEMS = frozenset({"missing", "late", "early", "wrong_recipient"})


def _tally(v: Verdict, summary: Message, due: int, evidence: Deferred[dict[str, Any]], roles: list[str]) -> None:
    """The verdict's words from the roles of its evidence: how many missing, late, wrong,
    uncertain; the first problem. The evidence and the trace's event for each item are built when read."""
    counts = {
        "missing": roles.count("missing"),
        "late": roles.count("late") + roles.count("early"),
        "wrong": roles.count("wrong_period") + roles.count("wrong_recipient"),
        "uncertain": roles.count("uncertain"),
    }
    v.actual = msg("obligation.counts", due=due, **counts)
    trace: Deferred[Message] = Deferred(v.trace)
    offset = len(evidence) - len(roles)  # items before this walk's (none: the walk is the first step)
    trace.later_span("trace.occurrence", len(roles), lambda: [_wrapped("occurrence", role, evidence.item(i)["detail"]) for i, role in enumerate(roles, offset)])
    first = next((i for i, role in enumerate(roles, offset) if role in _PROBLEMS), None)
    tally = msg("obligation.tally_uncertain" if counts["uncertain"] else "obligation.tally", **counts)
    if first is not None:
        tally = msg("obligation.tally_first", tally=tally, first=evidence.item(first)["detail"])
    v.message = msg("check.outcome", status=status_word(v.status), summary=summary, reasons=(tally,))
    v.defer(evidence, trace)
    finish(v)


# occurrence → (its deadline in words, as ISO text, "missing" for it): occurrences are memoised
# by engine.schedule, so each is phrased once for every setup that has it.
_DUES: ByIdentity[tuple[Message, str, Message]] = ByIdentity(16_384)


def _due_of(occ: Occurrence) -> tuple[Message, str]:
    entry = _dues(occ)
    return entry[0], entry[1]


def _missing_detail(occ: Occurrence) -> Message:
    """ "2024-W23, hạn …: không có bản ghi": the same message object for every setup missing it
    (so rendering it again is one look-up by identity)."""
    return _dues(occ)[2]


def _dues(occ: Occurrence) -> tuple[Message, str, Message]:
    entry = _DUES.get(occ)
    if entry is not None:
        return entry
    due, due_iso = phrase.due(occ), occ.due.isoformat(timespec="minutes") if occ.timed else occ.due_date.isoformat()
    return _DUES.put(occ, (due, due_iso, msg("obligation.missing", period=occ.period, due=due)))


# (a role or group, a detail) → the message wrapping it: details are mostly shared (above), so are these.
_WRAPPED: dict[tuple[str, str, Message], Message] = {}
forgettable(_WRAPPED.clear)


def _wrapped(kind: str, tag: str, detail: Message) -> Message:
    key = (kind, tag, detail)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) > 16_384:
            _WRAPPED.clear()
        if kind == "occurrence":
            found = msg("trace.occurrence", role=_role_word(tag), detail=detail)
        else:
            found = msg("obligation.group_detail", group=tag, detail=detail)
        _WRAPPED[key] = found
    return found


@lru_cache(maxsize=64)
def _role_word(role: str) -> Message:
    return msg(f"role.{role}")


def _groups(ctx: Context, ob: ast.Obligation) -> tuple[list[str | None] | None, str]:
    """The groups an obligation falls on: [None] for the body as a whole; None when unknown."""
    if ob.per is None:
        return [None], ""
    field_name, source = ob.per
    members = ctx.collection(source)
    if members is UNKNOWN:
        return None, field_name
    names: dict[str, str] = {}
    for member in members:
        value = member.get(field_name)
        if value is not None:
            names.setdefault(text_key(str(value)), str(value))
    return (sorted(names.values(), key=text_key) or None), field_name


def _in_group(rows: list[tuple[int, Mapping[str, Any]]], field_name: str, group: str | None) -> list[tuple[int, Mapping[str, Any]]]:
    if group is None:
        return rows
    return [(i, r) for i, r in rows if text_key(str(r.get(field_name) or "")) == text_key(group)]


def _period_matches_shape(deadline: ast.Deadline, period: str, label: Any) -> bool:
    """Whether ``period`` is a label this schedule could ever produce (e.g. 2024-H1 for 25/6, 25/12)."""
    try:
        year = int(period[:4])
    except ValueError:
        return False
    labels = {label(deadline, date(year, m, 15)) for m in range(1, 13)}
    if deadline.kind == "weekday" or (deadline.kind == "every" and deadline.unit == "week"):
        return period.startswith(f"{year}-W") and period[6:].isdigit() and 1 <= int(period[6:]) <= 53
    return period in labels


def _recipient_gaps(ctx: Context, ob: ast.Obligation, record: Mapping[str, Any], filed_on: date) -> tuple[list[Message], list[Message]]:
    """Recipients the law names that the record does not show, and notes on the reorganisation.

    A report sent to the successor of a recipient that had ceased by the filing date counts as
    sent to it; a recipient that had ceased with no known successor is not required.
    """
    sent = record.get("to")
    if sent is None:
        return [], []
    sent_list = list(sent) if isinstance(sent, (list, tuple)) else [sent]
    keys = [normalise_name(str(s)) for s in sent_list + list(record.get("cc") or [])]

    def reached(name: str) -> bool:
        wanted = normalise_name(name)
        return any(k and (f" {wanted} " in f" {k} " or f" {k} " in f" {wanted} ") for k in keys)

    missing: list[Message] = []
    notes: list[Message] = []
    for name in ob.to + ob.cc:
        if reached(name):
            continue
        match = ctx.reorganisation.lookup(name, ctx.centre(), on=filed_on)
        if match is None:
            missing.append(msg("obligation.recipient", name=name))
            continue
        ceased = match.ceased
        if ceased.successor is None:
            notes.append(msg("obligation.recipient_ceased", name=name, on=ceased.on, source=ceased.source))
        elif reached(ceased.successor):
            notes.append(msg("obligation.sent_to_successor", name=name, successor=ceased.successor, on=ceased.on, source=ceased.source))
        else:
            missing.append(msg("obligation.recipient_now", name=name, successor=ceased.successor))
    return missing, notes
