"""The architecture's promises: engine knows nothing of YAML, the CLI or HTML; public surfaces."""

from __future__ import annotations

import ast as pyast
import subprocess
import sys

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
