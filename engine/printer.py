"""AST → DSL text: expressions and constraints printed back in the DSL's own syntax.

Used in messages (what a reviewer reads in a finding) and in the parser's round-trip property
test: parsing the printed text gives back the same AST. ``human=True`` writes numbers the
Vietnamese way (1.000.000; 1,5) for readers; the default writes them as the DSL does.
"""

from __future__ import annotations

from decimal import Decimal

from engine import ast

__all__ = ["format_expr", "format_constraint", "format_number"]

# Binding strength, loosest first; a child looser than its parent gets parentheses.
_OR, _AND, _NOT, _CMP, _ADD, _MUL, _ATOM = range(7)


def format_number(value: Decimal, human: bool = False) -> str:
    if human:
        if value == value.to_integral_value():
            return f"{int(value):,}".replace(",", ".")
        # Not normalize(): it rounds to the context's 28 digits and may leave no fraction at all.
        whole, _, frac = format(value, "f").partition(".")
        frac = frac.rstrip("0")
        if not frac:
            return f"{int(whole):,}".replace(",", ".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    text = format(value, "f")
    return text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _strength(expr: ast.Expr) -> int:
    if isinstance(expr, ast.Or):
        return _OR
    if isinstance(expr, ast.And):
        return _AND
    if isinstance(expr, ast.Not):
        return _NOT
    if isinstance(expr, (ast.Compare, ast.InList, ast.Contains, ast.StartsWith)):
        return _CMP
    if isinstance(expr, ast.Arith):
        return _ADD if expr.op in "+-" else _MUL
    return _ATOM


def _wrap(expr: ast.Expr, minimum: int, human: bool) -> str:
    text = format_expr(expr, human)
    return f"({text})" if _strength(expr) < minimum else text


def format_expr(expr: ast.Expr | None, human: bool = False) -> str:
    """``expr`` as DSL text, with the parentheses its structure needs and no others."""
    if expr is None:
        return ""
    if isinstance(expr, ast.Literal):
        value = expr.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format_number(value, human) + (f" {expr.unit}" if expr.unit else "")
        if isinstance(value, str):
            return _quote(value)
        return value.isoformat()
    if isinstance(expr, ast.ListExpr):
        return "[" + ", ".join(format_expr(i, human) for i in expr.items) + "]"
    if isinstance(expr, ast.Path):
        return str(expr)
    if isinstance(expr, ast.Compare):
        return f"{_wrap(expr.left, _ADD, human)} {expr.op} {_wrap(expr.right, _ADD, human)}"
    if isinstance(expr, ast.InList):
        keyword = "not in" if expr.negated else "in"
        return f"{_wrap(expr.item, _ADD, human)} {keyword} {format_expr(expr.options, human)}"
    if isinstance(expr, ast.Contains):
        return f"{_wrap(expr.container, _ADD, human)} contains {_wrap(expr.item, _ADD, human)}"
    if isinstance(expr, ast.StartsWith):
        return f"{_wrap(expr.text, _ADD, human)} starts with {_wrap(expr.prefix, _ADD, human)}"
    if isinstance(expr, ast.And):
        return " and ".join(_wrap(i, _NOT, human) for i in expr.items)
    if isinstance(expr, ast.Or):
        return " or ".join(_wrap(i, _AND, human) for i in expr.items)
    if isinstance(expr, ast.Not):
        return f"not {_wrap(expr.item, _NOT, human)}"
    if isinstance(expr, ast.Arith):
        level = _ADD if expr.op in "+-" else _MUL
        # Left-associative: the right operand of the same level needs parentheses.
        return f"{_wrap(expr.left, level, human)} {expr.op} {_wrap(expr.right, level + 1, human)}"
    if isinstance(expr, ast.CountExpr):
        where = f" where {format_expr(expr.where, human)}" if expr.where is not None else ""
        return f"count({expr.collection}{where})"
    if isinstance(expr, ast.SumExpr):
        where = f" where {format_expr(expr.where, human)}" if expr.where is not None else ""
        return f"sum({expr.collection}.{expr.field}{where})"
    raise TypeError(f"not an expression: {expr!r}")


def _card(card: ast.Cardinality) -> str:
    if card.kind == "exactly":
        return f"exactly {card.low}"
    if card.kind == "at_least":
        return f"at least {card.low}"
    if card.kind == "at_most":
        return f"at most {card.high}"
    return f"between {card.low} and {card.high}"


def format_constraint(c: ast.Constraint, human: bool = False) -> str:
    """A ``require`` line's constraint as DSL text."""
    condition = None if isinstance(c, ast.That) else c.where
    where = f" where {format_expr(condition, human)}" if condition is not None else ""
    if isinstance(c, ast.Count):
        per = f" per {c.per}" if c.per else ""
        return f"count {c.collection}{where}{per} is {_card(c.cardinality)}"
    if isinstance(c, ast.Every):
        return f"every {c.collection}{where} has {format_expr(c.condition, human)}"
    if isinstance(c, ast.NoneOf):
        return f"no {c.collection}{where}"
    if isinstance(c, ast.RoleHeld):
        return f"role {_quote(c.role)} held by {_card(c.cardinality)} {c.collection}{where}"
    if isinstance(c, ast.AllOf):
        values = ", ".join(_quote(v) for v in c.values)
        return f"all of [{values}] as {c.field} among {c.collection}{where}"
    if isinstance(c, ast.That):
        return f"that {format_expr(c.expr, human)}"
    raise TypeError(f"not a constraint: {c!r}")
