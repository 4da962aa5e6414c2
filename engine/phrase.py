"""AST → the reader's phrase: conditions, cardinalities and deadlines as catalogue messages.

The one AST renderer for readers (engine.printer is the one for the DSL's own syntax). It builds
:class:`engine.message.Message` trees, never words: ``starts with`` becomes
``msg("condition.starts_with", …)`` and the catalogue says it in Vietnamese or English. Field
names become ``field.<name>`` keys (the catalogue labels them); quoted text stays as written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from engine import ast
from engine.memo import ByIdentity
from engine.message import Arg, Message, msg
from engine.schedule import Occurrence

__all__ = ["cardinality", "condition", "deadline", "due", "field", "value"]

_COMPARE = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_ARITH = {"+": "plus", "-": "minus", "*": "times", "/": "divided"}
# Binding strength, loosest first: a child looser than its parent is grouped.
_OR, _AND, _NOT, _CMP, _ATOM = range(5)


@lru_cache(maxsize=4096)
def field(name: str) -> Message:
    """A field, collection or parameter named in a rule: ``centre.level`` → ``field.centre.level``."""
    return msg(f"field.{name}")


def value(item: object) -> Arg:
    """A fact's value as a message argument: text stays as written, numbers exact, lists joined."""
    if item is None:
        return msg("value.unknown")
    if isinstance(item, (str, bool, int, Decimal, date, datetime)):
        return item
    if isinstance(item, float):
        return Decimal(str(item))
    if isinstance(item, (list, tuple)):
        return tuple(value(v) for v in item)
    return msg("value.unknown") if repr(item) == "unknown" else str(item)


def _strength(expr: ast.Expr) -> int:
    if isinstance(expr, ast.Or):
        return _OR
    if isinstance(expr, ast.And):
        return _AND
    if isinstance(expr, ast.Not):
        return _NOT
    if isinstance(expr, (ast.Compare, ast.InList, ast.Contains, ast.StartsWith)):
        return _CMP
    return _ATOM


def _part(expr: ast.Expr, minimum: int) -> Message:
    inner = condition(expr)
    return msg("condition.group", inner=inner) if _strength(expr) < minimum else inner


# expr → its phrase, by identity (engine.memo: an equality-keyed cache could say "có" for the number 1).
_CONDITIONS: ByIdentity[Message] = ByIdentity(200_000)


def condition(expr: ast.Expr | None) -> Message:
    """``expr`` as the reader's phrase: ``position starts with "Chủ tịch"`` → "vị trí bắt đầu bằng “Chủ tịch”"."""
    found = _CONDITIONS.get(expr)
    return found if found is not None else _CONDITIONS.put(expr, _condition(expr))


