"""Evaluation decides statuses; a verdict's explanation is built when first read, and is the same
whichever verdict is read first, whenever it is read, and whatever is never read."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import bundled_program, parse_setup
from compliance.findings import exit_code, report
from compliance.setup import to_facts
from engine import evaluate, phrase
from engine.verdict import Evaluation
from tests.conftest import EXAMPLES

DATES = [date(2023, 1, 1), date(2024, 6, 30), date(2025, 6, 30), date(2026, 1, 15), date(2027, 3, 1)]
SETUPS = sorted(EXAMPLES.rglob("*.yaml"))


def _facts(path: Path) -> dict[str, Any]:
    return to_facts(parse_setup(path.read_text(encoding="utf-8"), path.name))


def _decided(evaluation: Evaluation) -> list[tuple[str, str, str, bool]]:
    return [(v.id, v.status.value, v.severity, v.binding) for v in evaluation.verdicts]


def _report(evaluation: Evaluation, facts: dict[str, Any]) -> str:
    return json.dumps(report(bundled_program(), evaluation, "x.yaml", facts), ensure_ascii=False, sort_keys=True, default=str)


@pytest.mark.parametrize("when", DATES, ids=str)
@pytest.mark.parametrize("path", SETUPS, ids=lambda p: p.stem)
def test_explaining_never_changes_what_was_decided(path: Path, when: date) -> None:
    facts = _facts(path)
    evaluation = evaluate(bundled_program(), facts, when)
    before = _decided(evaluation)
    code = exit_code(evaluation)
    for v in evaluation.verdicts:
        assert v.message is not None and isinstance(v.trace, list)  # explain every verdict
    assert _decided(evaluation) == before
    assert exit_code(evaluation) == code


@pytest.mark.parametrize("path", SETUPS, ids=lambda p: p.stem)
def test_the_order_of_reading_does_not_change_an_explanation(path: Path) -> None:
    facts = _facts(path)
    when = date(2024, 6, 30)
    in_order = evaluate(bundled_program(), facts, when)
    backwards = evaluate(bundled_program(), facts, when)
    for v in reversed(backwards.verdicts):  # the last verdict explained first, evidence before message
        _ = v.evidence, v.trace, v.message
    assert _report(in_order, facts) == _report(backwards, facts)


def test_deciding_builds_no_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statuses, the summary and the exit code need no phrase of any rule: they are never built."""
    facts = _facts(EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml")
    evaluate(bundled_program(), facts, date(2024, 6, 30))  # memos of the program built once

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("an explanation was built while deciding")

    for name in ("condition", "field", "value", "deadline", "cardinality"):
        monkeypatch.setattr(phrase, name, refuse)
    evaluation = evaluate(bundled_program(), facts, date(2024, 6, 30))
    assert evaluation.summary()["violated"] > 0
    assert exit_code(evaluation) == 1
    with pytest.raises(AssertionError, match="explanation was built"):
        _ = [v.message for v in evaluation.verdicts]


_FIELDS = st.sampled_from(
    ["role", "employment", "agency", "position", "concurrent", "works_at_centre", "full_time", "allowances", "appointed_by", "responsibilities"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SETUPS), st.sampled_from(DATES), st.lists(st.tuples(st.integers(0, 40), _FIELDS), max_size=8), st.booleans())
def test_facts_taken_away_decide_as_they_explain(path: Path, when: date, removals: list[tuple[int, str]], drop_reports: bool) -> None:
    """With facts missing here and there, the status decided equals the status the explanation ends with."""
    facts = copy.deepcopy(_facts(path))
    staff = facts.get("staff")
    if isinstance(staff, list) and staff:
        for index, field in removals:
            staff[index % len(staff)].pop(field, None)
    if drop_reports:
        facts.pop("reports", None)
    evaluation = evaluate(bundled_program(), facts, when)
    before = _decided(evaluation)
    for v in evaluation.verdicts:
        _ = v.message
    assert _decided(evaluation) == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SETUPS),
    st.sampled_from(DATES),
    st.integers(0, 25),
    st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["period", "filed", "obligation", "to", "group"])), max_size=12),
    st.sampled_from(["kept", "reports", "meetings", "both"]),
)
def test_the_first_evidence_items_are_those_of_the_whole_list(path: Path, when: date, limit: int, removals: list[tuple[int, str]], emptied: str) -> None:
    """Asking for the first ``limit`` evidence items (an audit's page of them) builds the same items
    as the whole list begins with, and counts as many as the whole list has; reading the whole list
    afterwards still gives it all, unchanged. Logs emptied: every due occurrence missing."""
    facts = copy.deepcopy(_facts(path))
    for log in ("reports", "meetings"):
        rows = facts.get(log)
        if emptied in (log, "both") and isinstance(rows, list):
            rows.clear()
        if isinstance(rows, list) and rows:
            for index, field in removals:
                rows[index % len(rows)].pop(field, None)
    whole = evaluate(bundled_program(), facts, when)
    limited = evaluate(bundled_program(), facts, when)
    for v, w in zip(whole.verdicts, limited.verdicts, strict=True):
        every = v.evidence
        first, total = w.evidence_upto(limit)
        assert first == every[:limit]
        assert total == len(every)
        assert w.evidence_upto(None) == (every, len(every))
        assert w == v  # the rest built later: the same explanation as built at once


