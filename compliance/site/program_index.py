"""The program organised for pages: which page a document lives on, its statements in order, links, parameters."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine import Program, ast

# ---------------------------------------------------------------- the program, organised for pages
Statement = ast.Rule | ast.Obligation | ast.Claim | ast.Gap
_KIND_OF = {ast.Rule: "rule", ast.Obligation: "obligation", ast.Claim: "claim", ast.Gap: "gap"}


def _jurisdiction(doc: ast.Document) -> str:
    if doc.span is None:
        return "other"
    parent = Path(doc.span.file).parent.name
    return parent or "other"


def _doc_path(doc: ast.Document) -> str:
    return f"regulations/{_jurisdiction(doc)}/{doc.id}.md"


def _rel(src: str, dst: str) -> str:
    """A relative link from page ``src`` to page ``dst`` (both relative to the docs folder)."""
    src_parts = src.split("/")[:-1]
    dst_parts = dst.split("/")
    common = 0
    while common < min(len(src_parts), len(dst_parts) - 1) and src_parts[common] == dst_parts[common]:
        common += 1
    return "/".join([".."] * (len(src_parts) - common) + dst_parts[common:])


def _statements(program: Program, doc_id: str) -> list[Statement]:
    items = list(program.statements_of(doc_id))
    # File order: the order in which an encoder wrote them beside the source.
    return sorted(items, key=lambda s: (s.span.line if s.span else 0, s.id))


def _article_of(item: Statement) -> int | None:
    return item.locator.article if item.locator else None


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_PART = re.compile(r"\s*(Mục|Phần|Chương|Phụ lục|Mẫu|Biểu)\s+([IVXLCDM]+|\d+)\b", re.IGNORECASE)


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _section(item: Statement) -> tuple[int, int, str]:
    """(group, order, heading) of a statement whose locator names no Điều: "Mục V.2.a" → Mục V."""
    raw = str(item.locator) if item.locator else ""
    match = _PART.match(raw)
    if match:
        number = match.group(2)
        return (1, int(number) if number.isdigit() else _roman(number), f"{match.group(1)} {number}")
    head = re.split(r"[.,;(]", raw, maxsplit=1)[0].strip()
    # Unnumbered parts come after the numbered ones, in the order the encoder wrote them.
    return (2, item.span.line if item.span else 0, head or "Quy định khác · Other provisions")


def _slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return "sec-" + (re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "other")


def _incoming(program: Program) -> dict[str, list[tuple[ast.Document, ast.Link]]]:
    out: dict[str, list[tuple[ast.Document, ast.Link]]] = defaultdict(list)
    for doc in sorted(program.documents.values(), key=lambda d: d.id):
        for link in doc.links:
            out[link.target].append((doc, link))
    return out


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, tuple):
        for item in node:
            yield from _walk(item)
    elif hasattr(node, "__dataclass_fields__") and not isinstance(node, ast.Span):
        for name in node.__dataclass_fields__:
            if name != "span":
                yield from _walk(getattr(node, name))


def _parameter_users(program: Program) -> dict[str, list[Statement]]:
    users: dict[str, list[Statement]] = defaultdict(list)
    tables: tuple[dict[str, Statement], ...] = (dict(program.rules), dict(program.obligations), dict(program.claims))
    for table in tables:
        for item in sorted(table.values(), key=lambda i: i.id):
            names = {n.parts[0] for n in _walk(item) if isinstance(n, ast.Path) and n.parts[0] in program.parameters}
            names |= {u for u in getattr(item, "uses", ()) if u in program.parameters}
            for name in sorted(names):
                users[name].append(item)
    return users


def _source_lines(item: Any, source_root: Path | None) -> str | None:
    """The statement's own DSL text, read back from its file (the code beside the law)."""
    span = getattr(item, "span", None)
    if span is None or source_root is None:
        return None
    try:
        lines = (source_root / span.file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    end = span.end_line or span.line
    return "\n".join(lines[span.line - 1 : end])
