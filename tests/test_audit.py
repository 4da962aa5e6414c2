"""`quyche audit DIR`: every setup checked as of one date, bad files reported, reports in JSON, CSV, HTML."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance.audit import CSV_COLUMNS, audit, audit_exit_code, csv_header, find_setups, to_csv, to_html, to_json, to_text
from compliance.findings import AUDIT_EVIDENCE
from compliance.render import LABELS
from engine import Program
from tests.browser import launch, watched_page
from tests.conftest import EXAMPLES, check_json, run_cli

AS_OF = "2024-06-30"
SHOTS = Path("/tmp/quyche-shots")

MALFORMED = "centre:\n  id: hong\n  name: [không đóng ngoặc\n"
INVALID = "centre:\n  id: sai\n  name: Trung tâm sai\n  level: vùng\nstaff:\n  - name: A\n    employmnt: công chức\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, plus one malformed YAML (in a subfolder), one invalid setup and one non-UTF-8 file."""
    root = tmp_path_factory.mktemp("audit") / "centres"
    shutil.copytree(EXAMPLES, root)
    (root / "zz-bad").mkdir()
    (root / "zz-bad" / "hong.yaml").write_text(MALFORMED, encoding="utf-8")
    (root / "sai.yml").write_text(INVALID, encoding="utf-8")
    (root / "latin1.yaml").write_bytes("centre:\n  id: x\n  name: Trung t\xe2m\n".encode("latin-1"))
    (root / ".hidden").mkdir()
    (root / ".hidden" / "ignored.yaml").write_text(MALFORMED, encoding="utf-8")
    (root / "notes.txt").write_text("not a setup", encoding="utf-8")
    return root


def _examples() -> list[str]:
    return [p.relative_to(EXAMPLES).as_posix() for p in find_setups(EXAMPLES)]


def _run(*args: str) -> tuple[int, str, str]:
    return run_cli("audit", *args)


