"""engine.names: administrative names parsed into (position, body, unit), compared as the law means them."""

from __future__ import annotations

import unicodedata
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.names import contains_words, key, match_name, negated, parse_name, parse_unit, starts_with_words
from engine.reorganisation import normalise_name
from tests.conftest import ROOT

CAO_LANH = parse_unit("thành phố Cao Lãnh")
SA_DEC = parse_unit("Thành phố Sa Đéc")
OFFICE_HEAD = "Chánh Văn phòng HĐND và UBND thành phố"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Trung tâm Văn hóa, Thể thao và Truyền thanh", "Trung tâm Văn hóa - Thể thao và Truyền thanh"),
        ("Trung tâm Văn hóa, Thể thao và Truyền thanh", "Trung tâm VH-TT-TT"),
        ("Văn phòng HĐND và UBND thành phố Cao Lãnh", "VP HĐND-UBND TP Cao Lãnh"),
        ("Văn phòng HĐND và UBND thành phố Cao Lãnh", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân Thành phố  Cao\u00a0Lãnh"),
        ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
        ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
        ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
        ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
        ("Sở Tài nguyên và Môi trường", "Sở TN&MT"),
        ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
        ("công nghệ thông tin", "CNTT"),
        ("Phòng Văn hóa và Thông tin", "Phòng VH&TT"),
        ("Chiến sỹ", "chiến sĩ"),
        ("Kỹ thuật viên", "kĩ thuật viên"),
        ("Văn hóa", "Văn hoá"),
        ("Thủy lợi", "Thuỷ lợi"),
    ],
)
def test_spellings_of_one_name_have_one_key(a: str, b: str) -> None:
    assert key(a) == key(b)
    assert key(unicodedata.normalize("NFD", a)) == key(b.upper())


@pytest.mark.parametrize(
    "a, b",
    [
        ("truyền thống", "truyền thông"),
        ("Phó Chủ tịch", "Chủ tịch"),
        ("Văn phòng UBND", "Văn phòng HĐND và UBND"),
        ("Sa Đéc", "Cao Lãnh"),
        ("thị xã", "xã"),
    ],
)
def test_different_names_have_different_keys(a: str, b: str) -> None:
    assert key(a) != key(b)


def test_a_title_is_parsed_into_position_body_and_unit() -> None:
    name = parse_name("Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh")
    assert (name.position, name.body, name.unit) == (key("Chánh Văn phòng"), key("Văn phòng HĐND và UBND"), CAO_LANH)
    bare = parse_name(OFFICE_HEAD)
    assert bare.unit is not None and bare.unit.generic and bare.unit.kind == key("thành phố")
    head = parse_name("Trưởng phòng Văn hóa và Thông tin thành phố Cao Lãnh")
    assert (head.position, head.body) == (key("Trưởng phòng"), key("Phòng Văn hóa và Thông tin"))
    police = parse_name("Chiến sỹ công an của thành phố")
    assert (police.position, police.body, police.unit and police.unit.generic) == (key("chiến sĩ"), key("Công an"), True)
    assert parse_name("Công an tỉnh Đồng Tháp").unit == parse_unit("tỉnh Đồng Tháp")
    assert parse_name("Sở LĐ-TB&XH tỉnh Bình Phước").body == key("Sở Lao động - Thương binh và Xã hội")


def test_unit_levels() -> None:
    assert CAO_LANH.level == "district"
    assert parse_unit("Thành phố Huế").level == "province"
    assert parse_unit("tỉnh Đồng Tháp").level == "province"
    assert parse_unit("Phường Cao Lãnh").level == "commune"
    assert parse_unit("Thị xã Chơn Thành").level == "district"
    assert parse_unit("Cao Lãnh").kind is None


@pytest.mark.parametrize(
    "given, own, expected",
    [
        ("Chánh Văn phòng HĐND và UBND thành phố", CAO_LANH, True),
        ("Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh", CAO_LANH, True),
        ("Chánh VP HĐND-UBND TP Cao Lãnh", CAO_LANH, True),
        ("chánh văn phòng hđnd và ubnd thành phố cao lãnh", CAO_LANH, True),
        ("Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh", SA_DEC, False),
        ("Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh", None, None),
        ("Phó Chánh Văn phòng HĐND và UBND thành phố", CAO_LANH, False),
        ("Chánh Văn phòng UBND thành phố", CAO_LANH, False),
        ("Chánh Văn phòng HĐND và UBND tỉnh", CAO_LANH, False),
        ("Không phải Chánh Văn phòng HĐND và UBND thành phố", CAO_LANH, False),
    ],
)
def test_the_office_head_is_the_centre_s_own(given: str, own: object, expected: bool | None) -> None:
    assert match_name(OFFICE_HEAD, given, own) is expected  # type: ignore[arg-type]


