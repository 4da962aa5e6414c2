"""Where the bundled regulations are, and the Program built from them with the setup vocabulary.

Parsing and checking every regulation file costs most of a `quyche check` run (~0.2–0.9 s), so
the checked Program is kept in a cache file keyed by the SHA-256 of everything it depends on:
every ``.quy`` file (path and content), the grammar, the engine's and the setup model's source,
and the Python version. Any change to any of these is a different key.

The cache is data, never code (compliance.program_cache: versioned JSON with a checksum,
verified on load). A cache that cannot be read, does not verify, or cannot be written is simply
not used; files are written to a temporary name and renamed, so concurrent runs never see half a
file. ``QUYCHE_NO_CACHE=1`` turns it off. With a valid cache the DSL parser (lark) is never
imported.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from engine.program import Program

__all__ = ["regulations_dir", "bundled_program", "load_regulations", "cache_key"]


def regulations_dir() -> Path:
    """The regulations folder: inside the installed package, else the source tree's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "regulations", here.parent / "regulations"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("regulations/ not found beside the compliance package")


def _grammar_files(engine_dir: Path) -> list[Path]:
    return sorted(p for folder in (engine_dir / "grammar", engine_dir.parent / "grammar") if folder.is_dir() for p in folder.glob("*.lark"))


def cache_key(root: Path) -> str:
    """SHA-256 over the regulation files, the grammar, and the code that reads them."""
    import engine

    engine_dir = Path(engine.__file__).parent
    digest = hashlib.sha256(sys.version.encode())
    code = [Path(__file__).with_name("setup.py"), Path(__file__).with_name("program_cache.py"), *sorted(engine_dir.glob("*.py"))]
    for path in [*_grammar_files(engine_dir), *code, *sorted(root.rglob("*.quy")), *sorted(root.rglob("*.md"))]:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_KEEP = 4  # cached programs kept at most
_SUFFIX = ".quyprog"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quyche"


def _build(root: Path) -> Program:
    from compliance.setup_facts import vocabulary
    from engine.program import load_program

    return load_program(root, vocabulary(), base=root.parent)


def _read(path: Path, key: str) -> Program | None:
    """The cached Program, or None for any reason (missing, unreadable, altered, other code)."""
    from compliance.program_cache import CacheError, loads
    from engine.program import Program

    try:
        data = path.read_bytes()
        program = loads(data, key)
    except (OSError, CacheError, MemoryError):
        return None
    return program if isinstance(program, Program) else None


def _write(path: Path, key: str, program: Program) -> None:
    """Write atomically; any failure (read-only, full disk, unencodable program) leaves no cache."""
    from compliance.program_cache import CacheError, dumps

    try:
        data = dumps(program, key)
    except (CacheError, RecursionError, MemoryError):
        return
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".tmp-", delete=False) as handle:
            tmp = handle.name
            handle.write(data)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
        tmp = None
        # Keep the few newest programs (other checkouts, other versions); drop the rest.
        stale = [*path.parent.glob("program-*.pickle")]  # the old, unsafe format is never read
        mine = sorted(path.parent.glob(f"program-*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [*stale, *mine[_KEEP:]]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home is fine: the cache is only an optimisation
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_regulations(path: Path | None = None, use_cache: bool = True) -> Program:
    """Parse and check every regulation file under ``path`` (default: the bundled ones)."""
    root = (path or regulations_dir()).resolve()
    if not use_cache or os.environ.get("QUYCHE_NO_CACHE"):
        return _build(root)
    key = cache_key(root)
    cached = _cache_dir() / f"program-{key}{_SUFFIX}"
    program = _read(cached, key)
    if program is None:
        program = _build(root)
        _write(cached, key, program)
    return program


@lru_cache(maxsize=1)
def bundled_program() -> Program:
    return load_regulations()
