"""The command line's table (compliance/command_line.py): parsing, help, usage errors and shell completion."""

from __future__ import annotations

import argparse
import inspect
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance import completion
from compliance.command_line import COMMANDS, ROOT_OPTIONS, SHELLS, Format, Lang, UsageError, command_help, parse, top_help
from tests.conftest import EXAMPLES, ROOT, invoke, run_cli

CAO_LANH = EXAMPLES / "dong-thap" / "cao-lanh.yaml"
EMPTY_LOCALE = {"QUYCHE_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_function_takes_exactly_the_tables_parameters(name: str) -> None:
    """Declared once: the table names every parameter of the function it calls, and nothing else."""
    command = COMMANDS[name]
    module, _, function = command.target.partition(":")
    signature = inspect.signature(getattr(import_module(module), function))
    assert list(signature.parameters) == [p.dest for p in command.params]


def test_parsed_values_are_plain_python_values() -> None:
    values = parse(COMMANDS["check"], [str(CAO_LANH), "--format", "json", "-v", "--as-of", "2024-06-30"], "vi")
    assert values == {
        "setup": CAO_LANH,
        "as_of": "2024-06-30",
        "format": Format.json,
        "lang": Lang.vi,
        "verbose": True,
        "explain_steps": False,
        "regulations": None,
    }
    audit = parse(COMMANDS["audit"], ["examples", "-j", "3", "-q"], "en")
    assert audit["jobs"] == 3 and audit["quiet"] is True and audit["directory"] == Path("examples")
    assert parse(COMMANDS["coverage"], [], "vi")["directory"] == Path("examples")  # an optional argument's default
    assert parse(COMMANDS["fmt"], ["a.quy", "--check", "b"], "vi")["paths"] == [Path("a.quy"), Path("b")]  # options between paths
    assert parse(COMMANDS["serve"], ["--port=9000"], "vi") == {"host": "127.0.0.1", "port": 9000, "max_upload": 5, "regulations": None}


def test_a_commands_lang_defaults_as_before() -> None:
    """QUYCHE_LANG, else Vietnamese (init and convert: Vietnamese); a --lang before the command wins over both."""
    check = ["check", str(CAO_LANH), "--as-of", "2024-06-30"]
    _, vi, _ = invoke(check, env={"QUYCHE_LANG": "vi"})
    _, en, _ = invoke(check, env={"QUYCHE_LANG": "en"})
    assert vi != en and "Tổng hợp" in vi and "Tổng hợp" not in en
    assert invoke(["--lang", "en", *check], env={"QUYCHE_LANG": "vi"})[1] == en
    assert invoke([*check, "--lang", "vi"], env={"QUYCHE_LANG": "en"})[1] == vi
    _, locale_only, _ = invoke(check, env={**EMPTY_LOCALE, "LANG": "en_GB.UTF-8"})
    assert locale_only == vi  # the locale chooses the help's language, not the report's (as before)
    assert parse(COMMANDS["init"], [], "en")["lang"] is Lang.vi
    assert parse(COMMANDS["init"], [], "en", root_lang=Lang.en)["lang"] is Lang.en


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (["check"], "còn thiếu: TỆP", "missing: FILE"),
        (["check", "x.yaml", "--formt", "json"], "có phải ý bạn là --format?", "did you mean --format?"),
        (["check", "x.yaml", "--format", "pdf"], "'pdf' không phải là một lựa chọn", "'pdf' is not a choice"),
        (["check", "x.yaml", "--as-of"], "--as-of: cần một giá trị", "--as-of: needs a value"),
        (["check", "x.yaml", "y.yaml"], "không hiểu các đối số: y.yaml", "unrecognised arguments: y.yaml"),
        (["check", "x.yaml", "--verbose=yes"], "không nhận giá trị", "takes no value"),
        (["audit", "examples", "-j", "0"], "cần một số từ 1 trở lên", "at least 1"),
        (["calendar", "x.yaml", "--year", "abc"], "cần một số nguyên", "a whole number"),
        (["schema", "everything"], "'everything' không phải là một lựa chọn", "'everything' is not a choice"),
        (["fmt"], "còn thiếu: ĐƯỜNG_DẪN", "missing: PATH"),
        (["nope"], "không có lệnh “nope”", "no such command: “nope”"),
        (["chek", "x.yaml"], "không có lệnh “chek”; có phải ý bạn là “check”?", "no such command: “chek”; did you mean “check”?"),
        (["--lang", "fr", "check"], "'fr' không phải là một lựa chọn", "'fr' is not a choice"),
        (["--frobnicate"], "không có tùy chọn --frobnicate", "no such option: --frobnicate"),
    ],
)
def test_usage_errors_in_the_readers_language_exit_2(args: list[str], vi: str, en: str) -> None:
    for lang, expected in (("vi", vi), ("en", en)):
        code, out, err = invoke(args, env={**EMPTY_LOCALE, "QUYCHE_LANG": lang})
        assert code == 2 and out == "", (args, lang, out, err)
        assert expected in err and "Traceback" not in err, (args, lang, err)
        assert err.startswith("Cách dùng: quyche" if expected == vi else "Usage: quyche"), err


