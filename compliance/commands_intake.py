"""The officer's front door on the command line: `init`, `convert`, `serve`, and the conventions.

Registered on the `quyche` app by :func:`register` (one call in compliance/cli.py), so the rest
of the command line is untouched: ``--version``; shell completion (typer's); help in Vietnamese
or English, chosen by ``--lang``, ``QUYCHE_LANG`` or the locale (the top-level help, every
command's summary, and the panel titles).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from compliance.catalogue import Lang, entries, text, word
from engine.message import msg

__all__ = ["LocalisedCommand", "LocalisedGroup", "detect_lang", "only_command", "register", "tool_version"]


def tool_version() -> str:
    """The installed quyche's version (pyproject.toml), or 0 when run from a bare source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quyche")
    except PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "0"


def detect_lang(args: list[str] | None = None) -> Lang:
    """--lang in ``args``, else QUYCHE_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG); Vietnamese by default."""
    args = list(sys.argv[1:] if args is None else args)
    for i, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in ("vi", "en"):
            return value  # type: ignore[return-value]
    choice = os.environ.get("QUYCHE_LANG", "")
    if choice in ("vi", "en"):
        return choice  # type: ignore[return-value]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value.startswith("en"):
            return "en"
        if value.startswith("vi"):
            return "vi"
    return "vi"


class LocalisedGroup(TyperGroup):
    """The top-level group: its help and the command summaries in the reader's language."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        global _help
        _help = (self, detect_lang(list(args) if args is not None else None))  # translated if help is shown
        return super().main(args, *rest, **kwargs)

    def localise(self, lang: Lang) -> None:
        known = entries()
        self.help = text(msg("cli.help"), lang)
        for name, command in self.commands.items():
            key = f"cli.cmd.{name}"
            if key not in known:
                continue
            summary = text(msg(key), lang)
            command.short_help = summary
            original = getattr(command, "_quyche_help", None)
            if original is None:
                original = command.help or ""
                command._quyche_help = original  # type: ignore[attr-defined]
            # English keeps the full docstring; Vietnamese gets the Vietnamese summary alone (no English in it).
            command.help = original if lang == "en" and original else summary
        for param in self.params:
            if param.name in ("version", "lang") and hasattr(param, "help"):
                param.help = word(f"cli.{param.name}", lang)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_help()
        super().format_help(ctx, formatter)


class LocalisedCommand(TyperCommand):
    """Every command: its help in the reader's language (translated by LocalisedGroup.localise)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_help()
        super().format_help(ctx, formatter)


_help: tuple[LocalisedGroup, Lang] | None = None  # the group that runs, and the language of its help


def _localise_help() -> None:
    """Help texts and panel titles in the reader's language, set only when help is shown: a command
    that shows none neither reads the catalogue's help texts nor imports typer's help formatter
    (rich, markdown, pygments)."""
    from typer import rich_utils

    if _help is None:  # pragma: no cover - help of a command run without the group
        lang = detect_lang()
    else:
        group, lang = _help
        group.localise(lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = word("cli.panel.arguments", lang)
    rich_utils.OPTIONS_PANEL_TITLE = word("cli.panel.options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = word("cli.panel.commands", lang)


class To(str, Enum):
    yaml = "yaml"
    xlsx = "xlsx"
    csv = "csv"


class Level(str, Enum):
    tinh = "tỉnh"
    huyen = "huyện"
    xa = "xã"


class Lng(str, Enum):
    vi = "vi"
    en = "en"


def _err(message: str) -> None:
    from compliance.terminal import SafeConsole

    SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def _fail(message: str) -> None:
    """Bad input, as `compliance.cli.fail` says it: plain text (never markup, so "quyche[serve]" stays), exit 2."""
    from rich.text import Text

    from compliance.terminal import SafeConsole, sanitise

    SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(Text("quyche:", style="bold red") + Text(" " + sanitise(message)))
    raise typer.Exit(2)


def _write(out: Path, data: bytes, lang: Lang) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(text(msg("cli.convert.cannot_write", path=str(out), reason=exc.strerror or str(exc)), lang))


def _emit(data: bytes, binary: bool, lang: Lang) -> None:
    if binary and sys.stdout.isatty():
        _fail(text(msg("init.xlsx_stdout"), lang))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"quyche {tool_version()}")
        raise typer.Exit(0)


def root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version_callback, is_eager=True, help="Print the version and exit. · In phiên bản rồi thoát.")
    ] = False,
    lang: Annotated[Optional[Lng], typer.Option("--lang", help="Help language: vi or en. · Ngôn ngữ trợ giúp.")] = None,
) -> None:
    """quyche: the options before the command (the help's language is chosen in LocalisedGroup.main)."""


