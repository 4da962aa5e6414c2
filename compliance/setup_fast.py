"""A setup's data → its validated plain data, without pydantic, when that is certain.

compliance.setup's pydantic models define the setup format and say what is wrong with a setup
that is not valid; importing pydantic and building their validators costs a ``quyche check``
more than the rest of reading it. A valid setup is a plain one: text where text is expected,
``true``, ``2024-06-20``, a whole number or a list where those are. :func:`validated` reads such
data under the same description (compliance.setup_format, derived from the models) and the same
conventions reader (compliance.conventions.reader), and gives exactly what
``Setup.model_validate(data).model_dump(mode="python")`` gives: the same values of the same types,
defaults filled in, in the models' field order. Whatever it is not certain of (an unknown or
missing field, a number where text is expected, a float amount, a date with a time zone, text
that pydantic's lax mode might coerce or reject) gives None: the caller then validates with
pydantic, which also reports every problem. tests/test_setup_fast.py checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import NoneType
from typing import Any, cast

from compliance.conventions import Shape, reader
from compliance.setup_format import MODELS, ROOT, SetupData
from engine.text import nfc

__all__ = ["validated"]


class _NotSureError(Exception):
    """The data are not plainly valid: pydantic decides."""


_Check = Callable[[Any], Any]

# What pydantic strips (Rust's ``str::trim``: Unicode White_Space); Python's ``strip`` takes more
# (U+001C–U+001F), so a string whose stripped ends are not all of these is left to pydantic.
_WHITE_SPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_INT_LIMIT = 2**63  # pydantic takes larger integers too; no setup needs them


def _text(strip: bool) -> _Check:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise _NotSureError
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _NotSureError from None  # a lone surrogate: not text pydantic accepts
        if not strip:
            return value
        stripped = value.strip()
        if len(stripped) != len(value):
            lead = len(value) - len(value.lstrip())
            if not _WHITE_SPACE.issuperset(value[:lead]) or not _WHITE_SPACE.issuperset(value[lead + len(stripped) :]):
                raise _NotSureError
        return stripped

    return check


def _integer(value: Any) -> Any:
    if type(value) is not int or not -_INT_LIMIT <= value < _INT_LIMIT:
        raise _NotSureError
    return value


def _decimal(value: Any) -> Any:
    if type(value) is Decimal and value.is_finite():
        return value
    if type(value) is int and -_INT_LIMIT <= value < _INT_LIMIT:
        return Decimal(value)
    raise _NotSureError  # a float, a text ("1000000"), NaN: pydantic's to read


def _same(value: Any) -> Any:
    return value


def _naive(value: Any) -> Any:
    if value.tzinfo is not None:
        raise _NotSureError  # pydantic gives its own tzinfo class
    return value


def _literal(values: tuple[str, ...]) -> _Check:
    allowed = frozenset(values)

    def check(value: Any) -> Any:
        if value not in allowed:  # the conventions already read "Công chức", "tỉnh" …
            raise _NotSureError
        return value

    return check


class _Compiler:
    """The description (compliance.setup_format.MODELS) → one check per model, made once."""

    def __init__(self) -> None:
        self.models: dict[str, _Check] = {}

    def member(self, kind: Any, strip: bool) -> tuple[type, _Check]:
        """One type of a union: the Python type it takes as it is, and its check."""
        if isinstance(kind, str):
            simple: dict[str, tuple[type, _Check]] = {
                "str": (str, _text(strip)),
                "bool": (bool, _same),
                "int": (int, _integer),
                "date": (date, _same),
                "datetime": (datetime, _naive),
                "none": (NoneType, _same),
            }
            if kind == "decimal":
                return Decimal, _decimal  # and int: see union()
            return simple[kind]
        tag, inner = kind
        if tag == "literal":
            return str, _literal(inner)
        if tag == "list":
            item = self.union(inner, strip)

            def items(value: Any) -> Any:
                return [item(v) for v in value]

            return list, items
        if tag == "model":
            return dict, self.model(inner)
        raise ValueError(f"compliance.setup_format: unknown type {kind!r}")  # pragma: no cover - setup_describe writes none

    def field(self, field: str, about: dict[str, Any], strip: bool) -> _Check:
        """A field's raw value → its value: read under the conventions, then checked."""
        reads, kinds = about["reads"], about["types"]
        if reads is None and set(kinds) <= {"str", "none"}:
            text = _text(strip)  # plain text: NFC and stripped, nothing else to read
            optional = "none" in kinds

            def plain(raw: Any) -> Any:
                if type(raw) is str:
                    return text(nfc(raw))
                if raw is None and optional:
                    return None
                raise _NotSureError

            return plain
        read = reader(field, None if reads is None else Shape(**reads))
        valid = self.union(kinds, strip)

        def checked(raw: Any) -> Any:
            if type(raw) is str or type(raw) is list:
                raw = read(raw)  # the conventions read text and lists only: true, 7, a date stay as they are
            return valid(raw)

        return checked

    def union(self, kinds: tuple[Any, ...], strip: bool) -> _Check:
        """A check of a value of any of ``kinds`` (by its exact Python type): two members that take
        the same type are pydantic's to choose between."""
        by_type: dict[type, _Check | None] = {}
        for kind in kinds:
            python, member = self.member(kind, strip)
            taken = [python, int] if python is Decimal else [python]
            for t in taken:
                by_type[t] = None if t in by_type else member

        def check(value: Any) -> Any:
            found = by_type.get(type(value))
            if found is None:
                raise _NotSureError
            return found(value)

        return check

    def model(self, name: str) -> _Check:
        known = self.models.get(name)
        if known is not None:
            return known
        spec = MODELS[name]
        strip = bool(spec["strip"])
        # Each field: its raw value → its validated value (the conventions reader, then the type's check).
        fields: dict[str, _Check] = {}
        for field, about in spec["fields"].items():
            fields[field] = self.field(field, about, strip)
        unset = object()  # a required field not given, or a default list still to be made
        template = {f: unset if "default" not in about else about["default"] for f, about in spec["fields"].items()}
        required = [f for f, about in spec["fields"].items() if "default" not in about and "factory" not in about]
        factories = [f for f, about in spec["fields"].items() if about.get("factory") == "list"]

        def check(value: Any) -> Any:
            if type(value) is not dict:
                raise _NotSureError
            out = template.copy()  # the fields in the models' order, defaults in place
            for field, raw in value.items():
                valid = fields.get(field)
                if valid is None:
                    raise _NotSureError  # an unknown field (or a key that is not text)
                out[field] = valid(raw)
            for field in factories:
                if out[field] is unset:
                    out[field] = []
            for field in required:
                if out[field] is unset:
                    raise _NotSureError  # a required field is missing
            return out

        self.models[name] = check
        return check


_ROOT: list[_Check] = []


def validated(data: Any) -> SetupData | None:
    """``Setup.model_validate(data).model_dump(mode="python")``, or None when not certain (then ask pydantic)."""
    if not _ROOT:
        _ROOT.append(_Compiler().model(ROOT))
    try:
        return cast(SetupData, _ROOT[0](data))
    except (_NotSureError, RecursionError):
        return None
