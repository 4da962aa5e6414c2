"""The renderers' styled lines ("[bold]Trung tâm:[/bold] …", rich's markup), shown without rich
when no terminal would show the styles.

A report piped to a file or another program carries no colour, so rich (≈ 25 ms to import, a
tenth of a cold `quyche check`) is needed only for a terminal. Off a terminal this module reads
the markup itself and writes exactly the characters rich would write (tests/test_markup.py
checks both ways on generated text): the tags are dropped, ``\\[`` is a literal bracket, control
characters shown escaped (compliance.terminal.sanitise). ``escape`` is
rich's own rule for putting a value into markup, so a value never reads as a style either way.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any, Protocol, cast

from compliance.terminal import SafeStream, sanitise

__all__ = ["PlainConsole", "Printer", "escape", "plain", "styled_console", "shows_styles"]

# rich.markup's patterns (rich 13–15): a tag is "[" then a letter, "#", "/" or "@", up to "]",
# possibly preceded by backslashes that escape it.
_TAGS = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def _escape_backslashes(match: re.Match[str]) -> str:
    backslashes, tag = match.groups()
    return f"{backslashes}{backslashes}\\{tag}"


def escape(text: str) -> str:
    """``text`` safe to put into markup: what looks like a tag is escaped (rich.markup.escape)."""
    text = _ESCAPE.sub(_escape_backslashes, text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def plain(markup: str) -> str:
    """The characters rich shows for ``markup``: tags dropped, escaped brackets and backslashes resolved."""
    if "[" not in markup:
        return markup
    out: list[str] = []
    position = 0
    for match in _TAGS.finditer(markup):
        full, escapes, _ = match.groups()
        start, end = match.span()
        if start > position:
            out.append(markup[position:start].replace("\\[", "["))
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            out.append("\\" * backslashes)
            if escaped:  # an escaped tag is text
                out.append(full[len(escapes) :].replace("\\[", "["))
    if position < len(markup):
        out.append(markup[position:].replace("\\[", "["))
    return "".join(out)


class Printer(Protocol):
    """What the renderers print with: a rich Console, or a PlainConsole off a terminal."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool | None = None) -> None: ...


class PlainConsole:
    """The part of a rich Console the renderers use (``print`` of strings), for text without styles."""

    def __init__(self, file: IO[str] | None = None, *, markup: bool = False, stderr: bool = False) -> None:
        self._file = file
        self._stderr = stderr
        self._markup = markup

    @property
    def file(self) -> IO[str]:
        stream = self._file or (sys.stderr if self._stderr else sys.stdout)
        # This console sanitises its own strings (as compliance.console.SafeConsole does).
        return cast(IO[str], stream.unsanitised) if isinstance(stream, SafeStream) else stream

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool | None = None) -> None:
        read = self._markup if markup is None else markup
        texts = [str(o) for o in objects]
        if any("\t" in t for t in texts):  # rich expands tabs by cell widths (wide and combining letters): let rich do it
            self._rich().print(*texts, sep=sep, end=end, markup=read)
            return
        self.file.write(sep.join(plain(sanitise(t)) if read else sanitise(t) for t in texts) + end)

    def _rich(self) -> Printer:
        from compliance.console import SafeConsole

        return SafeConsole(file=self.file, highlight=False, soft_wrap=True, emoji=False, markup=self._markup)


def shows_styles(stream: IO[str]) -> bool:
    """Whether rich would style what goes to ``stream``: a terminal, or one forced by FORCE_COLOR / TTY_COMPATIBLE."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def styled_console(*, stderr: bool = False) -> Printer:
    """The console of a command's styled text: rich's (sanitised) on a terminal, else a PlainConsole."""
    stream = sys.stderr if stderr else sys.stdout
    if not shows_styles(stream):
        return PlainConsole(markup=True, stderr=stderr)
    from compliance.console import SafeConsole

    # No wrapping off a terminal keeps reports byte-identical; a terminal wraps at word boundaries.
    return SafeConsole(highlight=False, soft_wrap=not stream.isatty(), emoji=False, markup=True, stderr=stderr)
