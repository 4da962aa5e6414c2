"""Dated events + a date → what has ceased and what replaced it; and the findings that say so.

The 2025 reorganisation (regulations/events/) is kept apart from the regulations: a regulation
says what the law then required, an event says that a body, unit, province or level ceased on
a date, merged into a successor, or was reorganised into something the sources do not name.
:class:`Reorganisation` answers, as of a date, "has the body named X ceased, when, on what
source, and who (if anyone known) replaced it?". Names are matched after expanding the usual
abbreviations (Sở TT&TT, Sở KH&ĐT, UBND, TP …), and generic names are read against the centre:
"UBND huyện" in a district centre's regulation is that district's committee; "Công an thành
phố Cao Lãnh" is district-level police (Công an huyện) because Cao Lãnh was a district-level city.

Findings (kind ``reorganisation``) are never violations: a body or unit that ceased by law is
not the centre's fault. Their status is ``unknown``: the regulations as written can no longer
tell what governs the centre on that point, and the setup does not record it. Severity is
``warning`` when the successor is unknown or the centre's own unit or province has ended (the
reader must find out what replaced it), ``info`` when the successor is known (a report now
goes to the successor, and quyche accepts it sent there). As of a date before every event,
there is nothing to report and evaluation is exactly as the law then stood.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from engine import ast
from engine.facts import LABEL, REF
from engine.message import Message, msg
from engine.names import key as _name_key
from engine.verdict import own_words

if TYPE_CHECKING:  # pragma: no cover
    from engine.program import Program
    from engine.verdict import Verdict

__all__ = ["Ceased", "Match", "Reorganisation", "normalise_name", "reorganisation_verdicts"]


def normalise_name(name: str) -> str:
    """A comparison key for an administrative name (engine.names: abbreviations expanded, punctuation dropped)."""
    return _name_key(name)


# What of a centre the answers depend on (the memo's key).
_CENTRE_FIELDS = ("jurisdiction", "unit_type", "province", "level")

# Words compared against normalised names must be normalised the same way (tone marks move).
_HUYEN, _THI_XA, _QUAN, _THANH_PHO = (normalise_name(w) for w in ("huyện", "thị xã", "quận", "thành phố"))
_DISTRICT_MARKERS = (_HUYEN, _THI_XA, _QUAN, _THANH_PHO)
_DISTRICT_LEVEL = {normalise_name("cấp huyện"), _HUYEN}
_TINH, _SO = normalise_name("tỉnh"), normalise_name("sở")


def _has(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words (both normalised)."""
    return bool(needle) and f" {needle} " in f" {haystack} "


def _after(haystack: str, prefix: str) -> str | None:
    """The words after the whole-word ``prefix`` in ``haystack`` ("" at the end), or None."""
    padded = f" {haystack} "
    index = padded.find(f" {prefix} ")
    if index < 0:
        return None
    return padded[index + len(prefix) + 2 :].strip()


def _slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


@dataclass(frozen=True)
class Ceased:
    """One change of one event: ``change.name`` ceased (or merged, or was reorganised) on ``on``."""

    event: str
    index: int
    on: date
    source: str
    change: ast.Change
    title: str | None = None
    title_en: str | None = None

    @property
    def successor(self) -> str | None:
        return self.change.successor

    @property
    def key(self) -> tuple[date, str, int]:
        return (self.on, self.event, self.index)

    def what(self) -> Message:
        """The subject with its kind and province: "thành phố Cao Lãnh (tỉnh Đồng Tháp)"."""
        c = self.change
        if c.subject == "province":
            return msg("reorganisation.province", name=c.name)
        if c.subject == "level":
            return msg("reorganisation.level", name=c.name)
        if c.within:
            return msg("reorganisation.within", name=c.name, province=c.within)
        return msg("reorganisation.name", name=c.name)

    def outcome(self) -> Message:
        """What happened, with the successor or the plain statement that it is unknown."""
        c = self.change
        if c.outcome == "merged_into":
            return msg("reorganisation.merged_into", successor=c.successor or "")
        if c.outcome == "replaced_by":
            return msg("reorganisation.replaced_by", successor=c.successor or "")
        if c.outcome == "reorganised":
            return msg("reorganisation.reorganised")
        if c.subject == "level":
            return msg("reorganisation.ended")
        return msg("reorganisation.ceased")


@dataclass(frozen=True)
class Match:
    """A name found to belong to something that ceased; ``how`` says why it matched."""

    ceased: Ceased
    how: str  # name | district_body | unit_body | own_unit_body | level_body | province_name | province_body


