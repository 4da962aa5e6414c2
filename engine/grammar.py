"""Where the DSL's grammar file is, found without importing the parser (a cached program never parses)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["grammar_path"]


def grammar_path() -> Path:
    """Where the grammar is: inside the installed package, else in the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "quyche.lark", here.parent / "grammar" / "quyche.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("grammar/quyche.lark not found beside the engine package")
