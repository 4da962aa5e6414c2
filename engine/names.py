"""Vietnamese administrative names: units, bodies and positions, as a reader of official texts means them.

A setup writes "Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh", "VP HĐND-UBND TP Cao Lãnh" or
"Chánh Văn phòng HĐND và UBND thành phố" for the same person; a regulation writes the last one and
means *this centre's* city. This module turns such free text into a :class:`Name`
(position, body, unit) after folding what does not change the meaning: Unicode form (NFC/NFD),
case, spacing (NBSP included), punctuation (a hyphen or a comma between words), tone-mark placement
("hòa"/"hoà"), the y/i spelling ("chiến sỹ"/"chiến sĩ") and the official abbreviations (TT&TT,
KH&ĐT, UBND, TP …). Tone marks themselves are kept: "truyền thống" is not "truyền thông".

Matching is by whole words, never by substring, and a negated mention ("Không phải Sở …") never
matches. A regulation's name omits what it leaves free: "Trưởng phòng" accepts any office's head;
a unit given by its kind alone ("thành phố") is the centre's own unit. The comparison keys are the
ones :mod:`engine.reorganisation` uses for what ceased in 2025: one mechanism for both.

Pure data and logic: no wording (the catalogue words verdicts), no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from engine.memo import forgettable
from engine.text import nfc

__all__ = [
    "BODY_HEADS",
    "LEVELS",
    "POSITIONS",
    "UNIT_KINDS",
    "Name",
    "Unit",
    "contains_words",
    "fold",
    "key",
    "match_name",
    "mentions",
    "mismatch",
    "own_unit",
    "negated",
    "parse_name",
    "parse_unit",
    "starts_with_words",
    "titled",
    "words",
]

# Official abbreviations → the full form (or, for UBND/HĐND, the abbreviation every text uses).
# Order matters: the longer abbreviations first.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"Ủy ban nhân dân|Uỷ ban nhân dân|UBND", "UBND"),
    (r"Hội đồng nhân dân|HĐND", "HĐND"),
    (r"HĐND\s*(?:[-–—&,/]|và)\s*UBND", "HĐND và UBND"),
    (r"VH\s*-?\s*TT\s*&\s*DL|VHTTDL|VH\s*-\s*TT\s*-\s*DL", "Văn hóa, Thể thao và Du lịch"),
    (r"VH\s*-\s*TT\s*-\s*TT|VHTTTT|VH\s*,\s*TT\s*&\s*TT|VH\s*-\s*TT\s*&\s*TT", "Văn hóa, Thể thao và Truyền thanh"),
    (r"VH\s*&\s*TT|VHTT", "Văn hóa và Thông tin"),
    (r"TT\s*&\s*TT|TTTT", "Thông tin và Truyền thông"),
    (r"KH\s*&\s*ĐT|KHĐT", "Kế hoạch và Đầu tư"),
    (r"KH\s*&\s*CN|KHCN", "Khoa học và Công nghệ"),
    (r"TN\s*&\s*MT|TNMT", "Tài nguyên và Môi trường"),
    (r"NN\s*&\s*PTNT|NNPTNT", "Nông nghiệp và Phát triển nông thôn"),
    (r"LĐ\s*-?\s*TB\s*&\s*XH|LĐTBXH|LĐ\s*-\s*TB\s*-\s*XH", "Lao động - Thương binh và Xã hội"),
    (r"GD\s*&\s*ĐT|GDĐT", "Giáo dục và Đào tạo"),
    (r"CNTT", "công nghệ thông tin"),
    (r"TTTH", "Trung tâm Tin học"),
    (r"PGĐ", "Phó Giám đốc"),
    (r"GĐ", "Giám đốc"),
    (r"VP", "Văn phòng"),
    (r"TP\.?", "thành phố"),
    (r"TX\.?", "thị xã"),
    (r"TT\.", "thị trấn"),
    (r"T[WƯ]", "trung ương"),
]
_ABBREVIATION_RES = [(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), full) for pattern, full in _ABBREVIATIONS]
# Any of them, in one search: most texts (people's names) have none, and then no substitution can change them.
_ANY_ABBREVIATION = re.compile("|".join(rf"(?<!\w)(?:{pattern})(?!\w)" for pattern, _ in _ABBREVIATIONS), re.IGNORECASE)
# Punctuation separates words and carries no meaning in a name ("Văn hóa, Thể thao" = "Văn hóa - Thể thao").
_PUNCTUATION = re.compile(r"[^\w\s&\u0300-\u036f]+")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# "sỹ"/"sĩ", "kỹ"/"kĩ", "lý"/"lí": a final y after a consonant is the older spelling of i.
_FINAL_Y = re.compile(r"^([bcdđhklmnprstvx]|ch|kh|ng|nh|ph|th|tr|gh)y$")


@lru_cache(maxsize=8192)  # a language's syllables are few: each folded once
def _syllable(word: str) -> str:
    """One word's key: tone mark moved to the end (placement folded, tone kept), y/i folded."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    letters = _FINAL_Y.sub(r"\1i", letters)
    return letters + tones


