"""Program + facts + a date → verdicts: honest, three-valued evaluation with its evidence.

Facts are plain data (a mapping: ``centre`` → dict, each collection → list of dicts); a key the
setup does not give is *unknown*, never false. Each rule, obligation and pilot becomes a
:class:`Verdict` whose status is satisfied, violated, not_applicable or unknown, with the
records that decided it, the parameter values used, and the steps of its derivation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from engine import ast
from engine.printer import format_expr
from engine.program import Program
from engine.reorganisation import Reorganisation, normalise_name, reorganisation_verdicts
from engine.schedule import describe_deadline, describe_due, is_on_time, local, occurrences, period_label
from engine.text import text_key

__all__ = ["Status", "Verdict", "Evaluation", "evaluate", "UNKNOWN", "doc_in_force", "obligation_window", "Context"]


class Status(str, Enum):
    SATISFIED = "satisfied"
    VIOLATED = "violated"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class _Unknown:
    """The value of a fact the setup does not give."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"


UNKNOWN: Any = _Unknown()
Facts = Mapping[str, Any]


@dataclass
class Verdict:
    id: str
    kind: str  # rule | obligation | pilot
    document: str
    status: Status
    locator: str | None
    text: str | None
    severity: str = "error"
    binding: bool = True
    message: dict[str, str] = field(default_factory=dict)
    expected: str | None = None
    actual: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    fix: dict[str, str] | None = None
    steps: list[dict[str, str]] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Evaluation:
    as_of: date
    documents: list[str]  # ids of documents applied
    verdicts: list[Verdict]

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for v in self.verdicts:
            counts[v.status.value] += 1
        return counts

    @property
    def violated(self) -> bool:
        return any(v.status is Status.VIOLATED and v.binding for v in self.verdicts)


