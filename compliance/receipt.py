"""Who decided a verdict: the receipt every check, explain, review and audit JSON carries.

Tool version, a fingerprint of the rule program (SHA-256 over the grammar and the regulation
files, by relative path: the same rules give the same fingerprint on any machine or Python),
each applied document's number and in-force window, the as-of date, and the SHA-256 of the
input. Deterministic: no clock, no host name, no absolute path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from compliance.regulations import regulations_dir
from compliance.version import tool_version
from engine import Program
from engine.grammar import grammar_path

__all__ = ["program_fingerprint", "receipt", "tool_version"]


@cache
def program_fingerprint(root: Path | None = None) -> str:
    """SHA-256 over the grammar and every regulation file (``*.quy``, literate ``*.md``) under ``root`` (default: the bundled rules)."""
    root = (root or regulations_dir()).resolve()
    digest = hashlib.sha256()
    grammar = grammar_path()
    for name, path in [
        (f"grammar/{grammar.name}", grammar),
        *((p.relative_to(root).as_posix(), p) for p in sorted([*root.rglob("*.quy"), *root.rglob("*.md")])),
    ]:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _window(program: Program, doc_id: str) -> dict[str, Any]:
    doc = program.documents[doc_id]
    start = doc.effective or doc.signed
    end = doc.pilot.until if doc.pilot is not None else None
    return {
        "id": doc.id,
        "number": doc.number or doc.id,
        "in_force_from": start.isoformat() if start else None,
        "in_force_until": end.isoformat() if end else None,
    }


def receipt(program: Program, documents: Iterable[str], as_of: date, input_bytes: bytes | None, regulations: Path | None = None) -> dict[str, Any]:
    """The receipt of one run: what program, which documents, as of when, on which input."""
    return {
        "tool": "quyche",
        "version": tool_version(),
        "program": program_fingerprint(regulations.resolve() if regulations else None),
        "documents": [_window(program, d) for d in documents],
        "as_of": as_of.isoformat(),
        "input_sha256": hashlib.sha256(input_bytes).hexdigest() if input_bytes is not None else None,
    }
