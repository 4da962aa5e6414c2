"""A fast reader for setup files: yaml-rs where its answer is provably PyYAML's, else "not sure".

PyYAML's C loader spends its time building Python objects for every node and mark (0.9 s for
a 2.7 MB setup of 10,000 staff); yaml-rs (a Rust parser) builds the data directly in 0.05 s.
But yaml-rs speaks YAML 1.2 and quyche's setups are read as PyYAML reads them (YAML 1.1:
``yes`` is true, ``017`` is 15, ``2024-06-30`` a date, ``1e3`` a string), and it cannot say
whether a scalar was quoted. So :func:`fast_load` returns yaml-rs's data only when it can
prove PyYAML's would be identical, and ``None`` ("not sure") otherwise; the caller then reads
the file with the C loader, which also gives every error its line and column.

How it proves it:
- The text is screened first, with a few C-speed scans: no tags, anchors, aliases, merge keys,
  directives or document markers (so no alias bomb ever reaches yaml-rs), no tab, no line
  break YAML 1.1 knows and 1.2 does not, no character libyaml rejects, no line that begins so
  deep that the nesting could approach yaml-rs's own recursion (see PREFIX_CAP).
  Nor any construct that fuzzing against libyaml showed the two parsers to read differently
  (a node starting with ':' or '?', '[>x]', a flow mapping whose key goes on to the next line).
- Each quoted scalar on one line whose text YAML 1.1 would read as another type if it were
  plain (``"2024-06-30"``, ``'yes'``) is replaced by a mark, so that after yaml-rs has read
  the text (dates left as text, duplicate keys refused) such a string without a mark was
  written plain (a string with a space might have been folded from quoted lines, one could be
  spelled with an escaped line break or in a stripped block scalar: then not sure).
- The result is walked once: depth and list lengths within the limits; marks undone; every
  plain string that YAML 1.1 reads as another type (a date, ``yes``, ``1:30``) is resolved
  and constructed by PyYAML's own resolver and constructors; every integer is one both read
  alike (no ``017``, ``0o17``, ``09`` or ``_1`` written as a scalar anywhere, no more digits
  than Python converts); any float, or any value PyYAML could not construct or quyche's
  loader would report (a date out of range), means "not sure".

The differential tests (tests/test_yaml_reader.py) compare it with the C loader on every
example and hostile file, generated documents in every scalar style and typing slips.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

__all__ = ["fast_load", "worth_reading_fast"]

# The deepest a line may begin (indentation and '- ' or '? ' indicators) to be read fast.
# yaml-rs builds Python objects recursively, one call per level. A block node starts where its
# line's prefix ends (a block collection cannot start after 'key: ' on the same line), and its
# depth is at most twice its column; flow collections add at most yaml-rs's own limit (~256).
# So depth ≤ 2 × 128 + 2 + 256 = 514 levels, half of what a 512 kB thread stack was measured to
# hold (an 8 MB stack holds 10,000): a deeper file is left to the C loader, which says where.
PREFIX_CAP = 128

# Characters libyaml refuses, and those YAML 1.1 reads as line breaks (NEL, LS, PS) or space
# (tab) where YAML 1.2 does not; a byte-order mark inside the text.
_ODD_CHARACTER = re.compile("[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# An anchor, alias or tag: '&', '*' or '!' where a node starts (or a word starting with '&').
_PROPERTY = re.compile(r"[&*!](?<![^\s\[\]{},:][&*!])")
_STRUCTURE = ("<<", "\n%", "\n---", "\n...")  # merge keys, directives, documents
_DEEP_LINE = re.compile(rf"\n[ ?-]{{{PREFIX_CAP}}}")  # see PREFIX_CAP (the first line is measured apart)
# A node that starts with ':' (an empty key, a plain scalar such as ':x' or '::'), or ':' right
# before a flow indicator ('[a:]'): libyaml and YAML 1.2 read these differently. Found from the
# colon (fast); a colon after an indicator or a line's start, with or without spaces between.
_COLON_NODE = re.compile(r":(?:(?<=[\n\[{,:-]:)|(?<=[\n\[{,:\s-][ \t]:)|[,\[\]{}])")
# The same for '?' (libyaml reads any '?' starting a node as an explicit key: '[?]', '{a: ?x}')
# and for '|' or '>' starting a node that is not a block scalar's header ('[>x]': libyaml refuses
# it in a flow collection, YAML 1.2 reads a string). Only run when the text has one of '?|>'.
_OTHER_NODE = re.compile(r"(?:^|[\[{,:-])[ \t]*(?:\?|[|>](?![-+1-9]*[ \t]*(?:#[^\n]*)?$))", re.MULTILINE)
# An integer that YAML 1.1 and 1.2 read differently (017: 15 or 17; 09, 0o17, 0X1F, 0B1, _1: a string
# or a number), as a whole plain scalar: found where it may start (a '0' or '_' that no letter or
# digit precedes), then checked where a node starts (see _risky_int) and up to its end (line end,
# comment, flow indicator, ': ').
_INT_START = re.compile(r"0[0-9_oOBX](?<!\w0.)|_(?<!\w_)")
_RISKY_INT = re.compile(r"[-+]?(?:0[0-9_oOBX]|_)[0-9a-fA-F_]*(?=[ \t]*(?:$|#|[,\]}]|:(?:[ \t]|$)))", re.MULTILINE)
# A block scalar that strips its final line break can spell "2024-06-30" without quotes.
_STRIP_BLOCK = re.compile(r"[|>](?:[1-9]?-|-[1-9])")
# Every run of characters between a quote and the next same quote on the line, overlapping: a
# superset of the single-line quoted scalars, whatever apostrophes plain text holds.
_QUOTED = re.compile(r"""(?=(['"])([^\n]*?)\1)""")
# Private-use characters that stand for a quoted spelling while yaml-rs reads the text.
_MARK, _MARK_END = "\ue000", "\ue001"
_MAX_INT_BITS = 14_000  # Python converts at most 4,300 digits (≈ 14,284 bits): PyYAML fails beyond
_STR = "tag:yaml.org,2002:str"
_UNSURE: Any = object()


class _Resolver:
    """PyYAML's own YAML 1.1 resolution and construction of one plain scalar, memoised."""

    def __init__(self, earliest: date, latest: date) -> None:
        import yaml

        resolver = yaml.resolver.Resolver()
        self.resolve: Callable[[type, str, tuple[bool, bool]], str] = resolver.resolve  # PyYAML's is untyped
        self.constructor = yaml.constructor.SafeConstructor()
        self.node = yaml.ScalarNode
        self.first = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
        self.range = (earliest, latest)
        self.looks: dict[str, bool] = {}

    def typed(self, value: str) -> bool:
        """Whether a *plain* scalar spelled ``value`` would not be a string in YAML 1.1."""
        seen = self.looks.get(value)
        if seen is None:
            seen = self.looks[value] = self.resolve(self.node, value, (True, False)) != _STR
        return seen

    def construct(self, value: str) -> Any:
        """PyYAML's value for the plain scalar ``value``, or _UNSURE when it could not be built or is out of range."""
        tag = self.resolve(self.node, value, (True, False))
        build = self.constructor.yaml_constructors.get(tag)
        if build is None:
            return _UNSURE  # '=' (the value tag), '<<' outside a mapping: the C loader says why
        try:
            result = build(self.constructor, self.node(tag, value))
        except Exception:  # noqa: BLE001 - 30 February, 5,000 digits: the C loader reports it at its place
            return _UNSURE
        day = result.date() if isinstance(result, datetime) else result
        if isinstance(day, date) and not self.range[0] <= day <= self.range[1]:
            return _UNSURE  # the C loader reports a date out of range
        return result


# In a fresh process a small setup is read sooner by the C loader (0.9 ms for 5 kB) than yaml-rs
# is imported (1.6 ms): the fast reader starts with a large file, or once the process has read
# a few small ones (an audit, the web app).
_FAST_FROM = 16_384
_read_so_far = 0


def worth_reading_fast(size: int) -> bool:
    """Whether a setup of ``size`` characters is read sooner by :func:`fast_load` than by the C loader.

    ``QUYCHE_FAST_YAML=0`` turns the fast reader off: everything is read by the C loader alone."""
    global _read_so_far
    if os.environ.get("QUYCHE_FAST_YAML", "").strip() == "0":
        return False
    _read_so_far += size
    return size >= _FAST_FROM or _read_so_far >= 4 * _FAST_FROM or "yaml_rs" in sys.modules


def fast_load(text: str, depth: int, records: int, earliest: date, latest: date) -> dict[Any, Any] | None:
    """The mapping ``yaml.load(text, CSafeLoader)`` gives, or None when that cannot be proved here.

    None also for anything the C loader would reject or report (a syntax error, a duplicate key,
    a value it cannot construct, a date outside ``earliest``…``latest``, nesting deeper than
    ``depth``, a list longer than ``records``): the caller reads the file again to say where.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # the same data in both readers; a lone CR stays, and is refused below
    if _unsure_text(text):
        return None
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - an install without the fast reader: the C loader reads everything
        return None
    reader = _Reader(yaml_rs, _Resolver(earliest, latest))
    marked = reader.mark_quoted(text)
    if marked is None:
        return None
    try:
        data = yaml_rs.loads(marked, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # noqa: BLE001 - a syntax error, a duplicate key…: the C loader says where
        return None
    if not isinstance(data, dict):
        return None
    return reader.checked(text, data, depth, records)


def _unsure_text(text: str) -> bool:
    """Whether the text holds anything the fast path does not read like PyYAML (C-speed scans)."""
    if not text.replace("\n", "").isprintable() and _ODD_CHARACTER.search(text):
        return True  # isprintable() is stricter than libyaml (no-break space…): then the exact test
    if any(c in text for c in "&*!") and _PROPERTY.search(text):
        return True
    if any(s in text for s in _STRUCTURE) or text.startswith(("%", "---", "...")) or _MARK in text:
        return True
    first_line = text[: text.find("\n") + 1] or text
    if _COLON_NODE.search(text) or _COLON_NODE.search("\n" + first_line):
        return True
    if any(c in text for c in "?|>") and _OTHER_NODE.search(text):
        return True
    if "{" in text and any(_open_mapping(line) for line in _BRACE_LINE.findall(text)):
        return True
    return _DEEP_LINE.search(text) is not None or _DEEP_LINE.match("\n" + text[:PREFIX_CAP]) is not None


_BRACE_LINE = re.compile(r"^[^\n]*\{[^\n]*$", re.MULTILINE)


def _open_mapping(line: str) -> bool:
    """Whether a '{' on this line may open a flow mapping that goes on to the next line.

    libyaml refuses a key that spans lines in a flow mapping (``{x⏎ y: 1}``), YAML 1.2 reads it:
    a flow mapping is read fast only when it closes on the line it opens. A quote counts as a
    quoted scalar only where a node starts (after ``{ [ , :`` or at the line's start); any other
    quote (``O'Brien``) on such a line means not sure.
    """
    depth = 0
    quote = ""
    last = ""  # the last character outside quotes that is not a space
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                if quote == "'" and line[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    quote = ""
                    last = c
        elif c in "'\"":
            if last not in ("", "{", "[", ",", ":", "-", "?"):
                return True
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c not in " \t" and not quote:
            last = c
        i += 1
    return depth != 0 or bool(quote)


def _risky_int(text: str) -> bool:
    """Whether an integer that YAML 1.1 and 1.2 read differently may be written in the text."""
    for found in _INT_START.finditer(text):
        start = found.start()
        if start and text[start - 1] in "+-":
            start -= 1  # its sign
        before = start
        while before and text[before - 1] in " \t":
            before -= 1
        # Where a node starts: a line's start, after '[', '{' or ','; after ': ', '- ' or '? '.
        mark = text[before - 1] if before else "\n"
        if mark in "\n[{," or (mark in ":?-" and before < start):
            if _RISKY_INT.match(text, start):
                return True
    return False


class _Reader:
    """One file's reading: which quoted spellings were marked, and PyYAML's value of each plain one."""

    def __init__(self, yaml_rs: Any, resolver: _Resolver) -> None:
        self.yaml_rs = yaml_rs
        self.resolver = resolver
        self.marks: dict[str, str] = {}  # mark → the quoted spelling it stands for
        self.built: dict[str, Any] = {}
        self.spelled_otherwise: bool | None = None  # whether an escaped line break or a stripped block scalar is written

    def ambiguous(self, spelled: str) -> bool:
        """Whether YAML 1.1 reads plain ``spelled`` as another type than a string, and yaml-rs as a string.

        Only then does it matter whether ``spelled`` was written quoted: a string that yaml-rs
        would have read as a number, a boolean or null (``"2024"``) can only have been quoted.
        """
        if not (spelled and spelled[0] in self.resolver.first and self.resolver.typed(spelled)):
            return False
        try:
            alone = self.yaml_rs.loads(spelled, parse_datetime=False)
        except Exception:  # noqa: BLE001 - not a scalar of its own
            return True
        return not (alone is None or isinstance(alone, (bool, int, float)))

    def mark_quoted(self, text: str) -> str | None:
        """The text with each single-line quoted scalar that is ambiguous replaced by a mark (None: not sure).

        After yaml-rs has read the marked text, a string holding a mark was written quoted (or
        held a quoted phrase), and every ambiguous string left was written plain.
        """
        if "'" not in text and '"' not in text:
            return text
        found: set[str] = set()
        for quote, inside in _QUOTED.findall(text):
            if self.ambiguous(inside):
                found.add(inside)
            elif quote == '"' and "\\" in inside:  # an escape could spell a date: decode as libyaml does
                import yaml

                try:
                    decoded = yaml.load(f'"{inside}"', Loader=yaml.CSafeLoader)
                except yaml.YAMLError:
                    return None
                if isinstance(decoded, str) and self.ambiguous(decoded):
                    return None
        if not found:
            return text
        for i, spelled in enumerate(sorted(found)):
            self.marks[f"{_MARK}{i}{_MARK_END}"] = spelled
        by_spelling = {v: k for k, v in self.marks.items()}
        spellings = "|".join(re.escape(s) for s in sorted(found, key=len, reverse=True))
        pattern = re.compile(r"""(['"])(""" + spellings + r""")\1""")
        return pattern.sub(lambda m: m[1] + by_spelling[m[2]] + m[1], text)

    def unmarked(self, value: str) -> str:
        for mark, spelled in self.marks.items():
            value = value.replace(mark, spelled)
        return value

    def plain(self, text: str, spelled: str) -> Any:
        """PyYAML's value of the ambiguous string ``spelled``, written plain (or _UNSURE)."""
        if spelled not in self.built:
            # Folding a quoted scalar over lines leaves a space; a stripped block scalar or an
            # escaped line break could spell it too: then not sure.
            if self.spelled_otherwise is None:
                self.spelled_otherwise = "\\\n" in text or _STRIP_BLOCK.search(text) is not None
            sure = not self.spelled_otherwise and not any(c.isspace() for c in spelled)
            self.built[spelled] = self.resolver.construct(spelled) if sure else _UNSURE
        return self.built[spelled]

    def checked(self, text: str, root: dict[Any, Any], depth: int, records: int) -> dict[Any, Any] | None:
        """``root`` with YAML 1.1's plain scalars resolved and the marks undone, or None when not sure."""
        first = self.resolver.first
        typed = self.resolver.typed
        marked = bool(self.marks)
        values: list[tuple[Any, Any, str]] = []  # (container, key or index, a string YAML 1.1 may read otherwise)
        keys: list[dict[Any, Any]] = []  # mappings with such a key, or a marked one
        has_int = False
        stack: list[tuple[Any, int]] = [(root, 1)]
        items: Iterable[tuple[Any, Any]]
        while stack:
            node, level = stack.pop()
            if level > depth:
                return None
            if isinstance(node, dict):
                items = node.items()
                rebuild = False
                for key in node:
                    if type(key) is str:
                        rebuild = rebuild or bool(key and key[0] in first and typed(key) or marked and _MARK in key)
                    elif key is None or type(key) is bool:
                        pass
                    elif type(key) is int:
                        has_int = True
                        if key.bit_length() > _MAX_INT_BITS:
                            return None
                    else:
                        return None  # a float or a collection as a key
                if rebuild:
                    keys.append(node)
            else:
                if len(node) > records:
                    return None
                items = enumerate(node)
            for where, value in items:
                kind = type(value)
                if kind is str:
                    if value and value[0] in first and typed(value) or marked and _MARK in value:
                        values.append((node, where, value))
                elif kind is dict or kind is list:
                    stack.append((value, level + 1))
                elif value is None or kind is bool:
                    pass
                elif kind is int:
                    has_int = True
                    if value.bit_length() > _MAX_INT_BITS:
                        return None
                else:
                    return None  # a float (YAML 1.1 and 1.2 spell them differently), or what a tag would make
        if has_int and _risky_int(text):
            return None
        for container, where, spelled in values:
            value = self.resolved(text, spelled)
            if value is _UNSURE:
                return None
            container[where] = value
        for mapping in keys:
            pairs = list(mapping.items())
            mapping.clear()
            for key, value in pairs:
                if type(key) is str:
                    key = self.resolved(text, key)
                    if key is _UNSURE:
                        return None
                if key in mapping:
                    return None  # `yes:` and `true:`: one key twice, which the C loader reports
                mapping[key] = value
        return root

    def resolved(self, text: str, spelled: str) -> Any:
        if _MARK in spelled:
            return self.unmarked(spelled)  # written quoted: a string
        return self.plain(text, spelled) if self.ambiguous(spelled) else spelled
