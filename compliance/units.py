"""Today's administrative units (the ``vietnam-provinces`` package) → name checks and namesakes.

After 2025-07-01 Vietnam has 34 provinces and two levels of local government (province, then
commune: xã, phường, đặc khu). The package ``vietnam-provinces`` lists them; quyche uses it to
check that the successor provinces named by the reorganisation events exist today, to say
whether a setup's province is a current one, and to show which of today's communes or wards
share a ceased unit's name ("Phường Cao Lãnh (Đồng Tháp)"). A namesake is information, never
a successor: the sources do not say that a commune replaced a district.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from engine.names import parse_unit
from engine.text import nfc, text_key

if TYPE_CHECKING:  # pragma: no cover
    from vietnam_provinces import Province

    from engine import Program

__all__ = ["TodayUnit", "current_province", "event_problems", "namesakes", "province_names", "source", "units_today"]


@lru_cache(maxsize=1)
def source() -> str:
    """The data set quoted as the source of today's units (its package and data versions)."""
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} (dữ liệu / data {vietnam_provinces.__data_version__})"


_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_WARD_PREFIX = re.compile(r"^(?:xã|phường|đặc khu|huyện|thị xã|thành phố|thị trấn|quận)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class TodayUnit:
    """A commune-level unit as it exists today, with its province."""

    name: str  # e.g. "Phường Cao Lãnh"
    kind: str  # xã | phường | đặc khu
    province: str  # e.g. "Đồng Tháp"

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"


def _bare(name: str, prefix: re.Pattern[str]) -> str:
    """The proper name without its kind: "Thành phố Huế" → "huế" (engine.names' key, as the events use)."""
    unit = parse_unit(prefix.sub("", " ".join(nfc(name).split())))
    return unit.name or ""


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Province]:
    from vietnam_provinces import Province

    return {_bare(p.name, _PROVINCE_PREFIX): p for p in Province.iter_all()}


@lru_cache(maxsize=1)
def _wards() -> dict[str, tuple[TodayUnit, ...]]:
    from vietnam_provinces import Province, Ward

    names = {p.code: _bare(p.name, _PROVINCE_PREFIX) for p in Province.iter_all()}
    labels = {p.code: _PROVINCE_PREFIX.sub("", p.name) for p in Province.iter_all()}
    index: dict[str, list[TodayUnit]] = {}
    for ward in Ward.iter_all():
        assert ward.province_code in names
        unit = TodayUnit(ward.name, ward.division_type.value, labels[ward.province_code])
        index.setdefault(_bare(ward.name, _WARD_PREFIX), []).append(unit)
    return {k: tuple(sorted(v, key=lambda u: (u.province, u.name))) for k, v in index.items()}


def province_names() -> list[str]:
    """Today's 34 provinces and centrally-run cities, by their plain names ("Đồng Nai", "Huế")."""
    from vietnam_provinces import Province

    return sorted(_PROVINCE_PREFIX.sub("", p.name) for p in Province.iter_all())


def current_province(name: str) -> Province | None:
    """Today's province called ``name`` ("Đồng Nai", "tỉnh Đồng Nai", "TP Huế"), or None."""
    return _provinces().get(_bare(name, _PROVINCE_PREFIX))


def namesakes(name: str, province: str | None = None) -> list[TodayUnit]:
    """Today's communes and wards whose proper name is ``name`` (of any kind), in ``province`` first."""
    found = list(_wards().get(_bare(name, _WARD_PREFIX), ()))
    if province:
        key = _bare(province, _PROVINCE_PREFIX)
        found.sort(key=lambda u: (_bare(u.province, _PROVINCE_PREFIX) != key, u.province, u.name))
    return found


class _UnitsToday(Mapping[str, Any]):
    """What engine facts carry about today's units, computed on first read.

    Only evaluations as of a date after the 2025 reorganisation read it; the others never load
    the package's 3,321 wards (tens of milliseconds per process).
    """

    def __init__(self, jurisdiction: str | None, province: str | None, successors: tuple[str, ...]) -> None:
        self._args = (jurisdiction, province, successors)
        self._data: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._data is None:
            jurisdiction, province, successors = self._args
            namesake_map: dict[str, list[str]] = {}
            if jurisdiction:
                order = [p for p in [*successors, province] if p]
                found = namesakes(jurisdiction, order[0] if order else None)
                namesake_map[jurisdiction] = [str(u) for u in found]
            self._data = {"provinces": province_names(), "namesakes": namesake_map, "source": source()}
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


def units_today(jurisdiction: str | None, province: str | None, successors: Iterable[str] = ()) -> Mapping[str, Any]:
    """What engine facts carry about today's units: the provinces, and the jurisdiction's namesakes.

    ``successors``: provinces that the setup's province may have merged into, searched first.
    A mapping computed when first read (see _UnitsToday).
    """
    return _UnitsToday(jurisdiction, province, tuple(successors))


def event_problems(program: Program) -> list[str]:
    """Reorganisation events whose province names disagree with today's list.

    A province that merged away must not be a province today; the province it merged into
    must be one. Returns one readable message per problem (empty: all consistent).
    """
    problems: list[str] = []
    for event in sorted(program.events.values(), key=lambda e: e.id):
        for change in event.changes:
            if change.subject != "province":
                continue
            if change.outcome in ("merged_into", "ceases", "replaced_by") and current_province(change.name) is not None:
                problems.append(f"event {event.id}: {change.name} is still a province today ({source()})")
            if change.successor and current_province(change.successor) is None:
                problems.append(f"event {event.id}: successor {change.successor} is not a province today ({source()})")
    merged_away = {text_key(c.name) for e in program.events.values() for c in e.changes if c.subject == "province"}
    for event in sorted(program.events.values(), key=lambda e: e.id):
        for change in event.changes:
            if change.subject == "unit" and change.within and current_province(change.within) is None and text_key(change.within) not in merged_away:
                problems.append(f"event {event.id}: unit {change.name} is in {change.within}, which is neither a province today nor one that an event merges")
    return problems


def __getattr__(name: str) -> str:
    # ``SOURCE`` was a constant; computing it imports the package, so only on request.
    if name == "SOURCE":
        return source()
    raise AttributeError(f"module 'compliance.units' has no attribute {name!r}")
