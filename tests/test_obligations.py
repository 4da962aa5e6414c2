"""Obligations that fall on each group (`per team of members`): one occurrence per group."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from compliance import vocabulary
from engine import RegulationError, Status, build_program, evaluate, parse_text
from tests.conftest import said

DOC = 'document d { number "1/QĐ" signed 2021-01-01 applies to centre.province = "P" }\n'
WEEKLY = (
    DOC
    + """obligation hop {
  at "Điều 3" text "Tổ duy trì sinh hoạt thường xuyên hằng tuần"
  record meetings
  per team of members
  due every week
}"""
)
TEAMS = [{"team": "Tổ 1", "position": "A"}, {"team": "Tổ 2", "position": "B"}, {"team": "tổ 2", "position": "C"}]


def _verdict(meetings: list[dict[str, Any]] | None, members: list[dict[str, Any]] | None = TEAMS):  # noqa: ANN202
    program = build_program([parse_text(WEEKLY)], vocabulary())
    facts: dict[str, Any] = {"centre": {"province": "P", "records_since": date(2021, 6, 7)}}
    if meetings is not None:
        facts["meetings"] = meetings
    if members is not None:
        facts["members"] = members
    return [v for v in evaluate(program, facts, date(2021, 6, 13)).verdicts if v.kind == "obligation"][0]


def test_each_group_must_meet() -> None:
    both = [{"obligation": "hop", "period": "2021-W23", "filed": date(2021, 6, 9), "team": t} for t in ("Tổ 1", "Tổ 2")]
    assert _verdict(both).status is Status.SATISFIED
    only_one = both[:1]
    v = _verdict(only_one)
    assert v.status is Status.VIOLATED
    missing = [e for e in v.evidence if e["role"] == "missing"]
    assert [e["group"] for e in missing] == ["Tổ 2"] and said(missing[0]["detail"], "vi").startswith("Tổ 2: ")


def test_a_record_without_its_group_counts_for_none() -> None:
    v = _verdict([{"obligation": "hop", "period": "2021-W23", "filed": date(2021, 6, 9)}])
    assert v.status is Status.VIOLATED and len([e for e in v.evidence if e["role"] == "missing"]) == 2


def test_groups_unknown_without_the_member_list() -> None:
    assert _verdict([], members=None).status is Status.UNKNOWN


def test_per_field_must_exist_in_both_collections() -> None:
    bad = WEEKLY.replace("per team of members", "per tổ of members")
    with pytest.raises(RegulationError) as info:
        build_program([parse_text(bad)], vocabulary())
    assert {d.code for d in info.value.diagnostics} == {"Q014"}