# ---------------------------------------------------------------- three-valued logic
def _and(values: Sequence[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values: Sequence[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _truth(value: Any) -> bool | None:
    if value is UNKNOWN or value is None:
        return None
    if isinstance(value, bool):
        return value
    return bool(value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, (float, str)):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def _show(value: Any) -> str:
    if value is UNKNOWN or value is None:
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}".replace(",", ".")
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


class Context:
    def __init__(self, program: Program, facts: Facts, when: date) -> None:
        self.program = program
        self.facts = facts
        self.when = when
        # What had ceased by ``when`` (regulations/events): recipients, reporters, the centre's unit.
        self.reorganisation = Reorganisation(list(program.events.values()), when)
        self.params_used: dict[str, dict[str, Any]] = {}

    def centre(self) -> Mapping[str, Any]:
        centre = self.facts.get("centre")
        return centre if isinstance(centre, Mapping) else {}

    def collection(self, name: str, record: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]] | Any:
        source = record if record is not None and name in record else self.facts
        value = source.get(name, UNKNOWN)
        if value is None:
            return UNKNOWN
        return value

    # -- expressions
    def value(self, expr: ast.Expr | None, record: Mapping[str, Any] | None = None) -> Any:
        if expr is None:
            return True
        if isinstance(expr, ast.Literal):
            return expr.value
        if isinstance(expr, ast.ListExpr):
            return [self.value(item, record) for item in expr.items]
        if isinstance(expr, ast.Path):
            return self._path(expr, record)
        if isinstance(expr, ast.Compare):
            return self._compare(expr.op, self.value(expr.left, record), self.value(expr.right, record))
        if isinstance(expr, ast.InList):
            item = self.value(expr.item, record)
            if item is UNKNOWN:
                return None
            found = _or([self._compare("=", item, self.value(o, record)) for o in expr.options.items])
            return (None if found is None else not found) if expr.negated else found
        if isinstance(expr, ast.Contains):
            return self._contains(self.value(expr.container, record), self.value(expr.item, record))
        if isinstance(expr, ast.StartsWith):
            text, prefix = self.value(expr.text, record), self.value(expr.prefix, record)
            if text is UNKNOWN or prefix is UNKNOWN:
                return None
            return text_key(str(text)).startswith(text_key(str(prefix)))
        if isinstance(expr, ast.And):
            return _and([_truth(self.value(i, record)) for i in expr.items])
        if isinstance(expr, ast.Or):
            return _or([_truth(self.value(i, record)) for i in expr.items])
        if isinstance(expr, ast.Not):
            inner = _truth(self.value(expr.item, record))
            return None if inner is None else not inner
        if isinstance(expr, ast.Arith):
            return self._arith(expr.op, self.value(expr.left, record), self.value(expr.right, record))
        if isinstance(expr, ast.CountExpr):
            items = self.collection(expr.collection, record)
            if items is UNKNOWN:
                return UNKNOWN
            truths = [_truth(self.value(expr.where, r)) for r in items]
            if any(t is None for t in truths):
                return UNKNOWN
            return Decimal(sum(1 for t in truths if t))
        if isinstance(expr, ast.SumExpr):
            items = self.collection(expr.collection, record)
            if items is UNKNOWN:
                return UNKNOWN
            total = Decimal(0)
            for r in items:
                t = _truth(self.value(expr.where, r))
                if t is None:
                    return UNKNOWN
                if t:
                    n = _number(r.get(expr.field))
                    if n is None:
                        return UNKNOWN
                    total += n
            return total
        raise TypeError(f"unknown expression {expr!r}")  # pragma: no cover

    def _path(self, path: ast.Path, record: Mapping[str, Any] | None) -> Any:
        head, rest = path.parts[0], path.parts[1:]
        if head == "centre":
            current: Any = self.centre()
        elif record is not None and head in record:
            current = record[head]
        elif head in self.program.parameters:
            value = self.program.parameter_at(head, self.when)
            if value is None:
                return UNKNOWN
            param = self.program.parameters[head]
            self.params_used[head] = {"parameter": head, "title": param.title, "value": str(value.value),
                                      "from": value.start.isoformat(), "source": value.source,
                                      "as_of": self.when.isoformat()}
            current = value.value
        else:
            return UNKNOWN
        for part in rest:
            if not isinstance(current, Mapping) or part not in current:
                return UNKNOWN
            current = current[part]
        return UNKNOWN if current is None else current

    @staticmethod
    def _compare(op: str, left: Any, right: Any) -> bool | None:
        if left is UNKNOWN or right is UNKNOWN:
            return None
        if isinstance(left, str) and isinstance(right, str):
            a, b = text_key(left), text_key(right)
            return {"=": a == b, "!=": a != b}.get(op, None) if op in ("=", "!=") else _order(op, a, b)
        if isinstance(left, bool) or isinstance(right, bool):
            if op == "=":
                return left is right
            if op == "!=":
                return left is not right
            return None
        ln, rn = _number(left), _number(right)
        if ln is not None and rn is not None:
            return _order(op, ln, rn)
        if isinstance(left, (date, datetime)) and isinstance(right, (date, datetime)):
            return _order(op, left, right)
        return {"=": False, "!=": True}.get(op)

    @staticmethod
    def _contains(container: Any, item: Any) -> bool | None:
        if container is UNKNOWN or item is UNKNOWN:
            return None
        needle = text_key(str(item))
        if isinstance(container, (list, tuple)):
            return any(needle in text_key(str(element)) for element in container)
        return needle in text_key(str(container))

    @staticmethod
    def _arith(op: str, left: Any, right: Any) -> Any:
        ln, rn = _number(left), _number(right)
        if ln is None or rn is None:
            return UNKNOWN
        if op == "+":
            return ln + rn
        if op == "-":
            return ln - rn
        if op == "*":
            return ln * rn
        return UNKNOWN if rn == 0 else ln / rn


def _order(op: str, a: Any, b: Any) -> bool:
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _ref(record: Mapping[str, Any], collection: str, index: int) -> dict[str, Any]:
    out = {"record": record.get("_ref", f"{collection}[{index}]")}
    if record.get("_label"):
        out["label"] = record["_label"]
    return out


# ---------------------------------------------------------------- constraints
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
    return _Result(Status.UNKNOWN, "", "?", [],
                   f"thiết lập không cung cấp danh sách '{collection}'",
                   f"the setup gives no '{collection}' list")


def _classify(ctx: Context, collection: str, where: ast.Expr | None, items: list[Mapping[str, Any]]
              ) -> tuple[list[tuple[int, Mapping[str, Any]]], list[tuple[int, Mapping[str, Any]]]]:
    matched, uncertain = [], []
    for i, record in enumerate(items):
        t = _truth(ctx.value(where, record))
        if t is True:
            matched.append((i, record))
        elif t is None:
            uncertain.append((i, record))
    return matched, uncertain


def _evidence(rows: list[tuple[int, Mapping[str, Any]]], collection: str, role: str, detail: str = "") -> list[dict[str, Any]]:
    out = []
    for i, record in rows:
        item = _ref(record, collection, i)
        item["role"] = role
        if detail:
            item["detail"] = detail
        out.append(item)
    return out


def _check(ctx: Context, c: ast.Constraint) -> _Result:
    if isinstance(c, ast.That):
        t = _truth(ctx.value(c.expr))
        status = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNKNOWN}[t]
        facts = _facts_of(ctx, c.expr)
        actual = "; ".join(f"{k} = {v}" for k, v in facts) or "?"
        return _Result(status, _describe_expr(c.expr), actual,
                       [{"record": f"centre.{k}" if not k.startswith("centre") else k, "value": v, "role": "decides"}
                        for k, v in facts],
                       f"điều kiện {_describe_expr(c.expr)}: thực tế {actual}",
                       f"condition {_describe_expr(c.expr)}: actual {actual}")
    items = ctx.collection(c.collection)
    if items is UNKNOWN:
        return _missing(c.collection)
    if isinstance(c, ast.Count) and c.per:
        return _count_per(ctx, c, items)
    if isinstance(c, ast.Count):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        status = _card_status(c.cardinality, len(matched), len(matched) + len(uncertain))
        actual = str(len(matched)) + (f" (+{len(uncertain)} ?)" if uncertain else "")
        what = _describe_expr(c.where) if c.where else c.collection
        return _Result(status, c.cardinality.describe(), actual,
                       _evidence(matched, c.collection, "counted") + _evidence(uncertain, c.collection, "uncertain"),
                       f"cần {c.cardinality.describe('vi')} {c.collection} thỏa [{what}]; thiết lập có {actual}",
                       f"needs {c.cardinality.describe()} {c.collection} with [{what}]; the setup has {actual}")
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
            t = _truth(ctx.value(c.where, record))
            if t is False:
                offenders.append((i, record))
            elif t is None:
                unsure.append((i, record))
        filter_status = Status.VIOLATED if offenders else (Status.UNKNOWN if unsure else Status.SATISFIED)
        status = _combine([count_status, filter_status])
        cond = _describe_expr(c.where) if c.where else ""
        actual = f"{len(holders)}" + (f" (+{len(uncertain_holders)} ?)" if uncertain_holders else "")
        if offenders:
            actual += f"; {len(offenders)} không đạt điều kiện / not meeting the condition"
        return _Result(status, f"{c.cardinality.describe()} holder(s) of '{c.role}'" + (f" with [{cond}]" if cond else ""),
                       actual,
                       _evidence(holders, c.collection, "holder") + _evidence(offenders, c.collection, "offends", cond)
                       + _evidence(unsure + uncertain_holders, c.collection, "uncertain"),
                       f"vai trò '{c.role}' cần {c.cardinality.describe('vi')} người" + (f" thỏa [{cond}]" if cond else "")
                       + f"; thiết lập có {actual}",
                       f"role '{c.role}' needs {c.cardinality.describe()} holder(s)" + (f" with [{cond}]" if cond else "")
                       + f"; the setup has {actual}")
    if isinstance(c, ast.Every):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        offenders, unsure = [], list(uncertain)
        for i, record in matched:
            t = _truth(ctx.value(c.condition, record))
            if t is False:
                offenders.append((i, record))
            elif t is None:
                unsure.append((i, record))
        status = Status.VIOLATED if offenders else (Status.UNKNOWN if unsure else Status.SATISFIED)
        cond = _describe_expr(c.condition)
        scope = f" [{_describe_expr(c.where)}]" if c.where else ""
        actual = f"{len(offenders)} / {len(matched)} không đạt" if matched else "không có bản ghi nào / no records"
        return _Result(status, f"every {c.collection}{scope}: {cond}", actual,
                       _evidence(offenders, c.collection, "offends", cond) + _evidence(unsure, c.collection, "uncertain"),
                       f"mọi {c.collection}{scope} phải thỏa [{cond}]; {len(offenders)} không đạt",
                       f"every {c.collection}{scope} must satisfy [{cond}]; {len(offenders)} do not")
    if isinstance(c, ast.NoneOf):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        status = Status.VIOLATED if matched else (Status.UNKNOWN if uncertain else Status.SATISFIED)
        what = _describe_expr(c.where) if c.where else c.collection
        return _Result(status, f"no {c.collection} with [{what}]", str(len(matched)),
                       _evidence(matched, c.collection, "offends") + _evidence(uncertain, c.collection, "uncertain"),
                       f"không được có {c.collection} thỏa [{what}]; thiết lập có {len(matched)}",
                       f"no {c.collection} may have [{what}]; the setup has {len(matched)}")
    if isinstance(c, ast.AllOf):
        matched, uncertain = _classify(ctx, c.collection, c.where, items)
        present = {text_key(str(r.get(c.field))) for _, r in matched if r.get(c.field) is not None}
        missing = [v for v in c.values if text_key(v) not in present]
        if not missing:
            status = Status.SATISFIED
        elif uncertain or any(r.get(c.field) is None for _, r in matched):
            status = Status.UNKNOWN
        else:
            status = Status.VIOLATED
        return _Result(status, f"{c.field}: " + "; ".join(c.values),
                       "thiếu / missing: " + "; ".join(missing) if missing else "đủ / complete",
                       [{"record": c.collection, "role": "missing", "detail": v} for v in missing]
                       + _evidence(uncertain, c.collection, "uncertain"),
                       f"thiếu {len(missing)} {c.field}: " + "; ".join(missing) if missing else "đủ các thành phần",
                       f"{len(missing)} {c.field} missing: " + "; ".join(missing) if missing else "all present")
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
        return text_key(value) if isinstance(value, str) else _show(value)

    shown: dict[Any, str] = {}
    for record in items:
        if record.get(per) is not None:
            shown.setdefault(key(record[per]), _show(record[per]))
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
    status = _combine(statuses) if statuses else (Status.UNKNOWN if floating else Status.SATISFIED)
    actual = "; ".join(parts) or (f"0 (+{floating} ?)" if floating else "0")
    what = _describe_expr(c.where) if c.where else c.collection
    return _Result(status, f"{c.cardinality.describe()} per {per}", actual, evidence,
                   f"cần {c.cardinality.describe('vi')} {c.collection} thỏa [{what}] mỗi {per}; thiết lập có {actual}",
                   f"needs {c.cardinality.describe()} {c.collection} with [{what}] per {per}; the setup has {actual}")


