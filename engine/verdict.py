"""Verdicts: the four statuses, the verdict of one rule with its evidence and trace, and how verdicts combine.

A status is ``satisfied``, ``violated``, ``not_applicable`` or ``unknown`` (the setup lacks the
facts to decide: never reported as passed). A draft's verdicts are proposals: not binding,
severity info, and their messages say so. Every text a verdict carries is a
:class:`engine.message.Message` (a catalogue key and its arguments); its ``trace`` is the list of
events that decided it (applicability, constraints, parameters, occurrences, overrides, outcome).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from itertools import repeat
from typing import Any, Generic, TypeVar, overload

from engine import ast
from engine.memo import ByIdentity
from engine.message import Message, msg

__all__ = [
    "Status",
    "UNKNOWN",
    "Facts",
    "Verdict",
    "Evaluation",
    "new_verdict",
    "own_words",
    "summary_of",
    "fix_of",
    "reason_of",
    "word_keys",
    "status_word",
    "mark_not_applicable",
    "mark_proposed",
    "mark_unknown",
    "combine",
    "finish",
]


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
_NONE = msg("check.none")
_COMPARED = ("id", "kind", "document", "status", "locator", "text", "severity", "binding", "message", "expected", "actual", "evidence", "fix", "trace")


# Filled in on first read of a verdict's explanation (see Verdict.explain_with).
ExplainStep = Callable[["Verdict"], object]
T = TypeVar("T")


_LATER = object()  # an item not built yet is (_LATER, key, build, args): a plain tuple is cheap to make


def _is_later(item: object) -> bool:
    return type(item) is tuple and len(item) == 4 and item[0] is _LATER


class _Span:
    """``count`` items not built yet, made together by ``build()`` (events of ``key``)."""

    __slots__ = ("key", "count", "build")

    def __init__(self, key: str, count: int, build: Callable[[], list[Any]]) -> None:
        self.key, self.count, self.build = key, count, build


class Deferred(Generic[T]):
    """A list whose items may be built on first read: its length is known at once.

    An obligation missed every week since 2021 has 1,400 evidence items and as many trace
    events; a report that shows the first 20 builds those 20 (:meth:`Verdict.evidence_upto`),
    and reading the whole list (``Verdict.evidence``) builds the rest, the same items in the
    same order. A ``build`` must depend on its arguments only. ``key`` says what an item will be
    (the catalogue key of a trace event), so that a reader looking for other events skips it."""

    __slots__ = ("_items", "_spans", "_extra")

    def __init__(self, items: list[T] | None = None) -> None:
        self._items: list[Any] = list(items or ())
        self._spans = 0  # _Span entries in _items
        self._extra = 0  # items more than one in those entries

    def append(self, item: T) -> None:
        self._items.append(item)

    def insert(self, index: int, item: T) -> None:
        if index != 0:  # the first place is the same with or without spans before it built
            self._unspan()
        self._items.insert(index, item)

    def later(self, key: str, build: Callable[..., T], *args: Any) -> None:
        """Add the item ``build(*args)``, built when first read."""
        self._items.append((_LATER, key, build, args))

    def later_each(self, key: str, build: Callable[[Any], T], args: Sequence[Any]) -> None:
        """Add ``build(a)`` for each ``a`` of ``args``, each built when first read."""
        self._items.extend(zip(repeat(_LATER), repeat(key), repeat(build), zip(args)))

    def later_span(self, key: str, count: int, build: Callable[[], list[T]]) -> None:
        """Add ``count`` items, ``build()``, built together when any of them is first read."""
        if count:
            self._items.append(_Span(key, count, build))
            self._spans += 1
            self._extra += count - 1

    def __len__(self) -> int:
        return len(self._items) + self._extra

    def _unspan(self) -> None:
        """Build the spans, so that every entry is one item."""
        if not self._spans:
            return
        items: list[Any] = []
        for x in self._items:
            if type(x) is _Span:
                made = x.build()
                assert len(made) == x.count, "a span built another number of items than it said"
                items.extend(made)
                self._spans -= 1
                self._extra -= x.count - 1
            else:
                items.append(x)
        self._items = items

    def item(self, index: int) -> T:
        if self._spans:
            self._unspan()
        found = self._items[index]
        if _is_later(found):
            found = self._items[index] = found[2](*found[3])
        return found  # type: ignore[no-any-return]

    def head(self, n: int) -> list[T]:
        """The first ``n`` items (built now if they were not)."""
        return [self.item(i) for i in range(min(n, len(self)))]

    def built(self) -> list[T]:
        """Every item, built."""
        return self.head(len(self))

    def keyed(self, key: str) -> list[T]:
        """The items that are, or will be once built, events of ``key`` (only those are built)."""
        out: list[T] = []
        for x in self._items:
            if type(x) is _Span:
                if x.key == key:
                    out.extend(x.build())
            elif not _is_later(x):
                out.append(x)
            elif x[1] == key:
                out.append(x[2](*x[3]))
        return out


class _Explained(Generic[T]):
    """A part of a verdict's explanation: reading or setting it first runs the explanation's steps.

    ``empty`` makes the value the first time it is read unset (a list: most verdicts never need one)."""

    def __init__(self, empty: Callable[[], T] | None = None) -> None:
        self.empty = empty

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, verdict: None, owner: type) -> _Explained[T]: ...
    @overload
    def __get__(self, verdict: Verdict, owner: type) -> T: ...
    def __get__(self, verdict: Verdict | None, owner: type) -> T | _Explained[T]:
        if verdict is None:
            return self
        if verdict._pending:
            verdict._explain()
        value = getattr(verdict, self.slot)
        if type(value) is Deferred:  # read as a whole: every item built
            value = value.built()
            setattr(verdict, self.slot, value)
        elif value is None and self.empty is not None:
            value = self.empty()
            setattr(verdict, self.slot, value)
        return value  # type: ignore[no-any-return]

    def __set__(self, verdict: Verdict, value: T) -> None:
        if verdict._pending:
            verdict._explain()
        setattr(verdict, self.slot, value)


class Verdict:
    """One decision: what was decided (id, status, severity …) and, built when first read, why.

    Evaluation decides statuses only; the explanation (``message``, ``expected``, ``actual``,
    ``evidence``, ``fix``, ``trace``) is built by the steps given to :meth:`explain_with`, run in
    order the first time any of them is read. A report that shows a verdict pays for its
    explanation; an audit that only counts passes does not. The steps read the facts the
    verdict was decided on, which must not change in between.
    """

    __slots__ = (
        "id",
        "kind",
        "document",
        "status",
        "locator",
        "text",
        "severity",
        "binding",
        "_message",
        "_expected",
        "_actual",
        "_evidence",
        "_fix",
        "_trace",
        "_pending",
    )

    def __init__(
        self,
        id: str,
        kind: str,  # rule | obligation | pilot | applicability | reorganisation
        document: str,
        status: Status,
        locator: str | None,
        text: str | None,
        severity: str = "error",
        binding: bool = True,
        message: Message | None = None,
        expected: Message | None = None,
        actual: Message | None = None,
        evidence: list[dict[str, Any]] | None = None,
        fix: Message | None = None,
        trace: list[Message] | None = None,
    ) -> None:
        self.id = id
        self.kind = kind
        self.document = document
        self.status = status
        self.locator = locator
        self.text = text
        self.severity = severity
        self.binding = binding
        self._message = message if message is not None else _NONE
        self._expected = expected
        self._actual = actual
        self._evidence: list[dict[str, Any]] | Deferred[dict[str, Any]] | None = (
            evidence  # the lists are made when first needed: most verdicts are never explained
        )
        self._fix = fix
        self._trace: list[Message] | Deferred[Message] | None = trace
        # Steps not yet run (() none yet); None once they have run.
        self._pending: list[ExplainStep] | tuple[()] | None = ()

    def explain_with(self, step: ExplainStep) -> None:
        """Add ``step`` to the explanation: run on first read (at once if it has been read)."""
        if self._pending is None:
            step(self)
        elif self._pending:
            self._pending.append(step)
        else:
            self._pending = [step]

    message: _Explained[Message] = _Explained()
    expected: _Explained[Message | None] = _Explained()
    actual: _Explained[Message | None] = _Explained()
    evidence: _Explained[list[dict[str, Any]]] = _Explained(list)
    fix: _Explained[Message | None] = _Explained()
    trace: _Explained[list[Message]] = _Explained(list)

    def defer(self, evidence: Deferred[dict[str, Any]], trace: Deferred[Message]) -> None:
        """Set the evidence and the trace as lists built when read (see :meth:`evidence_upto`)."""
        self._evidence, self._trace = evidence, trace

    def evidence_upto(self, limit: int | None) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` evidence items (all when None) and how many there are in all:
        only those shown are built when the explanation deferred them."""
        if self._pending:
            self._explain()
        items = self._evidence
        if type(items) is Deferred and limit is not None:
            return items.head(limit), len(items)
        every = self.evidence
        return (every if limit is None or len(every) <= limit else every[:limit]), len(every)

    def add_event(self, event: Message, first: bool = False) -> None:
        """Add an event to the trace, last (or ``first``), without building a deferred trace."""
        if self._pending:
            self._explain()
        trace = self._trace
        if trace is None:
            trace = self._trace = []
        if first:
            trace.insert(0, event)
        else:
            trace.append(event)

    def _explain(self) -> None:
        steps = self._pending
        self._pending = None
        for step in steps or ():
            step(self)

    def __repr__(self) -> str:
        return f"Verdict(id={self.id!r}, kind={self.kind!r}, status={self.status.value})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in _COMPARED)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    @property
    def parameters(self) -> list[dict[str, Any]]:
        """The dated parameters the decision used, read off the trace (one entry per parameter)."""
        seen: dict[str, dict[str, Any]] = {}
        if self._pending:
            self._explain()
        trace = self._trace
        events = trace.keyed("trace.parameter") if type(trace) is Deferred else self.trace
        for event in events:
            if event.key == "trace.parameter":
                a = event.as_dict()
                seen.setdefault(
                    str(a["parameter"]),
                    {
                        "parameter": a["parameter"],
                        "title": a["title"] or None,
                        "value": str(a["value"]),
                        "from": a["since"].isoformat() if isinstance(a["since"], date) else a["since"],
                        "source": a["source"],
                        "as_of": a["as_of"].isoformat() if isinstance(a["as_of"], date) else a["as_of"],
                    },
                )
        return list(seen.values())


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


