"""`quyche calendar`: every obligation's due dates as iCalendar events, in the law's words."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

from compliance.calendar import build_calendar
from compliance.setup import validate
from engine import Program, build_program, parse_text
from tests.conftest import EXAMPLES, ROOT, invoke_bytes

LOC_NINH = EXAMPLES / "loc-ninh" / "loc-ninh.yaml"


def _cli(*args: str) -> tuple[int, bytes, str]:
    code, out, err = invoke_bytes(list(args))
    return code, out, err.decode("utf-8")


def _events(ics: bytes) -> list[Any]:
    return [c for c in Calendar.from_ical(ics).walk() if c.name == "VEVENT"]


def _start(event: Any) -> date | datetime:
    return event.decoded("dtstart")


# ---------------------------------------------------------------- Lộc Ninh, 2024
def test_loc_ninh_2024_lists_each_obligation_once_per_period_with_the_right_dates() -> None:
    code, ics, err = _cli("calendar", str(LOC_NINH), "--year", "2024")
    assert code == 0, err
    events = _events(ics)
    got = sorted((str(e["x-quyche-rule"]).split(".", 1)[1], _start(e)) for e in events)
    assert got == sorted(
        [
            ("bao_cao_thang", date(2024, 9, 25)),
            ("bao_cao_thang", date(2024, 10, 25)),
            ("bao_cao_thang", date(2024, 11, 25)),
            ("bao_cao_thang", date(2024, 12, 25)),
            ("bao_cao_quy", date(2024, 9, 25)),
            ("bao_cao_quy", date(2024, 12, 25)),
            ("hop_6_thang", date(2024, 12, 31)),
            ("kiem_diem_hang_nam", date(2024, 12, 31)),
            ("ke_hoach_du_toan_hang_nam", date(2024, 12, 31)),
        ]
    )
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids) and "qd4037_2024.bao_cao_thang.2024-09@quyche" in uids
    # the obligation whose text states no deadline is listed, not invented
    assert "bao_cao_dinh_ky_van_phong" not in " ".join(uids)
    assert "bao_cao_dinh_ky_van_phong" in err and "không nêu thời hạn" in err
    assert "bao_cao_dinh_ky_van_phong" in str(Calendar.from_ical(ics)["x-wr-caldesc"])


def test_each_event_names_its_rule_document_article_and_the_laws_words() -> None:
    _, ics, _ = _cli("calendar", str(LOC_NINH), "--year", "2024")
    monthly = next(e for e in _events(ics) if str(e["uid"]) == "qd4037_2024.bao_cao_thang.2024-09@quyche")
    description = str(monthly["description"])
    assert "qd4037_2024.bao_cao_thang" in description and "4037/QĐ-UBND" in description
    assert "Điều 11 khoản 6" in description and "báo cáo tháng trước ngày 25 hằng tháng" in description
    assert "trước ngày 25/09/2024" in description and "Ngày cuối cùng còn đúng hạn: 24/09/2024" in description  # the 25th is already late
    assert str(monthly["x-quyche-deadline"]) == "before" and str(monthly["x-quyche-document"]) == "4037/QĐ-UBND"
    assert "kỳ 2024-09" in str(monthly["summary"])
    meeting = next(e for e in _events(ics) if "hop_6_thang" in str(e["uid"]))
    assert str(meeting["x-quyche-deadline"]) == "unstated-day" and "không nêu ngày" in str(meeting["description"])


def test_the_calendar_is_byte_identical_and_out_writes_the_same_bytes(tmp_path: Path) -> None:
    _, first, _ = _cli("calendar", str(LOC_NINH), "--year", "2024")
    _, second, _ = _cli("calendar", str(LOC_NINH), "--year", "2024")
    assert first == second and b"DTSTAMP:20240101T000000Z" in first
    out = tmp_path / "loc-ninh.ics"
    code, stdout, err = _cli("calendar", str(LOC_NINH), "--year", "2024", "--out", str(out))
    assert code == 0 and stdout == b"" and out.read_bytes() == first and "9 sự kiện (năm 2024)" in err


def test_after_the_reorganisation_the_calendar_says_who_receives_and_who_no_longer_reports(program: Program) -> None:
    from compliance import load_setup

    result = build_calendar(program, load_setup(LOC_NINH), 2025)
    events = {str(e["uid"]): e for e in _events(result.ics)}
    april = str(events["qd4037_2024.bao_cao_thang.2025-04@quyche"]["description"])
    assert "Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ" in april
    assert str(events["qd4037_2024.bao_cao_thang.2025-04@quyche"]["status"]) == "CONFIRMED"
    july = events["qd4037_2024.bao_cao_thang.2025-07@quyche"]
    assert str(july["status"]) == "TENTATIVE"  # the Văn phòng of the district ceased on 2025-07-01
    assert "UBND huyện (không còn từ 01/07/2025" in str(july["description"])


def test_no_event_after_a_pilot_ended_without_extension(program: Program) -> None:
    from compliance import load_setup

    setup = load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")
    assert [_start(e) for e in _events(build_calendar(program, setup, 2025).ics)] == [date(2025, 6, 25), date(2025, 12, 25)]
    assert _events(build_calendar(program, setup, 2026).ics) == []
    extended = {**setup, "centre": {**setup["centre"], "pilot_extensions": ["953/QĐ-UBND-HC"]}}
    assert len(_events(build_calendar(program, extended, 2026).ics)) == 2


# ---------------------------------------------------------------- deadlines of every shape (inline DSL)
INLINE = """document d { number "2936/QĐ-UBND" signed 2020-11-20 applies to centre.province = "P" }
obligation tuan {
  at "Điều 2 khoản 2" text "báo cáo định kỳ (trước 08h00 thứ hai hằng tuần)"
  to "Lãnh đạo Tỉnh ủy, UBND tỉnh"
  due before monday 08:00 each week
}
obligation tong_ket { at "Điều 2" text "tổng kết vào tháng 11 hằng năm" record meetings due during month 11 each year }
obligation sau_thang { at "Điều 11" text "Chậm nhất ngày 25 của tháng 6 và tháng 12" due no later than day 25 of months 6, 12 }
obligation dot_xuat { at "Điều 3" text "báo cáo đột xuất" due unstated }
"""


def _inline_calendar(year: int = 2024) -> Any:
    program = build_program([parse_text(INLINE), parse_text((ROOT / "regulations" / "events" / "reorganisation-2025.quy").read_text(encoding="utf-8"))])
    setup = validate({"centre": {"id": "p", "name": "IOC P", "province": "P", "level": "province"}})
    return build_calendar(program, setup, year)


def test_a_deadline_with_a_time_of_day_is_a_timed_event_in_vietnam_time() -> None:
    result = _inline_calendar()
    weekly = [e for e in _events(result.ics) if str(e["x-quyche-rule"]) == "d.tuan"]
    assert len(weekly) == 53  # 2024 has 53 Mondays: 1 January and 30 December are both Mondays
    first = weekly[0]
    assert _start(first) == datetime(2024, 1, 1, 8, 0, tzinfo=_start(first).tzinfo)
    assert str(_start(first).tzinfo) == "Asia/Ho_Chi_Minh"
    assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:20240101T080000" in result.ics
    assert b"BEGIN:VTIMEZONE" in result.ics and str(first["uid"]) == "d.tuan.2023-W52@quyche"


def test_during_november_spans_the_month_and_no_later_than_is_marked() -> None:
    events = {str(e["x-quyche-rule"]): e for e in _events(_inline_calendar().ics)}
    november = events["d.tong_ket"]
    assert (_start(november), november.decoded("dtend")) == (date(2024, 11, 1), date(2024, 12, 1))
    assert str(november["x-quyche-deadline"]) == "during"
    half = [e for e in _events(_inline_calendar().ics) if str(e["x-quyche-rule"]) == "d.sau_thang"]
    assert [_start(e) for e in half] == [date(2024, 6, 25), date(2024, 12, 25)]
    assert all(str(e["x-quyche-deadline"]) == "no-later-than" for e in half)
    assert "chậm nhất ngày 25/06/2024" in str(half[0]["summary"])


def test_unstated_deadlines_get_no_event_but_a_note() -> None:
    result = _inline_calendar()
    assert not [e for e in _events(result.ics) if str(e["x-quyche-rule"]) == "d.dot_xuat"]
    assert any(n.startswith("d.dot_xuat") for n in result.notes)


def test_bad_input_exits_2(tmp_path: Path) -> None:
    code, _, err = _cli("calendar", str(LOC_NINH), "--year", "20245")
    assert code == 2 and "--year" in err
    code, _, err = _cli("calendar", str(tmp_path / "missing.yaml"))
    assert code == 2
    code, _, err = _cli("calendar", str(LOC_NINH), "--year", "2024", "--out", str(tmp_path / "no" / "such" / "dir.ics"), "--lang", "en")
    assert code == 2 and "cannot write" in err


def test_a_duty_owed_by_each_team_names_the_teams() -> None:
    from tests.conftest import EXAMPLES, run_cli

    code, out, _ = run_cli("calendar", str(EXAMPLES / "binh-phuoc" / "provincial-ioc.yaml"), "--year", "2021", "--lang", "en")
    unfolded = out.replace("\r\n ", "").replace("\n ", "")  # undo RFC 5545 line folding
    assert code == 0 and "Owed by each group separately: Tổ 1\\, Tổ 2\\, Tổ 3" in unfolded
