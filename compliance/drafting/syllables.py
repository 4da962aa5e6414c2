"""Is this a Vietnamese syllable? Onset + rime + tone from Vietnamese phonotactics, not a word list.

A written syllable is an optional onset (b, ch, ngh …), a rime (a nucleus with an optional
medial before and a coda after: "oan", "ương", "uyêt") and a tone mark on the nucleus. The
spelling rules checked: the rime is one Vietnamese has; c/g/ng are not written before e, ê, i
(k/gh/ngh are) and k/gh/ngh only before them; a syllable closed by p, t, c or ch carries the
sắc or nặng tone only.
"""

from __future__ import annotations

import unicodedata

__all__ = ["is_vietnamese_syllable", "looks_vietnamese"]

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}
_ONSETS = sorted("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(), key=len, reverse=True)
_OPEN = set(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua ui uê uơ uy ưa ưi ưu ươi ươu uôi iêu yêu oai oay oao oeo uây uya uyu uyê".split()
)
_CODA_RIMES = {
    "a": "c ch m n ng nh p t",
    "ă": "c m n ng p t",
    "â": "c m n ng p t",
    "e": "c m n ng p t",
    "ê": "ch m n nh p t",
    "i": "ch m n nh p t",
    "o": "c m n ng p t",
    "oo": "c ng",
    "ô": "c m n ng p t",
    "ơ": "m n p t",
    "u": "c m n ng p t",
    "ư": "c m n ng t",
    "iê": "c m n ng p t",
    "yê": "m n t",
    "uô": "c m n ng t",
    "ươ": "c m n ng p t",
    "oa": "c ch m n ng nh p t",
    "oă": "c m n ng t",
    "oe": "m n t",
    "uâ": "n ng t",
    "uê": "ch nh",
    "uy": "ch n nh p t",
    "uyê": "n t",
}
_RIMES = set(_OPEN)
for _nucleus, _codas in _CODA_RIMES.items():
    _RIMES.update(_nucleus + c for c in _codas.split())
_STOPS = ("p", "t", "c", "ch")
_FRONT = ("e", "ê", "i", "y")
_VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


def _split_tone(word: str) -> tuple[str, str | None]:
    tone: str | None = None
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            if tone is not None:
                return "", "double"
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def looks_vietnamese(word: str) -> bool:
    """A token worth checking: letters only, with a Vietnamese diacritic (not an ASCII acronym)."""
    word = unicodedata.normalize("NFC", word)
    if not word.isalpha() or not any(c in "aăâeêioôơuưy" for c in _split_tone(word.lower())[0]):
        return False  # no vowel: an acronym (HĐND, QĐ) or the letter đ
    if any(c in _VIETNAMESE_LETTERS for c in word):
        return True
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word))


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (any case) is a well-formed Vietnamese syllable."""
    word = unicodedata.normalize("NFC", word)
    base, tone = _split_tone(word.lower())
    if not base or tone == "double":
        return False
    for onset in [*_ONSETS, ""]:
        if not base.startswith(onset):
            continue
        rime = base[len(onset) :]
        if onset == "gi" and (rime == "" or rime[:1] not in ("i",)):
            candidates = [rime, "i" + rime] if rime else ["i"]
        elif onset == "qu":
            candidates = [rime, "u" + rime] if rime and not rime.startswith("u") else [rime]
        else:
            candidates = [rime]
        for r in candidates:
            if r not in _RIMES:
                continue
            if onset in ("c", "g", "ng") and r.startswith(_FRONT) and onset != "g":
                continue
            if onset in ("k", "gh", "ngh") and not r.startswith(_FRONT):
                continue
            if r.endswith(_STOPS) and tone not in ("sac", "nang"):
                continue
            return True
    return False