def _contains_role(role: Any, wanted: str) -> bool:
    roles = role if isinstance(role, (list, tuple)) else [role]
    return any(text_key(str(r)) == text_key(wanted) for r in roles)


def _facts_of(ctx: Context, expr: ast.Expr) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, ast.Path):
            out.append((str(node), _show(ctx.value(node))))
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    walk(getattr(node, name))

    walk(expr)
    return list(dict.fromkeys(out))  # a fact named twice in the condition is shown once


def _describe_expr(expr: ast.Expr | None) -> str:
    """The expression as DSL text, numbers written the Vietnamese way: what a reviewer reads."""
    return format_expr(expr, human=True)


def _combine(statuses: Sequence[Status]) -> Status:
    if any(s is Status.VIOLATED for s in statuses):
        return Status.VIOLATED
    if any(s is Status.UNKNOWN for s in statuses):
        return Status.UNKNOWN
    if statuses and all(s is Status.NOT_APPLICABLE for s in statuses):
        return Status.NOT_APPLICABLE
    return Status.SATISFIED


# ---------------------------------------------------------------- documents and time
def doc_in_force(doc: ast.Document, when: date) -> tuple[bool, dict[str, str] | None]:
    """Whether ``doc`` is in force on ``when``; if not, why (vi/en)."""
    if doc.signed is not None and when < doc.signed:
        return False, {"vi": f"văn bản {doc.label} chưa được ký ban hành vào ngày {when:%d/%m/%Y} (ký ngày {doc.signed:%d/%m/%Y})",
                       "en": f"{doc.label} had not been signed on {when.isoformat()} (signed {doc.signed.isoformat()})"}
    start = doc.effective or doc.signed
    if start is not None and when < start:
        return False, {"vi": f"văn bản {doc.label} chưa có hiệu lực vào ngày {when:%d/%m/%Y} (hiệu lực từ {start:%d/%m/%Y})",
                       "en": f"{doc.label} is not in force on {when.isoformat()} (in force from {start.isoformat()})"}
    if doc.status == "temporary" and doc.pilot and doc.pilot.until and when > doc.pilot.until:
        return False, {"vi": f"quy chế tạm thời {doc.label} chỉ áp dụng đến hết {doc.pilot.until:%d/%m/%Y}",
                       "en": f"temporary regulation {doc.label} applied only until {doc.pilot.until.isoformat()}"}
    return True, None


