"""A rule left unknown names whose facts are missing; QĐ 14's support needs no typed `special` flag."""

from __future__ import annotations

from datetime import date

import yaml

from compliance import bundled_program, parse_setup
from compliance.findings import report
from compliance.setup import validate
from compliance.setup_facts import special_support, to_facts
from compliance.setup_format import AllowanceData
from engine import evaluate
from tests.conftest import EXAMPLES


def _allowance(scheme: str, special: bool | None = None) -> AllowanceData:
    staff = validate({"centre": {"id": "x", "name": "y"}, "staff": [{"name": "A", "allowances": [{"scheme": scheme, "special": special}]}]})["staff"]
    assert staff is not None and staff[0]["allowances"] is not None
    return staff[0]["allowances"][0]


def _findings(text: str, when: str = "2024-06-30") -> dict[str, dict[str, object]]:
    setup = parse_setup(text)
    facts = to_facts(setup)
    data = report(bundled_program(), evaluate(bundled_program(), facts, date.fromisoformat(when)), "x.yaml", facts)
    return {f["rule"]: f for f in data["findings"]}


def test_an_unknown_allowance_rule_names_every_person_without_allowances() -> None:
    text = (EXAMPLES / "binh-phuoc" / "dong-xoai.yaml").read_text(encoding="utf-8")
    setup = parse_setup(text)
    without = [s["name"] for s in setup["staff"] or [] if s["allowances"] is None]
    assert without
    finding = _findings(text)["nq14_2021.doi_tuong"]
    assert finding["status"] == "unknown"
    actual, message = finding["actual"], finding["message"]
    assert isinstance(actual, dict) and isinstance(message, dict)
    assert f"thiếu thông tin khoản phụ cấp của {len(without)} người" in actual["vi"]
    assert f"allowances not given for {len(without)} person(s)" in actual["en"]
    for person in without:
        assert person in actual["vi"] and person in message["vi"] and person in actual["en"]


def test_only_those_missing_the_fact_are_named() -> None:
    data = yaml.safe_load((EXAMPLES / "binh-phuoc" / "dong-xoai.yaml").read_text(encoding="utf-8"))
    first = data["staff"][0]
    first["allowances"] = [{"scheme": "NQ 14/2021/NQ-HĐND", "amount": 1000000}]
    finding = _findings(yaml.safe_dump(data, allow_unicode=True))["nq14_2021.doi_tuong"]
    actual = finding["actual"]
    assert isinstance(actual, dict)
    others = [s["name"] for s in data["staff"][1:] if "allowances" not in s]
    assert f"của {len(others)} người" in actual["vi"] and first["name"] not in actual["vi"]


def test_a_satisfied_or_violated_rule_gets_no_missing_line() -> None:
    text = (EXAMPLES / "binh-phuoc" / "provincial-ioc-violations.yaml").read_text(encoding="utf-8")
    for finding in _findings(text).values():
        if finding["status"] != "unknown":
            assert "thiếu thông tin" not in str(finding["message"])


def test_the_special_flag_is_known_from_the_scheme() -> None:
    assert special_support(_allowance(scheme="NQ 14/2021/NQ-HĐND")) is True
    assert special_support(_allowance(scheme="Nghị quyết số 14/2021/NQ-HĐND của HĐND tỉnh")) is True
    assert special_support(_allowance(scheme="phụ cấp đặc thù ngành công an")) is True
    assert special_support(_allowance(scheme="phụ cấp kiêm nhiệm")) is None  # not known: unknown, never guessed
    assert special_support(_allowance(scheme="Nghị quyết 15/2021/NQ-HĐND")) is None
    assert special_support(_allowance(scheme="NQ 14/2021/NQ-HĐND", special=False)) is False  # what the user wrote stands
