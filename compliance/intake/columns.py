"""The officer's workbook layout: which sheet holds which part of a setup, and each column's kind.

One table, read by both directions (spreadsheet → setup and setup → spreadsheet) and by the
template of ``quyche init``. Headers and sheet names are catalogue words (``intake.sheet.*``,
``intake.col.*``); a header matches in Vietnamese or English, or as the setup's field name,
whatever the case, spacing or tone-mark placement (``engine.text.text_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from compliance.catalogue import LANGS, Lang, word
from compliance.setup import Centre, Employment
from engine.text import text_key

__all__ = ["Column", "Sheet", "SHEETS", "CENTRE", "GUIDE_SHEET", "Kind", "header_keys", "sheet_keys"]

Kind = Literal["text", "bool", "date", "when", "int", "money", "list", "roles", "choice", "level", "allowances", "period", "obligation"]


@dataclass(frozen=True)
class Column:
    """One column (or, on the centre sheet, one row): the setup field it fills and how its cells read."""

    field: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()

    def label(self, sheet: str, lang: Lang) -> str:
        return word(f"intake.col.{sheet}.{self.field}", lang)


@dataclass(frozen=True)
class Sheet:
    """A sheet: the setup key it fills (``staff``) and its columns, the first one identifying a row."""

    key: str
    columns: tuple[Column, ...]

    def name(self, lang: Lang) -> str:
        return word(f"intake.sheet.{self.key}", lang)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


_EMPLOYMENT: tuple[str, ...] = get_args(Employment)

CENTRE = Sheet(
    "centre",
    (
        Column("id", required=True),
        Column("name", required=True),
        Column("province"),
        Column("jurisdiction"),
        Column("level", "level"),
        Column("unit_type", "choice", choices=get_args(get_args(Centre.model_fields["unit_type"].annotation)[0])),
        Column("host_agency"),
        Column("owner"),
        Column("managed_by"),
        Column("directed_by"),
        Column("contracted_provider"),
        Column("regulation_submitted_by"),
        Column("regulation_issued_by"),
        Column("coordinating_units", "list"),
        Column("seal"),
        Column("premises"),
        Column("public_service_unit", "bool"),
        Column("connected_to_provincial_ioc", "bool"),
        Column("dedicated_apparatus", "bool"),
        Column("physical_control_room", "bool"),
        Column("quota_increase", "bool"),
        Column("operating", "bool"),
        Column("operating_since", "date"),
        Column("records_since", "date"),
        Column("records_until", "date"),
        Column("pilot_extensions", "list"),
        Column("governing_documents", "list"),
        Column("support_list_approved_by"),
        Column("standing_body"),
        Column("operator"),
        Column("operator_duties", "list"),
        Column("notes"),
    ),
)

# The sheets of lists, in the workbook's order; a row is one item of the setup's list.
SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "staff",
        (
            Column("name", required=True),
            Column("position"),
            Column("agency"),
            Column("role", "roles"),
            Column("employment", "choice", choices=_EMPLOYMENT),
            Column("concurrent", "bool"),
            Column("works_at_centre", "bool"),
            Column("full_time", "bool"),
            Column("qualifications", "list"),
            Column("responsibilities", "list"),
            Column("appointed_by"),
            Column("supplied_by"),
            Column("mobilised", "bool"),
            Column("permitted_by"),
            Column("supported", "bool"),
            Column("shift", "int"),
            Column("allowances", "allowances"),
        ),
    ),
    Sheet("funding", (Column("source", required=True), Column("purpose"), Column("amount", "money"), Column("basis"))),
    Sheet(
        "reports",
        (
            Column("obligation", "obligation", required=True),
            Column("period", "period", required=True),
            Column("filed", "when"),
            Column("to", "list"),
            Column("cc", "list"),
            Column("team"),
            Column("note"),
        ),
    ),
    Sheet(
        "meetings",
        (
            Column("obligation", "obligation", required=True),
            Column("period", "period", required=True),
            Column("held", "when"),
            Column("team"),
            Column("note"),
        ),
    ),
    Sheet("components", (Column("name", required=True), Column("lead_agency"), Column("cooperating", "list"))),
    Sheet(
        "teams",
        (
            Column("team", required=True),
            Column("name"),
            Column("position", required=True),
            Column("team_role", "choice", choices=("Tổ trưởng", "Thư ký", "Thành viên")),
            Column("concurrent", "bool"),
        ),
    ),
)

GUIDE_SHEET = "guide"  # the template's instructions: never read as data


def header_keys(sheet: Sheet) -> dict[str, Column]:
    """Every accepted spelling of each column's header (both languages, the field name), as text keys."""
    keys: dict[str, Column] = {}
    for column in sheet.columns:
        for spelling in (column.field, column.field.replace("_", " "), *(column.label(sheet.key, lang) for lang in LANGS)):
            keys.setdefault(text_key(spelling), column)
    return keys


def sheet_keys() -> dict[str, str]:
    """Every accepted spelling of each sheet's name → the sheet's key (``staff``)."""
    keys: dict[str, str] = {}
    for key in ("centre", *(s.key for s in SHEETS), GUIDE_SHEET):
        for spelling in (key, *(word(f"intake.sheet.{key}", lang) for lang in LANGS)):
            keys.setdefault(text_key(spelling), key)
    return keys
