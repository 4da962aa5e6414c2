"""compliance.naming: a record as the officer wrote it, in Vietnamese or English, whatever the input."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.catalogue import text
from compliance.intake import load_any
from compliance.naming import evidence_detail, evidence_name, period_name, record_names
from tests.conftest import EXAMPLES


def test_periods_read_as_an_officer_writes_them() -> None:
    cases = {
        "2024-05": ("tháng 5/2024", "May 2024"),
        "2024-Q2": ("quý 2/2024", "Q2 2024"),
        "2024-H1": ("6 tháng đầu năm 2024", "the first half of 2024"),
        "2024-H2": ("6 tháng cuối năm 2024", "the second half of 2024"),
        "2021-W07": ("tuần 7/2021", "week 7 of 2021"),
        "2024": ("năm 2024", "2024"),
        "2024-13": ("kỳ 2024-13", "period 2024-13"),  # not a month: as written
        "mùa mưa": ("kỳ mùa mưa", "period mùa mưa"),
    }
    for period, (vi, en) in cases.items():
        assert (text(period_name(period), "vi"), text(period_name(period), "en")) == (vi, en)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_period_is_named_in_both_languages(period: str) -> None:
    for lang in ("vi", "en"):
        named = text(period_name(period), lang)  # type: ignore[arg-type]
        assert named and (period.strip() in named or re.search(r"\d{4}", named))


def test_every_record_of_the_examples_has_a_name_that_is_not_its_path() -> None:
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        names = record_names(load_any(path, "vi"))
        for record, both in names.items():
            for lang in ("vi", "en"):
                assert both[lang] and record not in both[lang], (path.name, record)


@settings(max_examples=200, deadline=None)
@given(
    record=st.one_of(
        st.text(max_size=40),
        st.from_regex(r"\A(staff|reports|meetings|funding|components|teams)\[\d{1,3}\](\.\w{1,12}(\[\d\])?)?\Z"),
        st.from_regex(r"\A(reports|meetings):(Tổ \d:)?\d{4}(-(H[12]|Q[1-4]|W\d\d|\d\d))?\Z"),
        st.from_regex(r"\Acentre\.\w{1,20}\Z"),
    ),
    label=st.none() | st.text(min_size=1, max_size=20),
    detail=st.none() | st.text(max_size=20) | st.fixed_dictionaries({"vi": st.text(max_size=20), "en": st.text(max_size=20)}),
    group=st.none() | st.just("Tổ 1"),
)
def test_any_evidence_item_gets_a_name_without_an_error(record: str, label: str | None, detail: Any, group: str | None) -> None:
    item: dict[str, Any] = {"record": record, "label": label, "detail": detail, "group": group}
    for lang in ("vi", "en"):
        named, _ = evidence_name(item, lang)  # type: ignore[arg-type]
        assert isinstance(named, str) and (named or not record)
        evidence_detail(item, lang)  # type: ignore[arg-type]


def test_a_field_the_value_of_which_is_unknown_is_named_by_the_catalogue() -> None:
    item = {"record": "centre.managed_by", "value": None, "role": "decides"}
    assert evidence_name(item, "vi") == ("cơ quan quản lý", False)
    assert evidence_name(item, "en") == ("managed by", False)
