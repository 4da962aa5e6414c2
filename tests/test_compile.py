"""Compiled conditions (engine.compile) and the memos keyed by node identity.

The closures must give exactly the three-valued values of Kleene logic, whatever the order
of the parts, and memoising by identity must never confuse two nodes that compare equal
(Literal(True) == Literal(1) as dataclasses, since True == 1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import ast, build_program, phrase
from engine.compile import compiled
from engine.logic import Context, all3, any3, truth
from engine.verdict import UNKNOWN

_PROGRAM = build_program([])
_TRUTHS = st.sampled_from([True, False, None])


def _ctx(centre: dict[str, Any]) -> Context:
    return Context(_PROGRAM, {"centre": centre}, date(2024, 6, 30))


def _field(name: str) -> ast.Path:
    return ast.Path(("centre", name))


@given(st.lists(_TRUTHS, min_size=1, max_size=6))
def test_and_or_not_agree_with_kleene_logic(values: list[bool | None]) -> None:
    centre = {f"f{i}": v for i, v in enumerate(values)}  # None: the setup does not give it
    parts = tuple(ast.Compare("=", _field(f"f{i}"), ast.Literal(True)) for i in range(len(values)))
    ctx = _ctx(centre)
    assert compiled(ast.And(parts))(ctx, None) is all3(values)
    assert compiled(ast.Or(parts))(ctx, None) is any3(values)
    negated = compiled(ast.Not(ast.And(parts)))(ctx, None)
    assert negated is (None if all3(values) is None else not all3(values))


@given(st.one_of(st.none(), st.integers(-5, 5), st.booleans(), st.text(max_size=5)), st.sampled_from(["=", "!=", "<", ">="]))
def test_a_missing_fact_is_unknown_never_false(value: Any, op: str) -> None:
    expr = ast.Compare(op, _field("x"), ast.Literal(Decimal(1)))
    result = compiled(expr)(_ctx({} if value is None else {"x": value}), None)
    if value is None:
        assert result is None
    else:
        assert result in (True, False, None)


def test_count_and_sum_over_records_are_unknown_when_a_record_is() -> None:
    where = ast.Compare("=", ast.Path(("employment",)), ast.Literal("hợp đồng"))
    count = ast.CountExpr("staff", where)
    total = ast.SumExpr("staff", "salary", where)
    known = {"centre": {}, "staff": [{"employment": "hợp đồng", "salary": 3}, {"employment": "công chức", "salary": 5}]}
    ctx = Context(_PROGRAM, known, date(2024, 6, 30))
    assert compiled(count)(ctx, None) == Decimal(1)
    assert compiled(total)(ctx, None) == Decimal(3)
    doubtful = {"centre": {}, "staff": [*known["staff"], {"salary": 7}]}
    ctx = Context(_PROGRAM, doubtful, date(2024, 6, 30))
    assert compiled(count)(ctx, None) is UNKNOWN
    assert compiled(total)(ctx, None) is UNKNOWN
    assert truth(compiled(count)(Context(_PROGRAM, {"centre": {}}, date(2024, 6, 30)), None)) is None


def test_phrases_of_equal_but_different_literals_are_their_own() -> None:
    one, yes = ast.Literal(Decimal(1)), ast.Literal(True)
    assert one == yes  # why the memo is by identity
    phrase.condition(yes)
    assert phrase.condition(one) != phrase.condition(yes)
    assert phrase.condition(ast.Literal(Decimal(1))) == phrase.condition(one)


def test_a_closure_is_built_once_per_node() -> None:
    expr = ast.Compare("=", _field("level"), ast.Literal("tỉnh"))
    assert compiled(expr) is compiled(expr)
    assert compiled(expr)(_ctx({"level": "Tỉnh"}), None) is True


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-inf"])
@pytest.mark.parametrize("op", ["=", "!=", "<", ">="])
def test_nan_and_infinity_written_as_text_are_not_numbers(text: str, op: str) -> None:
    """A setup's "NaN" compared with a number is text against a number: decided, never a crash."""
    expr = ast.Compare(op, _field("x"), ast.Literal(Decimal(1)))
    assert compiled(expr)(_ctx({"x": text}), None) is {"=": False, "!=": True}.get(op)