def _csv(path: Path, lang: str = "vi") -> list[dict[str, str]]:
    """A CSV report's rows by column key, after checking its header is in the report's language."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == csv_header(lang)  # type: ignore[arg-type]
    return [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]


# ---------------------------------------------------------------- checking
def test_examples_are_all_checked_and_violations_give_exit_1(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, stdout, _ = _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "-q")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["setup"] for c in data["centres"]] == _examples()
    assert data["errors"] == []
    assert any(c["violated"] for c in data["centres"]), "the examples include violating setups"
    assert code == 1
    assert stdout == ""


def test_compliant_folder_exits_0(tmp_path: Path) -> None:
    (tmp_path / "dt").mkdir()
    shutil.copy(EXAMPLES / "dong-thap" / "cao-lanh.yaml", tmp_path / "dt" / "cao-lanh.yaml")
    code, stdout, _ = _run(str(tmp_path), "--as-of", AS_OF)
    assert code == 0, stdout
    assert "dt/cao-lanh.yaml" in stdout


def test_bad_files_are_reported_and_the_others_still_checked(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, _, stderr = _run(str(folder), "--as-of", AS_OF, "--out", str(out))
    assert code == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    errors = {e["setup"]: e for e in data["errors"]}
    assert sorted(errors) == ["latin1.yaml", "sai.yml", "zz-bad/hong.yaml"]
    # In the reader's language (Vietnamese by default), each problem at its line and column.
    assert "YAML sai cú pháp" in errors["zz-bad/hong.yaml"]["message"]
    assert errors["zz-bad/hong.yaml"]["message"].startswith("zz-bad/hong.yaml:4:1: ")
    unknown = "trường 'staff[0].employmnt' không có trong mẫu thiết lập; có phải ý bạn là 'employment'?"
    assert unknown in errors["sai.yml"]["message"]
    assert {"line": 7, "column": 5, "message": unknown} in errors["sai.yml"]["problems"]
    assert any("level" in p["message"] and p["line"] == 4 for p in errors["sai.yml"]["problems"])
    assert "UTF-8" in errors["latin1.yaml"]["message"]
    assert not any(word in e["message"] for e in errors.values() for word in ("malformed", "unknown field", "not allowed", "did you mean"))
    english = tmp_path / "en.json"
    _run(str(folder), "--as-of", AS_OF, "--out", str(english), "--lang", "en", "-q")
    in_english = {e["setup"]: e for e in json.loads(english.read_text(encoding="utf-8"))["errors"]}
    assert {"line": 7, "column": 5, "message": "unknown field 'staff[0].employmnt'; did you mean 'employment'?"} in in_english["sai.yml"]["problems"]
    assert "malformed YAML" in in_english["zz-bad/hong.yaml"]["message"]
    assert [c["setup"] for c in data["centres"]] == _examples(), "every good file is still checked"
    assert data["totals"] == {**data["totals"], "files": len(_examples()) + 3, "bad_files": 3, "centres": len(_examples())}
    # Progress, one line per file, on stderr only.
    assert len(re.findall(r"^\[\d+/\d+\] ", stderr, re.MULTILINE)) == len(_examples()) + 3
    assert "[" not in out.read_text(encoding="utf-8").split('"centres"')[0]
    assert "Traceback" not in stderr


COMPACT = ["rule", "kind", "status", "severity", "binding", "document", "document_id", "locator"]
EXPLANATION = {"text", "message", "expected", "actual", "evidence", "fix", "steps", "parameters"}


def _without_steps(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k != "steps"} for f in findings]


def _cited(findings: list[dict[str, Any]]) -> set[str]:
    return {str(e["record"]) for f in findings for e in f.get("evidence", ())}


def test_findings_needing_attention_are_explained_and_the_others_compact(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "-q")
    data = json.loads(out.read_text(encoding="utf-8"))
    centres = {c["setup"]: c for c in data["centres"]}
    for setup in ("dong-thap/cao-lanh-violations.yaml", "binh-phuoc/provincial-ioc-teams-violations.yaml", "loc-ninh/loc-ninh.yaml"):
        entry = centres[setup]
        _, checked = check_json(EXAMPLES / setup, AS_OF)
        assert [f["rule"] for f in entry["findings"]] == [f["rule"] for f in checked["findings"]], "same findings, same order"
        for written, full in zip(entry["findings"], _without_steps(checked["findings"]), strict=True):
            if full["status"] in ("violated", "unknown"):
                # What needs attention keeps check's shape, minus the derivation steps; past the
                # first AUDIT_EVIDENCE items its evidence is counted, not listed.
                evidence = full["evidence"]
                if len(evidence) > AUDIT_EVIDENCE:
                    full = {**full, "evidence": evidence[:AUDIT_EVIDENCE], "evidence_omitted": len(evidence) - AUDIT_EVIDENCE}
                    assert written["evidence_omitted"] == len(evidence) - AUDIT_EVIDENCE > 0
                assert written == full
            else:
                assert list(written) == COMPACT and written == {k: full[k] for k in COMPACT}
                assert not EXPLANATION & set(written), "a compact finding carries no explanation"
        assert any(f["status"] in ("satisfied", "not_applicable") for f in entry["findings"])
        assert entry["summary"] == checked["summary"] and entry["documents"] == checked["documents"]
        # The records named are those the written evidence cites, no more.
        assert set(entry["records"]) <= _cited(entry["findings"])
    assert any(f["status"] == "unknown" for c in centres.values() for f in c["findings"]), "the examples include unknown findings"
    entry = centres["dong-thap/cao-lanh-violations.yaml"]
    _, checked = check_json(EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml", AS_OF)
    assert entry["documents"] == checked["documents"]
    assert set(data) == {"as_of", "directory", "receipt", "centres", "errors", "totals"}
    assert {k: v for k, v in checked["receipt"].items() if k in ("tool", "version", "program")} == {k: v for k, v in data["receipt"].items() if k != "as_of"}, (
        "the audit names the same tool and rule program as check"
    )
    assert data["receipt"]["as_of"] == AS_OF
    assert data["as_of"] == AS_OF
    for status in ("violated", "unknown", "satisfied", "not_applicable"):
        assert data["totals"][status] == sum(c["summary"][status] for c in data["centres"])


def test_full_writes_every_finding_as_check_does(tmp_path: Path, program: Program) -> None:
    full, steps, compact = tmp_path / "full.json", tmp_path / "steps.json", tmp_path / "compact.json"
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(full), "--full", "-q")
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(steps), "--full", "--steps", "-q")
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(compact), "-q")
    data, with_steps, short = (json.loads(p.read_text(encoding="utf-8")) for p in (full, steps, compact))
    for setup in ("dong-thap/cao-lanh.yaml", "binh-thuan/binh-thuan-violations.yaml", "loc-ninh/loc-ninh-support-violations.yaml"):
        _, checked = check_json(EXAMPLES / setup, AS_OF)
        entry = next(c for c in data["centres"] if c["setup"] == setup)
        assert entry["findings"] == _without_steps(checked["findings"])
        assert next(c for c in with_steps["centres"] if c["setup"] == setup)["findings"] == checked["findings"]
        assert set(entry["records"]) >= set(next(c for c in short["centres"] if c["setup"] == setup)["records"])
    assert data["totals"] == short["totals"] == with_steps["totals"], "the totals do not depend on the shape"
    assert compact.stat().st_size < full.stat().st_size < steps.stat().st_size
    assert audit(program, EXAMPLES, date.fromisoformat(AS_OF), full=True)["centres"] == data["centres"]


def test_every_audit_finding_validates_against_the_published_models(tmp_path: Path) -> None:
    from pydantic import TypeAdapter, ValidationError

    from compliance.report_schema import AuditFinding, CompactFinding, Finding

    adapter = TypeAdapter(AuditFinding)
    for args in ([], ["--full"], ["--full", "--steps"]):
        out = tmp_path / "r.jsonl"
        _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "-q", *args)
        findings = [f for line in out.read_text(encoding="utf-8").splitlines() for f in json.loads(line).get("findings", ())]
        assert findings
        for f in findings:
            adapter.validate_python(f)
            if list(f) == COMPACT:
                CompactFinding.model_validate(f)
                with pytest.raises(ValidationError):
                    Finding.model_validate(f)
            elif "steps" in f:
                Finding.model_validate(f)
    with pytest.raises(ValidationError):  # a violated finding is never compact
        adapter.validate_python(
            {"rule": "r", "kind": "rule", "status": "violated", "severity": "error", "binding": True, "document": "d", "document_id": "d", "locator": None}
        )


def test_as_of_changes_the_outcome(program: Program) -> None:
    early = audit(program, EXAMPLES, date(2023, 1, 1))
    late = audit(program, EXAMPLES, date.fromisoformat(AS_OF))
    assert early["as_of"] == "2023-01-01"
    assert early["totals"] != late["totals"], "documents not yet in force in 2023 change the verdicts"


# ---------------------------------------------------------------- reports
def test_csv_has_one_row_per_finding_and_per_bad_file(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    code, _, _ = _run(str(folder), "--as-of", AS_OF, "--out", str(out), "-q")
    assert code == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so spreadsheets read the Vietnamese"
    rows = _csv(out)
    assert csv_header("vi")[:4] == ["Tệp", "Trung tâm", "Mã quy định", "Kết luận"]
    json_out = tmp_path / "r.json"
    _run(str(folder), "--as-of", AS_OF, "--out", str(json_out), "-q")
    data = json.loads(json_out.read_text(encoding="utf-8"))
    n_findings = sum(len(c["findings"]) for c in data["centres"])
    assert len(rows) == n_findings + len(data["errors"])
    bad = [r for r in rows if r["status"] == "LỖI TỆP"]
    assert sorted(r["setup"] for r in bad) == ["latin1.yaml", "sai.yml", "zz-bad/hong.yaml"]
    violated = [r for r in rows if r["status"] == LABELS["vi"]["violated"] and r["setup"] == "dong-thap/cao-lanh-violations.yaml"]
    assert violated and all(r["document"] and r["locator"].startswith("Điều") and r["message"].startswith("Vi phạm") for r in violated)
    assert {r["severity"] for r in rows} <= {"lỗi", "cảnh báo", "thông tin"}
    assert any(r["fix"] for r in violated)


def test_lang_en_writes_english_fixes_and_labels(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "--lang", "en", "-q")
    rows = _csv(out, "en")
    giam_doc = next(r for r in rows if r["rule"] == "qd953_2023.giam_doc" and r["status"] == "VIOLATED")
    assert giam_doc["message"].startswith("Violated") and giam_doc["severity"] == "error"
    assert giam_doc["fix"].startswith("Make the head")
    html_out = tmp_path / "r.html"
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(html_out), "--lang", "en", "-q")
    page = html_out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Centres checked" in page and "VIOLATED" in page


def test_html_is_self_contained_and_complete(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    _run(str(folder), "--as-of", AS_OF, "--out", str(out), "-q")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "no external resources"
    assert "<style>" in page
    assert "30/06/2024" in page
    for name in _examples() + ["latin1.yaml", "sai.yml", "zz-bad/hong.yaml"]:
        assert name in page, name
    # A violated finding appears with its article and its verbatim text.
    assert "Điều 7 khoản 2 điểm a" in page
    assert "a) Giám đốc: Chánh Văn phòng HĐND và UBND thành phố kiêm nhiệm." in page


def test_reports_are_deterministic(folder: Path, tmp_path: Path, program: Program) -> None:
    first, second = tmp_path / "1.html", tmp_path / "2.html"
    _run(str(folder), "--as-of", AS_OF, "--out", str(first), "-q")
    _run(str(folder), "--as-of", AS_OF, "--out", str(second), "-q")
    assert first.read_bytes() == second.read_bytes()
    when = date.fromisoformat(AS_OF)
    one, two = audit(program, folder, when), audit(program, folder, when)  # two fresh evaluations
    for render in (to_json, to_csv, to_html, to_text):
        assert render(one) == render(two), render.__name__
    assert not re.search(r"\d{2}:\d{2}:\d{2}", to_json(one)), "no timestamps"
    assert to_json(one).count("2024-06-30") >= 1


def test_text_summary_goes_to_stdout(folder: Path) -> None:
    code, stdout, stderr = _run(str(folder), "--as-of", AS_OF)
    assert code == 2
    assert "dong-thap/cao-lanh-violations.yaml" in stdout and "LỖI TỆP" in stdout
    assert "Tổng hợp:" in stdout.splitlines()[-1]
    assert not re.search(r"^\[\d+/\d+\]", stdout, re.MULTILINE), "progress stays on stderr"
    assert re.search(r"^\[1/\d+\]", stderr, re.MULTILINE)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.pdf"], "--out must end with .html, .csv, .json or .jsonl"),
        (["--as-of", "30/06/2024"], "YYYY-MM-DD"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    code, _, stderr = _run(str(EXAMPLES), *args, "--lang", "en")
    assert code == 2 and message in stderr


def test_missing_or_empty_folder_exits_2(tmp_path: Path) -> None:
    code, _, stderr = _run(str(tmp_path / "nowhere"), "--lang", "en")
    assert code == 2 and "no such folder" in stderr
    code, _, stderr = _run(str(tmp_path / "nowhere"))
    assert code == 2 and "không có thư mục này" in stderr
    code, _, stderr = _run(str(tmp_path), "--lang", "en")
    assert code == 2 and "no *.yaml or *.yml" in stderr


def test_exit_code_rules() -> None:
    assert audit_exit_code({"errors": [], "centres": [{"violated": False}]}) == 0
    assert audit_exit_code({"errors": [], "centres": [{"violated": True}]}) == 1
    assert audit_exit_code({"errors": [{"setup": "x"}], "centres": [{"violated": True}]}) == 2


# ---------------------------------------------------------------- in chromium
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


def test_html_report_renders_its_table_in_chromium(browser: Any, folder: Path, tmp_path: Path, program: Program) -> None:
    out = tmp_path / "report.html"
    out.write_text(to_html(audit(program, folder, date.fromisoformat(AS_OF))), encoding="utf-8")
    with watched_page(browser, width=1300, height=1100) as w:
        w.page.goto(out.as_uri(), wait_until="load")
        table = w.page.locator("table#centres")
        assert table.is_visible()
        rows = table.locator("tbody tr")
        assert rows.count() == len(_examples()) + 3
        assert table.locator("tr.bad").count() == 3
        assert w.page.locator("h1").inner_text() == "Báo cáo kiểm tra Trung tâm IOC"
        box = table.bounding_box()
        assert box and box["width"] > 600 and box["height"] > 100
        # Each row's link leads to that centre's findings.
        first = rows.first.locator("a")
        target = first.get_attribute("href")
        assert target and w.page.locator(target).count() == 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(SHOTS / "audit-report.png"), full_page=False)
        w.page.locator("#f3").scroll_into_view_if_needed()
        w.page.screenshot(path=str(SHOTS / "audit-findings.png"))
        assert w.outside == [] and w.page_errors == [] and w.console_errors == []


# ---------------------------------------------------------------- streaming, jobs, hostile files
@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".csv", ".html"])
def test_reports_are_identical_whatever_the_number_of_jobs(folder: Path, tmp_path: Path, suffix: str) -> None:
    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"r{jobs}{suffix}"
        code, _, _ = _run(str(folder), "--as-of", AS_OF, "--out", str(out), "--jobs", jobs, "-q")
        assert code == 2
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_full_reports_are_identical_whatever_the_number_of_jobs(folder: Path, tmp_path: Path, suffix: str) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}{suffix}"
        code, _, _ = _run(str(folder), "--as-of", AS_OF, "--out", str(out), "--jobs", jobs, "--full", "-q")
        assert code == 2
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_json_written_straight_from_the_verdicts_is_the_entry_encoded(program: Program, folder: Path) -> None:
    from compliance import audit as auditing

    for as_of in (date(2021, 6, 30), date.fromisoformat(AS_OF), date(2026, 1, 15)):
        for file in auditing.iter_setups(folder):
            for full, steps in ((False, False), (True, False), (False, True)):
                checked = auditing._check(program, file, as_of, "vi", steps, full)
                if isinstance(checked, auditing._Checked):
                    row, text = auditing._entry_json(program, checked)
                    entry = auditing.check_file(program, file, as_of, "vi", steps, full)
                    assert text == json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
                    assert row == auditing._row(entry)


def test_readings_made_once_per_process_read_as_made_afresh(program: Program, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance import audit as auditing
    from compliance import findings
    from compliance.catalogue import NAME_CLOSE, NAME_OPEN, marking_names

    when = date(2021, 6, 30)  # the teams' weekly meetings: hundreds of evidence items, the same across centres
    result = audit(program, EXAMPLES / "binh-phuoc", when, full=True)
    memoised = {(render.__name__, lang): render(result, lang) for render in (to_csv, to_html) for lang in ("vi", "en")}
    with marking_names():  # the leak test's mode is part of every key
        marked = audit(program, EXAMPLES / "binh-phuoc", when, full=True)
        details = [e["detail"]["vi"] for c in marked["centres"] for f in c["findings"] for e in f["evidence"] if e["record"] == "meetings:Tổ 3:2021-W24"]
        assert details and all(d.startswith(f"{NAME_OPEN}Tổ 3{NAME_CLOSE}: ") for d in details)
        assert f"{NAME_OPEN}Tổ 3{NAME_CLOSE}" in to_csv(result, "vi")
    assert NAME_OPEN not in to_csv(result, "vi") + json.dumps(audit(program, EXAMPLES / "binh-phuoc", when, full=True), ensure_ascii=False)
    monkeypatch.setattr(auditing, "_reading_key", lambda *args: None)  # nothing memoised
    monkeypatch.setattr(findings, "_KEYED", frozenset())
    assert {(render.__name__, lang): render(result, lang) for render in (to_csv, to_html) for lang in ("vi", "en")} == memoised
    assert audit(program, EXAMPLES / "binh-phuoc", when, full=True) == result


def test_a_hostile_file_in_the_middle_of_a_batch(tmp_path: Path) -> None:
    from compliance.audit import _batch_size

    root = tmp_path / "fleet"
    root.mkdir()
    good = (EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml").read_bytes()
    for i in range(60):
        (root / f"c{i:02d}.yaml").write_bytes(good)
    hostile = Path(__file__).parent / "hostile"
    middle = ["billion-laughs.yaml", "deep-nesting.yaml", "invalid-utf8.yaml", "tag-python-object.yaml"]
    for name in middle:
        (root / f"c30-{name}").write_bytes((hostile / name).read_bytes())
    size = _batch_size(64, 2)  # files c00 … c29, then the hostile ones (positions 30–33), then c30 …
    shared = {30 // size, 33 // size} & {i // size for i in (*range(30), *range(34, 64))}
    assert size >= 2 and shared, "the hostile files share their batches with good ones"
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.jsonl"
        code, _, stderr = _run(str(root), "--as-of", AS_OF, "--out", str(out), "--jobs", jobs, "-q", "--lang", "en")
        assert code == 2 and "Traceback" not in stderr
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    *entries, last = [json.loads(line) for line in reports[1].decode("utf-8").splitlines()]
    bad = {e["setup"]: e for e in entries if "message" in e}
    assert sorted(bad) == sorted(f"c30-{name}" for name in middle)
    assert all(e["problems"] and "Traceback" not in e["message"] for e in bad.values())
    assert all(p["line"] for name in ("c30-invalid-utf8.yaml", "c30-tag-python-object.yaml") for p in bad[name]["problems"]), "each problem at its place"
    assert [e["setup"] for e in entries if "centre" in e] == [f"c{i:02d}.yaml" for i in range(60)], "every good file is checked"
    assert len({json.dumps(e["findings"]) for e in entries if "centre" in e}) == 1, "the same setup gives the same entry wherever it sits"
    assert last["totals"]["bad_files"] == 4 and last["totals"]["centres"] == 60


def test_text_summary_is_identical_whatever_the_number_of_jobs(folder: Path) -> None:
    one = _run(str(folder), "--as-of", AS_OF, "--jobs", "1", "-q")
    two = _run(str(folder), "--as-of", AS_OF, "--jobs", "2", "-q")
    assert one == two and one[0] == 2


def test_json_lines_one_entry_per_file_then_the_totals(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    _run(str(folder), "--as-of", AS_OF, "--out", str(out), "-q")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    *entries, last = lines
    assert [e["setup"] for e in entries] == sorted(e["setup"] for e in entries)
    assert len(entries) == len(_examples()) + 3
    assert last["totals"]["files"] == len(entries) and last["as_of"] == AS_OF
    assert sum(1 for e in entries if "message" in e) == last["totals"]["bad_files"] == 3


def test_steps_only_when_asked(tmp_path: Path) -> None:
    plain, full = tmp_path / "plain.json", tmp_path / "full.json"
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(plain), "-q")
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(full), "--steps", "-q")
    plain_data, full_data = json.loads(plain.read_text(encoding="utf-8")), json.loads(full.read_text(encoding="utf-8"))
    assert all("steps" not in f for c in plain_data["centres"] for f in c["findings"])
    assert any(f["steps"] for c in full_data["centres"] for f in c["findings"])
    assert plain_data["totals"] == full_data["totals"]
    assert plain.stat().st_size < full.stat().st_size


def _hostile(root: Path) -> Path:
    """A good setup, plus files that each break in their own way."""
    root.mkdir()
    shutil.copy(EXAMPLES / "dong-thap" / "cao-lanh.yaml", root / "a-good.yaml")
    (root / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    (root / "b-bad-date.yaml").write_text((EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8") + "\nextra: 2024-02-30\n", encoding="utf-8")
    (root / "c-deep.yaml").write_text("centre: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    (root / "d-empty.yaml").write_text("", encoding="utf-8")
    (root / "e-binary.yaml").write_bytes(b"centre:\n  id: x\n  name: \xff\xfe\n")
    name = b"caf\xe9.yaml"  # Latin-1 bytes: not a UTF-8 file name
    try:
        with open(os.path.join(os.fsencode(root), name), "wb") as handle:
            handle.write((EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_bytes())
    except OSError:
        pass  # a file system that refuses such names
    return root


def test_one_bad_file_of_every_kind_never_stops_the_run(tmp_path: Path) -> None:
    root = _hostile(tmp_path / "hostile")
    for suffix in (".json", ".csv", ".html", ".jsonl"):
        out = tmp_path / f"r{suffix}"
        code, _, stderr = _run(str(root), "--as-of", AS_OF, "--out", str(out), "-q")
        assert code == 2, stderr
        assert "Traceback" not in stderr
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    errors = {e["setup"]: e["message"] for e in data["errors"]}
    assert [c["setup"] for c in data["centres"]] == ["a-good.yaml"]
    assert {"dangling.yaml", "loop.yaml", "b-bad-date.yaml", "c-deep.yaml", "d-empty.yaml", "e-binary.yaml"} <= set(errors)
    assert "liên kết tượng trưng hỏng" in errors["dangling.yaml"] and "liên kết tượng trưng hỏng" in errors["loop.yaml"]
    assert "UTF-8" in errors["e-binary.yaml"] and "dòng 3" in errors["e-binary.yaml"]
    if (root / os.fsdecode(b"caf\xe9.yaml")).exists():
        assert "caf\\xe9.yaml" in errors and "UTF-8" in errors["caf\\xe9.yaml"]
    assert data["totals"]["bad_files"] == len(errors) and data["totals"]["files"] == len(errors) + 1


def test_english_messages_for_bad_files(tmp_path: Path) -> None:
    root = _hostile(tmp_path / "hostile")
    out = tmp_path / "r.json"
    _run(str(root), "--as-of", AS_OF, "--out", str(out), "--lang", "en", "-q")
    errors = {e["setup"]: e["message"] for e in json.loads(out.read_text(encoding="utf-8"))["errors"]}
    assert "broken symbolic link" in errors["dangling.yaml"]
    assert "not UTF-8 text: line 3" in errors["e-binary.yaml"]


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    root = tmp_path / "inj"
    root.mkdir()
    text = (EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml").read_text(encoding="utf-8")
    payload = '=HYPERLINK("http://x","y")'
    (root / "=cmd.yaml").write_text(re.sub(r"(?m)^(  name: ).*$", lambda m: m.group(1) + json.dumps(payload), text, count=1), encoding="utf-8")
    (root / "+bad.yaml").write_text("centre: [\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    _run(str(root), "--as-of", AS_OF, "--out", str(out), "-q")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=cmd.yaml" in cells and "'+bad.yaml" in cells
    assert "'" + payload in cells


def test_a_failed_run_keeps_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.json"
    out.write_text("previous report", encoding="utf-8")
    from compliance import audit as auditing

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the user stops the run half way

    monkeypatch.setattr(auditing, "_check", crash)
    _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "--jobs", "1", "-q")
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"], "no temporary file left behind"


def test_an_unwritable_report_folder_exits_2(tmp_path: Path) -> None:
    code, _, stderr = _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(tmp_path / "missing" / "r.json"), "-q", "--lang", "en")
    assert code == 2 and "cannot write" in stderr and "Traceback" not in stderr
    code, _, stderr = _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(tmp_path / "missing" / "r.json"), "-q")
    assert code == 2 and "không ghi được" in stderr and "No such" not in stderr


def test_audit_streams_only_totals_in_memory(program: Program, folder: Path) -> None:
    from compliance.audit import run

    buffer = io.StringIO()
    totals = run(program, folder, date.fromisoformat(AS_OF), buffer, "jsonl", jobs=1)
    assert totals.files == len(_examples()) + 3 and totals.bad_files == 3
    assert totals.exit_code == 2
    assert len(buffer.getvalue().splitlines()) == totals.files + 1


def test_files_come_in_the_order_of_their_names_without_listing_everything_first(tmp_path: Path) -> None:
    from compliance.audit import iter_setups, list_setups

    names = ["a.yaml", "a/b.yaml", "a-c.yaml", "a/c/d.yml", "b.YAML", "Z.yaml", "a b/x.yaml", "a0.yml", "é.yaml"]
    for name in [*names, ".h/x.yaml", "a/.x.yaml", "notes.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("centre: {}\n", encoding="utf-8")
    (tmp_path / "dir.yaml").mkdir()  # a folder named like a setup is not one
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    assert [f.name for f in iter_setups(tmp_path)] == sorted(names)
    assert [f.name for f in list_setups(tmp_path)] == sorted(names)
    assert find_setups(tmp_path) == [tmp_path / name for name in sorted(names)]


def test_a_worker_that_dies_loses_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance import audit as auditing

    check = auditing._check

    def dies_on_one(program: Program, file: Any, *args: Any) -> Any:
        if file.name == "dong-thap/sa-dec.yaml":
            os._exit(3)  # a worker killed (out of memory, a crash in a C library)
        return check(program, file, *args)

    monkeypatch.setattr(auditing, "_check", dies_on_one)
    out = tmp_path / "r.jsonl"
    code, _, stderr = _run(str(EXAMPLES), "--as-of", AS_OF, "--out", str(out), "--jobs", "2", "-q")
    assert code == 2 and "Traceback" not in stderr
    *entries, last = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["setup"] for e in entries] == _examples(), "every file is in the report, checked or reported"
    lost = next(e for e in entries if e["setup"] == "dong-thap/sa-dec.yaml")
    assert "dừng đột ngột" in lost["message"]
    assert sum(1 for e in entries if "centre" in e) >= len(_examples()) // 2, "the files before the crash are checked"
    assert last["totals"]["files"] == len(_examples())


# ---------------------------------------------------------------- the report an officer sends on
def _mixed(root: Path) -> Path:
    """A folder as an officer keeps it: YAML, her workbook, a CSV export, a damaged workbook and a
    CSV saved by Excel in the Windows code page (cp1258), which is not UTF-8."""
    root.mkdir(parents=True)
    shutil.copy(EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml", root / "cao-lanh-violations.yaml")
    shutil.copy(EXAMPLES / "loc-ninh" / "loc-ninh.xlsx", root / "Lộc Ninh.xlsx")
    assert run_cli("convert", str(EXAMPLES / "binh-thuan" / "binh-thuan-violations.yaml"), "--out", str(root / "binh-thuan.csv"))[0] == 0
    workbook = (EXAMPLES / "dong-thap" / "cao-lanh.xlsx").read_bytes()
    (root / "hong.xlsx").write_bytes(workbook[: len(workbook) // 2])  # a download cut short
    exported = (root / "binh-thuan.csv").read_text(encoding="utf-8-sig")
    (root / "windows.csv").write_bytes(exported.encode("cp1258", errors="replace"))
    return root


def _visible(page: str) -> str:
    """The words a reader sees on an HTML page: no tags, no attributes (a path may sit in a title)."""
    import html

    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_a_folder_mixing_yaml_workbooks_and_csv_is_audited_like_their_yaml_twins(tmp_path: Path) -> None:
    root = _mixed(tmp_path / "huyện")
    out = tmp_path / "r.json"
    code, _, stderr = _run(str(root), "--as-of", "2024-12-31", "--out", str(out), "--full", "-q")
    assert code == 2 and "Traceback" not in stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    centres = {c["setup"]: c for c in data["centres"]}
    assert sorted(centres) == ["Lộc Ninh.xlsx", "binh-thuan.csv", "cao-lanh-violations.yaml"]
    for name, twin in (("Lộc Ninh.xlsx", EXAMPLES / "loc-ninh" / "loc-ninh.yaml"), ("binh-thuan.csv", EXAMPLES / "binh-thuan" / "binh-thuan-violations.yaml")):
        _, checked = check_json(twin, "2024-12-31")
        assert centres[name]["findings"] == [{k: v for k, v in f.items() if k != "steps"} for f in checked["findings"]], name
        assert centres[name]["summary"] == checked["summary"]
    errors = {e["setup"]: e["message"] for e in data["errors"]}
    assert sorted(errors) == ["hong.xlsx", "windows.csv"]
    assert "tệp Excel" in errors["hong.xlsx"] and "UTF-8" in errors["windows.csv"]
    for message in errors.values():  # Vietnamese through and through: no library's English
        assert not re.search(r"\b(file|not|zip|error|invalid|cannot)\b", message, re.IGNORECASE), message


def test_the_report_says_which_folder_tool_rules_and_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.receipt import program_fingerprint, tool_version

    root = _mixed(tmp_path / "phong-vh-tt")
    monkeypatch.chdir(root)  # `quyche audit .`: the report names the folder, not "."
    for suffix in (".json", ".csv", ".html", ".jsonl"):
        _run(".", "--as-of", "2024-12-31", "--out", str(tmp_path / f"r{suffix}"), "-q")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["directory"] == "phong-vh-tt"
    assert data["receipt"] == {"tool": "quyche", "version": tool_version(), "program": program_fingerprint(), "as_of": "2024-12-31"}
    last = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last["directory"] == "phong-vh-tt" and last["receipt"] == data["receipt"]
    rows = _csv(tmp_path / "r.csv")
    assert {(r["directory"], r["as_of"], r["version"], r["program"]) for r in rows} == {("phong-vh-tt", "2024-12-31", tool_version(), program_fingerprint())}
    seen = _visible((tmp_path / "r.html").read_text(encoding="utf-8"))
    for fact in ("phong-vh-tt", "31/12/2024", f"quyche {tool_version()}", program_fingerprint()):
        assert fact in seen, fact
    assert "Thư mục: ." not in seen


def test_evidence_is_named_as_the_officer_wrote_it(tmp_path: Path) -> None:
    root = _mixed(tmp_path / "huyen")
    for lang in ("vi", "en"):
        _run(str(root), "--as-of", "2024-12-31", "--out", str(tmp_path / f"{lang}.html"), "--lang", lang, "-q")
        _run(str(root), "--as-of", "2024-12-31", "--out", str(tmp_path / f"{lang}.csv"), "--lang", lang, "-q")
    vi, en = (_visible((tmp_path / f"{lang}.html").read_text(encoding="utf-8")) for lang in ("vi", "en"))
    # Cao Lãnh's head holds a deputy's post; its mid-year report of 2024 was late (examples/dong-thap).
    assert "Nguyễn Văn A — Phó Chánh Văn phòng HĐND và UBND thành phố" in vi
    assert "báo cáo 6 tháng đầu năm 2024" in vi and "report for the first half of 2024" in en
    for seen in (vi, en):  # a record's path is never its only name on the page
        assert not re.search(r"\b(staff|reports|meetings|funding|components|teams)\[\d+\]", seen)
        assert not re.search(r"\bcentre\.\w+", seen) and "= ?" not in seen and "None" not in seen
    assert "chưa rõ" in vi or "CHƯA ĐỦ DỮ KIỆN" in vi
    for english in ("on time", "late]", "does not meet", "decides", "report for", "VIOLATED", "Centres"):
        assert english not in vi, english
    for vietnamese in ("đúng hạn", "trễ hạn", "không đạt", "báo cáo 6 tháng", "VI PHẠM", "Trung tâm đã kiểm tra"):
        assert vietnamese not in en, vietnamese
    late = next(
        r for r in _csv(tmp_path / "vi.csv") if r["setup"] == "cao-lanh-violations.yaml" and "báo cáo 6 tháng đầu năm 2024 (reports[1])" in r["evidence"]
    )
    assert late["status"] == "VI PHẠM"
    english_rows = _csv(tmp_path / "en.csv", "en")
    assert any("report for the first half of 2024 (reports[1])" in r["evidence"] for r in english_rows)
    for row in english_rows:  # no Vietnamese of the tool's own in the English CSV (names and quoted law aside)
        assert not re.search(r"\b(VI PHẠM|ĐẠT|LỖI TỆP|Vi phạm|Đạt|đúng hạn|trễ hạn)\b", row["status"] + row["message"] + row["severity"]), row


def test_the_report_reads_at_390_px_without_sideways_scrolling(browser: Any, tmp_path: Path) -> None:
    root = _mixed(tmp_path / "huyen")
    for lang in ("vi", "en"):
        out = tmp_path / f"{lang}.html"
        _run(str(root), "--as-of", "2024-12-31", "--out", str(out), "--lang", lang, "-q")
        with watched_page(browser, width=390, height=844) as w:
            w.page.goto(out.as_uri(), wait_until="load")
            width = w.page.evaluate("document.documentElement.scrollWidth")
            wide = w.page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName)")
            assert width <= 390 and wide == [], (lang, width, wide)
            assert w.page.locator("table#centres tbody tr").first.is_visible()
            SHOTS.mkdir(parents=True, exist_ok=True)
            w.page.screenshot(path=str(SHOTS / f"audit-390-{lang}.png"), full_page=True)
            assert w.outside == [] and w.page_errors == [] and w.console_errors == []


def test_dates_and_amounts_formatted_once_read_as_formatted_afresh() -> None:
    from decimal import Decimal

    from babel.dates import format_date
    from babel.numbers import format_decimal

    from compliance.catalogue import format_value

    # Equal values (1 == 1.0 == Decimal("1.00")) are memoised apart: each reads as Babel writes it.
    numbers: list[Decimal] = [
        Decimal("1.0"),
        Decimal("1"),
        Decimal(1),
        Decimal("1.50"),
        Decimal("1.005"),
        Decimal(1000000),
        Decimal("1000000.5"),
        Decimal("-0"),
    ]
    for lang in ("vi", "en"):
        for value in [*numbers, *reversed(numbers)]:
            assert format_value(int(value), lang) == format_decimal(int(value), locale=lang, decimal_quantization=False)
            assert format_value(value, lang) == format_decimal(value, locale=lang, decimal_quantization=False)
        assert format_value(date(2024, 6, 30), lang) == format_date(date(2024, 6, 30), "dd/MM/yyyy" if lang == "vi" else "d MMMM yyyy", locale=lang)
    assert format_value(Decimal("1.005"), "vi") == "1,005" and format_value(date(2024, 6, 30), "en") == "30 June 2024"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".html"])
def test_forgetting_the_memos_between_centres_changes_no_byte(folder: Path, tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long audit's worker empties its memos every so many centres (memory flat): the report is
    the same when they are emptied before every centre, in the leak test's marking mode too."""
    from compliance import audit as auditing
    from compliance.catalogue import marking_names

    outputs = []
    for every in (auditing.FORGET_EVERY, 1):
        monkeypatch.setattr(auditing, "FORGET_EVERY", every)
        for marked in (False, True):
            out = tmp_path / f"r{every}-{marked}{suffix}"
            if marked:
                with marking_names():
                    code, _, _ = _run(str(folder), "--as-of", AS_OF, "--out", str(out), "--jobs", "1", "-q")
            else:
                code, _, _ = _run(str(folder), "--as-of", AS_OF, "--out", str(out), "--jobs", "1", "-q")
            assert code == 2
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3] and outputs[0] != outputs[1]
