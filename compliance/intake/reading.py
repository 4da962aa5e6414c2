"""An officer's workbook (.xlsx) or CSV file → a validated setup (SetupData), with errors at sheet!cell.

The workbook is read with openpyxl in read-only mode with cached values only (``data_only``):
formulas are never evaluated, macros never run, external links never followed. A CSV file holds
the same sheets one after the other, each introduced by a line with only the sheet's name.

Every cell is converted by its column's kind (compliance.intake.cells) and the result goes
through the same pydantic model as a YAML setup, so the two paths cannot disagree; pydantic's
errors are mapped back to the cell they came from.
"""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import ValidationError

from compliance.catalogue import LANGS, Lang, text, word
from compliance.intake.cells import ABSENT, CellError, kind_message, parse_cell, show
from compliance.intake.columns import CENTRE, GUIDE_SHEET, SHEETS, Column, Sheet, header_keys, sheet_keys
from compliance.loading import Problem, SetupError
from compliance.setup import validate
from compliance.setup_errors import setup_problems
from compliance.setup_format import SetupData
from engine.message import Message, msg
from engine.text import text_key

__all__ = ["MAX_ROWS", "read_csv", "read_xlsx"]

MAX_ROWS = 20_000  # per sheet: far above any centre, far below what would exhaust memory
MAX_COLUMNS = 60
_IGNORED_HEADERS = {text_key(h) for h in ("STT", "TT", "Số thứ tự", "No.", "No", "#")}
_FIELD_HEADERS = {text_key(word(f"intake.head.{k}", lang)) for k in ("field", "value", "hint") for lang in ("vi", "en")}


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


@dataclass
class Grid:
    """One sheet's rows as read: (row number, cell values), and whether it came from a CSV file."""

    name: str
    rows: list[tuple[int, tuple[Any, ...]]]
    csv: bool = False
    title_line: int = 0  # CSV: the line with the sheet's name

    def place(self, row: int, col: int, lang: Lang) -> str:
        if self.csv:
            return text(msg("intake.place.csv", sheet=self.name, line=str(row), column=_letter(col)), lang)
        return text(msg("intake.place.cell", sheet=self.name, cell=f"{_letter(col)}{row}"), lang)


