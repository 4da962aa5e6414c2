"""Honest, three-valued evaluation: each constraint in each outcome, and its invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Status, build_program, evaluate, parse_text
from tests.conftest import said

DOC = 'document d { number "1/QĐ" signed 2023-01-01 applies to centre.province = "P" }\n'
DAY = date(2024, 6, 30)


def _program(*rules: str):  # noqa: ANN202
    return build_program([parse_text(DOC + "\n".join(rules))])


def _status(rule: str, facts: dict[str, Any], when: date = DAY) -> Status:
    program = _program(rule)
    verdicts = [v for v in evaluate(program, {"centre": {"province": "P"}, **facts}, when).verdicts if v.kind == "rule"]
    assert len(verdicts) == 1
    return verdicts[0].status


COUNT = 'rule r { at "Điều 1" text "01 đến 02" require count staff where employment = "công an" is between 1 and 2 }'
ROLE = 'rule r { at "Điều 1" text "x" require role "Giám đốc" held by exactly 1 staff where concurrent = true }'


def test_count_outcomes() -> None:
    police = {"name": "A", "employment": "công an"}
    assert _status(COUNT, {"staff": [police]}) is Status.SATISFIED
    assert _status(COUNT, {"staff": [police] * 3}) is Status.VIOLATED
    assert _status(COUNT, {"staff": []}) is Status.VIOLATED
    assert _status(COUNT, {}) is Status.UNKNOWN  # no staff list at all: never "passed"
    # one known officer and one person of unknown employment: 1 or 2, both fine
    assert _status(COUNT, {"staff": [police, {"name": "B"}]}) is Status.SATISFIED
    # two known and one unknown: 2 or 3 → cannot tell
    assert _status(COUNT, {"staff": [police, police, {"name": "B"}]}) is Status.UNKNOWN


def test_role_holder_outcomes() -> None:
    director = {"name": "A", "role": "Giám đốc", "concurrent": True}
    assert _status(ROLE, {"staff": [director]}) is Status.SATISFIED
    assert _status(ROLE, {"staff": [dict(director, concurrent=False)]}) is Status.VIOLATED
    assert _status(ROLE, {"staff": [director, director]}) is Status.VIOLATED
    assert _status(ROLE, {"staff": [{"name": "A", "role": "Giám đốc"}]}) is Status.UNKNOWN
    assert _status(ROLE, {"staff": [{"name": "X", "role": ["Giám đốc", "Tổ trưởng"], "concurrent": True}]}) is Status.SATISFIED


def test_every_none_allof_and_that() -> None:
    every = 'rule r { at "Điều 1" text "x" require every funding has source in ["ngân sách tỉnh"] }'
    assert _status(every, {"funding": [{"source": "Ngân sách  tỉnh"}]}) is Status.SATISFIED
    assert _status(every, {"funding": [{"source": "doanh nghiệp"}]}) is Status.VIOLATED
    assert _status(every, {"funding": [{"purpose": "x"}]}) is Status.UNKNOWN
    none = 'rule r { at "Điều 1" text "x" require no staff where employment = "hợp đồng" }'
    assert _status(none, {"staff": [{"employment": "công chức"}]}) is Status.SATISFIED
    assert _status(none, {"staff": [{"employment": "hợp đồng"}]}) is Status.VIOLATED
    allof = 'rule r { at "Điều 1" text "x" require all of ["A", "B"] as name among components }'
    assert _status(allof, {"components": [{"name": "A"}, {"name": "b"}]}) is Status.SATISFIED
    assert _status(allof, {"components": [{"name": "A"}]}) is Status.VIOLATED
    that = 'rule r { at "Điều 1" text "x" require that centre.dedicated_apparatus = false }'
    assert _status(that, {"centre": {"province": "P", "dedicated_apparatus": False}}) is Status.SATISFIED
    assert _status(that, {"centre": {"province": "P", "dedicated_apparatus": True}}) is Status.VIOLATED
    assert _status(that, {}) is Status.UNKNOWN


def test_when_clause_and_document_applicability() -> None:
    rule = 'rule r { at "Điều 1" text "x" when centre.level = "province" require that centre.operating = true }'
    assert _status(rule, {"centre": {"province": "P", "level": "district"}}) is Status.NOT_APPLICABLE
    assert _status(rule, {"centre": {"province": "P", "level": "province", "operating": True}}) is Status.SATISFIED
    assert _status(rule, {"centre": {"province": "P"}}) is Status.UNKNOWN
    program = _program(rule)
    nothing = evaluate(program, {"centre": {"province": "Q"}}, DAY).verdicts  # another province: no document applies
    assert [(v.id, v.status, v.severity) for v in nothing] == [("quyche.no_document_applies", Status.UNKNOWN, "warning")]
    early = evaluate(program, {"centre": {"province": "P", "level": "province"}}, date(2022, 12, 31)).verdicts
    assert [v.status for v in early] == [Status.NOT_APPLICABLE]
    assert "2023" in said(early[0].message, "en")


def test_overrides_make_the_default_not_applicable() -> None:
    program = _program(
        'rule default { at "Điều 1" text "x" require that centre.operating = true }',
        'rule special { at "Điều 2" text "x" when centre.level = "province" require that true overrides default }',
    )
    verdicts = {v.id: v for v in evaluate(program, {"centre": {"province": "P", "level": "province"}}, DAY).verdicts}
    assert verdicts["d.default"].status is Status.NOT_APPLICABLE
    assert "d.special" in said(verdicts["d.default"].message, "en")
    verdicts = {v.id: v for v in evaluate(program, {"centre": {"province": "P", "level": "district"}}, DAY).verdicts}
    assert verdicts["d.default"].status is Status.UNKNOWN


def test_parameters_resolve_at_the_date_and_are_reported(program) -> None:  # noqa: ANN001
    from engine import Program

    rule = parse_text(DOC + 'rule r { at "V.2.b" text "1,5 lần mức lương cơ sở" require every staff has sum(allowances.amount) = 1.5 * luong_co_so }').rules
    merged = Program(modules=[], documents={"d": parse_text(DOC).documents[0]}, rules={r.id: r for r in rule}, parameters=dict(program.parameters))
    staff = {"staff": [{"allowances": [{"amount": Decimal("2700000")}]}]}
    v = evaluate(merged, {"centre": {"province": "P"}, **staff}, date(2024, 6, 30)).verdicts[0]
    assert v.status is Status.SATISFIED
    assert v.parameters[0]["value"] == "1800000" and "24/2023" in v.parameters[0]["source"]
    v = evaluate(merged, {"centre": {"province": "P"}, **staff}, date(2024, 7, 1)).verdicts[0]
    assert v.status is Status.VIOLATED and v.parameters[0]["value"] == "2340000"


# ---------------------------------------------------------------- properties
employment = st.sampled_from(["công an", "công chức", "viên chức", "hợp đồng"])
person = st.fixed_dictionaries(
    {"name": st.text(max_size=3)},
    optional={"employment": employment, "role": st.sampled_from(["Giám đốc", "Phó Giám đốc", "chuyên môn nghiệp vụ"]), "concurrent": st.booleans()},
)
people = st.lists(person, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"employment": employment}), max_size=6), st.integers(0, 4), st.integers(0, 4))
def test_count_verdict_agrees_with_a_direct_count(staff: list[dict[str, Any]], a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    rule = f'rule r {{ at "Điều 1" text "{low} {high}" require count staff where employment = "công an" is between {low} and {high} }}'
    direct = sum(1 for s in staff if s["employment"] == "công an")
    expected = Status.SATISFIED if low <= direct <= high else Status.VIOLATED
    assert _status(rule, {"staff": staff}) is expected


@settings(max_examples=150, deadline=None)
@given(people, st.lists(st.fixed_dictionaries({"name": st.just("x"), "role": st.just("chuyên môn nghiệp vụ"), "concurrent": st.booleans()}), max_size=4))
def test_adding_staff_who_hold_other_roles_never_changes_a_role_verdict(staff: list[dict[str, Any]], others: list[dict[str, Any]]) -> None:
    assert _status(ROLE, {"staff": staff}) is _status(ROLE, {"staff": staff + others})


@settings(max_examples=150, deadline=None)
@given(people, st.data())
def test_a_definite_verdict_survives_learning_more_facts(staff: list[dict[str, Any]], data: st.DataObject) -> None:
    """Kleene honesty: filling in unknown facts never overturns a satisfied or violated verdict."""
    for rule in (ROLE, COUNT):
        before = _status(rule, {"staff": staff})
        completed = [
            dict(
                p,
                employment=p.get("employment") or data.draw(employment),
                role=p.get("role") or data.draw(st.sampled_from(["Giám đốc", "chuyên môn nghiệp vụ"])),
                concurrent=p["concurrent"] if "concurrent" in p else data.draw(st.booleans()),
            )
            for p in staff
        ]
        after = _status(rule, {"staff": completed})
        assert after is not Status.UNKNOWN
        if before is not Status.UNKNOWN:
            assert after is before


def test_offenders_show_what_they_actually_have() -> None:
    program = _program('rule r { at "Điều 1" text "x" require every staff where role = "Giám đốc" has position = "Chánh Văn phòng" and concurrent = true }')
    staff = [{"role": "Giám đốc", "position": "Phó Chánh Văn phòng", "concurrent": True}]
    v = evaluate(program, {"centre": {"province": "P"}, "staff": staff}, DAY).verdicts[0]
    offends = [e for e in v.evidence if e["role"] == "offends"]
    assert said(offends[0]["actual"], "en") == "position = Phó Chánh Văn phòng; concurrent post = yes"
