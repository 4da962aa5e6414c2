"""Deadlines in the law's words → occurrences, periods and on-time judgements (engine.schedule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.wording import describe_due
from engine import parse_text
from engine.ast import Deadline
from engine.schedule import is_on_time, last_day_on_time, occurrences, period_label


def _deadline(dsl: str) -> Deadline:
    """The Deadline a `due …` line parses to (through the real grammar)."""
    module = parse_text('document d { number "1" }\nobligation o { at "Điều 1" text "ngày 25" due ' + dsl + " }")
    return module.obligations[0].deadlines[0]


MONTHLY_BEFORE = _deadline("before day 25 of each month")
MONTHLY_NO_LATER = _deadline("no later than day 25 of each month")
QUARTERLY = _deadline("before day 25 of last month of each quarter")
HALF_YEARLY = _deadline("no later than day 25 of months 6, 12")
WEEKLY = _deadline("before monday 08:00 each week")
BEFORE_SUNDAY = _deadline("before sunday each week")
NOVEMBER = _deadline("during month 11 each year")
SIX_MONTHS = _deadline("every 6 months")
YEARLY = _deadline("every 12 months")
UNSTATED = _deadline("unstated")


def _one(deadline: Deadline, day: date):  # noqa: ANN202
    found = [o for o in occurrences(deadline, day, day)]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- "trước" vs "chậm nhất"
def test_before_the_25th_makes_the_25th_late() -> None:
    occ = _one(MONTHLY_BEFORE, date(2024, 5, 25))
    assert occ.period == "2024-05"
    assert is_on_time(occ, date(2024, 5, 24)) is True
    assert is_on_time(occ, date(2024, 5, 25)) is False
    assert is_on_time(occ, datetime(2024, 5, 25, 0, 1)) is False
    assert last_day_on_time(occ) == date(2024, 5, 24)


def test_no_later_than_the_25th_accepts_the_whole_25th() -> None:
    occ = _one(HALF_YEARLY, date(2024, 6, 25))
    assert occ.period == "2024-H1"
    assert is_on_time(occ, date(2024, 6, 25)) is True
    assert is_on_time(occ, datetime(2024, 6, 25, 16, 30)) is True  # a time on the day itself is on time
    assert is_on_time(occ, date(2024, 6, 26)) is False
    assert last_day_on_time(occ) == date(2024, 6, 25)


def test_before_0800_monday_has_a_time_of_day() -> None:
    occ = _one(WEEKLY, date(2024, 6, 3))  # a Monday
    assert occ.timed and occ.due == datetime(2024, 6, 3, 8, 0)
    assert is_on_time(occ, datetime(2024, 6, 3, 7, 59)) is True
    assert is_on_time(occ, datetime(2024, 6, 3, 8, 0)) is False
    assert is_on_time(occ, date(2024, 6, 2)) is True
    assert is_on_time(occ, date(2024, 6, 3)) is None  # a bare date on the day: cannot tell, not guessed


def test_filings_with_a_utc_offset_are_compared_in_vietnam_time() -> None:
    occ = _one(WEEKLY, date(2024, 6, 3))
    # 00:30 UTC is 07:30 in Hồ Chí Minh City: on time; 01:30 UTC is 08:30: late.
    assert is_on_time(occ, datetime(2024, 6, 3, 0, 30, tzinfo=UTC)) is True
    assert is_on_time(occ, datetime(2024, 6, 3, 1, 30, tzinfo=UTC)) is False


def test_weekly_reports_are_labelled_with_the_week_they_report_on() -> None:
    monday = _one(WEEKLY, date(2024, 6, 3))  # Monday of ISO week 23 reports on week 22
    assert monday.period == "2024-W22" and monday.start == date(2024, 5, 27)
    sunday = _one(BEFORE_SUNDAY, date(2024, 6, 9))  # Sunday ending week 23: the week's own report
    assert sunday.period == "2024-W23" and sunday.start == date(2024, 6, 3)
    # ISO years: the Monday 2024-12-30 reports on week 52 of 2024; 2021-01-04 on week 53 of 2020.
    assert _one(WEEKLY, date(2024, 12, 30)).period == "2024-W52"
    assert _one(WEEKLY, date(2021, 1, 4)).period == "2020-W53"


def test_quarterly_half_yearly_and_yearly_periods() -> None:
    quarters = occurrences(QUARTERLY, date(2024, 1, 1), date(2024, 12, 31))
    assert [(o.period, o.due_date) for o in quarters] == [
        ("2024-Q1", date(2024, 3, 25)),
        ("2024-Q2", date(2024, 6, 25)),
        ("2024-Q3", date(2024, 9, 25)),
        ("2024-Q4", date(2024, 12, 25)),
    ]
    assert quarters[2].start == date(2024, 7, 1)
    halves = occurrences(SIX_MONTHS, date(2024, 1, 1), date(2024, 12, 31))
    assert [(o.period, o.due_date, o.stated) for o in halves] == [("2024-H1", date(2024, 6, 30), False), ("2024-H2", date(2024, 12, 31), False)]
    assert [o.period for o in occurrences(YEARLY, date(2024, 1, 1), date(2025, 12, 31))] == ["2024", "2025"]
    assert period_label(_deadline("no later than day 25 of months 12"), date(2024, 12, 25)) == "2024"
    assert period_label(_deadline("every 1 months"), date(2024, 5, 3)) == "2024-05"
    assert period_label(_deadline("every 4 months"), date(2024, 5, 3)) == "2024-P2of3"


def test_during_november_is_a_window() -> None:
    occ = _one(NOVEMBER, date(2024, 11, 30))
    assert occ.period == "2024" and occ.window_start == date(2024, 11, 1)
    assert is_on_time(occ, date(2024, 11, 1)) is True
    assert is_on_time(occ, date(2024, 11, 30)) is True
    assert is_on_time(occ, date(2024, 10, 31)) is False  # held before the month: not "during"
    assert is_on_time(occ, date(2024, 12, 1)) is False
    assert describe_due(occ, "vi") == "từ 01/11/2024 đến 30/11/2024"


def test_every_six_months_accepts_any_day_in_the_half_year() -> None:
    h1 = _one(SIX_MONTHS, date(2024, 6, 30))
    assert is_on_time(h1, date(2024, 1, 1)) and is_on_time(h1, date(2024, 6, 30))
    assert is_on_time(h1, date(2023, 12, 31)) is False and is_on_time(h1, date(2024, 7, 1)) is False
    assert "không nêu ngày" in describe_due(h1, "vi") and "states no day" in describe_due(h1, "en")


def test_unstated_invents_no_occurrence() -> None:
    assert occurrences(UNSTATED, date(2000, 1, 1), date(2030, 12, 31)) == []


def test_day_31_is_clamped_to_the_end_of_short_months() -> None:
    months = occurrences(_deadline("no later than day 31 of each month"), date(2024, 1, 1), date(2024, 4, 30))
    assert [o.due_date for o in months] == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]


def test_describe_due_keeps_the_laws_words() -> None:
    assert describe_due(_one(MONTHLY_BEFORE, date(2024, 5, 25)), "vi").startswith("trước ngày 25/05/2024")
    assert describe_due(_one(MONTHLY_NO_LATER, date(2024, 5, 25)), "vi") == "chậm nhất ngày 25/05/2024"
    assert describe_due(_one(WEEKLY, date(2024, 6, 3)), "vi") == "trước 08:00 thứ hai 03/06/2024"
    assert describe_due(_one(WEEKLY, date(2024, 6, 3)), "en") == "before 08:00 on Monday 3 June 2024"


# ---------------------------------------------------------------- properties
STATED = [
    MONTHLY_BEFORE,
    MONTHLY_NO_LATER,
    QUARTERLY,
    HALF_YEARLY,
    WEEKLY,
    BEFORE_SUNDAY,
    _deadline("no later than friday 17:00 each week"),
    _deadline("before day 10 of months 1, 7"),
]
ALL = [*STATED, NOVEMBER, SIX_MONTHS, YEARLY, UNSTATED, _deadline("every 3 months"), _deadline("every week")]
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))


@settings(max_examples=200, deadline=None)
@given(deadline=st.sampled_from(ALL), start=days, length=st.integers(min_value=0, max_value=800))
def test_occurrences_are_sorted_unique_per_period_and_within_the_range(deadline: Deadline, start: date, length: int) -> None:
    end = start + timedelta(days=length)
    found = occurrences(deadline, start, end)
    dues = [o.due for o in found]
    assert dues == sorted(dues)
    assert len({o.period for o in found}) == len(found)
    assert all(start <= o.due_date <= end for o in found)
    assert all(o.start <= o.due_date for o in found)
    assert all(period_label(deadline, o.due_date if deadline.kind != "every" else o.start) == o.period for o in found)


@settings(max_examples=300, deadline=None)
@given(deadline=st.sampled_from(STATED), day=days, before=st.integers(min_value=1, max_value=60 * 24 * 40), as_date=st.booleans())
def test_a_filing_before_its_deadline_is_never_late(deadline: Deadline, day: date, before: int, as_date: bool) -> None:
    found = occurrences(deadline, day, day + timedelta(days=40))
    if not found:
        return
    occ = found[0]
    filed = occ.due - timedelta(minutes=before)
    # A bare date strictly before the deadline's day is before it too.
    moment = filed.date() if as_date and filed.date() < occ.due_date else filed
    assert is_on_time(occ, moment) is True


@settings(max_examples=300, deadline=None)
@given(day=st.integers(min_value=1, max_value=31), when=days, offset=st.integers(min_value=-3, max_value=3), at=st.one_of(st.none(), st.times()))
def test_no_later_than_accepts_everything_before_accepts(day: int, when: date, offset: int, at: time | None) -> None:
    before = _deadline(f"before day {day} of each month")
    no_later = _deadline(f"no later than day {day} of each month")
    found = occurrences(before, when, when + timedelta(days=31))
    if not found:
        return
    occ = found[0]
    twin = _one(no_later, occ.due_date)
    filed_day = occ.due_date + timedelta(days=offset)
    filed: date | datetime = datetime.combine(filed_day, at) if at is not None else filed_day
    if is_on_time(occ, filed):
        assert is_on_time(twin, filed)
    # and the one day where they differ is the deadline day itself
    assert is_on_time(occ, occ.due_date) is False and is_on_time(twin, occ.due_date) is True


@pytest.mark.parametrize("deadline", [NOVEMBER, SIX_MONTHS, YEARLY, _deadline("every week")])
def test_window_deadlines_accept_every_day_of_their_window(deadline: Deadline) -> None:
    for occ in occurrences(deadline, date(2024, 1, 1), date(2024, 12, 31)):
        assert occ.window_start is not None
        day = occ.window_start
        while day <= occ.due_date:
            assert is_on_time(occ, day) is True, (occ.period, day)
            day += timedelta(days=1)
        assert is_on_time(occ, occ.window_start - timedelta(days=1)) is False
        assert is_on_time(occ, occ.due_date + timedelta(days=1)) is False
