"""`quyche review TARGET`: decide what TARGET is, review it, print the report, return the exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from compliance.catalogue import Lang, text
from compliance.legaldoc.readers import SUFFIXES, DocumentInputError, read_document
from compliance.markup import Printer
from compliance.review import encoded
from compliance.review.facts import program_facts
from compliance.review.render import render_text_review
from compliance.review.sarif import to_sarif
from compliance.review.text import review_text
from compliance.version import tool_version
from engine import Program
from engine.literate import is_literate_regulation
from engine.message import Message, msg

__all__ = ["run_review"]

_ORDER = {"error": 0, "warning": 1, "info": 2}
# A text check → the encoded check that already reports the same defect from the encoding.
_COVERED_BY = {"placeholder": "unfinished-text", "citation-duplicate": "citation-duplicate", "figure-mismatch": "claim"}


def _is_text(target: str) -> bool:
    """A draft's text: stdin, a known text suffix, or any existing file that is not a .quy encoding."""
    path = Path(target)
    if path.suffix.lower() == ".md" and path.is_file() and is_literate_regulation(path):
        return False  # a literate regulation file is an encoding, reviewed as one
    return target == "-" or path.suffix.lower() in SUFFIXES or (path.is_file() and path.suffix.lower() != ".quy")


def _combined(program: Program, doc_id: str, as_of: date, dropped: Any, seeds: Path) -> dict[str, Any]:
    """The encoded review, the program's facts, and the text review of the source when it is at hand."""
    report = encoded.review(program, doc_id, as_of, dropped)
    report["findings"] += list(program_facts(program, doc_id, as_of))
    doc = program.documents[doc_id]
    notes: list[dict[str, str]] = []
    if doc.source:
        path = seeds / doc.source
        if path.is_file():
            name, source = read_document(str(path))
            encoded_checks = {f["check"] for f in report["findings"] if f["status"] in ("violated", "unknown")}
            report["findings"] += [f for f in review_text(source, name, program, as_of)["findings"] if _COVERED_BY.get(f["check"]) not in encoded_checks]
        else:
            m = msg("review.source_missing", file=doc.source, folder=str(seeds))
            notes.append({"vi": text(m, "vi"), "en": text(m, "en")})
    report["notes"] = notes
    report["severity"] = {s: sum(1 for f in report["findings"] if f["severity"] == s and f["status"] in ("violated", "unknown")) for s in _ORDER}
    return report


class ReviewTargetError(Exception):
    """A review target that cannot be read: the message says why, in the reader's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


def review_report(target: str, as_of: date, regulations: Path | None, seeds: Path) -> tuple[dict[str, Any], bool]:
    """The review of a draft's text or of an encoded document, and whether it was the encoded kind.

    One function for the command line and the web API, so both give the same JSON.
    """
    from compliance.regulations import bundled_program, load_regulations

    if _is_text(target):
        try:
            name, source = read_document(target)
        except DocumentInputError as err:
            raise ReviewTargetError(msg(err.key, **err.args_)) from None
        try:
            program: Program | None = load_regulations(regulations) if regulations else bundled_program()
        except Exception:  # noqa: BLE001 - the text checks still run without the program
            program = None
        return review_text(source, name, program, as_of), False
    try:
        loaded, doc, dropped = encoded.load_for_review(target, regulations)
    except encoded.ReviewInputError as err:
        raise ReviewTargetError(err.message) from None
    return _combined(loaded, doc.id, as_of, dropped, seeds), True


def run_review(
    target: str, fmt: str, lang: Lang, as_of: date, verbose: bool, regulations: Path | None, seeds: Path, out: Printer, fail: Callable[[str], NoReturn]
) -> int:
    try:
        report, encoded_text = review_report(target, as_of, regulations, seeds)
    except ReviewTargetError as err:
        fail(text(err.message, lang))
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "sarif":
        sys.stdout.write(json.dumps(to_sarif(report, lang, tool_version()), ensure_ascii=False, indent=2) + "\n")
    elif encoded_text:
        encoded.render_review(out, report, lang, verbose)
    else:
        render_text_review(out, report, lang)
    return 1 if any(f["severity"] == "error" and f["status"] in ("violated", "unknown") for f in report["findings"]) else 0