def expand(text: str) -> str:
    """``text`` in NFC with the official abbreviations written out."""
    out = " ".join(nfc(text).split())  # NBSP, tabs and doubled spaces are one space
    if _ANY_ABBREVIATION.search(out) is None:
        return out
    for pattern, full in _ABBREVIATION_RES:
        out = pattern.sub(full, out)
    return out


@lru_cache(maxsize=16384)  # the same names are folded over and over in one check
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as comparison keys (abbreviations expanded, punctuation dropped)."""
    plain = _PUNCTUATION.sub(" ", expand(text)).replace("&", " và ")
    return tuple(_syllable(w) for w in plain.casefold().split())


def key(text: str) -> str:
    """A comparison key for a name: equal for two spellings of the same name."""
    return " ".join(words(text))


def fold(text: str) -> str:
    """Same as :func:`key` (kept as the verb the matching code reads best with)."""
    return key(text)


def _find(haystack: tuple[str, ...], needle: tuple[str, ...], start: int = 0) -> int:
    """The index of the whole-word ``needle`` in ``haystack`` from ``start``, or -1."""
    n = len(needle)
    if n == 0:
        return -1
    for i in range(start, len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


# A mention after one of these words (in the same text) is denied, not stated.
_NEGATIONS = tuple(words(w) for w in ("không", "chẳng", "chưa", "không phải", "chẳng phải", "trừ"))


def negated(text: str, before: int | None = None) -> bool:
    """Whether ``text`` (up to word index ``before``) denies what follows: "Không phải Sở …"."""
    ws = words(text)[:before]
    return any(_find(ws, n) >= 0 for n in _NEGATIONS)


def contains_words(text: str, needle: str) -> bool:
    """Whether ``text`` mentions ``needle`` as whole words, and does not deny it."""
    ws, ns = words(text), words(needle)
    i = _find(ws, ns)
    while i >= 0:
        if not negated(text, i):
            return True
        i = _find(ws, ns, i + 1)
    return False


def starts_with_words(text: str, prefix: str) -> bool:
    """Whether ``text`` begins with the whole words of ``prefix``."""
    ws, ps = words(text), words(prefix)
    return bool(ps) and ws[: len(ps)] == ps


# ------------------------------------------------------------------ units
# Kinds of administrative unit, longest first ("thị xã" before "xã"), with their level.
UNIT_KINDS: tuple[tuple[str, str], ...] = (
    ("thành phố trực thuộc trung ương", "province"),
    ("thành phố thuộc tỉnh", "district"),
    ("thành phố", "district"),  # a provincial city unless it is one of the centrally-run cities
    ("đặc khu", "commune"),
    ("thị trấn", "commune"),
    ("thị xã", "district"),
    ("tỉnh", "province"),
    ("huyện", "district"),
    ("quận", "district"),
    ("phường", "commune"),
    ("xã", "commune"),
)
# Levels of local government, by the names the events use (regulations/events/: `level "cấp huyện"
# ceases` on 2025-07-01). When a level ceased is the events' to say (engine.reorganisation), not this table's.
LEVELS: dict[str, str] = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
# The centrally-run cities (thành phố trực thuộc trung ương): before and after 2025 (Huế since 2025-01-01).
_CENTRAL_CITIES = frozenset(key(n) for n in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"))
_KIND_WORDS = tuple((words(k), k, level) for k, level in UNIT_KINDS)


@dataclass(frozen=True)
class Unit:
    """An administrative unit: its kind ("thành phố") and proper name ("Cao Lãnh"), both keys.

    ``name`` is None for a generic mention ("UBND thành phố"): in a regulation that means the
    centre's own unit of that kind.
    """

    kind: str | None
    name: str | None

    @property
    def level(self) -> str | None:
        """province | district | commune (None when the kind is not given)."""
        if self.kind is None:
            return None
        if self.kind == key("thành phố") and self.name in _CENTRAL_CITIES:
            return "province"
        return next((level for ws, _, level in _KIND_WORDS if " ".join(ws) == self.kind), None)

    @property
    def generic(self) -> bool:
        return self.name is None


def _kind_at(ws: tuple[str, ...], i: int) -> tuple[tuple[str, ...], str] | None:
    for kws, _, _level in _KIND_WORDS:
        if ws[i : i + len(kws)] == kws:
            return kws, " ".join(kws)
    return None


def _unit_from(ws: tuple[str, ...]) -> Unit:
    if not ws:
        return Unit(None, None)
    found = _kind_at(ws, 0)
    if found is None:
        return Unit(None, " ".join(ws))
    kws, kind = found
    rest = ws[len(kws) :]
    return Unit(kind, " ".join(rest) or None)


def parse_unit(text: str) -> Unit:
    """ "Thành phố Cao Lãnh", "TP Cao Lãnh", "Cao Lãnh", "tỉnh" → a :class:`Unit`."""
    return _unit_from(words(text))


# ------------------------------------------------------------------ bodies
# The heads of body names; what follows the head up to a unit kind is the body's own name.
BODY_HEADS: tuple[str, ...] = (
    "Văn phòng HĐND và UBND",
    "Văn phòng UBND",
    "Văn phòng HĐND",
    "Văn phòng Đoàn ĐBQH và HĐND",
    "UBND",
    "HĐND",
    "Công an",
    "Phòng",
    "Sở",
    "Cục",
    "Chi cục",
    "Ban",
    "Trung tâm",
    "Văn phòng",
    "Bộ",
    "Tập đoàn",
    "Tổng công ty",
    "Công ty",
    "Viễn thông",
    "Đơn vị",
    "VNPT",
    "Viettel",
    "FPT",
    "MobiFone",
)
_BODY_WORDS = tuple(sorted((words(h) for h in BODY_HEADS), key=len, reverse=True))

# ------------------------------------------------------------------ positions
# Ranks, longest first. A rank that names its body ("Trưởng phòng", "Chánh Văn phòng",
# "Cục trưởng") carries the body's head word, which the body then begins with.
POSITIONS: tuple[str, ...] = (
    "Phó Chủ tịch",
    "Chủ tịch",
    "Phó Chánh Văn phòng",
    "Chánh Văn phòng",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Trưởng ban",
    "Trưởng ban",
    "Phó Giám đốc",
    "Giám đốc",
    "Phó Cục trưởng",
    "Cục trưởng",
    "Phó Chi cục trưởng",
    "Chi cục trưởng",
    "Phó Trưởng Công an",
    "Trưởng Công an",
    "Phó Thủ trưởng",
    "Thủ trưởng",
    "Lãnh đạo",
    "Chuyên viên chính",
    "Chuyên viên",
    "Công chức",
    "Viên chức",
    "Cán bộ",
    "Chiến sĩ",
    "Kỹ thuật viên",
    "Nhân viên",
    "Thư ký",
    "Tổ trưởng",
    "Thành viên",
)
_POSITION_WORDS = tuple(sorted((words(p) for p in POSITIONS), key=len, reverse=True))
# The body head a rank implies: "Trưởng phòng Văn hóa …" is the head of "Phòng Văn hóa …".
_IMPLIED_HEAD = {
    words("Trưởng phòng"): words("Phòng"),
    words("Phó Trưởng phòng"): words("Phòng"),
    words("Chánh Văn phòng"): words("Văn phòng"),
    words("Phó Chánh Văn phòng"): words("Văn phòng"),
    words("Trưởng ban"): words("Ban"),
    words("Phó Trưởng ban"): words("Ban"),
    words("Cục trưởng"): words("Cục"),
    words("Phó Cục trưởng"): words("Cục"),
    words("Chi cục trưởng"): words("Chi cục"),
    words("Phó Chi cục trưởng"): words("Chi cục"),
    words("Trưởng Công an"): words("Công an"),
    words("Phó Trưởng Công an"): words("Công an"),
}
_LINKS = frozenset(key(w) for w in ("của", "thuộc", "tại"))


@dataclass(frozen=True)
class Name:
    """A parsed administrative name. Every part is a comparison key, or None when not given.

    ``rest``: words that are neither a position, a body nor a unit (a name that is not an
    administrative one, e.g. "ngân sách thành phố" keeps "ngân sách" here).
    """

    position: str | None
    body: str | None
    unit: Unit | None
    rest: str | None = None

    @property
    def recognised(self) -> bool:
        """Whether the text named a position or a body at its start."""
        return self.rest is None and (self.position is not None or self.body is not None)


def _trim_links(ws: tuple[str, ...]) -> tuple[str, ...]:
    """Drop the linking words that end a body before its unit: "Công an của (thành phố)"."""
    while ws and ws[-1] in _LINKS:
        ws = ws[:-1]
    return ws


def _unit_start(ws: tuple[str, ...], start: int) -> int:
    """Where the trailing unit begins (a unit kind word) after ``start``, or len(ws)."""
    for i in range(start, len(ws)):
        if ws[i] in _LINKS:
            continue
        if _kind_at(ws, i) is not None:
            # "Văn phòng HĐND và UBND thành phố": the kind ends the body; a bare "xã" inside a name
            # such as "Lao động - Thương binh và Xã hội" does not ("xã hội" is one word pair).
            if ws[i] == key("xã") and i + 1 < len(ws) and ws[i + 1] == key("hội"):
                continue
            return i
    return len(ws)


@lru_cache(maxsize=16384)
def parse_name(text: str) -> Name:
    """ "Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh" → Name(chánh văn phòng, văn phòng hđnd và ubnd, thành phố cao lãnh)."""
    ws = words(text)
    i = 0
    position: tuple[str, ...] | None = None
    for pws in _POSITION_WORDS:
        if ws[: len(pws)] == pws:
            position = pws
            break
    if position is not None:
        i = len(position)
        implied = _IMPLIED_HEAD.get(position)
        if implied is not None:
            position_key = " ".join(position)
            # The body is the implied head plus what follows: "Trưởng phòng Văn hóa" → "Phòng Văn hóa".
            tail = ws[i:]
            end = _unit_start(tail, 0)
            body_ws = _trim_links(tail[:end])
            body = " ".join(implied + body_ws) if body_ws else None
            unit = _unit_from(tuple(w for w in tail[end:] if w not in _LINKS)) if end < len(tail) else None
            return Name(position_key, body, unit)
        while i < len(ws) and ws[i] in _LINKS:
            i += 1
    head = next((h for h in _BODY_WORDS if ws[i : i + len(h)] == h), None)
    if head is None:
        rest = ws[i:]
        if not rest:
            return Name(" ".join(position) if position else None, None, None)
        # No body: the rest may be a unit alone ("Chiến sĩ thành phố") or something else.
        end = _unit_start(rest, 0)
        if end == 0:
            return Name(" ".join(position) if position else None, None, _unit_from(rest))
        unit = _unit_from(rest[end:]) if end < len(rest) else None
        return Name(" ".join(position) if position else None, None, unit, " ".join(rest[:end]))
    end = _unit_start(ws, i + len(head))
    body = " ".join(_trim_links(ws[i:end]))
    unit = _unit_from(tuple(w for w in ws[end:] if w not in _LINKS)) if end < len(ws) else None
    return Name(" ".join(position) if position else None, body, unit)


def _unit_matches(wanted: Unit | None, given: Unit | None, own: Unit | None) -> bool | None:
    """Whether ``given`` is the unit a rule means by ``wanted`` (a generic kind = ``own``)."""
    if wanted is None:
        return True
    if wanted.generic:
        if given is None:
            return True  # "Chánh Văn phòng HĐND và UBND thành phố", as the regulation writes it
        if given.kind is not None and given.kind != wanted.kind:
            return False
        if given.generic:
            return True
        if own is None or own.name is None:
            return None  # which city is the centre's own? the setup does not say
        return given.name == own.name and (own.kind is None or own.kind == wanted.kind)
    if given is None:
        return None if own is None or own.name is None else own.name == wanted.name
    if wanted.kind is not None and given.kind is not None and wanted.kind != given.kind:
        return False
    if given.name is None:
        return None if own is None or own.name is None else own.name == wanted.name
    return given.name == wanted.name


def own_unit(jurisdiction: object, unit_type: object = None) -> Unit | None:
    """The centre's own unit from its setup: "Cao Lãnh" + "thành phố", or "Thành phố Cao Lãnh"."""
    if not isinstance(jurisdiction, str) or not jurisdiction.strip():
        return None
    unit = parse_unit(jurisdiction)
    if unit.kind is None and isinstance(unit_type, str) and unit_type.strip():
        return Unit(key(unit_type), unit.name)
    return unit


