"""Vietnamese text keys: NFC, case, spacing and both tone-mark placements."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from engine import same_text, text_key


def test_tone_mark_placements_match() -> None:
    assert same_text("hòa", "hoà")
    assert same_text("Thủy", "Thuỷ")
    assert same_text("Sở Văn hóa, Thể thao", "sở văn hoá,  thể thao")
    assert same_text("ho\u0300a", "hòa")  # decomposed input


def test_different_words_do_not_match() -> None:
    assert not same_text("hóa", "hòa")  # different tone
    assert not same_text("Đồng", "Dồng")  # đ is a letter, not a mark
    assert not same_text("Sở", "So")


@given(st.text(alphabet=st.sampled_from(list("aàáảãạăằâầeèéêềoòóôồơờuùưừyỳ đĐ,")), max_size=20))
def test_key_is_invariant_under_normalisation_forms(text: str) -> None:
    assert text_key(unicodedata.normalize("NFD", text)) == text_key(unicodedata.normalize("NFC", text))
    assert text_key(text.upper()) == text_key(text)