def test_a_rule_s_omitted_parts_are_free() -> None:
    assert match_name("Trưởng phòng", "Trưởng phòng Văn hóa và Thông tin thành phố Cao Lãnh", CAO_LANH)
    assert match_name("Phó Trưởng phòng", "Trưởng phòng Văn hóa và Thông tin", CAO_LANH) is False
    assert match_name("Công an thành phố", "Công an thành phố Cao Lãnh", CAO_LANH)
    assert match_name("Công an thành phố", "Công an tỉnh Đồng Tháp", CAO_LANH) is False
    assert match_name("Công an thành phố", "Công an thành phố Sa Đéc", CAO_LANH) is False
    assert match_name("ngân sách thành phố", "Ngân sách  Thành phố") is True
    assert match_name("Chủ tịch UBND thành phố", "Chủ tịch UBND thành phố Cao Lãnh", CAO_LANH, prefix=True)
    assert match_name("Chủ tịch UBND thành phố", "Phó Chủ tịch UBND thành phố Cao Lãnh", CAO_LANH, prefix=True) is False


def test_whole_words_and_negations() -> None:
    assert contains_words("thông tin và truyền thông", "thông tin và truyền thông")
    assert not contains_words("thông tin và truyền thống", "thông tin và truyền thông")
    assert not contains_words("Không phải Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông")
    assert contains_words("Sở TT&TT; không phải Sở Nội vụ", "Sở Thông tin và Truyền thông")
    assert contains_words("phụ trách CNTT", "công nghệ thông tin")
    assert not contains_words("Trung tâm Tin học hóa", "Trung tâm Tin học hóa dữ liệu")
    assert negated("chưa có") and not negated("có")
    assert starts_with_words("Trụ sở làm việc của HĐND và UBND TP Cao Lãnh", "Trụ sở làm việc của HĐND và UBND thành phố")
    assert not starts_with_words("Trụ sở làm việc của HĐND và UBND thành phốx", "Trụ sở làm việc của HĐND và UBND thành phố")


def test_reorganisation_uses_the_same_key() -> None:
    for text in ("Sở TT&TT", "VP HĐND-UBND TP Cao Lãnh", "Chiến sỹ"):
        assert normalise_name(text) == key(text)


_letters = st.sampled_from(list("aăâeêioôơuưyđbcdghklmnpqrstvx "))


@settings(deadline=None)
@given(st.text(_letters, min_size=1, max_size=30), st.sampled_from(["NFC", "NFD"]), st.booleans())
def test_folding_never_changes_a_verdict(text: str, form: Literal["NFC", "NFD"], upper: bool) -> None:
    variant = unicodedata.normalize(form, text.upper() if upper else text)
    assert key(variant) == key(text)
    assert contains_words(variant, text) == bool(key(text)) or negated(text)


_tones = st.sampled_from(["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"])


@settings(deadline=None)
@given(st.sampled_from(["thông", "truyền", "hoà", "tin", "văn"]), _tones, _tones)
def test_a_different_tone_is_a_different_word(base: str, t1: str, t2: str) -> None:
    plain = "".join(c for c in unicodedata.normalize("NFD", base) if c not in "\u0300\u0301\u0303\u0309\u0323")
    a, b = unicodedata.normalize("NFC", plain + t1), unicodedata.normalize("NFC", plain + t2)
    assert (key(a) == key(b)) == (t1 == t2)
    assert contains_words(f"phụ trách {a}", b) == (t1 == t2)


def test_levels_are_the_events_names() -> None:
    from engine.names import LEVELS

    events = (ROOT / "regulations" / "events" / "reorganisation-2025.quy").read_text(encoding="utf-8")
    assert f'level "{LEVELS["district"]}" ceases' in events
    assert {parse_unit(u).level for u in ("tỉnh Bình Phước", "huyện Lộc Ninh", "xã Lộc Ninh")} == set(LEVELS)


def test_a_bare_title_is_read_with_the_agency() -> None:
    from engine.names import titled

    office = "Văn phòng HĐND và UBND thành phố Cao Lãnh"
    assert match_name(OFFICE_HEAD, "Chánh Văn phòng", CAO_LANH, agency=office)
    assert match_name(OFFICE_HEAD, "Chánh Văn phòng", SA_DEC, agency=office) is False
    assert match_name(OFFICE_HEAD, "Chánh Văn phòng", CAO_LANH, agency="Văn phòng UBND thành phố Cao Lãnh") is False
    assert match_name(OFFICE_HEAD, "Chánh Văn phòng", CAO_LANH) is False  # no agency: no body
    assert titled("Trưởng phòng", "Sở Y tế").body is None  # a Trưởng phòng heads a Phòng, not the Sở
    assert titled("Giám đốc", "Sở Y tế").body == key("Sở Y tế")
