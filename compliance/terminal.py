"""What reaches a terminal: text from setups, paths and rule files shown, never obeyed.

A setup value such as ``"\\x1b]0;owned\\x07\\x1b[2J"`` would retitle the window and clear the
screen if printed raw; U+202E would reverse what follows. Every such character is shown as its
``\\uXXXX`` escape instead, which is also how JSON spells it, so JSON output stays valid JSON
with the same data. Rich markup is never read from these strings: they are printed as text.
"""

from __future__ import annotations

import io
import os
import re
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from compliance.console import SafeConsole

__all__ = ["OutputError", "SafeConsole", "SafeStream", "install", "sanitise"]

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
# (the "Trojan Source" characters), plus the line and paragraph separators some terminals obey.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


# Select Graphic Rendition (colour, bold): what rich writes to style its output.
# It cannot move the cursor, clear the screen, retitle the window or open a link.
_SGR_OR_UNSAFE = re.compile("(\x1b\\[[0-9;:]*m)|" + _UNSAFE.pattern)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _escape_but_sgr(match: re.Match[str]) -> str:
    return match.group(1) or f"\\u{ord(match.group()):04x}"


def sanitise(text: str, keep_styles: bool = False) -> str:
    """``text`` with every control character shown as ``\\uXXXX`` (tab and newline kept).

    ``keep_styles`` keeps colour and bold sequences (SGR): the stream-level sanitiser lets
    styles written by a library through; values never reach it raw from a SafeConsole or a
    PlainConsole (compliance.markup), which sanitise them completely.
    """
    if not _UNSAFE.search(text):
        return text
    return _SGR_OR_UNSAFE.sub(_escape_but_sgr, text) if keep_styles else _UNSAFE.sub(_escape, text)


def __getattr__(name: str) -> object:
    # The console (and rich) is imported when a command prints styled text: `check --format json`,
    # an audit to a file and the entry point's stream guards do without it.
    if name == "SafeConsole":
        from compliance.console import SafeConsole

        return SafeConsole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _closed(stream: IO[Any]) -> None:
    """The reader closed the pipe (``quyche check … | head -1``): the rest goes to /dev/null.

    The command runs to its end, quietly, so that its exit code still says what it found:
    a compliant setup piped to ``head`` exits 0, never 1.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):  # pragma: no cover - not a real file
        pass


class OutputError(Exception):
    """Writing to stdout or stderr failed (full disk, I/O error).

    Deliberately not an OSError: the command-line framework turns a closed pipe into exit 1
    ("violation"), and the entry point must decide instead (``compliance.cli.main``).
    """

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class SafeStream(io.TextIOBase):
    """A text stream that sanitises what is written to it, for output not made by a SafeConsole."""

    def __init__(self, raw: IO[str], sanitising: bool = True) -> None:
        super().__init__()
        self.raw = raw
        self.sanitising = sanitising

    @property
    def unsanitised(self) -> SafeStream:
        """The same stream, written as is (still turning write failures into OutputError)."""
        return SafeStream(self.raw, sanitising=False) if self.sanitising else self

    def write(self, text: str) -> int:
        try:
            self.raw.write(sanitise(text, keep_styles=True) if self.sanitising else text)
        except BrokenPipeError:
            _closed(self.raw)
        except OSError as exc:
            raise OutputError(exc) from None
        return len(text)

    def flush(self) -> None:
        try:
            self.raw.flush()
        except BrokenPipeError:
            _closed(self.raw)
            self.raw.flush()  # what was pending now goes to /dev/null
        except OSError as exc:
            raise OutputError(exc) from None

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", "utf-8")

    @property
    def buffer(self) -> _Bytes:
        # Bytes (an .ics written to standard output) are passed as they are unless a terminal shows them.
        return _Bytes(self.raw.buffer)  # type: ignore[attr-defined]


class _Bytes(io.RawIOBase):
    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw

    def write(self, data: Any) -> int:
        if self.raw.isatty():
            # Bytes shown on a terminal (an .ics printed without --out) are sanitised like text.
            data = sanitise(bytes(data).decode("utf-8", errors="replace")).encode("utf-8")
        try:
            return self.raw.write(data)
        except BrokenPipeError:
            _closed(self.raw)
            return len(data)
        except OSError as exc:
            raise OutputError(exc) from None

    def flush(self) -> None:
        try:
            self.raw.flush()
        except BrokenPipeError:
            _closed(self.raw)
            self.raw.flush()
        except OSError as exc:
            raise OutputError(exc) from None

    def writable(self) -> bool:
        return True


def install() -> None:
    """Sanitise everything the process writes to stdout and stderr from here on."""
    # A stream the caller closed (``quyche check … >&-``) is None: like a closed pipe, it reads nothing.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
