"""QĐ 4037/QĐ-UBND (Lộc Ninh) and Nghị quyết 14/2021/NQ-HĐND as quoted by its Điều 9.

Every rule and obligation of both documents is checked in each outcome it can have:
satisfied (the compliant example), violated (one small change to it, aimed at that rule),
unknown (a setup that gives no facts) and not applicable (before the document was signed, or
outside its scope). The last tests follow the allowances from NQ 14 to Lộc Ninh through the
rule graph, as `quyche graph --format json` prints it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import yaml

from compliance import bundled_program, parse_setup, to_facts
from engine import Status, Verdict, evaluate
from engine.program import _numbers_in
from tests.conftest import EXAMPLES, run_cli, said

BASE = yaml.safe_load((EXAMPLES / "loc-ninh" / "loc-ninh.yaml").read_text(encoding="utf-8"))
DAY = date(2024, 12, 31)
DOCS = ("qd4037_2024", "nq14_2021")
OFFICE = "Văn phòng HĐND và UBND huyện Lộc Ninh"


def _verdicts(data: dict[str, Any], when: date = DAY) -> dict[str, Verdict]:
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(yaml.safe_dump(data, allow_unicode=True))), when)
    return {v.id: v for v in evaluation.verdicts if v.document in DOCS}


# ------------------------------------------------------------------ changes to the compliant setup
def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["centre"][field] = value

    return change


def _edit_staff(index: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["staff"][index].update(fields)

    return change


def _add_staff(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["staff"].append({"name": "Người mới", **fields})

    return change


def _drop(collection: str, obligation: str, period: str | None = None) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[collection] = [r for r in data[collection] if not (r["obligation"] == obligation and (period is None or str(r["period"]) == period))]

    return change


def _refile(obligation: str, period: str, filed: date) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for r in data["reports"]:
            if r["obligation"] == obligation and str(r["period"]) == period:
                r["filed"] = filed

    return change


NQ14 = {"scheme": "Nghị quyết 14/2021/NQ-HĐND", "amount": 1000000}

# staff[0] leader, [1] IT specialist, [2] general economics (all of the Văn phòng, at the IOC);
# [3] Phòng Văn hóa và Thông tin, [4] Trung tâm Y tế (updating data from their own units).
VIOLATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "qd4037_2024.co_quan_chu_quan": _set("owner", OFFICE),
    "qd4037_2024.co_quan_quan_ly": _set("managed_by", "Phòng Văn hóa và Thông tin huyện Lộc Ninh"),
    "qd4037_2024.don_vi_phoi_hop": _set("coordinating_units", ["Phòng Văn hóa và Thông tin huyện Lộc Ninh", "Công an huyện Lộc Ninh"]),
    "qd4037_2024.ket_noi_ioc_tinh": _set("connected_to_provincial_ioc", False),
    "qd4037_2024.kiem_nhiem": _edit_staff(4, concurrent=False),
    "qd4037_2024.khong_tang_bien_che": _set("quota_increase", True),
    "qd4037_2024.van_phong_03_nhan_su": _add_staff(
        position="Chuyên viên", agency=OFFICE, role="chuyên viên", employment="công chức", concurrent=True, works_at_centre=True, allowances=[NQ14]
    ),
    "qd4037_2024.lanh_dao_phu_trach": _edit_staff(0, position="Chuyên viên"),
    "qd4037_2024.chuyen_vien_cntt": _edit_staff(1, qualifications=["Cử nhân quản trị kinh doanh"]),
    "qd4037_2024.chuyen_vien_kinh_te": _edit_staff(2, responsibilities=["tổng hợp hành chính"]),
    "qd4037_2024.don_vi_khac_khong_truc_tiep": _edit_staff(3, works_at_centre=True),
    "qd4037_2024.phu_cap_theo_nq14": _edit_staff(1, allowances=[]),
    "qd4037_2024.ke_hoach_du_toan_hang_nam": _drop("reports", "ke_hoach_du_toan_hang_nam"),
    "qd4037_2024.bao_cao_thang": _drop("reports", "bao_cao_thang", "2024-10"),
    "qd4037_2024.bao_cao_quy": _refile("bao_cao_quy", "2024-Q4", date(2024, 12, 25)),
    "qd4037_2024.hop_6_thang": _drop("meetings", "hop_6_thang"),
    "qd4037_2024.kiem_diem_hang_nam": _drop("meetings", "kiem_diem_hang_nam"),
    "nq14_2021.ho_tro_truc_tiep": _edit_staff(0, allowances=[{**NQ14, "amount": 1500000}]),
    "nq14_2021.ho_tro_khong_truc_tiep": _edit_staff(3, allowances=[NQ14]),
    "nq14_2021.doi_tuong": _add_staff(
        position="Chiến sỹ",
        agency="Công an huyện Lộc Ninh",
        role="cập nhật thông tin",
        employment="công an",
        works_at_centre=False,
        allowances=[{**NQ14, "amount": 500000}],
    ),
    "nq14_2021.nguon_kinh_phi": lambda d: d["funding"].append({"source": "tài trợ của doanh nghiệp", "purpose": "chi hỗ trợ theo Nghị quyết 14/2021/NQ-HĐND"}),
}
# The only obligation that can never be violated: the text gives it no deadline.
UNSTATED = "qd4037_2024.bao_cao_dinh_ky_van_phong"


def test_every_rule_and_obligation_has_a_violation_case(program) -> None:  # noqa: ANN001
    ids = {r.id for r in program.rules.values() if r.document in DOCS}
    ids |= {o.id for o in program.obligations.values() if o.document in DOCS}
    assert ids == set(VIOLATIONS) | {UNSTATED}


def test_compliant_example_satisfies_every_rule() -> None:
    verdicts = _verdicts(BASE)
    assert {k: v.status for k, v in verdicts.items() if v.status is not Status.SATISFIED} == {UNSTATED: Status.UNKNOWN}
    assert verdicts[UNSTATED].severity == "info"


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_rule_is_violated_by_its_own_change(rule: str) -> None:
    data = copy.deepcopy(BASE)
    VIOLATIONS[rule](data)
    verdicts = _verdicts(data)
    assert verdicts[rule].status is Status.VIOLATED, said(verdicts[rule].message, "en")
    assert verdicts[rule].locator and verdicts[rule].text and said(verdicts[rule].message, "vi")


@pytest.mark.parametrize("rule", sorted([*VIOLATIONS, UNSTATED]))
def test_each_rule_is_unknown_without_facts(rule: str) -> None:
    bare = {"centre": {"id": "x", "name": "x", "province": "Bình Phước", "jurisdiction": "Lộc Ninh"}}
    assert _verdicts(bare)[rule].status is Status.UNKNOWN


@pytest.mark.parametrize("rule", sorted([*VIOLATIONS, UNSTATED]))
def test_each_rule_is_not_applicable_before_its_document(rule: str) -> None:
    when, shown = (date(2024, 8, 28), "29/08/2024") if rule.startswith("qd4037") else (date(2021, 9, 29), "30/09/2021")
    verdict = _verdicts(BASE, when)[rule]
    assert verdict.status is Status.NOT_APPLICABLE
    assert shown in said(verdict.message, "vi")


def test_qd4037_applies_to_loc_ninh_only() -> None:
    other = copy.deepcopy(BASE)
    other["centre"]["jurisdiction"] = "Bù Đăng"
    verdicts = _verdicts(other)
    # The setup still lists QĐ 4037: one finding at its scope article, naming Bù Đăng.
    claim = verdicts.pop("qd4037_2024.applicability")
    assert claim.status is Status.VIOLATED and "Bù Đăng" in said(claim.message, "en")
    assert verdicts and all(v.document == "nq14_2021" for v in verdicts.values())


def test_nq14_rules_do_not_apply_to_the_provincial_centre_nor_outside_binh_phuoc() -> None:
    provincial = copy.deepcopy(BASE)
    provincial["centre"].update(level="province", jurisdiction="Bình Phước")
    verdicts = _verdicts(provincial)
    assert verdicts.pop("qd4037_2024.applicability").status is Status.VIOLATED  # still listed in governing_documents
    assert {v.status for v in verdicts.values()} == {Status.NOT_APPLICABLE}
    assert all(v.document == "nq14_2021" for v in verdicts.values())
    elsewhere = copy.deepcopy(BASE)
    elsewhere["centre"]["province"] = "Bình Thuận"
    assert list(_verdicts(elsewhere)) == ["qd4037_2024.applicability"]


# ------------------------------------------------------------------ Điều 11 khoản 6: "trước ngày 25"
def test_monthly_report_filed_on_the_25th_is_late_and_the_24th_on_time() -> None:
    on_24 = copy.deepcopy(BASE)  # 2024-11 is filed on the 24th in the example
    assert _verdicts(on_24)["qd4037_2024.bao_cao_thang"].status is Status.SATISFIED
    on_25 = copy.deepcopy(BASE)
    _refile("bao_cao_thang", "2024-11", date(2024, 11, 25))(on_25)
    verdict = _verdicts(on_25)["qd4037_2024.bao_cao_thang"]
    assert verdict.status is Status.VIOLATED
    assert [(e["role"], e["due"]) for e in verdict.evidence if e["role"] != "on_time"] == [("late", "2024-11-25")]


def test_missing_month_names_its_due_date_and_quarters_fall_in_the_last_month() -> None:
    data = copy.deepcopy(BASE)
    _drop("reports", "bao_cao_thang", "2024-10")(data)
    _drop("reports", "bao_cao_quy", "2024-Q3")(data)
    verdicts = _verdicts(data)
    assert [e["due"] for e in verdicts["qd4037_2024.bao_cao_thang"].evidence if e["role"] == "missing"] == ["2024-10-25"]
    assert [e["due"] for e in verdicts["qd4037_2024.bao_cao_quy"].evidence if e["role"] == "missing"] == ["2024-09-25"]


def test_report_not_sent_to_the_department_is_a_wrong_recipient() -> None:
    data = copy.deepcopy(BASE)
    data["reports"][0]["to"] = ["UBND huyện Lộc Ninh"]
    verdict = _verdicts(data)["qd4037_2024.bao_cao_thang"]
    assert verdict.status is Status.VIOLATED
    assert any(e["role"] == "wrong_recipient" and "Sở Thông tin và Truyền thông" in said(e["detail"], "vi") for e in verdict.evidence)


def test_records_start_no_earlier_than_the_decision() -> None:
    # Without records_since, checking starts on the signing day (29/8/2024): August's report,
    # due 25/8, is not owed; September's is.
    data = copy.deepcopy(BASE)
    del data["centre"]["records_since"]
    verdict = _verdicts(data, date(2024, 9, 30))["qd4037_2024.bao_cao_thang"]
    assert verdict.status is Status.SATISFIED
    assert [e["record"] for e in verdict.evidence] == ["reports[0]"]


def test_yearly_obligations_accept_any_day_of_the_year_and_half_year_meetings_any_day_of_the_half() -> None:
    data = copy.deepcopy(BASE)
    for m in data["meetings"]:
        m["held"] = date(2024, 7, 1) if m["obligation"] == "hop_6_thang" else date(2024, 9, 2)
    verdicts = _verdicts(data)
    assert verdicts["qd4037_2024.hop_6_thang"].status is Status.SATISFIED
    assert verdicts["qd4037_2024.kiem_diem_hang_nam"].status is Status.SATISFIED
    late = copy.deepcopy(BASE)
    late["meetings"][0]["held"] = date(2025, 1, 3)
    assert _verdicts(late, date(2025, 1, 5))["qd4037_2024.hop_6_thang"].status is Status.VIOLATED


def test_unstated_report_to_the_office_is_never_passed() -> None:
    verdict = _verdicts(BASE)[UNSTATED]
    assert verdict.status is Status.UNKNOWN and "no deadline" in said(verdict.message, "en")


# ------------------------------------------------------------------ Điều 8 and Điều 9 details
def test_other_unit_with_unknown_agency_is_uncertain_not_exempt() -> None:
    data = copy.deepcopy(BASE)
    del data["staff"][3]["agency"]
    data["staff"][3]["works_at_centre"] = True
    assert _verdicts(data)["qd4037_2024.don_vi_khac_khong_truc_tiep"].status is Status.UNKNOWN


def test_economics_specialist_may_also_hold_an_it_degree() -> None:
    data = copy.deepcopy(BASE)
    data["staff"][2]["qualifications"] = ["Cử nhân công nghệ thông tin"]
    verdicts = _verdicts(data)
    assert verdicts["qd4037_2024.chuyen_vien_cntt"].status is Status.SATISFIED
    assert verdicts["qd4037_2024.van_phong_03_nhan_su"].status is Status.SATISFIED


def test_owner_is_not_confused_with_the_office_of_the_same_name() -> None:
    data = copy.deepcopy(BASE)
    data["centre"]["owner"] = "Văn phòng HĐND và UBND huyện"
    assert _verdicts(data)["qd4037_2024.co_quan_chu_quan"].status is Status.VIOLATED
    data["centre"]["owner"] = "Ủy ban nhân dân huyện Lộc Ninh"
    assert _verdicts(data)["qd4037_2024.co_quan_chu_quan"].status is Status.SATISFIED
    data["centre"]["managed_by"] = "Chánh Văn phòng HĐND và UBND huyện Lộc Ninh"  # a person, not the body
    assert _verdicts(data)["qd4037_2024.co_quan_quan_ly"].status is Status.VIOLATED


def test_amount_unknown_is_unknown_and_a_double_payment_is_caught() -> None:
    unknown = copy.deepcopy(BASE)
    unknown["staff"][0]["allowances"] = [{"scheme": "Nghị quyết 14/2021/NQ-HĐND"}]
    assert _verdicts(unknown)["nq14_2021.ho_tro_truc_tiep"].status is Status.UNKNOWN
    twice = copy.deepcopy(BASE)
    twice["staff"][3]["allowances"] = [{**NQ14, "amount": 500000}, {**NQ14, "amount": 500000}]
    verdicts = _verdicts(twice)
    assert verdicts["nq14_2021.doi_tuong"].status is Status.VIOLATED
    assert verdicts["qd4037_2024.phu_cap_theo_nq14"].status is Status.VIOLATED


def test_the_drafts_rate_is_a_violation_of_the_enacted_one() -> None:
    # 1,5 × lương cơ sở (the draft's proposal) at 2.340.000 is 3.510.000, not 1.000.000.
    data = copy.deepcopy(BASE)
    data["staff"][0]["allowances"] = [{**NQ14, "amount": 3510000}]
    verdict = _verdicts(data)["nq14_2021.ho_tro_truc_tiep"]
    assert verdict.status is Status.VIOLATED
    assert [e["record"] for e in verdict.evidence] == ["staff[0]"]
    assert "1.000.000" in said(verdict.expected, "vi")


# ------------------------------------------------------------------ NQ 14 → Lộc Ninh through the graph
def _graph() -> dict[str, Any]:
    code, out, err = run_cli("graph", "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _edges(graph: dict[str, Any], relation: str) -> set[tuple[str, str]]:
    return {(e["source"], e["target"]) for e in graph["links"] if e["relation"] == relation}


def test_loc_ninh_takes_its_allowances_from_nq14_through_the_graph() -> None:
    graph = _graph()
    assert ("doc:qd4037_2024", "doc:nq14_2021") in _edges(graph, "implements")
    known = [e for e in graph["links"] if e["relation"] == "known_through"]
    assert [(e["source"], e["target"], e["locator"]) for e in known if e["source"] == "doc:nq14_2021"] == [("doc:nq14_2021", "doc:qd4037_2024", "Điều 9")]
    uses = _edges(graph, "uses")
    rule = "rule:qd4037_2024.phu_cap_theo_nq14"
    for target in (
        "doc:nq14_2021",
        "rule:nq14_2021.ho_tro_truc_tiep",
        "rule:nq14_2021.ho_tro_khong_truc_tiep",
        "rule:nq14_2021.doi_tuong",
        "rule:nq14_2021.nguon_kinh_phi",
    ):
        assert (rule, target) in uses
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["rule:nq14_2021.ho_tro_truc_tiep"]["document"] == "nq14_2021"
    assert "QĐ 4037/QĐ-UBND" in nodes["rule:nq14_2021.ho_tro_truc_tiep"]["locator"]
    assert "gap:nq14_2021.muc_ho_tro_ioc_tinh" in nodes


def test_nq14_derives_from_the_draft(program) -> None:  # noqa: ANN001
    assert "totrinh_ioc_2021" in program.documents  # encoded now: a skip here would hide a lost link
    assert ("doc:nq14_2021", "doc:totrinh_ioc_2021") in _edges(_graph(), "derives_from")


def test_amounts_are_typed_once_in_nq14_never_in_loc_ninh(program) -> None:  # noqa: ANN001
    def amounts(doc: str) -> set[int]:
        return {int(v) for r in program.rules.values() if r.document == doc for v, _ in _numbers_in((r.requires, r.when)) if v > 100}

    assert amounts("qd4037_2024") == set()
    assert amounts("nq14_2021") == {1000000, 500000}
    doc = program.documents["nq14_2021"]
    assert doc.source == "001_22177f35bc96b2fc.txt" and doc.signed == date(2021, 9, 30)
    assert all("QĐ 4037/QĐ-UBND" in str(r.locator) for r in program.rules.values() if r.document == "nq14_2021")


def test_violation_finding_names_the_resolution_and_quotes_loc_ninh() -> None:
    code, out, _ = run_cli("check", str(EXAMPLES / "loc-ninh" / "loc-ninh-violations.yaml"), "--as-of", "2024-12-31", "--format", "json")
    assert code == 1
    data = json.loads(out)
    finding = next(f for f in data["findings"] if f["rule"] == "nq14_2021.ho_tro_truc_tiep")
    assert finding["document"] == "14/2021/NQ-HĐND" and finding["status"] == "violated"
    assert "1.000.000 đồng/người/tháng" in finding["text"]
    assert [e["record"] for e in finding["evidence"]] == ["staff[0]"]
    violated = {f["rule"] for f in data["findings"] if f["status"] == "violated" and f["binding"]}
    assert violated == {
        "nq14_2021.ho_tro_truc_tiep",
        "qd4037_2024.bao_cao_thang",
        "qd4037_2024.chuyen_vien_cntt",
        "qd4037_2024.don_vi_khac_khong_truc_tiep",
        "qd4037_2024.khong_tang_bien_che",
        "qd4037_2024.van_phong_03_nhan_su",
    }
