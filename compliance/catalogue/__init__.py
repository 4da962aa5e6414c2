"""Every word a user reads, in Vietnamese and English: one catalogue, keyed by message id.

The catalogue is the TOML files beside this module, one per domain (``report.toml``,
``drafting.toml`` …). A key is ``<file stem>.<entry>``; every entry has a ``vi`` and an ``en``
string whose ``{name}`` placeholders are filled from a :class:`engine.message.Message`'s arguments.
Arguments are formatted for the reader here and only here (Babel's vi/en locales): dates, numbers,
money, yes/no, lists, nested messages. Names and quoted law are passed through untouched.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal, cast

from engine.message import Arg, Message, Money, msg

__all__ = ["LANGS", "Lang", "both", "entries", "format_value", "text", "word"]

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")


@cache
def entries() -> Mapping[str, Mapping[Lang, str]]:
    """All catalogue entries, ``key → {vi, en}``, read once per process."""
    out: dict[str, dict[Lang, str]] = {}
    folder = resources.files(__name__)
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        domain = item.name[: -len(".toml")]
        data = tomllib.loads(item.read_text(encoding="utf-8"))
        _collect(domain, data, out)
    return out


def _collect(prefix: str, table: Mapping[str, object], out: dict[str, dict[Lang, str]]) -> None:
    if "vi" in table or "en" in table:
        out[prefix] = {"vi": str(table.get("vi", "")), "en": str(table.get("en", ""))}
        return
    for name, value in table.items():
        if isinstance(value, dict):
            _collect(f"{prefix}.{name}", cast(Mapping[str, object], value), out)


def _template(key: str, lang: Lang) -> str:
    try:
        return entries()[key][lang]
    except KeyError:
        raise KeyError(f"catalogue has no entry {key!r}") from None


class _Fields(dict[str, str]):
    def __missing__(self, name: str) -> str:
        raise KeyError(f"missing argument {name!r}")


def text(message: Message, lang: Lang) -> str:
    """The message in ``lang``, its arguments formatted for that reader."""
    template = _template(message.key, lang)
    fields = _Fields({name: format_value(value, lang) for name, value in message.args})
    return string.Formatter().vformat(template, (), fields)


def both(message: Message) -> dict[str, str]:
    """``{"vi": …, "en": …}``: the JSON contract's shape for a user-facing text."""
    return {lang: text(message, lang) for lang in LANGS}


def word(key: str, lang: Lang, **args: Arg) -> str:
    """A label or phrase straight from the catalogue: ``word("report.as_of", "vi")``."""
    return text(msg(key, **args), lang)


def format_value(value: Arg, lang: Lang) -> str:
    """One argument as the reader writes it: 30/06/2024 or June 30, 2024; 1.000.000 or 1,000,000."""
    from babel.dates import format_date, format_datetime  # imported on first use: start-up stays cheap
    from babel.lists import format_list
    from babel.numbers import format_decimal

    if isinstance(value, Message):
        return text(value, lang)
    if isinstance(value, bool):
        return word("value.yes" if value else "value.no", lang)
    if value is None:
        return word("value.none", lang)
    if isinstance(value, Money):
        return word("value.money", lang, amount=value.amount)
    if isinstance(value, (int, Decimal)):
        return format_decimal(value, locale=lang, decimal_quantization=False)
    if isinstance(value, datetime):
        return format_datetime(value, "HH:mm dd/MM/yyyy" if lang == "vi" else "yyyy-MM-dd HH:mm", locale=lang)
    if isinstance(value, date):
        return format_date(value, "dd/MM/yyyy" if lang == "vi" else "d MMMM yyyy", locale=lang)
    if isinstance(value, tuple):
        return format_list([format_value(v, lang) for v in value], locale=lang) if value else word("value.none", lang)
    return value
