"""Expressions under three-valued (Kleene) logic: a fact the setup does not give is unknown.

``Context`` evaluates an expression against the centre, a record and the dated parameters;
unknown and false is false, unknown or true is true, anything else with unknown is unknown.
Text compares as Vietnamese (engine.text.text_key); numbers as exact decimals.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, TypeVar

from engine import ast, names
from engine.compile import compiled
from engine.memo import ByIdentity, forgettable
from engine.message import Message, msg
from engine.program import Program
from engine.reorganisation import Reorganisation
from engine.text import text_key
from engine.verdict import UNKNOWN, Facts

T = TypeVar("T")

# Names are pure functions of their text (and the centre's unit): the same few titles and
# bodies are compared for every record of every setup, so each comparison is made once.
_NameKey = tuple[str, str, bool, "str | None"]
_NAME_MATCHES: dict[names.Unit | None, dict[_NameKey, tuple[bool | None, bool]]] = {}
_UNITS, _NAMES_PER_UNIT = 64, 16384  # bounds of that memo (an audit walks a folder at a time: its units come together)


def _name_match(wanted: str, given: str, own: names.Unit | None, prefix: bool, agency: str | None) -> tuple[bool | None, bool]:
    """Whether ``given`` is the name ``wanted``, and whether it fails only by naming another unit."""
    found = names.match_name(wanted, given, own, prefix=prefix, agency=agency)
    return found, found is False and names.mismatch(wanted, given, own, agency) == "unit"


_mentions = lru_cache(maxsize=16384)(names.mentions)
forgettable(_mentions.cache_clear)
forgettable(_NAME_MATCHES.clear)

__all__ = ["Context", "all3", "any3", "truth", "as_number"]

# program → {date → what had ceased by then}: shared by every setup checked as of that date.
_REORGANISATIONS: ByIdentity[dict[date, Reorganisation]] = ByIdentity(64)


def _reorganisation(program: Program, when: date) -> Reorganisation:
    by_date = _REORGANISATIONS.get(program)
    if by_date is None or len(by_date) > 256:
        by_date = _REORGANISATIONS.put(program, {})
    found = by_date.get(when)
    if found is None:
        found = by_date[when] = Reorganisation(list(program.events.values()), when)
    return found


def all3(values: Sequence[bool | None]) -> bool | None:
    """Kleene conjunction: false wins, then unknown."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def any3(values: Sequence[bool | None]) -> bool | None:
    """Kleene disjunction: true wins, then unknown."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def truth(value: Any) -> bool | None:
    if value is UNKNOWN or value is None:
        return None
    if isinstance(value, bool):
        return value
    return bool(value)


def as_number(value: Any) -> Decimal | None:
    """A finite exact number, or None: "NaN" and "Infinity" written in a setup are text, not amounts."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, (float, str)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


