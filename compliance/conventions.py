"""Vietnamese input conventions: how an ICT officer writes a setup, read as the fields' types.

"Có"/"Không", "đúng"/"sai" are booleans; "20/06/2024" is a date (dd/mm/yyyy, as Vietnamese
documents write it) as much as "2024-06-20"; "Công chức", "CÔNG CHỨC" and "công chức" with a
non-breaking space are the same enumeration value; ``level`` takes "tỉnh", "huyện", "xã" (and
"cấp tỉnh" …) beside the English values; a single value where a list is expected is a list of
one, and a role written as a one-element list is that role. Values that are none of these are
left as they are, so that pydantic reports them (see compliance.setup_errors).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, Union, get_args, get_origin

from engine.names import key
from engine.text import nfc

__all__ = ["ALIASES", "Shape", "enum_values", "read_amount", "read_as", "read_bool", "read_date", "read_shaped", "reader", "shape_of"]

_TRUE = frozenset(key(w) for w in ("có", "co", "đúng", "dung", "rồi", "yes", "true", "x"))
_FALSE = frozenset(key(w) for w in ("không", "khong", "sai", "chưa", "no", "false"))
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
_YMD_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")

# "1.000.000", "1.500.000 đồng", "2.340.000,5": dots between thousands, a comma before decimals.
_AMOUNT = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(?:đồng|đ|vnđ|vnd)?$", re.IGNORECASE)

# Vietnamese (and other usual) spellings of enumeration values, per field: alias → value.
ALIASES: dict[str, dict[str, str]] = {
    "level": {
        "tỉnh": "province",
        "cấp tỉnh": "province",
        "thành phố trực thuộc trung ương": "province",
        "huyện": "district",
        "cấp huyện": "district",
        "quận": "district",
        "thị xã": "district",
        "thành phố thuộc tỉnh": "district",
        "xã": "commune",
        "cấp xã": "commune",
        "phường": "commune",
        "đặc khu": "commune",
        "thị trấn": "commune",
    },
    "employment": {"hợp đồng lao động": "hợp đồng", "chiến sĩ công an": "công an"},
}


def read_bool(value: str) -> bool | None:
    """ "Có" → True, "không" → False; None when the text is not a yes or a no."""
    k = key(value)
    return True if k in _TRUE else False if k in _FALSE else None


def read_date(value: str) -> date | datetime | None:
    """ "20/06/2024", "20-6-2024", "2024-06-20", "20/06/2024 14:30" → a date or datetime; None if not one."""
    text = " ".join(value.split())
    m = _DMY.match(text)
    if m:
        d, mo, y, hh, mm, ss = m.groups()
    else:
        m = _YMD_TIME.match(text)
        if not m:
            return None
        y, mo, d, hh, mm, ss = m.groups()
    try:
        if hh is None:
            return date(int(y), int(mo), int(d))
        return datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None


def read_amount(value: str) -> Decimal | None:
    """ "1.000.000" or "1.000.000 đồng" → Decimal("1000000"); None if not written that way."""
    m = _AMOUNT.match(" ".join(value.split()))
    if not m or ("." not in m.group(1) and m.group(2) is None and not value.strip()[-1:].isalpha()):
        return None  # a plain "1000000" is pydantic's to read
    return Decimal(m.group(1).replace(".", "") + (f".{m.group(2)}" if m.group(2) else ""))


def _members(annotation: Any) -> list[Any]:
    """The types a field accepts: ``str | list[str] | None`` → [str, list[str], NoneType]."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for a in get_args(annotation) for m in _members(a)]
    return [annotation]


def enum_values(annotation: Any) -> tuple[str, ...]:
    """The values of the Literal a field accepts (empty when it is not an enumeration)."""
    return tuple(v for m in _members(annotation) if get_origin(m) is Literal for v in get_args(m))


