"""Vietnamese text keys: compare names after NFC normalisation, whatever the tone-mark placement.

"hòa" (old placement) and "hoà" (new placement) are the same word; so are "Thủy" and "Thuỷ".
A comparison key moves every tone mark of a syllable to its end, folds case and spaces, and
keeps every other diacritic (â, ă, ê, ô, ơ, ư, đ), which do change the word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["nfc", "text_key", "same_text", "squash_spaces"]

# The five Vietnamese tone marks as combining characters (after NFD).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    """The NFC form of ``text``: the form in which quyche stores and prints every string."""
    return unicodedata.normalize("NFC", text)


def squash_spaces(text: str) -> str:
    """Collapse runs of white space (line breaks of extracted PDFs included) to one space."""
    return " ".join(text.split())


def _syllable_key(match: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFD", match.group(0))
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    letters = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", letters) + tones


@lru_cache(maxsize=16384)  # the same titles and names are compared over and over in one check
def text_key(text: str) -> str:
    """A key equal for two spellings of the same Vietnamese text (case, spaces, tone placement)."""
    folded = squash_spaces(unicodedata.normalize("NFC", text)).casefold()
    return _WORD.sub(_syllable_key, folded)


def same_text(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same Vietnamese text (see :func:`text_key`)."""
    return text_key(a) == text_key(b)
