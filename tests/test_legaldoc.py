"""The legal-document parser on the five seeds (facts read off the seed texts by eye) and on
documents written here that exercise every construct, with extraction noise added by hypothesis."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.legaldoc import LegalDocument, Node, parse, read_document
from compliance.legaldoc.parser import DIEM_LETTERS, roman_value
from tests.conftest import SEEDS


def _seed(prefix: str) -> LegalDocument:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    name, text = read_document(str(path))
    return parse(text, name)


def _node(doc: LegalDocument, locator: str) -> Node:
    return next(n for n in doc.nodes() if n.locator == locator)


def _articles(doc: LegalDocument, body: int) -> list[str]:
    return [n.number for n in doc.bodies[body].walk() if n.kind == "dieu"]


def test_qd4037_decision_and_regulation_are_numbered_apart() -> None:
    doc = _seed("001")
    assert _articles(doc, 0) == ["1", "2", "3"]
    assert _articles(doc, 1) == [str(n) for n in range(1, 15)]
    assert [n.number for n in doc.nodes() if n.kind == "chuong"] == ["I", "II", "III", "IV"]
    assert _node(doc, "Quy chế, Chương II").title == "CHỨC NĂNG, NHIỆM VỤ, CHẾ ĐỘ HỖ TRỢ CỦA TRUNG TÂM ĐIỀU HÀNH THÔNG MINH HUYỆN"
    article = _node(doc, "Quy chế, Điều 6")
    assert article.title == "Nhiệm vụ" and article.line == 104
    assert [c.number for c in article.children] == ["1", "2", "3", "4", "5", "6", "7", "8", "7"]
    again = _node(doc, "Quy chế, Điều 6 khoản 7 (lần 2)")
    assert again.line == 114 and again.paragraph is not None and again.paragraph.text.startswith("7. Chủ động nghiên cứu")
    assert _node(doc, "Quy chế, Điều 9").title is None  # its text follows the number: no title
    assert doc.heading.authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN"
    assert doc.annex_refs[0][1] == date(2024, 8, 29)
    assert doc.heading.recipients[0] == "Sở TT&TT tỉnh;" and doc.heading.signature == ["CHỦ TỊCH", "Nguyễn Gia Hòa"]


def test_qd1089_heading_block_and_broken_lines() -> None:
    doc = _seed("004")
    h = doc.heading
    assert (h.number, h.date, h.place, h.kind) == ("1089/QĐ-UBND", date(2024, 5, 23), "Bình Thuận", "QUYẾT ĐỊNH")
    assert h.national_motto and h.authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"  # two lines of the left column, the Quốc hiệu between
    assert h.summary == "Ban hành Quy chế tạm thời quản lý, vận hành và sử dụng Trung tâm Điều hành đô thị thông minh tỉnh Bình Thuận"
    assert len(doc.basis) == 8 and doc.basis[0].line == 26 and doc.basis[0].end_line == 30
    assert doc.basis[0].text.endswith("Luật Tổ chức chính quyền địa phương năm 2019;")
    chapter = _node(doc, "Quy chế, Chương II")
    assert chapter.title == "TRÁCH NHIỆM QUẢN LÝ, VẬ HÀNH VÀ SỬ DỤNG IOC BÌNH THUẬN"
    article = _node(doc, "Quy chế, Điều 8")
    assert article.title == "Cơ quan, đơn vị, địa phương liên quan đến các thành phần trong IOC Bình Thuận"
    points = [c.number for c in _node(doc, "Quy chế, Điều 8 khoản 5").children]
    assert points == ["a", "b", "c", "d", "đ", "e"]
    assert h.signature[:3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Minh"]
    assert len(h.recipients) == 4


def test_qd953_and_qd2936() -> None:
    doc = _seed("002")
    assert _node(doc, "Quy chế, Điều 10").title == "Về thời gian thực hiện thí điểm"
    assert [n.number for n in doc.nodes() if n.kind == "chuong"] == ["I", "II", "III", "IV", "V"]
    assert len(doc.basis) == 20
    thong_tu = [c for c in doc.citations if c.symbol == "18/2023/TT-BTC"]
    assert thong_tu and thong_tu[0].date == date(2023, 3, 21) and thong_tu[0].issuer == "Bộ Tài chính"
    doc = _seed("003")
    assert _articles(doc, 0) == ["1", "2", "3", "4"]
    assert [n.title for n in doc.nodes() if n.kind == "dieu"] == [None, None, "Tổ chức hoạt động của từng Tổ", None]
    assert doc.bodies[1].title == "Phụ lục"
    rows = [cells for t in doc.tables for _, cells in t.rows]
    assert ["1", "Phó Chủ tịch UBND tỉnh phụ trách Khoa giáo - Văn xã", "Tổ trưởng"] == rows[rows.index(next(r for r in rows if r[0] == "1"))][:3]
    assert doc.annex_refs[0][1] == date(2020, 11, 20)


def test_totrinh_sections_table_and_footnotes() -> None:
    doc = _seed("000")
    assert doc.heading.draft and doc.heading.kind == "TỜ TRÌNH" and doc.heading.addressee == "Hội đồng nhân dân tỉnh"
    sections = [n.locator for n in doc.nodes() if n.kind == "section"]
    assert sections[:3] == ["Mục I", "Mục I.1", "Mục I.2"] and "Mục V.2.c" in sections
    assert _node(doc, "Mục I").title == "SỰ CẦN THIẾT VÀ CĂN CỨ PHÁP LÝ BAN HÀNH NGHỊ QUYẾT"
    assert [f.text[:10] for f in doc.footnotes] == ["1. Chia 03", "2. Trung b"]
    rows = [cells for _, cells in doc.tables[0].rows]
    assert rows[0] == ["19", "2.235.000", "42.465.000", "509.580.000"] and rows[-1][0] == "Tổng"
    # The sentence cut by the page break resumes after the footnotes: one paragraph again.
    resumed = next(p for p in doc.paragraphs if "724.140.000 (nếu tính mức cao nhất" in p.text)
    assert resumed.text.endswith("với tổng số tiền 221.265.000/tháng).") and resumed.end_line == 415
    page = next(i for i, line in enumerate(doc.lines, 1) if line.strip() == "2")
    assert not any(p.line == page for p in doc.paragraphs)  # the page number is noise


def test_every_paragraph_maps_back_to_its_file_position() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        doc = _seed(prefix)
        for p in doc.paragraphs:
            for i, ch in enumerate(p.text):
                pos = p.where[i]
                if ch != " ":
                    assert doc.lines[pos.line - 1][pos.column - 1] == ch, (prefix, p.text[:30], i)


CONSTRUCTS = """<b>HỘI ĐỒNG NHÂN DÂN TỈNH HÒA AN</b>\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/2026/NQ-HĐND
Hòa An, ngày 3 tháng 4 năm 2026

