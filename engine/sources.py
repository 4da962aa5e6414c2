"""Quotes → source check: every verbatim text must stand, word for word, in its seed document.

The seeds are plain text extracted from the official documents, with stray line breaks,
page numbers and Markdown emphasis; both sides are compared after collapsing white space
and dropping emphasis markers, nothing more — a changed word is a Q017 diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine import ast
from engine.diagnostics import Diagnostic
from engine.program import Program
from engine.text import nfc

__all__ = ["normalise_source", "quotes", "verify_sources"]

_EMPHASIS = re.compile(r"\*+|</?b>|^#+ ", re.MULTILINE)


def normalise_source(text: str) -> str:
    """Text as compared: NFC, emphasis markers dropped, white space collapsed."""
    return " ".join(_EMPHASIS.sub("", nfc(text)).split())


def quotes(program: Program, doc: ast.Document) -> Iterator[tuple[str, str, ast.Span | None]]:
    """(owner, verbatim text, span) for every quote the document's encoding makes."""
    if doc.effective_provenance:
        yield f"{doc.id} (effective)", doc.effective_provenance.text, doc.span
    if doc.pilot:
        yield f"{doc.id} (pilot)", doc.pilot.provenance.text, doc.span
    if doc.applies and doc.applies.provenance:
        yield f"{doc.id} (applies to)", doc.applies.provenance.text, doc.span
    for link in doc.links:
        if link.provenance:
            yield f"{doc.id} ({link.kind} {link.target})", link.provenance.text, link.span or doc.span
    for item in program.statements_of(doc.id):
        if item.text:
            yield item.id, item.text, item.span


def verify_sources(program: Program, seeds: Path) -> tuple[list[Diagnostic], int]:
    """Check every quote of every document that names its ``source`` file in ``seeds``.

    Returns the diagnostics (Q017 for a quote not found, Q002 for a missing seed) and the
    number of quotes checked. A quote attributed to another document (``known_through``)
    is checked against the document whose ``source`` it names.
    """
    problems: list[Diagnostic] = []
    checked = 0
    cache: dict[str, str] = {}
    for doc in sorted(program.documents.values(), key=lambda d: d.id):
        if not doc.source:
            continue
        path = seeds / doc.source
        if doc.source not in cache:
            if not path.is_file():
                problems.append(Diagnostic("Q002", f"{doc.id}: source {doc.source} not found in {seeds}", **_where(doc.span)))
                cache[doc.source] = ""
                continue
            try:
                cache[doc.source] = normalise_source(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:  # a seed that is not UTF-8 text is a problem to report, not a crash
                reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
                problems.append(Diagnostic("Q002", f"{doc.id}: cannot read source {doc.source}: {reason}", **_where(doc.span)))
                cache[doc.source] = ""
                continue
        source = cache[doc.source]
        if not source:
            continue
        for owner, text, span in quotes(program, doc):
            checked += 1
            if normalise_source(text) not in source:
                problems.append(
                    Diagnostic(
                        "Q017",
                        f"{owner}: verbatim text not found in {doc.source}: “{text[:80]}…”",
                        hint="copy the provision exactly from the seed (white space may differ, words may not)",
                        **_where(span),
                    )
                )
    return problems, checked


def _where(span: ast.Span | None) -> dict[str, Any]:
    return {"file": span.file, "line": span.line, "column": span.column} if span else {}
