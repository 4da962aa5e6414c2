"""compliance.markup writes, off a terminal, exactly what rich writes: checked on generated text."""

from __future__ import annotations

import io

import pytest
import rich.markup
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.console import SafeConsole
from compliance.markup import PlainConsole, escape, plain, styled_console

# Brackets, backslashes, slashes and letters that make tags, tabs, newlines, Vietnamese, controls.
_CHARS = st.sampled_from(list("[]\\/ab#@=x \t\nđĐơ\u0301\x1b\u202e1") + ["[bold]", "[/]", "[/bold]", "\\[", "[dim]", "[#fff]"])
_TEXT = st.lists(_CHARS, max_size=30).map("".join)
_STYLES = st.sampled_from(["bold", "dim", "italic", "bold red", "red", "bold magenta", "yellow", "green"])


def _rich(*lines: str, markup: bool = True) -> str:
    out = io.StringIO()
    console = SafeConsole(file=out, highlight=False, soft_wrap=True, emoji=False, markup=True, width=80)
    for line in lines:
        console.print(line, markup=markup)
    return out.getvalue()


def _mine(*lines: str, markup: bool = True) -> str:
    out = io.StringIO()
    console = PlainConsole(out, markup=True)
    for line in lines:
        console.print(line, markup=markup)
    return out.getvalue()


@given(_TEXT)
@settings(max_examples=400)
def test_escape_is_riches(text: str) -> None:
    assert escape(text) == rich.markup.escape(text)


@given(st.lists(st.tuples(_STYLES, _TEXT, _TEXT), max_size=4))
@settings(max_examples=400)
def test_styled_lines_read_as_rich_reads_them(pieces: list[tuple[str, str, str]]) -> None:
    """What the renderers write: styles around escaped values, and values between them."""
    line = "".join(f"[{style}]{escape(inside)}[/{style if i % 2 else ''}] {escape(after)}" for i, (style, inside, after) in enumerate(pieces))
    assert _mine(line) == _rich(line)


@given(_TEXT)
@settings(max_examples=400)
def test_text_printed_as_it_is_reads_the_same(text: str) -> None:
    assert _mine(text, markup=False) == _rich(text, markup=False)
    assert _mine(escape(text)) == _rich(escape(text))


def test_a_value_in_brackets_is_shown_not_obeyed() -> None:
    value = "cao-lanh [draft].yaml \\[x] [bold]not bold[/bold]"
    assert plain(f"[bold]Tệp:[/bold] {escape(value)}") == f"Tệp: {value}"
    assert _mine("[red]\x1b[2J[/]") == _rich("[red]\x1b[2J[/]") == "\\u001b[2J\n"


def test_off_a_terminal_the_console_is_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert isinstance(styled_console(), PlainConsole)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert isinstance(styled_console(), SafeConsole)
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert isinstance(styled_console(), SafeConsole)


def test_a_line_with_a_tab_is_left_to_rich() -> None:
    """rich measures tabs by cell width (a combining accent takes none): the plain console hands it such lines."""
    line = "[bold]a\u0301[/bold]\tb [dim]\tc[/dim]"
    assert _mine(line) == _rich(line)
    assert "\t" not in _mine(line)
