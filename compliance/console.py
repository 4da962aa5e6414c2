"""The rich Console of every command's styled output: its strings sanitised (:mod:`compliance.terminal`).

A module of its own so that rich is imported only by a command that prints styled text.
"""

from __future__ import annotations

from typing import IO, Any, cast

from rich.console import Console
from rich.text import Text

from compliance.terminal import SafeStream, sanitise

__all__ = ["SafeConsole"]


class SafeConsole(Console):
    """A rich Console whose strings are sanitised, and read as markup only when asked for.

    Styled lines (``markup=True``) are written by our own code, with every user value passed
    through ``rich.markup.escape``; anything else is plain text.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)

    @property
    def file(self) -> IO[str]:
        # Past the sanitising of the SafeStream installed by ``install``: this console sanitises
        # its own strings, and its colour codes must reach the terminal.
        stream = super().file
        return cast(IO[str], stream.unsanitised) if isinstance(stream, SafeStream) else stream

    @file.setter
    def file(self, new_file: IO[str]) -> None:
        self._file = new_file

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(sanitise(text), **kwargs)
