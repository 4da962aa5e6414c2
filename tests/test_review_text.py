"""`quyche review FILE|-|DOCUMENT_ID` on text: the issue's cases on the seeds, SARIF validated against
the OASIS 2.1.0 schema (tests/schemas/), stable fingerprints, stdin and .docx, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS, invoke, run_cli

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
CORPUS = Path(__file__).parent / "drafting_corpus"


def _seed(prefix: str) -> str:
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli("review", *args, "--format", "json", "--as-of", "2026-12-02")
    assert code in (0, 1), err
    return code, json.loads(out)


def _at(data: dict[str, Any], check: str) -> list[tuple[str, int, int]]:
    return [(f["locator"], f["location"]["line"], f["location"]["column"]) for f in data["findings"] if f["check"] == check]


def test_qd4037_numbering_and_thi_xa() -> None:
    code, data = _json(_seed("001"))
    assert code == 1
    assert _at(data, "numbering-duplicate") == [("Quy chế, Điều 6 khoản 7 (lần 2)", 114, 1)]
    assert _at(data, "unit-level") == [("Quy chế, Điều 4 khoản 4", 92, 256)]
    line = Path(_seed("001")).read_text(encoding="utf-8").splitlines()[91]
    assert line[255:].startswith("thị xã")


def test_qd1089_typos_pilot_and_cadence() -> None:
    _, data = _json(_seed("004"))
    assert _at(data, "typo-syllable") == [("Quy chế, Chương II", 233, 22)]
    assert _at(data, "unit-misspelled") == [("Quy chế, Điều 2 khoản 1", 152, 9)]
    assert _at(data, "pilot-no-end") == [("Điều 1", 62, 50)]
    assert _at(data, "duty-no-cadence") == [("Quy chế, Điều 7 khoản 5", 298, 24)]


def test_totrinh_duplicate_placeholders_and_figures() -> None:
    code, data = _json(_seed("000"))
    assert code == 1
    assert _at(data, "citation-duplicate") == [("Mục I.2", 194, 3)]
    assert [f["excerpt"] for f in data["findings"] if f["check"] == "placeholder"] == ["...... gửi .....", "(sẽ bổ sung nội dung sau)"]
    figure = next(f for f in data["findings"] if f["check"] == "figure-mismatch")
    assert (figure["actual"], figure["expected"], figure["location"]["line"]) == ("221265000", "147510000", 415)
    assert figure["message"]["en"].startswith("The figure does not add up: the text states 221,265,000")


def test_qd953_phrase_with_a_word_missing() -> None:
    _, data = _json(_seed("002"))
    f = next(f for f in data["findings"] if f["check"] == "typo-phrase")
    assert f["excerpt"] == "phân cấp ngân sách nhà nước hiện và" and f["location"]["line"] == 97
    assert f["message"]["vi"].endswith("(có thể thiếu hoặc sai một từ)")


def test_document_id_review_reads_its_source_and_the_reorganisation() -> None:
    code, out, _ = run_cli("review", "qd4037_2024", "--as-of", "2026-12-02", "--seeds", str(SEEDS))
    assert code == 1
    assert "Sở Thông tin và Truyền thông, đã hợp nhất vào Sở Khoa học và Công nghệ từ ngày 01/03/2025" in out
    assert "001_22177f35bc96b2fc.txt:114" in out  # the text checks ran on the source
    _, out, _ = run_cli("review", "qd4037_2024", "--as-of", "2024-12-31", "--seeds", str(SEEDS))
    assert "Sở Khoa học và Công nghệ" not in out  # before the merger, nothing to say
    code, out, _ = run_cli("review", "qd1089_2024", "--as-of", "2026-12-02", "--seeds", str(SEEDS), "--format", "json")
    checks = {f["check"] for f in json.loads(out)["findings"]}
    assert {"fact-pilot-no-end", "pilot-no-end", "duty-no-cadence", "typo-syllable"} <= checks


def test_sarif_validates_and_points_at_the_words() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    path = _seed("001")
    code, out, _ = run_cli("review", path, "--format", "sarif", "--as-of", "2026-12-02", "--lang", "en")
    assert code == 1
    sarif = json.loads(out)
    jsonschema.validate(sarif, schema)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    results = sarif["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("001_22177f35bc96b2fc.txt") for r in results)
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        if region["startLine"] == region["endLine"]:
            found = lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1]
            assert found and found.strip() == found, r
    dup = next(r for r in results if r["ruleId"] == "numbering-duplicate")
    assert dup["locations"][0]["physicalLocation"]["region"]["startLine"] == 114 and dup["level"] == "error"
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} == rules
    # The encoded review's SARIF validates too.
    _, out, _ = run_cli("review", "totrinh_ioc_2021", "--format", "sarif", "--as-of", "2026-12-02", "--seeds", str(SEEDS))
    jsonschema.validate(json.loads(out), schema)


def test_fingerprints_survive_edits_elsewhere(tmp_path: Path) -> None:
    text = Path(_seed("004")).read_text(encoding="utf-8")
    before, after = tmp_path / "a.txt", tmp_path / "b.txt"
    before.write_text(text, encoding="utf-8")
    after.write_text("\n\nGhi chú của người soạn thảo.\n" + text, encoding="utf-8")

    def prints(path: Path) -> dict[str, int]:
        _, out, _ = run_cli("review", str(path), "--format", "sarif", "--as-of", "2026-12-02")
        return {
            r["partialFingerprints"]["quycheFinding/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in json.loads(out)["runs"][0]["results"]
        }

    a, b = prints(before), prints(after)
    assert a.keys() == b.keys() and len(a) == len(set(a))
    assert all(b[k] == a[k] + 3 for k in a)


def test_stdin_docx_and_markdown(tmp_path: Path) -> None:
    import docx

    text = Path(_seed("004")).read_text(encoding="utf-8")
    code, out, _ = invoke(["review", "-", "--format", "json", "--as-of", "2026-12-02"], stdin=text)
    assert code == 0
    from_stdin = json.loads(out)
    assert from_stdin["file"] == "-" and any(f["check"] == "typo-syllable" for f in from_stdin["findings"])
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "qd1089.docx"
    document.save(str(path))
    _, data = _json(str(path))
    assert [(f["check"], f["location"]["line"]) for f in data["findings"]] == [(f["check"], f["location"]["line"]) for f in from_stdin["findings"]]
    code, data = _json(str(CORPUS / "heldout_ke_hoach.md"))
    assert code == 1 and len(data["findings"]) >= 20


def test_a_clean_draft_exits_0_and_output_is_deterministic() -> None:
    path = str(CORPUS / "clean_quy_che.txt")
    first = run_cli("review", path, "--as-of", "2026-12-02")
    second = run_cli("review", path, "--as-of", "2026-12-02")
    assert first == second and first[0] == 0
    assert "Không phát hiện vấn đề nào." in first[1]
    en = run_cli("review", path, "--as-of", "2026-12-02", "--lang", "en")[1]
    assert "No problems found." in en and "Văn bản" not in en


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("x.pdf", b"%PDF-1.4", "cannot read this kind of file"),
        ("x.txt", b"\x00\x01\x02", "a binary file"),
        ("x.txt", b"   \n", "the file is empty"),
        ("x.txt", b"\xff\xfe\xfa", "not UTF-8"),
        ("x.docx", b"not a zip", "not a valid .docx"),
    ],
)
def test_bad_input_exits_2_without_traceback(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run_cli("review", str(path), "--lang", "en")
    assert code == 2 and message in err and "Traceback" not in err + out


def test_english_output_has_no_vietnamese_labels() -> None:
    _, out, _ = run_cli("review", _seed("004"), "--as-of", "2026-12-02", "--lang", "en")
    for label in ("LỖI", "CẢNH BÁO", "THÔNG TIN", "Vị trí", "Cách sửa", "Tổng hợp"):
        assert label not in out
    assert "WARNING" in out and "Summary:" in out
    assert ROOT.is_dir()
