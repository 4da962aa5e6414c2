"""A document's status as of the build date, honestly: in force, pilot ended, temporary without an
end date, draft, cited only, and whether the units it applies to still exist after the 2025
reorganisation — with what replaced it where the program knows (reorganisation events, links).

Everything here is data (catalogue messages); the pages render it in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine import Program, ast, doc_in_force
from engine.message import Message, msg
from engine.reorganisation import Ceased, Reorganisation

__all__ = ["DocStatus", "document_status", "event_source", "unit_status"]

# Links whose source replaces (part of) the target once the source is in force.
_REPLACING = ("supersedes", "amends")


@dataclass(frozen=True)
class DocStatus:
    """``state``: in_force | not_yet | pilot_ended | temporary_open | draft | cited | unit_ceased."""

    state: str
    headline: Message
    notes: tuple[Message, ...] = ()

    @property
    def in_force(self) -> bool:
        return self.state == "in_force" or self.state == "temporary_open"


def event_source(ceased: Ceased) -> Message:
    """Where a reorganisation fact comes from: the instrument's number, or, where the project's
    notes name none, a plain statement that no instrument is cited (never an internal file name)."""
    source = ceased.source or ""
    if not source or ".md" in source or source == ceased.event:
        return msg("site.status.no_instrument")
    return msg("site.status.instrument", source=source)


def unit_status(program: Program, centre: Mapping[str, Any], as_of: date) -> tuple[Message, ...]:
    """What the reorganisation did to the centre's own unit and province, as of ``as_of``."""
    reorg = Reorganisation(list(program.events.values()), as_of)
    out: list[Message] = []
    unit = reorg.centre_unit(centre)
    if unit is not None:
        own = " ".join(str(x) for x in (centre.get("unit_type"), centre.get("jurisdiction")) if x)
        name = unit.change.name if unit.change.subject == "unit" else own
        out.append(msg("site.status.unit_ceased", unit=name, on=unit.on, source=event_source(unit)))
    for match in reorg.centre_province(centre):
        c = match.ceased
        if match.how == "province_name" and c.successor:
            out.append(msg("site.status.province_merged", province=c.change.name, successor=c.successor, on=c.on, source=event_source(c)))
    return tuple(out)


def document_status(program: Program, doc: ast.Document, as_of: date, centres: Sequence[Mapping[str, Any]] = ()) -> DocStatus:
    """The status of ``doc`` on ``as_of``; ``centres`` are the facts of the centres it applies to
    (their units' fate decides "the unit it governs no longer exists")."""
    notes: list[Message] = []
    for source in sorted(program.documents.values(), key=lambda d: d.id):
        for link in source.links:
            if link.target == doc.id and link.kind in _REPLACING and source.status in ("binding", "temporary") and doc_in_force(source, as_of)[0]:
                notes.append(msg(f"site.status.{link.kind}_by", document=source.label))
    if doc.status == "cited":
        return DocStatus("cited", msg("site.status.cited"), tuple(notes))
    if doc.status == "draft":
        return DocStatus("draft", msg("site.status.draft"), tuple(notes))
    start = doc.effective or doc.signed
    if start is not None and as_of < start:
        return DocStatus("not_yet", msg("site.status.not_yet", start=start), tuple(notes))
    ceased = [unit_status(program, c, as_of) for c in centres]
    if centres and all(any(m.key == "site.status.unit_ceased" for m in found) for found in ceased):
        first = next(m for m in ceased[0] if m.key == "site.status.unit_ceased")
        unit_notes = sorted({m for found in ceased for m in found}, key=lambda m: (m.key, str(m.args)))
        if doc.pilot and doc.pilot.until and as_of > doc.pilot.until:
            unit_notes.insert(0, msg("site.status.pilot_ended", until=doc.pilot.until))
        return DocStatus("unit_ceased", msg("site.status.units_ceased", on=first.arg("on"), source=first.arg("source")), tuple(unit_notes + notes))
    merged = [{m for m in found if m.key == "site.status.province_merged"} for found in ceased]
    if centres and all(merged):
        # The province the document was written for merged: said as a fact; whether its acts stay
        # in force is for the merged province to decide, so the status itself does not change.
        notes = sorted(set.union(*merged), key=lambda m: str(m.args)) + notes
    in_force, _ = doc_in_force(doc, as_of)
    if not in_force and doc.pilot and doc.pilot.until:
        return DocStatus("pilot_ended", msg("site.status.pilot_ended", until=doc.pilot.until), tuple(notes))
    if doc.status == "temporary" and not (doc.pilot and doc.pilot.until):
        return DocStatus("temporary_open", msg("site.status.temporary_open"), tuple(notes))
    if doc.pilot and doc.pilot.until:
        return DocStatus("in_force", msg("site.status.pilot_until", until=doc.pilot.until), tuple(notes))
    return DocStatus("in_force", msg("site.status.in_force"), tuple(notes))