@dataclass
class Reorganisation:
    """Every change in force on ``as_of`` (events dated on or before it), in date order."""

    events: Sequence[ast.Event]
    as_of: date
    changes: list[Ceased] = field(init=False)
    # What was found for a name, a centre's unit or province: the same for every centre of that
    # unit (an audit asks the same few names thousands of times). Bounded.
    _found: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        changes: list[Ceased] = []
        for event in self.events:
            if event.on is None or event.on > self.as_of:
                continue
            for i, change in enumerate(event.changes):
                changes.append(Ceased(event.id, i, event.on, event.source or event.id, change, event.title, event.title_en))
        self.changes = sorted(changes, key=lambda c: c.key)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def _until(self, on: date | None) -> list[Ceased]:
        return [c for c in self.changes if on is None or c.on <= on]

    # -- the centre's own unit and province
    @staticmethod
    def _unit_key(centre: Mapping[str, Any]) -> str | None:
        jurisdiction, unit_type = centre.get("jurisdiction"), centre.get("unit_type")
        if not jurisdiction:
            return None
        return normalise_name(f"{unit_type} {jurisdiction}" if unit_type else str(jurisdiction))

    def _same_province(self, change: ast.Change, centre: Mapping[str, Any]) -> bool:
        province = centre.get("province")
        return change.within is None or not province or normalise_name(change.within) == normalise_name(str(province))

    def _remembered(self, kind: str, name: str | None, centre: Mapping[str, Any], on: date | None, find: Any) -> Any:
        key = (kind, name, on, *(centre.get(k) for k in _CENTRE_FIELDS))
        try:
            return self._found[key]
        except KeyError:
            pass
        except TypeError:  # a field given as a list or mapping: nothing to remember it by
            return find()
        if len(self._found) > 16_384:
            self._found.clear()
        found = self._found[key] = find()
        return found

    def centre_unit(self, centre: Mapping[str, Any], on: date | None = None) -> Ceased | None:
        """The change that ended the centre's own administrative unit (explicit unit, else its level)."""
        return self._remembered("unit", None, centre, on, lambda: self._centre_unit(centre, on))  # type: ignore[no-any-return]

    def _centre_unit(self, centre: Mapping[str, Any], on: date | None) -> Ceased | None:
        key = self._unit_key(centre)
        if key is None:
            return None
        jurisdiction = normalise_name(str(centre.get("jurisdiction")))
        for c in self._until(on):
            if c.change.subject != "unit" or not self._same_province(c.change, centre):
                continue
            name = normalise_name(c.change.name)
            if name == key or (not centre.get("unit_type") and name.endswith(" " + jurisdiction)):
                return c
        if centre.get("level") == "district":
            return next((c for c in self._until(on) if c.change.subject == "level" and normalise_name(c.change.name) in _DISTRICT_LEVEL), None)
        return None

    def centre_province(self, centre: Mapping[str, Any], on: date | None = None) -> list[Match]:
        """Changes to the centre's province: it merged away (``province_name``) or absorbed another."""
        return list(self._remembered("province", None, centre, on, lambda: tuple(self._centre_province(centre, on))))

    def _centre_province(self, centre: Mapping[str, Any], on: date | None) -> list[Match]:
        province = centre.get("province")
        if not province:
            return []
        key = normalise_name(str(province))
        out: list[Match] = []
        for c in self._until(on):
            if c.change.subject != "province":
                continue
            if normalise_name(c.change.name) == key:
                out.append(Match(c, "province_name"))
            elif c.change.successor and normalise_name(c.change.successor) == key:
                out.append(Match(c, "absorbed"))
        return out

    def _district_units(self, centre: Mapping[str, Any], on: date | None) -> set[str]:
        units = {normalise_name(c.change.name) for c in self._until(on) if c.change.subject == "unit"}
        own = self._unit_key(centre)
        if own and centre.get("level") == "district":
            units.add(own)
        return units

    def _is_district_body(self, key: str, prefix: str, centre: Mapping[str, Any], on: date | None) -> bool:
        """Whether ``key`` names the district-level instance of ``prefix`` ("công an" → Công an huyện)."""
        rest = _after(key, prefix)
        if rest is None:
            return False
        for marker in (_HUYEN, _THI_XA, _QUAN):
            if rest == marker or rest.startswith(marker + " "):
                return True
        if rest == _THANH_PHO:
            return centre.get("level") == "district"
        return any(rest == unit or rest.startswith(unit + " ") for unit in self._district_units(centre, on) if unit.startswith(_THANH_PHO + " "))

    # -- any name
    def lookup(self, name: str, centre: Mapping[str, Any], on: date | None = None) -> Match | None:
        """What ended the body named ``name`` (as of ``on``, default the as-of date), or None."""
        return self._remembered("name", name, centre, on, lambda: self._lookup(name, centre, on))  # type: ignore[no-any-return]

    def _lookup(self, name: str, centre: Mapping[str, Any], on: date | None) -> Match | None:
        key = normalise_name(name)
        if not key:
            return None
        changes = self._until(on)
        for c in changes:  # explicit bodies first: the most specific and the earliest
            if c.change.subject != "body":
                continue
            body = normalise_name(c.change.name)
            if _has(key, body):
                return Match(c, "name")
            if body.endswith(" " + _HUYEN) and self._is_district_body(key, body[: -len(" " + _HUYEN)], centre, on):
                return Match(c, "district_body")
        for c in changes:
            if c.change.subject == "unit" and self._same_province(c.change, centre) and _has(key, normalise_name(c.change.name)):
                return Match(c, "unit_body")
        own = self.centre_unit(centre, on)
        if own is not None and self._names_own_unit(key, centre):
            return Match(own, "own_unit_body")
        level = next((c for c in changes if c.change.subject == "level"), None)
        if level is not None and any(_has(key, m) for m in (_HUYEN, _THI_XA, _QUAN)):
            return Match(level, "level_body")
        for c in changes:
            if c.change.subject == "province" and c.change.outcome in ("merged_into", "ceases", "replaced_by") and _has(key, normalise_name(c.change.name)):
                return Match(c, "province_name")
        for match in self.centre_province(centre, on):
            if match.how == "province_name" and (_has(key, _TINH) or key.startswith(_SO + " ")):
                return Match(match.ceased, "province_body")
        return None

    def _names_own_unit(self, key: str, centre: Mapping[str, Any]) -> bool:
        """A generic district body ("UBND huyện", "UBND thành phố") or one naming the centre's unit."""
        if centre.get("level") != "district":
            return False
        own = self._unit_key(centre)
        if own and _has(key, own):
            return True
        return any(key.endswith(" " + marker) for marker in _DISTRICT_MARKERS)