@lru_cache(maxsize=4096)  # a few values, read for every record
def _read_enum(field: str, values: tuple[str, ...], value: str) -> str:
    k = key(value)
    for v in values:
        if key(v) == k:
            return v
    for alias, v in ALIASES.get(field, {}).items():
        if key(alias) == k and v in values:
            return v
    return value


@dataclass(frozen=True)
class Shape:
    """What a field's annotation accepts, as the conventions see it: worked out once per field,
    never per value, and plain data (compliance.setup_format stores it for the fast validator)."""

    boolean: bool = False
    dated: bool = False
    timed: bool = False
    amount: bool = False
    text: bool = False
    listed: bool = False
    enum: tuple[str, ...] = ()
    item_enum: tuple[str, ...] = ()


# id(annotation) → (annotation, shape): by identity, since hashing a Literal walks its values.
_SHAPES: dict[int, tuple[Any, Shape]] = {}


def shape_of(annotation: Any) -> Shape:
    """The conventions' view of a field's annotation (``Decimal | None`` → amount)."""
    known = _SHAPES.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    members = _members(annotation)
    inner = [a for m in members if get_origin(m) is list for a in get_args(m)]
    shape = Shape(
        boolean=bool in members,
        dated=date in members or datetime in members,
        timed=datetime in members,
        amount=Decimal in members,
        text=str in members,
        listed=any(get_origin(m) is list for m in members),
        enum=enum_values(annotation),
        item_enum=tuple(v for a in inner for v in enum_values(a)),
    )
    _SHAPES[id(annotation)] = (annotation, shape)
    return shape


def read_as(annotation: Any, field: str, value: Any) -> Any:
    """``value`` read as the field's type under the Vietnamese conventions, or unchanged."""
    return read_shaped(shape_of(annotation), field, value)


def read_shaped(shape: Shape, field: str, value: Any) -> Any:
    """``value`` read under the conventions as a field of this shape, or unchanged."""
    if isinstance(value, str):
        if shape.boolean:
            b = read_bool(value)
            if b is not None:
                return b
        if shape.dated:
            d = read_date(value)
            if d is not None:
                if isinstance(d, datetime) and not shape.timed:
                    return value  # a time where only a day is expected: let pydantic say so
                return d
        if shape.amount:
            amount = read_amount(value)
            if amount is not None:
                return amount
        if shape.enum:
            return _read_enum(field, shape.enum, value)
        if not shape.text and shape.listed:
            return [value]  # "responsibilities: CNTT" is a list of one
    if isinstance(value, list) and shape.text and shape.listed:
        if not all(isinstance(v, str) for v in value):
            return value  # role: [[a]] or [1]: pydantic says which item is wrong, where it is
        # role: [chuyên môn nghiệp vụ] is the role itself; several roles stay a list, once each.
        unique = list(dict.fromkeys(value))
        return unique[0] if len(unique) == 1 and isinstance(unique[0], str) else unique
    if isinstance(value, list) and shape.item_enum:
        return [_read_enum(field, shape.item_enum, v) if isinstance(v, str) else v for v in value]
    return value


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc(v) if isinstance(v, str) else v for v in value]
    return value


def reader(field: str, shape: Shape | None) -> Callable[[Any], Any]:
    """How one field reads its raw value: every string in NFC (so that "hoà" typed either way
    compares equal later), then, unless the field is plain text (``shape`` None), the conventions.
    The one reader of both validators (compliance.setup's models and compliance.setup_fast)."""
    if shape is None:
        return _normalised  # text: the conventions leave it as it is
    known: dict[str, Any] = {}  # "Có" → True, "20/06/2024" → a date, … once per spelling

    def read(value: Any) -> Any:
        value = _normalised(value)
        if type(value) is not str:
            return read_shaped(shape, field, value)
        if value in known:
            return known[value]
        result = read_shaped(shape, field, value)
        if not isinstance(result, list) and len(known) < 4096:
            known[value] = result
        return result

    return read
