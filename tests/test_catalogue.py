"""The catalogue is complete in both languages and its placeholders agree."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

from compliance.catalogue import LANGS, both, entries, format_value, text
from engine.message import Money, msg


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, langs in entries().items():
        if key == "text.own":  # the author's words: each language its own placeholder
            continue
        assert all(langs[lang].strip() for lang in LANGS), f"{key}: a language is empty"
        assert _fields(langs["vi"]) == _fields(langs["en"]), f"{key}: placeholders differ"


def test_values_are_formatted_for_the_reader() -> None:
    assert format_value(date(2024, 6, 30), "vi") == "30/06/2024"
    assert format_value(date(2024, 6, 30), "en") == "30 June 2024"
    assert format_value(Money(Decimal("1000000")), "vi") == "1.000.000 đồng"
    assert format_value(Money(Decimal("1000000")), "en") == "VND 1,000,000"
    assert format_value(Decimal("1.5"), "vi") == "1,5"
    assert format_value(True, "vi") == "có"
    assert format_value(("a", "b", "c"), "vi") == "a, b và c"
    assert format_value(("a", "b", "c"), "en") == "a, b, and c"


def test_nested_messages_render_in_the_same_language() -> None:
    inner = msg("value.money", amount=Decimal(500000))
    assert text(msg("value.money", amount=Decimal(1)), "en") == "VND 1"
    assert both(inner) == {"vi": "500.000 đồng", "en": "VND 500,000"}