def _applies(ctx: Context, doc: ast.Document) -> bool | None:
    if doc.status == "cited":
        return False
    if doc.applies is None:
        return None if not _governing(ctx, doc) else True
    return _truth(ctx.value(doc.applies.condition))


def _governing(ctx: Context, doc: ast.Document) -> bool:
    listed = ctx.centre().get("governing_documents") or []
    keys = {text_key(str(x)) for x in listed}
    return text_key(doc.id) in keys or (doc.number is not None and text_key(doc.number) in keys)


def _base(item: ast.Rule | ast.Obligation, doc: ast.Document, kind: str) -> Verdict:
    binding = doc.status != "draft"
    fix = None
    if item.fix or item.fix_en:
        fix = {"vi": item.fix or item.fix_en or "", "en": item.fix_en or item.fix or ""}
    return Verdict(id=item.id, kind=kind, document=doc.id, status=Status.UNKNOWN,
                   locator=str(item.locator) if item.locator else None, text=item.text,
                   severity=item.severity if binding else "info", binding=binding, fix=fix)


def _summary(item: ast.Rule | ast.Obligation) -> tuple[str, str]:
    vi = item.summary or item.summary_en or item.id
    en = item.summary_en or item.summary or item.id
    return vi, en


def _not_applicable(v: Verdict, reason: dict[str, str], summary: tuple[str, str]) -> Verdict:
    v.status = Status.NOT_APPLICABLE
    v.message = {"vi": f"{summary[0]} — không áp dụng: {reason['vi']}", "en": f"{summary[1]} — not applicable: {reason['en']}"}
    v.steps.append({"vi": reason["vi"], "en": reason["en"]})
    _draft_prefix(v)
    return v


def _draft_prefix(v: Verdict) -> None:
    if not v.binding:
        v.message = {"vi": "[Đề xuất, chưa ban hành] " + v.message["vi"],
                     "en": "[Proposed, not enacted] " + v.message["en"]}


def _rule_verdict(ctx: Context, rule: ast.Rule, doc: ast.Document, gate: dict[str, str] | None,
                  overridden_by: str | None) -> Verdict:
    v = _base(rule, doc, "rule")
    summary = _summary(rule)
    if gate is not None:
        return _not_applicable(v, gate, summary)
    if overridden_by is not None:
        return _not_applicable(v, {"vi": f"được thay thế bởi quy định {overridden_by}",
                                   "en": f"overridden by {overridden_by}"}, summary)
    ctx.params_used = {}
    if rule.when is not None:
        applies = _truth(ctx.value(rule.when))
        v.steps.append({"vi": f"điều kiện áp dụng [{_describe_expr(rule.when)}]: {_show(applies)}",
                        "en": f"applicability [{_describe_expr(rule.when)}]: {_show(applies)}"})
        if applies is False:
            return _not_applicable(v, {"vi": f"điều kiện [{_describe_expr(rule.when)}] không thỏa",
                                       "en": f"condition [{_describe_expr(rule.when)}] does not hold"}, summary)
        if applies is None:
            v.status = Status.UNKNOWN
            v.message = {"vi": f"{summary[0]} — chưa đủ dữ kiện để biết quy định có áp dụng không",
                         "en": f"{summary[1]} — the setup lacks the facts to tell whether this applies"}
            _draft_prefix(v)
            return v
    results = [_check(ctx, c) for c in rule.requires]
    v.status = _combine([r.status for r in results])
    deciding = [r for r in results if r.status is v.status] or results
    v.expected = "; ".join(r.expected for r in results if r.expected)
    v.actual = "; ".join(r.actual for r in results)
    for r in results:
        v.evidence.extend(r.evidence)
        v.steps.append({"vi": f"{r.vi} → {r.status.value}", "en": f"{r.en} → {r.status.value}"})
    v.parameters = list(ctx.params_used.values())
    v.steps.extend(_parameter_steps(ctx, rule))
    lead_vi = {"satisfied": "Đạt", "violated": "Vi phạm", "unknown": "Chưa đủ dữ kiện"}[v.status.value]
    lead_en = {"satisfied": "Satisfied", "violated": "Violated", "unknown": "Unknown"}[v.status.value]
    v.message = {"vi": f"{lead_vi}: {summary[0]} ({'; '.join(r.vi for r in deciding)})",
                 "en": f"{lead_en}: {summary[1]} ({'; '.join(r.en for r in deciding)})"}
    _draft_prefix(v)
    return v


