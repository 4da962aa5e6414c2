"""quyche's own version, as every receipt and `quyche --version` give it.

``importlib.metadata`` finds it, but importing that module costs ≈ 25 ms (email, zipfile, csv …),
a quarter of a cold `quyche check`. The version is one line of the ``METADATA`` file pip wrote
into ``quyche-<version>.dist-info``: it is read from the first such folder on ``sys.path``, the
one importlib.metadata would find first. Anything else (an egg-info, an unreadable file, no
Version line) is left to importlib.metadata; a source tree that is not installed has its
``pyproject.toml``.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

__all__ = ["tool_version"]

_NAME = "quyche"


def _from_dist_info() -> str | None:
    """The Version of the first quyche dist-info on sys.path; None when that is not plainly there."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a missing folder
            continue
        found = [n for n in names if n.lower().startswith(_NAME) and n.lower().endswith((".dist-info", ".egg-info"))]
        if not found:
            continue
        name = sorted(found)[0]
        if len(found) > 1 or not name.startswith(f"{_NAME}-") or not name.endswith(".dist-info"):
            return None  # several, or an egg: importlib.metadata's rules decide
        try:
            with open(os.path.join(entry or ".", name, "METADATA"), encoding="utf-8") as handle:
                for line in handle:
                    if not line.strip():
                        return None  # the headers end: no Version header
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip() or None
        except OSError:
            return None
        return None
    return None


@cache
def tool_version() -> str:
    """The installed quyche's version; the source tree's pyproject version when not installed."""
    found = _from_dist_info()
    if found is not None:
        return found
    from importlib import metadata

    try:
        return metadata.version(_NAME)
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
