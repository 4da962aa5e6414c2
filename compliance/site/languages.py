"""Mark English text as English in the built HTML (WCAG 3.1.2, screen readers switch voice).

Two cases on the hand-written pages: a page whose front matter says ``lang: en`` (the technical
reference pages) is wrapped in ``<div lang="en">``; a content-tab pair "Tiếng Việt" / "English"
gets ``lang="en"`` on its English panel. The generated pages mark their English spans themselves.
"""

from __future__ import annotations

import re

__all__ = ["mark_english"]

_LABELS = re.compile(r'<div class="tabbed-labels">(.*?)</div>', re.DOTALL)
_LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.DOTALL)
_BLOCK = '<div class="tabbed-block">'


def mark_english(html: str, page_lang: str | None) -> str:
    """``html`` with its English parts carrying ``lang="en"``."""
    out: list[str] = []
    cursor = 0
    for match in _LABELS.finditer(html):
        if match.start() < cursor:
            continue
        labels = [re.sub(r"<[^>]+>", "", label).strip() for label in _LABEL.findall(match.group(1))]
        if "English" not in labels:
            continue
        wanted = labels.index("English")
        position = match.end()
        for _ in range(wanted + 1):
            found = html.find(_BLOCK, position)
            if found < 0:
                break
            position = found + len(_BLOCK)
        else:
            out.append(html[cursor : position - 1])
            out.append(' lang="en">')
            cursor = position
    out.append(html[cursor:])
    marked = "".join(out)
    return f'<div lang="en">{marked}</div>' if page_lang == "en" else marked