def _parameter_steps(ctx: Context, rule: ast.Rule) -> list[dict[str, str]]:
    """Each computation on dated parameters alone, resolved for the date: "1,5 * luong_co_so = 3.510.000"."""
    found: list[ast.Arith] = []

    def walk(node: Any) -> None:
        if isinstance(node, ast.Arith):
            paths = list(_paths_in(node))
            if paths and all(p.parts[0] in ctx.program.parameters for p in paths):
                found.append(node)
                return
        if isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    walk(getattr(node, name))

    walk((rule.requires, rule.when))
    steps: list[dict[str, str]] = []
    for node in dict.fromkeys(found):
        text = f"{_describe_expr(node)} = {_show(ctx.value(node))}"
        used = [ctx.params_used[p.parts[0]] for p in _paths_in(node) if p.parts[0] in ctx.params_used]
        basis = "; ".join(f"{u['parameter']} = {_show(Decimal(u['value']))} từ {u['from']}, {u['source']}" for u in used)
        basis_en = "; ".join(f"{u['parameter']} = {_show(Decimal(u['value']))} from {u['from']}, {u['source']}" for u in used)
        steps.append({"vi": f"{text} (ngày {ctx.when:%d/%m/%Y}: {basis})", "en": f"{text} (as of {ctx.when.isoformat()}: {basis_en})"})
    return steps


def _paths_in(node: Any) -> list[ast.Path]:
    if isinstance(node, ast.Path):
        return [node]
    if isinstance(node, tuple):
        return [p for item in node for p in _paths_in(item)]
    if hasattr(node, "__dataclass_fields__"):
        return [p for name in node.__dataclass_fields__ if name != "span" for p in _paths_in(getattr(node, name))]
    return []


