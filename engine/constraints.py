"""Constraints → results: count, every, no, role held by, all of, that — with their evidence.

A count is decided only if every possible value of the records whose match is unknown gives
the same verdict; otherwise it is unknown. Each result names the records that decided it, and
says what was required and what was found as catalogue messages (engine.phrase builds them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import ast, phrase
from engine.compile import MEMO_LIMIT, compiled, paths_of
from engine.facts import record_ref, source_path
from engine.logic import Context, truth
from engine.memo import ByIdentity
from engine.message import Message, msg
from engine.text import text_key
from engine.verdict import UNKNOWN, Status, combine

__all__ = ["ConstraintResult", "check_constraint", "decide_constraint"]

Rows = list[tuple[int, Mapping[str, Any]]]


@dataclass
class ConstraintResult:
    """One constraint over the facts: its status, what it required, what was found, and the phrase
    that says both (the trace's event and the verdict message's reason)."""

    status: Status
    expected: Message
    actual: Message
    evidence: list[dict[str, Any]]
    phrase: Message


def _card_status(card: ast.Cardinality, low: int, high: int) -> Status:
    fits = [card.admits(n) for n in range(low, high + 1)]
    if all(fits):
        return Status.SATISFIED
    if not any(fits):
        return Status.VIOLATED
    return Status.UNKNOWN


def _missing(collection: str) -> ConstraintResult:
    missing = msg("check.no_list", collection=phrase.field(collection))
    return ConstraintResult(Status.UNKNOWN, msg("check.list_needed", collection=phrase.field(collection)), msg("value.unknown"), [], missing)


def _counted(n: int, uncertain: int) -> Message:
    """ "3", or "3 (+1 chưa rõ)" when records whose match is unknown could change it."""
    return msg("check.count_uncertain", n=n, uncertain=uncertain) if uncertain else msg("check.count", n=n)


def _classify(ctx: Context, collection: str, where: ast.Expr | None, items: list[Mapping[str, Any]]) -> tuple[Rows, Rows]:
    """The records matching ``where``, and those for which it is unknown (worked out once for deciding and explaining)."""
    return ctx.reused(where, items, lambda: _classified(ctx, where, items))


def _classified(ctx: Context, where: ast.Expr | None, items: list[Mapping[str, Any]]) -> tuple[Rows, Rows]:
    matched: Rows = []
    uncertain: Rows = []
    test = compiled(where)
    for i, record in enumerate(items):
        t = test(ctx, record)
        if t is not True and t is not False:
            t = truth(t)
        if t is True:
            matched.append((i, record))
        elif t is None:
            uncertain.append((i, record))
    return matched, uncertain


_STATUS_OF: dict[bool | None, Status] = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNKNOWN}


def _split(ctx: Context, condition: ast.Expr | None, rows: Rows) -> tuple[Rows, Rows]:
    """The rows that break ``condition``, and those for which it is unknown (worked out once for deciding and explaining)."""
    return ctx.reused(condition, rows, lambda: _broken(ctx, condition, rows))


def _broken(ctx: Context, condition: ast.Expr | None, rows: Rows) -> tuple[Rows, Rows]:
    offenders: Rows = []
    unsure: Rows = []
    test = compiled(condition)
    for row in rows:
        t = test(ctx, row[1])
        if t is not True and t is not False:
            t = truth(t)
        if t is False:
            offenders.append(row)
        elif t is None:
            unsure.append(row)
    return offenders, unsure


def _offence_status(offenders: Rows, unsure: Rows) -> Status:
    return Status.VIOLATED if offenders else (Status.UNKNOWN if unsure else Status.SATISFIED)


# -- deciding: the status and the records that decide it, no words (the hot path of evaluation)
_Counted = tuple[Status, Rows, Rows]  # status, matched, uncertain
_Held = tuple[Status, Rows, Rows, Rows, Rows]  # status, holders, uncertain holders, offenders, unsure
_Checked = tuple[Status, Rows, Rows, Rows]  # status, in scope, offenders, unsure
_Listed = tuple[Status, Rows, list[str]]  # status, uncertain, missing values


def _decide_count(ctx: Context, c: ast.Count, items: list[Mapping[str, Any]]) -> _Counted:
    matched, uncertain = _classify(ctx, c.collection, c.where, items)
    return _card_status(c.cardinality, len(matched), len(matched) + len(uncertain)), matched, uncertain


def _decide_role(ctx: Context, c: ast.RoleHeld, items: list[Mapping[str, Any]]) -> _Held:
    holders: Rows = []
    uncertain_holders: Rows = []
    for i, record in enumerate(items):
        role = record.get("role")
        if role is None:
            uncertain_holders.append((i, record))
        elif _contains_role(role, c.role):
            holders.append((i, record))
    count_status = _card_status(c.cardinality, len(holders), len(holders) + len(uncertain_holders))
    offenders, unsure = _split(ctx, c.where, holders)
    return combine([count_status, _offence_status(offenders, unsure)]), holders, uncertain_holders, offenders, unsure


def _decide_every(ctx: Context, c: ast.Every, items: list[Mapping[str, Any]]) -> _Checked:
    matched, uncertain = _classify(ctx, c.collection, c.where, items)
    offenders, unsure = _split(ctx, c.condition, matched)
    unsure = uncertain + unsure
    return _offence_status(offenders, unsure), matched, offenders, unsure


def _decide_none(ctx: Context, c: ast.NoneOf, items: list[Mapping[str, Any]]) -> _Counted:
    matched, uncertain = _classify(ctx, c.collection, c.where, items)
    return _offence_status(matched, uncertain), matched, uncertain


def _decide_all(ctx: Context, c: ast.AllOf, items: list[Mapping[str, Any]]) -> _Listed:
    matched, uncertain = _classify(ctx, c.collection, c.where, items)
    # Each listed value must be matched by a record's value as a name (engine.names, the centre's own unit).
    present = [str(r.get(c.field)) for _, r in matched if r.get(c.field) is not None]
    missing = [v for v in c.values if not any(ctx.same_name(v, p) is True for p in present)]
    if not missing:
        status = Status.SATISFIED
    elif uncertain or any(r.get(c.field) is None for _, r in matched):
        status = Status.UNKNOWN
    else:
        status = Status.VIOLATED
    return status, uncertain, missing


def decide_constraint(ctx: Context, c: ast.Constraint) -> Status:
    """The status of constraint ``c``, without its explanation (see check_constraint)."""
    if type(c) is ast.That:
        return _STATUS_OF[truth(ctx.value(c.expr))]
    items = ctx.collection(c.collection)  # type: ignore[union-attr]
    if items is UNKNOWN:
        return Status.UNKNOWN
    if type(c) is ast.Count:
        if c.per:
            return _count_per(ctx, c, items).status
        return _decide_count(ctx, c, items)[0]
    if type(c) is ast.RoleHeld:
        return _decide_role(ctx, c, items)[0]
    if type(c) is ast.Every:
        return _decide_every(ctx, c, items)[0]
    if type(c) is ast.NoneOf:
        return _decide_none(ctx, c, items)[0]
    if type(c) is ast.AllOf:
        return _decide_all(ctx, c, items)[0]
    raise TypeError(f"unknown constraint {c!r}")  # pragma: no cover


def _evidence(rows: Rows, collection: str, role: str, detail: Message | None = None) -> list[dict[str, Any]]:
    out = []
    for i, record in rows:
        item = record_ref(record, collection, i)
        item["role"] = role
        if detail is not None:
            item["detail"] = detail
        out.append(item)
    return out


def _record_values(ctx: Context, condition: ast.Expr | None, record: Mapping[str, Any]) -> Message | None:
    """What a record actually has for each thing the condition compares, e.g. "employment = hợp đồng"."""
    shown: dict[ast.Expr, Message] = {}

    def visit(node: ast.Expr | None) -> None:
        if isinstance(node, (ast.And, ast.Or)):
            for item in node.items:
                visit(item)
        elif isinstance(node, ast.Not):
            visit(node.item)
        elif isinstance(node, (ast.Compare, ast.InList, ast.Contains, ast.StartsWith)):
            operand = {ast.Compare: "left", ast.InList: "item", ast.Contains: "container", ast.StartsWith: "text"}[type(node)]
            value = getattr(node, operand)
            shown.setdefault(value, _fact(phrase.condition(value), ctx.value(value, record)))

    visit(condition)
    return msg("check.facts", facts=tuple(shown.values())) if shown else None


def _fact(what: Message, value: Any) -> Message:
    """ "vị trí = Phó Giám đốc": one fact the condition read, with the value the setup gives."""
    return msg("check.fact", field=what, value=phrase.value(None if value is UNKNOWN else value))


def _with_values(ctx: Context, condition: ast.Expr | None, rows: Rows, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for (_, record), item in zip(rows, items, strict=True):
        actual = _record_values(ctx, condition, record)
        if actual is not None:
            item["actual"] = actual
    return items


def check_constraint(ctx: Context, c: ast.Constraint) -> ConstraintResult:
    if isinstance(c, ast.That):
        status = _STATUS_OF[truth(ctx.value(c.expr))]
        facts = _facts_of(ctx, c.expr)
        cond = phrase.condition(c.expr)
        actual = msg("check.facts", facts=tuple(_fact(phrase.field(k), v) for k, v in facts)) if facts else msg("value.unknown")
        return ConstraintResult(
            status,
            cond,
            actual,
            [{"record": source_path(ctx.facts, k if k.startswith("centre") else f"centre.{k}"), "value": v, "role": "decides"} for k, v in facts],
            msg("check.that", condition=cond, actual=actual),
        )
    items = ctx.collection(c.collection)
    if items is UNKNOWN:
        return _missing(c.collection)
    if isinstance(c, ast.Count) and c.per:
        return _count_per(ctx, c, items)
    if isinstance(c, ast.Count):
        status, matched, uncertain = _decide_count(ctx, c, items)
        actual = _counted(len(matched), len(uncertain))
        expected = _expected(c)
        return ConstraintResult(
            status,
            expected,
            actual,
            _evidence(matched, c.collection, "counted") + _evidence(uncertain, c.collection, "uncertain"),
            msg("check.needs", expected=expected, actual=actual),
        )
    if isinstance(c, ast.RoleHeld):
        status, holders, uncertain_holders, offenders, unsure = _decide_role(ctx, c, items)
        role_condition = phrase.condition(c.where) if c.where else None
        counted = _counted(len(holders), len(uncertain_holders))
        actual = msg("check.holders_offending", holders=counted, offending=len(offenders)) if offenders else counted
        expected = _expected(c)
        return ConstraintResult(
            status,
            expected,
            actual,
            _evidence(holders, c.collection, "holder")
            + _with_values(ctx, c.where, offenders, _evidence(offenders, c.collection, "offends", role_condition))
            + _evidence(unsure + uncertain_holders, c.collection, "uncertain"),
            msg("check.needs", expected=expected, actual=actual),
        )
    if isinstance(c, ast.Every):
        status, matched, offenders, unsure = _decide_every(ctx, c, items)
        cond = phrase.condition(c.condition)
        expected = _expected(c)
        actual = msg("check.offending_of", offending=len(offenders), total=len(matched)) if matched else msg("check.no_records")
        return ConstraintResult(
            status,
            expected,
            actual,
            _with_values(ctx, c.condition, offenders, _evidence(offenders, c.collection, "offends", cond)) + _evidence(unsure, c.collection, "uncertain"),
            msg("check.needs", expected=expected, actual=actual),
        )
    if isinstance(c, ast.NoneOf):
        status, matched, uncertain = _decide_none(ctx, c, items)
        expected = _expected(c)
        actual = _counted(len(matched), len(uncertain))
        return ConstraintResult(
            status,
            expected,
            actual,
            _evidence(matched, c.collection, "offends") + _evidence(uncertain, c.collection, "uncertain"),
            msg("check.needs", expected=expected, actual=actual),
        )
    if isinstance(c, ast.AllOf):
        status, uncertain, missing = _decide_all(ctx, c, items)
        expected = _expected(c)
        actual = msg("check.missing_values", n=len(missing), field=phrase.field(c.field), values=tuple(missing)) if missing else msg("check.complete")
        return ConstraintResult(
            status,
            expected,
            actual,
            [{"record": source_path(ctx.facts, c.collection), "role": "missing", "detail": msg("check.missing_value", value=v)} for v in missing]
            + _evidence(uncertain, c.collection, "uncertain"),
            actual,
        )
    raise TypeError(f"unknown constraint {c!r}")  # pragma: no cover


# constraint → what it requires: static, so built once per constraint.
_EXPECTED: ByIdentity[Message] = ByIdentity(MEMO_LIMIT)


def _expected(c: ast.Count | ast.RoleHeld | ast.Every | ast.NoneOf | ast.AllOf) -> Message:
    """What constraint ``c`` requires, as the reader's phrase (the same for every setup)."""
    found = _EXPECTED.get(c)
    return found if found is not None else _EXPECTED.put(c, _requirement(c))