NGHỊ QUYẾT
Quy định chính sách hỗ trợ cán bộ
làm việc tại Trung tâm

HỘI ĐỒNG NHÂN DÂN TỈNH HÒA AN

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 73/2024/NĐ-CP ngày 30/6/2024 của Chính phủ;

QUYẾT NGHỊ:

PHẦN I
QUY ĐỊNH CHUNG

Chương I
PHẠM VI

Mục 1. Đối tượng

**Điều 1. Phạm vi điều chỉnh**
Nghị quyết này quy định mức hỗ trợ[1].
Điều 2. Đối tượng
1. Cán bộ, công chức làm việc
tại Trung tâm.
2. Viên chức được cử:
a) Làm việc toàn thời gian;
b) Làm việc bán thời gian;
c) Kiêm nhiệm;
d) Biệt phái;
đ) Hợp đồng;
e) Khác.

7

Chương II
MỨC HỖ TRỢ

Điều 3. Mức hỗ trợ
Mức hỗ trợ theo Phụ lục.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.
CHỦ TỊCH
Lê Văn An

PHỤ LỤC
Mức hỗ trợ
Nội dung\tSố người\tMức (đồng/người/tháng)\tTháng (đồng)\tNăm (đồng)
Cán bộ\t2\t100.000\t200.000\t2.400.000

