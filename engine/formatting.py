"""The canonical form of a regulation file (``quyche fmt``): literate Markdown or plain DSL.

Only layout changes, never a word: the same file parses to the same statements before and
after, and formatting twice changes nothing (tests/test_formatting.py checks both with
hypothesis). In DSL code: no trailing spaces or tabs, one blank line at most between lines,
top-level statements at the left margin and each closing brace under its statement. In a
literate file, also: the front matter's keys in a fixed order, each heading at the level of
its kind (body #, Chương ##, Điều ###, khoản ####, điểm #####), one blank line between
paragraphs, blocks and marks, each paragraph on one line, marks written one way.
"""

from __future__ import annotations

import re

from engine.literate import DOC_CLAUSES, LEVEL, MARK, STATEMENTS, Section, _tokens, read_literate
from engine.text import nfc, squash_spaces

__all__ = ["FRONT_ORDER", "format_literate", "format_quy", "format_file"]

STARTERS = frozenset(STATEMENTS + DOC_CLAUSES)
FRONT_ORDER = ("number", "title", "issuer", "signer", "signed", "main", "seed")


def format_quy(text: str) -> str:
    """The canonical layout of DSL code."""
    lines = [line.expandtabs(2).rstrip() for line in nfc(text).split("\n")]
    depth_at = _depths(lines)
    out: list[str] = []
    for k, line in enumerate(lines):
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        depth, inside_string = depth_at[k]
        stripped = line.lstrip()
        if inside_string:
            out.append(line)  # the continuation of a triple-quoted string is left alone
        elif depth == 0:
            # A statement starts at the margin; a clause's continuation ("text …") is indented.
            first = re.match(r"[^\W\d]\w*", stripped)
            starts = first is not None and first.group(0) in STARTERS or stripped.startswith(("#", "}"))
            out.append(stripped if starts else "  " + stripped)
        elif stripped.startswith("}"):
            out.append("  " * (depth - 1) + stripped)
        else:
            indent = len(line) - len(stripped)
            out.append(line if indent >= 2 * depth else "  " * depth + stripped)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _depths(lines: list[str]) -> list[tuple[int, bool]]:
    """For each line: the brace depth at its start, and whether it starts inside a string."""
    starts: list[tuple[int, bool]] = []
    events: dict[int, list[tuple[int, str]]] = {}
    spans: list[tuple[int, int]] = []  # lines a multi-line string covers after its first
    for tok in _tokens(lines):
        if tok.kind == "punct" and tok.value in "{}":
            events.setdefault(tok.line, []).append((tok.col, tok.value))
        if tok.kind == "string" and tok.end_line > tok.line:
            spans.append((tok.line + 1, tok.end_line))
    depth = 0
    for k in range(len(lines)):
        inside = any(lo <= k <= hi for lo, hi in spans)
        starts.append((depth, inside))
        for _, value in sorted(events.get(k, [])):
            depth = depth + 1 if value == "{" else max(0, depth - 1)
    return starts


def _heading(section: Section) -> str:
    level = section.level if section.kind in ("other",) else LEVEL.get(section.kind, section.level)
    if section.kind == "muc":
        level = 2 + section.number.count(".")
    if section.kind == "chuong":
        words = f"Chương {section.number}" + (f" — {section.title}" if section.title else "")
    elif section.kind == "dieu":
        words = f"Điều {section.number}" + (f". {section.title}" if section.title else "")
    elif section.kind == "khoan":
        words = f"Khoản {section.number}"
    elif section.kind == "diem":
        words = f"Điểm {section.number}"
    elif section.kind == "note":
        level = section.level
        words = f"Chú thích {section.number}"
    elif section.kind == "muc":
        words = f"Mục {section.number}" + (f" — {section.title}" if section.title else "")
    else:
        words = section.heading
    return "#" * level + " " + words


def format_literate(text: str) -> str:
    """The canonical layout of a literate file (a file with read errors is returned as is)."""
    lf = read_literate(text, "<fmt>")
    if lf.problems:
        return text
    lines = lf.lines
    out: list[str] = []
    if lf.front or (lines and lines[0].strip() == "---"):
        out.append("---")
        keys = [k for k in FRONT_ORDER if k in lf.front] + [k for k in lf.front if k not in FRONT_ORDER]
        out.extend(f"{k}: {squash_spaces(lf.front[k])}" for k in keys)
        out.extend(["---", ""])
    # Walk the file in order: each element (heading, paragraph, block, mark) once, one blank line between.
    headings = {s.line: s for s in lf.sections()}
    blocks = {b.fence: b for b in lf.preamble}
    marks = {}
    for s in lf.sections():
        blocks.update({b.fence: b for b in s.blocks})
        marks.update({m.line: m for m in s.marks})
    paragraphs = {line for s in lf.sections() for line, _ in s.paragraphs}
    k = _after_front(lines)
    while k < len(lines):
        lineno = k + 1
        if lineno in blocks:
            block = blocks[lineno]
            body = format_quy("\n".join(block.lines)).rstrip("\n")
            out.extend(["```quy", *(body.split("\n") if body else []), "```", ""])
            k += len(block.lines) + 2
            continue
        if lineno in headings:
            out.extend([_heading(headings[lineno]), ""])
        elif lineno in marks:
            m = marks[lineno]
            out.extend([f"> {MARK} — {m.word}: {squash_spaces(m.reason)}", ""])
        elif lineno in paragraphs:
            out.extend([re.sub(r" {2,}", " ", lines[k].strip()), ""])  # tabs stay: they separate a table's cells
        elif lines[k].strip() and _is_fence(lines[k]):  # a block in another language: kept verbatim
            end = k + 1
            while end < len(lines) and not lines[end].startswith(lines[k].strip()[:3]):
                end += 1
            out.extend([*(line.rstrip() for line in lines[k : end + 1]), ""])
            k = end + 1
            continue
        k += 1
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


_FENCE = re.compile(r"^(```+|~~~+)")


def _is_fence(line: str) -> bool:
    return bool(_FENCE.match(line))


def _after_front(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        k = 1
        while k < len(lines) and lines[k].strip() != "---":
            k += 1
        return k + 1
    return 0


def format_file(name: str, text: str) -> str:
    """The canonical form of ``text`` read from file ``name`` (.md literate, else DSL)."""
    return format_literate(text) if name.lower().endswith(".md") else format_quy(text)
