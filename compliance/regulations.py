"""Where the bundled regulations are, and the Program built from them with the setup vocabulary.

Parsing and checking every regulation file costs most of a `quyche check` run (~0.2–0.9 s), so
the checked Program is kept in a cache file keyed by the SHA-256 of everything it depends on:
every ``.quy`` file (path and content), the grammar, the engine's and the setup model's source,
and the Python version. Any change to any of these is a different key; a cache that cannot be
read or written is simply not used. ``QUYCHE_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from compliance.setup import vocabulary
from engine import Program, load_program
from engine.parser import grammar_path

__all__ = ["regulations_dir", "bundled_program", "load_regulations", "cache_key"]


def regulations_dir() -> Path:
    """The regulations folder: inside the installed package, else the source tree's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "regulations", here.parent / "regulations"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("regulations/ not found beside the compliance package")


def cache_key(root: Path) -> str:
    """SHA-256 over the regulation files, the grammar, and the code that reads them."""
    import engine

    digest = hashlib.sha256(sys.version.encode())
    code = [Path(__file__).with_name("setup.py"), *sorted(Path(engine.__file__).parent.glob("*.py"))]
    for path in [grammar_path(), *code, *sorted(root.rglob("*.quy")), *sorted(root.rglob("*.md"))]:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_KEEP = 4  # cached programs kept at most


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quyche"


def load_regulations(path: Path | None = None, use_cache: bool = True) -> Program:
    """Parse and check every regulation file under ``path`` (default: the bundled ones)."""
    root = (path or regulations_dir()).resolve()
    if not use_cache or os.environ.get("QUYCHE_NO_CACHE"):
        return load_program(root, vocabulary(), base=root.parent)
    cached = _cache_dir() / f"program-{cache_key(root)}.pickle"
    try:
        with cached.open("rb") as handle:
            program = pickle.load(handle)
        if isinstance(program, Program):
            return program
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from other code: rebuild
    program = load_program(root, vocabulary(), base=root.parent)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cached.parent, delete=False) as handle:
            pickle.dump(program, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, cached)  # atomic: a concurrent reader never sees half a file
        # Keep the few newest programs (other checkouts, other versions); drop the rest.
        older = sorted(cached.parent.glob("program-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[_KEEP:]
        for stale in older:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home is fine: the cache is only an optimisation
    return program


@lru_cache(maxsize=1)
def bundled_program() -> Program:
    return load_regulations()
