"""Constraints → results: count, every, no, role held by, all of, that — with their evidence.

A count is decided only if every possible value of the records whose match is unknown gives
the same verdict; otherwise it is unknown. Each result names the records that decided it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import ast
from engine.logic import Context, record_ref, show_value, truth
from engine.names import match_name
from engine.printer import format_expr
from engine.text import text_key
from engine.verdict import UNKNOWN, Status, combine

__all__ = ["check_constraint", "describe_expr"]


@dataclass
class _Result:
    status: Status
    expected: str
    actual: str
    evidence: list[dict[str, Any]]
    vi: str
    en: str


def _card_status(card: ast.Cardinality, low: int, high: int) -> Status:
    fits = [card.admits(n) for n in range(low, high + 1)]
    if all(fits):
        return Status.SATISFIED
    if not any(fits):
        return Status.VIOLATED
    return Status.UNKNOWN


def _missing(collection: str) -> _Result:
    return _Result(Status.UNKNOWN, "", "?", [], f"thiết lập không cung cấp danh sách '{collection}'", f"the setup gives no '{collection}' list")


def _classify(
    ctx: Context, collection: str, where: ast.Expr | None, items: list[Mapping[str, Any]]
) -> tuple[list[tuple[int, Mapping[str, Any]]], list[tuple[int, Mapping[str, Any]]]]:
    matched, uncertain = [], []
    for i, record in enumerate(items):
        t = truth(ctx.value(where, record))
        if t is True:
            matched.append((i, record))
        elif t is None:
            uncertain.append((i, record))
    return matched, uncertain


def _evidence(rows: list[tuple[int, Mapping[str, Any]]], collection: str, role: str, detail: str = "") -> list[dict[str, Any]]:
    out = []
    for i, record in rows:
        item = record_ref(record, collection, i)
        item["role"] = role
        if detail:
            item["detail"] = detail
        out.append(item)
    return out


def _record_values(ctx: Context, condition: ast.Expr | None, record: Mapping[str, Any]) -> str:
    """What a record actually has for each thing the condition compares, e.g. "employment = hợp đồng"."""
    shown: dict[str, str] = {}

    def visit(node: ast.Expr | None) -> None:
        if isinstance(node, (ast.And, ast.Or)):
            for item in node.items:
                visit(item)
        elif isinstance(node, ast.Not):
            visit(node.item)
        elif isinstance(node, (ast.Compare, ast.InList, ast.Contains, ast.StartsWith)):
            operand = {ast.Compare: "left", ast.InList: "item", ast.Contains: "container", ast.StartsWith: "text"}[type(node)]
            value = getattr(node, operand)
            shown.setdefault(describe_expr(value), show_value(ctx.value(value, record)))

    visit(condition)
    return "; ".join(f"{k} = {v}" for k, v in shown.items())


def _with_values(ctx: Context, condition: ast.Expr | None, rows: list[tuple[int, Mapping[str, Any]]], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for (_, record), item in zip(rows, items, strict=True):
        actual = _record_values(ctx, condition, record)
        if actual:
            item["actual"] = actual
    return items


def check_constraint(ctx: Context, c: ast.Constraint) -> _Result:
    if isinstance(c, ast.That):
        t = truth(ctx.value(c.expr))
        status = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNKNOWN}[t]
        facts = _facts_of(ctx, c.expr)
        actual = "; ".join(f"{k} = {v}" for k, v in facts) or "?"
        return _Result(
            status,
            describe_expr(c.expr),
            actual,
            [{"record": f"centre.{k}" if not k.startswith("centre") else k, "value": v, "role": "decides"} for k, v in facts],
            f"điều kiện {describe_expr(c.expr)}: thực tế {actual}",
            f"condition {describe_expr(c.expr)}: actual {actual}",
        )
    items = ctx.collection(c.collection)
    if items is UNKNOWN:
        return _missing(c.collection)
    if isinstance(c, ast.Count) and c.per:
        return _count_per(ctx, c, items)
    if isinstance(c, ast.Count):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        status = _card_status(c.cardinality, len(matched), len(matched) + len(uncertain))
        actual = str(len(matched)) + (f" (+{len(uncertain)} ?)" if uncertain else "")
        what = describe_expr(c.where) if c.where else c.collection
        return _Result(
            status,
            c.cardinality.describe(),
            actual,
            _evidence(matched, c.collection, "counted") + _evidence(uncertain, c.collection, "uncertain"),
            f"cần {c.cardinality.describe('vi')} {c.collection} thỏa [{what}]; thiết lập có {actual}",
            f"needs {c.cardinality.describe()} {c.collection} with [{what}]; the setup has {actual}",
        )
    if isinstance(c, ast.RoleHeld):
        holders, uncertain_holders = [], []
        for i, record in enumerate(items):
            role = record.get("role")
            if role is None:
                uncertain_holders.append((i, record))
            elif _contains_role(role, c.role):
                holders.append((i, record))
        count_status = _card_status(c.cardinality, len(holders), len(holders) + len(uncertain_holders))
        offenders, unsure = [], []
        for i, record in holders:
            t = truth(ctx.value(c.where, record))
            if t is False:
                offenders.append((i, record))
            elif t is None:
                unsure.append((i, record))
        filter_status = Status.VIOLATED if offenders else (Status.UNKNOWN if unsure else Status.SATISFIED)
        status = combine([count_status, filter_status])
        cond = describe_expr(c.where) if c.where else ""
        actual = f"{len(holders)}" + (f" (+{len(uncertain_holders)} ?)" if uncertain_holders else "")
        if offenders:
            actual += f"; {len(offenders)} not meeting the condition"
        return _Result(
            status,
            f"{c.cardinality.describe()} holder(s) of '{c.role}'" + (f" with [{cond}]" if cond else ""),
            actual,
            _evidence(holders, c.collection, "holder")
            + _with_values(ctx, c.where, offenders, _evidence(offenders, c.collection, "offends", cond))
            + _evidence(unsure + uncertain_holders, c.collection, "uncertain"),
            f"vai trò '{c.role}' cần {c.cardinality.describe('vi')} người" + (f" thỏa [{cond}]" if cond else "") + f"; thiết lập có {actual}",
            f"role '{c.role}' needs {c.cardinality.describe()} holder(s)" + (f" with [{cond}]" if cond else "") + f"; the setup has {actual}",
        )
    if isinstance(c, ast.Every):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        offenders, unsure = [], list(uncertain)
        for i, record in matched:
            t = truth(ctx.value(c.condition, record))
            if t is False:
                offenders.append((i, record))
            elif t is None:
                unsure.append((i, record))
        status = Status.VIOLATED if offenders else (Status.UNKNOWN if unsure else Status.SATISFIED)
        cond = describe_expr(c.condition)
        scope = f" [{describe_expr(c.where)}]" if c.where else ""
        actual = f"{len(offenders)} of {len(matched)} not meeting it" if matched else "no records"
        return _Result(
            status,
            f"every {c.collection}{scope}: {cond}",
            actual,
            _with_values(ctx, c.condition, offenders, _evidence(offenders, c.collection, "offends", cond)) + _evidence(unsure, c.collection, "uncertain"),
            f"mọi {c.collection}{scope} phải thỏa [{cond}]; {len(offenders)} không đạt",
            f"every {c.collection}{scope} must satisfy [{cond}]; {len(offenders)} do not",
        )
    if isinstance(c, ast.NoneOf):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        status = Status.VIOLATED if matched else (Status.UNKNOWN if uncertain else Status.SATISFIED)
        what = describe_expr(c.where) if c.where else c.collection
        return _Result(
            status,
            f"no {c.collection} with [{what}]",
            str(len(matched)),
            _evidence(matched, c.collection, "offends") + _evidence(uncertain, c.collection, "uncertain"),
            f"không được có {c.collection} thỏa [{what}]; thiết lập có {len(matched)}",
            f"no {c.collection} may have [{what}]; the setup has {len(matched)}",
        )
    if isinstance(c, ast.AllOf):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        # Each listed value must be matched by a record's value as a name (engine.names, the centre's own unit).
        present = [str(r.get(c.field)) for _, r in matched if r.get(c.field) is not None]
        missing = [v for v in c.values if not any(match_name(v, p, ctx.own_unit) is True for p in present)]
        if not missing:
            status = Status.SATISFIED
        elif uncertain or any(r.get(c.field) is None for _, r in matched):
            status = Status.UNKNOWN
        else:
            status = Status.VIOLATED
        return _Result(
            status,
            f"{c.field}: " + "; ".join(c.values),
            "missing: " + "; ".join(missing) if missing else "complete",
            [{"record": c.collection, "role": "missing", "detail": v} for v in missing] + _evidence(uncertain, c.collection, "uncertain"),
            f"thiếu {len(missing)} {c.field}: " + "; ".join(missing) if missing else "đủ các thành phần",
            f"{len(missing)} {c.field} missing: " + "; ".join(missing) if missing else "all present",
        )
    raise TypeError(f"unknown constraint {c!r}")  # pragma: no cover


def _count_per(ctx: Context, c: ast.Count, items: list[Mapping[str, Any]]) -> _Result:
    """``count … per FIELD``: the cardinality holds within each group of records sharing FIELD's value.

    The groups are the values FIELD takes in the whole collection (so a shift with none of the
    counted records is a group with 0). A counted or uncertain record without a value for FIELD
    could belong to any group, so it widens every group's range.
    """
    assert c.per is not None
    per = c.per
    matched, uncertain = _classify(ctx, c.collection, c.where, items)

    def key(value: Any) -> Any:
        return text_key(value) if isinstance(value, str) else show_value(value)

    shown: dict[Any, str] = {}
    for record in items:
        if record.get(per) is not None:
            shown.setdefault(key(record[per]), show_value(record[per]))
    counted: dict[Any, list[tuple[int, Mapping[str, Any]]]] = {k: [] for k in shown}
    doubt: dict[Any, int] = {k: 0 for k in shown}
    floating = 0  # records that could be in any group
    for i, record in matched:
        if record.get(per) is None:
            floating += 1
        else:
            counted[key(record[per])].append((i, record))
    for _, record in uncertain:
        if record.get(per) is None:
            floating += 1
        else:
            doubt[key(record[per])] += 1
    statuses: list[Status] = []
    parts: list[str] = []
    evidence: list[dict[str, Any]] = []
    for k in sorted(shown, key=lambda k: (len(shown[k]), shown[k])):
        n, extra = len(counted[k]), doubt[k] + floating
        status = _card_status(c.cardinality, n, n + extra)
        statuses.append(status)
        parts.append(f"{per} {shown[k]}: {n}" + (f" (+{extra} ?)" if extra else ""))
        if status is not Status.SATISFIED:
            evidence.extend(_evidence(counted[k], c.collection, "counted", f"{per} = {shown[k]}"))
    evidence.extend(_evidence(uncertain, c.collection, "uncertain"))
    status = combine(statuses) if statuses else (Status.UNKNOWN if floating else Status.SATISFIED)
    actual = "; ".join(parts) or (f"0 (+{floating} ?)" if floating else "0")
    what = describe_expr(c.where) if c.where else c.collection
    return _Result(
        status,
        f"{c.cardinality.describe()} per {per}",
        actual,
        evidence,
        f"cần {c.cardinality.describe('vi')} {c.collection} thỏa [{what}] mỗi {per}; thiết lập có {actual}",
        f"needs {c.cardinality.describe()} {c.collection} with [{what}] per {per}; the setup has {actual}",
    )


def _contains_role(role: Any, wanted: str) -> bool:
    roles = role if isinstance(role, (list, tuple)) else [role]
    return any(text_key(str(r)) == text_key(wanted) for r in roles)


def _facts_of(ctx: Context, expr: ast.Expr) -> list[tuple[str, str]]:
    out = [(str(n), show_value(ctx.value(n))) for n in ast.walk(expr) if isinstance(n, ast.Path)]
    return list(dict.fromkeys(out))  # a fact named twice in the condition is shown once


def describe_expr(expr: ast.Expr | None) -> str:
    """The expression as DSL text, numbers written the Vietnamese way: what a reviewer reads."""
    return format_expr(expr, human=True)