@pytest.mark.parametrize("path", [p for p in SETUPS if "binh-phuoc" in str(p)] or SETUPS[:1], ids=lambda p: p.stem)
def test_an_audit_page_of_evidence_builds_no_more_than_it_shows(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A verdict with many evidence items, asked for its first 3: at most 3 items are built (and the
    one its message names first), and the count is the whole list's."""
    from engine import obligations

    facts = _facts(path)
    when = date(2026, 1, 15)
    whole = {v.id: len(v.evidence) for v in evaluate(bundled_program(), facts, when).verdicts if v.kind == "obligation"}
    if not whole or max(whole.values()) <= 3:
        pytest.skip("no obligation with more than 3 evidence items here")
    built: list[object] = []
    real = obligations._missing

    def counting(*args: Any) -> dict[str, Any]:
        built.append(args)
        return real(*args)

    monkeypatch.setattr(obligations, "_missing", counting)
    for v in evaluate(bundled_program(), facts, when).verdicts:
        if v.kind != "obligation" or whole[v.id] <= 3:
            continue
        built.clear()
        _ = v.message, v.actual, v.parameters
        first, total = v.evidence_upto(3)
        assert total == whole[v.id] and len(first) == 3
        assert len(built) <= 4


@pytest.mark.parametrize("until", [None, "2021-09-30"])  # logs kept until then: the weeks due after it are excused
@pytest.mark.parametrize("team", ["Tổ 1", "Tổ 3"])
@pytest.mark.parametrize("when", [date(2021, 12, 31), date(2026, 1, 15)], ids=str)
def test_a_group_that_filed_nothing_is_explained_as_the_walk_of_its_weeks_would(team: str, when: date, until: str | None) -> None:
    """A team with no report at all (explained without looking for its filings week by week)
    gets the evidence the week-by-week walk gives a team whose only report is for no week at all,
    less that report's own line: every due week missing (or excused), in order, with the team named."""
    path = EXAMPLES / "binh-phuoc" / "provincial-ioc-teams-violations.yaml"
    facts = _facts(path)
    if until is not None:
        facts["centre"] = {**facts["centre"], "records_until": until}
    others = [r for r in facts["reports"] if r.get("team") != team]
    stray = {**others[0], "team": team, "period": "không rõ kỳ", "_ref": "reports[999]"}
    silent = evaluate(bundled_program(), {**facts, "reports": others}, when)
    walked = evaluate(bundled_program(), {**facts, "reports": [*others, stray]}, when)
    compared = 0
    for v, w in zip(silent.verdicts, walked.verdicts, strict=True):
        if v.kind != "obligation" or not v.id.endswith(f".{stray['obligation']}"):
            continue
        stray_lines = [e for e in w.evidence if e["role"] == "wrong_period"]
        assert len(stray_lines) == 1
        assert v.evidence == [e for e in w.evidence if e is not stray_lines[0]]
        counted, walked_counts = v.actual.as_dict(), w.actual.as_dict()  # type: ignore[union-attr]
        assert counted == {**walked_counts, "due": walked_counts["due"] - 1, "wrong": walked_counts["wrong"] - 1}  # type: ignore[operator]
        assert v.status == w.status and len(v.trace) == len(w.trace) - 1
        assert [e for e in v.evidence if e.get("group") == team] and all(e["role"] in ("missing", "uncertain") for e in v.evidence if e.get("group") == team)
        compared += 1
    assert compared