def convert_cmd(
    source: Annotated[str, typer.Argument(help="Setup to convert: .yaml, .xlsx, .csv, or - for stdin.")],
    to: Annotated[Optional[To], typer.Option("--to", help="yaml, xlsx or csv (default: from --out's suffix).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to FILE instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    lang: Annotated[Lng, typer.Option("--lang", help="Language of headers and messages: vi (default) or en.")] = Lng.vi,
) -> None:
    """Convert a centre setup between YAML, Excel (.xlsx) and CSV, without loss."""
    from compliance.intake import load_any, to_csv, to_xlsx, to_yaml
    from compliance.loading import SetupError

    reader: Lang = lang.value
    target = to.value if to else (out.suffix.lower().lstrip(".").replace("yml", "yaml") if out else "")
    if target not in ("yaml", "xlsx", "csv"):
        _fail(text(msg("cli.convert.to_needed"), reader))
    if out is not None and out.exists() and not force:
        _fail(text(msg("cli.convert.exists", path=str(out)), reader))
    try:
        setup = load_any(source, reader)
    except SetupError as err:
        _fail(text(msg("cli.convert.invalid"), reader) + "\n" + err.render(reader))
    if target == "xlsx":
        data = to_xlsx(setup, reader)
    elif target == "csv":
        data = to_csv(setup, reader).encode("utf-8-sig")
    else:
        data = to_yaml(setup).encode("utf-8")
    if out is None:
        _emit(data, target == "xlsx", reader)
    else:
        _write(out, data, reader)
        _err(text(msg("cli.convert.written", path=str(out)), reader))


def init_cmd(
    jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", help="Province or district the centre serves, e.g. 'Cao Lãnh'.")] = None,
    level: Annotated[Optional[Level], typer.Option("--level", help="tỉnh, huyện or xã (default: tỉnh for a province, else huyện).")] = None,
    province: Annotated[Optional[str], typer.Option("--province", help="The province, when --jurisdiction names a district the regulations do not.")] = None,
    format: Annotated[Optional[To], typer.Option("--format", help="yaml (default) or xlsx; csv too.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the template to FILE (never overwritten); default: stdout for YAML.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Documents in force on this date (YYYY-MM-DD); default: today.")] = None,
    lang: Annotated[Lng, typer.Option("--lang", help="Language of the template: vi (default) or en.")] = Lng.vi,
) -> None:
    """Write a commented setup template for a jurisdiction: every field its documents need, with valid values."""
    from datetime import date

    from compliance.findings import today_in_vietnam
    from compliance.intake import to_csv
    from compliance.intake.template import resolve_scope, skeleton, xlsx_template, yaml_template
    from compliance.regulations import bundled_program
    from engine.text import text_key

    reader: Lang = lang.value
    kind = format.value if format else (out.suffix.lower().lstrip(".").replace("yml", "yaml") if out and out.suffix else "yaml")
    if kind not in ("yaml", "xlsx", "csv"):
        _fail(text(msg("cli.convert.to_needed"), reader))
    if out is not None and (out.exists() or out.is_symlink()):
        _fail(text(msg("init.exists", path=str(out)), reader))
    try:
        when = date.fromisoformat(as_of) if as_of else today_in_vietnam()
    except ValueError:
        _fail(text(msg("command.as_of_format", value=as_of or ""), reader))
    program = bundled_program()
    chosen = level.value if level else None
    if chosen is None:  # a province named alone is a provincial centre; any other unit a district one
        probe = resolve_scope(program, jurisdiction, "tỉnh", province)
        is_province = jurisdiction is None or (probe.province is not None and text_key(probe.province) == text_key(jurisdiction))
        chosen = "tỉnh" if is_province else "huyện"
    scope = resolve_scope(program, jurisdiction, chosen, province)
    if jurisdiction is not None and scope.province is None and chosen != "xã":
        _fail(text(msg("init.no_province", jurisdiction=jurisdiction), reader))
    name = str(out) if out else "setup.yaml"
    if kind == "yaml":
        data = yaml_template(program, scope, when, reader, name).encode("utf-8")
    else:
        if kind == "xlsx":
            data = xlsx_template(program, scope, when, reader, name)
        else:  # the workbook's sheets one after the other, as read_csv reads them
            data = to_csv(skeleton(program, scope, when), reader).encode("utf-8-sig")
    if out is None:
        _emit(data, kind == "xlsx", reader)
        return
    try:
        with out.open("xb") as handle:  # "x": never overwrite, even if the file appeared meanwhile
            handle.write(data)
    except FileExistsError:
        _fail(text(msg("init.exists", path=str(out)), reader))
    except OSError as exc:
        _fail(text(msg("cli.convert.cannot_write", path=str(out), reason=exc.strerror or str(exc)), reader))
    _err(text(msg("init.written", path=str(out)), reader))


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (default 8000).")] = 8000,
    max_upload: Annotated[int, typer.Option("--max-upload", help="Largest accepted upload, in MB.")] = 5,
    regulations: Annotated[Optional[Path], typer.Option("--regulations", help="Use regulation files from this folder instead of the bundled ones.")] = None,
) -> None:
    """Run the local web app and API: upload a spreadsheet or YAML, read the findings; OpenAPI at /openapi.json."""
    try:
        import uvicorn

        from compliance.server import create_app
    except ImportError:
        _fail(text(msg("cli.serve.missing"), detect_lang()))
    _err(text(msg("cli.serve.listening", host=host, port=str(port)), detect_lang()))
    uvicorn.run(create_app(regulations=regulations, max_upload=max_upload * 1024 * 1024), host=host, port=port, log_level="warning")


@contextmanager
def only_command(app: typer.Typer, args: list[str]) -> Iterator[None]:
    """Within this block, ``app`` has only the command that ``args`` name first, if they do.

    typer builds every command's parser from its signature before it runs one (about 10 ms for
    these fifteen commands); a run that names its command needs that one.
    Help, completion and options before the command keep them all.
    """
    from typer.main import get_command_name

    every = app.registered_commands
    name = args[0] if args else ""
    chosen = [c for c in every if c.callback is not None and (c.name or get_command_name(c.callback.__name__)) == name]
    if chosen:
        app.registered_commands = chosen
    try:
        yield
    finally:
        app.registered_commands = every


def register(app: typer.Typer) -> None:
    """Add init, convert and serve, --version, completion and localised help to ``app``."""
    app.info.cls = LocalisedGroup
    app._add_completion = True  # typer's --install-completion / --show-completion
    app.callback()(root)
    app.command(name="convert")(convert_cmd)
    app.command(name="init")(init_cmd)
    app.command(name="serve")(serve_cmd)
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # typer's default: localised; a command's own class is kept
            info.cls = LocalisedCommand
