"""The hand-written user guide (docs/guide.md): in the built site, and every `quyche …` line it shows parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from compliance.command_line import COMMANDS, UsageError, parse
from tests.conftest import ROOT, run_cli

GUIDE = ROOT / "docs" / "guide.md"
FENCE = re.compile(r"^\s*```")
SHELL_OPERATORS = {">", ">>", "|", "&&", ";"}


def guide_commands(text: str) -> list[list[str]]:
    """The argument lists of every `quyche …` line inside a fenced block (a `$ ` prompt is dropped)."""
    commands, inside = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            inside = not inside
            continue
        stripped = line.strip().removeprefix("$ ")
        if inside and stripped.startswith("quyche "):
            words = shlex.split(stripped)[1:]
            # A redirection or pipe ends the quyche part of the line.
            cut = next((i for i, w in enumerate(words) if w in SHELL_OPERATORS), len(words))
            commands.append(words[:cut])
    return commands


def parse_error(name: str, args: list[str]) -> str | None:
    """Why `quyche NAME ARGS` would be refused by the parser (options, choices, arity), without running it."""
    try:
        parse(COMMANDS[name], args, "en")
    except UsageError as err:
        return err.message
    return None


def test_guide_commands_are_extracted() -> None:
    sample = "text\n```console\n$ quyche check a.yaml --as-of 2024-12-31 > out.txt\nquyche x\n```\nquyche outside\n"
    assert guide_commands(sample) == [["check", "a.yaml", "--as-of", "2024-12-31"], ["x"]]


def test_every_command_in_the_guide_is_a_real_subcommand_with_valid_options() -> None:
    commands = guide_commands(GUIDE.read_text(encoding="utf-8"))
    assert len(commands) >= 15
    code, listing, _ = run_cli("--help", "--lang", "en")
    assert code == 0
    commands_section = listing.split("\nCommands:\n", 1)[1]
    used = set()
    for words in commands:
        name, args = words[0], words[1:]
        assert re.search(rf"^  {re.escape(name)}\s", commands_section, re.MULTILINE), f"`quyche {name}` is not in `quyche --help`"
        error = parse_error(name, args)
        assert error is None, f"`quyche {' '.join(words)}` does not parse: {error}"
        for arg in args:
            if arg.startswith("examples/"):
                assert (ROOT / arg).exists(), f"the guide names {arg}, which does not exist"
        used.add(name)
    # The brief's three users: each of these must be shown at least once.
    assert {"check", "explain", "audit", "calendar", "schema", "review", "verify", "coverage"} <= used


def test_an_unknown_option_in_the_guide_would_be_caught() -> None:
    assert parse_error("check", ["x.yaml", "--formt", "json"]) is not None
    assert parse_error("review", ["totrinh_ioc_2021", "--format", "pdf"]) is not None
    assert parse_error("check", ["x.yaml", "--format", "json", "--lang", "en"]) is None


def test_guide_is_in_the_built_site_and_its_navigation(tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, _, stderr = run_cli("site", "--out", str(out))
    assert code == 0, stderr
    page = out / "guide.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "Hướng dẫn sử dụng · User guide" in text
    for anchor in ("ict", "reviewer", "citizen", "reorganisation", "draft-findings"):
        assert f'id="{anchor}"' in text, anchor
    assert 'href="guide.html"' in (out / "index.html").read_text(encoding="utf-8")
