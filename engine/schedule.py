"""Deadlines → dated occurrences: which report is due when, in the law's own words.

"trước ngày 25" (before the 25th) makes the 25th itself late; "chậm nhất ngày 25" (no later
than the 25th) makes it on time. "trước 08h00 thứ hai" has a time of day. Recurrences are
computed with python-dateutil's rrule so month ends and leap years are right.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from engine.ast import Deadline

__all__ = ["Occurrence", "occurrences", "period_label", "is_on_time", "describe_deadline"]

_WEEKDAYS_VI = ["thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "Chủ nhật"]
_WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Occurrence:
    """One due instance: the period it covers, its deadline, and whether the deadline is inclusive."""

    period: str
    start: date  # first day of the period the report or meeting belongs to
    due: datetime  # the deadline instant
    inclusive: bool  # True: "no later than" (due itself on time); False: "before"
    window_start: date | None = None  # for "during month M": the earliest on-time date

    @property
    def due_date(self) -> date:
        return self.due.date()


def _half(month: int) -> int:
    return 1 if month <= 6 else 2


def period_label(deadline: Deadline, day: date) -> str:
    """The label of the period an occurrence due on ``day`` covers (2024-05, 2024-Q2, 2024-H1, 2024-W23, 2024)."""
    if deadline.kind == "day":
        if deadline.quarter_end:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        if deadline.months == (6, 12):
            return f"{day.year}-H{_half(day.month)}"
        return f"{day.year}-{day.month:02d}"
    if deadline.kind == "weekday":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if deadline.kind == "month":
        return f"{day.year}"
    if deadline.kind == "every":
        interval = deadline.interval or 12
        if interval == 12:
            return f"{day.year}"
        if interval == 6:
            return f"{day.year}-H{_half(day.month)}"
        if interval == 3:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        index = (day.month - 1) // interval + 1
        return f"{day.year}-P{index}of{12 // interval}"
    return ""


def _period_start(deadline: Deadline, due: date) -> date:
    if deadline.kind == "day":
        if deadline.quarter_end:
            return date(due.year, due.month - 2, 1)
        if deadline.months == (6, 12):
            return date(due.year, 1 if due.month <= 6 else 7, 1)
        return date(due.year, due.month, 1)
    if deadline.kind == "weekday":
        return due - timedelta(days=due.weekday())
    if deadline.kind == "month":
        return date(due.year, 1, 1)
    return due


def occurrences(deadline: Deadline, start: date, end: date) -> list[Occurrence]:
    """Every occurrence whose deadline falls in [start, end] (both dates inclusive)."""
    if end < start or deadline.kind == "unstated":
        return []
    out: list[Occurrence] = []
    begin = datetime.combine(start, time())
    finish = datetime.combine(end, time.max)
    if deadline.kind == "day":
        assert deadline.day is not None
        # bymonthday=-1 style clamping: a day past the month's end means its last day.
        for month_start in rrule(MONTHLY, dtstart=begin.replace(day=1), until=finish, bymonth=deadline.months):
            last = calendar.monthrange(month_start.year, month_start.month)[1]
            due_day = date(month_start.year, month_start.month, min(deadline.day, last))
            if start <= due_day <= end:
                out.append(Occurrence(period_label(deadline, due_day), _period_start(deadline, due_day),
                                      datetime.combine(due_day, time()), deadline.strict == "no_later"))
    elif deadline.kind == "weekday":
        assert deadline.weekday is not None
        for instant in rrule(WEEKLY, dtstart=begin, until=finish, byweekday=deadline.weekday):
            due_day = instant.date()
            out.append(Occurrence(period_label(deadline, due_day), _period_start(deadline, due_day),
                                  datetime.combine(due_day, deadline.at or time()), deadline.strict == "no_later"))
    elif deadline.kind == "month":
        month = deadline.months[0]
        for year in range(start.year, end.year + 1):
            last = date(year, month, calendar.monthrange(year, month)[1])
            if start <= last <= end:
                out.append(Occurrence(str(year), date(year, 1, 1), datetime.combine(last, time()), True,
                                      window_start=date(year, month, 1)))
    elif deadline.kind == "every":
        interval = deadline.interval or 12
        for period_start in rrule(MONTHLY, interval=interval, dtstart=datetime(start.year, 1, 1), until=finish):
            first = period_start.date()
            next_month = first.month + interval
            next_start = date(first.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
            last = next_start - timedelta(days=1)
            if start <= last <= end:
                out.append(Occurrence(period_label(deadline, first), first, datetime.combine(last, time()), True,
                                      window_start=first))
    return out


def is_on_time(occurrence: Occurrence, filed: date | datetime) -> bool | None:
    """Whether a filing on ``filed`` meets the occurrence; None when a date alone cannot tell.

    A filing given as a bare date on the deadline day of a "before 08:00" deadline cannot be
    judged without its time, and is reported as unknown rather than guessed.
    """
    if occurrence.window_start is not None:
        day = filed.date() if isinstance(filed, datetime) else filed
        if day < occurrence.window_start:
            return False
    if isinstance(filed, datetime):
        return filed <= occurrence.due if occurrence.inclusive else filed < occurrence.due
    due_day = occurrence.due_date
    if filed < due_day:
        return True
    if filed > due_day:
        return False
    if occurrence.inclusive:
        return True
    if occurrence.due.time() == time():
        return False  # "before day D": day D itself is late
    return None  # before HH:MM on day D, filed on day D with no time given


def describe_deadline(deadline: Deadline, lang: str = "vi") -> str:
    """The deadline in words, as a reader of the law would say it."""
    vi = lang == "vi"
    strict = {"before": "trước" if vi else "before", "no_later": "chậm nhất" if vi else "no later than"}.get(
        deadline.strict or "", "")
    if deadline.kind == "day":
        if deadline.quarter_end:
            return (f"{strict} ngày {deadline.day} của tháng cuối quý" if vi
                    else f"{strict} day {deadline.day} of the last month of each quarter")
        if len(deadline.months) == 12:
            return f"{strict} ngày {deadline.day} hằng tháng" if vi else f"{strict} day {deadline.day} of each month"
        months = ", ".join(str(m) for m in deadline.months)
        return (f"{strict} ngày {deadline.day} của tháng {months} hằng năm" if vi
                else f"{strict} day {deadline.day} of month(s) {months} each year")
    if deadline.kind == "weekday":
        assert deadline.weekday is not None
        name = (_WEEKDAYS_VI if vi else _WEEKDAYS_EN)[deadline.weekday]
        at = f" {deadline.at.strftime('%H:%M')}" if deadline.at else ""
        return f"{strict}{at} {name} hằng tuần" if vi else f"{strict} {name}{at} each week"
    if deadline.kind == "month":
        return (f"trong tháng {deadline.months[0]} hằng năm" if vi
                else f"during month {deadline.months[0]} each year")
    if deadline.kind == "every":
        return (f"định kỳ {deadline.interval} tháng (văn bản không nêu ngày cụ thể)" if vi
                else f"every {deadline.interval} months (the text states no day)")
    return "văn bản không nêu thời hạn" if vi else "the text states no deadline"
