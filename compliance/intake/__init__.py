"""Any setup file → a validated setup (plain data: SetupData): YAML or JSON, an officer's workbook (.xlsx), CSV, or stdin.

``load_any`` is the one entry point `quyche check`, `audit`, `explain`, `calendar` and the web
app share: it dispatches on the file's suffix (``-`` reads standard input: YAML or JSON, or a
workbook recognised by its zip signature) and raises :class:`compliance.loading.SetupError` with
every problem at its place (``file:line`` for YAML, ``Nhân sự!D7`` for a workbook).
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from compliance.catalogue import Lang
from compliance.loading import Problem, SetupError, load_setup, parse_setup
from compliance.setup_format import SetupData
from engine.message import msg

__all__ = [
    "AUDITED_SUFFIXES",
    "MAX_BYTES",
    "SETUP_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "load_any",
    "parse_any",
    "read_csv",
    "read_xlsx",
    "to_csv",
    "to_xlsx",
    "to_yaml",
]

if typing.TYPE_CHECKING:  # pragma: no cover
    from compliance.intake.reading import read_csv, read_xlsx
    from compliance.intake.writing import to_csv, to_xlsx, to_yaml

# Imported on first use: checking a YAML setup needs neither the workbook reader nor the writers.
_LAZY = {"read_csv": "reading", "read_xlsx": "reading", "to_csv": "writing", "to_xlsx": "writing", "to_yaml": "writing"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"compliance.intake.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'compliance.intake' has no attribute {name!r}")


MAX_BYTES = 20 * 1024 * 1024  # a centre's setup is kilobytes; this bounds what a hostile file can cost
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
SETUP_SUFFIXES = (".yaml", ".yml", ".json", *SPREADSHEET_SUFFIXES)
AUDITED_SUFFIXES = (".yaml", ".yml", *SPREADSHEET_SUFFIXES)  # a folder's .json files are reports, not setups
_ZIP = b"PK\x03\x04"


def parse_any(data: bytes, name: str, lang: Lang = "vi") -> SetupData:
    """Validate a setup's bytes; the kind is told by ``name``'s suffix, else by the content."""
    if len(data) > MAX_BYTES:
        raise SetupError(name, [Problem(0, 0, msg("intake.error.too_large", size=str(len(data)), limit=str(MAX_BYTES)))])
    from compliance.intake.reading import read_csv, read_xlsx

    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or (suffix not in SETUP_SUFFIXES and data.startswith(_ZIP)):
        return read_xlsx(data, name, lang)
    if suffix == ".csv":
        return read_csv(data, name, lang)
    if suffix not in (".yaml", ".yml", ".json", "") and name != "-":
        raise SetupError(name, [Problem(0, 0, msg("intake.error.unknown_suffix", suffix=suffix))])
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SetupError(name, [Problem(0, 0, msg("intake.error.not_utf8_text", position=str(exc.start)))]) from None
    return parse_setup(content, name)


def load_any(path: str | Path, lang: Lang | None = None) -> SetupData:
    """Read and validate one setup: .yaml/.yml/.json, .xlsx, .csv, or ``-`` for standard input.

    Messages are in ``lang``; by default in the command line's (--lang, QUYCHE_LANG, the locale).
    """
    if lang is None:
        from compliance.commands_intake import detect_lang

        lang = detect_lang()
    name = str(path)
    if name == "-":
        return parse_any(sys.stdin.buffer.read(MAX_BYTES + 1), "-", lang)
    path = Path(path)
    if path.is_dir():
        raise SetupError(name, [Problem(0, 0, msg("intake.error.is_folder", path=name))])
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return load_setup(path)  # YAML (and JSON, a subset of it) is compliance.loading's, messages included
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SetupError(name, [Problem(0, 0, msg("intake.error.no_such_file"))]) from None
    except OSError as exc:
        raise SetupError(name, [Problem(0, 0, msg("intake.error.cannot_read", reason=exc.strerror or str(exc)))]) from None
    return parse_any(data, name, lang)
