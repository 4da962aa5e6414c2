"""The command-line contract of DESIGN.md: JSON keys, exit codes 0/1/2, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES, check_json, run_cli

CAO_LANH = EXAMPLES / "dong-thap" / "cao-lanh.yaml"
VIOLATIONS = EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml"
FINDING_KEYS = {"rule", "status", "severity", "document", "locator", "text", "message", "expected", "actual", "evidence", "fix"}


def test_json_report_has_every_contract_key() -> None:
    code, data = check_json(VIOLATIONS, "2024-06-30")
    assert code == 1
    assert {"as_of", "setup", "documents", "findings", "summary"} <= set(data)
    assert data["as_of"] == "2024-06-30" and data["documents"] == ["953/QĐ-UBND-HC"]
    assert set(data["summary"]) == {"satisfied", "violated", "not_applicable", "unknown"}
    for finding in data["findings"]:
        assert FINDING_KEYS <= set(finding)
        assert set(finding["message"]) == {"vi", "en"}
        assert finding["severity"] in {"error", "warning", "info"}


def test_each_violation_names_its_article_and_quotes_its_text() -> None:
    _, data = check_json(VIOLATIONS, "2024-06-30")
    violated = {f["rule"]: f for f in data["findings"] if f["status"] == "violated"}
    assert {
        "qd953_2023.giam_doc",
        "qd953_2023.pho_giam_doc",
        "qd953_2023.cong_chuc_cntt",
        "qd953_2023.cong_an",
        "qd953_2023.ky_thuat_vien",
        "qd953_2023.bo_nhiem",
        "qd953_2023.nguon_kinh_phi",
        "qd953_2023.bao_cao_6_thang",
    } <= set(violated)
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "002_a88f85edc6361697.txt"
    source = " ".join(seed.read_text(encoding="utf-8").split()) if seed.exists() else None
    for f in violated.values():
        assert f["locator"].startswith("Điều")
        assert f["text"] and f["fix"]
        if source:
            assert f["text"] in source, f["rule"]
    late = violated["qd953_2023.bao_cao_6_thang"]
    assert any(e.get("due") == "2024-06-25" and e["role"] == "late" for e in late["evidence"])


def test_text_output_is_vietnamese_by_default_and_english_on_request() -> None:
    code, out, _ = run_cli("check", str(VIOLATIONS), "--as-of", "2024-06-30")
    assert code == 1 and "VI PHẠM" in out and "Điều 7 khoản 2 điểm a" in out and "Nguyên văn" in out
    code, out, _ = run_cli("check", str(VIOLATIONS), "--as-of", "2024-06-30", "--lang", "en")
    assert code == 1 and "VIOLATED" in out and "Verbatim" in out


def test_compliant_example_exits_zero() -> None:
    code, out, _ = run_cli("check", str(CAO_LANH), "--as-of", "2024-06-30")
    assert code == 0, out


def test_output_is_deterministic() -> None:
    first = run_cli("check", str(VIOLATIONS), "--as-of", "2024-06-30", "--format", "json")
    second = run_cli("check", str(VIOLATIONS), "--as-of", "2024-06-30", "--format", "json")
    assert first == second


def _bad(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "setup.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", str(path), "--as-of", "2024-06-30", "--lang", "en")
    assert "Traceback" not in out + err
    return code, err


def test_malformed_yaml_exits_2_with_the_line(tmp_path: Path) -> None:
    code, err = _bad(tmp_path, "centre:\n  id: x\n  name: [unclosed\n")
    assert code == 2 and "malformed YAML" in err and "setup.yaml:" in err


def test_unknown_field_exits_2_naming_field_and_line(tmp_path: Path) -> None:
    code, err = _bad(tmp_path, "centre:\n  id: x\n  name: y\nstaff:\n  - name: A\n    employmnet: công an\n")
    assert code == 2 and "staff[0].employmnet" in err and "setup.yaml:6" in err


def test_wrong_type_exits_2(tmp_path: Path) -> None:
    code, err = _bad(tmp_path, "centre:\n  id: x\n  name: y\n  operating: perhaps\n")
    assert code == 2 and "centre.operating" in err and ":4" in err


def test_missing_file_and_bad_date_exit_2(tmp_path: Path) -> None:
    code, _, err = run_cli("check", str(tmp_path / "nope.yaml"), "--lang", "en")
    assert code == 2 and "no such file" in err
    code, _, err = run_cli("check", str(CAO_LANH), "--as-of", "30/06/2024")
    assert code == 2 and "YYYY-MM-DD" in err


def test_dsl_error_in_regulations_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.quy").write_text('document d {\n  number "1"\n  signd 2024-01-01\n}\n', encoding="utf-8")
    code, _, err = run_cli("check", str(CAO_LANH), "--regulations", str(tmp_path))
    assert code == 2 and "bad.quy:3:3" in err and "Q001" in err and "Traceback" not in err


def test_explain_shows_the_derivation_with_the_legal_text() -> None:
    code, out, _ = run_cli("explain", str(VIOLATIONS), "giam_doc", "--as-of", "2024-06-30")
    assert code == 1
    assert "Chánh Văn phòng HĐND và UBND thành phố kiêm nhiệm" in out
    assert "Phó Chánh Văn phòng" in out  # the staff record that decided it
    assert "Các bước suy luận" in out
    code, out, _ = run_cli("explain", str(CAO_LANH), "qd953_2023.giam_doc", "--as-of", "2024-06-30", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["status"] == "satisfied" and data["evidence"][0]["record"] == "staff[0]"


def test_explain_unknown_rule_suggests(tmp_path: Path) -> None:
    code, _, err = run_cli("explain", str(CAO_LANH), "giam_dok", "--as-of", "2024-06-30")
    assert code == 2 and "giam_doc" in err


def test_schema_is_json_schema_of_setups() -> None:
    code, out, _ = run_cli("schema")
    data = json.loads(out)
    assert code == 0 and "centre" in data["properties"] and "Staff" in data["$defs"]


def test_explain_starts_from_why_the_document_applies() -> None:
    code, out, _ = run_cli("explain", str(VIOLATIONS), "giam_doc", "--as-of", "2024-06-30", "--format", "json")
    data = json.loads(out)
    steps = [step["vi"] for step in data["steps"]]
    assert code == 1 and steps[0].startswith("953/QĐ-UBND-HC có hiệu lực từ 18/09/2023")
    assert "địa bàn = Cao Lãnh" in steps[0]
    assert data["trace"][0]["event"] == "trace.document_applies" and data["trace"][-1]["event"] == "trace.outcome"
