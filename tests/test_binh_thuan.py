"""QĐ 1089/QĐ-UBND (Bình Thuận): a temporary regulation whose pilot states no end date.

Every rule is checked in each outcome it can have: satisfied (the compliant example),
violated (one change aimed at that rule), unknown (no facts) and not applicable (before the
decision, or outside its scope); then the pilot's own verdict and the obligation without a
deadline, which can only ever be unknown.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import yaml

from compliance import bundled_program, parse_setup, to_facts
from engine import Status, Verdict, evaluate
from tests.conftest import EXAMPLES, check_json, said

BASE = yaml.safe_load((EXAMPLES / "binh-thuan" / "binh-thuan.yaml").read_text(encoding="utf-8"))
DAY = date(2024, 12, 31)
DOC = "qd1089_2024"
PILOT = f"{DOC}.pilot"
UNSTATED = f"{DOC}.bao_cao_so_tttt"


def _verdicts(data: dict[str, Any], when: date = DAY) -> dict[str, Verdict]:
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(yaml.safe_dump(data, allow_unicode=True))), when)
    return {v.id: v for v in evaluation.verdicts if v.document == DOC}


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["centre"][field] = value

    return change


def _without_duty(needle: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        duties = data["centre"]["operator"]["duties"]
        data["centre"]["operator"]["duties"] = [d for d in duties if needle not in d]

    return change


def _component(name: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for c in data["components"]:
            if c["name"] == name:
                c.update(fields)

    return change


VIOLATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "thanh_phan": lambda d: d.update(components=d["components"][:-1]),
    "khong_bo_may_chuyen_trach": _set("dedicated_apparatus", True),
    "khong_dau_tu_phong_dieu_hanh": _set("physical_control_room", True),
    "don_vi_van_hanh": _set("operator", {**BASE["centre"]["operator"], "name": "Viettel Bình Thuận"}),
    "ha_tang_nhan_luc": _without_duty("hạ tầng"),
    "sao_luu_du_lieu": _without_duty("sao lưu"),
    "bao_ve_du_lieu_ca_nhan": _without_duty("dữ liệu cá nhân"),
    "ket_noi_tich_hop": _without_duty("tích hợp"),
    "cong_cu_theo_doi_bao_cao": _without_duty("công cụ"),
    "chu_tri_kinh_te_xa_hoi": _component("Phân hệ điều hành kinh tế - xã hội", cooperating=["Sở Thông tin và Truyền thông"]),
    "chu_tri_hanh_chinh_cong": _component("Phân hệ điều hành lĩnh vực hành chính công", lead_agency="Sở Nội vụ"),
    "chu_tri_y_te": _component("Phân hệ điều hành lĩnh vực y tế", lead_agency="Sở Thông tin và Truyền thông"),
    "chu_tri_giao_duc": _component("Phân hệ điều hành lĩnh vực giáo dục", lead_agency="Sở Y tế"),
    "chu_tri_giam_sat_va_phan_anh": _component("Hệ thống phản ánh hiện trường", lead_agency="Văn phòng Ủy ban nhân dân tỉnh"),
}


def test_every_rule_has_a_violation_case(program) -> None:  # noqa: ANN001
    assert {r.id.split(".", 1)[1] for r in program.rules.values() if r.document == DOC} == set(VIOLATIONS)
    assert {o.id for o in program.obligations.values() if o.document == DOC} == {UNSTATED}


def test_document_is_temporary_with_an_unstated_pilot(program) -> None:  # noqa: ANN001
    doc = program.documents[DOC]
    assert doc.status == "temporary" and doc.pilot is not None and doc.pilot.until is None
    assert "chỉ áp dụng trong thời gian triển khai thử nghiệm" in doc.pilot.provenance.text
    assert str(doc.pilot.provenance.locator).startswith("Điều 1")


def test_compliant_example_satisfies_every_rule() -> None:
    verdicts = _verdicts(BASE)
    assert {k: v.status for k, v in verdicts.items() if v.status is not Status.SATISFIED} == {PILOT: Status.UNKNOWN, UNSTATED: Status.UNKNOWN}


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_rule_is_violated_by_its_own_change(rule: str) -> None:
    data = copy.deepcopy(BASE)
    VIOLATIONS[rule](data)
    verdicts = _verdicts(data)
    violated = {k.split(".", 1)[1] for k, v in verdicts.items() if v.status is Status.VIOLATED}
    assert violated == {rule}
    assert verdicts[f"{DOC}.{rule}"].locator and said(verdicts[f"{DOC}.{rule}"].message, "en")


@pytest.mark.parametrize("rule", sorted([*VIOLATIONS, "bao_cao_so_tttt"]))
def test_each_rule_is_unknown_without_facts(rule: str) -> None:
    bare = {"centre": {"id": "x", "name": "x", "province": "Bình Thuận", "level": "province"}}
    assert _verdicts(bare)[f"{DOC}.{rule}"].status is Status.UNKNOWN


@pytest.mark.parametrize("rule", sorted([*VIOLATIONS, "bao_cao_so_tttt"]))
def test_each_rule_is_not_applicable_before_the_decision(rule: str) -> None:
    verdicts = _verdicts(BASE, date(2024, 5, 22))
    assert verdicts[f"{DOC}.{rule}"].status is Status.NOT_APPLICABLE
    assert "23/05/2024" in said(verdicts[f"{DOC}.{rule}"].message, "vi")
    assert PILOT not in verdicts  # the pilot has not started either


def test_regulation_applies_to_the_provincial_centre_of_binh_thuan_only() -> None:
    district = copy.deepcopy(BASE)
    district["centre"].update(level="district", jurisdiction="Phan Thiết")
    # Still listed in governing_documents: one finding at the scope article, naming the excluding fact.
    assert [(k, v.status) for k, v in _verdicts(district).items()] == [("qd1089_2024.applicability", Status.VIOLATED)]
    assert "district" in said(_verdicts(district)["qd1089_2024.applicability"].message, "en")
    elsewhere = copy.deepcopy(BASE)
    elsewhere["centre"]["province"] = "Bình Phước"
    assert list(_verdicts(elsewhere)) == ["qd1089_2024.applicability"]
    elsewhere["centre"]["governing_documents"] = []
    assert _verdicts(elsewhere) == {}


def test_pilot_without_end_date_is_a_warning_never_a_pass() -> None:
    for when in (DAY, date(2025, 2, 28)):  # no end date, however long it runs
        pilot = _verdicts(BASE, when)[PILOT]
        assert pilot.status is Status.UNKNOWN and pilot.severity == "warning"
        assert "no end date" in said(pilot.message, "en") and pilot.fix


def test_a_rule_is_unknown_when_only_its_own_fact_is_missing() -> None:
    data = copy.deepcopy(BASE)
    data["components"][1].pop("lead_agency")
    del data["centre"]["operator"]
    verdicts = _verdicts(data)
    assert verdicts[f"{DOC}.chu_tri_y_te"].status is Status.UNKNOWN
    assert verdicts[f"{DOC}.sao_luu_du_lieu"].status is Status.UNKNOWN
    assert verdicts[f"{DOC}.chu_tri_giao_duc"].status is Status.SATISFIED


def test_missing_component_is_named() -> None:
    data = copy.deepcopy(BASE)
    VIOLATIONS["thanh_phan"](data)
    verdict = _verdicts(data)[f"{DOC}.thanh_phan"]
    assert [said(e["detail"], "vi") for e in verdict.evidence if e["role"] == "missing"] == ["thiếu “Hệ thống giám sát thông tin trên môi trường mạng”"]


def test_violations_example_breaks_exactly_what_its_header_says() -> None:
    code, data = check_json(EXAMPLES / "binh-thuan" / "binh-thuan-violations.yaml", "2024-12-31")
    assert code == 1
    violated = {f["rule"] for f in data["findings"] if f["status"] == "violated"}
    assert violated == {f"{DOC}.{r}" for r in ("khong_bo_may_chuyen_trach", "khong_dau_tu_phong_dieu_hanh", "sao_luu_du_lieu", "chu_tri_y_te", "thanh_phan")}
    assert data["documents"] == ["1089/QĐ-UBND"]


def test_cited_instruments_are_linked(program) -> None:  # noqa: ANN001
    cited = {link.target for link in program.documents[DOC].links if link.kind == "cites"}
    assert cited == {
        "luat_tccqdp_2015",
        "luat_sua_doi_tccp_tccqdp_2019",
        "luat_cntt_2006",
        "luat_attt_mang_2015",
        "nd47_2020",
        "nq10_2022_tu_bt",
        "kh1282_2022_bt",
        "qd3113_2019_bt",
        "tt25_2024_bt",
        "qd2256_2023_bt",
    }
    assert all(program.documents[t].status == "cited" for t in cited)
