"""Deadlines → dated occurrences: which report is due when (engine.phrase says it in words).

"trước ngày 25" (before the 25th) makes the 25th itself late; "chậm nhất ngày 25" (no later
than the 25th) makes it on time. "trước 08h00 thứ hai" has a time of day. Recurrences are
computed with python-dateutil's rrule so month ends and leap years are right.

Periods are labelled 2024-05 (month), 2024-Q2 (quarter), 2024-H1 (half-year), 2024 (year) and
2024-W23 (ISO week). A weekly occurrence is labelled with the week it reports on: the ISO week
of the day before its deadline, so the report due "trước 08h00 thứ hai" of week 24 is the
report for week 23, and one due "trước ngày Chủ nhật" is for the week that Sunday ends.
"every N months" ("định kỳ 6 tháng", no day stated) is one occurrence per calendar period,
placed at the period's end and marked ``stated=False``; "unstated" yields no occurrence at all.
Times are local to Asia/Ho_Chi_Minh: a filing with a UTC offset is converted before comparing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from engine.ast import Deadline

__all__ = ["Occurrence", "occurrences", "due_in", "period_label", "is_on_time", "last_day_on_time", "local", "TIMEZONE"]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Occurrence:
    """One due instance: the period it covers, its deadline, and whether the deadline is inclusive."""

    period: str
    start: date  # first day of the period the report or meeting belongs to
    due: datetime  # the deadline's day, at the law's time of day (00:00 when it gives none)
    inclusive: bool  # True: "no later than" (due itself on time); False: "before"
    window_start: date | None = None  # "during month M", "every N months": the earliest on-time date
    timed: bool = False  # the law gives a time of day ("trước 08h00 thứ hai")
    stated: bool = True  # False: the text gives no day ("định kỳ 6 tháng"); due is the period's end

    @property
    def due_date(self) -> date:
        return self.due.date()


def _half(month: int) -> int:
    return 1 if month <= 6 else 2


def _covered_week(due: date) -> date:
    """Monday of the week a weekly report due on ``due`` reports on (the week of the day before)."""
    day = due - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def period_label(deadline: Deadline, day: date) -> str:
    """The label of the period an occurrence due on ``day`` covers (2024-05, 2024-Q2, 2024-H1, 2024-W23, 2024).

    For ``every N months`` ``day`` may be any day of the period; for a weekly deadline it is the
    due day (the label is the week reported on, see the module docstring).
    """
    if deadline.kind == "day":
        if deadline.quarter_end:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        if deadline.months == (6, 12):
            return f"{day.year}-H{_half(day.month)}"
        if len(deadline.months) == 1:
            return f"{day.year}"  # once a year: the period is the year
        return f"{day.year}-{day.month:02d}"
    if deadline.kind == "weekday":
        iso = _covered_week(day).isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if deadline.kind == "month":
        return f"{day.year}"
    if deadline.kind == "every" and deadline.unit == "week":
        iso = day.isocalendar()  # the week itself: a weekly meeting of week 23 is labelled 2024-W23
        return f"{iso.year}-W{iso.week:02d}"
    if deadline.kind == "every":
        interval = deadline.interval or 12
        if interval == 12:
            return f"{day.year}"
        if interval == 6:
            return f"{day.year}-H{_half(day.month)}"
        if interval == 3:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        if interval == 1:
            return f"{day.year}-{day.month:02d}"
        index = (day.month - 1) // interval + 1
        return f"{day.year}-P{index}of{12 // interval}"
    return ""


def _period_start(deadline: Deadline, due: date) -> date:
    if deadline.kind == "day":
        if deadline.quarter_end:
            return date(due.year, due.month - 2, 1)
        if deadline.months == (6, 12):
            return date(due.year, 1 if due.month <= 6 else 7, 1)
        if len(deadline.months) == 1:
            return date(due.year, 1, 1)
        return date(due.year, due.month, 1)
    if deadline.kind == "weekday":
        return _covered_week(due)
    if deadline.kind == "month":
        return date(due.year, 1, 1)
    return due


def occurrences(deadline: Deadline, start: date, end: date) -> list[Occurrence]:
    """Every occurrence whose deadline falls in [start, end] (both dates inclusive)."""
    return list(_occurrences(deadline, start, end))


def due_in(deadline: Deadline, start: date, end: date) -> tuple[Occurrence, ...]:
    """:func:`occurrences` as the memoised tuple itself: the same object for the same deadline and
    window while it is remembered (so that what is worked out from it can be memoised by identity)."""
    return _occurrences(deadline, start, end)


# The same deadlines over the same windows for every setup of an audit: dates computed once.
@lru_cache(maxsize=4096)
def _occurrences(deadline: Deadline, start: date, end: date) -> tuple[Occurrence, ...]:
    return tuple(_compute(deadline, start, end))


def _compute(deadline: Deadline, start: date, end: date) -> list[Occurrence]:
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
                out.append(
                    Occurrence(
                        period_label(deadline, due_day), _period_start(deadline, due_day), datetime.combine(due_day, time()), deadline.strict == "no_later"
                    )
                )
    elif deadline.kind == "weekday":
        assert deadline.weekday is not None
        for instant in rrule(WEEKLY, dtstart=begin, until=finish, byweekday=deadline.weekday):
            due_day = instant.date()
            out.append(
                Occurrence(
                    period_label(deadline, due_day),
                    _period_start(deadline, due_day),
                    datetime.combine(due_day, deadline.at or time()),
                    deadline.strict == "no_later",
                    timed=deadline.at is not None,
                )
            )
    elif deadline.kind == "month":
        month = deadline.months[0]
        for year in range(start.year, end.year + 1):
            month_end = date(year, month, calendar.monthrange(year, month)[1])
            if start <= month_end <= end:
                out.append(Occurrence(str(year), date(year, 1, 1), datetime.combine(month_end, time()), True, window_start=date(year, month, 1)))
    elif deadline.kind == "every" and deadline.unit == "week":
        # "hằng tuần", no day stated: once per ISO week (Monday to Sunday), on time any day of it.
        monday = start - timedelta(days=start.weekday())
        while monday + timedelta(days=6) <= end:
            sunday = monday + timedelta(days=6)
            if sunday >= start:
                out.append(Occurrence(period_label(deadline, monday), monday, datetime.combine(sunday, time()), True, window_start=monday, stated=False))
            monday += timedelta(days=7)
    elif deadline.kind == "every":
        interval = deadline.interval or 12
        for period_start in rrule(MONTHLY, interval=interval, dtstart=datetime(start.year, 1, 1), until=finish):
            first = period_start.date()
            next_month = first.month + interval
            next_start = date(first.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
            period_end = next_start - timedelta(days=1)
            if start <= period_end <= end:
                out.append(Occurrence(period_label(deadline, first), first, datetime.combine(period_end, time()), True, window_start=first, stated=False))
    return out


def local(moment: date | datetime) -> date | datetime:
    """A filing time as a naive local time in Asia/Ho_Chi_Minh (dates and naive times are local already)."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(TIMEZONE).replace(tzinfo=None)
    return moment


def is_on_time(occurrence: Occurrence, filed: date | datetime) -> bool | None:
    """Whether a filing on ``filed`` meets the occurrence; None when a date alone cannot tell.

    "before day D" (no time): day D itself is late. "no later than day D": any time on D is on
    time. "before HH:MM on D": a filing given as a bare date on D cannot be judged without its
    time and is reported as unknown rather than guessed. A filing before ``window_start``
    (a November review held in October) is not on time either.
    """
    filed = local(filed)
    day = filed.date() if isinstance(filed, datetime) else filed
    if occurrence.window_start is not None and day < occurrence.window_start:
        return False
    due_day = occurrence.due_date
    if not occurrence.timed:
        return day <= due_day if occurrence.inclusive else day < due_day
    if isinstance(filed, datetime):
        return filed <= occurrence.due if occurrence.inclusive else filed < occurrence.due
    if day != due_day:
        return day < due_day
    return None


def last_day_on_time(occurrence: Occurrence) -> date:
    """The last calendar day on which a filing can still be on time (the 24th for "trước ngày 25")."""
    if occurrence.timed or occurrence.inclusive:
        return occurrence.due_date
    return occurrence.due_date - timedelta(days=1)
