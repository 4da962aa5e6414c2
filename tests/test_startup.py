"""Start-up: a command imports only what it uses (issue 10). Which modules load, never how long.

`quyche check` is run as the console script runs it, in a fresh process, and the modules it
loaded are listed at exit: the help formatter, the parser, the web app, the review, the
spreadsheet reader and the pydantic models of the findings schema stay out, and pydantic does
not scan the installed packages for plugins.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from compliance import catalogue
from tests.conftest import EXAMPLES, ROOT

CAO_LANH = EXAMPLES / "dong-thap" / "cao-lanh.yaml"

# Loaded by no command that does not show help, parse a regulation, serve, review or read a workbook.
NEVER_FOR_A_CHECK = (
    "typer",  # the command line is argparse's (compliance/command_line.py): no typer, no click
    "click",
    "compliance.completion",
    "pydantic",  # a valid setup is validated by compliance.setup_fast; pydantic only says what is wrong
    "pydantic_core",
    "rich.markdown",
    "rich.traceback",
    "rich.pretty",
    "markdown_it",
    "pygments",
    "lark",  # a cached program is never parsed
    "engine.parser",
    "engine.claims",
    "engine.graph",
    "compliance.explanation",
    "compliance.review",
    "compliance.server",
    "compliance.calendar",
    "compliance.site",
    "compliance.drafting",
    "compliance.literate",
    "openpyxl",
    "fastapi",
    "uvicorn",
)

# `import compliance.cli` alone: the framework and the terminal, nothing of the checking.
NEVER_FOR_THE_CLI_MODULE = (
    *NEVER_FOR_A_CHECK,
    "pydantic",
    "argparse",  # built for the command that runs, not at import
    "rich",  # the console: imported by the commands that print styled text
    "yaml",
    "babel",
    "vietnam_provinces",
    "compliance.findings",
    "compliance.setup",
    "compliance.loading",
    "compliance.regulations",
    "engine.evaluate",
    "engine.ast",
)

_REPORT = "import json, sys, atexit; atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))"


def _loaded(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    unset = ("QUYCHE_NO_CACHE", "PYTHONPATH", "PYDANTIC_DISABLE_PLUGINS", "FORCE_COLOR", "TTY_COMPATIBLE")
    env = {k: v for k, v in os.environ.items() if k not in unset} | {"PYTHONPATH": str(ROOT), "QUYCHE_LANG": "vi"} | (env or {})
    done = subprocess.run([sys.executable, "-c", f"{_REPORT}\n{code}", *args], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES "))), done


def _within(loaded: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_importing_the_command_line_loads_no_command() -> None:
    loaded, done = _loaded("import compliance.cli")
    assert done.returncode == 0, done.stderr
    assert _within(loaded, NEVER_FOR_THE_CLI_MODULE) == []


CHECK = "import sys; from compliance.cli import main; sys.argv[0] = 'quyche'; main()"


@pytest.fixture(scope="module")
def warm_cache() -> None:
    """A first check builds the program cache (parsing the regulations); the next ones load it."""
    _loaded(CHECK, "check", str(CAO_LANH), "--as-of", "2024-06-30")


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_check_loads_only_what_it_uses(output: str, warm_cache: None) -> None:
    script = CHECK
    loaded, done = _loaded(script, "check", str(CAO_LANH), "--as-of", "2024-06-30", "--format", output)
    assert done.returncode == 0, done.stderr
    assert "Cao Lãnh" in done.stdout  # it did check
    assert "engine.evaluate" in loaded and "compliance.findings" in loaded
    assert _within(loaded, NEVER_FOR_A_CHECK) == []
    # Off a terminal nothing is styled, so neither the text nor the JSON report needs rich (compliance.markup).
    assert _within(loaded, ("rich",)) == []


def test_a_check_on_a_terminal_is_styled_by_rich(warm_cache: None) -> None:
    loaded, done = _loaded(CHECK, "check", str(CAO_LANH), "--as-of", "2024-06-30", env={"FORCE_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert "rich.console" in loaded
    assert "\x1b[1m" in done.stdout and "Cao Lãnh" in done.stdout  # bold labels


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_check_of_a_valid_setup_loads_no_pydantic(output: str, warm_cache: None) -> None:
    """A valid setup is validated without pydantic (compliance.setup_fast) and the report written
    without the findings' schema models (compliance.report_schema)."""
    loaded, done = _loaded(CHECK, "check", str(CAO_LANH), "--as-of", "2024-06-30", "--format", output)
    assert done.returncode == 0, done.stderr
    assert "compliance.setup_fast" in loaded and "compliance.loading" in loaded  # it did read the setup
    assert "compliance.report_schema" not in loaded and "compliance.setup" not in loaded
    assert _within(loaded, ("pydantic", "pydantic_core")) == []


# The check's own path, without the CLI framework: read, evaluate, report, render.
CHECK_PATH = """
import sys
from datetime import date
from pathlib import Path
from compliance.cli import _out, check_json, check_report
from compliance.intake import load_any
from compliance.naming import record_names
from compliance.regulations import bundled_program
path, output = Path(sys.argv[1]), sys.argv[2]
parsed = load_any(path, "vi")
data, code = check_report(bundled_program(), parsed, str(path), date(2024, 6, 30), path.read_bytes(), compact=output == "text", steps=output == "json")
if output == "json":
    sys.stdout.write(check_json(data))
else:
    from compliance.render import render_check
    render_check(_out(), data, parsed["centre"]["name"], "vi", False, False, record_names(parsed))
"""


