"""Where the bundled regulations are, and the Program built from them with the setup vocabulary."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from compliance.setup import vocabulary
from engine import Program, load_program

__all__ = ["regulations_dir", "bundled_program", "load_regulations"]


def regulations_dir() -> Path:
    """The regulations folder: inside the installed package, else the source tree's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "regulations", here.parent / "regulations"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("regulations/ not found beside the compliance package")


def load_regulations(path: Path | None = None) -> Program:
    """Parse and check every regulation file under ``path`` (default: the bundled ones)."""
    root = path or regulations_dir()
    return load_program(root, vocabulary(), base=root.parent)


@lru_cache(maxsize=1)
def bundled_program() -> Program:
    return load_regulations()
