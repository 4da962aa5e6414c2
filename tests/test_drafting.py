"""Each drafting check on small texts written for it: what it must find, and what it must leave alone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.drafting import Context, Finding, run_checks
from compliance.drafting.syllables import is_vietnamese_syllable, looks_vietnamese
from compliance.legaldoc import parse
from engine import Program

AS_OF = date(2026, 12, 2)
HEAD = "Số: 10/QĐ-UBND\nHòa An, ngày 10 tháng 3 năm 2026\n\nQUYẾT ĐỊNH\nBan hành Quy chế mẫu\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN\n\nQUYẾT ĐỊNH:\n\n"


def _checks(text: str, program: Program | None = None, as_of: date = AS_OF) -> list[Finding]:
    return run_checks(parse(HEAD + text, "t.txt"), Context(program, as_of))


def _ids(text: str, program: Program | None = None) -> list[tuple[str, str]]:
    return [(f.check, f.excerpt) for f in _checks(text, program)]


# ---------------------------------------------------------------- syllables
SENTENCE = (
    "Chủ tịch Ủy ban nhân dân huyện quyết định thành lập Tổ công tác nghiên cứu chuyển đổi số; "
    "khuya, thuở, quốc, giữ gìn, nghiêng, quyết, oái oăm, khuỷu, ngoằn ngoèo, huỳnh, xuyên, tuyệt, quét, giặt, Ngự, Đéc"
)


def test_syllables_of_ordinary_text_are_valid() -> None:
    for word in SENTENCE.replace(",", " ").replace(";", " ").split():
        assert is_vietnamese_syllable(word), word


@pytest.mark.parametrize("word", ["VẬ", "hiệ", "thưc", "chuyểnn", "cuố", "ngươ", "ăt", "kà", "ghô", "tưon", "tiệ"])
def test_syllables_that_are_not_vietnamese(word: str) -> None:
    assert looks_vietnamese(word) and not is_vietnamese_syllable(word)


def test_acronyms_and_ascii_are_not_judged() -> None:
    assert not any(looks_vietnamese(w) for w in ("HĐND", "QĐ", "IOC", "online", "đ", "TTĐT"))


ONSETS = ["", "b", "ch", "d", "đ", "h", "kh", "l", "m", "n", "nh", "ph", "s", "t", "th", "tr", "v", "x"]
RIMES = ["a", "ai", "ao", "an", "anh", "ang", "ăn", "âm", "ơi", "ôm", "uôn", "ương", "iên", "ưa", "oai", "oan", "uân", "ong", "ung"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


@given(st.sampled_from(ONSETS), st.sampled_from(RIMES), st.sampled_from(TONES))
def test_any_onset_rime_and_tone_makes_a_syllable(onset: str, rime: str, tone: str) -> None:
    import unicodedata

    # The tone goes on the rime's main vowel; NFC composes it whichever vowel carries it.
    vowels = [i for i, c in enumerate(rime) if c in "aăâeêioôơuưy"]
    at = vowels[min(1, len(vowels) - 1)] if len(vowels) > 1 and rime[-1] not in "aăâeêioôơuưy" else vowels[0]
    word = unicodedata.normalize("NFC", onset + rime[: at + 1] + tone + rime[at + 1 :])
    assert is_vietnamese_syllable(word), word


@given(st.sampled_from(["p", "t", "c", "ch"]), st.sampled_from(["\u0300", "\u0303", "\u0309"]))
def test_a_stopped_syllable_takes_only_sac_or_nang(coda: str, tone: str) -> None:
    import unicodedata

    onset = "th" if coda == "ch" else "t"
    assert not is_vietnamese_syllable(unicodedata.normalize("NFC", onset + "a" + tone + coda))
    for allowed in ("\u0301", "\u0323"):
        assert is_vietnamese_syllable(unicodedata.normalize("NFC", onset + "a" + allowed + coda))


# ---------------------------------------------------------------- numbering and titles
def test_numbering() -> None:
    text = "Điều 1. Phạm vi\n1. Một.\n2. Hai.\n2. Ba.\nĐiều 3. Đối tượng\na) Một;\nc) Ba.\nĐiều 4. Khác\n1. Một.\n3. Ba.\n"
    found = [(f.check, f.locator) for f in _checks(text)]
    assert ("numbering-duplicate", "Điều 1 khoản 2 (lần 2)") in found
    assert ("numbering-gap", "Điều 3") in found
    assert ("numbering-letter-order", "Điều 3 điểm c") in found
    assert ("numbering-gap", "Điều 4 khoản 3") in found


def test_letters_follow_vietnamese_order() -> None:
    text = "Điều 1. Phạm vi\n1. Gồm:\na) A;\nb) B;\nc) C;\nd) D;\nđ) Đ;\ne) E;\ng) G;\nh) H.\n"
    assert _ids(text) == []
    assert [f.check for f in _checks(text.replace("đ) Đ;\n", ""))] == ["numbering-letter-order"]
    assert [f.check for f in _checks(text.replace("g) G;", "f) G;"))] == ["numbering-letter-order"]


def test_titles_are_expected_where_the_others_have_them() -> None:
    assert [f.locator for f in _checks("Điều 1. Phạm vi\nA.\nĐiều 2.\nB.\nĐiều 3. Khác\nC.\n") if f.check == "title-missing"] == ["Điều 2"]
    # A decision's articles have no titles: none expected.
    assert _ids("Điều 1. Ban hành kèm theo Quyết định này Quy chế.\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.\n") == []
    assert [f.check for f in _checks("Chương I\n\nĐiều 1. Phạm vi\nA.\n")] == ["title-missing"]


# ---------------------------------------------------------------- references
def test_internal_references() -> None:
    text = (
        "Điều 1. Phạm vi\n1. Một.\n2. Theo khoản 1 Điều này và khoản 3 Điều này.\n"
        "Điều 2. Khác\n1. Theo Điều 1 của Quyết định này, khoản 2 Điều 1, Điều 7 Quyết định này và điểm a khoản 1 Điều 1.\n"
        "2. Theo Điều 12, Điều 13 Thông tư số 18/2023/TT-BTC ngày 21/3/2023 và Điều 5 Luật Ngân sách nhà nước.\n"
    )
    assert [f.excerpt for f in _checks(text) if f.check == "reference-unresolved"] == ["khoản 3 Điều này", "Điều 7 Quyết định này", "điểm a khoản 1 Điều 1"]


# ---------------------------------------------------------------- citations
def test_citations() -> None:
    text = (
        "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ;\n"
        "Căn cứ Quyết định số 88/QĐ-UBND ngày 15/01/2027 của Ủy ban nhân dân tỉnh;\n"
        "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về dữ liệu;\n"
        "Căn cứ Thông tư số 12/2024/TT-BTC ngày 05/8/2023 của Bộ Tài chính;\n"
        "Căn cứ Quyết định số 5/TT-UBND ngày 05/8/2023 của Ủy ban nhân dân tỉnh;\n"
        "Căn cứ Kế hoạch số 132./KH-UBND ngày 05/8/2023 của Ủy ban nhân dân tỉnh thực hiện Nghị định số 47/2020/NĐ-CP;\n"
        "Điều 1. Ban hành.\n"
    )
    found = [(f.check, f.excerpt.split("số ")[-1]) for f in _checks(text)]
    assert found == [
        ("citation-later", "88/QĐ-UBND"),
        ("citation-duplicate", "47/2020/NĐ-CP"),
        ("citation-malformed", "12/2024/TT-BTC"),
        ("citation-malformed", "5/TT-UBND"),
        ("citation-malformed", "132./KH-UBND"),
    ]


def test_citation_status_from_the_program(program: Program) -> None:
    # The program records NQ 14/2021/NQ-HĐND of 30/9/2021; another date is reported.
    text = "Căn cứ Nghị quyết số 14/2021/NQ-HĐND ngày 01/10/2021 của Hội đồng nhân dân tỉnh;\nĐiều 1. Ban hành.\n"
    assert [f.check for f in _checks(text, program)] == ["citation-status"]
    assert _ids(text.replace("01/10/2021", "30/9/2021"), program) == []


# ---------------------------------------------------------------- unit words, placeholders, typos
def test_unit_words_of_a_huyen() -> None:
    text = "Điều 1. Phạm vi\n1. Trên địa bàn thị xã và các phường.\n2. Phối hợp với thị xã Phước Long và các xã, thị trấn.\n3. Các xã, trị trấn.\n"
    assert [(f.check, f.excerpt) for f in _checks(text)] == [("unit-level", "thị xã"), ("unit-level", "phường"), ("unit-misspelled", "trị trấn")]


def test_placeholders_and_ordinary_ellipses() -> None:
    text = "Điều 1. Phạm vi\n1. Gồm: y tế, giáo dục... và khác.\n2. Công văn số....../UBND ngày ... (sẽ bổ sung nội dung sau).\n"
    found = _checks(text)
    assert [(f.check, f.locator) for f in found] == [("placeholder", "Điều 1 khoản 2")]
    assert found[0].message.arg("marks") == ("......", "(sẽ bổ sung nội dung sau)")


def test_phrase_with_a_word_missing() -> None:
    text = (
        "Điều 1. Phạm vi\n1. Theo phân cấp ngân sách nhà nước hiện và theo quy định.\n"
        "2. Theo phân cấp ngân sách nhà nước hiện hành.\n3. Theo phân cấp ngân sách nhà nước.\n"
    )
    assert [(f.check, f.excerpt) for f in _checks(text)] == [("typo-phrase", "phân cấp ngân sách nhà nước hiện và")]


# ---------------------------------------------------------------- duties
def test_pilot_without_end_date() -> None:
    pilot = "Điều 1. Ban hành Quy chế tạm thời, áp dụng trong thời gian thử nghiệm.\n"
    assert [f.check for f in _checks(pilot)] == ["pilot-no-end"]
    assert _ids(pilot + "Điều 2. Thời gian thử nghiệm đến hết ngày 31 tháng 12 năm 2026.\n") == []


def test_duties_with_and_without_cadence() -> None:
    text = (
        "Điều 1. Báo cáo\n1. Sở Tài chính báo cáo Ủy ban nhân dân tỉnh về kết quả.\n"
        "2. Định kỳ hằng quý, báo cáo Ủy ban nhân dân tỉnh.\n3. Khi có sự cố, báo cáo ngay Chủ tịch.\n"
        "4. Xây dựng công cụ phục vụ công tác báo cáo.\n5. Tổ chức họp sơ kết.\n6. Tổ chức họp định kỳ 6 tháng.\n"
    )
    assert [(f.check, f.locator) for f in _checks(text)] == [("duty-no-cadence", "Điều 1 khoản 1"), ("duty-no-cadence", "Điều 1 khoản 5")]


# ---------------------------------------------------------------- figures
TABLE = (
    "Điều 1. Kinh phí\n1. Dự toán như sau:\n"
    "Nội dung\tSố người\tMức (đồng/người/tháng)\tTháng (đồng)\tNăm (đồng)\n"
    "A\t5\t500.000\t2.500.000\t30.000.000\n"
    "B\t4\t300.000\t1.200.000\t14.400.000\n"
    "Tổng cộng\t9\t\t3.700.000\t44.400.000\n"
)


def test_table_arithmetic() -> None:
    assert _ids(TABLE) == []
    assert _ids(TABLE.replace("1.200.000\t14", "1.300.000\t14")) == [("figure-mismatch", "1.300.000")]
    assert _ids(TABLE.replace("\t9\t", "\t8\t")) == [("figure-mismatch", "8")]
    assert _ids(TABLE.replace("\t44.400.000", "\t44.000.000")) == [("figure-mismatch", "44.000.000")]


def test_markdown_tables_are_tables() -> None:
    rows = [line.split("\t") for line in TABLE.splitlines()[2:]]
    markdown = "\n".join(
        TABLE.splitlines()[:2] + ["| " + " | ".join(rows[0]) + " |", "|---|---|:-:|---|--:|"] + ["| " + " | ".join(r) + " |" for r in rows[1:]]
    )
    assert _ids(markdown) == []
    assert _ids(markdown.replace("| 44.400.000", "| 44.000.000")) == [("figure-mismatch", "44.000.000")]


def test_coefficient_of_the_base_salary(program: Program) -> None:
    table = TABLE.replace("Mức (đồng/người/tháng)", "Hệ số 0,5 (đồng/người/tháng)")
    right = table.replace("500.000\t2.500.000\t30.000.000", "1.170.000\t5.850.000\t70.200.000").replace("\t3.700.000\t44.400.000", "\t7.050.000\t84.600.000")
    assert [f.check for f in _checks(right, program)] == ["figure-mismatch"]  # 300.000 is 0,5 × no base salary
    found = _checks(
        right.replace("300.000\t1.200.000\t14.400.000", "745.000\t2.980.000\t35.760.000").replace("\t7.050.000\t84.600.000", "\t8.830.000\t105.960.000"),
        program,
    )
    assert found == []  # 745.000 = 0,5 × 1.490.000, the base salary of 2019–2023


# ---------------------------------------------------------------- ceased bodies
def test_ceased_bodies_depend_on_the_date(program: Program) -> None:
    text = "Điều 1. Phạm vi\n1. Sở Thông tin và Truyền thông chủ trì; Sở KH&ĐT phối hợp.\n"
    found = _checks(text, program)
    assert [(f.check, f.severity, f.excerpt) for f in found] == [
        ("body-ceased", "warning", "Sở Thông tin và Truyền thông"),
        ("body-ceased", "warning", "Sở KH&ĐT"),
    ]
    assert found[0].message.arg("successor") == "Sở Khoa học và Công nghệ"
    assert _checks(text, program, as_of=date(2025, 2, 28)) == []


def test_every_finding_has_a_locator_and_a_place_in_the_text(program: Program) -> None:
    from tests.test_drafting_corpus import _mutations

    for _, text, _ in _mutations()[::7]:
        doc = parse(text, "m.txt")
        for f in run_checks(doc, Context(program, AS_OF)):
            assert f.locator and 0 <= f.start < f.end <= len(f.paragraph.text), f


def test_parts_in_ordinal_words_and_sections_within_chapters() -> None:
    text = (
        "Phần thứ nhất\nQUY ĐỊNH CHUNG\n\nChương I\nPHẠM VI\n\nMục 1. Chung\nĐiều 1. A\nNội dung.\nMục 3. Riêng\nĐiều 2. B\nNội dung.\n\n"
        "Phần thứ hai\nTHI HÀNH\nChương II\nTHI HÀNH\nMục 1. Chung\nĐiều 3. C\nNội dung.\n"
    )
    assert [(f.check, f.locator) for f in _checks(text)] == [("numbering-gap", "Mục 3")]
    assert [(f.check, f.locator) for f in _checks(text.replace("Phần thứ hai", "Phần thứ tư"))] == [
        ("numbering-gap", "Mục 3"),
        ("numbering-gap", "Phần thứ tư"),
    ]