def own_words(vi: str | None, en: str | None) -> Message | None:
    """A text the rule's author wrote in each language (a summary, a fix): quoted as written."""
    if not vi and not en:
        return None
    return msg("text.own", vi=vi or en or "", en=en or vi or "")


# A statement's own words (its summary, its fix, a gap's reason) live in the catalogue under its
# rule id (compliance/catalogue/rules/<document>.toml): the engine names them, never writes them.
def summary_of(item: ast.Rule | ast.Obligation | ast.Claim) -> Message:
    """What the statement requires, in plain words: ``rule.<id>.summary``."""
    found = _SUMMARIES.get(item.id)
    if found is None:
        if len(_SUMMARIES) >= 16_384:  # programs built again and again (a server reviewing drafts)
            _SUMMARIES.clear()
        found = _SUMMARIES[item.id] = msg(f"rule.{item.id}.summary")
    return found


# rule id → its summary: one message object for every setup (so rendering it again is one look-up by identity).
_SUMMARIES: dict[str, Message] = {}


def fix_of(item: ast.Rule | ast.Obligation) -> Message | None:
    """How to comply: ``rule.<id>.fix``; none for an obligation with no stated deadline (it is never late)."""
    if isinstance(item, ast.Obligation) and all(d.kind == "unstated" for d in item.deadlines):
        return None
    return msg(f"rule.{item.id}.fix")


