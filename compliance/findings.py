"""Verdicts → findings: the JSON shape that check, review and audit all share (DESIGN.md).

A finding has at least: rule, status, severity, document (official number), locator, text,
message, expected, actual, fix (each ``{vi, en}``; fix may be null), evidence. quyche adds:
kind, binding, document_id, steps (the trace, ``{vi, en}`` per event) and parameters. Every
text comes from the catalogue: the engine's messages are rendered here and only here.

An audit writes the findings that need attention (violated, unknown) in this full shape and the
others (satisfied, not applicable) compact: rule, kind, status, severity, binding, document,
document_id, locator (:class:`CompactFinding`), without reading their explanation, which the
engine builds only when read (``report(..., compact=True)``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from compliance.catalogue import both, name
from engine import Evaluation, Program, Status, Verdict, ast
from engine.facts import LABEL, REF
from engine.memo import forgettable
from engine.message import Message, msg
from engine.schedule import TIMEZONE

__all__ = [
    "AUDIT_EVIDENCE",
    "AuditFinding",
    "CompactFinding",
    "Evidence",
    "Finding",
    "Memo",
    "Report",
    "Text",
    "compact_finding",
    "counts",
    "exit_code",
    "finding",
    "finding_json",
    "marking",
    "needs_attention",
    "ordered",
    "plain",
    "report",
    "shown_evidence",
    "today_in_vietnam",
]


# The report's pydantic models (the JSON Schema of `quyche schema findings`, the web app's OpenAPI)
# live in compliance.report_schema: a check writes its report without importing pydantic.
_SCHEMA = ("AuditFinding", "CompactFinding", "Evidence", "Finding", "Report", "Text")

if TYPE_CHECKING:  # pragma: no cover
    from compliance.report_schema import AuditFinding, CompactFinding, Evidence, Finding, Report, Text


def __getattr__(name: str) -> Any:
    if name in _SCHEMA:
        from compliance import report_schema

        return getattr(report_schema, name)
    raise AttributeError(f"module 'compliance.findings' has no attribute {name!r}")


_ORDER = {"violated": 0, "unknown": 1, "satisfied": 2, "not_applicable": 3}


def plain(value: Any) -> Any:
    """Engine data as JSON data: messages as ``{vi, en}``, exact numbers as text, dates ISO."""
    if isinstance(value, Message):
        return both(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _evidence(item: dict[str, Any]) -> dict[str, Any]:
    """An evidence item as JSON: keys with no value are left out, except ``value`` (null: unknown)."""
    return {k: plain(v) for k, v in item.items() if v is not None or k == "value"}


# ---------------------------------------------------------------- findings as JSON text (audits)
# An audit writes thousands of findings whose pieces repeat from centre to centre (the same rule
# satisfied, the same week missing): each piece is encoded once per process and reused. The text
# is byte for byte json.dumps(finding(...), ensure_ascii=False, separators=(",", ":")).
K = TypeVar("K")
V = TypeVar("V")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


class Memo(Generic[K, V]):
    """A bounded memo that keeps what is in use: two generations of at most ``size`` entries; when
    the young one is full it becomes the old one (the older is dropped), and an old entry read
    again moves back to the young one. Memory stays flat however many centres an audit checks."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        found = self.young.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def clear(self) -> None:
        self.young, self.old = {}, {}

    def put(self, key: K, value: V) -> V:
        if len(self.young) >= self.size:
            self.old, self.young = self.young, {}
        self.young[key] = value
        return value


_compact_memo: Memo[tuple[Any, ...], str] = Memo(1024)  # a few entries per rule and status
_evidence_memo: Memo[tuple[Any, ...], str] = Memo(4096)
# Types whose equal values are written alike (not Decimal: 1.0 == 1; bool and int are told apart by type).
_KEYED = frozenset({str, int, bool, type(None), date, datetime, Message})


def marking() -> bool:
    """Whether names are being marked (the leak test's mode): part of every memo key of rendered text."""
    return name(" ") != " "