@dataclass
class _Reader:
    """Collects the setup's data, where each value came from, and every problem found."""

    lang: Lang
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[tuple[Any, ...], tuple[str, str]] = field(default_factory=dict)  # loc → (place, column label)
    problems: list[str] = field(default_factory=list)  # as the reader reads them (to skip a cell said twice)
    messages: list[Message] = field(default_factory=list)

    def say(self, message: Message) -> None:
        self.problems.append(text(message, self.lang))
        self.messages.append(message)

    def error(self, file: str) -> SetupError:
        """Every problem found, in the order found (sheet by sheet, row by row)."""
        return SetupError(file, [Problem(0, i + 1, m) for i, m in enumerate(self.messages)])

    def hint(self, typed: str, known: Mapping[str, str]) -> Message | str:
        """'did you mean …': the closest spelling in either language, named in the reader's."""
        spellings = {k.casefold(): v for k, v in known.items()}
        close = difflib.get_close_matches(typed.casefold(), list(spellings), n=1, cutoff=0.6)
        return msg("intake.error.hint", suggestion=spellings[close[0]]) if close else ""

    def spellings(self, sheet: Sheet) -> dict[str, str]:
        return {
            spelling: column.label(sheet.key, self.lang)
            for column in sheet.columns
            for spelling in (column.field, *(column.label(sheet.key, lang) for lang in LANGS))
        }

    def cell(self, grid: Grid, sheet: Sheet, column: Column, row: int, col: int, value: Any, loc: tuple[Any, ...]) -> Any:
        label = column.label(sheet.key, self.lang)
        place = grid.place(row, col, self.lang)
        self.places[loc] = (place, label)
        try:
            return parse_cell(value, column)
        except CellError:
            kind = kind_message(column, self.lang)
            self.say(msg("intake.error.expected", place=place, column=label, kind=kind, value=show(value, self.lang)))
            return ABSENT

    # ------------------------------------------------------------------ sheets
    def read(self, grids: list[Grid]) -> None:
        names = sheet_keys()
        keys = ("centre", *(s.key for s in SHEETS))
        known = [word(f"intake.sheet.{k}", self.lang) for k in keys]
        spellings = {word(f"intake.sheet.{k}", lang): word(f"intake.sheet.{k}", self.lang) for k in keys for lang in LANGS}
        seen: set[str] = set()
        for grid in grids:
            key = names.get(text_key(grid.name))
            if key is None or key in seen:
                if key is None and not any(any(v is not None and str(v).strip() for v in cells) for _, cells in grid.rows):
                    continue  # an empty extra sheet ("Sheet1") says nothing
                self.say(msg("intake.error.unknown_sheet", sheet=grid.name, hint=self.hint(grid.name, spellings), known=", ".join(known)))
                continue
            seen.add(key)
            if key == GUIDE_SHEET:
                continue
            if key == "centre":
                self.centre(grid)
            else:
                self.table(grid, next(s for s in SHEETS if s.key == key))
        if "centre" not in seen:
            self.say(msg("intake.error.no_centre", sheet=word("intake.sheet.centre", self.lang)))

    def centre(self, grid: Grid) -> None:
        """The centre sheet: one (information, value) pair per row, in columns A and B."""
        keys = header_keys(CENTRE)
        labels = self.spellings(CENTRE)
        first_row: dict[str, int] = {}
        centre: dict[str, Any] = {}
        for row, cells in grid.rows:
            label = cells[0] if cells else None
            value = cells[1] if len(cells) > 1 else None
            if label is None or not str(label).strip():
                continue
            typed = str(label).strip()
            column = keys.get(text_key(typed))
            if column is None:
                if text_key(typed) not in _FIELD_HEADERS and value is not None and str(value).strip():
                    hint = self.hint(typed, labels)
                    self.say(msg("intake.error.unknown_field", place=grid.place(row, 1, self.lang), header=typed, hint=hint))
                continue
            if column.field in first_row:
                self.say(msg("intake.error.duplicate_field", place=grid.place(row, 1, self.lang), header=typed, first=str(first_row[column.field])))
                continue
            first_row[column.field] = row
            loc: tuple[Any, ...] = ("centre", column.field)
            if column.field == "operator":
                loc = ("centre", "operator", "name")
            elif column.field == "operator_duties":
                loc = ("centre", "operator", "duties")
            parsed = self.cell(grid, CENTRE, column, row, 2, value, loc)
            if parsed is ABSENT:
                continue
            if column.field in ("operator", "operator_duties"):
                centre.setdefault("operator", {})["name" if column.field == "operator" else "duties"] = parsed
            else:
                centre[column.field] = parsed
        self.places.setdefault(("centre",), (grid.place(1, 1, self.lang), word("intake.sheet.centre", self.lang)))
        if "operator" in centre:
            self.places[("centre", "operator")] = self.places.get(("centre", "operator", "name")) or self.places[("centre", "operator", "duties")]
        self.data["centre"] = centre

    def _header(self, grid: Grid, sheet: Sheet) -> tuple[int, dict[int, Column]] | None:
        keys = header_keys(sheet)
        for index, (row, cells) in enumerate(grid.rows[:20]):
            if not any(text_key(str(v)) in keys for v in cells if v is not None):
                continue
            columns: dict[int, Column] = {}
            first: dict[str, int] = {}
            labels = self.spellings(sheet)
            for col, value in enumerate(cells[:MAX_COLUMNS], 1):
                if value is None or not str(value).strip() or text_key(str(value)) in _IGNORED_HEADERS:
                    continue
                typed = str(value).strip()
                column = keys.get(text_key(typed))
                place = grid.place(row, col, self.lang)
                if column is None:
                    self.say(msg("intake.error.unknown_column", place=place, header=typed, hint=self.hint(typed, labels)))
                elif column.field in first:
                    self.say(msg("intake.error.duplicate_column", place=place, header=typed, first=_letter(first[column.field])))
                else:
                    columns[col] = column
                    first[column.field] = col
            return index, columns
        return None

    def table(self, grid: Grid, sheet: Sheet) -> None:
        """A list sheet: a header row, then one item per non-empty row."""
        found = self._header(grid, sheet)
        required = sheet.columns[0].label(sheet.key, self.lang)
        if found is None:
            if any(any(v is not None and str(v).strip() for v in cells) for _, cells in grid.rows):
                self.say(msg("intake.error.no_header", place=text(msg("intake.place.sheet", sheet=grid.name), self.lang), column=required))
            self.data[sheet.key] = []
            return
        index, columns = found
        header_row = grid.rows[index][0]
        items: list[dict[str, Any]] = []
        item_places: list[tuple[int, dict[str, tuple[int, int]]]] = []
        for row, cells in grid.rows[index + 1 :]:
            if not any(cells[col - 1] is not None and str(cells[col - 1]).strip() for col in columns if col - 1 < len(cells)):
                continue
            item: dict[str, Any] = {}
            where: dict[str, tuple[int, int]] = {}
            n = len(items)
            for col, column in columns.items():
                value = cells[col - 1] if col - 1 < len(cells) else None
                where[column.field] = (row, col)
                parsed = self.cell(grid, sheet, column, row, col, value, (sheet.key, n, column.field))
                if parsed is not ABSENT:
                    item[column.field] = parsed
            first_col = min(columns) if columns else 1
            self.places[(sheet.key, n)] = (grid.place(row, first_col, self.lang), sheet.name(self.lang))
            for column in sheet.columns:
                if column.required and column.field not in where:
                    self.places[(sheet.key, n, column.field)] = (grid.place(row, first_col, self.lang), column.label(sheet.key, self.lang))
            items.append(item)
            item_places.append((row, where))
        for column in sheet.columns:
            if column.required and column.field not in {c.field for c in columns.values()} and items:
                place = grid.place(header_row, max(columns, default=0) + 1, self.lang)
                self.say(msg("intake.error.missing_column", place=place, column=column.label(sheet.key, self.lang)))
        if sheet.key == "teams":
            self.data["teams"] = self._teams(items)
        else:
            self.data[sheet.key] = items

    def _teams(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows of (team, member) → teams in order of first appearance, each with its members."""
        teams: dict[str, dict[str, Any]] = {}
        for n, row in enumerate(rows):
            name = row.pop("team", None)
            if name is None:
                place, label = self.places[("teams", n, "team")]
                self.say(msg("intake.error.team_without_name", place=place, column=label))
                continue
            team = teams.setdefault(text_key(name), {"name": name, "members": []})
            t = list(teams).index(text_key(name))
            m = len(team["members"])
            team["members"].append(row)
            for loc, where in list(self.places.items()):
                if loc[:2] == ("teams", n) and len(loc) == 3:
                    self.places[("teams", t, "members", m, loc[2])] = where
            self.places[("teams", t, "members", m)] = self.places[("teams", n)]
        return list(teams.values())

    # ------------------------------------------------------------------ validation
    def setup(self, file: str) -> SetupData:
        """Validate through the setup model; every problem (cells and model) reported at once."""
        if "centre" not in self.data:
            raise self.error(file)
        setup: SetupData | None = None
        try:
            setup = validate(self.data)
        except ValidationError as exc:
            for loc, message in setup_problems(exc):  # one per field, union member tags dropped
                place, label = self._place(loc)
                if any(p.startswith(place + " ") or p.startswith(place + ":") for p in self.problems):
                    continue  # a cell already reported (its bad value was left out)
                if message.key == "setup.missing_field":
                    self.say(msg("intake.error.missing", place=place, column=label))
                else:
                    self.say(msg("intake.error.invalid", place=place, detail=message))
        if self.problems or setup is None:
            raise self.error(file)
        return setup

    def _place(self, loc: tuple[Any, ...]) -> tuple[str, str]:
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.places:
                return self.places[loc[:end]]
        centre = word("intake.sheet.centre", self.lang)
        return centre, centre


# ---------------------------------------------------------------------- sources
def _damaged(exc: Exception) -> Problem:
    """A workbook that does not open, in the reader's language (the library's message is English)."""
    return Problem(0, 0, msg("intake.error.not_xlsx", reason=msg("intake.error.damaged_xlsx", kind=type(exc).__name__)))


def _xlsx_grids(data: bytes, file: str, lang: Lang) -> list[Grid]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError, AttributeError) as exc:
        raise SetupError(file, [_damaged(exc)]) from None  # zipfile's and openpyxl's own words are English: named by kind only
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a hostile file; none may escape as a traceback
        raise SetupError(file, [_damaged(exc)]) from None
    grids = []
    try:
        for sheet in book.worksheets:
            rows: list[tuple[int, tuple[Any, ...]]] = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
                if number > MAX_ROWS:
                    raise SetupError(file, [Problem(0, 0, msg("intake.error.too_big", place=sheet.title, limit=str(MAX_ROWS)))])
                if any(v is not None for v in cells):
                    rows.append((number, tuple(cells)))
            grids.append(Grid(sheet.title, rows))
    except SetupError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet part: same as an unreadable file
        raise SetupError(file, [_damaged(exc)]) from None
    finally:
        book.close()
    return grids


def read_xlsx(data: bytes, file: str, lang: Lang = "vi") -> SetupData:
    """A workbook's bytes → SetupData; SetupError with every problem at its sheet!cell."""
    reader = _Reader(lang)
    reader.read(_xlsx_grids(data, file, lang))
    return reader.setup(file)


