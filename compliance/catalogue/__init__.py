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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Literal, cast

from engine.memo import forgettable
from engine.message import Arg, Message, Money, msg

__all__ = ["LANGS", "Lang", "NAME_CLOSE", "NAME_OPEN", "both", "entries", "format_value", "kept_terms", "marking_names", "name", "text", "word"]

Lang = Literal["vi", "en"]
RULES, RULES_PREFIX = "rules", "rule"  # the folder of the rules' own words and their keys' prefix
LANGS: tuple[Lang, ...] = ("vi", "en")


@cache
def entries() -> Mapping[str, Mapping[Lang, str]]:
    """All catalogue entries, ``key → {vi, en}``: each domain's file is read on first use, once per process."""
    return _Catalogue()


class _Catalogue(Mapping[str, Mapping[Lang, str]]):
    """The catalogue as a mapping that reads a domain's TOML file when a key of it is first asked for.

    A command reads a dozen of the forty files (a check: the report's words and one document's rule
    words), so the others are never parsed. Iterating or counting reads them all, in the order of
    the files (domains by name, then the rules' files by name), each file's entries in its order.
    """

    def __init__(self) -> None:
        self._domains: dict[str, dict[str, dict[Lang, str]]] = {}  # "check", "rule.qd953_2023" … → its entries

    @staticmethod
    def _domain(key: str) -> str:
        # A key is "<file stem>.<entry>"; a rule's words are "rule.<document>.<rule>.…", one file per document.
        head, _, rest = key.partition(".")
        return f"{head}.{rest.partition('.')[0]}" if head == RULES_PREFIX else head

    def _load(self, domain: str) -> dict[str, dict[Lang, str]]:
        found = self._domains.get(domain)
        if found is None:
            found = self._domains[domain] = {}
            head, _, document = domain.partition(".")
            folder = resources.files(__name__)
            item = folder.joinpath(RULES, f"{document}.toml") if head == RULES_PREFIX else folder.joinpath(f"{domain}.toml")
            if head and (document or head != RULES_PREFIX) and "/" not in domain and "\\" not in domain and item.is_file():
                _collect(head, tomllib.loads(item.read_text(encoding="utf-8")), found)
        return found

    def _all(self) -> list[str]:
        """Every domain, in the catalogue's order, each read."""
        folder = resources.files(__name__)
        stems = sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))
        rules = sorted(p.name[: -len(".toml")] for p in folder.joinpath(RULES).iterdir() if p.name.endswith(".toml"))
        domains = stems + [f"{RULES_PREFIX}.{stem}" for stem in rules]
        for domain in domains:
            self._load(domain)
        return domains

    def __getitem__(self, key: str) -> Mapping[Lang, str]:
        return self._load(self._domain(key))[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._load(self._domain(key))

    def __iter__(self) -> Iterator[str]:
        return (key for domain in self._all() for key in self._domains[domain])

    def __len__(self) -> int:
        return sum(len(self._domains[domain]) for domain in self._all())


def _collect(prefix: str, table: Mapping[str, object], out: dict[str, dict[Lang, str]]) -> None:
    if "vi" in table or "en" in table:
        out[prefix] = {"vi": str(table.get("vi", "")), "en": str(table.get("en", ""))}
        return
    for name, value in table.items():
        if isinstance(value, dict):
            _collect(f"{prefix}.{name}", cast(Mapping[str, object], value), out)


# Names and quoted law pass through untranslated. The leak test renders with them marked (Unicode
# isolates, invisible to a reader) so that it can tell them from the catalogue's own words.
NAME_OPEN, NAME_CLOSE = "\u2068", "\u2069"
_marking: ContextVar[bool] = ContextVar("quyche_marking_names", default=False)


@contextmanager
def marking_names() -> Iterator[None]:
    """Within this block every name or quotation in rendered text is wrapped in NAME_OPEN/NAME_CLOSE."""
    token = _marking.set(True)
    try:
        yield
    finally:
        _marking.reset(token)


def name(value: str) -> str:
    """A name or a quotation as rendered: untouched (marked for the leak test when it asks)."""
    return f"{NAME_OPEN}{value}{NAME_CLOSE}" if _marking.get() and value else value


@cache
def kept_terms() -> tuple[str, ...]:
    """The Vietnamese terms English output keeps (glossary.toml), longest first."""
    data = tomllib.loads(resources.files(__name__).joinpath("glossary.toml").read_text(encoding="utf-8"))
    return tuple(sorted((str(t) for t in data["kept"]), key=len, reverse=True))


def _mark_kept(value: str) -> str:
    """An author's text with its “quotations” and glossary terms marked as names (for the leak test)."""
    import re

    terms = "|".join(re.escape(t) for t in kept_terms())
    return re.sub(f"“[^”]*”|{terms}", lambda m: name(m.group(0)), value)


def _template(key: str, lang: Lang) -> str:
    try:
        return entries()[key][lang]
    except KeyError:
        if key.startswith("field."):  # a field no label names yet: its own identifier, as data
            return name(key.removeprefix("field."))
        if key.startswith(RULES_PREFIX + "."):  # a rule whose words are not written yet (a file being drafted): its id
            return name(key.removeprefix(RULES_PREFIX + ".").rsplit(".", 1)[0])
        raise KeyError(f"catalogue has no entry {key!r}") from None


class _Formatter(string.Formatter):
    """``{items}`` formats a value for the reader; ``{items:; }`` joins a tuple with "; " instead of
    the language's list words (sentences, clauses)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: object, kwargs: Mapping[str, Arg]) -> Arg:
        try:
            return kwargs[str(key)]
        except KeyError:
            raise KeyError(f"missing argument {key!r}") from None

    def format_field(self, value: Arg, format_spec: str) -> str:
        return _format_field(value, format_spec, self.lang)


def _format_field(value: Arg, format_spec: str, lang: Lang) -> str:
    if format_spec == "or" and isinstance(value, tuple):
        return _joined(tuple(format_value(v, lang) for v in value), "or", lang)
    if format_spec and isinstance(value, tuple):
        return format_spec.join(format_value(v, lang) for v in value)
    return format_value(value, lang)


@lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """A template's literal texts and fields, parsed once (string.Formatter parses it at every
    rendering); None when a field needs the formatter's other rules (an attribute, an index, a
    conversion, a nested field), rendered then by :class:`_Formatter` itself."""
    parts: list[tuple[str, str | None, str]] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if field is not None and (conversion or not field.isidentifier() or "{" in (spec or "")):
            return None
        parts.append((literal, field, spec or ""))
    return tuple(parts)


def text(message: Message, lang: Lang) -> str:
    """The message in ``lang``, its arguments formatted for that reader."""
    try:
        return _text(message, lang, _marking.get())
    except TypeError:  # an argument that cannot be hashed (a list passed as data): render it directly
        return _render(message, lang)


@lru_cache(maxsize=8192)  # bounded low: memory flat in a long audit (65,536 entries held ~55 MB per worker)
def _text(message: Message, lang: Lang, marking: bool) -> str:
    # Messages are frozen data: the same message reads the same (memoised; ``marking`` is the
    # leak test's mode, part of the key so the two renderings never mix).
    return _render(message, lang)


def _render(message: Message, lang: Lang) -> str:
    if message.key == "text.own":  # the author's own words: only its quotations and kept terms are names
        return _mark_kept(str(message.arg(lang))) if _marking.get() else str(message.arg(lang))
    if message.key.startswith(RULES_PREFIX + "."):  # a rule's own words: no placeholders, written as is
        words = _template(message.key, lang)
        return _mark_kept(words) if _marking.get() else words
    template = _template(message.key, lang)
    parts = _parsed(template)
    if parts is None:
        return _Formatter(lang).vformat(template, (), dict(message.args))
    args = dict(message.args)
    out: list[str] = []
    for literal, field, spec in parts:
        out.append(literal)
        if field is not None:
            try:
                value = args[field]
            except KeyError:
                raise KeyError(f"missing argument {field!r}") from None
            out.append(_format_field(value, spec, lang))
    return "".join(out)


def both(message: Message) -> dict[str, str]:
    """``{"vi": …, "en": …}``: the JSON contract's shape for a user-facing text."""
    return {lang: text(message, lang) for lang in LANGS}