def _as_date(value: Any) -> date | datetime | None:
    """A filing date or time from the setup, as local (Asia/Ho_Chi_Minh) time."""
    if isinstance(value, (date, datetime)):
        return local(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
        return local(parsed)
    return None


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _instant(value: date | datetime | None) -> tuple[bool, datetime]:
    """A sort key putting unknown dates last and a bare date at the start of its day."""
    if value is None:
        return True, datetime.max
    return False, value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


def _extended(doc: ast.Document, centre: Mapping[str, Any]) -> bool:
    """Whether the setup records a document extending ``doc``'s pilot."""
    extensions = [str(x) for x in centre.get("pilot_extensions") or []]
    return any(text_key(doc.id) == text_key(x) or (doc.number is not None and text_key(doc.number) in text_key(x))
               for x in extensions)


def obligation_window(doc: ast.Document, centre: Mapping[str, Any]) -> tuple[date | None, date | None]:
    """The dates between which ``doc``'s obligations fall due (None: open).

    From the later of signing and entry into force; until the end of the document's pilot,
    unless the setup records an extension: after the end, the pilot finding speaks for the
    centre, and no report is expected under a regime that has ended.
    """
    starts = [d for d in (doc.signed, doc.effective) if d is not None]
    end = doc.pilot.until if doc.pilot and doc.pilot.until and not _extended(doc, centre) else None
    return (max(starts) if starts else None), end


def _obligation_verdict(ctx: Context, ob: ast.Obligation, doc: ast.Document, gate: dict[str, str] | None) -> Verdict:
    v = _base(ob, doc, "obligation")
    summary = _summary(ob)
    if gate is not None:
        return _not_applicable(v, gate, summary)
    if ob.when is not None:
        applies = _truth(ctx.value(ob.when))
        if applies is False:
            return _not_applicable(v, {"vi": f"điều kiện [{_describe_expr(ob.when)}] không thỏa",
                                       "en": f"condition [{_describe_expr(ob.when)}] does not hold"}, summary)
    v.expected = "; ".join(describe_deadline(d, "en") for d in ob.deadlines)
    if all(d.kind == "unstated" for d in ob.deadlines):
        v.status = Status.UNKNOWN
        v.severity = "info" if v.binding else v.severity
        v.message = {"vi": f"{summary[0]} — văn bản không nêu thời hạn, không thể kiểm tra đúng hạn",
                     "en": f"{summary[1]} — the text states no deadline, so timeliness cannot be checked"}
        _draft_prefix(v)
        return v
    log = ctx.collection(ob.record)
    if log is UNKNOWN:
        v.status = Status.UNKNOWN
        v.message = {"vi": f"{summary[0]} — thiết lập không có nhật ký '{ob.record}'",
                     "en": f"{summary[1]} — the setup gives no '{ob.record}' log"}
        _draft_prefix(v)
        return v
    centre = ctx.centre()
    short = ob.id.split(".", 1)[1] if "." in ob.id else ob.id
    mine = [(i, r) for i, r in enumerate(log)
            if text_key(str(r.get("obligation", ""))) in (text_key(ob.id), text_key(short))]
    doc_start, doc_end = obligation_window(doc, centre)
    since, until = _as_date(centre.get("records_since")), _as_date(centre.get("records_until"))
    starts = [d for d in (doc_start, _day(since) if since else None) if d is not None]
    start = max(starts) if starts else ctx.when
    end = min(ctx.when, doc_end) if doc_end else ctx.when
    records_end = _day(until) if until else None
    if doc_end is not None and doc_end < ctx.when:
        v.steps.append({"vi": f"thí điểm kết thúc ngày {doc_end:%d/%m/%Y} và không có văn bản gia hạn: các kỳ đến hạn sau đó "
                              "không được kiểm tra (xem kết luận về thời gian thí điểm)",
                        "en": f"the pilot ended on {doc_end.isoformat()} with no extension recorded: periods due after it are "
                              "not checked (see the pilot finding)"})
    reporter = ctx.reorganisation.lookup(ob.by, centre) if ob.by else None
    by_period: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for i, r in mine:
        by_period.setdefault(str(r.get("period", "")).strip(), []).append((i, r))
    expected_periods: set[str] = set()
    statuses: list[Status] = []
    for deadline in ob.deadlines:
        for occ in occurrences(deadline, start, end):
            expected_periods.add(occ.period)
            due_vi, due_en = describe_due(occ, "vi"), describe_due(occ, "en")
            due_iso = occ.due.isoformat(timespec="minutes") if occ.timed else occ.due_date.isoformat()
            rows = sorted(((i, r, _as_date(r.get("filed"))) for i, r in by_period.get(occ.period, [])),
                          key=lambda row: _instant(row[2]))
            # As of the date asked, a filing made after it had not happened yet.
            known = [row for row in rows if row[2] is None or _day(row[2]) <= ctx.when]
            if not known:
                later = f" (gửi sau ngày đánh giá: {_day(rows[0][2]).isoformat()})" if rows else ""
                excuse: tuple[str, str] | None = None
                if records_end is not None and occ.due_date > records_end:
                    excuse = (f"nhật ký của thiết lập chỉ đầy đủ đến ngày {records_end:%d/%m/%Y}",
                              f"the setup's logs are complete only until {records_end.isoformat()}")
                elif reporter is not None and occ.due_date >= reporter.ceased.on:
                    excuse = (f"cơ quan báo cáo ({ob.by}) không còn từ ngày {reporter.ceased.on:%d/%m/%Y} ({reporter.ceased.source})",
                              f"the reporting body ({ob.by}) ceased on {reporter.ceased.on.isoformat()} ({reporter.ceased.source})")
                if excuse is not None:
                    statuses.append(Status.UNKNOWN)
                    v.evidence.append({"record": f"{ob.record}:{occ.period}", "role": "uncertain", "due": due_iso,
                                       "detail": f"kỳ {occ.period}: không có bản ghi, hạn {due_vi}; {excuse[0]} / "
                                                 f"period {occ.period}: no record, due {due_en}; {excuse[1]}"})
                else:
                    statuses.append(Status.VIOLATED)
                    v.evidence.append({"record": f"{ob.record}:{occ.period}", "role": "missing", "due": due_iso,
                                       "detail": f"thiếu kỳ {occ.period}, hạn {due_vi}{later} / "
                                                 f"missing for {occ.period}, due {due_en}{later}"})
                continue
            i, record, filed = known[0]
            if filed is None:
                statuses.append(Status.UNKNOWN)
                v.evidence.append({**_ref(record, ob.record, i), "role": "uncertain", "due": due_iso,
                                   "detail": f"kỳ {occ.period}: không rõ ngày gửi, hạn {due_vi} / "
                                             f"period {occ.period}: filing date not given, due {due_en}"})
                continue
            on_time = is_on_time(occ, filed)
            status = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNKNOWN}[on_time]
            missing_to, notes = _recipient_gaps(ctx, ob, record, _day(filed))
            if missing_to and status is Status.SATISFIED:
                status = Status.VIOLATED
            statuses.append(status)
            early = on_time is False and occ.window_start is not None and _day(filed) < occ.window_start
            role = {Status.SATISFIED: "on_time", Status.UNKNOWN: "uncertain",
                    Status.VIOLATED: ("early" if early else "late") if on_time is False else "wrong_recipient"}[status]
            shown = filed.isoformat(sep=" ", timespec="minutes") if isinstance(filed, datetime) else filed.isoformat()
            detail = f"kỳ {occ.period}: gửi {shown}, hạn {due_vi} / period {occ.period}: filed {shown}, due {due_en}"
            if on_time is None:
                detail += "; không rõ giờ gửi / the time of filing is not given"
            if missing_to:
                detail += "; thiếu nơi nhận / missing recipients: " + ", ".join(missing_to)
            if notes:
                detail += "; " + "; ".join(notes)
            v.evidence.append({**_ref(record, ob.record, i), "role": role, "due": due_iso, "filed": shown, "detail": detail})
    for period, rows in sorted(by_period.items()):
        if period in expected_periods or any(_period_matches_shape(d, period, period_label) for d in ob.deadlines):
            continue  # a period of the right shape outside the window checked is not an error
        statuses.append(Status.VIOLATED)
        for i, record in rows:
            v.evidence.append({**_ref(record, ob.record, i), "role": "wrong_period",
                               "detail": f"kỳ '{period}' không khớp chu kỳ của nghĩa vụ / period '{period}' does not match the schedule"})
    v.status = _combine(statuses) if statuses else Status.SATISFIED
    counts = {role: sum(1 for e in v.evidence if e["role"] in roles) for role, roles in
              (("missing", ("missing",)), ("late", ("late", "early")), ("wrong", ("wrong_period", "wrong_recipient")),
               ("uncertain", ("uncertain",)))}
    v.actual = (f"{len(statuses)} kỳ đến hạn / periods due; thiếu {counts['missing']}, trễ {counts['late']}, "
                f"sai {counts['wrong']}, chưa rõ {counts['uncertain']}")
    deadlines_vi = "; ".join(describe_deadline(d, "vi") for d in ob.deadlines)
    deadlines_en = "; ".join(describe_deadline(d, "en") for d in ob.deadlines)
    v.steps.insert(0, {"vi": f"kỳ kiểm tra từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}; hạn: {deadlines_vi}",
                       "en": f"checked from {start.isoformat()} to {end.isoformat()}; deadline: {deadlines_en}"})
    for e in v.evidence:
        v.steps.append({"vi": e["detail"], "en": e["detail"]})
    lead_vi = {"satisfied": "Đạt", "violated": "Vi phạm", "unknown": "Chưa đủ dữ kiện"}[v.status.value]
    lead_en = {"satisfied": "Satisfied", "violated": "Violated", "unknown": "Unknown"}[v.status.value]
    first = next((e for e in v.evidence if e["role"] in ("missing", "late", "early", "wrong_recipient")), None)
    tail_vi = tail_en = ""
    if first is not None:
        vi_part, _, en_part = first["detail"].partition(" / ")
        tail_vi, tail_en = f"; đầu tiên: {vi_part}", f"; first: {en_part or vi_part}"
    unsure = counts["uncertain"]
    unsure_vi, unsure_en = (f", chưa rõ {unsure}", f", {unsure} uncertain") if unsure else ("", "")
    v.message = {"vi": f"{lead_vi}: {summary[0]} (thiếu {counts['missing']}, trễ {counts['late']}, sai {counts['wrong']}"
                       f"{unsure_vi}{tail_vi})",
                 "en": f"{lead_en}: {summary[1]} ({counts['missing']} missing, {counts['late']} late, {counts['wrong']} wrong"
                       f"{unsure_en}{tail_en})"}
    _draft_prefix(v)
    return v