def test_argparse_speaks_english_again_after_a_run() -> None:
    """The translation is in force while quyche parses only (pytest and others use argparse too)."""
    assert invoke(["check", "--formt"], env={"QUYCHE_LANG": "vi"})[0] == 2
    with pytest.raises(SystemExit):
        argparse.ArgumentParser(prog="x", exit_on_error=False).parse_args(["--nope"])
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(COMMANDS)),
    st.lists(st.sampled_from(["-", "--", "x", "2024-06-30", "-1", "0", "json", "--format", "--lang", "en", "-v", "-j", "--out", "=", "--as-of=", "é"])),
)
def test_any_command_line_parses_or_is_a_usage_error(name: str, args: list[str]) -> None:
    try:
        values = parse(COMMANDS[name], args, "vi")
    except UsageError as err:
        assert err.message and err.command == name
    else:
        assert set(values) == {p.dest for p in COMMANDS[name].params}


def test_quyche_alone_shows_the_help_and_exits_2() -> None:
    assert invoke([], env={**EMPTY_LOCALE, "QUYCHE_LANG": "en"}) == (2, top_help("en"), "")
    assert invoke([], env={**EMPTY_LOCALE, "LANG": "vi_VN.UTF-8"}) == (2, top_help("vi"), "")
    code, out, err = invoke(["--lang", "en"], env=EMPTY_LOCALE)  # options, but no command
    assert code == 2 and out == "" and "missing command" in err


def test_help_lists_every_command_and_option_in_both_languages() -> None:
    for lang in ("vi", "en"):
        listing = top_help(lang)
        assert all(f"\n  {name} " in listing for name in COMMANDS)
        assert all(flag in listing for flags, _, _ in ROOT_OPTIONS for flag in flags)
        for command in COMMANDS.values():
            screen = command_help(command, lang)
            assert all(flag in screen for p in command.params for flag in p.flags), command.name
            assert max(len(line) for line in screen.splitlines()) <= 80, command.name  # not a terminal: 80 columns
    assert "Cách dùng:" in top_help("vi") and "Usage" not in top_help("vi") and "Options" not in top_help("vi")


def test_help_before_the_command_or_after_it() -> None:
    assert run_cli("audit", "--help", "--lang", "en")[1] == command_help(COMMANDS["audit"], "en")
    assert run_cli("audit", "--lang", "en", "--", "--help")[0] == 2  # after "--" it is a folder's name, and one too many
    code, out, _ = run_cli("--lang", "en", "--help")
    assert code == 0 and out == top_help("en")


# ---------------------------------------------------------------- completion


