"""Pydantic's validation errors → catalogue messages (compliance/catalogue/setup.toml), one per field.

The one translation of setup errors, used by every reader of setups (YAML: compliance.loading,
workbooks and CSV: compliance.intake.reading). ``setup_problems(exc)`` gives, for each field in
error, its place in the setup (a loc the YAML locator can follow: member tags such as
``date``/``datetime`` of a union are dropped, so a union field fails once, not once per member)
and one :class:`Message` in the reader's language: "did you mean" for an unknown field, the
valid values of an enumeration (in Vietnamese words where the conventions accept them), the
Vietnamese ways of writing booleans and dates. ``setup_error_message(error)`` maps one error.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compliance.conventions import ALIASES, enum_values
from compliance.setup import Setup
from compliance.shown import shown
from engine.message import Arg, Message, msg

__all__ = ["Loc", "field_loc", "setup_error_message", "setup_problems", "shown"]

Loc = tuple[str | int, ...]


def _models(annotation: Any) -> list[Any]:
    """Every type inside ``annotation`` (unions and list items unfolded)."""
    args = get_args(annotation)
    if not args:
        return [annotation]
    return [annotation, *[m for a in args for m in _models(a)]]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    return next((m for m in _models(annotation) if isinstance(m, type) and issubclass(m, BaseModel)), None)


def _walk(loc: Sequence[str | int]) -> tuple[Loc, type[BaseModel] | None, Any]:
    """Follow ``loc`` through the models: the clean loc, the last model, the field's annotation."""
    model: type[BaseModel] | None = Setup
    annotation: Any = None
    clean: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            clean.append(part)
            continue
        if model is not None and part in model.model_fields:
            annotation = model.model_fields[part].annotation
            clean.append(part)
            model = _model_in(annotation)
        elif model is not None:
            clean.append(part)  # an unknown field: keep it, it is what the reader wrote
            break
        # else: a union member's tag ("date", "list[str]"), not a place in the file
    return tuple(clean), model, annotation


def field_loc(error: ErrorDetails) -> Loc:
    """The error's place in the setup, without pydantic's union member tags."""
    return _walk(tuple(error["loc"]))[0]


def _path(loc: Loc) -> Arg:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or msg("setup.top_level")


def _parent_fields(loc: Loc) -> list[str]:
    model: type[BaseModel] | None = Setup
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return sorted(model.model_fields) if model else []


def _allowed(field: str, annotation: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the values a file may hold, the same in Vietnamese words): ``level`` → (province …), (tỉnh …)."""
    values = list(enum_values(annotation))
    if not values:
        inner = [a for m in _models(annotation) if get_origin(m) is list for a in get_args(m)]
        values = [v for a in inner for v in enum_values(a)]
    aliases = ALIASES.get(field, {})
    # Each value in the first Vietnamese word the conventions read as it; a value already Vietnamese stays.
    words = [next((a for a, v in aliases.items() if v == value), value) for value in values]
    return tuple(values), tuple(dict.fromkeys(words))


def setup_error_message(error: ErrorDetails) -> Message:
    """One pydantic error as a catalogue message (``setup.*``)."""
    loc, _model, annotation = _walk(tuple(error["loc"]))
    kind = error["type"]
    field = _path(loc)
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    value = shown(error.get("input"))
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, _parent_fields(loc), n=1, cutoff=0.6)
        if close:
            return msg("setup.unknown_field_suggest", field=field, suggestion=close[0])
        return msg("setup.unknown_field", field=field)
    if kind == "missing":
        return msg("setup.missing_field", field=field)
    if kind.startswith("literal") or kind == "enum":
        values, words = _allowed(name, annotation)
        if values == words:
            return msg("setup.enum", field=field, value=value, allowed=values)
        return msg("setup.enum_words", field=field, value=value, allowed=values, words=words)
    if kind.startswith("bool"):
        return msg("setup.bool", field=field, value=value, accepted="Có/Không, có/không, đúng/sai, true/false")  # what a file may hold
    members = _models(annotation)
    if kind.startswith(("date", "datetime")) or date in members:
        return msg("setup.datetime" if datetime in members else "setup.date", field=field, value=value)
    if kind.startswith("int"):
        return msg("setup.integer", field=field, value=value)
    if kind.startswith(("decimal", "float", "finite")) or Decimal in members:
        return msg("setup.number", field=field, value=value)
    if kind.startswith("list"):
        return msg("setup.list", field=field, value=value)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return msg("setup.mapping", field=field, value=value)
    if kind.startswith("string"):
        return msg("setup.text", field=field, value=value)
    return msg("setup.invalid", field=field, value=value)


def setup_problems(exc: ValidationError) -> list[tuple[Loc, Message]]:
    """One message per field in error, in pydantic's order (a loader sorts them by place).

    A union field (``date | datetime``) fails once per member; the field gets one message.
    """
    seen: dict[Loc, Message] = {}
    for error in exc.errors():
        loc = field_loc(error)
        if loc not in seen:
            seen[loc] = setup_error_message(error)
    return list(seen.items())
