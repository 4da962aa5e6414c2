"""Expressions compiled once into closures: evaluation never walks the AST per setup.

``compiled(expr)`` turns an expression into a function ``(ctx, record) -> value`` with exactly
the three-valued semantics of :meth:`engine.logic.Context.value` (which now calls it); the
dispatch on node types happens once per node, not once per node per record per setup. The paths
a node reads are likewise found once per node (engine.phrase memoises the reader's phrase the
same way). The memos are keyed by node identity (AST nodes are frozen dataclasses whose hash walks
the whole tree on every call) and keep the node alive, so an id is
never reused while its entry exists. Nothing here goes into the program cache: closures are
rebuilt on first use after a load, which costs microseconds per node.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine import ast
from engine.memo import ByIdentity
from engine.verdict import UNKNOWN

if TYPE_CHECKING:
    from engine.logic import Context

__all__ = ["MEMO_LIMIT", "Compiled", "compiled", "paths_of"]

Compiled = Callable[["Context", Mapping[str, Any] | None], Any]

# Entries kept per memo of program nodes before it starts afresh: every bundled program has a few thousand nodes.
MEMO_LIMIT = 200_000
_COMPILED: ByIdentity[Compiled] = ByIdentity(MEMO_LIMIT)  # node → its closure
_PATHS: ByIdentity[tuple[ast.Path, ...]] = ByIdentity(MEMO_LIMIT)  # node → the paths inside it


def compiled(expr: ast.Expr | None) -> Compiled:
    """The closure evaluating ``expr`` (built on first use, then reused)."""
    fn = _COMPILED.get(expr)
    return fn if fn is not None else _COMPILED.put(expr, _compile(expr))


def paths_of(node: object) -> tuple[ast.Path, ...]:
    """The paths inside ``node``, in walk order, memoised by node identity."""
    found = _PATHS.get(node)
    return found if found is not None else _PATHS.put(node, tuple(n for n in ast.walk(node) if isinstance(n, ast.Path)))


def _truth(value: Any) -> bool | None:
    if value is UNKNOWN or value is None:
        return None
    if value is True or value is False:
        return value
    return bool(value)


def _compile(expr: ast.Expr | None) -> Compiled:  # noqa: C901 - one branch per node type, as in Context.value
    from engine.logic import any3, as_number

    if expr is None:
        return lambda ctx, record: True
    if isinstance(expr, ast.Literal):
        constant = expr.value
        return lambda ctx, record: constant
    if isinstance(expr, ast.ListExpr):
        items = tuple(compiled(i) for i in expr.items)
        return lambda ctx, record: [f(ctx, record) for f in items]
    if isinstance(expr, ast.Path):
        return _compile_path(expr)
    if isinstance(expr, ast.Compare):
        op, left, right = expr.op, compiled(expr.left), compiled(expr.right)
        if isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, str) and op in ("=", "!="):
            return _compare_text(op, expr.right.value, left, isinstance(expr.left, ast.Path) and expr.left.parts == ("position",))
        if isinstance(expr.left, ast.Path) and expr.left.parts == ("position",):
            # A person's bare title ("Chánh Văn phòng") is read with their agency (engine.names.titled).
            return lambda ctx, record: ctx._compare(op, left(ctx, record), right(ctx, record), record.get("agency") if record is not None else None)
        return lambda ctx, record: ctx._compare(op, left(ctx, record), right(ctx, record))
    if isinstance(expr, ast.InList) and not expr.negated and all(isinstance(o, ast.Literal) and isinstance(o.value, str) for o in expr.options.items):
        return _in_texts(compiled(expr.item), tuple(str(o.value) for o in expr.options.items))  # type: ignore[union-attr]
    if isinstance(expr, ast.InList):
        item_fn = compiled(expr.item)
        options = tuple(compiled(o) for o in expr.options.items)
        negated = expr.negated

        def in_list(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            item = item_fn(ctx, record)
            if item is UNKNOWN:
                return None
            found = any3([ctx._compare("=", item, o(ctx, record)) for o in options])
            return (None if found is None else not found) if negated else found

        return in_list
    if isinstance(expr, ast.Contains):
        container, contained = compiled(expr.container), compiled(expr.item)
        return lambda ctx, record: ctx._contains(container(ctx, record), contained(ctx, record))
    if isinstance(expr, ast.StartsWith):
        text_fn, prefix_fn = compiled(expr.text), compiled(expr.prefix)

        def starts_with(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            text, prefix = text_fn(ctx, record), prefix_fn(ctx, record)
            if text is UNKNOWN or prefix is UNKNOWN:
                return None
            if type(text) is str:
                return ctx.name_is(str(prefix), text, True, None)
            return ctx._text_match(str(prefix), text, prefix=True)

        return starts_with
    if isinstance(expr, ast.And):
        return _conjunction(tuple(compiled(i) for i in expr.items))
    if isinstance(expr, ast.Or):
        return _disjunction(tuple(compiled(i) for i in expr.items))
    if isinstance(expr, ast.Not):
        inner_fn = compiled(expr.item)

        def negation(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            inner = _truth(inner_fn(ctx, record))
            return None if inner is None else not inner

        return negation
    if isinstance(expr, ast.Arith):
        aop, aleft, aright = expr.op, compiled(expr.left), compiled(expr.right)
        return lambda ctx, record: ctx._arith(aop, aleft(ctx, record), aright(ctx, record))
    if isinstance(expr, ast.CountExpr):
        collection, where = expr.collection, compiled(expr.where)

        def count(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            items = ctx.collection(collection, record)
            if items is UNKNOWN:
                return UNKNOWN
            truths = [_truth(where(ctx, r)) for r in items]
            if any(t is None for t in truths):
                return UNKNOWN
            return Decimal(sum(1 for t in truths if t))

        return count
    if isinstance(expr, ast.SumExpr):
        scollection, sfield, swhere = expr.collection, expr.field, compiled(expr.where)

        def total(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            items = ctx.collection(scollection, record)
            if items is UNKNOWN:
                return UNKNOWN
            result = Decimal(0)
            for r in items:
                t = _truth(swhere(ctx, r))
                if t is None:
                    return UNKNOWN
                if t:
                    n = as_number(r.get(sfield))
                    if n is None:
                        return UNKNOWN
                    result += n
            return result

        return total
    raise TypeError(f"unknown expression {expr!r}")  # pragma: no cover


def _conjunction(parts: tuple[Compiled, ...]) -> Compiled:
    """Kleene ``and``: false wins, then unknown. Every part is evaluated (no short cut), as the
    parts record what they read (parameters, names of another unit) for the verdict's trace."""

    def conjunction(ctx: Context, record: Mapping[str, Any] | None) -> bool | None:
        result: bool | None = True
        for part in parts:
            value = part(ctx, record)
            if value is UNKNOWN or value is None:
                if result is True:
                    result = None
            elif not value:
                result = False
        return result

    return conjunction


