"""A validated setup (SetupData) → the officer's workbook (.xlsx), a CSV file, or YAML: the inverse of reading.

Reading what is written here gives back the same setup (tested), so `quyche convert` goes both
ways without loss. The workbook's bytes are reproducible: fixed document dates, fixed zip-entry
times. Headers are written in the reader's language; either language reads back.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import yaml

from compliance.catalogue import Lang, text, word
from compliance.intake.cells import kind_message
from compliance.intake.columns import CENTRE, SHEETS, Column, Sheet, sheet_keys
from compliance.setup_format import MODELS, ROOT, SetupData
from engine.text import text_key

__all__ = ["to_csv", "to_xlsx", "to_yaml", "setup_data", "EPOCH"]

EPOCH = datetime(2024, 1, 1)  # every written workbook carries this date: same setup, same bytes


def setup_data(setup: SetupData) -> dict[str, Any]:
    """The setup as plain data, with only the facts a file must hold to give it (what a YAML file
    would hold): a value its field takes by default (unknown, false, no documents) is left out."""
    return _plain(_given(ROOT, setup))  # type: ignore[no-any-return]


def _given(model: str, data: Any) -> Any:
    """``data`` of ``model`` without the values the model gives by default, nested models too."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for field, about in MODELS[model]["fields"].items():
        value = data.get(field)
        if value is None or ("default" in about and value == about["default"]) or (about.get("factory") == "list" and value == []):
            continue
        inner = _model_in(about["types"])
        if inner is not None and isinstance(value, list):
            value = [_given(inner, item) for item in value]
        elif inner is not None:
            value = _given(inner, value)
        out[field] = value
    return out


def _model_in(types: tuple[Any, ...]) -> str | None:
    """The model a field holds (one, or a list of them) in the description's types, if any."""
    for kind in types:
        if isinstance(kind, tuple) and kind[0] == "model":
            return str(kind[1])
        if isinstance(kind, tuple) and kind[0] == "list":
            inner = _model_in(kind[1])
            if inner is not None:
                return inner
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def to_yaml(setup: SetupData) -> str:
    """The setup as YAML, Vietnamese letters kept as they are."""
    return yaml.safe_dump(setup_data(setup), allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


# ---------------------------------------------------------------------- cell values
def _amount(value: Decimal, lang: Lang) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=lang, decimal_quantization=False))


def cell_value(value: Any, column: Column, lang: Lang, for_csv: bool) -> Any:
    """The cell for one setup value (None: leave the cell empty)."""
    if value is None:
        return None
    kind = column.kind
    if kind == "bool":
        return word("value.yes" if value else "value.no", lang).capitalize()
    if kind == "level":
        return word(f"intake.value.level.{value}", lang)
    if kind in ("list", "roles"):
        items = [value] if isinstance(value, str) else list(value)
        if not items:  # known to be none ('Không'), unlike an empty cell; the centre's document lists are [] by default
            return None if column.field in ("pilot_extensions", "governing_documents") else word("value.no", lang).capitalize()
        return "; ".join(items)
    if kind == "allowances":
        if not value:
            return word("value.no", lang).capitalize()
        parts = []
        for allowance in value:
            part = allowance["scheme"]
            if allowance.get("amount") is not None:
                part += ": " + _amount(Decimal(allowance["amount"]), lang)
            if allowance.get("special") is not None:
                part += " (" + word("intake.value.special" if allowance["special"] else "intake.value.not_special", lang) + ")"
            parts.append(part)
        return "; ".join(parts)
    if kind == "money":
        amount = Decimal(value)
        return str(amount) if for_csv else (int(amount) if amount == amount.to_integral_value() else float(amount))
    if isinstance(value, datetime):
        if value.tzinfo is not None or value.microsecond:
            return value.isoformat()
        return value.strftime("%d/%m/%Y %H:%M:%S" if value.second else "%d/%m/%Y %H:%M") if for_csv else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if for_csv else value
    return value


def _centre_rows(setup: SetupData, lang: Lang, for_csv: bool) -> list[tuple[Column, Any]]:
    data = setup_data(setup)["centre"]
    operator = data.pop("operator", None) or {}
    data["operator"] = operator.get("name")
    data["operator_duties"] = operator.get("duties")
    return [(column, cell_value(data.get(column.field), column, lang, for_csv)) for column in CENTRE.columns]


def _table_rows(setup: SetupData, sheet: Sheet, lang: Lang, for_csv: bool) -> list[list[Any]] | None:
    data = setup_data(setup)
    items = data.get(sheet.key)
    if items is None and setup.get(sheet.key) is None:
        return None
    if sheet.key == "teams":
        items = [dict(member, team=team["name"]) for team in items or [] for member in team["members"]]
    return [[cell_value(item.get(column.field), column, lang, for_csv) for column in sheet.columns] for item in items or []]


