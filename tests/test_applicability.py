"""Applicability is a verdict: a claimed document that does not apply is stated, unknown applicability never violates, no document is a warning."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from compliance import bundled_program, parse_setup, to_facts
from engine import Status, evaluate
from tests.conftest import EXAMPLES, run_cli, said

CAO_LANH = yaml.safe_load((EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8"))
LOC_NINH = yaml.safe_load((EXAMPLES / "loc-ninh" / "loc-ninh.yaml").read_text(encoding="utf-8"))


def _verdicts(data: dict[str, Any], when: date) -> dict[str, Any]:
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(yaml.safe_dump(data, allow_unicode=True))), when)
    return {v.id: v for v in evaluation.verdicts}


def _write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "setup.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_centre_outside_the_scope_that_claims_the_decision_is_told_why(tmp_path: Path) -> None:
    data = copy.deepcopy(CAO_LANH)
    data["centre"].update(jurisdiction="Tháp Mười", unit_type="huyện")
    verdicts = _verdicts(data, date(2024, 6, 30))
    claim = verdicts["qd953_2023.applicability"]
    assert claim.status is Status.VIOLATED and claim.locator == "Điều 2"
    assert "Tháp Mười" in said(claim.message, "vi") and "Tháp Mười" in said(claim.message, "en")
    assert not [k for k in verdicts if k.startswith("qd953_2023.") and k != "qd953_2023.applicability"]
    code, out, _ = run_cli("check", _write(tmp_path, data), "--as-of", "2024-06-30")
    assert code == 1 and "Tháp Mười" in out


def test_another_province_claiming_it_names_the_province() -> None:
    data = copy.deepcopy(CAO_LANH)
    data["centre"].update(province="Vĩnh Long", jurisdiction="Vĩnh Long", unit_type="thành phố")
    claim = _verdicts(data, date(2024, 6, 30))["qd953_2023.applicability"]
    assert claim.status is Status.VIOLATED and "Vĩnh Long" in said(claim.message, "en")


def test_no_document_is_a_warning_not_a_clean_pass(tmp_path: Path) -> None:
    data = copy.deepcopy(CAO_LANH)
    data["centre"].update(province="Vĩnh Long", jurisdiction="Vĩnh Long", governing_documents=[])
    verdicts = _verdicts(data, date(2024, 6, 30))
    assert [(k, v.status, v.severity) for k, v in verdicts.items()] == [("quyche.no_document_applies", Status.UNKNOWN, "warning")]
    code, out, _ = run_cli("check", _write(tmp_path, data), "--as-of", "2024-06-30", "--lang", "en")
    assert code == 0 and "not a pass" in out  # nothing is violated (DESIGN's exit codes), and the reader is told


def test_a_missing_jurisdiction_makes_violations_unknown() -> None:
    data = copy.deepcopy(CAO_LANH)
    del data["centre"]["jurisdiction"]
    data["staff"][0]["concurrent"] = False  # would break Điều 7 khoản 2 điểm a if QĐ 953 applied
    verdicts = _verdicts(data, date(2024, 6, 30))
    assert verdicts["qd953_2023.applicability"].status is Status.UNKNOWN
    assert not [k for k, v in verdicts.items() if v.status is Status.VIOLATED]
    assert verdicts["qd953_2023.giam_doc"].status is Status.UNKNOWN
    assert "applies" in said(verdicts["qd953_2023.giam_doc"].message, "en")
    assert verdicts["qd953_2023.ten_goi"].status is Status.SATISFIED  # holds whether or not QĐ 953 applies


def test_a_district_setup_without_level_gets_no_provincial_violation() -> None:
    data = copy.deepcopy(LOC_NINH)
    del data["centre"]["level"]
    verdicts = _verdicts(data, date(2024, 12, 31))
    assert verdicts["qd2936_2020.applicability"].status is Status.UNKNOWN
    assert not [k for k, v in verdicts.items() if k.startswith("qd2936_2020.") and v.status is Status.VIOLATED]


def test_the_jurisdiction_written_with_its_kind_still_applies() -> None:
    data = copy.deepcopy(CAO_LANH)
    data["centre"]["jurisdiction"] = "Thành phố Cao Lãnh"
    verdicts = _verdicts(data, date(2024, 6, 30))
    assert "qd953_2023.applicability" not in verdicts
    assert all(v.status is Status.SATISFIED for k, v in verdicts.items() if k.startswith("qd953_2023."))


def test_the_excluded_claim_names_the_excluding_fact_in_both_languages() -> None:
    data = copy.deepcopy(CAO_LANH)
    data["centre"].update(jurisdiction="Tháp Mười", unit_type="huyện")
    claim = _verdicts(data, date(2024, 6, 30))["qd953_2023.applicability"]
    assert "Tháp Mười" in said(claim.actual, "vi") and "Tháp Mười" in said(claim.actual, "en")
    assert "governing_documents" in said(claim.fix, "vi")
    data["centre"].update(province="Vĩnh Long", governing_documents=[])
    nothing = _verdicts(data, date(2024, 6, 30))["quyche.no_document_applies"]
    assert "30/06/2024" in said(nothing.message, "vi") and "Vĩnh Long" in said(nothing.message, "vi")
    assert "nothing was checked" in said(nothing.message, "en")