[1] Áp dụng từ ngày 01/5/2026.
"""


def test_a_document_with_every_construct() -> None:
    doc = parse(CONSTRUCTS, "nq.txt")
    h = doc.heading
    assert (h.kind, h.number, h.date, h.issuer) == ("NGHỊ QUYẾT", "12/2026/NQ-HĐND", date(2026, 4, 3), "HỘI ĐỒNG NHÂN DÂN TỈNH HÒA AN")
    assert h.summary == "Quy định chính sách hỗ trợ cán bộ làm việc tại Trung tâm" and h.national_motto
    assert [p.line for p in doc.basis] == [12, 13]
    kinds = [(n.kind, n.locator) for n in doc.nodes() if n.kind != "body"]
    assert ("phan", "Phần I") in kinds and ("chuong", "Chương II") in kinds and ("muc", "Mục 1") in kinds
    assert _node(doc, "Điều 1").title == "Phạm vi điều chỉnh"
    khoan = _node(doc, "Điều 2 khoản 1")
    assert khoan.paragraph is not None and khoan.paragraph.text == "1. Cán bộ, công chức làm việc tại Trung tâm."
    assert (khoan.line, khoan.paragraph.end_line) == (28, 29)
    assert [c.number for c in _node(doc, "Điều 2 khoản 2").children] == DIEM_LETTERS[:6]
    assert _node(doc, "Điều 2 khoản 2 điểm đ").line == 35
    assert not any(p.line == 38 for p in doc.paragraphs)  # "7": a page number
    assert h.recipients == ["Như Điều 3;", "Lưu: VT."] and h.signature == ["CHỦ TỊCH", "Lê Văn An"]
    assert doc.bodies[-1].title == "Phụ lục" and doc.tables[0].rows[-1][1] == ["Cán bộ", "2", "100.000", "200.000", "2.400.000"]
    assert [c.symbol for c in doc.citations] == ["73/2024/NĐ-CP"]


def test_roman_numerals() -> None:
    assert [roman_value(x) for x in ("I", "IV", "IX", "XIV", "XL", "Q")] == [1, 4, 9, 14, 40, 0]


# ---------------------------------------------------------------- generated regulations with noise
@st.composite
def regulations(draw: st.DrawFn) -> tuple[str, list[list[int]]]:
    """A regulation of N articles, each with its clauses and points, rendered with extraction noise."""
    shape = draw(st.lists(st.lists(st.integers(0, 4), min_size=0, max_size=4), min_size=1, max_size=6))
    bold = draw(st.booleans())
    lines = ["QUY CHẾ", "Hoạt động của Tổ công tác", "", "Chương I", "QUY ĐỊNH CHUNG", ""]
    for i, clauses in enumerate(shape, start=1):
        head = f"Điều {i}. Nội dung thứ {i}"
        lines += [f"**{head}**" if bold else head, ""]
        if not clauses:
            lines += ["Tổ công tác thực hiện nhiệm vụ được giao.", ""]
        for k, points in enumerate(clauses, start=1):
            if draw(st.booleans()):  # a sentence broken by the extraction, with a blank line between
                lines += [f"{k}. Thành viên thực hiện nhiệm vụ theo", "", "phân công của Tổ trưởng."]
            else:
                lines += [f"{k}. Thành viên thực hiện nhiệm vụ theo phân công."]
            for letter in DIEM_LETTERS[:points]:
                lines += [f"{letter}) Nội dung điểm {letter};"]
            if draw(st.booleans()):
                lines += ["", str(draw(st.integers(1, 99))), ""]  # a page number
        lines.append("")
    return "\n".join(lines), shape


@settings(max_examples=40, deadline=None)
@given(regulations())
def test_structure_survives_extraction_noise(case: tuple[str, list[list[int]]]) -> None:
    text, shape = case
    doc = parse(text, "gen.txt")
    articles = [n for n in doc.nodes() if n.kind == "dieu"]
    assert [int(a.number) for a in articles] == list(range(1, len(shape) + 1))
    for article, clauses in zip(articles, shape, strict=True):
        assert article.title == f"Nội dung thứ {article.number}"
        khoan = [c for c in article.children if c.kind == "khoan"]
        assert [len([d for d in c.children if d.kind == "diem"]) for c in khoan] == clauses
        for c in khoan:
            assert c.paragraph is not None and c.paragraph.text.endswith(".")  # broken lines joined


def test_reading_files(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Điều 1. Phạm vi")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["Nội dung", "Số người", "Mức"], ["Cán bộ", "2", "100.000"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "d.docx"
    document.save(str(path))
    name, text = read_document(str(path))
    assert name == str(path) and text.splitlines() == ["QUYẾT ĐỊNH", "Điều 1. Phạm vi", "Nội dung\tSố người\tMức", "Cán bộ\t2\t100.000"]


@pytest.mark.parametrize(
    ("content", "key"),
    [(b"", "review.input.empty"), (b"\x00\x01", "review.input.binary"), (b"\xff\xfe\xfa", "review.input.encoding")],
)
def test_unreadable_text(tmp_path: Path, content: bytes, key: str) -> None:
    from compliance.legaldoc import DocumentInputError

    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentInputError) as err:
        read_document(str(path))
    assert err.value.key == key
