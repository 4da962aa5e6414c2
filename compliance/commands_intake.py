"""The officer's front door on the command line: `init`, `convert` and `serve`.

Their arguments and options are declared in compliance/command_line.py's table, with the rest of
the command line (``--version``, shell completion, help in Vietnamese or English).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from compliance.catalogue import Lang, text
from compliance.command_line import Lang as Lng
from compliance.command_line import Level, To, detect_lang
from engine.message import msg

__all__ = ["convert_cmd", "detect_lang", "init_cmd", "serve_cmd"]


def _err(message: str) -> None:
    from compliance.terminal import SafeConsole

    SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def _fail(message: str) -> None:
    """Bad input, as `compliance.cli.fail` says it: plain text (never markup, so "quyche[serve]" stays), exit 2."""
    from rich.text import Text

    from compliance.terminal import SafeConsole, sanitise

    SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(Text("quyche:", style="bold red") + Text(" " + sanitise(message)))
    raise SystemExit(2)


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


def convert_cmd(source: str, to: Optional[To], out: Optional[Path], force: bool, lang: Lng) -> None:
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
    jurisdiction: Optional[str], level: Optional[Level], province: Optional[str], format: Optional[To], out: Optional[Path], as_of: Optional[str], lang: Lng
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


def serve_cmd(host: str, port: int, max_upload: int, regulations: Optional[Path]) -> None:
    """Run the local web app and API: upload a spreadsheet or YAML, read the findings; OpenAPI at /openapi.json."""
    try:
        import uvicorn

        from compliance.server import create_app
    except ImportError:
        _fail(text(msg("cli.serve.missing"), detect_lang()))
    _err(text(msg("cli.serve.listening", host=host, port=str(port)), detect_lang()))
    uvicorn.run(create_app(regulations=regulations, max_upload=max_upload * 1024 * 1024), host=host, port=port, log_level="warning")
