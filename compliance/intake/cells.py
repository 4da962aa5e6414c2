"""One spreadsheet cell → one setup value, or the reason it cannot be one.

Officers type what they type: 'Có', 'x', 'không'; 30/06/2024 or a real date cell; 1.000.000 or
1,000,000 đồng; several agencies separated by semicolons or line breaks. Each kind of column
accepts those spellings and nothing that could be misread (a date 03/04/2024 is day 3 of April,
the Vietnamese order; 1.5 is not an amount of money).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from compliance.catalogue import LANGS, Lang, word
from compliance.intake.columns import Column
from engine.message import Message, msg
from engine.text import nfc, text_key

__all__ = ["ABSENT", "CellError", "parse_cell", "kind_message"]

ABSENT: Any = object()  # an empty cell: the fact is not given (unknown), unlike 'Không'


class CellError(ValueError):
    """The cell's value does not fit its column; ``kind`` says what it should look like."""

    def __init__(self, kind: Message) -> None:
        super().__init__(kind.key)
        self.kind = kind


_YES = {text_key(w) for w in ("có", "co", "x", "✓", "✔", "yes", "y", "true", "đúng", "1")}
_NO = {text_key(w) for w in ("không", "khong", "ko", "no", "n", "false", "sai", "0", "-")}
_SPLIT = re.compile(r"\s*(?:;|\n|\r)\s*")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HM = re.compile(r"^(\d{1,2})[:h](\d{2})(?::(\d{2}))?$")
_MONEY = re.compile(r"^(\d{1,3}(?:([.,])\d{3})?(?:\2\d{3})*|\d+)$")
_MONEY_UNIT = re.compile(r"\s*(đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def kind_message(column: Column, lang: Lang = "vi") -> Message:
    """What a cell of ``column`` holds, for hints and errors."""
    if column.kind == "choice":
        return msg("intake.kind.choice", choices=_quoted(column.choices))
    if column.kind == "level":
        return msg("intake.kind.choice", choices=_quoted(word(f"intake.value.level.{v}", lang) for v in ("province", "district")))
    if column.kind == "obligation":
        return msg("intake.kind.obligation", example="bao_cao_6_thang")
    key = {"roles": "list", "period": "period"}.get(column.kind, column.kind)
    return msg(f"intake.kind.{key}")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    return nfc(str(value)).strip()


def _items(value: Any) -> list[str]:
    return [part for part in _SPLIT.split(_text(value)) if part]


def _bool(value: Any, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    key = text_key(_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(kind_message(column))


def _date_text(text: str) -> date | None:
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        found = pattern.match(text)
        if found:
            y, m, d = (int(found.group(i)) for i in order)
            try:
                return date(y, m, d)
            except ValueError:
                return None
    return None


def _date(value: Any, column: Column) -> date:
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date()
        raise CellError(kind_message(column))
    if isinstance(value, date):
        return value
    parsed = _date_text(_text(value))
    if parsed is None:
        raise CellError(kind_message(column))
    return parsed


def _when(value: Any, column: Column) -> date | datetime:
    """A date, or a date and time; midnight is a plain date, as in the YAML setups."""
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value
    text = _text(value).replace("T", " ")
    parts = text.split()
    if len(parts) == 1:
        return _date(text, column)
    if len(parts) == 2:
        day_first = _date_text(parts[0]) is not None
        day_text, clock_text = (parts[0], parts[1]) if day_first else (parts[1], parts[0])
        day, clock = _date_text(day_text), _HM.match(clock_text)
        if day is not None and clock is not None:
            h, m, s = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
            if h < 24 and m < 60 and s < 60:
                moment = datetime.combine(day, time(h, m, s))
                return day if moment.time() == time(0) else moment
    try:  # ISO 8601 with seconds or an offset, as `quyche convert` writes what it cannot put in a date cell
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(kind_message(column)) from None
    return moment.date() if moment.time() == time(0) and moment.tzinfo is None else moment


def _int(value: Any, column: Column) -> int:
    if isinstance(value, bool):
        raise CellError(kind_message(column))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if text.isdigit() and len(text) < 10:
        return int(text)
    raise CellError(kind_message(column))


def money(value: Any) -> Decimal | None:
    """An amount in đồng from a number cell or text like '1.000.000 đồng'; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if value.is_integer() else None
    text = _MONEY_UNIT.sub("", _text(value)).replace(" ", "").replace("\u00a0", "")
    if not _MONEY.match(text) or len(text) > 24:
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


def _money(value: Any, column: Column) -> Decimal:
    amount = money(value)
    if amount is None:
        raise CellError(kind_message(column))
    return amount


def _choice(value: Any, column: Column) -> str:
    key = text_key(_text(value))
    for choice in column.choices:
        if text_key(choice) == key:
            return choice
    raise CellError(kind_message(column))


def _level(value: Any, column: Column) -> str:
    key = text_key(_text(value))
    for level, short in (("province", "tỉnh"), ("district", "huyện")):
        spellings = (level, short, *(word(f"intake.value.level.{level}", lang) for lang in LANGS))
        if key in {text_key(s) for s in spellings}:
            return level
    raise CellError(kind_message(column))


_SPECIAL = {text_key(word("intake.value.special", lang)): True for lang in LANGS} | {text_key(word("intake.value.not_special", lang)): False for lang in LANGS}
_TRAILING = re.compile(r"\(([^()]*)\)\s*$")


_NONE = {text_key(w) for w in ("không", "khong", "không có", "no", "none")}


def _allowances(value: Any, column: Column) -> list[dict[str, Any]]:
    """'Không' → none; else 'scheme[: amount][ (đặc thù)]' items separated by semicolons."""
    if isinstance(value, bool) or text_key(_text(value)) in _NONE:
        if value is True:
            raise CellError(kind_message(column))
        return []
    out = []
    for item in _items(value):
        entry: dict[str, Any] = {}
        special = _TRAILING.search(item)
        if special and text_key(special.group(1)) in _SPECIAL:
            entry["special"] = _SPECIAL[text_key(special.group(1))]
            item = item[: special.start()].rstrip()
        scheme, colon, amount_text = item.rpartition(":")
        amount = money(amount_text) if colon else None
        if colon and amount is not None:
            item = scheme.strip()
            entry["amount"] = amount
        if not item:
            raise CellError(kind_message(column))
        out.append({"scheme": item, **entry})
    return out


def _period(value: Any, column: Column) -> str:
    # A spreadsheet program may have turned '2024-05' into a date cell: month periods come back as text.
    if isinstance(value, datetime):
        return f"{value.year:04d}-{value.month:02d}"
    return _text(value)


def parse_cell(value: Any, column: Column) -> Any:
    """The setup value of one cell (``ABSENT`` when it is empty); raise CellError when it does not fit."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ABSENT
    kind = column.kind
    if kind in ("text", "obligation"):
        return _text(value)
    if kind == "period":
        return _period(value, column)
    if kind in ("list", "roles") and text_key(_text(value)) in _NONE:
        return []  # 'Không': known to be none
    if kind == "list":
        return _items(value)
    if kind == "roles":
        roles = _items(value)
        return roles[0] if len(roles) == 1 else roles
    parsers = {
        "bool": _bool,
        "date": _date,
        "when": _when,
        "int": _int,
        "money": _money,
        "choice": _choice,
        "level": _level,
        "allowances": _allowances,
    }
    return parsers[kind](value, column)


def show(value: Any, lang: Lang) -> str:
    """A cell's value as the officer typed it, for an error message (cut when long)."""
    text = _text(value)
    return text if len(text) <= 60 else text[:57] + "…"