def _bash_complete(line: list[str], tmp_path: Path) -> list[str]:
    script = tmp_path / "quyche.bash"
    script.write_text(completion.script("bash", "en"), encoding="utf-8")
    words = " ".join(f"'{w}'" for w in line)
    program = f'source "{script}"; COMP_WORDS=({words}); COMP_CWORD={len(line) - 1}; _quyche; printf "%s\\n" "${{COMPREPLY[@]}}"'
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completion_offers_commands_options_and_choices(tmp_path: Path) -> None:
    assert subprocess.run(["bash", "-n", "-c", completion.script("bash", "vi")], check=False).returncode == 0
    assert set(_bash_complete(["quyche", ""], tmp_path)) >= set(COMMANDS)
    assert _bash_complete(["quyche", "au"], tmp_path) == ["audit"]
    assert _bash_complete(["quyche", "check", "x.yaml", "--for"], tmp_path) == ["--format"]
    assert _bash_complete(["quyche", "check", "x.yaml", "--format", ""], tmp_path) == ["text", "json"]
    assert _bash_complete(["quyche", "--lang", "en", "review", "x", "--format", "s"], tmp_path) == ["sarif"]
    assert _bash_complete(["quyche", "init", "--level", ""], tmp_path) == ["tỉnh", "huyện", "xã"]
    assert _bash_complete(["quyche", "check", "--regulations", ""], tmp_path) == []  # a folder: the shell's file names
    assert _bash_complete(["quyche", "schema", ""], tmp_path) == ["setup", "findings"]


@pytest.mark.parametrize("shell", SHELLS)
def test_every_shells_script_names_every_command_and_option(shell: str) -> None:
    script = completion.script(shell, "en")
    for command in COMMANDS.values():
        assert command.name in script
        for param in command.params:
            assert all((f.lstrip("-") if shell == "fish" else f) in script for f in param.flags), (command.name, param.flags)
    binary = {"bash": "bash", "zsh": "zsh", "fish": "fish"}[shell]
    if shell != "bash" and subprocess.run(["sh", "-c", f"command -v {binary}"], capture_output=True, check=False).returncode == 0:
        assert subprocess.run([binary, "-n" if shell == "zsh" else "--no-execute", "-c", script], check=False).returncode == 0


def _quyche(home: Path, *args: str, shell: str = "/bin/bash") -> tuple[int, str, str]:
    env = {"HOME": str(home), "XDG_DATA_HOME": None, "XDG_CONFIG_HOME": None, "SHELL": shell, **EMPTY_LOCALE, "QUYCHE_LANG": "vi"}
    return invoke(list(args), env=env)


def test_install_completion_writes_where_the_shell_looks_and_never_replaces_a_users_file(tmp_path: Path) -> None:
    code, _, err = _quyche(tmp_path, "--install-completion", "--lang", "en")
    target = tmp_path / ".local" / "share" / "bash-completion" / "completions" / "quyche"
    assert code == 0 and str(target) in err and target.read_text(encoding="utf-8") == completion.script("bash", "en")
    code, _, err = _quyche(tmp_path, "--install-completion", "--lang", "en")
    assert code == 0 and "already installed" in err
    fish = tmp_path / ".config" / "fish" / "completions" / "quyche.fish"
    fish.parent.mkdir(parents=True)
    fish.write_text("# my own\n", encoding="utf-8")
    code, _, err = _quyche(tmp_path, "--install-completion", "fish", "--lang", "en")
    assert code == 2 and "left alone" in err and fish.read_text(encoding="utf-8") == "# my own\n"
    code, _, err = _quyche(tmp_path, "--install-completion", "zsh")
    zfunc = tmp_path / ".zfunc" / "_quyche"
    assert code == 0 and zfunc.read_text(encoding="utf-8").startswith("#compdef quyche") and "fpath=" in err


def test_show_completion_needs_a_shell_it_knows(tmp_path: Path) -> None:
    code, out, _ = _quyche(tmp_path, "--show-completion", shell="/usr/bin/zsh")
    assert code == 0 and out == completion.script("zsh", "vi")
    code, out, err = _quyche(tmp_path, "--show-completion", "--lang", "en", shell="/bin/tcsh")
    assert code == 2 and out == "" and "bash, zsh or fish" in err
    code, out, _ = _quyche(tmp_path, "--show-completion", "fish", shell="/bin/tcsh")
    assert code == 0 and "complete -c quyche" in out


def test_the_console_script_runs_without_typer() -> None:
    """typer is no longer a dependency: the entry point works where it is not installed."""
    code = "import sys; sys.modules['typer'] = None; sys.modules['click'] = None; from compliance.cli import main; sys.argv[0] = 'quyche'; main()"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QUYCHE_LANG="en")
    done = subprocess.run([sys.executable, "-c", code, "check", str(CAO_LANH), "--as-of", "2024-06-30"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0 and "Cao Lãnh" in done.stdout, done.stderr