def _evidence_json(item: dict[str, Any], marked: bool) -> str:
    values = tuple(item.values())
    types = tuple(map(type, values))
    if _KEYED.issuperset(types):
        key = (tuple(item), types, values, marked)
        found = _evidence_memo.young.get(key)  # the usual case, without a call
        if found is None:
            found = _evidence_memo.get(key)
        return found if found is not None else _evidence_memo.put(key, _encode(_evidence(item)))
    return _encode(_evidence(item))  # a list or an exact amount as value: encoded each time


_head_memo: Memo[tuple[Any, ...], str] = Memo(1024)  # a rule's head (id … locator, provision text): a few per rule
_message_memo: Memo[tuple[Message, bool], str] = Memo(512)  # a message as {vi, en} JSON: expected, fix, shared details (few recur)
forgettable(_evidence_memo.clear)
forgettable(_message_memo.clear)


def _message_json(message: Message | None, marked: bool) -> str:
    """``plain(message)`` as JSON text, encoded once per process for a message that recurs."""
    if message is None:
        return "null"
    key = (message, marked)
    try:
        found = _message_memo.get(key)
    except TypeError:  # an argument that cannot be hashed (a list as data): encoded each time
        return _encode(both(message))
    return found if found is not None else _message_memo.put(key, _encode(both(message)))


def finding_json(
    program: Program, v: Verdict, facts: dict[str, Any] | None = None, steps: bool = True, compact: bool = False, evidence_limit: int | None = None
) -> str:
    """:func:`finding` (or :func:`compact_finding` when ``compact``) as compact JSON text.

    Byte for byte ``json.dumps`` of it: the same keys in the same order, each value encoded on
    its own; what is the same for every centre (a rule's head and provision text, its expected
    words and fix, the words of a missed week) is encoded once per process."""
    doc = program.documents.get(v.document)
    number = doc.number if doc and doc.number else v.document
    if compact:
        key = (v.id, v.kind, v.status, v.severity, v.binding, number, v.document, v.locator)
        found = _compact_memo.get(key)
        return found if found is not None else _compact_memo.put(key, _encode(compact_finding(program, v)))
    marked = marking()
    head_key = (v.id, v.kind, v.status, v.severity, v.binding, number, v.document, v.locator, v.text)
    head = _head_memo.get(head_key)
    if head is None:
        head = _head_memo.put(head_key, _encode({**compact_finding(program, v), "text": v.text})[:-1])
    missing = missing_facts(program, v, facts)
    message, actual = v.message, v.actual
    if missing is not None:
        message = msg("missing.message", message=message, missing=missing)
        actual = msg("missing.actual", actual=actual, missing=missing) if actual is not None else missing
    shown, omitted = shown_evidence(v, evidence_limit)
    parts = [
        head,
        ',"message":',
        _message_json(message, marked),
        ',"expected":',
        _message_json(v.expected, marked),
        ',"actual":',
        _message_json(actual, marked),
        ',"evidence":[',
        ",".join([_evidence_json(e, marked) for e in shown]),
        "]",
        f',"evidence_omitted":{omitted}' if omitted else "",
        ',"fix":',
        _message_json(v.fix, marked),
    ]
    if steps:
        parts += [',"steps":[', ",".join([_message_json(m, marked) for m in v.trace]), "]"]
    parts += [',"parameters":', _encode(v.parameters), "}"]
    return "".join(parts)


def finding(program: Program, v: Verdict, facts: dict[str, Any] | None = None, steps: bool = True) -> dict[str, Any]:
    """One verdict as the contract's finding (the shape of :class:`Finding`; without its
    derivation ``steps`` when not asked for, and then the trace is never rendered)."""
    return _finding(program, v, facts, steps)


def compact_finding(program: Program, v: Verdict) -> dict[str, Any]:
    """One verdict as a :class:`CompactFinding`: reads none of the verdict's explanation."""
    doc = program.documents.get(v.document)
    return {
        "rule": v.id,
        "kind": v.kind,
        "status": v.status.value,
        "severity": v.severity,
        "binding": v.binding,
        "document": doc.number if doc and doc.number else v.document,
        "document_id": v.document,
        "locator": v.locator,
    }


_NAMED = 10  # records named in a "facts missing" line; the others are counted