# ---------------------------------------------------------------- findings
@dataclass
class _Group:
    ceased: Ceased
    refs: list[dict[str, Any]] = field(default_factory=list)
    own: bool = False  # the centre's own unit or province
    absorbed: bool = False  # the centre's province absorbed another (information)


def _references(facts: Mapping[str, Any], obligations: Iterable[tuple[ast.Obligation, ast.Document]]) -> list[tuple[str, dict[str, Any]]]:
    """Every name in the setup and in the applicable obligations that could have ceased."""
    out: list[tuple[str, dict[str, Any]]] = []
    centre: Mapping[str, Any] = facts["centre"] if isinstance(facts.get("centre"), Mapping) else {}
    for name in ("host_agency", "owner", "managed_by", "directed_by", "seal"):
        value = centre.get(name)
        if isinstance(value, str) and value:
            out.append((value, {"record": f"centre.{name}", "role": "affected", "value": value}))
    for i, unit in enumerate(centre.get("coordinating_units") or []):
        out.append((str(unit), {"record": f"centre.coordinating_units[{i}]", "role": "affected", "value": str(unit)}))
    for i, person in enumerate(facts.get("staff") or []):
        if isinstance(person, Mapping) and person.get("agency"):
            out.append(
                (
                    str(person["agency"]),
                    {"record": person.get(REF, f"staff[{i}]"), "label": person.get(LABEL), "role": "affected", "value": str(person["agency"])},
                )
            )
    for i, member in enumerate(facts.get("members") or []):
        if isinstance(member, Mapping) and member.get("position"):
            out.append(
                (
                    str(member["position"]),
                    {"record": member.get(REF, f"members[{i}]"), "label": member.get(LABEL), "role": "affected", "value": str(member["position"])},
                )
            )
    for i, component in enumerate(facts.get("components") or []):
        if not isinstance(component, Mapping):
            continue
        ref = component.get(REF, f"components[{i}]")
        if component.get("lead_agency"):
            out.append((str(component["lead_agency"]), {"record": f"{ref}.lead_agency", "role": "affected", "value": str(component["lead_agency"])}))
        for j, other in enumerate(component.get("cooperating") or []):
            out.append((str(other), {"record": f"{ref}.cooperating[{j}]", "role": "affected", "value": str(other)}))
    for ob, doc in obligations:
        where = f"{doc.label} {ob.locator}" if ob.locator else doc.label
        for role, names in (("to", ob.to), ("cc", ob.cc), ("by", (ob.by,) if ob.by else ())):
            for name in names:
                out.append(
                    (
                        name,
                        {
                            "record": f"obligation:{ob.id}",
                            "role": f"recipient_{role}" if role != "by" else "reporter",
                            "value": name,
                            "detail": msg("reorganisation.where", where=where),
                            "document": doc.label,
                            "obligation": ob.id.split(".", 1)[-1],
                        },
                    )
                )
    return out