def _disjunction(parts: tuple[Compiled, ...]) -> Compiled:
    """Kleene ``or``: true wins, then unknown; every part evaluated, as for ``and``."""

    def disjunction(ctx: Context, record: Mapping[str, Any] | None) -> bool | None:
        result: bool | None = False
        for part in parts:
            value = part(ctx, record)
            if value is UNKNOWN or value is None:
                if result is False:
                    result = None
            elif value:
                result = True
        return result

    return disjunction


def _compare_text(op: str, wanted: str, left: Compiled, with_agency: bool) -> Compiled:
    """``field = "text"`` / ``!=``: the most common comparison, straight to the name match
    (the same steps as Context._compare for a text on the right)."""
    negate = op == "!="

    def compare(ctx: Context, record: Mapping[str, Any] | None) -> Any:
        given = left(ctx, record)
        if given is UNKNOWN:
            return None
        if type(given) is str:
            agency = record.get("agency") if with_agency and record is not None else None
            found = ctx.name_is(wanted, given, False, agency if type(agency) is str else None)
        elif isinstance(given, (str, list, tuple)):
            agency = record.get("agency") if with_agency and record is not None else None
            found = ctx._text_match(wanted, given, agency=agency)
        else:
            return ctx._compare(op, given, wanted)
        return found if not negate or found is None else not found

    return compare


def _in_texts(item_fn: Compiled, options: tuple[str, ...]) -> Compiled:
    """``field in ["a", "b"]``: a name match per option (Kleene or), as Context._compare makes each."""
    from engine.logic import any3  # engine.logic imports this module

    def in_texts(ctx: Context, record: Mapping[str, Any] | None) -> Any:
        item = item_fn(ctx, record)
        if item is UNKNOWN:
            return None
        if type(item) is not str:
            return any3([ctx._compare("=", item, o) for o in options])
        result: bool | None = False
        for wanted in options:  # every option, no short cut: each records what it read (names of another unit)
            found = ctx.name_is(wanted, item, False, None)
            if found is True:
                result = True
            elif found is None and result is False:
                result = None
        return result

    return in_texts


def _compile_path(path: ast.Path) -> Compiled:
    head, rest = path.parts[0], path.parts[1:]

    def walk(current: Any) -> Any:
        for part in rest:
            if not isinstance(current, Mapping) or part not in current:
                return UNKNOWN
            current = current[part]
        return UNKNOWN if current is None else current

    if head == "centre":
        if len(rest) == 1:
            (only,) = rest

            def centre_field(ctx: Context, record: Mapping[str, Any] | None) -> Any:
                value = ctx.centre().get(only)
                return UNKNOWN if value is None else value

            return centre_field
        return lambda ctx, record: walk(ctx.centre())

    if not rest:

        def field(ctx: Context, record: Mapping[str, Any] | None) -> Any:
            if record is not None and head in record:
                value = record[head]
                return UNKNOWN if value is None else value
            return ctx._path(path, record)

        return field
    return lambda ctx, record: ctx._path(path, record)