@cache
def _known_first_cells() -> frozenset[str]:
    """What a row's first cell may be: a sheet name, a centre field, a column header."""
    known = set(sheet_keys()) | set(header_keys(CENTRE)) | _FIELD_HEADERS | _IGNORED_HEADERS
    for sheet in SHEETS:
        known |= set(header_keys(sheet))
    return frozenset(known)


def _csv_rows(content: str) -> Iterator[list[str]]:
    """Rows with the delimiter the file uses: ',' or, as Excel writes in Vietnamese locales, ';' (or a tab).

    The sniffer is misled by the commas inside Vietnamese names; the delimiter that makes the most
    first cells known names (sheets, fields, headers) is the file's.
    """
    lines = content.splitlines()[:80]
    known = _known_first_cells()

    def score(delimiter: str) -> int:
        rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        return sum(1 for row in rows if row and text_key(row[0].strip()) in known)

    delimiter = max((",", ";", "\t"), key=score)  # max keeps the first on a tie: ','
    return csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)


def _csv_grids(data: bytes, file: str, lang: Lang) -> list[Grid]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SetupError(file, [Problem(0, 0, msg("intake.error.not_utf8", position=str(exc.start)))]) from None
    names = sheet_keys()
    grids: list[Grid] = []
    reader = _csv_rows(content)
    for cells in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if line > MAX_ROWS * 8:
            raise SetupError(file, [Problem(0, 0, msg("intake.error.too_big", place=file, limit=str(MAX_ROWS * 8)))])
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        if len(filled) == 1 and cells[0].strip() and text_key(cells[0].strip()) in names:
            grids.append(Grid(cells[0].strip(), [], csv=True, title_line=line))
            continue
        if not grids:
            raise SetupError(file, [Problem(0, 0, msg("intake.error.csv_no_section", line=str(line)))])
        grids[-1].rows.append((line, tuple(_unguard(c) if c.strip() else None for c in cells[:MAX_COLUMNS])))
    return grids


def _unguard(cell: str) -> str:
    """Drop the apostrophe that keeps a formula-like text from running in a spreadsheet program,
    or a sheet's name alone in a row from starting that sheet (compliance.intake.writing)."""
    if not cell.startswith("'"):
        return cell
    if cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") or text_key(cell[1:].strip()) in sheet_keys():
        return cell[1:]
    return cell


def read_csv(data: bytes, file: str, lang: Lang = "vi") -> SetupData:
    """A CSV file's bytes (UTF-8, sheets one after the other) → SetupData; errors at line and column."""
    reader = _Reader(lang)
    reader.read(_csv_grids(data, file, lang))
    return reader.setup(file)
