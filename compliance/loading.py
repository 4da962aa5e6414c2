"""YAML file → validated Setup, with errors that name the file, the field and the line.

YAML is read with PyYAML's safe loader only. The node tree (``yaml.compose``) keeps each
value's position, so a pydantic error at ``staff[2].employment`` is reported at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance.setup import Setup

__all__ = ["SetupError", "load_setup", "parse_setup"]


@dataclass
class SetupError(Exception):
    """A setup that cannot be used: each problem with its place."""

    file: str
    problems: list[tuple[int, str]]  # (line, message); line 0 when unknown

    def __str__(self) -> str:
        return "\n".join(f"{self.file}:{line}: {msg}" if line else f"{self.file}: {msg}" for line, msg in self.problems)


def _locate(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the value at ``loc`` (or of its deepest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else 0
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    node, line = v, k.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


def parse_setup(text: str, file: str = "<string>") -> Setup:
    """Validate YAML ``text`` as a Setup; raise SetupError with every problem and its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise SetupError(file, [(line, f"malformed YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise SetupError(file, [(1, "a setup is a mapping with at least a 'centre' key")])
    try:
        return Setup.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            kind = err["type"]
            if kind == "extra_forbidden":
                message = f"unknown field '{_path(loc)}'"
            elif kind == "missing":
                message = f"missing required field '{_path(loc)}'"
            else:
                message = f"'{_path(loc)}': {err['msg']} (got {err.get('input')!r})"
            problems.append((_locate(node, loc), message))
        raise SetupError(file, problems) from None


def load_setup(path: str | Path) -> Setup:
    """Read and validate one setup file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SetupError(str(path), [(0, "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupError(str(path), [(0, f"cannot read: {exc}")]) from None
    return parse_setup(text, str(path))