def _condition(expr: ast.Expr | None) -> Message:
    if expr is None:
        return msg("condition.always")
    if isinstance(expr, ast.Literal):
        item = expr.value
        if isinstance(item, bool):
            return msg("condition.yes" if item else "condition.no")
        if isinstance(item, str):
            return msg("condition.quoted", text=item)
        if isinstance(item, Decimal) and expr.unit:
            return msg("condition.with_unit", number=item, unit=expr.unit)
        return msg("condition.literal", value=item)
    if isinstance(expr, ast.ListExpr):
        return msg("condition.list", items=tuple(condition(i) for i in expr.items))
    if isinstance(expr, ast.Path):
        return field(str(expr))
    if isinstance(expr, ast.Compare):
        if isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, bool) and expr.op in ("=", "!="):
            holds = expr.right.value == (expr.op == "=")
            return msg("condition.is_true" if holds else "condition.is_false", subject=_part(expr.left, _ATOM))
        return msg(f"condition.{_COMPARE[expr.op]}", left=_part(expr.left, _ATOM), right=_part(expr.right, _ATOM))
    if isinstance(expr, ast.InList):
        options = tuple(condition(i) for i in expr.options.items)
        return msg("condition.not_in" if expr.negated else "condition.in", item=_part(expr.item, _ATOM), options=options)
    if isinstance(expr, ast.Contains):
        return msg("condition.contains", container=_part(expr.container, _ATOM), item=_part(expr.item, _ATOM))
    if isinstance(expr, ast.StartsWith):
        return msg("condition.starts_with", text=_part(expr.text, _ATOM), prefix=_part(expr.prefix, _ATOM))
    if isinstance(expr, ast.And):
        return msg("condition.all", items=tuple(_part(i, _NOT) for i in expr.items))
    if isinstance(expr, ast.Or):
        return msg("condition.any", items=tuple(_part(i, _AND) for i in expr.items))
    if isinstance(expr, ast.Not):
        return msg("condition.negation", item=_part(expr.item, _CMP))
    if isinstance(expr, ast.Arith):
        return msg(f"condition.{_ARITH[expr.op]}", left=_part(expr.left, _ATOM), right=_part(expr.right, _ATOM))
    if isinstance(expr, ast.CountExpr):
        if expr.where is None:
            return msg("condition.count_all", collection=field(expr.collection))
        return msg("condition.count", collection=field(expr.collection), where=condition(expr.where))
    if isinstance(expr, ast.SumExpr):
        if expr.where is None:
            return msg("condition.sum_all", field=field(expr.field), collection=field(expr.collection))
        return msg("condition.sum", field=field(expr.field), collection=field(expr.collection), where=condition(expr.where))
    raise TypeError(f"not an expression: {expr!r}")


def cardinality(card: ast.Cardinality) -> Message:
    """ "exactly 1", "at least 3", "between 2 and 4" as the catalogue says them."""
    if card.kind == "between":
        return msg("condition.between", low=card.low, high=card.high)
    return msg(f"condition.{card.kind}", n=card.low if card.kind != "at_most" else card.high)


@lru_cache(maxsize=1024)
def deadline(d: ast.Deadline) -> Message:
    """A deadline as a reader of the law says it: "chậm nhất ngày 25 tháng 6, 12 hằng năm"."""
    strict = msg(f"deadline.{d.strict}") if d.strict in ("before", "no_later") else msg("deadline.by")
    if d.kind == "day":
        if d.quarter_end:
            return msg("deadline.quarter_end", strict=strict, day=d.day)
        if len(d.months) == 12:
            return msg("deadline.monthly", strict=strict, day=d.day)
        if len(d.months) == 1:
            return msg("deadline.yearly", strict=strict, day=d.day, month=msg(f"month.m{d.months[0]}"))
        return msg("deadline.months", strict=strict, day=d.day, months=tuple(d.months))
    if d.kind == "weekday":
        assert d.weekday is not None
        day = msg(f"weekday.d{d.weekday}")
        if d.at is not None:
            return msg("deadline.weekly_at", strict=strict, weekday=day, at=d.at.strftime("%H:%M"))
        return msg("deadline.weekly", strict=strict, weekday=day)
    if d.kind == "month":
        return msg("deadline.during_month", month=msg(f"month.m{d.months[0]}"))
    if d.kind == "every" and d.unit == "week":
        return msg("deadline.every_week")
    if d.kind == "every":
        return msg("deadline.every_months", n=d.interval or 12)
    return msg("deadline.unstated")


def due(occ: Occurrence) -> Message:
    """One occurrence's deadline with its date: "trước ngày 25/05/2024 (ngày 25 là trễ hạn)"."""
    when = occ.due
    if not occ.stated:
        return msg("due.period_end", date=when.date())
    if occ.window_start is not None:
        return msg("due.during", start=occ.window_start, end=when.date())
    if occ.timed:
        return msg(
            "due.timed_no_later" if occ.inclusive else "due.timed_before",
            at=when.strftime("%H:%M"),
            weekday=msg(f"weekday.d{when.weekday()}"),
            date=when.date(),
        )
    if occ.inclusive:
        return msg("due.no_later", date=when.date())
    return msg("due.before", date=when.date())
