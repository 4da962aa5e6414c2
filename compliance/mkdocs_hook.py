"""mkdocs hook named in mkdocs.yml: generate the regulation pages and the navigation before a build.

It makes a plain `mkdocs build` or `mkdocs serve` at the repository root work too (pages land in
docs/regulations/ and docs/generated/, which git ignores); `quyche site` goes through it as well.
mkdocs treats every ``on_*`` name here as an event, so nothing else is imported by such a name.
"""

from __future__ import annotations

from typing import Any

from compliance import site as _site
from compliance.site.languages import mark_english as _mark_english


def on_config(config: Any) -> Any:
    return _site.generate_for_mkdocs(config)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """English panels and English pages say they are English (lang="en")."""
    return _mark_english(html, (page.meta or {}).get("lang"))