def _requirement(c: ast.Count | ast.RoleHeld | ast.Every | ast.NoneOf | ast.AllOf) -> Message:
    collection = phrase.field(c.collection)
    expected: Message
    if isinstance(c, ast.Count):
        expected = _how_many(c.cardinality, collection, c.where)
    elif isinstance(c, ast.RoleHeld):
        card = phrase.cardinality(c.cardinality)
        role_condition = phrase.condition(c.where) if c.where else None
        expected = msg("check.role_where", card=card, role=c.role, condition=role_condition) if role_condition else msg("check.role", card=card, role=c.role)
    elif isinstance(c, ast.Every):
        scope = msg("check.scope_where", collection=collection, where=phrase.condition(c.where)) if c.where else collection
        expected = msg("check.every", scope=scope, condition=phrase.condition(c.condition))
    elif isinstance(c, ast.NoneOf):
        expected = msg("check.none_of", scope=msg("check.scope_where", collection=collection, where=phrase.condition(c.where)) if c.where else collection)
    else:
        expected = msg("check.all_of", field=phrase.field(c.field), values=tuple(c.values))
    return expected


def _how_many(card: ast.Cardinality, collection: Message, where: ast.Expr | None) -> Message:
    """ "đúng 1 nhân sự có vị trí bắt đầu bằng “Giám đốc”"."""
    if where is None:
        return msg("check.how_many", card=phrase.cardinality(card), collection=collection)
    return msg("check.how_many_where", card=phrase.cardinality(card), collection=collection, where=phrase.condition(where))