def hint(column: Column, lang: Lang) -> str:
    """How a cell of ``column`` is written, for the header comment and the template."""
    how = text(kind_message(column, lang), lang)
    return f"{how} ({word('intake.required', lang)})" if column.required else how


# ---------------------------------------------------------------------- workbook
def to_xlsx(setup: SetupData, lang: Lang = "vi", guide: list[str] | None = None) -> bytes:
    """The setup as a workbook: the centre sheet, then one sheet per list the setup gives."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = book.active
    centre.title = CENTRE.name(lang)
    centre.append([word("intake.head.field", lang), word("intake.head.value", lang), word("intake.head.hint", lang)])
    for column, value in _centre_rows(setup, lang, False):
        centre.append([column.label("centre", lang), value, hint(column, lang)])
    for cell in centre[1]:
        cell.font, cell.fill = bold, fill
    for row in centre.iter_rows(min_row=2):
        row[0].font = bold
        for cell in row:
            cell.alignment = wrap
        if isinstance(row[1].value, (date, datetime)):
            row[1].number_format = "DD/MM/YYYY HH:MM" if isinstance(row[1].value, datetime) else "DD/MM/YYYY"
    for letter, width in (("A", 38), ("B", 70), ("C", 60)):
        centre.column_dimensions[letter].width = width
    centre.freeze_panes = "A2"
    for sheet in SHEETS:
        rows = _table_rows(setup, sheet, lang, False)
        if rows is None:
            continue
        ws = book.create_sheet(sheet.name(lang))
        ws.append([column.label(sheet.key, lang) for column in sheet.columns])
        for col, column in enumerate(sheet.columns, 1):
            cell = ws.cell(row=1, column=col)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            cell.comment = Comment(hint(column, lang), "quyche", width=300, height=120)
        for values in rows:
            ws.append(values)
        for col, column in enumerate(sheet.columns, 1):
            letter = get_column_letter(col)
            longest = max([len(str(ws.cell(row=r, column=col).value or "")) for r in range(1, len(rows) + 2)], default=10)
            ws.column_dimensions[letter].width = min(max(12, longest + 2), 60)
            for r in range(2, len(rows) + 2):
                cell = ws.cell(row=r, column=col)
                cell.alignment = wrap
                if isinstance(cell.value, datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
                elif column.kind == "money" and isinstance(cell.value, (int, float)):
                    cell.number_format = "#,##0"
            choices = _choices(column, lang)
            if choices:
                # A drop-down list; typing something else is still read (and reported if wrong).
                check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=False)
                ws.add_data_validation(check)
                check.add(f"{letter}2:{letter}1000")
        ws.freeze_panes = "A2"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that begins like a formula stays text, never a formula
    if guide:
        ws = book.create_sheet(word("intake.sheet.guide", lang))
        for line in guide:
            ws.append([line])
        ws.column_dimensions["A"].width = 120
    return _reproducible(book)


def _choices(column: Column, lang: Lang) -> list[str]:
    if column.kind == "bool":
        return [word("value.yes", lang).capitalize(), word("value.no", lang).capitalize()]
    if column.kind == "choice":
        return list(column.choices)
    if column.kind == "level":
        return [word(f"intake.value.level.{v}", lang) for v in ("province", "district")]
    return []


def _reproducible(book: Any) -> bytes:
    """Save with fixed dates, so that the same setup always gives the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "quyche"
    book.properties.created = book.properties.modified = EPOCH
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=EPOCH.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


# ---------------------------------------------------------------------- CSV
def to_csv(setup: SetupData, lang: Lang = "vi") -> str:
    """The setup as one CSV file: each sheet introduced by a line with its name (read back by read_csv)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([CENTRE.name(lang)])
    writer.writerow([word("intake.head.field", lang), word("intake.head.value", lang)])
    for column, value in _centre_rows(setup, lang, True):
        writer.writerow([column.label("centre", lang), "" if value is None else _guard(value)])
    for sheet in SHEETS:
        rows = _table_rows(setup, sheet, lang, True)
        if rows is None:
            continue
        writer.writerow([])
        writer.writerow([sheet.name(lang)])
        writer.writerow([column.label(sheet.key, lang) for column in sheet.columns])
        for values in rows:
            writer.writerow(_csv_row(values))
    return buffer.getvalue()


def _csv_row(values: list[Any]) -> list[Any]:
    """A table row; a row whose only text is a sheet's name ("Kinh phí", "teams") would read as the
    start of that sheet, so it gets the same leading apostrophe a formula-like text gets."""
    cells = ["" if v is None else _guard(v) for v in values]
    filled = [c for c in cells if str(c).strip()]
    if len(filled) == 1 and isinstance(cells[0], str) and cells[0].strip() and text_key(cells[0].strip()) in sheet_keys():
        cells[0] = "'" + cells[0]
    return cells


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guard(value: Any) -> Any:
    """A text a spreadsheet program would run as a formula gets a leading apostrophe (read_csv drops it)."""
    return "'" + value if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")) else value
