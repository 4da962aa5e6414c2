"""The DSL parser: valid files, syntax errors at the exact line and column, and round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import RegulationError, ast, parse_text
from engine.printer import format_constraint, format_expr
from tests.conftest import ROOT

HEADER = 'document d { number "1/QĐ" }\n'


def _error(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(RegulationError) as info:
        parse_text(text, "t.quy")
    d = info.value.diagnostics[0]
    return d.code, d.line, d.column, d.message


def test_every_bundled_regulation_file_parses() -> None:
    files = sorted((ROOT / "regulations").rglob("*.quy"))
    assert len(files) >= 4
    for file in files:
        module = parse_text(file.read_text(encoding="utf-8"), str(file))
        assert module.documents or module.parameters or module.events, file


def test_syntax_error_points_at_line_and_column_with_expected_tokens() -> None:
    text = HEADER + 'rule r {\n  at "Điều 1"\n  require count staff is exatly 2\n}\n'
    code, line, column, message = _error(text)
    assert (code, line, column) == ("Q001", 4, 26)
    assert "'exatly'" in message and '"exactly"' in message and '"between"' in message


def test_unterminated_block_reports_end_of_file() -> None:
    code, line, _, message = _error(HEADER + 'rule r {\n  at "Điều 1"\n')
    assert code == "Q001" and "end of the file" in message


def test_unexpected_character_is_a_syntax_error() -> None:
    code, line, column, message = _error(HEADER + 'rule r { at "x" require that a = § }')
    assert (code, line) == ("Q001", 2) and "§" in message and column == 34


def test_invalid_values_are_reported_with_their_place() -> None:
    assert _error("document d { signed 2023-02-30 }")[0:2] == ("Q015", 1)
    assert _error(HEADER + "obligation o { due before day 25 of months 13 }")[0] == "Q015"
    assert _error(HEADER + "rule r { require count staff is between 3 and 2 }")[0] == "Q015"
    assert _error(HEADER + "rule r { severity fatal }")[0] == "Q015"


def test_statement_before_any_document_is_rejected() -> None:
    code, line, _, message = _error('rule r { at "Điều 1" text "x" require that true }')
    assert code == "Q016" and line == 1 and "before any document" in message


def test_scalar_field_given_twice_is_an_error() -> None:
    assert _error(HEADER + 'rule r { at "Điều 1" at "Điều 2" }')[0] == "Q010"


def test_rule_fields_and_qualified_ids() -> None:
    m = parse_text(
        HEADER
        + '''
rule r {
  at "Điều 7 khoản 2 điểm a"
  text """a) Giám đốc:
     kiêm nhiệm."""
  require role "Giám đốc" held by exactly 1 staff where concurrent = true
  require all of ["A", "B"] as position among members where team = "Tổ 1"
  overrides other
}'''
    )
    rule = m.rules[0]
    assert rule.id == "d.r"
    assert (rule.locator.article, rule.locator.clause, rule.locator.point) == (7, 2, "a")
    assert rule.text == "a) Giám đốc: kiêm nhiệm."  # triple-quoted text: white space collapsed
    assert isinstance(rule.requires[0], ast.RoleHeld) and rule.requires[0].cardinality.low == 1
    assert rule.requires[1] == ast.AllOf(("A", "B"), "position", "members", rule.requires[1].where)
    assert rule.overrides == ("other",)


def test_deadlines_in_the_laws_words() -> None:
    m = parse_text(
        HEADER
        + """