def _listing(refs: Sequence[Mapping[str, Any]]) -> str:
    """Obligation references grouped by name: "UBND huyện (4037/QĐ-UBND: bao_cao_quy, bao_cao_thang)"."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for r in refs:
        grouped.setdefault(str(r["value"]), {}).setdefault(str(r.get("document", "")), []).append(str(r.get("obligation", "")))
    parts = []
    for value, docs in sorted(grouped.items()):
        inner = "; ".join(f"{doc}: {', '.join(sorted(set(obs)))}" for doc, obs in sorted(docs.items()))
        parts.append(f"{value} ({inner})")
    return "; ".join(parts)


def _today_names(facts: Mapping[str, Any], centre: Mapping[str, Any], provinces: Sequence[str]) -> tuple[list[str], str | None]:
    """Today's units named like the centre's jurisdiction, as the caller (compliance) supplied them.

    Those in ``provinces`` (the province the centre's merged into, then its own) come first.
    """
    today = facts.get("units_today")
    if not isinstance(today, Mapping):
        return [], None
    namesakes = today.get("namesakes") or {}
    jurisdiction = centre.get("jurisdiction")
    names = list(namesakes.get(str(jurisdiction), [])) if jurisdiction else []
    keys = [normalise_name(p) for p in provinces if p]

    def rank(label: str) -> int:
        where = normalise_name(label.rsplit("(", 1)[-1]) if "(" in label else ""
        return keys.index(where) if where in keys else len(keys)

    return sorted(names, key=rank), today.get("source")


def _province_today(facts: Mapping[str, Any], name: str | None) -> bool | None:
    today = facts.get("units_today")
    if not name or not isinstance(today, Mapping) or not today.get("provinces"):
        return None
    return normalise_name(name) in {normalise_name(p) for p in today["provinces"]}


def reorganisation_verdicts(reorg: Reorganisation, program: Program, facts: Mapping[str, Any], documents: Sequence[str]) -> list[Verdict]:
    """One finding per ceased body, unit or province the setup or its obligations depend on."""
    from engine.verdict import Status, Verdict  # noqa: PLC0415 - verdict imports nothing of this module, but keep it lazy

    if not reorg:
        return []
    centre: Mapping[str, Any] = facts["centre"] if isinstance(facts.get("centre"), Mapping) else {}
    groups: dict[tuple[date, str, int], _Group] = {}

    def group(ceased: Ceased) -> _Group:
        return groups.setdefault(ceased.key, _Group(ceased))

    own_unit = reorg.centre_unit(centre)
    if own_unit is not None:
        g = group(own_unit)
        g.own = True
        g.refs.append({"record": "centre.jurisdiction", "role": "affected", "value": f"{centre.get('unit_type') or ''} {centre.get('jurisdiction')}".strip()})
    for match in reorg.centre_province(centre):
        g = group(match.ceased)
        if match.how == "province_name":
            g.own = True
        else:
            g.absorbed = True
        g.refs.append({"record": "centre.province", "role": "affected", "value": centre.get("province")})
    obligations = [(ob, program.documents[ob.document]) for ob in sorted(program.obligations.values(), key=lambda o: o.id) if ob.document in documents]
    for name, ref in _references(facts, obligations):
        found = reorg.lookup(name, centre)
        if found is not None:
            group(found.ceased).refs.append(dict(ref, how=found.how))

    verdicts: list[Verdict] = []
    for key in sorted(groups):
        g = groups[key]
        verdicts.append(_verdict(g, reorg, facts, centre, Status, Verdict))
    return verdicts


def _verdict(g: _Group, reorg: Reorganisation, facts: Mapping[str, Any], centre: Mapping[str, Any], status_type: Any, verdict_type: Any) -> Verdict:
    """What ceased and what the setup still names of it: decided now (always unknown), explained when read."""
    c = g.ceased
    known = c.successor is not None
    verdict = verdict_type(
        id=f"reorganisation.{c.event}.{_slug(c.change.name)}",
        kind="reorganisation",
        document=c.source,
        status=status_type.UNKNOWN,
        locator=None,
        text=None,
        severity="info" if (known and not g.own) or g.absorbed else "warning",
        binding=True,
    )
    verdict.explain_with(lambda v: _explain(v, g, reorg, facts, centre))
    return verdict  # type: ignore[no-any-return]


def _explain(v: Verdict, g: _Group, reorg: Reorganisation, facts: Mapping[str, Any], centre: Mapping[str, Any]) -> None:
    c = g.ceased
    known = c.successor is not None
    what, outcome = c.what(), c.outcome()
    recipients = [r for r in g.refs if str(r.get("role", "")).startswith("recipient")]
    reporters = [r for r in g.refs if r.get("role") == "reporter"]
    others = [r for r in g.refs if r not in recipients and r not in reporters and r.get("record") not in ("centre.jurisdiction", "centre.province")]
    sentences: list[Message] = [msg("reorganisation.happened", on=c.on, what=what, outcome=outcome, source=c.source)]
    if g.absorbed:
        sentences = [msg("reorganisation.province_absorbed", on=c.on, province=c.change.name, successor=c.successor or "", source=c.source)]
    elif g.own and c.change.subject in ("unit", "level"):
        unit = f"{centre.get('unit_type') or ''} {centre.get('jurisdiction')}".strip()
        title = own_words(c.title, c.title_en or c.title)
        sentences = [
            msg("reorganisation.own_unit_titled", on=c.on, unit=unit, source=c.source, title=title)
            if title is not None
            else msg("reorganisation.own_unit", on=c.on, unit=unit, source=c.source)
        ]
        merged = [m.ceased.successor for m in reorg.centre_province(centre) if m.how == "province_name"]
        names, source = _today_names(facts, centre, [*[m for m in merged if m], str(centre.get("province") or "")])
        if names:
            sentences.append(msg("reorganisation.same_name_today", source=source or "", names=tuple(names)))
    elif g.own and c.change.subject == "province":
        exists = _province_today(facts, c.successor)
        if exists is True:
            sentences.append(msg("reorganisation.province_exists", province=c.successor or ""))
        elif exists is False:
            sentences.append(msg("reorganisation.province_missing", province=c.successor or ""))
    if recipients:
        where = _listing(recipients)
        if c.change.subject == "province" and known:
            sentences.append(msg("reorganisation.province_recipients", province=c.change.name, where=where, successor=c.successor or ""))
        elif known:
            sentences.append(msg("reorganisation.recipients_moved", where=where, successor=c.successor or ""))
        else:
            sentences.append(msg("reorganisation.recipients_gone", where=where))
    if reporters:
        sentences.append(msg("reorganisation.reporter_gone", where=_listing(reporters), on=c.on))
    if others:
        by_value: dict[str, list[str]] = {}
        for r in others:
            by_value.setdefault(str(r["value"]), []).append(str(r["record"]))
        listed = "; ".join(f"{value} ({', '.join(records)})" for value, records in sorted(by_value.items()))
        sentences.append(msg("reorganisation.setup_still_names", listed=listed))
    fix: Message | None = msg("reorganisation.fix_known", successor=c.successor) if known else msg("reorganisation.fix_unknown")
    if g.absorbed:
        fix = None
    v.evidence = [
        {
            "record": f"event:{c.event}",
            "role": "event",
            "date": c.on.isoformat(),
            "source": c.source,
            "detail": own_words(c.title, c.title_en or c.title) or msg("text.own", vi=c.event, en=c.event),
        }
    ] + g.refs
    v.message = msg("reorganisation.sentences", sentences=tuple(sentences))
    v.expected = msg("reorganisation.exists", name=c.change.name)
    v.actual = msg("reorganisation.outcome_on", outcome=outcome, on=c.on, source=c.source)
    v.fix = fix
    v.trace = (
        [msg("trace.event", event=c.event, on=c.on, source=c.source, what=what, outcome=outcome)]
        + [msg("trace.record", record=str(r["record"]), value=str(r["value"])) for r in g.refs]
        + [msg("trace.outcome", status=msg("status.unknown"))]
    )
