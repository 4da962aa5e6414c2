"""The architecture's promises: engine knows nothing of YAML, the CLI or HTML; public surfaces."""

from __future__ import annotations

import ast as pyast
import re
import subprocess
import sys
import types

import compliance
import engine
from tests.conftest import ROOT

FORBIDDEN_IN_ENGINE = {"yaml", "typer", "rich", "pydantic", "compliance", "mkdocs", "click", "jinja2", "icalendar"}


def test_engine_imports_nothing_of_yaml_cli_or_html() -> None:
    for path in sorted((ROOT / "engine").glob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            names = []
            if isinstance(node, pyast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, pyast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN_IN_ENGINE, f"{path.name} imports {name}"


def test_importing_engine_loads_no_yaml_cli_or_html_module() -> None:
    forbidden = sorted(FORBIDDEN_IN_ENGINE)
    code = f"import sys, engine; print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    assert loaded == ""


def test_public_surfaces_exist() -> None:
    for module in (engine, compliance):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
    assert {"parse_text", "load_program", "evaluate", "explain", "build_graph", "Status"} <= set(engine.__all__)
    assert {"load_setup", "to_facts", "report", "bundled_program"} <= set(compliance.__all__)


_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
# Modules that *read* Vietnamese (patterns for locators "Điều 7 khoản 2", abbreviations of
# administrative names): their literals are data to match, never words for a reader.
_READS_VIETNAMESE = {"ast.py", "reorganisation.py", "names.py"}  # they read Vietnamese input (locators, names), never write to a reader
# They read and write literate law files, whose headings ("Điều 3", "Khoản 2") and marks are the law's own structure, not prose.
_LAW_FILE_SYNTAX = {"formatting.py", "literate.py"}


def _docstrings(tree: pyast.AST) -> set[int]:
    out = set()
    for node in pyast.walk(tree):
        if isinstance(node, (pyast.Module, pyast.FunctionDef, pyast.AsyncFunctionDef, pyast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, pyast.Expr) and isinstance(first.value, pyast.Constant):
                out.add(id(first.value))
    return out


def test_engine_builds_no_sentence() -> None:
    """engine/ returns messages (key + arguments): no Vietnamese words in its code, no {"vi": …} texts."""
    for path in sorted((ROOT / "engine").glob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in pyast.walk(tree):
            if isinstance(node, pyast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, pyast.Constant)}
                assert not {"vi", "en"} & keys, f"{path.name}:{node.lineno} builds a {{vi, en}} text"
            if path.name in _READS_VIETNAMESE | _LAW_FILE_SYNTAX:
                continue
            if isinstance(node, pyast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                assert not _VIETNAMESE.search(node.value), f"{path.name}:{node.lineno}: {node.value!r}"
            if isinstance(node, pyast.JoinedStr):
                for part in node.values:
                    if isinstance(part, pyast.Constant):
                        assert not _VIETNAMESE.search(str(part.value)), f"{path.name}:{node.lineno}: f-string {part.value!r}"


def test_reading_modules_build_no_words_either() -> None:
    """In the modules allowed to read Vietnamese, no f-string carries a Vietnamese word."""
    for name in sorted(_READS_VIETNAMESE):
        tree = pyast.parse((ROOT / "engine" / name).read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.JoinedStr):
                text = "".join(str(p.value) for p in node.values if isinstance(p, pyast.Constant))
                assert not _VIETNAMESE.search(text), f"{name}:{node.lineno}: {text!r}"


def test_engine_exports_exactly_its_public_names() -> None:
    """engine.__all__ lists every public name the package offers, and each one exists (both ways)."""
    public = {name for name in vars(engine) if not name.startswith("_")} | set(engine._LAZY)
    modules = {name for name in public if isinstance(getattr(engine, name), types.ModuleType)}
    assert set(engine.__all__) == public - modules | (set(engine.__all__) & modules)
    for name in engine.__all__:
        assert hasattr(engine, name)


def test_compliance_imports_nothing_private_of_engine() -> None:
    for path in sorted((ROOT / "compliance").rglob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.ImportFrom) and node.module and node.module.split(".")[0] == "engine":
                assert not any(part.startswith("_") for part in node.module.split(".")), f"{path.name} imports {node.module}"
                for alias in node.names:
                    assert not alias.name.startswith("_"), f"{path.name} imports engine's private {alias.name}"