def word(key: str, lang: Lang, **args: Arg) -> str:
    """A label or phrase straight from the catalogue: ``word("report.as_of", "vi")``."""
    return text(msg(key, **args), lang)


_formatted: dict[tuple[type, str, Lang], str] = {}


@lru_cache(maxsize=1024)  # Babel's list patterns are slow to look up, and the same lists recur
def _joined(items: tuple[str, ...], style: str, lang: Lang) -> str:
    from babel.lists import format_list

    return format_list(list(items), style=style, locale=lang)  # type: ignore[arg-type]


def format_value(value: Arg, lang: Lang) -> str:
    """One argument as the reader writes it: 30/06/2024 or June 30, 2024; 1.000.000 or 1,000,000."""
    if type(value) is str:  # the most common argument: a name or a quotation
        return name(value)
    if isinstance(value, Message):
        return text(value, lang)
    if isinstance(value, bool):
        return word("value.yes" if value else "value.no", lang)
    if value is None:
        return word("value.none", lang)
    if isinstance(value, Money):
        return word("value.money", lang, amount=value.amount)
    if isinstance(value, (int, Decimal, date)):  # Babel is slow, and the same dates and amounts recur: each formatted once
        key = (type(value), str(value), lang)  # str, not the value: Decimal("1.0") == Decimal("1") reads "1,0"
        found = _formatted.get(key)
        if found is None:
            from babel.dates import format_date, format_datetime  # imported on first use: start-up stays cheap
            from babel.numbers import format_decimal

            if len(_formatted) >= 8192:
                _formatted.clear()
            if isinstance(value, (int, Decimal)):
                found = format_decimal(value, locale=lang, decimal_quantization=False)
            elif isinstance(value, datetime):
                found = format_datetime(value, "HH:mm dd/MM/yyyy" if lang == "vi" else "yyyy-MM-dd HH:mm", locale=lang)
            else:
                found = format_date(value, "dd/MM/yyyy" if lang == "vi" else "d MMMM yyyy", locale=lang)
            _formatted[key] = found
        return found
    if isinstance(value, tuple):
        return _joined(tuple(format_value(v, lang) for v in value), "standard", lang) if value else word("value.none", lang)
    return name(value)


for _clear in (_text.cache_clear, _formatted.clear, _joined.cache_clear):
    forgettable(_clear)
