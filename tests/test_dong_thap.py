"""QĐ 953/QĐ-UBND-HC (Đồng Tháp): every rule in each of its outcomes.

Each violation is produced by one small change to the compliant Cao Lãnh setup, so a test
fails if a rule stops noticing exactly the thing it is about.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import yaml

from compliance import parse_setup, to_facts
from engine import Status, evaluate
from tests.conftest import EXAMPLES, said

BASE = yaml.safe_load((EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8"))
DAY = date(2024, 6, 30)
DOC = "qd953_2023"


def _verdicts(data: dict[str, Any], when: date = DAY) -> dict[str, Any]:
    from compliance import bundled_program

    program = bundled_program()
    evaluation = evaluate(program, to_facts(parse_setup(yaml.safe_dump(data, allow_unicode=True))), when)
    return {v.id: v for v in evaluation.verdicts if v.document == DOC}


def _staff(data: dict[str, Any], role: str) -> dict[str, Any]:
    return next(
        s for s in data["staff"] if s.get("role") == role and s.get("employment") != "hợp đồng" or (role == "hợp đồng" and s.get("employment") == "hợp đồng")
    )


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["centre"][path] = value

    return change


def _drop_staff(pred: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["staff"] = [s for s in data["staff"] if not pred(s)]

    return change


def _edit_staff(pred: Callable[[dict[str, Any]], bool], **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for s in data["staff"]:
            if pred(s):
                s.update(fields)

    return change


def _add_staff(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["staff"].append({"name": "Người mới", "allowances": [], **fields})

    return change


def _late_report(data: dict[str, Any]) -> None:
    data["reports"][1]["filed"] = date(2024, 6, 26)


def _is(role: str) -> Callable[[dict[str, Any]], bool]:
    return lambda s: s.get("role") == role


def _employment(kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda s: s.get("employment") == kind and s.get("role") == "chuyên môn nghiệp vụ"


VIOLATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "ten_goi": _set("name", "Trung tâm IOC thành phố Cao Lãnh"),
    "quy_che_trung_tam": _set("regulation_submitted_by", "Phó Giám đốc"),
    "thuoc_van_phong": _set("public_service_unit", True),
    "quan_ly_chi_dao": _set("directed_by", "Phó Chủ tịch UBND thành phố"),
    "con_dau": _set("seal", "Con dấu riêng của Trung tâm"),
    "nguon_kinh_phi": lambda d: d["funding"].append({"source": "tài trợ của doanh nghiệp"}),
    "co_cau_to_chuc": _drop_staff(_is("Phó Giám đốc")),
    "bo_nhiem": _edit_staff(_is("Phó Giám đốc"), appointed_by="Chánh Văn phòng HĐND và UBND thành phố"),
    "giam_doc": _edit_staff(_is("Giám đốc"), concurrent=False),
    "pho_giam_doc": _edit_staff(_is("Phó Giám đốc"), agency="Phòng Nội vụ thành phố Cao Lãnh"),
    "cong_chuc_cntt": _drop_staff(_employment("công chức")),
    "vien_chuc": lambda d: [
        _add_staff(role="chuyên môn nghiệp vụ", employment="viên chức", agency="Trung tâm Tin học")(d) for _ in range(2)
    ],  # 1 + 2 = 3 viên chức, above "01 đến 02"
    "cong_an": _drop_staff(_employment("công an")),
    "ky_thuat_vien": _edit_staff(_employment("hợp đồng"), full_time=False),
    "chi_bon_nhom": _add_staff(role="chuyên môn nghiệp vụ", employment="cán bộ"),
    "dieu_dong": _add_staff(role="chuyên môn nghiệp vụ", employment="công chức", mobilised=True, permitted_by="Chánh Văn phòng"),
    "phu_cap_kiem_nhiem": _edit_staff(_employment("hợp đồng"), allowances=[{"scheme": "phụ cấp kiêm nhiệm"}]),
    "luong_hop_dong": lambda d: d["funding"].append({"source": "nguồn thu hợp pháp khác", "purpose": "lương hợp đồng lao động"}),
    "tru_so": _set("premises", "Trụ sở Trung tâm Văn hóa thành phố"),
    "ket_noi_ioc_tinh": _set("connected_to_provincial_ioc", False),
    "bao_cao_6_thang": _late_report,
}


def test_every_rule_of_the_document_has_a_violation_case(program) -> None:  # noqa: ANN001
    ids = {r.id.split(".", 1)[1] for r in program.rules.values() if r.document == DOC}
    ids |= {o.id.split(".", 1)[1] for o in program.obligations.values() if o.document == DOC}
    assert ids == set(VIOLATIONS)


def test_compliant_setup_satisfies_every_rule() -> None:
    verdicts = _verdicts(BASE)
    assert {k: v.status for k, v in verdicts.items() if v.status is not Status.SATISFIED} == {}


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_rule_is_violated_by_its_own_change(rule: str) -> None:
    data = copy.deepcopy(BASE)
    VIOLATIONS[rule](data)
    verdicts = _verdicts(data)
    violated = {k.split(".", 1)[1] for k, v in verdicts.items() if v.status is Status.VIOLATED}
    assert rule in violated
    target = verdicts[f"{DOC}.{rule}"]
    assert target.locator and target.text and said(target.message, "vi") and said(target.message, "en")


@pytest.mark.parametrize("rule", sorted(set(VIOLATIONS) - {"ten_goi"}))  # a centre always has a name (required): Điều 3 is never unknown
def test_each_rule_is_unknown_without_facts(rule: str) -> None:
    bare = {"centre": {"id": "x", "name": "x", "province": "Đồng Tháp", "jurisdiction": "Cao Lãnh"}}
    assert _verdicts(bare)[f"{DOC}.{rule}"].status is Status.UNKNOWN


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_rule_is_not_applicable_before_the_decision(rule: str) -> None:
    verdict = _verdicts(BASE, date(2023, 9, 17))[f"{DOC}.{rule}"]
    assert verdict.status is Status.NOT_APPLICABLE
    assert "18/09/2023" in said(verdict.message, "vi")


def test_document_does_not_apply_to_other_cities() -> None:
    data = copy.deepcopy(BASE)
    data["centre"]["jurisdiction"] = "Long Xuyên"
    # The setup still lists QĐ 953 in governing_documents: one finding at Điều 2 naming the excluding fact.
    verdicts = _verdicts(data)
    assert list(verdicts) == [f"{DOC}.applicability"]
    claim = verdicts[f"{DOC}.applicability"]
    assert claim.status is Status.VIOLATED and claim.locator == "Điều 2" and "Long Xuyên" in said(claim.message, "vi")
    data["centre"]["governing_documents"] = []
    assert _verdicts(data) == {}


def test_tone_marks_and_case_do_not_matter() -> None:
    data = copy.deepcopy(BASE)
    data["centre"]["province"] = "đồng tháp"
    for s in data["staff"]:
        if s.get("agency"):
            s["agency"] = s["agency"].replace("Văn hóa", "Văn hoá")
    assert all(v.status is Status.SATISFIED for v in _verdicts(data).values())


def test_pilot_outcomes() -> None:
    assert _verdicts(BASE, date(2025, 12, 31))[f"{DOC}.pilot"].status is Status.SATISFIED
    ended = _verdicts(BASE, date(2026, 1, 15))[f"{DOC}.pilot"]
    assert ended.status is Status.VIOLATED and "31/12/2025" in said(ended.message, "vi") and ended.locator == "Điều 10"
    extended = copy.deepcopy(BASE)
    extended["centre"]["pilot_extensions"] = ["953/QĐ-UBND-HC"]
    assert _verdicts(extended, date(2026, 1, 15))[f"{DOC}.pilot"].status is Status.SATISFIED
    closed = copy.deepcopy(BASE)
    closed["centre"]["operating"] = False
    assert _verdicts(closed, date(2026, 1, 15))[f"{DOC}.pilot"].status is Status.SATISFIED
    unknown = copy.deepcopy(BASE)
    del unknown["centre"]["operating"]
    assert _verdicts(unknown, date(2026, 1, 15))[f"{DOC}.pilot"].status is Status.UNKNOWN


def test_semiannual_report_deadline_is_inclusive_and_missing_reports_name_the_due_date() -> None:
    on_the_day = copy.deepcopy(BASE)  # filed 2024-06-25: "chậm nhất ngày 25" → on time
    assert _verdicts(on_the_day)[f"{DOC}.bao_cao_6_thang"].status is Status.SATISFIED
    missing = copy.deepcopy(BASE)
    missing["reports"] = missing["reports"][:1]
    verdict = _verdicts(missing)[f"{DOC}.bao_cao_6_thang"]
    assert verdict.status is Status.VIOLATED
    assert [e["due"] for e in verdict.evidence if e["role"] == "missing"] == ["2024-06-25"]
    no_copy = copy.deepcopy(BASE)
    no_copy["reports"][1]["cc"] = ["Sở Nội vụ"]
    verdict = _verdicts(no_copy)[f"{DOC}.bao_cao_6_thang"]
    assert verdict.status is Status.VIOLATED and "Sở Tài chính" in said(verdict.evidence[-1]["detail"], "vi")


def test_premises_must_be_the_city_hall_itself_not_near_it() -> None:
    near = copy.deepcopy(BASE)
    near["centre"]["premises"] = "Nhà văn hóa gần trụ sở HĐND và UBND thành phố Cao Lãnh"
    assert _verdicts(near)[f"{DOC}.tru_so"].status is Status.VIOLATED