def _period_matches_shape(deadline: ast.Deadline, period: str, label: Any) -> bool:
    """Whether ``period`` is a label this schedule could ever produce (e.g. 2024-H1 for 25/6, 25/12)."""
    try:
        year = int(period[:4])
    except ValueError:
        return False
    labels = {label(deadline, date(year, m, 15)) for m in range(1, 13)}
    if deadline.kind == "weekday" or (deadline.kind == "every" and deadline.unit == "week"):
        return period.startswith(f"{year}-W") and period[6:].isdigit() and 1 <= int(period[6:]) <= 53
    return period in labels


def _recipient_gaps(ctx: Context, ob: ast.Obligation, record: Mapping[str, Any], filed_on: date) -> tuple[list[str], list[str]]:
    """Recipients the law names that the record does not show, and notes on the reorganisation.

    A report sent to the successor of a recipient that had ceased by the filing date counts as
    sent to it; a recipient that had ceased with no known successor is not required.
    """
    sent = record.get("to")
    if sent is None:
        return [], []
    sent_list = list(sent) if isinstance(sent, (list, tuple)) else [sent]
    keys = [normalise_name(str(s)) for s in sent_list + list(record.get("cc") or [])]

    def reached(name: str) -> bool:
        wanted = normalise_name(name)
        return any(k and (f" {wanted} " in f" {k} " or f" {k} " in f" {wanted} ") for k in keys)

    missing: list[str] = []
    notes: list[str] = []
    for name in ob.to + ob.cc:
        if reached(name):
            continue
        match = ctx.reorganisation.lookup(name, ctx.centre(), on=filed_on)
        if match is None:
            missing.append(name)
            continue
        ceased = match.ceased
        if ceased.successor is None:
            notes.append(f"{name} không còn từ {ceased.on:%d/%m/%Y}, chưa rõ nơi nhận thay thế / "
                         f"{name} ceased on {ceased.on.isoformat()}, successor unknown ({ceased.source})")
        elif reached(ceased.successor):
            notes.append(f"gửi {ceased.successor} thay cho {name} / sent to {ceased.successor}, successor of {name} "
                         f"({ceased.on.isoformat()}, {ceased.source})")
        else:
            missing.append(f"{name} (nay / now {ceased.successor})")
    return missing, notes