obligation o {
  due before day 25 of each month
  due before day 25 of last month of each quarter
  due no later than day 25 of months 6, 12
  due before monday 08:00 each week
  due during month 11 each year
  due every 6 months
  due unstated
}"""
    )
    d = m.obligations[0].deadlines
    assert (d[0].kind, d[0].strict, len(d[0].months)) == ("day", "before", 12)
    assert d[1].quarter_end and d[1].months == (3, 6, 9, 12)
    assert (d[2].strict, d[2].months) == ("no_later", (6, 12))
    assert (d[3].weekday, d[3].at.hour) == (0, 8)
    assert (d[4].kind, d[4].months) == ("month", (11,))
    assert (d[5].kind, d[5].interval) == ("every", 6)
    assert d[6].kind == "unstated"


def test_vietnamese_names_and_nfc() -> None:
    decomposed = "ho\u0300a"  # "hòa" typed with a combining grave accent
    m = parse_text(HEADER + f'rule r {{ at "Điều 1" text "x" require that centre.tên = "{decomposed}" }}')
    expr = m.rules[0].requires[0].expr
    assert expr.left == ast.Path(("centre", "tên"))
    assert expr.right.value == "hòa"  # stored in NFC


# ---------------------------------------------------------------- round trips (hypothesis)
names = st.sampled_from(["role", "position", "concurrent", "employment", "tên_đơn_vị", "x1"])
strings = st.text(alphabet=st.sampled_from(list('abc Đườngĩộ"\\-')), max_size=8)
numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
atoms = st.one_of(
    numbers.map(lambda n: ast.Literal(n)),
    strings.map(lambda s: ast.Literal(s)),
    st.booleans().map(lambda b: ast.Literal(b)),
    st.dates().map(lambda d: ast.Literal(d)),
    st.lists(names, min_size=1, max_size=3).map(lambda parts: ast.Path(tuple(parts))),
)


def _extend(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    return st.one_of(
        st.tuples(st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), children, children).map(lambda t: ast.Compare(*t)),
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children).map(lambda t: ast.Arith(*t)),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: ast.And(tuple(xs))),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: ast.Or(tuple(xs))),
        children.map(ast.Not),
        st.tuples(children, st.lists(atoms, max_size=3), st.booleans()).map(lambda t: ast.InList(t[0], ast.ListExpr(tuple(t[1])), t[2])),
        st.tuples(children, children).map(lambda t: ast.Contains(*t)),
        st.tuples(children, children).map(lambda t: ast.StartsWith(*t)),
        st.tuples(st.sampled_from(["staff", "allowances"]), st.none() | children).map(lambda t: ast.CountExpr(*t)),
    )


expressions = st.recursive(atoms, _extend, max_leaves=8)


def _normalise(expr: object) -> object:
    """And/Or nest when printed inside each other's parentheses; compare them flattened."""
    if isinstance(expr, ast.And):
        items: list[object] = []
        for item in expr.items:
            item = _normalise(item)
            items.extend(item.items if isinstance(item, ast.And) else [item])
        return ast.And(tuple(items))
    if isinstance(expr, ast.Or):
        items = []
        for item in expr.items:
            item = _normalise(item)
            items.extend(item.items if isinstance(item, ast.Or) else [item])
        return ast.Or(tuple(items))
    if hasattr(expr, "__dataclass_fields__") and not isinstance(expr, ast.Literal):
        return type(expr)(**{k: _normalise(getattr(expr, k)) for k in expr.__dataclass_fields__})
    if isinstance(expr, tuple):
        return tuple(_normalise(x) for x in expr)
    if isinstance(expr, ast.Literal) and isinstance(expr.value, Decimal):
        return ast.Literal(expr.value.normalize(), expr.unit)
    return expr


@settings(max_examples=300, deadline=None)
@given(expressions)
def test_printed_expression_parses_back_to_the_same_ast(expr: ast.Expr) -> None:
    text = HEADER + f"rule r {{ require that {format_expr(expr)} }}"
    parsed = parse_text(text).rules[0].requires[0].expr
    assert _normalise(parsed) == _normalise(expr)


@settings(max_examples=100, deadline=None)
@given(expressions, st.sampled_from(["count", "every", "no", "role"]), st.integers(0, 5), st.integers(0, 5))
def test_printed_constraint_parses_back(expr: ast.Expr, kind: str, a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    card = ast.Cardinality("between", low, high)
    constraint = {
        "count": ast.Count("staff", expr, card),
        "every": ast.Every("staff", None, expr),
        "no": ast.NoneOf("funding", expr),
        "role": ast.RoleHeld("Giám đốc", card, "staff", expr),
    }[kind]
    parsed = parse_text(HEADER + f"rule r {{ require {format_constraint(constraint)} }}").rules[0].requires[0]
    assert _normalise(parsed) == _normalise(constraint)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    try:
        parse_text(text)
    except RegulationError as err:
        assert all(d.code.startswith("Q") for d in err.diagnostics)