class Context:
    def __init__(self, program: Program, facts: Facts, when: date) -> None:
        self.program = program
        self.facts = facts
        self.when = when
        centre = facts.get("centre")
        self._centre: Mapping[str, Any] = centre if isinstance(centre, Mapping) else {}
        # What had ceased by ``when`` (regulations/events): recipients, reporters, the centre's unit.
        self.reorganisation = _reorganisation(program, when)
        # The centre's own unit: what a rule's generic "thành phố" means (engine.names).
        self.own_unit = names.own_unit(self.centre().get("jurisdiction"), self.centre().get("unit_type"))
        # Name comparisons already made for a centre of this unit (shared by every setup of it).
        if len(_NAME_MATCHES) > _UNITS:
            _NAME_MATCHES.clear()
        self._name_matches = _NAME_MATCHES.setdefault(self.own_unit, {})
        # Names that failed only because they are another unit's, for the rule under way.
        self.name_notes: dict[str, Message] = {}
        # The events of the decision under way: parameter resolutions land here, and the
        # evaluator moves them into the verdict's trace (see take_events). Only while an
        # explanation is built (``recording``): deciding a status keeps no record.
        self.events: list[Message] = []
        self._recording = False
        # Deciding: False once the work under way met what an explanation records (a parameter
        # read, a name of another unit); work that met none is kept to be reused (see reused).
        self._quiet = True
        self._reusable: dict[tuple[int, int], tuple[object, object, Any]] = {}

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Within: parameters resolved and names of another unit are recorded for the explanation."""
        before = self._recording
        self._recording = True
        self.events = []
        self.name_notes = {}
        try:
            yield
        finally:
            self._recording = before
            self.events = []

    def reused(self, node: object, rows: object, work: Callable[[], T]) -> T:
        """``work()`` on ``node`` (a condition) and ``rows``, done once for deciding and explaining:
        an explanation reuses what deciding worked out when deciding met nothing it would record,
        so explaining would do the same work to the same end and record nothing either."""
        key = (id(node), id(rows))
        found = self._reusable.get(key)
        if found is not None and found[0] is node and found[1] is rows:
            return found[2]  # type: ignore[no-any-return]
        if self._recording:
            return work()
        outer, self._quiet = self._quiet, True
        result = work()
        if self._quiet:
            self._reusable[key] = (node, rows, result)  # the entries keep node and rows alive: ids are not reused
        self._quiet = outer and self._quiet
        return result

    def take_events(self) -> list[Message]:
        """The events recorded since the last call, in order; the recorder starts afresh."""
        events, self.events = self.events, []
        return events

    @property
    def params_used(self) -> dict[str, dict[str, Any]]:
        """The parameters resolved since the last take_events, as plain data (for claim reviews)."""
        out: dict[str, dict[str, Any]] = {}
        for event in self.events:
            if event.key == "trace.parameter":
                a = event.as_dict()
                since, as_of = a["since"], a["as_of"]
                out[str(a["parameter"])] = {
                    "parameter": a["parameter"],
                    "title": a["title"] or None,
                    "value": str(a["value"]),
                    "from": since.isoformat() if isinstance(since, date) else since,
                    "source": a["source"],
                    "as_of": as_of.isoformat() if isinstance(as_of, date) else as_of,
                }
        return out

    def centre(self) -> Mapping[str, Any]:
        return self._centre

    def collection(self, name: str, record: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]] | Any:
        source = record if record is not None and name in record else self.facts
        value = source.get(name, UNKNOWN)
        if value is None:
            return UNKNOWN
        return value

    # -- expressions
    def value(self, expr: ast.Expr | None, record: Mapping[str, Any] | None = None) -> Any:
        """``expr``'s value for the centre (and ``record``): its closure, compiled once (engine.compile)."""
        return compiled(expr)(self, record)

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
            if self._recording:
                param = self.program.parameters[head]
                self.events.append(
                    msg("trace.parameter", parameter=head, title=param.title or "", value=value.value, since=value.start, source=value.source, as_of=self.when)
                )
            else:
                self._quiet = False
            current = value.value
        else:
            return UNKNOWN
        for part in rest:
            if not isinstance(current, Mapping) or part not in current:
                return UNKNOWN
            current = current[part]
        return UNKNOWN if current is None else current

    def _known(self, wanted: str, given: str, prefix: bool, agency: str | None) -> tuple[bool | None, bool]:
        """Whether ``given`` is the name ``wanted``, and whether it fails only by naming another unit: made once per unit."""
        key = (wanted, given, prefix, agency)
        known = self._name_matches.get(key)
        if known is None:
            if len(self._name_matches) > _NAMES_PER_UNIT:
                self._name_matches.clear()
            known = self._name_matches[key] = _name_match(wanted, given, self.own_unit, prefix, agency)
        return known

    def name_is(self, wanted: str, given: str, prefix: bool, agency: str | None) -> bool | None:
        """Text `=` / `starts with` for one text, as names; while explaining, a name that is another
        unit's is noted for the verdict's message."""
        found, other_unit = self._known(wanted, given, prefix, agency)
        if other_unit and not self._recording:
            self._quiet = False
        elif other_unit:
            own = " ".join(str(self.centre().get(k) or "") for k in ("unit_type", "jurisdiction")).strip()
            self.name_notes[given] = msg("applicability.other_unit", given=given, wanted=wanted, own=own)
        return found

    def same_name(self, wanted: str, given: str) -> bool | None:
        """Whether ``given`` names ``wanted`` (engine.names, the centre's own unit), noting nothing."""
        return self._known(wanted, given, False, None)[0]

    def _text_match(self, wanted: str, given: Any, *, prefix: bool = False, agency: Any = None) -> bool | None:
        """Text `=` / `starts with` as names (engine.names); on a list, whether any element matches ("has")."""
        if isinstance(given, (list, tuple)):
            return any3([self._text_match(wanted, g, prefix=prefix, agency=agency) for g in given])
        return self.name_is(wanted, str(given), prefix, agency if isinstance(agency, str) else None)

    def _compare(self, op: str, left: Any, right: Any, agency: Any = None) -> bool | None:
        if left is UNKNOWN or right is UNKNOWN:
            return None
        if op in ("=", "!=") and isinstance(right, str) and (isinstance(left, str) or isinstance(left, (list, tuple))):
            found = self._text_match(right, left, agency=agency)
            return found if op == "=" or found is None else not found
        if isinstance(left, str) and isinstance(right, str):
            return _order(op, text_key(left), text_key(right))
        if isinstance(left, bool) or isinstance(right, bool):
            if op == "=":
                return left is right
            if op == "!=":
                return left is not right
            return None
        ln, rn = as_number(left), as_number(right)
        if ln is not None and rn is not None:
            return _order(op, ln, rn)
        if isinstance(left, (date, datetime)) and isinstance(right, (date, datetime)):
            return _order(op, left, right)
        return {"=": False, "!=": True}.get(op)

    def _contains(self, container: Any, item: Any) -> bool | None:
        """Whole words, never a denied mention, a generic unit = the centre's own (engine.names.mentions); on a list, in any element."""
        if container is UNKNOWN or item is UNKNOWN:
            return None
        if type(container) is str:
            return _mentions(container, str(item), self.own_unit)
        elements = container if isinstance(container, (list, tuple)) else [container]
        return any3([_mentions(str(element), str(item), self.own_unit) for element in elements])

    @staticmethod
    def _arith(op: str, left: Any, right: Any) -> Any:
        ln, rn = as_number(left), as_number(right)
        if ln is None or rn is None:
            return UNKNOWN
        if op == "+":
            return ln + rn
        if op == "-":
            return ln - rn
        if op == "*":
            return ln * rn
        return UNKNOWN if rn == 0 else ln / rn


_ORDER: dict[str, Callable[[Any, Any], bool]] = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _order(op: str, a: Any, b: Any) -> bool:
    return bool(_ORDER[op](a, b))  # only the comparison asked for