def _pilot_verdict(ctx: Context, doc: ast.Document) -> Verdict:
    assert doc.pilot is not None
    prov = doc.pilot.provenance
    v = Verdict(id=f"{doc.id}.pilot", kind="pilot", document=doc.id, status=Status.UNKNOWN,
                locator=str(prov.locator), text=prov.text, severity="error" if doc.status != "draft" else "info",
                binding=doc.status != "draft")
    until = doc.pilot.until
    if until is None:
        v.status = Status.UNKNOWN
        v.severity = "warning"
        v.expected = "an end date for the pilot"
        v.actual = "none stated"
        v.message = {"vi": f"Quy chế {doc.label} chỉ áp dụng trong thời gian thử nghiệm nhưng không nêu ngày kết thúc",
                     "en": f"{doc.label} applies only during the pilot but states no end date"}
        v.fix = {"vi": "Đề nghị cơ quan ban hành xác định thời hạn thử nghiệm.",
                 "en": "Ask the issuer to fix the pilot's end date."}
        return v
    v.expected = f"pilot ends {until.isoformat()}"
    if ctx.when <= until:
        v.status = Status.SATISFIED
        v.actual = f"as of {ctx.when.isoformat()}: pilot running"
        v.message = {"vi": f"Đạt: thời gian thí điểm theo {doc.label} kéo dài đến hết {until:%d/%m/%Y}",
                     "en": f"Satisfied: the pilot under {doc.label} runs until {until.isoformat()}"}
        return v
    centre = ctx.centre()
    extensions = [str(x) for x in centre.get("pilot_extensions") or []]
    extended = any(text_key(doc.id) == text_key(x) or (doc.number and text_key(doc.number) in text_key(x))
                   for x in extensions)
    operating = centre.get("operating")
    v.actual = f"as of {ctx.when.isoformat()}: operating = {_show(operating if operating is not None else UNKNOWN)}"
    if extended:
        v.status = Status.SATISFIED
        v.evidence.append({"record": "centre.pilot_extensions", "role": "decides", "value": extensions})
        v.message = {"vi": f"Đạt: thí điểm theo {doc.label} đã hết hạn {until:%d/%m/%Y} nhưng có văn bản gia hạn",
                     "en": f"Satisfied: the pilot under {doc.label} ended {until.isoformat()} but an extension is recorded"}
    elif operating is False:
        v.status = Status.SATISFIED
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": False})
        v.message = {"vi": f"Đạt: thí điểm kết thúc {until:%d/%m/%Y} và Trung tâm không còn hoạt động theo văn bản này",
                     "en": f"Satisfied: the pilot ended {until.isoformat()} and the centre no longer operates under it"}
    elif operating is True:
        v.status = Status.VIOLATED
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": True})
        v.message = {"vi": f"Vi phạm: thời gian thí điểm theo {doc.label} ({prov.locator}) đã kết thúc ngày {until:%d/%m/%Y}; "
                           "Trung tâm vẫn hoạt động mà không có văn bản gia hạn",
                     "en": f"Violated: the pilot under {doc.label} ({prov.locator}) ended on {until.isoformat()}; "
                           "the centre still operates with no extension recorded"}
        v.fix = {"vi": "Trình cấp có thẩm quyền đánh giá, quyết định gia hạn hoặc chuyển sang mô hình chính thức.",
                 "en": "Have the competent body evaluate the pilot and extend it or make the centre permanent."}
    else:
        v.status = Status.UNKNOWN
        v.message = {"vi": f"Thí điểm theo {doc.label} đã kết thúc ngày {until:%d/%m/%Y}; thiết lập không cho biết Trung tâm còn hoạt động không",
                     "en": f"The pilot under {doc.label} ended on {until.isoformat()}; the setup does not say whether the centre still operates"}
    v.steps.append({"vi": f"thí điểm đến hết {until:%d/%m/%Y}; ngày đánh giá {ctx.when:%d/%m/%Y}",
                    "en": f"pilot until {until.isoformat()}; evaluated as of {ctx.when.isoformat()}"})
    return v


def evaluate(program: Program, facts: Facts, as_of: date) -> Evaluation:
    """Evaluate every applicable document's rules, obligations and pilot against ``facts``."""
    ctx = Context(program, facts, as_of)
    verdicts: list[Verdict] = []
    applied: list[str] = []
    active_rules: dict[str, bool] = {}
    gates: dict[str, dict[str, str] | None] = {}
    for doc in sorted(program.documents.values(), key=lambda d: d.id):
        applies = _applies(ctx, doc)
        if applies is False or (applies is None and doc.applies is None):
            continue
        applied.append(doc.id)
        in_force, why = doc_in_force(doc, as_of)
        gate = why
        if gate is not None and doc.status == "temporary" and doc.pilot is not None and doc.pilot.until is not None \
                and as_of > doc.pilot.until and _extended(doc, ctx.centre()):
            gate = None  # the setup records a document extending the temporary regulation's pilot
        if applies is None:
            # Rules of a document in force still evaluate; the applicability doubt is reported here.
            # A document not yet signed or in force stays not applicable whatever the doubt.
            verdicts.append(Verdict(id=f"{doc.id}.applicability", kind="applicability", document=doc.id,
                                    status=Status.UNKNOWN,
                                    locator=str(doc.applies.provenance.locator) if doc.applies and doc.applies.provenance else None,
                                    text=doc.applies.provenance.text if doc.applies and doc.applies.provenance else None,
                                    severity="warning", binding=doc.status != "draft",
                                    message={"vi": f"Chưa đủ dữ kiện để biết {doc.label} có áp dụng cho Trung tâm không",
                                             "en": f"The setup lacks the facts to tell whether {doc.label} applies to this centre"},
                                    expected=_describe_expr(doc.applies.condition) if doc.applies else None))
        gates[doc.id] = gate
        for rule in program.rules.values():
            if rule.document == doc.id:
                active_rules[rule.id] = gate is None and (rule.when is None or _truth(ctx.value(rule.when)) is True)
    overridden: dict[str, str] = {}
    for rule in program.rules.values():
        if active_rules.get(rule.id):
            for ref in rule.overrides:
                target = ref if ref in program.rules else f"{rule.document}.{ref}"
                overridden[target] = rule.id
    for doc_id in applied:
        doc = program.documents[doc_id]
        gate = gates[doc_id]
        for rule in sorted((r for r in program.rules.values() if r.document == doc_id), key=lambda r: r.id):
            verdicts.append(_rule_verdict(ctx, rule, doc, gate, overridden.get(rule.id)))
        for ob in sorted((o for o in program.obligations.values() if o.document == doc_id), key=lambda o: o.id):
            verdicts.append(_obligation_verdict(ctx, ob, doc, gate))
        start = doc.effective or doc.signed
        if doc.pilot is not None and (start is None or as_of >= start):
            verdicts.append(_pilot_verdict(ctx, doc))
    # As of a date after a 2025 reorganisation event: what ceased, and what replaced it (never a violation).
    verdicts.extend(reorganisation_verdicts(ctx.reorganisation, program, facts, [d for d in applied if gates[d] is None]))
    return Evaluation(as_of=as_of, documents=applied, verdicts=verdicts)