# Evidence items an audit writes per finding (the rest counted in ``evidence_omitted``) unless
# --full: a centre that missed 150 weekly reports needs the count and the first ones, not 150 lines.
AUDIT_EVIDENCE = 20


_read_memo: Memo[int, tuple[ast.Rule, list[str]]] = Memo(4096)  # id(rule) → (the rule, kept so the id is not reused; its fields)


def _fields_read(rule: ast.Rule) -> list[str]:
    """The fields and collections a rule's conditions read, in order (worked out once per rule)."""
    found = _read_memo.get(id(rule))
    if found is not None and found[0] is rule:
        return found[1]
    nodes = list(ast.walk((rule.requires, rule.when)))
    read = list(
        dict.fromkeys([n.parts[0] for n in nodes if isinstance(n, ast.Path)] + [c for n in nodes if isinstance(c := getattr(n, "collection", None), str)])
    )
    _read_memo.put(id(rule), (rule, read))
    return read


# (id(rule), collection) → (the rule, kept so the id is not reused; each field of the collection
# the rule reads, with the fields it reads of the items of a nested list in it): the same for every setup.
_fields_memo: Memo[tuple[int, str], tuple[ast.Rule, tuple[tuple[str, tuple[str, ...]], ...]]] = Memo(4096)


def _fields_of(rule: ast.Rule, collection: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The fields of ``collection``'s records that ``rule`` reads, each with the fields it reads inside a nested list."""
    found = _fields_memo.get((id(rule), collection))
    if found is not None and found[0] is rule:
        return found[1]
    from compliance.setup_facts import vocabulary

    read = _fields_read(rule)
    words = vocabulary()
    known, nested = words.collections.get(collection, frozenset()), words.nested
    fields = tuple((field, tuple(f for f in read if f in nested.get(field, frozenset()))) for field in read if field in known)
    _fields_memo.put((id(rule), collection), (rule, fields))
    return fields


_last_records: list[tuple[dict[str, Any], dict[Any, dict[str, Any]]]] = []  # the last setup's facts and their index


def _records_by_ref(facts: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    """The setup's records by their path (``staff[2]``), indexed once per setup, not per finding."""
    if _last_records and _last_records[0][0] is facts:
        return _last_records[0][1]
    index = {r.get(REF): r for rows in facts.values() if isinstance(rows, list) for r in rows if isinstance(r, dict)}
    _last_records[:] = [(facts, index)]
    return index


def missing_facts(program: Program, v: Verdict, facts: dict[str, Any] | None) -> Message | None:
    """For a rule left unknown, which facts its uncertain records lack, naming the records.

    "thiếu thông tin khoản phụ cấp của 9 người: …": the fields the rule reads that a record
    listed as uncertain in the evidence leaves out (None or absent), grouped by field.
    """
    rule = program.rules.get(v.id)
    if facts is None or rule is None or v.status is not Status.UNKNOWN:
        return None
    unsure = [str(e["record"]) for e in v.evidence if e.get("role") == "uncertain" and e.get("record")]
    if not unsure:
        return None
    records = _records_by_ref(facts)
    lacking: dict[tuple[str, str], list[str]] = {}
    for ref in dict.fromkeys(unsure):
        record = records.get(ref)
        if record is None:
            continue
        collection = ref.split("[", 1)[0]
        for field, inner in _fields_of(rule, collection):
            value = record.get(field)
            if value is None:
                gaps = [field]
            elif inner and isinstance(value, list):
                # A nested list (allowances) given with an item that leaves out a field the rule reads.
                gaps = [f"{field}.{f}" for f in inner if any(isinstance(i, dict) and i.get(f) is None for i in value)]
            else:
                continue
            for gap in gaps:
                lacking.setdefault((collection, gap), []).append(str(record.get(LABEL) or ref))
    if not lacking:
        return None
    parts = []
    for (collection, field), who in lacking.items():
        named: tuple[Message | str, ...] = tuple(who[:_NAMED])
        if len(who) > _NAMED:
            named += (msg("missing.more", count=len(who) - _NAMED),)
        unit = "missing.people" if collection == "staff" else "missing.records"
        label = (
            msg("missing.nested", field=msg(f"field.{field.split('.')[1]}"), within=msg(f"field.{field.split('.')[0]}"))
            if "." in field
            else msg(f"field.{field}")
        )
        parts.append(msg("missing.of", field=label, count=len(who), unit=msg(unit), who=named))
    return msg("missing.facts", items=tuple(parts))


def shown_evidence(v: Verdict, limit: int | None) -> tuple[list[dict[str, Any]], int]:
    """The evidence a report writes (the first ``limit`` items, all when None) and how many it
    leaves out: only the items written are built (engine.verdict.Verdict.evidence_upto)."""
    items, total = v.evidence_upto(limit)
    return items, total - len(items)


def _finding(
    program: Program, v: Verdict, facts: dict[str, Any] | None = None, steps: bool = True, evidence: bool = True, evidence_limit: int | None = None
) -> dict[str, Any]:
    missing = missing_facts(program, v, facts)
    message, actual = v.message, v.actual
    if missing is not None:
        message = msg("missing.message", message=message, missing=missing)
        actual = msg("missing.actual", actual=actual, missing=missing) if actual is not None else missing
    out = compact_finding(program, v)
    out["text"] = v.text
    out["message"] = both(message)
    out["expected"] = plain(v.expected)
    out["actual"] = plain(actual)
    if evidence:
        shown, omitted = shown_evidence(v, evidence_limit)
        out["evidence"] = [_evidence(e) for e in shown]
        if omitted:
            out["evidence_omitted"] = omitted
    out["fix"] = plain(v.fix)
    if steps:
        out["steps"] = [both(m) for m in v.trace]
    out["parameters"] = v.parameters
    return out


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    """How many verdicts have each status, in report order."""
    return {status: sum(1 for v in verdicts if v.status.value == status) for status in _ORDER}


_ATTENTION = frozenset({Status.VIOLATED, Status.UNKNOWN})


def ordered(evaluation: Evaluation) -> list[Verdict]:
    """The verdicts in the order reports list them: violated, unknown, satisfied, not applicable."""
    return sorted(evaluation.verdicts, key=lambda v: (_ORDER[v.status.value], v.document, v.id))


def needs_attention(v: Verdict) -> bool:
    """Violated or unknown: what an audit explains in full."""
    return v.status in _ATTENTION


def report(
    program: Program,
    evaluation: Evaluation,
    setup_name: str,
    facts: dict[str, Any] | None = None,
    *,
    compact: bool = False,
    steps: bool = True,
    evidence_limit: int | None = None,
) -> dict[str, Any]:
    """The `quyche check --format json` object: as_of, setup, documents, findings, summary.

    ``summary`` counts the findings of binding documents (what the exit code follows);
    ``proposed`` counts those of drafts, which are information only. An audit asks for
    ``compact`` findings of the rules that need no attention, may leave the ``steps`` out, and
    writes at most ``evidence_limit`` evidence items a finding (``evidence_omitted`` counts the rest).
    """
    verdicts = ordered(evaluation)
    data: dict[str, Any] = {
        "as_of": evaluation.as_of.isoformat(),
        "setup": setup_name,
        "documents": [program.documents[d].number or d for d in evaluation.documents],
        "findings": [
            _finding(program, v, facts, steps, evidence_limit=evidence_limit) if not compact or v.status in _ATTENTION else compact_finding(program, v)
            for v in verdicts
        ],
        "summary": counts([v for v in verdicts if v.binding]),
        "proposed": counts([v for v in verdicts if not v.binding]),
    }
    return data


def exit_code(evaluation: Evaluation | list[Verdict]) -> int:
    """0 when no binding rule is violated, 1 otherwise (a draft's findings never fail a check).

    The one exit-code rule of check and explain (given the verdicts explained)."""
    verdicts = evaluation.verdicts if isinstance(evaluation, Evaluation) else evaluation
    return 1 if any(v.status.value == "violated" and v.binding for v in verdicts) else 0


def today_in_vietnam() -> date:
    """Today's date in Asia/Ho_Chi_Minh, the default as-of date."""
    return datetime.now(TIMEZONE).date()