def _same_place(wanted: str, given: str) -> bool:
    """ "Cao Lãnh" and "Thành phố Cao Lãnh" name one place when one side omits the kind."""
    w, g = parse_unit(wanted), parse_unit(given)
    if w.name is None or w.name != g.name:
        return False
    return w.kind is None or g.kind is None or w.kind == g.kind


def titled(title: str, agency: str | None) -> Name:
    """A title read with the person's agency: "Chánh Văn phòng" at "Văn phòng HĐND và UBND thành phố
    Cao Lãnh" is the head of that office. The agency completes a title that names no body and no
    unit, when it is the kind of body the title heads (a "Trưởng phòng" heads a Phòng, not a Sở)."""
    name = parse_name(title)
    if not agency or name.position is None or name.body is not None or name.unit is not None or name.rest is not None:
        return name
    body = parse_name(agency)
    implied = _IMPLIED_HEAD.get(tuple(name.position.split(" ")))
    if body.position is not None or body.body is None or body.rest is not None:
        return name
    if implied is not None and tuple(body.body.split(" "))[: len(implied)] != implied:
        return name
    return Name(name.position, body.body, body.unit)


def match_name(wanted: str, given: str, own: Unit | None = None, *, prefix: bool = False, agency: str | None = None) -> bool | None:
    """Whether the setup's ``given`` name is the one a rule names by ``wanted``; None if unknown.

    Both are parsed; every part ``wanted`` gives must match; the body and unit it omits are
    free, but a name without a position is the body itself (not a person in it). A generic
    unit in ``wanted`` ("thành phố") is the centre's own unit ``own``. Text that is not an
    administrative name compares as whole words (equal, or, with ``prefix``, beginning with).
    ``agency``: the person's agency, which completes a bare title (see :func:`titled`).
    """
    w, g = parse_name(wanted), titled(given, agency)
    if not w.recognised:
        if prefix:
            return starts_with_words(given, wanted)
        return words(wanted) == words(given) or _same_place(wanted, given)
    if negated(given):
        return False
    if w.position != g.position:
        return False  # a body named without a position is the body itself, not a person in it
    if w.body is not None and w.body != g.body:
        return False
    if g.rest is not None:
        return False
    return _unit_matches(w.unit, g.unit, own)


def mismatch(wanted: str, given: str, own: Unit | None = None, agency: str | None = None) -> str | None:
    """Which part of ``given`` differs from the name a rule wants: negated | position | body | unit | None.

    For the words of a verdict ("names another city's office"): the catalogue words each part.
    """
    w, g = parse_name(wanted), titled(given, agency)
    if not w.recognised:
        return None
    if negated(given):
        return "negated"
    if w.position != g.position:
        return "position"
    if w.body is not None and w.body != g.body:
        return "body"
    if _unit_matches(w.unit, g.unit, own) is False:
        return "unit"
    return None


def mentions(text: str, needle: str, own: Unit | None = None) -> bool | None:
    """`contains`: ``text`` mentions ``needle`` as whole words, not denied, and, when ``needle``
    names a body of a generic unit ("Công an huyện"), the unit ``text`` names is the centre's own."""
    if not contains_words(text, needle):
        return False
    wanted = parse_name(needle)
    if wanted.recognised and wanted.unit is not None and wanted.unit.generic:
        given = parse_name(text)
        if given.body == wanted.body and given.unit is not None:
            return _unit_matches(wanted.unit, given.unit, own)
    return True


for _memo in (words, parse_name, _syllable):
    forgettable(_memo.cache_clear)
