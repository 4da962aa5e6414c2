"""The 2025 reorganisation as dated events: what ceased, what replaced it, and what quyche says."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance import load_setup, to_facts
from compliance.units import current_province, event_problems, namesakes, province_names
from engine import Program, Status, build_program, evaluate, parse_text
from engine.reorganisation import Reorganisation, normalise_name
from tests.conftest import EXAMPLES, ROOT, said

EVENTS_FILE = ROOT / "regulations" / "events" / "reorganisation-2025.quy"
TODAY = date(2026, 11, 23)
CAO_LANH = {"province": "Đồng Tháp", "jurisdiction": "Cao Lãnh", "unit_type": "thành phố", "level": "district"}
LOC_NINH = {"province": "Bình Phước", "jurisdiction": "Lộc Ninh", "unit_type": "huyện", "level": "district"}
PROVINCIAL = {"province": "Bình Phước", "level": "province"}
DONG_THAP = {"province": "Đồng Tháp", "level": "province"}


def _events() -> list[Any]:
    return list(parse_text(EVENTS_FILE.read_text(encoding="utf-8"), str(EVENTS_FILE)).events)


def _lookup(name: str, centre: dict[str, Any], when: date = TODAY) -> tuple[str, str | None, str] | None:
    match = Reorganisation(_events(), when).lookup(name, centre)
    return None if match is None else (match.ceased.change.name, match.ceased.successor, match.how)


# ---------------------------------------------------------------- the events file
def test_the_events_are_dated_and_sourced_as_domain_md_gives_them(program: Program) -> None:
    events = {e.id: e for e in _events()}
    assert {e.id for e in events.values()} <= set(program.events)
    assert events["sap_xep_so_2025"].on == date(2025, 3, 1)
    assert events["ket_thuc_cap_huyen_2025"].on == date(2025, 7, 1)
    assert events["ket_thuc_cap_huyen_2025"].source == "Nghị quyết 203/2025/QH15"
    assert events["sap_nhap_tinh_2025"].source == "Nghị quyết 202/2025/QH15"
    changes = {(c.subject, c.name): c for e in events.values() for c in e.changes}
    assert changes[("body", "Sở Thông tin và Truyền thông")].successor == "Sở Khoa học và Công nghệ"
    assert changes[("body", "Sở Kế hoạch và Đầu tư")].successor == "Sở Tài chính"
    # DOMAIN.md names no successor for these: none is invented
    for name in ("Công an huyện", "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Lao động - Thương binh và Xã hội"):
        assert changes[("body", name)].successor is None
    assert {(n, c.successor) for (s, n), c in changes.items() if s == "province"} == {
        ("Bình Phước", "Đồng Nai"),
        ("Bình Thuận", "Lâm Đồng"),
        ("Tiền Giang", "Đồng Tháp"),
    }
    assert {(n, c.within) for (s, n), c in changes.items() if s == "unit"} == {
        ("thành phố Cao Lãnh", "Đồng Tháp"),
        ("thành phố Hồng Ngự", "Đồng Tháp"),
        ("thành phố Sa Đéc", "Đồng Tháp"),
        ("huyện Lộc Ninh", "Bình Phước"),
    }


def test_successor_provinces_are_real_today_and_merged_ones_are_not(program: Program) -> None:
    assert len(province_names()) == 34
    for event in program.events.values():
        for change in event.changes:
            if change.subject == "province":
                assert current_province(change.name) is None, change.name
                assert current_province(change.successor or "") is not None, change.successor
    assert event_problems(program) == []


def test_event_problems_catch_a_successor_that_does_not_exist() -> None:
    bad = build_program(
        [parse_text('event e { on 2025-07-01 source "NQ" province "Bình Phước" merged into "Bình Long" province "Đồng Nai" merged into "Lâm Đồng" }')]
    )
    problems = event_problems(bad)
    assert any("Bình Long is not a province today" in p for p in problems)
    assert any("Đồng Nai is still a province today" in p for p in problems)


def test_todays_namesakes_are_real_communes_and_wards() -> None:
    assert [str(u) for u in namesakes("Cao Lãnh")] == ["Phường Cao Lãnh (Đồng Tháp)"]
    assert str(namesakes("Lộc Ninh", "Đồng Nai")[0]) == "Xã Lộc Ninh (Đồng Nai)"
    assert {str(u) for u in namesakes("huyện Lộc Ninh")} == {"Xã Lộc Ninh (Đồng Nai)", "Xã Lộc Ninh (Tây Ninh)"}
    assert namesakes("Không Có Nơi Này") == []
    assert current_province("tỉnh Đồng Nai") is not None and current_province("Thanh Hoá") is not None


def test_grammar_takes_a_province_scope_and_reorganised() -> None:
    module = parse_text('event e { on 2025-07-01 source "NQ" unit "thị xã A" in "Tỉnh B" ceases body "Sở C" reorganised }')
    unit, body = module.events[0].changes
    assert (unit.subject, unit.name, unit.within, unit.outcome) == ("unit", "thị xã A", "Tỉnh B", "ceases")
    assert (body.outcome, body.successor) == ("reorganised", None)


# ---------------------------------------------------------------- matching names
@pytest.mark.parametrize(
    ("name", "centre", "expected"),
    [
        ("Sở Thông tin và Truyền thông", CAO_LANH, ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "name")),
        ("Phó Giám đốc phụ trách Sở TT&TT", PROVINCIAL, ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "name")),
        ("Giám đốc Sở Kế hoạch và Đầu Tư", PROVINCIAL, ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", "name")),
        ("GĐ Sở LĐ-TB&XH", PROVINCIAL, ("Sở Lao động - Thương binh và Xã hội", None, "name")),
        ("Công an thành phố Cao Lãnh", CAO_LANH, ("Công an huyện", None, "district_body")),
        ("Công an huyện Lộc Ninh", LOC_NINH, ("Công an huyện", None, "name")),
        ("Công an thị xã Bình Long", PROVINCIAL, ("Công an huyện", None, "district_body")),
        ("UBND thành phố", CAO_LANH, ("thành phố Cao Lãnh", None, "own_unit_body")),
        ("Văn phòng HĐND và UBND thành phố Cao Lãnh", CAO_LANH, ("thành phố Cao Lãnh", None, "unit_body")),
        ("UBND huyện", LOC_NINH, ("huyện Lộc Ninh", None, "own_unit_body")),
        ("UBND các huyện, thị xã, thành phố", PROVINCIAL, ("cấp huyện", None, "level_body")),
        ("UBND tỉnh", LOC_NINH, ("Bình Phước", "Đồng Nai", "province_body")),
        ("VNPT Bình Phước", LOC_NINH, ("Bình Phước", "Đồng Nai", "province_name")),
        ("UBND Tỉnh", CAO_LANH, None),  # Đồng Tháp continues
        ("Sở Tài chính", CAO_LANH, None),  # a successor, not a ceased body
        ("Công an tỉnh", PROVINCIAL, ("Bình Phước", "Đồng Nai", "province_body")),  # of a province that merged away
        ("Công an tỉnh", DONG_THAP, None),
        ("Công an Thành phố Hồ Chí Minh", DONG_THAP, None),
        ("Đơn vị trúng thầu cung cấp dịch vụ", CAO_LANH, None),
    ],
)
def test_names_are_matched_to_what_ceased(name: str, centre: dict[str, Any], expected: tuple[str, str | None, str] | None) -> None:
    assert _lookup(name, centre) == expected


def test_nothing_has_ceased_before_its_date() -> None:
    assert _lookup("Sở Thông tin và Truyền thông", CAO_LANH, date(2025, 2, 28)) is None
    assert _lookup("UBND thành phố", CAO_LANH, date(2025, 6, 30)) is None
    assert _lookup("Công an thành phố Cao Lãnh", CAO_LANH, date(2025, 3, 1)) == ("Công an huyện", None, "district_body")
    assert normalise_name("Sở TT&TT") == normalise_name("Sở Thông tin và Truyền thông")


# ---------------------------------------------------------------- findings
def _findings(program: Program, path: Any, when: date) -> dict[str, Any]:
    evaluation = evaluate(program, to_facts(load_setup(path)), when)
    return {v.id: v for v in evaluation.verdicts if v.kind == "reorganisation"}


def test_cao_lanh_findings_as_of_each_date(program: Program) -> None:
    setup = EXAMPLES / "dong-thap" / "cao-lanh.yaml"
    assert _findings(program, setup, date(2025, 2, 28)) == {}
    spring = _findings(program, setup, date(2025, 4, 1))
    assert set(spring) == {"reorganisation.sap_xep_so_2025.so_thong_tin_va_truyen_thong", "reorganisation.sap_xep_so_2025.cong_an_huyen"}
    tttt = spring["reorganisation.sap_xep_so_2025.so_thong_tin_va_truyen_thong"]
    assert tttt.severity == "info" and "now go to Sở Khoa học và Công nghệ" in said(tttt.message, "en")
    police = spring["reorganisation.sap_xep_so_2025.cong_an_huyen"]
    assert police.severity == "warning" and "unknown" in said(police.message, "en")
    assert [e["record"] for e in police.evidence if e["role"] == "affected"] == ["staff[4]"]
    today = _findings(program, setup, TODAY)
    unit = today["reorganisation.ket_thuc_cap_huyen_2025.thanh_pho_cao_lanh"]
    assert unit.document == "Nghị quyết 203/2025/QH15" and unit.status is Status.UNKNOWN
    assert "UBND thành phố" in said(unit.message, "en")  # the reporting body of Điều 11 ceased with the city
    assert all(v.status is Status.UNKNOWN for v in today.values())


def test_loc_ninh_today(program: Program) -> None:
    found = _findings(program, EXAMPLES / "loc-ninh" / "loc-ninh.yaml", TODAY)
    unit = found["reorganisation.ket_thuc_cap_huyen_2025.huyen_loc_ninh"]
    assert "huyện Lộc Ninh" in said(unit.message, "vi") and "UBND huyện" in said(unit.message, "en")
    assert "who receives them now is unknown" in said(unit.message, "en")
    # today's namesake in the province Bình Phước merged into comes first, as information only
    assert "Xã Lộc Ninh (Đồng Nai), Xã Lộc Ninh (Tây Ninh)" in said(unit.message, "en")
    province = found["reorganisation.sap_nhap_tinh_2025.binh_phuoc"]
    assert "merged into Đồng Nai" in said(province.message, "en") and "Đồng Nai is one of today's provinces" in said(province.message, "en")
    assert province.severity == "warning"
    assert "reorganisation.sap_xep_so_2025.cong_an_huyen" in found


INLINE = """document d { number "1/QĐ" signed 2024-01-01 applies to centre.province = "Bình Phước" }
obligation thang {
  at "Điều 11" text "báo cáo tháng trước ngày 25 hằng tháng"
  by "Văn phòng HĐND và UBND huyện"
  to "UBND huyện", "Sở Thông tin và Truyền thông"
  due before day 25 of each month
}
"""


def _inline(reports: list[dict[str, Any]], when: date) -> Any:
    program = build_program([parse_text(INLINE), parse_text(EVENTS_FILE.read_text(encoding="utf-8"))])
    facts = {"centre": dict(LOC_NINH, records_since=date(2025, 2, 1)), "reports": reports}
    return next(v for v in evaluate(program, facts, when).verdicts if v.id == "d.thang")


def _month(m: int, to: list[str], year: int = 2025) -> dict[str, Any]:
    return {"obligation": "thang", "period": f"{year}-{m:02d}", "filed": date(year, m, 20), "to": to}


def test_a_report_sent_to_the_successor_counts_once_the_merger_happened() -> None:
    old, new = ["UBND huyện", "Sở Thông tin và Truyền thông"], ["UBND huyện", "Sở Khoa học và Công nghệ"]
    v = _inline([_month(2, old), _month(3, new), _month(4, old), _month(5, new)], date(2025, 5, 31))
    assert v.status is Status.SATISFIED, v.evidence
    assert "successor of Sở Thông tin và Truyền thông" in said(v.evidence[1]["detail"], "en")
    # before the merger, Sở Khoa học và Công nghệ was not the recipient the law named
    v = _inline([_month(2, new)], date(2025, 2, 28))
    assert v.status is Status.VIOLATED and v.evidence[0]["role"] == "wrong_recipient"


def test_after_the_district_level_ended_missing_reports_are_not_blamed_on_the_centre() -> None:
    reports = [_month(m, ["UBND huyện", "Sở Khoa học và Công nghệ"]) for m in range(3, 7)]
    reports.append(_month(2, ["UBND huyện", "Sở Thông tin và Truyền thông"]))
    v = _inline(reports, date(2025, 12, 31))
    assert v.status is Status.UNKNOWN
    roles = [(e["role"], e["due"]) for e in v.evidence if e["role"] != "on_time"]
    assert roles == [("uncertain", f"2025-{m:02d}-25") for m in range(7, 13)]
    assert "ceased on 1 July 2025" in said(v.evidence[-1]["detail"], "en")


def test_a_recipient_that_ceased_with_no_known_successor_is_not_required() -> None:
    program = build_program([parse_text(INLINE.replace('by "Văn phòng HĐND và UBND huyện"\n', "")), parse_text(EVENTS_FILE.read_text(encoding="utf-8"))])
    facts = {"centre": dict(LOC_NINH, records_since=date(2025, 8, 1)), "reports": [_month(8, ["Sở Khoa học và Công nghệ"])]}
    v = next(v for v in evaluate(program, facts, date(2025, 8, 31)).verdicts if v.id == "d.thang")
    assert v.status is Status.SATISFIED and "UBND huyện ceased on 1 July 2025, successor unknown" in said(v.evidence[0]["detail"], "en")


# ---------------------------------------------------------------- property
names = st.sampled_from(
    [
        "Sở Thông tin và Truyền thông",
        "Công an huyện",
        "UBND huyện",
        "Sở KH&ĐT",
        "VNPT Bình Phước",
        "Văn phòng HĐND và UBND thành phố Cao Lãnh",
        "Phòng Văn hóa và Thông tin huyện",
        "UBND tỉnh",
    ]
)
centres = st.fixed_dictionaries(
    {},
    optional={
        "province": st.sampled_from(["Bình Phước", "Bình Thuận", "Đồng Tháp", "Tiền Giang", "Đồng Nai"]),
        "jurisdiction": st.sampled_from(["Cao Lãnh", "Hồng Ngự", "Sa Đéc", "Lộc Ninh", "Đồng Xoài"]),
        "unit_type": st.sampled_from(["huyện", "thị xã", "thành phố", "tỉnh"]),
        "level": st.sampled_from(["province", "district"]),
        "coordinating_units": st.lists(names, max_size=3),
    },
)


@settings(max_examples=100, deadline=None)
@given(centre=centres, staff=st.lists(names, max_size=3), when=st.dates(min_value=date(2018, 1, 1), max_value=date(2025, 2, 28)))
def test_a_date_before_2025_03_01_never_yields_a_reorganisation_finding(program: Program, centre: dict[str, Any], staff: list[str], when: date) -> None:
    facts = {"centre": {"operating": True, **centre}, "staff": [{"name": "x", "agency": a} for a in staff]}
    assert [v for v in evaluate(program, facts, when).verdicts if v.kind == "reorganisation"] == []
    assert not Reorganisation(list(program.events.values()), when)
