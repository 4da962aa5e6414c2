"""mkdocs hook named in mkdocs.yml: generate the regulation pages and the navigation before a build.

It makes a plain `mkdocs build` or `mkdocs serve` at the repository root work too (pages land in
docs/regulations/ and docs/generated/, which git ignores); `quyche site` goes through it as well.
mkdocs treats every ``on_*`` name here as an event, so nothing else is imported by such a name.
"""

from __future__ import annotations

from typing import Any

from compliance import site as _site


def on_config(config: Any) -> Any:
    return _site.generate_for_mkdocs(config)
