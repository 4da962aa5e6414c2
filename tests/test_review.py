"""`quyche review`: figures recomputed, citations checked, unfinished text flagged, drafts against enactments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance.review import CHECKS, load_for_review, review
from tests.conftest import ROOT, run_cli

DRAFT = "totrinh_ioc_2021"
DRAFT_FILE = ROOT / "regulations" / "binh-phuoc" / "totrinh-2021-draft.md"


def _review(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli("review", *args, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def _by(data: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["check"] == check]


@pytest.fixture(scope="module")
def draft() -> tuple[int, dict[str, Any]]:
    return _review(DRAFT, "--as-of", "2025-01-01")


def test_the_draft_fails_review_on_its_three_wrong_figures(draft) -> None:  # noqa: ANN001
    code, data = draft
    assert code == 1
    errors = sorted(f["rule"] for f in data["findings"] if f["severity"] == "error")
    assert errors == [f"{DRAFT}.chi_11_huyen_thang", f"{DRAFT}.chi_tinh_thang_theo_muc_chi", f"{DRAFT}.so_cong_chuc_11_huyen"]
    assert data["severity"] == {"error": 3, "warning": 3, "info": 4}
    assert data["status"] == "draft" and data["document_id"] == DRAFT


def test_a_wrong_figure_shows_both_figures_and_the_parameter_with_its_decree(draft) -> None:  # noqa: ANN001
    _, data = draft
    f = next(f for f in data["findings"] if f["rule"] == f"{DRAFT}.chi_11_huyen_thang")
    assert f["status"] == "violated" and f["actual"] == "221.265.000" and f["expected"].startswith("147.510.000")
    assert "66 * 2.235.000 = 147.510.000" in f["steps"][0]["vi"]
    g = next(f for f in data["findings"] if f["rule"] == f"{DRAFT}.chi_tinh_thang_theo_muc_chi")
    assert "1.490.000 theo Nghị định 38/2019/NĐ-CP" in g["message"]["vi"]
    assert g["parameters"][0]["source"] == "Nghị định 38/2019/NĐ-CP"
    assert g["location"] == {"file": "regulations/binh-phuoc/totrinh-2021-draft.md", "line": _line("claim chi_tinh_thang_theo_muc_chi"), "column": 1}


def test_figures_that_add_up_are_reported_as_satisfied(draft) -> None:  # noqa: ANN001
    _, data = draft
    claims = _by(data, "claim")
    assert len(claims) == 32
    assert sum(f["status"] == "satisfied" for f in claims) == 20
    assert sum(f["status"] == "not_applicable" for f in claims) == 9


def test_the_same_instrument_cited_twice_in_the_legal_basis(draft) -> None:  # noqa: ANN001
    _, data = draft
    dup = _by(data, "citation-duplicate")
    assert [(f["rule"], f["severity"], f["locator"]) for f in dup] == [(f"{DRAFT}.cites.qd1316_2020", "warning", "Mục I.2")]
    assert len(dup[0]["evidence"]) == 2
    # Luật Ban hành VBQPPL is cited in the opening and in Mục III: two places, not a duplicate.
    assert not [f for f in dup if "bhvbqppl" in f["rule"]]


def test_unfinished_text_is_flagged_verbatim(draft) -> None:  # noqa: ANN001
    _, data = draft
    found = {f["rule"]: f for f in _by(data, "unfinished-text")}
    assert set(found) == {f"{DRAFT}.lay_y_kien_cong_van", f"{DRAFT}.tham_dinh_tu_phap"}
    assert found[f"{DRAFT}.lay_y_kien_cong_van"]["text"] == "Sở đã có Công văn số...... gửi ..... lấy ý kiến."
    assert "(sẽ bổ sung nội dung sau)" in found[f"{DRAFT}.tham_dinh_tu_phap"]["actual"]
    assert all(f["severity"] == "warning" for f in found.values())


def test_the_proposal_is_compared_with_what_was_enacted(draft) -> None:  # noqa: ANN001
    _, data = draft
    found = {f["rule"]: f for f in _by(data, "proposal-vs-enacted")}
    direct, other = found[f"{DRAFT}.muc_chi_truc_tiep"], found[f"{DRAFT}.muc_chi_khong_truc_tiep"]
    assert direct["severity"] == "info" and direct["status"] == "violated"
    assert direct["actual"].endswith("= 2.235.000") and direct["expected"] == "14/2021/NQ-HĐND: 1.000.000"
    assert other["actual"].endswith("= 745.000") and other["expected"] == "14/2021/NQ-HĐND: 500.000"
    assert "4037/QĐ-UBND Điều 9" in direct["message"]["vi"]  # how the enactment is known
    assert direct["evidence"][0]["record"] == "rule:nq14_2021.ho_tro_truc_tiep"


def test_an_undated_draft_is_placed_between_its_citations_and_its_enactment(draft) -> None:  # noqa: ANN001
    _, data = draft
    [undated] = _by(data, "undated")
    assert "18/05/2021" in undated["message"]["vi"] and "30/09/2021" in undated["message"]["vi"]


def test_the_base_salary_has_changed_since(draft) -> None:  # noqa: ANN001
    _, data = draft
    [note] = _by(data, "claim-today")
    assert note["severity"] == "info" and "2.340.000" in note["message"]["vi"] and "73/2024/NĐ-CP" in note["message"]["vi"]
    _, then = _review(DRAFT, "--as-of", "2021-09-30")
    assert not _by(then, "claim-today")


def test_a_binding_decision_reviews_clean_by_number_and_by_file() -> None:
    code, data = _review("2936/QĐ-UBND", "--as-of", "2021-01-01")
    assert code == 0 and data["document_id"] == "qd2936_2020"
    assert data["severity"] == {"error": 0, "warning": 0, "info": 0}
    assert {f["check"] for f in data["findings"]} == {"not-modelled"}
    code, by_file = _review(str(ROOT / "regulations" / "binh-phuoc" / "qd-2936-2020.md"), "--as-of", "2021-01-01")
    assert code == 0 and by_file["findings"] == data["findings"]


def _line(needle: str) -> int:
    return next(i for i, line in enumerate(DRAFT_FILE.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(needle))


def test_sarif(tmp_path: Path) -> None:
    code, out, _ = run_cli("review", DRAFT, "--format", "sarif", "--as-of", "2025-01-01", "--lang", "en")
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "quyche"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} <= set(CHECKS)
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["claim"] == "error" and levels["unfinished-text"] == "warning" and levels["proposal-vs-enacted"] == "note"
    wrong = next(r for r in run["results"] if r["properties"]["rule"] == f"{DRAFT}.so_cong_chuc_11_huyen")
    place = wrong["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == "regulations/binh-phuoc/totrinh-2021-draft.md"
    assert place["region"]["startLine"] == _line("claim so_cong_chuc_11_huyen")
    assert wrong["message"]["text"].startswith("Figure does not add up")
    assert all(r["properties"]["status"] in ("violated", "unknown") for r in run["results"])  # no passes in SARIF


def test_text_output_in_both_languages() -> None:
    code, out, _ = run_cli("review", DRAFT, "--as-of", "2025-01-01", "--lang", "en")
    assert code == 1
    assert "PROPOSED (not enacted)" in out and "DOES NOT ADD UP" in out and "DIFFERS FROM ENACTED" in out
    assert "regulations/binh-phuoc/totrinh-2021-draft.md:" in out
    code, out, _ = run_cli("review", DRAFT, "--as-of", "2025-01-01")
    assert "SAI SỐ LIỆU" in out and "CHƯA HOÀN CHỈNH" in out and "LỖI 3" in out
    assert "ĐÚNG" not in out  # figures that add up only with --verbose
    _, verbose, _ = run_cli("review", DRAFT, "--as-of", "2025-01-01", "--verbose")
    assert "ĐÚNG" in verbose


# ---------------------------------------------------------------- a new draft under review, from a file
NEW_DRAFT = """
document du_thao_moi {
  number "Dự thảo thử"
  title "Dự thảo để kiểm thử"
  kind submission
  status draft
  signed 2020-01-01
  source "none.txt"
  cites qd1316_2020
    at "Căn cứ"
    text "Quyết định số 1316/QĐ-UBND ngày 17/6/2020"
  cites qd9999_2020
    at "Căn cứ"
    text "Quyết định số 9999/QĐ-UBND"
}
claim tong {
  at "Mục 1"
  text "03 người × 04 ca = 13 người; Công văn số ....../UBND"
  stated 13
  computed 3 * 4
}
"""


def test_a_draft_file_outside_the_regulations(tmp_path: Path) -> None:
    path = tmp_path / "du-thao.quy"
    path.write_text(NEW_DRAFT, encoding="utf-8")
    code, data = _review(str(path), "--as-of", "2025-01-01")
    assert code == 1 and data["document_id"] == "du_thao_moi"
    checks = {(f["check"], f["severity"]) for f in data["findings"]}
    assert ("citation-unknown", "error") in checks  # qd9999_2020 is in no file
    assert ("citation-later", "error") in checks  # signed 2020-01-01, cites a decision of 17/6/2020
    assert ("claim", "error") in checks and ("unfinished-text", "warning") in checks
    assert ("proposal-vs-enacted", "info") in checks  # nothing derives from it yet: said so
    unknown = next(f for f in data["findings"] if f["check"] == "citation-unknown")
    assert unknown["location"]["file"] == str(path) and unknown["location"]["line"] == 12


def test_a_reviewers_copy_replaces_the_bundled_document(tmp_path: Path) -> None:
    """Editing a figure in a copy of the draft: the copy is reviewed, and the edit is caught."""
    text = DRAFT_FILE.read_text(encoding="utf-8").replace("42.465.000", "42.456.000").replace("42465000", "42456000")
    path = tmp_path / "copy.md"
    path.write_text(text, encoding="utf-8")
    program, doc, dropped = load_for_review(str(path))
    assert doc.id == DRAFT and not dropped
    data = review(program, doc.id, __import__("datetime").date(2021, 9, 30))
    wrong = {f["rule"].split(".", 1)[1] for f in data["findings"] if f["check"] == "claim" and f["status"] == "violated"}
    assert {"chi_tinh_thang", "tong_thang"} <= wrong  # 19 × 2.235.000 ≠ 42.456.000; the total no longer adds up


@pytest.mark.parametrize("args", [("no_such_document",), ("missing.quy",), ("2936/QĐ-UBND", "--format", "xml")])
def test_bad_input_exits_2_without_a_traceback(args: tuple[str, ...]) -> None:
    code, out, err = run_cli("review", *args)
    assert code == 2
    assert "Traceback" not in out + err


def test_a_syntax_error_in_the_file_under_review_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.quy"
    path.write_text('document x { number "1" }\nclaim c { stated }\n', encoding="utf-8")
    code, out, err = run_cli("review", str(path))
    assert code == 2 and "broken.quy:2" in out + err


def test_unknown_document_suggests_close_names() -> None:
    code, out, err = run_cli("review", "qd2936_202")
    assert code == 2 and "qd2936_2020" in out + err
