"""Vietnamese input conventions in setups, and setup errors in the reader's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.catalogue import text
from compliance.conventions import read_bool, read_date
from compliance.setup import Setup
from compliance.setup_errors import setup_problems
from tests.conftest import EXAMPLES

GOOD = (EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8")


def _setup(text: str) -> Setup:
    return Setup.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize("word, value", [("Có", True), ("có", True), ("CÓ", True), ("Không", False), ("không", False), ("đúng", True), ("Sai", False)])
def test_yes_and_no_in_vietnamese(word: str, value: bool) -> None:
    setup = _setup(GOOD.replace("connected_to_provincial_ioc: true", f"connected_to_provincial_ioc: {word}"))
    assert setup.centre.connected_to_provincial_ioc is value
    assert read_bool(word) is value


def test_dates_as_vietnamese_documents_write_them() -> None:
    setup = _setup(GOOD.replace("operating_since: 2023-10-01", "operating_since: 01/10/2023").replace("filed: 2023-12-20", "filed: 20/12/2023 16:30"))
    assert setup.centre.operating_since == date(2023, 10, 1)
    assert setup.reports and setup.reports[0].filed == datetime(2023, 12, 20, 16, 30)
    assert read_date("2024-06-20") == date(2024, 6, 20) and read_date("31/02/2024") is None


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{y}-{m:02d}-{d:02d}", "{d}-{m}-{y}"]),
)
def test_every_date_format_reads_the_same_day(day: date, fmt: str) -> None:
    assert read_date(fmt.format(d=day.day, m=day.month, y=day.year)) == day


@pytest.mark.parametrize(
    "written, field, value",
    [
        ("Công chức", "employment", "công chức"),
        ("CÔNG CHỨC", "employment", "công chức"),
        ("công\u00a0 chức", "employment", "công chức"),
        ("công chức ", "employment", "công chức"),
    ],
)
def test_enumerations_ignore_case_and_spaces(written: str, field: str, value: str) -> None:
    setup = _setup(GOOD.replace("employment: công chức", f"employment: {written}", 1))
    assert setup.staff and getattr(setup.staff[0], field) == value


@pytest.mark.parametrize(
    "written, level",
    [("huyện", "district"), ("cấp huyện", "district"), ("Tỉnh", "province"), ("xã", "commune"), ("cấp xã", "commune"), ("district", "district")],
)
def test_levels_in_vietnamese(written: str, level: str) -> None:
    assert _setup(GOOD.replace("level: district", f"level: {written}")).centre.level == level


def test_a_commune_centre_loads() -> None:
    setup = _setup(GOOD.replace("level: district", "level: cấp xã").replace("unit_type: thành phố", "unit_type: phường"))
    assert (setup.centre.level, setup.centre.unit_type) == ("commune", "phường")


def test_a_role_written_as_a_list_of_one_is_that_role() -> None:
    setup = _setup(GOOD.replace("role: chuyên môn nghiệp vụ", "role: [chuyên môn nghiệp vụ]", 1))
    assert setup.staff and setup.staff[2].role == "chuyên môn nghiệp vụ"
    two = _setup(GOOD.replace("role: Giám đốc", "role: [Giám đốc, Giám đốc, Tổ trưởng]", 1))
    assert two.staff and two.staff[0].role == ["Giám đốc", "Tổ trưởng"]
    one = _setup(GOOD.replace("responsibilities: [công nghệ thông tin]", "responsibilities: CNTT"))
    assert one.staff and one.staff[2].responsibilities == ["CNTT"]


def _problems(text_: str) -> list[tuple[tuple[str | int, ...], str, str]]:
    try:
        _setup(text_)
    except ValidationError as exc:
        return [(loc, text(m, "vi"), text(m, "en")) for loc, m in setup_problems(exc)]
    raise AssertionError("accepted")  # pragma: no cover


def test_errors_are_one_per_field_in_both_languages() -> None:
    problems = _problems(
        GOOD.replace("operating_since: 2023-10-01", "operating_sinc: 2023-10-01")
        .replace("filed: 2023-12-20", "filed: 31/02/2023")
        .replace("level: district", "level: vùng")
        .replace("concurrent: true", "concurrent: hơi hơi", 1)
    )
    by_loc = {loc: (vi, en) for loc, vi, en in problems}
    assert len(problems) == len(by_loc) == 4
    vi, en = by_loc[("centre", "operating_sinc")]
    assert "operating_since" in vi and "did you mean 'operating_since'" in en and "did you mean" not in vi
    vi, en = by_loc[("reports", 0, "filed")]
    assert "dd/mm/yyyy" in vi and "31/02/2023" in en
    vi, en = by_loc[("centre", "level")]
    assert "huyện" in vi and "district" in en
    vi, en = by_loc[("staff", 0, "concurrent")]
    assert "Có hoặc Không" in vi and "yes or no" in en
    for _, vi, en in problems:
        assert "Input should" not in vi + en


@settings(deadline=None)
@given(st.text(max_size=12))
def test_any_boolean_text_is_read_or_reported(word: str) -> None:
    try:
        setup = _setup(
            GOOD.replace("connected_to_provincial_ioc: true", f"connected_to_provincial_ioc: {yaml.safe_dump(word)}".rstrip().removesuffix("...").rstrip())
        )
    except ValidationError as exc:
        assert all(m.key.startswith("setup.") for _, m in setup_problems(exc))
    except yaml.YAMLError:
        pass
    else:
        assert setup.centre.connected_to_provincial_ioc in (True, False, None)


def test_amounts_as_vietnamese_documents_write_them() -> None:
    from compliance.conventions import read_amount

    assert read_amount("1.000.000") == 1000000 and read_amount("1.500.000 đồng") == 1500000
    assert read_amount("2.340.000,5") == Decimal("2340000.5") and read_amount("1.5") is None
    setup = _setup(GOOD.replace("  - scheme: phụ cấp kiêm nhiệm", "  - scheme: phụ cấp kiêm nhiệm\n        amount: 1.490.000 đồng"))
    assert setup.staff and setup.staff[0].allowances and setup.staff[0].allowances[0].amount == Decimal(1490000)