def reason_of(gap: ast.Gap) -> Message:
    """Why a provision is deliberately not modelled: ``rule.<id>.reason``."""
    return msg(f"rule.{gap.id}.reason")


def word_keys(program_items: Sequence[ast.Rule | ast.Obligation | ast.Claim | ast.Gap]) -> list[str]:
    """Every catalogue key the statements need: the check that no rule is left without its words."""
    keys: list[str] = []
    for item in program_items:
        if isinstance(item, ast.Gap):
            keys.append(reason_of(item).key)
            continue
        keys.append(summary_of(item).key)
        fix = fix_of(item) if not isinstance(item, ast.Claim) else None
        if fix is not None:
            keys.append(fix.key)
    return keys


def status_word(status: Status) -> Message:
    return _STATUS_WORDS[status]


# Messages are immutable: the words of each status, and the last event of a trace, built once.
_STATUS_WORDS: dict[Status, Message] = {s: msg(f"status.{s.value}") for s in Status}
_OUTCOMES: dict[Status, Message] = {s: msg("trace.outcome", status=_STATUS_WORDS[s]) for s in Status}


def new_verdict(item: ast.Rule | ast.Obligation, doc: ast.Document, kind: str) -> Verdict:
    binding = doc.status != "draft"
    shown = _SHOWN.get(item)
    if shown is None:
        shown = _SHOWN.put(item, (str(item.locator) if item.locator else None, fix_of(item)))
    return Verdict(
        id=item.id,
        kind=kind,
        document=doc.id,
        status=Status.UNKNOWN,
        locator=shown[0],
        text=item.text,
        severity=item.severity if binding else "info",
        binding=binding,
        fix=shown[1],
    )


# statement → (its locator as text, its fix): the same for every setup.
_SHOWN: ByIdentity[tuple[str | None, Message | None]] = ByIdentity(100_000)


def finish(v: Verdict) -> Verdict:
    """The last event of every trace is the outcome; a draft's message says it is a proposal."""
    v.add_event(_OUTCOMES[v.status])
    mark_proposed(v)
    return v


def mark_not_applicable(v: Verdict, reason: Message, summary: Message) -> Verdict:
    v.status = Status.NOT_APPLICABLE
    v.message = msg("check.not_applicable", summary=summary, reason=reason)
    v.trace.append(reason)
    return finish(v)


def mark_unknown(v: Verdict, reason: Message, summary: Message) -> Verdict:
    """The setup lacks the facts to decide: say which, never report it as passed."""
    v.status = Status.UNKNOWN
    v.message = msg("check.undecided", summary=summary, reason=reason)
    v.trace.append(reason)
    return finish(v)


def mark_proposed(v: Verdict) -> None:
    if not v.binding:
        v.message = msg("check.proposed", inner=v.message)


def combine(statuses: Sequence[Status]) -> Status:
    """Violated wins, then unknown; not applicable only when every part is; else satisfied."""
    unknown = False
    applicable = not statuses
    for s in statuses:
        if s is Status.VIOLATED:
            return Status.VIOLATED
        if s is Status.UNKNOWN:
            unknown = True
        elif s is not Status.NOT_APPLICABLE:
            applicable = True
    if unknown:
        return Status.UNKNOWN
    return Status.SATISFIED if applicable else Status.NOT_APPLICABLE