@pytest.mark.parametrize("output", ["text", "json"])
def test_the_check_of_a_valid_setup_imports_no_pydantic(output: str, warm_cache: None) -> None:
    loaded, done = _loaded(CHECK_PATH, str(CAO_LANH), output)
    assert done.returncode == 0, done.stderr
    assert "Cao Lãnh" in done.stdout
    assert _within(loaded, ("pydantic", "pydantic_core", "compliance.setup", "compliance.report_schema")) == []


def test_an_invalid_setup_still_imports_pydantic_to_say_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("centre: {id: x, name: y}\nstaff:\n  - name: A\n    shift: nhiều\n", encoding="utf-8")
    loaded, done = _loaded(CHECK_PATH, str(bad), "json")
    assert "pydantic" in loaded and "staff[0].shift" in done.stderr


def test_a_check_does_not_look_for_pydantic_plugins(warm_cache: None) -> None:
    script = (
        "import sys; from compliance.cli import main; sys.argv[0] = 'quyche'\n"
        "try:\n    main()\nfinally:\n"
        "    from pydantic.plugin import _loader\n"
        "    print('PLUGINS', _loader._plugins is None, file=sys.__stderr__)"
    )
    _, done = _loaded(script, "check", str(CAO_LANH), "--as-of", "2024-06-30")
    assert "PLUGINS True" in done.stderr  # the entry points were never scanned


def test_help_is_shown_in_the_readers_language_without_typer() -> None:
    script = "import sys; from compliance.cli import main; sys.argv[0] = 'quyche'; main()"
    loaded, done = _loaded(script, "check", "--help")
    assert done.returncode == 0, done.stderr
    assert _within(loaded, ("typer", "click", "rich", "engine.evaluate", "compliance.setup")) == []
    assert "Tham số" in done.stdout and "Arguments" not in done.stdout
    assert "Cách dùng: quyche check" in done.stdout and "--as-of NGÀY" in done.stdout
    loaded, done = _loaded(script, "--help")
    assert done.returncode == 0 and "audit" in done.stdout and "Lệnh:" in done.stdout
    assert _within(loaded, ("typer", "click")) == []


def _eager() -> dict[str, dict[str, str]]:
    """The catalogue as it was read before domains were read on first use: every file, in order."""
    folder = Path(catalogue.__file__).parent
    out: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        catalogue._collect(path.stem, tomllib.loads(path.read_text(encoding="utf-8")), out)  # type: ignore[arg-type]
    for path in sorted((folder / catalogue.RULES).glob("*.toml")):
        catalogue._collect(catalogue.RULES_PREFIX, tomllib.loads(path.read_text(encoding="utf-8")), out)  # type: ignore[arg-type]
    return out


def test_the_catalogue_read_domain_by_domain_is_the_whole_catalogue() -> None:
    eager = _eager()
    lazy = catalogue._Catalogue()
    assert all(key in lazy and lazy[key] == value for key, value in eager.items())  # each looked up cold
    fresh = catalogue._Catalogue()
    assert list(fresh) == list(eager) and len(fresh) == len(eager)
    for absent in ("check.no_such_entry", "no_such_domain.x", "rule.no_such_document.x.summary", "rule", "", "../check.x", "rule.../x"):
        assert absent not in lazy
        with pytest.raises(KeyError):
            lazy[absent]


def test_each_rule_words_file_holds_only_its_documents_rules() -> None:
    """A rule's words are looked up in the file named after its document, so they must live there."""
    folder = Path(catalogue.__file__).parent / catalogue.RULES
    for path in sorted(folder.glob("*.toml")):
        for document in tomllib.loads(path.read_text(encoding="utf-8")):
            assert document == path.stem, f"{path.name} holds words of {document}"


def test_a_lookup_reads_only_its_domain() -> None:
    lazy = catalogue._Catalogue()
    lazy["status.violated"]
    assert "rule.qd953_2023.ten_goi.summary" in lazy
    assert set(lazy._domains) == {"status", "rule.qd953_2023"}


def test_the_version_is_the_one_importlib_metadata_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from compliance import version

    version.tool_version.cache_clear()
    try:
        assert version.tool_version() == metadata.version("quyche")
    finally:
        version.tool_version.cache_clear()
    # A dist-info earlier on sys.path wins, as it does for importlib.metadata; an egg-info is left to it.
    (tmp_path / "quyche-9.8.7.dist-info").mkdir()
    (tmp_path / "quyche-9.8.7.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: quyche\nVersion: 9.8.7\n\nbody\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert version._from_dist_info() == "9.8.7" == metadata.version("quyche")
    (tmp_path / "quyche.egg-info").mkdir()
    assert version._from_dist_info() is None
    (tmp_path / "quyche-9.8.7.dist-info" / "METADATA").write_text("Name: quyche\n\nVersion: 1\n", encoding="utf-8")
    (tmp_path / "quyche.egg-info").rmdir()
    assert version._from_dist_info() is None  # no Version among the headers
