"""The typed AST of the quyche DSL: what a regulation file says, with where it says it.

The parser (engine.parser) builds these frozen dataclasses from Lark's parse tree; the graph
(engine.graph) and the evaluator (engine.evaluate) read them. Every node keeps its ``Span``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import FrozenInstanceError, field
from datetime import date, time
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, Union

__all__ = [
    "walk",
    "Span",
    "Provenance",
    "Locator",
    "Literal",
    "ListExpr",
    "Path",
    "Compare",
    "InList",
    "Contains",
    "StartsWith",
    "And",
    "Or",
    "Not",
    "Arith",
    "CountExpr",
    "SumExpr",
    "Expr",
    "Cardinality",
    "Count",
    "Every",
    "NoneOf",
    "RoleHeld",
    "AllOf",
    "That",
    "Constraint",
    "OVER_RECORDS",
    "Link",
    "Pilot",
    "Applicability",
    "Document",
    "Rule",
    "Deadline",
    "Obligation",
    "Claim",
    "Gap",
    "ParameterValue",
    "Parameter",
    "Change",
    "Event",
    "Module",
]


# ---------------------------------------------------------------- node classes
# Every node class is a frozen dataclass (``dataclasses.fields``, ``replace``, ``asdict``, equality
# and hashing on the compared fields, immutable). ``dataclasses.dataclass(frozen=True)`` writes six
# methods per class as source text and compiles them at every start-up (about 16 ms for these 37
# classes, a tenth of a cold ``quyche check``); here the same methods are shared functions, and
# nothing is compiled. Type checkers see the standard decorator.
_Node = TypeVar("_Node", bound=type)


def _frozen_dataclass(*, frozen: bool = True) -> Callable[[_Node], _Node]:
    def wrap(cls: _Node) -> _Node:
        if cls.__doc__ is None:  # else dataclass computes one from the signature, slowly
            cls.__doc__ = f"{cls.__name__}({', '.join(cls.__dict__.get('__annotations__', {}))})"
        dataclasses.dataclass(init=False, repr=False, eq=False)(cls)  # the fields, their defaults, __match_args__; no code
        fields = dataclasses.fields(cls)
        names = tuple(f.name for f in fields)
        compared = tuple(f.name for f in fields if f.compare)
        # A tuple of the compared fields, as dataclass compares and hashes them (one field: twice, still a tuple).
        key = attrgetter(*compared, *compared[:1] * (len(compared) == 1)) if compared else _no_fields
        defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        if any(f.default_factory is not dataclasses.MISSING for f in fields):
            raise TypeError(f"{cls.__qualname__}: default_factory is not supported here")
        methods = {
            "__init__": _init(cls.__qualname__, names, defaults),
            "__eq__": _eq(key),
            "__hash__": _hash(key),
            "__repr__": _repr(tuple(f.name for f in fields if f.repr)),
            "__setattr__": _frozen_setattr,
            "__delattr__": _frozen_delattr,
        }
        for name, method in methods.items():
            setattr(cls, name, method)
        return cls

    return wrap


def _no_fields(node: object) -> tuple[()]:
    return ()


def _init(qualname: str, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    count, known = len(names), frozenset(names)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > count:
            raise TypeError(f"{qualname}.__init__() takes {count + 1} positional arguments but {len(args) + 1} were given")
        if kwargs and not kwargs.keys() <= known:
            raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {min(kwargs.keys() - known)!r}")
        values = self.__dict__  # set as a frozen dataclass's __init__ does, past the frozen __setattr__
        for i, name in enumerate(names):
            if i < len(args):
                if name in kwargs:
                    raise TypeError(f"{qualname}.__init__() got multiple values for argument {name!r}")
                values[name] = args[i]
            elif name in kwargs:
                values[name] = kwargs[name]
            elif name in defaults:
                values[name] = defaults[name]
            else:
                raise TypeError(f"{qualname}.__init__() missing 1 required positional argument: {name!r}")

    return init


def _eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], Any]:
    def eq(self: Any, other: object) -> Any:  # bool, or NotImplemented for another class
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return eq


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def hash_(self: Any) -> int:
        return hash(key(self))

    return hash_


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def repr_(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"

    return repr_


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    dataclass = _frozen_dataclass


def walk(node: object) -> Iterator[object]:
    """Every node inside ``node`` (itself included), pre-order: expressions, constraints,
    cardinalities, and the items of tuples; source spans are skipped. One walker for every
    analysis (numbers, paths, collections, parameters) instead of one recursion each."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple):
            stack.extend(reversed(current))
            continue
        if current is None or isinstance(current, (str, int, Decimal, date, time)):
            continue
        yield current
        fields = getattr(current, "__dataclass_fields__", None)
        if fields:
            stack.extend(getattr(current, name) for name in reversed(list(fields)) if name != "span")