def _count_per(ctx: Context, c: ast.Count, items: list[Mapping[str, Any]]) -> ConstraintResult:
    """``count … per FIELD``: the cardinality holds within each group of records sharing FIELD's value.

    The groups are the values FIELD takes in the whole collection (so a shift with none of the
    counted records is a group with 0). A counted or uncertain record without a value for FIELD
    could belong to any group, so it widens every group's range.
    """
    assert c.per is not None
    per = c.per
    matched, uncertain = _classify(ctx, c.collection, c.where, items)

    def key(value: Any) -> Any:
        return text_key(value) if isinstance(value, str) else repr(value)

    shown: dict[Any, Any] = {}
    for record in items:
        if record.get(per) is not None:
            shown.setdefault(key(record[per]), record[per])
    counted: dict[Any, Rows] = {k: [] for k in shown}
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
    parts: list[Message] = []
    evidence: list[dict[str, Any]] = []
    per_field = phrase.field(per)
    for k in sorted(shown, key=lambda k: (len(str(shown[k])), str(shown[k]))):
        n, extra = len(counted[k]), doubt[k] + floating
        status = _card_status(c.cardinality, n, n + extra)
        statuses.append(status)
        group = _fact(per_field, shown[k])
        parts.append(msg("check.group_count", group=group, count=_counted(n, extra)))
        if status is not Status.SATISFIED:
            evidence.extend(_evidence(counted[k], c.collection, "counted", group))
    evidence.extend(_evidence(uncertain, c.collection, "uncertain"))
    status = combine(statuses) if statuses else (Status.UNKNOWN if floating else Status.SATISFIED)
    actual = msg("check.groups", groups=tuple(parts)) if parts else _counted(0, floating)
    expected = msg("check.per", count=_how_many(c.cardinality, phrase.field(c.collection), c.where), per=per_field)
    return ConstraintResult(status, expected, actual, evidence, msg("check.needs", expected=expected, actual=actual))


def _contains_role(role: Any, wanted: str) -> bool:
    key = text_key(wanted)
    if type(role) is str:
        return text_key(role) == key
    roles = role if isinstance(role, (list, tuple)) else [role]
    return any(text_key(str(r)) == key for r in roles)


def _facts_of(ctx: Context, expr: ast.Expr) -> list[tuple[str, Any]]:
    """Each fact the condition reads, once, with the value the setup gives (None: not given)."""
    out: dict[str, Any] = {}
    for n in paths_of(expr):
        value = ctx.value(n)
        out.setdefault(str(n), None if value is UNKNOWN else value)
    return list(out.items())
