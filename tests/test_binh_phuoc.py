"""Bình Phước: QĐ 2936/QĐ-UBND (2020) and the draft Tờ trình of 2021, every rule in its outcomes.

Each violation comes from one small change to the compliant provincial setup
(examples/binh-phuoc/provincial-ioc.yaml, as of 2021-06-30), so a test fails if a rule stops
noticing exactly the thing it is about. The draft's rules are proposals: they are checked in
every outcome too, and never decide an exit code.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import bundled_program, parse_setup, to_facts
from compliance.wording import describe_deadline
from engine import Status, evaluate, parse_text
from engine.schedule import is_on_time, occurrences
from tests.conftest import EXAMPLES, check_json, run_cli, said

BP = EXAMPLES / "binh-phuoc"
BASE = yaml.safe_load((BP / "provincial-ioc.yaml").read_text(encoding="utf-8"))
DISTRICT = yaml.safe_load((BP / "dong-xoai.yaml").read_text(encoding="utf-8"))
DAY = date(2021, 6, 30)
QD = "qd2936_2020"
DRAFT = "totrinh_ioc_2021"


def _verdicts(data: dict[str, Any], when: date = DAY) -> dict[str, Any]:
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(yaml.safe_dump(data, allow_unicode=True))), when)
    return {v.id: v for v in evaluation.verdicts}


def _changed(change: Callable[[dict[str, Any]], None], base: dict[str, Any] = BASE) -> dict[str, Any]:
    data = copy.deepcopy(base)
    change(data)
    return data


def _team(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(t for t in data["teams"] if t["name"] == name)["members"]


# ---------------------------------------------------------------- the examples
def test_provincial_ioc_is_compliant_as_of_mid_2021() -> None:
    code, data = check_json(BP / "provincial-ioc.yaml", "2021-06-30")
    assert code == 0
    assert data["summary"]["violated"] == 0 and data["summary"]["unknown"] == 0
    binding = [f for f in data["findings"] if f["document_id"] == QD]
    assert len(binding) == 18 and all(f["status"] == "satisfied" for f in binding)


def test_provincial_violations_break_exactly_what_the_header_says() -> None:
    code, data = check_json(BP / "provincial-ioc-violations.yaml", "2021-12-06")
    assert code == 1
    violated = sorted(f["rule"] for f in data["findings"] if f["status"] == "violated" and f["binding"])
    assert violated == [f"{QD}.bao_cao_tuan", f"{QD}.so_ket_hang_nam", f"{QD}.to_2_thu_ky"]
    proposed = sorted(f["rule"].split(".", 1)[1] for f in data["findings"] if f["status"] == "violated" and not f["binding"])
    assert proposed == ["ca_truc_tinh", "chi_huong_muc_cao_nhat", "dinh_muc_tinh", "dinh_suat_theo_co_quan", "muc_chi_khong_truc_tiep", "muc_chi_truc_tiep"]
    late = next(f for f in data["findings"] if f["rule"] == f"{QD}.bao_cao_tuan")
    # only Tổ 1's report for W47 was late (each Tổ reports on its own: `per team of members`)
    assert [(e["record"], e["group"]) for e in late["evidence"] if e["role"] == "late"] == [("reports[3]", "Tổ 1")]


def test_dong_xoai_exceeds_only_a_proposal_so_the_check_passes() -> None:
    code, data = check_json(BP / "dong-xoai.yaml", "2021-06-30")
    assert code == 0 and data["summary"]["violated"] == 0
    cap = next(f for f in data["findings"] if f["rule"] == f"{DRAFT}.dinh_muc_huyen")
    assert cap["status"] == "violated" and cap["binding"] is False and cap["severity"] == "info"
    # 10 persons also break footnote 2 (on average 03 per shift over 03 shifts): the same overrun, seen from the shifts.
    shifts = next(f for f in data["findings"] if f["rule"] == f"{DRAFT}.ca_truc_huyen")
    assert shifts["status"] == "violated" and shifts["binding"] is False
    assert data["proposed"]["violated"] == 2


# ---------------------------------------------------------------- QĐ 2936: teams (Điều 1)
TEAMS = {
    "Tổ 1": ("Phó Chủ tịch UBND tỉnh phụ trách khối Khoa giáo - Văn xã", "Phó Giám đốc phụ trách Sở Thông tin và Truyền thông"),
    "Tổ 2": ("Phó Chủ tịch UBND tỉnh phụ trách khối Tổng hợp", "Giám đốc Sở Kế hoạch và Đầu tư"),
    "Tổ 3": ("Phó Chủ tịch UBND tỉnh phụ trách khối Kinh tế", "Giám đốc Công an tỉnh"),
}


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_each_team_rule_is_satisfied_by_the_compliant_setup(team: str) -> None:
    n = team[-1]
    v = _verdicts(BASE)
    for rule in ("thanh_vien", "to_truong", "thu_ky"):
        assert v[f"{QD}.to_{n}_{rule}"].status is Status.SATISFIED


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_a_missing_member_violates_the_team_list(team: str) -> None:
    n = team[-1]
    missing = _team(BASE, team)[2]["position"]
    v = _verdicts(_changed(lambda d: _team(d, team).pop(2)))
    verdict = v[f"{QD}.to_{n}_thanh_vien"]
    assert verdict.status is Status.VIOLATED
    assert missing in said(verdict.actual, "en")
    assert v[f"{QD}.to_{n}_to_truong"].status is Status.SATISFIED  # only the list rule notices


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_an_unlisted_member_violates_the_closed_list(team: str) -> None:
    n = team[-1]
    v = _verdicts(_changed(lambda d: _team(d, team).append({"position": "Giám đốc Sở Nội vụ", "concurrent": True})))
    assert v[f"{QD}.to_{n}_danh_sach"].status is Status.VIOLATED
    assert v[f"{QD}.to_{n}_thanh_vien"].status is Status.SATISFIED  # every listed member is still there
    assert _verdicts(BASE)[f"{QD}.to_{n}_danh_sach"].status is Status.SATISFIED


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_the_wrong_leader_violates_the_leader_rule(team: str) -> None:
    n = team[-1]
    other = next(t for t in TEAMS if t != team)

    def change(d: dict[str, Any]) -> None:
        _team(d, team)[0]["position"] = TEAMS[other][0]  # a Vice-Chair, but of another block

    v = _verdicts(_changed(change))
    assert v[f"{QD}.to_{n}_to_truong"].status is Status.VIOLATED


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_a_team_without_its_secretary_or_with_two_violates_the_secretary_rule(team: str) -> None:
    n = team[-1]

    def none(d: dict[str, Any]) -> None:
        for m in _team(d, team):
            if m.get("team_role") == "Thư ký":
                m["team_role"] = "Thành viên"

    def two(d: dict[str, Any]) -> None:
        next(m for m in _team(d, team) if "team_role" not in m)["team_role"] = "Thư ký"

    assert _verdicts(_changed(none))[f"{QD}.to_{n}_thu_ky"].status is Status.VIOLATED
    assert _verdicts(_changed(two))[f"{QD}.to_{n}_thu_ky"].status is Status.VIOLATED


def test_team_rules_are_unknown_without_teams_and_not_applicable_before_the_decision() -> None:
    v = _verdicts(_changed(lambda d: d.pop("teams")))
    for rule in ("to_1_thanh_vien", "to_2_to_truong", "to_3_thu_ky", "kiem_nhiem"):
        assert v[f"{QD}.{rule}"].status is Status.UNKNOWN
    before = _verdicts(BASE, date(2020, 11, 19))
    assert {x.status for k, x in before.items() if k.startswith(QD + ".")} == {Status.NOT_APPLICABLE}


def test_the_decision_applies_to_the_provincial_centre_only() -> None:
    assert not [k for k in _verdicts(DISTRICT) if k.startswith(QD + ".")]  # Đồng Xoài does not list QĐ 2936
    # The provincial setup moved to another province still lists QĐ 2936: one finding at Điều 1 naming the fact.
    other = {k: v for k, v in _verdicts(_changed(lambda d: d["centre"].update(province="Đồng Tháp"))).items() if k.startswith(QD + ".")}
    assert list(other) == [f"{QD}.applicability"]
    assert other[f"{QD}.applicability"].status is Status.VIOLATED and "Đồng Tháp" in said(other[f"{QD}.applicability"].message, "en")


def test_positions_match_whatever_the_tone_mark_placement() -> None:
    def change(d: dict[str, Any]) -> None:
        _team(d, "Tổ 1")[3]["position"] = "Giám đốc Sở Văn hoá, Thể thao và Du lịch"  # hoá, not hóa

    assert _verdicts(_changed(change))[f"{QD}.to_1_thanh_vien"].status is Status.SATISFIED


# ---------------------------------------------------------------- QĐ 2936: Điều 3
def test_concurrent_membership() -> None:
    v = _verdicts(_changed(lambda d: _team(d, "Tổ 3")[4].update(concurrent=False)))
    assert v[f"{QD}.kiem_nhiem"].status is Status.VIOLATED
    v = _verdicts(_changed(lambda d: _team(d, "Tổ 3")[4].pop("concurrent")))
    assert v[f"{QD}.kiem_nhiem"].status is Status.UNKNOWN


def test_standing_body() -> None:
    assert _verdicts(BASE)[f"{QD}.co_quan_thuong_truc"].status is Status.SATISFIED
    v = _verdicts(_changed(lambda d: d["centre"].update(standing_body="Văn phòng UBND tỉnh")))
    assert v[f"{QD}.co_quan_thuong_truc"].status is Status.VIOLATED
    assert v[f"{QD}.co_quan_thuong_truc"].severity == "warning"
    v = _verdicts(_changed(lambda d: d["centre"].pop("standing_body")))
    assert v[f"{QD}.co_quan_thuong_truc"].status is Status.UNKNOWN


# ---------------------------------------------------------------- QĐ 2936: reports and meetings
def _report(d: dict[str, Any], obligation: str, period: str) -> dict[str, Any]:
    return next(r for r in d["reports"] if r["obligation"] == obligation and r["period"] == period)


def test_weekly_report_before_monday_0800() -> None:
    v = _verdicts(_changed(lambda d: _report(d, "bao_cao_tuan", "2021-W23").update(filed="2021-06-14T09:00:00")))
    assert v[f"{QD}.bao_cao_tuan"].status is Status.VIOLATED
    # A bare date on the Monday itself cannot say whether it was before 08:00.
    v = _verdicts(_changed(lambda d: _report(d, "bao_cao_tuan", "2021-W23").update(filed="2021-06-14")))
    assert v[f"{QD}.bao_cao_tuan"].status is Status.UNKNOWN
    v = _verdicts(_changed(lambda d: d["reports"].remove(_report(d, "bao_cao_tuan", "2021-W24"))))
    assert v[f"{QD}.bao_cao_tuan"].status is Status.VIOLATED
    v = _verdicts(_changed(lambda d: d.pop("reports")))
    assert v[f"{QD}.bao_cao_tuan"].status is Status.UNKNOWN
    assert _verdicts(BASE, date(2020, 11, 1))[f"{QD}.bao_cao_tuan"].status is Status.NOT_APPLICABLE


def test_secretaries_report_before_sunday() -> None:
    assert _verdicts(BASE)[f"{QD}.thu_ky_bao_cao"].status is Status.SATISFIED
    v = _verdicts(_changed(lambda d: _report(d, "thu_ky_bao_cao", "2021-W24").update(filed="2021-06-20")))
    assert v[f"{QD}.thu_ky_bao_cao"].status is Status.VIOLATED  # Sunday itself is late: "trước ngày Chủ nhật"


def _meeting(data: dict[str, Any], period: str, team: str = "Tổ 1") -> dict[str, Any]:
    return next(m for m in data["meetings"] if m["period"] == period and m.get("team") == team)


def test_weekly_meeting_any_day_of_the_week() -> None:
    assert _verdicts(BASE)[f"{QD}.sinh_hoat_hang_tuan"].status is Status.SATISFIED
    sunday = _changed(lambda d: _meeting(d, "2021-W23").update(held="2021-06-13"))  # Sunday of W23: still that week
    assert _verdicts(sunday)[f"{QD}.sinh_hoat_hang_tuan"].status is Status.SATISFIED
    early = _changed(lambda d: _meeting(d, "2021-W23").update(held="2021-06-06"))  # held in W22, recorded for W23
    assert _verdicts(early)[f"{QD}.sinh_hoat_hang_tuan"].status is Status.VIOLATED
    missing = _changed(lambda d: d["meetings"].remove(_meeting(d, "2021-W24", "Tổ 2")))
    v = _verdicts(missing)[f"{QD}.sinh_hoat_hang_tuan"]
    assert v.status is Status.VIOLATED
    assert [e["record"] for e in v.evidence if e["role"] == "missing"] == ["meetings:Tổ 2:2021-W24"]


def test_each_team_meets_on_its_own() -> None:
    """Another team's meeting does not stand in for a team's own (Điều 3: “Tổ chức hoạt động của từng Tổ”)."""
    borrowed = _changed(lambda d: _meeting(d, "2021-W24", "Tổ 3").update(team="Tổ 2"))
    v = _verdicts(borrowed)[f"{QD}.sinh_hoat_hang_tuan"]
    assert v.status is Status.VIOLATED and {e["group"] for e in v.evidence if e["role"] == "missing"} == {"Tổ 3"}


def test_yearly_review_in_november() -> None:
    late = date(2021, 12, 6)
    since = _changed(lambda d: d["centre"].update(records_since="2021-11-01"))
    assert _verdicts(since, late)[f"{QD}.so_ket_hang_nam"].status is Status.VIOLATED  # none held

    def held(day: str) -> dict[str, Any]:
        return _changed(lambda d: d["meetings"].append({"obligation": "so_ket_hang_nam", "period": "2021", "held": day}), since)

    assert _verdicts(held("2021-11-26"), late)[f"{QD}.so_ket_hang_nam"].status is Status.SATISFIED
    assert _verdicts(held("2021-12-02"), late)[f"{QD}.so_ket_hang_nam"].status is Status.VIOLATED
    assert _verdicts(held("2021-10-29"), late)[f"{QD}.so_ket_hang_nam"].status is Status.VIOLATED
    no_log = _changed(lambda d: d.pop("meetings"), since)
    assert _verdicts(no_log, late)[f"{QD}.so_ket_hang_nam"].status is Status.UNKNOWN


# ---------------------------------------------------------------- the grammar extensions
HEADER = 'document d { number "1/QĐ" }\n'


def test_due_every_week_is_one_iso_week_with_no_day() -> None:
    module = parse_text(HEADER + 'obligation o { at "Điều 1" text "hằng tuần" record meetings due every week }')
    deadline = module.obligations[0].deadlines[0]
    assert (deadline.kind, deadline.unit, deadline.interval) == ("every", "week", 1)
    occ = occurrences(deadline, date(2021, 6, 1), date(2021, 6, 30))
    assert [o.period for o in occ] == ["2021-W22", "2021-W23", "2021-W24", "2021-W25"]
    assert occ[0].start == date(2021, 5, 31) and occ[0].due_date == date(2021, 6, 6)
    assert is_on_time(occ[1], date(2021, 6, 7)) and is_on_time(occ[1], date(2021, 6, 13))
    assert not is_on_time(occ[1], date(2021, 6, 6)) and not is_on_time(occ[1], date(2021, 6, 14))
    assert describe_deadline(deadline, "en") == "every week (the text states no day)"
    # Over a new year the ISO year is used: 2021-01-03 is a Sunday of 2020-W53.
    assert occurrences(deadline, date(2020, 12, 28), date(2021, 1, 3))[0].period == "2020-W53"


def test_count_per_groups_by_a_field() -> None:
    module = parse_text(HEADER + 'rule r { at "Điều 1" text "04 người/ca" require count staff where agency = "CA" per shift is at most 4 }')
    constraint = module.rules[0].requires[0]
    assert constraint.per == "shift"
    from engine.printer import format_constraint

    assert format_constraint(constraint) == 'count staff where agency = "CA" per shift is at most 4'
    assert parse_text(HEADER + f'rule r {{ at "Điều 1" text "04" require {format_constraint(constraint)} }}').rules[0].requires[0] == constraint


def test_per_shift_caps_in_each_outcome() -> None:
    rule = f"{DRAFT}.ca_truc_tinh"
    assert _verdicts(BASE)[rule].status is Status.SATISFIED
    moved = _changed(lambda d: d["staff"][4].update(shift=1))  # a fifth officer on shift 1
    v = _verdicts(moved)[rule]
    assert v.status is Status.VIOLATED and "shift = 1: 5" in said(v.actual, "en") and "shift = 2: 3" in said(v.actual, "en")
    unsure = _changed(lambda d: d["staff"][4].pop("shift"))  # could be on any shift
    assert _verdicts(unsure)[rule].status is Status.UNKNOWN
    planning_at_centre = _changed(lambda d: d["staff"][-1].update(works_at_centre=True))
    assert _verdicts(planning_at_centre)[rule].status is Status.VIOLATED
    assert _verdicts(DISTRICT)[rule].status is Status.NOT_APPLICABLE


def test_an_unknown_per_field_is_a_diagnostic() -> None:
    from compliance import vocabulary
    from engine import RegulationError, build_program

    module = parse_text(HEADER + 'rule r { at "Điều 1" text "04" require count staff per shfit is at most 4 }', "t.quy")
    with pytest.raises(RegulationError) as info:
        build_program([module], vocabulary())
    assert any(d.code == "Q014" and "shfit" in d.message and "shift" in (d.hint or "") for d in info.value.diagnostics)


# ---------------------------------------------------------------- the draft's rules (proposals)
def _staff(d: dict[str, Any], agency: str) -> list[dict[str, Any]]:
    return [s for s in d["staff"] if agency in s["agency"]]


def _pay(amount: int, scheme: str = "NQ 14/2021/NQ-HĐND", special: bool | None = True) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        for s in d["staff"]:
            rate = amount if s["works_at_centre"] else amount // 3  # 1,5 and 0,5: the same base
            s["allowances"] = [{"scheme": scheme, "amount": rate, "special": special}]

    return change


def test_caps_on_the_provincial_list_in_each_outcome() -> None:
    cap, quotas = f"{DRAFT}.dinh_muc_tinh", f"{DRAFT}.dinh_suat_theo_co_quan"
    v = _verdicts(BASE)
    assert v[cap].status is Status.SATISFIED and v[quotas].status is Status.SATISFIED
    police = _changed(lambda d: d["staff"].append(dict(d["staff"][0], name="Cán bộ Công an tỉnh 13", shift=2)))
    v = _verdicts(police)
    assert v[cap].status is Status.VIOLATED and v[quotas].status is Status.VIOLATED
    other_agency = _changed(lambda d: _staff(d, "Sở Y tế")[0].update(agency="Sở Tài chính tỉnh Bình Phước"))
    assert _verdicts(other_agency)[quotas].status is Status.VIOLATED
    unsure = _changed(lambda d: d["staff"].append(dict(d["staff"][0], name="X", supported=None)))
    v = _verdicts(unsure)
    assert v[cap].status is Status.UNKNOWN and v[quotas].status is Status.UNKNOWN
    not_approved = _changed(lambda d: d["centre"].update(support_list_approved_by="Sở Nội vụ"))
    assert _verdicts(not_approved)[cap].status is Status.VIOLATED
    assert _verdicts(DISTRICT)[cap].status is Status.NOT_APPLICABLE


def test_district_cap_in_each_outcome() -> None:
    rule = f"{DRAFT}.dinh_muc_huyen"
    assert _verdicts(DISTRICT)[rule].status is Status.VIOLATED  # 10 > 09
    nine = _changed(lambda d: d["staff"].pop(), DISTRICT)
    assert _verdicts(nine)[rule].status is Status.SATISFIED
    by_province = _changed(lambda d: d["centre"].update(support_list_approved_by="UBND tỉnh Bình Phước"), nine)
    assert _verdicts(by_province)[rule].status is Status.VIOLATED  # not the district's own HĐND/UBND
    no_body = _changed(lambda d: d["centre"].pop("support_list_approved_by"), nine)
    assert _verdicts(no_body)[rule].status is Status.UNKNOWN
    assert _verdicts(BASE)[rule].status is Status.NOT_APPLICABLE


def test_rates_in_each_outcome() -> None:
    direct, other = f"{DRAFT}.muc_chi_truc_tiep", f"{DRAFT}.muc_chi_khong_truc_tiep"
    v = _verdicts(BASE)
    assert v[direct].status is Status.UNKNOWN and v[other].status is Status.UNKNOWN  # nobody's pay is given
    proposed = _verdicts(_changed(_pay(2235000)))  # 1,5 and 0,5 × 1.490.000
    assert proposed[direct].status is Status.SATISFIED and proposed[other].status is Status.SATISFIED
    assert proposed[direct].parameters[0]["value"] == "1490000"
    enacted = _verdicts(_changed(_pay(1000000)))
    assert enacted[direct].status is Status.VIOLATED
    # 2024: the base salary is 2.340.000, so the proposal would pay 3.510.000.
    later = _verdicts(_changed(_pay(2235000)), date(2024, 8, 1))
    assert later[direct].status is Status.VIOLATED and later[direct].parameters[0]["value"] == "2340000"


def test_a_higher_special_support_replaces_the_ioc_support() -> None:
    """Mục IV.3: a listed person on a higher special support is paid that one only."""
    direct = f"{DRAFT}.muc_chi_truc_tiep"

    def higher(amount: int) -> Callable[[dict[str, Any]], None]:
        def change(d: dict[str, Any]) -> None:
            _pay(2235000)(d)
            d["staff"][0]["allowances"] = [{"scheme": "phụ cấp đặc thù", "amount": amount, "special": True}]

        return change

    assert _verdicts(_changed(higher(3000000)))[direct].status is Status.SATISFIED
    assert _verdicts(_changed(higher(2000000)))[direct].status is Status.VIOLATED  # lower: the IOC support was due


def test_only_one_special_support() -> None:
    rule = f"{DRAFT}.chi_huong_muc_cao_nhat"
    assert _verdicts(_changed(_pay(2235000)))[rule].status is Status.SATISFIED

    def two(d: dict[str, Any]) -> None:
        _pay(2235000)(d)
        d["staff"][0]["allowances"].append({"scheme": "phụ cấp đặc thù ngành", "amount": 900000, "special": True})

    assert _verdicts(_changed(two))[rule].status is Status.VIOLATED
    # The NQ 14 support is known to be special (the draft's "chế độ hỗ trợ đặc thù khác"): no flag to type.
    assert _verdicts(_changed(_pay(2235000, special=None)))[rule].status is Status.SATISFIED
    assert _verdicts(_changed(_pay(2235000, scheme="Nghị quyết 14/2021/NQ-HĐND", special=None)))[rule].status is Status.SATISFIED

    def two_unflagged(d: dict[str, Any]) -> None:
        _pay(2235000, special=None)(d)
        d["staff"][0]["allowances"].append({"scheme": "Phụ cấp đặc thù ngành công an", "amount": 900000})

    assert _verdicts(_changed(two_unflagged))[rule].status is Status.VIOLATED
    # A scheme whose name does not tell, and no flag: unknown, never guessed.
    assert _verdicts(_changed(_pay(2235000, scheme="phụ cấp trách nhiệm", special=None)))[rule].status is Status.UNKNOWN
    assert _verdicts(_changed(_pay(2235000, scheme="phụ cấp trách nhiệm", special=False)))[rule].status is Status.SATISFIED


def test_funding_sources_in_each_outcome() -> None:
    tinh, huyen = f"{DRAFT}.nguon_kinh_phi_tinh", f"{DRAFT}.nguon_kinh_phi_huyen"
    support = {"source": "ngân sách nhà nước tỉnh", "purpose": "chi hỗ trợ theo Nghị quyết 14/2021/NQ-HĐND"}
    ok = _changed(lambda d: d["funding"].append(support))
    assert _verdicts(ok)[tinh].status is Status.SATISFIED
    wrong = _changed(lambda d: d["funding"].append(dict(support, source="ngân sách huyện")))
    assert _verdicts(wrong)[tinh].status is Status.VIOLATED
    assert _verdicts(_changed(lambda d: d.pop("funding")))[tinh].status is Status.UNKNOWN
    assert _verdicts(BASE)[huyen].status is Status.NOT_APPLICABLE
    assert _verdicts(DISTRICT)[huyen].status is Status.SATISFIED
    no_basis = _changed(lambda d: d["funding"][0].update(basis="kinh phí năm 2021"), DISTRICT)
    assert _verdicts(no_basis)[huyen].status is Status.VIOLATED
    assert _verdicts(DISTRICT)[tinh].status is Status.NOT_APPLICABLE


# ---------------------------------------------------------------- draft against enacted: never binding
def test_every_draft_verdict_is_information_only() -> None:
    v = _verdicts(_changed(_pay(1000000)), date(2021, 12, 6))
    draft = [x for x in v.values() if x.document == DRAFT]
    assert len(draft) == 10
    for x in draft:
        assert x.binding is False and x.severity == "info"
        assert said(x.message, "vi").startswith("[Đề xuất, chưa ban hành] ")
        assert said(x.message, "en").startswith("[Proposed, not enacted] ")


def test_a_draft_violation_never_fails_a_check(tmp_path: Path) -> None:
    data = _changed(lambda d: d["staff"].append(dict(d["staff"][0], name="Cán bộ Công an tỉnh 13")))
    path = tmp_path / "thirteen.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli("check", str(path), "--as-of", "2021-06-30", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["summary"]["violated"] == 0 and report["proposed"]["violated"] == 3  # cap, quota, shift
    code, out, _ = run_cli("check", str(path), "--as-of", "2021-06-30", "--lang", "vi")
    assert code == 0
    assert "Đề xuất của dự thảo, chưa ban hành" in out and "ĐỀ XUẤT (chưa ban hành) VI PHẠM" in out
    # Binding findings come before the proposals' section.
    assert out.index("ĐỀ XUẤT (chưa ban hành) VI PHẠM") > out.index("Đề xuất của dự thảo")


def test_the_enacted_resolution_derives_from_the_draft() -> None:
    program = bundled_program()
    draft = program.documents[DRAFT]
    assert (draft.status, draft.kind, draft.signed) == ("draft", "submission", None)
    assert any(lk.kind == "derives_from" and lk.target == DRAFT for lk in program.documents["nq14_2021"].links)


# ---------------------------------------------------------------- a property: teams do not leak
_OTHER_MEMBER = st.fixed_dictionaries(
    {
        "position": st.sampled_from([p for pair in TEAMS.values() for p in pair] + ["Giám đốc Sở Y tế", "Chuyên viên"]),
        "team_role": st.sampled_from(["Tổ trưởng", "Thư ký", "Thành viên"]),
        "concurrent": st.just(True),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team=st.sampled_from(["Tổ 2", "Tổ 3", "Tổ 4"]), extra=st.lists(_OTHER_MEMBER, min_size=1, max_size=4), broken=st.booleans())
def test_members_of_other_teams_never_change_a_teams_verdict(team: str, extra: list[dict[str, Any]], broken: bool) -> None:
    base = _changed(lambda d: _team(d, "Tổ 1")[5].update(team_role="Thành viên")) if broken else BASE
    before = _verdicts(base)

    def add(d: dict[str, Any]) -> None:
        if team == "Tổ 4":
            d["teams"].append({"name": team, "members": []})
        _team(d, team).extend(copy.deepcopy(extra))

    after = _verdicts(_changed(add, base))
    for rule in ("to_1_thanh_vien", "to_1_to_truong", "to_1_thu_ky"):
        assert after[f"{QD}.{rule}"].status is before[f"{QD}.{rule}"].status
    assert before[f"{QD}.to_1_thu_ky"].status is (Status.VIOLATED if broken else Status.SATISFIED)