@dataclass(frozen=True)
class Span:
    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# Compiled on first use (re caches them): only parsing reads locators, a cached program never does.
_ARTICLE = r"Điều\s+(\d+)"
_CLAUSE = r"khoản\s+(\d+)"
_POINT = r"điểm\s+([a-zđ])\b"


@dataclass(frozen=True)
class Locator:
    """A place in a legal document: Điều (article) › khoản (clause) › điểm (point)."""

    raw: str
    article: int | None = None
    clause: int | None = None
    point: str | None = None

    @classmethod
    def parse(cls, raw: str) -> Locator:
        article = re.search(_ARTICLE, raw, re.IGNORECASE)
        clause = re.search(_CLAUSE, raw, re.IGNORECASE)
        point = re.search(_POINT, raw, re.IGNORECASE)
        return cls(
            raw=raw,
            article=int(article.group(1)) if article else None,
            clause=int(clause.group(1)) if clause else None,
            point=point.group(1) if point else None,
        )

    def __str__(self) -> str:
        return self.raw


@dataclass(frozen=True)
class Provenance:
    locator: Locator
    text: str


# ---------------------------------------------------------------- expressions
@dataclass(frozen=True)
class Literal:
    value: Decimal | str | date | bool
    unit: str | None = None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Path:
    parts: tuple[str, ...]
    span: Span | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class InList:
    item: Expr
    options: ListExpr
    negated: bool = False
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Contains:
    container: Expr
    item: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class StartsWith:
    """Text that begins with a title: "Chủ tịch UBND thành phố Cao Lãnh" starts with "Chủ tịch
    UBND thành phố", while "Phó Chủ tịch UBND thành phố" does not (``contains`` would match)."""

    text: Expr
    prefix: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Not:
    item: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Arith:
    op: str
    left: Expr
    right: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CountExpr:
    collection: str
    where: Expr | None = None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SumExpr:
    collection: str
    field: str
    where: Expr | None = None
    span: Span | None = dataclasses.field(default=None, compare=False)


Expr = Union[Literal, ListExpr, Path, Compare, InList, Contains, StartsWith, And, Or, Not, Arith, CountExpr, SumExpr]


# ---------------------------------------------------------------- constraints
@dataclass(frozen=True)
class Cardinality:
    """How many: exactly n, at least n, at most n, or between n and m (inclusive)."""

    kind: str  # exactly | at_least | at_most | between
    low: int | None
    high: int | None

    def admits(self, n: int) -> bool:
        return (self.low is None or n >= self.low) and (self.high is None or n <= self.high)


@dataclass(frozen=True)
class Count:
    """``cardinality`` records of ``collection`` match ``where``; with ``per``, within each group of
    records sharing the value of field ``per`` (e.g. at most 4 police officers per shift)."""

    collection: str
    where: Expr | None
    cardinality: Cardinality
    span: Span | None = field(default=None, compare=False)
    per: str | None = None


@dataclass(frozen=True)
class Every:
    collection: str
    where: Expr | None
    condition: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class NoneOf:
    collection: str
    where: Expr | None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RoleHeld:
    """Role ``role`` is held by ``cardinality`` records of ``collection``, each matching ``where``."""

    role: str
    cardinality: Cardinality
    collection: str
    where: Expr | None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class AllOf:
    """Every value of ``values`` appears as ``field`` of some record of ``collection``."""

    values: tuple[str, ...]
    field: str
    collection: str
    where: Expr | None
    span: Span | None = dataclasses.field(default=None, compare=False)


