"""How a report names the records its evidence cites: the way the officer wrote them.

Evidence points at a record by its path in the setup (``staff[0]``, ``reports[1]``,
``centre.managed_by``, ``reports:2024-H2``); a reader knows it as "Nguyễn Văn A — Chánh Văn
phòng …", "báo cáo 6 tháng đầu năm 2024" or "cơ quan quản lý". :func:`record_names` names the
records of one setup in both languages; :func:`evidence_name` names one evidence item with them,
falling back on the item's own label and the catalogue's field names when the setup is not at
hand (a finished audit read back from JSON). The path stays in the data as a secondary reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from compliance.catalogue import Lang, both, entries, name, text
from compliance.setup_format import SetupData
from engine.message import Message, msg

__all__ = ["Names", "evidence_detail", "evidence_name", "period_name", "record_names"]

Names = Mapping[str, Mapping[str, str]]  # record path → {"vi": …, "en": …}

_INDEXED = re.compile(r"^(?P<base>.*?)(?P<collection>\w+)\[(?P<index>\d+)\]$")
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])|W(?P<week>\d{1,2})))?$")


def period_name(period: str) -> Message:
    """``2024-05`` → "tháng 5/2024" / "May 2024"; ``2024-H1`` → "6 tháng đầu năm 2024"; as written otherwise."""
    match = _PERIOD.match(period.strip())
    if match is None:
        return msg("naming.other_period", period=period)
    year = match["year"]
    if match["month"] and 1 <= int(match["month"]) <= 12:
        month = int(match["month"])
        return msg("naming.month", month=msg(f"month.m{month}"), year=year)  # "tháng 5/2024", "May 2024"
    if match["quarter"]:
        return msg("naming.quarter", quarter=match["quarter"], year=year)
    if match["half"]:
        return msg(f"naming.half{match['half']}", year=year)
    if match["week"]:
        return msg("naming.week", week=str(int(match["week"])), year=year)
    if match["month"]:
        return msg("naming.other_period", period=period)
    return msg("naming.year", year=year)


def _person(name: str | None, position: str | None) -> Message:
    if name and position:
        return msg("naming.person", name=name, position=position)
    return msg("naming.team", name=name or position or "")


def _log(kind: str, period: str, team: str | None) -> Message:
    named = msg(f"naming.{kind}", period=period_name(period))
    return msg("naming.grouped", group=team, name=named) if team else named


class _RecordNames(Mapping[str, Mapping[str, str]]):
    """Record path → its name in both languages, rendered when first asked for: a report names only
    the records its evidence cites, out of a setup's thousands."""

    def __init__(self, messages: dict[str, Message]) -> None:
        self._messages = messages
        self._shown: dict[str, dict[str, str]] = {}

    def __getitem__(self, path: str) -> dict[str, str]:
        shown = self._shown.get(path)
        if shown is None:
            shown = self._shown[path] = both(self._messages[path])
        return shown

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def __contains__(self, path: object) -> bool:
        return path in self._messages


def record_names(setup: SetupData) -> Names:
    """Every listed record of the setup by its evidence path, named in both languages (when read)."""
    names: dict[str, Message] = {}
    for i, person in enumerate(setup["staff"] or []):
        names[f"staff[{i}]"] = _person(person["name"], person["position"])
    for i, report in enumerate(setup["reports"] or []):
        names[f"reports[{i}]"] = _log("report", report["period"], report["team"])
    for i, meeting in enumerate(setup["meetings"] or []):
        names[f"meetings[{i}]"] = _log("meeting", meeting["period"], meeting["team"])
    for i, source in enumerate(setup["funding"] or []):
        names[f"funding[{i}]"] = (
            msg("naming.funding_for", source=source["source"], purpose=source["purpose"])
            if source["purpose"]
            else msg("naming.funding", source=source["source"])
        )
    for i, component in enumerate(setup["components"] or []):
        names[f"components[{i}]"] = msg("naming.component", name=component["name"])
    for t, team in enumerate(setup["teams"] or []):
        names[f"teams[{t}]"] = msg("naming.team", name=team["name"])
        for m, member in enumerate(team["members"]):
            names[f"teams[{t}].members[{m}]"] = msg("naming.member", team=team["name"], person=_person(member["name"], member["position"]))
    return _RecordNames(names)


def _field(path: str, lang: Lang) -> str | None:
    """A field's name from the catalogue (field.toml): ``centre.managed_by`` → "cơ quan quản lý"."""
    known = entries()
    dotted = {"centre.operator.name": "centre.operator", "centre.operator.duties": "centre.operator_duties"}.get(path, path)
    for key in (f"field.{dotted}", f"field.{dotted.rsplit('.', 1)[-1]}"):
        if key in known:
            return text(msg(key), lang)
    return None


def _named(record: str, lang: Lang, names: Names, label: str | None) -> str | None:
    if record in names:
        return names[record][lang]
    indexed = _INDEXED.match(record)
    if indexed is not None:  # centre.coordinating_units[1], staff[2] with no setup at hand
        base, collection, index = indexed["base"], indexed["collection"], int(indexed["index"])
        if label:
            return label
        whole = base.rstrip(".")
        what = _field(f"{whole}.{collection}" if whole else collection, lang) or collection
        item = text(msg("naming.nth", what=what, n=str(index + 1)), lang)
        owner = _named(whole, lang, names, None) if whole and whole != "centre" else None
        return text(msg("naming.part", whole=owner, part=item), lang) if owner else item
    if "." in record and not record.startswith("centre."):  # teams[1].members[2].name, staff[0].allowances
        whole, part = record.rsplit(".", 1)
        owner = _named(whole, lang, names, None)
        field = _field(part, lang)
        if owner and field:
            return text(msg("naming.part", whole=owner, part=field), lang)
    if label:
        return label
    return _field(record, lang) or (text(msg(f"naming.{record}"), lang) if f"naming.{record}" in entries() else None)


def evidence_name(item: Mapping[str, Any], lang: Lang, names: Names | None = None) -> tuple[str, bool]:
    """How an evidence item's record reads in ``lang``, and whether the item's detail is already in it.

    ``reports:2024-H2`` (a period with no record) → "báo cáo 6 tháng cuối năm 2024"; an event or
    an obligation is named by its detail; a path nothing names is returned as it is (never empty).
    """
    record = str(item.get("record") or "")
    label = str(item["label"]) if item.get("label") else None
    kind, _, rest = record.partition(":")
    if rest and kind in ("reports", "meetings"):  # a period due with no record: "reports:Tổ 1:2021-W26"
        group, _, period = rest.rpartition(":")
        named = _log("report" if kind == "reports" else "meeting", period, group or None)
        return text(named, lang), False
    detail = item.get("detail")
    shown = detail.get(lang) if isinstance(detail, dict) else detail
    if rest and kind == "obligation" and shown:
        return text(msg("naming.obligation", where=str(shown)), lang), True
    if rest and kind == "event" and shown:
        return str(shown), True
    return _named(record, lang, names or {}, label) or record, False


def evidence_detail(item: Mapping[str, Any], lang: Lang) -> str | None:
    """An evidence item's detail in ``lang``, without the group ("Tổ 1: …") its name already says."""
    detail = item.get("detail")
    if not isinstance(detail, dict):
        return name(str(detail)) if detail else None  # a plain text is a name or a quotation, kept as written
    shown = detail.get(lang)
    if not shown:
        return None
    group = item.get("group")
    if group and str(shown).startswith(f"{group}: "):
        return str(shown)[len(str(group)) + 2 :]
    return str(shown)
