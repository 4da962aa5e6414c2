"""The officer's front door on the command line: init, convert, stdin, --version, help in her language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from compliance.intake import load_any, parse_any
from compliance.loading import load_setup
from tests.conftest import EXAMPLES, invoke, run_cli

CAO_LANH = EXAMPLES / "dong-thap" / "cao-lanh.yaml"


def _run(*args: str, stdin: bytes | str | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return invoke(list(args), stdin=stdin, env=env)


def _help(*args: str, env: dict[str, str] | None = None) -> str:
    """A help screen as one line of words (the panels' borders and the wrapping removed)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", _run(*args, env=env)[1]).split())


# ---------------------------------------------------------------- conventions
def test_version() -> None:
    code, out, _ = run_cli("--version")
    assert code == 0 and out.startswith("quyche ") and out.strip().split()[1][0].isdigit()


def test_help_in_vietnamese_or_english_by_option_variable_or_locale() -> None:
    vi = _help("--help", env={"QUYCHE_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"})
    assert "kiểm tra Trung tâm giám sát" in vi and "Tùy chọn" in vi and "Lệnh" in vi
    assert "Kiểm tra mọi Trung tâm trong một thư mục" in vi  # the audit command's summary
    assert "against their regulations" not in vi
    en = _help("--lang", "en", "--help")
    assert "against their regulations" in en and "Commands" in en and "Lệnh" not in en
    assert "Kiểm tra" not in en
    assert "against their" in _help("--help", env={"QUYCHE_LANG": "en"})
    assert "against their" in _help("--help", env={"QUYCHE_LANG": "", "LC_ALL": "", "LANG": "en_GB.UTF-8"})
    assert "kiểm tra Trung tâm" in _help("--help", env={"QUYCHE_LANG": "", "LC_ALL": "", "LANG": "vi_VN.UTF-8"})
    # A command's own help follows the same choice.
    assert "Chuyển tệp khai báo" in _help("convert", "--help", env={"QUYCHE_LANG": "vi"})


def test_shell_completion_is_offered() -> None:
    listing = _help("--help", env={"QUYCHE_LANG": "en"})
    assert "--install-completion" in listing and "--show-completion" in listing


def test_check_reads_a_setup_from_stdin_yaml_or_workbook() -> None:
    code, out, err = _run("check", "-", "--as-of", "2024-06-30", "--format", "json", stdin=CAO_LANH.read_text(encoding="utf-8"))
    assert code == 0, err
    code_file, out_file, _ = run_cli("check", str(CAO_LANH), "--as-of", "2024-06-30", "--format", "json")
    stdin_report, file_report = json.loads(out), json.loads(out_file)
    assert stdin_report.pop("setup") == "-"
    file_report.pop("setup")
    stdin_report.pop("receipt", None), file_report.pop("receipt", None)
    assert stdin_report == file_report
    workbook = (EXAMPLES / "dong-thap" / "cao-lanh.xlsx").read_bytes()
    assert _run("check", "-", "--as-of", "2024-06-30", stdin=workbook)[0] == 0


def test_check_of_a_folder_suggests_audit() -> None:
    code, _, err = run_cli("check", str(EXAMPLES))
    assert code == 2
    assert "quyche audit" in err and "Traceback" not in err


def test_check_of_a_workbook_with_a_typo_points_at_the_cell(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(EXAMPLES / "loc-ninh" / "loc-ninh.xlsx")
    staff = book["Nhân sự"]
    header_row = next(r for r in range(1, 6) if staff.cell(row=r, column=2).value == "Họ và tên")
    column = next(c for c in range(1, 30) if staff.cell(row=header_row, column=c).value == "Kiêm nhiệm")
    staff.cell(row=header_row + 3, column=column).value = "co le"
    buffer = io.BytesIO()
    book.save(buffer)
    (tmp_path / "loc-ninh.xlsx").write_bytes(buffer.getvalue())
    code, _, err = run_cli("check", str(tmp_path / "loc-ninh.xlsx"))
    from openpyxl.utils import get_column_letter

    assert code == 2
    assert f"Nhân sự!{get_column_letter(column)}{header_row + 3} (Kiêm nhiệm): cần 'Có' hoặc 'Không', không phải 'co le'" in " ".join(err.split())


# ---------------------------------------------------------------- convert
def test_convert_yaml_to_xlsx_to_yaml_and_csv(tmp_path: Path) -> None:
    workbook = tmp_path / "cao-lanh.xlsx"
    code, _, err = run_cli("convert", str(CAO_LANH), "--out", str(workbook))
    assert code == 0, err
    assert load_any(workbook) == load_setup(CAO_LANH)
    code, out, _ = run_cli("convert", str(workbook), "--to", "yaml")
    assert code == 0 and parse_any(out.encode(), "x.yaml") == load_setup(CAO_LANH)
    assert "Nguyễn Văn A" in out  # letters kept, not escaped
    code, _, _ = run_cli("convert", str(workbook), "--out", str(tmp_path / "cao-lanh.csv"))
    assert code == 0 and load_any(tmp_path / "cao-lanh.csv") == load_setup(CAO_LANH)


def test_convert_refuses_to_overwrite_and_needs_a_target(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("giữ nguyên", encoding="utf-8")
    code, _, err = run_cli("convert", str(CAO_LANH), "--out", str(target))
    assert code == 2 and "--force" in err and target.read_text(encoding="utf-8") == "giữ nguyên"
    assert run_cli("convert", str(CAO_LANH), "--out", str(target), "--force")[0] == 0
    assert run_cli("convert", str(CAO_LANH))[0] == 2


def test_convert_of_a_bad_file_is_exit_2_with_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Trung tâm\nMã trung tâm,x\nTên trung tâm,X\nĐang hoạt động,chắc là có\n", encoding="utf-8")
    code, _, err = run_cli("convert", str(bad), "--to", "yaml")
    assert code == 2 and "Trung tâm, dòng 4 cột B (Đang hoạt động)" in err


# ---------------------------------------------------------------- init
@pytest.mark.parametrize(
    ("args", "province", "documents"),
    [
        (["--jurisdiction", "Cao Lãnh"], "Đồng Tháp", ["953/QĐ-UBND-HC"]),
        (["--jurisdiction", "Lộc Ninh", "--level", "huyện"], "Bình Phước", ["4037/QĐ-UBND"]),
        (["--jurisdiction", "Bình Thuận"], "Bình Thuận", ["1089/QĐ-UBND"]),
        (["--jurisdiction", "Bình Phước", "--level", "tỉnh"], "Bình Phước", ["2936/QĐ-UBND"]),
    ],
)
def test_init_writes_a_template_that_names_the_documents_and_checks(tmp_path: Path, args: list[str], province: str, documents: list[str]) -> None:
    out = tmp_path / "mau.yaml"
    code, _, err = run_cli("init", *args, "--as-of", "2024-12-31", "--out", str(out))
    assert code == 0, err
    template = out.read_text(encoding="utf-8")
    for number in documents:
        assert number in template
    data = yaml.safe_load(template)
    assert data["centre"]["province"] == province
    # The template is a valid setup: checking it reports what is unknown, never a bad file.
    code, _, err = run_cli("check", str(out), "--as-of", "2024-12-31")
    assert code in (0, 1), err


def test_init_lists_what_the_documents_need_with_valid_values(tmp_path: Path) -> None:
    code, out, _ = run_cli("init", "--jurisdiction", "Cao Lãnh", "--as-of", "2024-06-30")
    assert code == 0
    assert "seal:" in out and "Con dấu sử dụng" in out and "cần cho 953/QĐ-UBND-HC" in out
    assert "'cán bộ', 'công chức', 'viên chức', 'công an', 'hợp đồng'" in out
    assert "bao_cao_6_thang" in out  # the obligation ids the reports sheet takes
    assert "components:" not in out  # QĐ 953 needs no components


def test_init_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "setup.xlsx"
    out.write_bytes(b"the officer's own work")
    code, _, err = run_cli("init", "--jurisdiction", "Cao Lãnh", "--out", str(out))
    assert code == 2 and "không ghi đè" in err
    assert out.read_bytes() == b"the officer's own work"


def test_init_workbook_reads_back_with_the_centre_preset(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    assert run_cli("init", "--jurisdiction", "Lộc Ninh", "--out", str(out), "--as-of", "2024-12-31")[0] == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert book.sheetnames[0] == "Trung tâm" and "Nhân sự" in book.sheetnames and "Hướng dẫn" in book.sheetnames
    values = {row[0].value: row[1].value for row in book["Trung tâm"].iter_rows(min_row=2)}
    assert values["Tỉnh"] == "Bình Phước" and values["Đơn vị hành chính"] == "Lộc Ninh" and values["Cấp"] == "cấp huyện"
    code, _, err = run_cli("check", str(out))
    assert code == 2 and "Trung tâm!B2 (Mã trung tâm): ô này bắt buộc phải có" in err


def test_init_for_a_commune_says_no_document_applies() -> None:
    code, out, _ = run_cli("init", "--level", "xã", "--lang", "en")
    assert code == 0 and "no document for commune-level centres" in out


def test_a_failure_message_with_brackets_is_printed_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """The install hint `pip install 'quyche[serve]'` must not lose "[serve]" to markup."""
    from compliance.commands_intake import _fail

    with pytest.raises(SystemExit) as done:
        _fail("pip install 'quyche[serve]' [/] \x1b[2J")
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "pip install 'quyche[serve]' [/]" in err and "\x1b[2J" not in err
