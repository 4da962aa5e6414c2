"""Semantic checks: duplicates, unknown references, provenance, numbers, vocabulary."""

from __future__ import annotations

import pytest

from compliance import vocabulary
from engine import RegulationError, build_program, parse_text

DOC = 'document d { number "1/QĐ" }\n'


def _codes(*texts: str, vocab: bool = True) -> list[str]:
    modules = [parse_text(t, f"f{i}.quy") for i, t in enumerate(texts)]
    with pytest.raises(RegulationError) as info:
        build_program(modules, vocabulary() if vocab else None)
    return [d.code for d in info.value.diagnostics]


def test_bundled_regulations_pass_every_check(program) -> None:  # noqa: ANN001
    assert program.rules and program.documents


def test_rule_without_provenance_is_an_error() -> None:
    assert _codes(DOC + "rule r { require that centre.operating = true }") == ["Q012"]
    assert _codes(DOC + 'rule r { at "Điều 1" require that centre.operating = true }') == ["Q012"]


def test_rule_requiring_nothing_is_an_error() -> None:
    assert _codes(DOC + 'rule r { at "Điều 1" text "x" }') == ["Q015"]


def test_number_not_in_the_verbatim_text_is_an_error() -> None:
    ok = DOC + 'rule r { at "Điều 7" text "- 02 đến 03 hợp đồng" require count staff is between 2 and 3 }'
    build_program([parse_text(ok)], vocabulary())
    assert _codes(DOC + 'rule r { at "Điều 7" text "- 02 đến 03 hợp đồng" require count staff is between 2 and 4 }') == ["Q013"]
    money = DOC + 'rule r { at "Điều 9" text "Chi hỗ trợ 1.000.000 đồng/người/tháng" require every staff has sum(allowances.amount) = 1000000 VND }'
    build_program([parse_text(money)], vocabulary())
    rate = DOC + 'rule r { at "V" text "Chi hỗ trợ 1,5 lần mức lương cơ sở" require every staff has sum(allowances.amount) <= 1.5 * 2 }'
    assert _codes(rate) == ["Q013"]  # 1,5 is in the text; 2 is not


def test_duplicates_and_unknown_references_across_files() -> None:
    codes = _codes(DOC + 'rule r { at "Điều 1" text "x" require that true overrides nope uses ghost }', 'document d { number "2" cites missing }')
    # the duplicate document is not indexed, so only the first one's references are checked
    assert codes.count("Q010") == 1 and codes.count("Q011") == 2


def test_unknown_fields_and_collections_are_caught_with_a_suggestion() -> None:
    with pytest.raises(RegulationError) as info:
        build_program([parse_text(DOC + 'rule r { at "Điều 1" text "x" require count staf where positon = "A" is at least 1 }')], vocabulary())
    messages = [(d.code, d.hint) for d in info.value.diagnostics]
    assert ("Q014", "did you mean 'staff'?") in messages
    assert _codes(DOC + 'rule r { at "Điều 1" text "x" require count staff where positon = "A" is at least 1 }') == ["Q014"]
    assert _codes(DOC + 'rule r { at "Điều 1" text "x" require that centre.provnce = "A" }') == ["Q014"]


def test_without_a_vocabulary_fields_are_not_checked() -> None:
    build_program([parse_text(DOC + 'rule r { at "Điều 1" text "x" require count anything where whatever = 1 is at least 1 }')])


def test_parameter_value_at_a_date(program) -> None:  # noqa: ANN001
    from datetime import date

    assert program.parameter_at("luong_co_so", date(2021, 9, 30)).value == 1490000
    assert program.parameter_at("luong_co_so", date(2024, 6, 30)).value == 1800000
    assert program.parameter_at("luong_co_so", date(2024, 7, 1)).value == 2340000
    assert program.parameter_at("luong_co_so", date(2018, 6, 30)) is None


def test_every_diagnostic_code_is_documented() -> None:
    import re

    from engine import CODES
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\| (Q\d{3}) \|", page)) == set(CODES)
