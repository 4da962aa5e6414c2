"""Spreadsheet intake: officer workbooks and CSV files read into the same Setup as YAML, errors at sheet!cell."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from compliance.intake import load_any, parse_any, to_csv, to_xlsx, to_yaml
from compliance.intake.cells import parse_cell
from compliance.intake.columns import CENTRE, SHEETS
from compliance.loading import SetupError, load_setup
from tests.conftest import EXAMPLES, check_json

YAMLS = sorted(EXAMPLES.rglob("*.yaml"))
WORKBOOKS = sorted(EXAMPLES.rglob("*.xlsx"))


def _book(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(data: bytes, name: str = "t.xlsx", lang: str = "vi") -> list[str]:
    with pytest.raises(SetupError) as caught:
        parse_any(data, name, lang)  # type: ignore[arg-type]
    return [p.text(lang) for p in caught.value.details]  # type: ignore[arg-type]


# ---------------------------------------------------------------- the same setup, whatever the format
@pytest.mark.parametrize("path", YAMLS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_every_example_goes_to_xlsx_csv_and_yaml_and_back_unchanged(path: Path) -> None:
    setup = load_setup(path)
    assert parse_any(to_xlsx(setup), "a.xlsx") == setup
    assert parse_any(to_xlsx(setup, "en"), "a.xlsx", "en") == setup
    assert parse_any(to_csv(setup).encode("utf-8-sig"), "a.csv") == setup
    assert parse_any(to_yaml(setup).encode(), "a.yaml") == setup


def test_writing_a_workbook_is_reproducible() -> None:
    setup = load_setup(EXAMPLES / "loc-ninh" / "loc-ninh.yaml")
    assert to_xlsx(setup) == to_xlsx(setup)
    with zipfile.ZipFile(io.BytesIO(to_xlsx(setup))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 1, 1, 0, 0, 0)}


def test_the_three_officer_workbooks_are_their_yaml_twins() -> None:
    assert {p.parent.name for p in WORKBOOKS} >= {"dong-thap", "loc-ninh", "binh-thuan"}
    for workbook in WORKBOOKS:
        twin = workbook.with_suffix(".yaml")
        assert load_any(workbook) == load_setup(twin), workbook
        book = load_workbook(workbook, read_only=True)
        titles = [ws.title for ws in book.worksheets]
        assert titles[0] == "Trung tâm" and set(titles) <= {"Trung tâm", "Nhân sự", "Kinh phí", "Báo cáo", "Họp", "Phân hệ", "Tổ giúp việc"}
        book.close()


@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("as_of", ["2024-06-30", "2024-12-31", "2026-01-15"])
def test_check_of_a_workbook_equals_check_of_its_yaml(workbook: Path, as_of: str) -> None:
    code_x, from_xlsx = check_json(workbook, as_of)
    code_y, from_yaml = check_json(workbook.with_suffix(".yaml"), as_of)
    assert code_x == code_y
    assert from_xlsx.pop("setup") == str(workbook)
    from_yaml.pop("setup")
    from_xlsx.pop("receipt", None), from_yaml.pop("receipt", None)  # the input's hash differs, by design
    assert json.dumps(from_xlsx, sort_keys=True) == json.dumps(from_yaml, sort_keys=True)


# ---------------------------------------------------------------- how officers write
def test_headers_match_in_either_language_any_case_spacing_or_tone_placement() -> None:
    setup = load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")
    book = _book(to_xlsx(setup))
    staff = book["Nhân sự"]
    staff["A1"] = "  HỌ VÀ  TÊN "
    staff["E1"] = "employment"
    staff["B1"] = "Position"
    staff["F1"] = "kiêm nhiệm"
    book["Trung tâm"]["A3"] = "tên TRUNG TÂM"
    centre = book["Trung tâm"]
    centre.title = "Centre"
    assert parse_any(_save(book), "t.xlsx") == setup
    # Tone marks placed the old way: "hoà" and "hòa" are one word, and so are the headers.
    assert parse_any(_save(book), "t.xlsx") == setup


def test_cells_read_the_way_officers_type_them() -> None:
    bool_col = SHEETS[0].column("concurrent")
    for typed, value in (("Có", True), ("x", True), ("KHÔNG", False), ("no", False), (True, True), (0, False)):
        assert parse_cell(typed, bool_col) is value, typed
    day = CENTRE.column("operating_since")
    assert parse_cell("03/04/2024", day) == date(2024, 4, 3)  # day first, the Vietnamese order
    assert parse_cell("2024-04-03", day) == date(2024, 4, 3)
    assert parse_cell(datetime(2024, 4, 3), day) == date(2024, 4, 3)
    when = SHEETS[2].column("filed")
    assert parse_cell("07/06/2021 07:30", when) == datetime(2021, 6, 7, 7, 30)
    assert parse_cell("07:30 07/06/2021", when) == datetime(2021, 6, 7, 7, 30)
    assert parse_cell(datetime(2021, 6, 7), when) == date(2021, 6, 7)
    amount = SHEETS[1].column("amount")
    for typed in ("1.000.000", "1,000,000", "1.000.000 đồng", "1000000đ", 1000000, 1000000.0):
        assert parse_cell(typed, amount) == Decimal(1000000), typed
    allowances = SHEETS[0].column("allowances")
    assert parse_cell("Không", allowances) == []
    assert parse_cell("NQ 14/2021/NQ-HĐND: 1.000.000 (đặc thù); phụ cấp kiêm nhiệm", allowances) == [
        {"scheme": "NQ 14/2021/NQ-HĐND", "amount": Decimal(1000000), "special": True},
        {"scheme": "phụ cấp kiêm nhiệm"},
    ]
    roles = SHEETS[0].column("role")
    assert parse_cell("Giám đốc", roles) == "Giám đốc"
    assert parse_cell("Tổ trưởng;\nThư ký", roles) == ["Tổ trưởng", "Thư ký"]
    period = SHEETS[2].column("period")
    assert parse_cell(datetime(2024, 5, 1), period) == "2024-05"  # a spreadsheet turned '2024-05' into a date
    assert parse_cell(2024, period) == "2024"


def test_an_empty_cell_is_unknown_and_no_is_known() -> None:
    setup = load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")
    book = _book(to_xlsx(setup))
    rows = {row[0].value: row[1] for row in book["Trung tâm"].iter_rows(min_row=2)}
    rows["Kết nối với IOC tỉnh"].value = None
    staff = book["Nhân sự"]
    header = [c.value for c in staff[1]]
    staff.cell(row=3, column=header.index("Phụ cấp, hỗ trợ") + 1).value = None
    read = parse_any(_save(book), "t.xlsx")
    assert read["centre"]["connected_to_provincial_ioc"] is None
    assert read["staff"] is not None and read["staff"][1]["allowances"] is None
    assert read["staff"][2]["allowances"] == []  # 'Không'


def test_a_missing_sheet_is_unknown_an_empty_one_is_none() -> None:
    setup = load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")
    book = _book(to_xlsx(setup))
    del book["Báo cáo"]
    for row in list(book["Kinh phí"].iter_rows(min_row=2)):
        for cell in row:
            cell.value = None
    read = parse_any(_save(book), "t.xlsx")
    assert read["reports"] is None and read["funding"] == []


def test_title_rows_stt_columns_and_extra_empty_sheets_are_tolerated() -> None:
    setup = load_setup(EXAMPLES / "loc-ninh" / "loc-ninh.yaml")
    book = _book(to_xlsx(setup))
    staff = book["Nhân sự"]
    staff.insert_rows(1, 2)
    staff["A1"] = "DANH SÁCH NHÂN SỰ"
    staff.insert_cols(1)
    staff["A3"] = "STT"
    book.create_sheet("Sheet1")
    assert parse_any(_save(book), "t.xlsx") == setup


def test_csv_with_semicolons_as_excel_writes_it_in_vietnamese_locales() -> None:
    setup = load_setup(EXAMPLES / "binh-thuan" / "binh-thuan.yaml")
    rows = list(csv.reader(io.StringIO(to_csv(setup))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    assert parse_any(buffer.getvalue().encode("utf-8-sig"), "t.csv") == setup


# ---------------------------------------------------------------- errors at sheet!cell
def test_a_typo_in_a_cell_is_reported_at_its_sheet_and_cell_in_the_readers_language() -> None:
    book = _book(to_xlsx(load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")))
    staff = book["Nhân sự"]
    header = [c.value for c in staff[1]]
    concurrent = header.index("Kiêm nhiệm") + 1
    staff.cell(row=7, column=concurrent, value="Cos")
    data = _save(book)
    letter = "F"
    assert header[concurrent - 1] == "Kiêm nhiệm" and concurrent == 6
    vi = _problems(data)
    assert vi == [f"Nhân sự!{letter}7 (Kiêm nhiệm): cần 'Có' hoặc 'Không', không phải 'Cos'"]
    en = _problems(data, lang="en")
    assert en == [f"Nhân sự!{letter}7 (Concurrent): expected 'Yes' or 'No' ('Có' or 'Không'), not 'Cos'"]


def test_every_problem_is_reported_at_once_with_suggestions() -> None:
    book = _book(to_xlsx(load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")))
    staff = book["Nhân sự"]
    staff["E3"] = "cong chuc"
    staff["A4"] = None
    staff.cell(row=1, column=30, value="Employmnt")
    book["Trung tâm"]["B6"] = "xã"
    book.create_sheet("Nhan su 2")["A1"] = "x"
    problems = _problems(_save(book))
    assert "Nhân sự!E3 (Đối tượng): cần một trong: 'cán bộ', 'công chức', 'viên chức', 'công an', 'hợp đồng', không phải 'cong chuc'" in problems
    assert "Nhân sự!A4 (Họ và tên): ô này bắt buộc phải có" in problems
    assert "Nhân sự!AD1: không rõ cột 'Employmnt' — có phải 'Đối tượng'?" in problems
    assert "Trung tâm!B6 (Cấp): cần một trong: 'cấp tỉnh', 'cấp huyện', không phải 'xã'" in problems
    assert any(p.startswith("không rõ trang 'Nhan su 2' — có phải 'Nhân sự'?") for p in problems)
    assert len(problems) == 5


def test_csv_errors_name_the_line_and_column() -> None:
    text = to_csv(load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml"))
    lines = text.split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Trần Thị B"))
    lines[at] = lines[at].replace("công chức", "cong chuc", 1)
    problems = _problems("\r\n".join(lines).encode(), "t.csv")
    assert len(problems) == 1 and problems[0].startswith(f"Nhân sự, dòng {at + 1} cột E (Đối tượng): cần một trong:")


BOOL_COLUMNS = [c.field for c in SHEETS[0].columns if c.kind == "bool"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(BOOL_COLUMNS),
    row=st.integers(min_value=2, max_value=8),
    typed=st.text(alphabet="abcdeghiklmnopqrstuvyđơưâêôăáàảãạ ", min_size=2, max_size=12),
)
def test_any_nonsense_in_a_yes_no_column_is_reported_at_that_cell(field: str, row: int, typed: str) -> None:
    if parse_ok(typed):
        return
    book = _book(to_xlsx(load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")))
    staff = book["Nhân sự"]
    col = [c.field for c in SHEETS[0].columns].index(field) + 1
    staff.cell(row=row, column=col, value=typed)
    problems = _problems(_save(book))
    letter = "ABCDEFGHIJKLMNOP"[col - 1]
    assert len(problems) == 1 and problems[0].startswith(f"Nhân sự!{letter}{row} ("), problems


def parse_ok(typed: str) -> bool:
    try:
        parse_cell(typed, SHEETS[0].column("concurrent"))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- hostile and broken files
def test_a_formula_is_never_evaluated_only_its_cached_value_read() -> None:
    book = _book(to_xlsx(load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")))
    book["Nhân sự"]["B2"] = '=WEBSERVICE("http://example.invalid/")'  # openpyxl stores no cached value
    read = parse_any(_save(book), "t.xlsx")
    assert read["staff"] is not None and read["staff"][0]["position"] is None


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip", b"PK\x03\x04garbage", zipfile.ZipFile.__name__.encode()],
    ids=["empty", "text", "broken-zip", "word"],
)
def test_a_file_that_is_not_a_workbook_is_reported_not_raised(data: bytes) -> None:
    problems = _problems(data)
    assert len(problems) == 1 and problems[0].startswith("không đọc được tệp Excel (.xlsx)")


def test_a_zip_without_a_workbook_is_reported() -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert _problems(raw.getvalue())[0].startswith("không đọc được tệp Excel")


def test_a_workbook_without_the_centre_sheet() -> None:
    book = Workbook()
    book.active.title = "Nhân sự"
    book.active.append(["Họ và tên"])
    book.active.append(["Nguyễn Văn A"])
    assert _problems(_save(book)) == ["thiếu trang 'Trung tâm' (thông tin về Trung tâm)"]


def test_csv_not_in_utf8_or_without_a_sheet_line() -> None:
    windows = "Trung tâm\nTên trung tâm,Trung tâm\n".encode("cp1258")  # what Excel's plain "CSV" gives
    assert _problems(windows, "t.csv")[0].startswith("tệp CSV phải được lưu với mã UTF-8")
    assert _problems(b"Ma trung tam,x\n", "t.csv") == ["dòng 1: tệp CSV bắt đầu bằng một dòng chỉ ghi tên trang, ví dụ 'Trung tâm'"]


def test_load_any_dispatches_and_explains(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as folder:
        load_any(tmp_path)
    assert "quyche audit" in str(folder.value)
    with pytest.raises(SetupError) as missing:
        load_any(tmp_path / "khong-co.xlsx", "en")
    assert missing.value.render("en").endswith("no such file")
    odd = tmp_path / "setup.docx"
    odd.write_bytes(b"x")
    with pytest.raises(SetupError) as unknown:
        load_any(odd)
    assert ".docx" in str(unknown.value)
    copy = tmp_path / "copy"
    copy.write_bytes((EXAMPLES / "dong-thap" / "cao-lanh.xlsx").read_bytes())
    assert load_any(copy) == load_setup(EXAMPLES / "dong-thap" / "cao-lanh.yaml")  # a workbook known by its signature


def test_an_audit_of_a_folder_mixing_yaml_and_workbooks(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    folder = tmp_path / "huyen"
    folder.mkdir()
    (folder / "cao-lanh.yaml").write_bytes((EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_bytes())
    (folder / "loc-ninh.xlsx").write_bytes((EXAMPLES / "loc-ninh" / "loc-ninh.xlsx").read_bytes())
    book = _book((EXAMPLES / "binh-thuan" / "binh-thuan.xlsx").read_bytes())
    book["Trung tâm"]["B6"] = "xã"
    (folder / "sai.xlsx").write_bytes(_save(book))
    out = tmp_path / "r.json"
    code, _, _ = run_cli("audit", str(folder), "--as-of", "2024-12-31", "--out", str(out), "--full", "-q")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert code == 2 and [c["setup"] for c in data["centres"]] == ["cao-lanh.yaml", "loc-ninh.xlsx"]
    _, twin = check_json(EXAMPLES / "loc-ninh" / "loc-ninh.yaml", "2024-12-31")
    assert data["centres"][1]["summary"] == twin["summary"]
    assert data["centres"][1]["findings"] == [{k: v for k, v in f.items() if k != "steps"} for f in twin["findings"]]
    assert "Trung tâm!B6 (Cấp)" in data["errors"][0]["message"]


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ ABCĐ0123456789=+-@:;()',.\"/\n\t"
_TEXT = st.text(alphabet=_ALPHABET, min_size=1, max_size=20).map(str.strip).filter(bool)
# A list item holds no separator; 'Không' alone means "none"; a scheme's ': amount' and '(đặc thù)' are syntax.
_ITEM = _TEXT.filter(lambda s: ";" not in s and "\n" not in s and s.casefold() not in ("không", "no", "none", "khong"))


@settings(max_examples=60, deadline=None)
@given(
    name=_TEXT,
    position=st.none() | _TEXT,
    qualifications=st.none() | st.lists(_ITEM, max_size=3),
    purpose=st.none() | _TEXT,
    scheme=_ITEM.filter(lambda s: ":" not in s and not s.endswith(")")),
)
def test_any_text_survives_a_workbook_and_a_csv_file(
    name: str, position: str | None, qualifications: list[str] | None, purpose: str | None, scheme: str
) -> None:
    from compliance.setup import validate

    setup = validate(
        {
            "centre": {"id": "x", "name": name},
            "staff": [{"name": name, "position": position, "qualifications": qualifications, "allowances": [{"scheme": scheme}]}],
            "funding": [{"source": name, "purpose": purpose}],
        }
    )
    assert parse_any(to_xlsx(setup), "x.xlsx") == setup
    assert parse_any(to_csv(setup).encode(), "x.csv") == setup


def test_text_that_looks_like_a_formula_is_never_written_as_one() -> None:
    from compliance.setup import validate

    setup = validate({"centre": {"id": "x", "name": '=HYPERLINK("http://example.invalid")'}, "staff": [{"name": "+84 912", "position": "-"}]})
    rows = list(csv.reader(io.StringIO(to_csv(setup))))
    assert ["Tên trung tâm", '\'=HYPERLINK("http://example.invalid")'] in rows
    assert any(row[:2] == ["'+84 912", "'-"] for row in rows)
    book = _book(to_xlsx(setup))
    cell = next(row[1] for row in book["Trung tâm"].iter_rows() if row[0].value == "Tên trung tâm")
    assert cell.data_type == "s"
    assert parse_any(to_csv(setup).encode(), "x.csv") == setup == parse_any(to_xlsx(setup), "x.xlsx")


@pytest.mark.parametrize("text", ["teAms", "Kinh phí", "staff", "'teams", "Nhân sự"])
def test_a_row_whose_only_text_is_a_sheet_name_stays_a_row(text: str) -> None:
    """A person or a funding source named like a sheet ("Kinh phí", "teams") is not the start of that sheet."""
    from compliance.setup import validate

    setup = validate({"centre": {"id": "x", "name": text}, "staff": [{"name": text, "allowances": [{"scheme": "0"}]}], "funding": [{"source": text}]})
    assert parse_any(to_csv(setup).encode(), "x.csv") == setup