@dataclass(frozen=True)
class That:
    expr: Expr
    span: Span | None = field(default=None, compare=False)


Constraint = Union[Count, Every, NoneOf, RoleHeld, AllOf, That]
# The constraints that range over a collection's records (all but ``that``): analyses that need
# "which collection" read this one tuple, so a new constraint kind is added here, not in each.
OVER_RECORDS = (Count, Every, NoneOf, RoleHeld, AllOf)


# ---------------------------------------------------------------- statements
@dataclass(frozen=True)
class Link:
    kind: str  # cites | derives_from | amends | supersedes | implements | known_through
    target: str
    provenance: Provenance | None = None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Pilot:
    until: date | None  # None: the text states no end date
    provenance: Provenance


@dataclass(frozen=True)
class Applicability:
    condition: Expr
    provenance: Provenance | None


@dataclass(frozen=True)
class Document:
    id: str
    number: str | None = None
    title: str | None = None
    kind: str | None = None  # decision | resolution | submission | regulation | law | ...
    status: str = "binding"  # binding | draft | temporary | cited
    issuer: str | None = None
    signer: str | None = None
    signed: date | None = None
    effective: date | None = None
    effective_provenance: Provenance | None = None
    pilot: Pilot | None = None
    applies: Applicability | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    articles: tuple[tuple[int, str], ...] = ()
    span: Span | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.number or self.id


@dataclass(frozen=True)
class Rule:
    id: str
    document: str
    locator: Locator | None
    text: str | None
    requires: tuple[Constraint, ...] = ()
    when: Expr | None = None
    severity: str = "error"
    overrides: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Deadline:
    """When an occurrence of an obligation is due, in the law's own words.

    kind: ``day`` (day N of each month, of months M.., or of each quarter's last month),
    ``weekday`` (a weekday, optionally at a time, each week), ``month`` (during month M each
    year), ``every`` (once per N-month period, or per ISO week when ``unit`` is ``week``; no day
    stated), ``unstated`` (no deadline).
    strict: ``before`` ("trước": the day itself is late) or ``no_later`` ("chậm nhất": the day
    itself is on time).
    """

    kind: str
    strict: str | None = None
    day: int | None = None
    months: tuple[int, ...] = ()
    quarter_end: bool = False
    weekday: int | None = None  # 0 = Monday
    at: time | None = None
    interval: int | None = None
    unit: str = "month"  # for ``every``: the period is ``interval`` months, or one ISO week ("week")


@dataclass(frozen=True)
class Obligation:
    id: str
    document: str
    locator: Locator | None
    text: str | None
    deadlines: tuple[Deadline, ...] = ()
    by: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    record: str = "reports"
    # ("team", "members"): one occurrence per distinct ``team`` of the ``members`` collection,
    # each matched to the log records carrying that ``team`` (e.g. each Tổ reports weekly).
    per: tuple[str, str] | None = None
    when: Expr | None = None
    severity: str = "error"
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Claim:
    id: str
    document: str
    locator: Locator | None
    text: str | None
    stated: Expr | None = None
    computed: Expr | None = None
    as_of: date | None = None
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Gap:
    """A provision deliberately not modelled, shown so that readers see the blind spots."""

    id: str
    document: str
    locator: Locator | None
    text: str | None
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ParameterValue:
    start: date
    value: Decimal
    source: str


@dataclass(frozen=True)
class Parameter:
    id: str
    title: str | None = None
    title_en: str | None = None
    unit: str | None = None
    values: tuple[ParameterValue, ...] = ()
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Change:
    """What one event did to one body, unit, province or level; ``successor`` None: not known."""

    subject: str  # body | unit | province | level
    name: str
    outcome: str  # ceases | reorganised | merged_into | replaced_by
    successor: str | None = None
    within: str | None = None  # the province a unit belongs to (unit names repeat across provinces)


@dataclass(frozen=True)
class Event:
    id: str
    on: date | None = None
    title: str | None = None
    title_en: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Module:
    """Everything one DSL file declares."""

    file: str
    documents: tuple[Document, ...] = ()
    rules: tuple[Rule, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    claims: tuple[Claim, ...] = ()
    gaps: tuple[Gap, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    events: tuple[Event, ...] = ()
