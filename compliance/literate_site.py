"""A document page of the citizens' site read from its literate file: the law, then what is checked.

For a document written as a literate file (regulations/**/*.md), the page follows the file
top to bottom: each Điều with its verbatim text, then under it what quyche checks, in plain
words, with the code folded (each statement rendered by compliance.site), or why the
provision is not a rule. The page and the law file therefore cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance.catalogue import text
from engine import ast
from engine.literate import Section, read_literate
from engine.message import msg

__all__ = ["law_sections"]

Render = Callable[[Any], list[str]]


def _slug(text_: str) -> str:
    """An ASCII anchor: "Quy chế" → "quy-che"."""
    plain = unicodedata.normalize("NFD", text_.lower().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "phan"


def law_sections(doc: ast.Document, items: list[Any], source_root: Path | None, render: Render, md: Callable[[str], str]) -> list[str] | None:
    """The page's law part for ``doc``, or None when the document is not a literate file."""
    if doc.span is None or source_root is None or not doc.span.file.endswith(".md"):
        return None
    path = source_root / doc.span.file
    try:
        lf = read_literate(path.read_text(encoding="utf-8"), doc.span.file)
    except OSError:
        return None
    by_line = {item.span.line: item for item in items if item.span is not None and item.span.file == doc.span.file}
    main = lf.front.get("main") or (lf.bodies[-1].heading if lf.bodies else "")
    out: list[str] = []
    for body in lf.bodies:
        out += [f"## {md(body.heading)} {{ #{_slug(body.heading)} }}", ""]
        for section in body.walk():
            out += _section(section, body.heading == main, body, by_line, render, md)
    return out


def _section(section: Section, main: bool, body: Section, by_line: dict[int, Any], render: Render, md: Callable[[str], str]) -> list[str]:
    out: list[str] = []
    if section.kind == "dieu" or (section.kind == "muc" and "." not in section.number):
        anchor = f"dieu-{section.number}" if main and section.kind == "dieu" else f"{_slug(body.heading)}-{_slug(section.heading)}"
        out += [f"### {md(section.heading)} {{ #{anchor} }}", ""]
    elif section.kind != "body":
        out += [f"**{md(section.heading)}**", ""]
    for _, paragraph in section.paragraphs:
        out += [f'<p class="quyche-law" lang="vi">{_html(paragraph)}</p>', ""]
    for mark in section.marks:
        title = text(msg("literate.site.not_a_rule", category=text(msg(f"literate.category.{mark.category}"), "vi")), "vi")
        title_en = text(msg("literate.site.not_a_rule", category=text(msg(f"literate.category.{mark.category}"), "en")), "en")
        out += [f'!!! note "{title} · {title_en}"', "", f"    {md(mark.reason)}", ""]
    for block in section.blocks:
        for line in range(block.first, block.first + len(block.lines)):
            item = by_line.get(line)
            if item is not None:
                # Statements sit one level below the provision they encode.
                rendered = render(item)
                if rendered and rendered[0].startswith("### "):
                    rendered = ["#### " + rendered[0][4:], *rendered[1:]]
                out += rendered
    return out


def _html(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
