"""A value as the user wrote it, cut short: an error message never repeats a whole input."""

from __future__ import annotations

import reprlib

__all__ = ["shown"]

_REPR = reprlib.Repr()  # a value's repr, cut short while it is built (Python 3.11 takes no arguments here)
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60


def shown(value: object, width: int = 60) -> str:
    """A value as the user wrote it, cut short: an error message never repeats a whole input."""
    text = value[: width + 1] if isinstance(value, str) else _REPR.repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"
