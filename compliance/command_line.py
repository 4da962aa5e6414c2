"""The `quyche` command line: one table of commands, arguments and options, parsed by argparse.

The table (:data:`COMMANDS`) is the only declaration: the parser of the running command, the help
screens, the usage errors and the shell completion scripts (compliance/completion.py) are all
built from it. Every word a reader sees comes from the catalogue (``cli.*`` and ``cli_args.*``),
argparse's own error messages included (its gettext strings are looked up there while it parses).

Only the command that runs gets a parser: ``quyche check …`` builds the eight actions of `check`,
never the other fourteen commands' (nor their help texts). The command functions live where
they did (compliance/cli.py, compliance/commands_intake.py), take plain values (Path, str, int,
bool, the enums below) and import what they use in their bodies.

The reader's language: ``--lang`` on the command line, else QUYCHE_LANG, else the locale
(LC_ALL, LC_MESSAGES, LANG), else Vietnamese (:func:`detect_lang`), for help and usage errors.
A command's own ``--lang`` defaults as it always did (QUYCHE_LANG, else Vietnamese; `init` and
`convert`: Vietnamese); a ``--lang`` before the command is its default.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

if TYPE_CHECKING:  # pragma: no cover
    import argparse

__all__ = [
    "COMMANDS",
    "Command",
    "Format",
    "GraphFormat",
    "Lang",
    "Level",
    "Param",
    "ReviewFormat",
    "SchemaOf",
    "To",
    "UsageError",
    "default_lang",
    "detect_lang",
    "parse",
    "reader",
    "run",
]

Reader = Literal["vi", "en"]


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    text = "text"
    json = "json"


class GraphFormat(str, Enum):
    json = "json"
    dot = "dot"
    graphml = "graphml"
    mermaid = "mermaid"


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


class SchemaOf(str, Enum):
    setup = "setup"
    findings = "findings"


class To(str, Enum):
    yaml = "yaml"
    xlsx = "xlsx"
    csv = "csv"


class Level(str, Enum):
    tinh = "tỉnh"
    huyen = "huyện"
    xa = "xã"


SHELLS = ("bash", "zsh", "fish")

# The running command's --lang (the helpers that fail or say something read it: compliance.cli._lang).
reader: ContextVar[Lang | None] = ContextVar("quyche_reader", default=None)

_REQUIRED: Any = object()  # a positional argument without a default
_FROM_ENV: Any = object()  # a --lang whose default is QUYCHE_LANG, else Vietnamese


@dataclass(frozen=True)
class Param:
    """One argument (no ``flags``) or option of a command, as the command function receives it."""

    dest: str  # the function's parameter
    help: str  # catalogue key of its help (in cli_args.toml)
    flags: tuple[str, ...] = ()  # "--as-of", or ("--verbose", "-v"); none: a positional argument
    kind: Callable[[str], Any] = str  # str, Path, int or an Enum (its values are the choices)
    default: Any = None
    metavar: str = ""  # catalogue key (cli_args.metavar.*) of the value's name in help and errors
    switch: bool = False  # an on/off option without a value
    many: bool = False  # one or more values (a positional argument)
    minimum: int | None = None  # an int's least value

    @property
    def positional(self) -> bool:
        return not self.flags

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(m.value for m in self.kind) if isinstance(self.kind, type) and issubclass(self.kind, Enum) else ()


@dataclass(frozen=True)
class Command:
    """A command: its name, the function that runs it ("module:function") and its parameters."""

    name: str
    target: str
    params: tuple[Param, ...]
    more: bool = False  # cli_args.more.<name>: a paragraph after the summary in the command's help


def arg(dest: str, help: str, kind: Callable[[str], Any] = Path, default: Any = _REQUIRED, metavar: str = "file", many: bool = False) -> Param:
    return Param(dest, help, (), kind, default, metavar, many=many)


def opt(
    *flags: str, dest: str = "", help: str = "", kind: Callable[[str], Any] = str, default: Any = None, metavar: str = "", minimum: int | None = None
) -> Param:
    name = dest or flags[0].lstrip("-").replace("-", "_")
    return Param(
        name, help or f"opt.{name}", flags, kind, default, metavar or ("" if isinstance(kind, type) and issubclass(kind, Enum) else "text"), minimum=minimum
    )


def switch(*flags: str, dest: str = "", help: str = "") -> Param:
    name = dest or flags[0].lstrip("-").replace("-", "_")
    return Param(name, help or f"opt.{name}", flags, bool, False, switch=True)


def _lang(dest: str = "lang", default: Any = _FROM_ENV) -> Param:
    return Param(dest, "opt.lang", ("--lang",), Lang, default)


_AS_OF = opt("--as-of", metavar="date")
_REGULATIONS = opt("--regulations", kind=Path, metavar="folder")
_SETUP = arg("setup", "arg.setup")


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "check",
            "compliance.cli:check",
            (
                _SETUP,
                _AS_OF,
                opt("--format", kind=Format, default=Format.text),
                _lang(),
                switch("--verbose", "-v", help="opt.check.verbose"),
                switch("--explain", dest="explain_steps"),
                _REGULATIONS,
            ),
        ),
        Command(
            "explain",
            "compliance.cli:explain_cmd",
            (_SETUP, arg("rule", "arg.rule", str, metavar="rule"), _AS_OF, _lang(), opt("--format", kind=Format, default=Format.text), _REGULATIONS),
        ),
        Command(
            "review",
            "compliance.cli:review_cmd",
            (
                arg("document", "arg.document", str, metavar="document"),
                opt("--format", kind=ReviewFormat, default=ReviewFormat.text, help="opt.review.format"),
                _lang(),
                _AS_OF,
                switch("--verbose", "-v", help="opt.review.verbose"),
                _REGULATIONS,
                opt("--seeds", kind=Path, default=Path("../shared/seeds"), metavar="folder", help="opt.review.seeds"),
            ),
        ),
        Command("graph", "compliance.cli:graph", (opt("--format", kind=GraphFormat, default=GraphFormat.json, help="opt.graph.format"), _REGULATIONS)),
        Command("verify", "compliance.cli:verify", (opt("--seeds", kind=Path, metavar="folder"), _REGULATIONS, _lang("lang_opt"))),
        Command(
            "audit",
            "compliance.cli:audit",
            (
                arg("directory", "arg.audit.directory", metavar="folder"),
                _AS_OF,
                opt("--out", kind=Path, metavar="file", help="opt.audit.out"),
                _lang(),
                switch("--quiet", "-q"),
                opt("--jobs", "-j", kind=int, metavar="n", minimum=1),
                switch("--steps"),
                switch("--full"),
                _REGULATIONS,
            ),
            more=True,
        ),
        Command(
            "calendar",
            "compliance.cli:calendar_cmd",
            (_SETUP, opt("--year", kind=int, metavar="year"), opt("--out", kind=Path, metavar="file", help="opt.calendar.out"), _lang(), _REGULATIONS),
            more=True,
        ),
        Command(
            "site",
            "compliance.cli:site",
            (
                opt("--out", kind=Path, default=Path("site"), metavar="folder", help="opt.site.out"),
                _REGULATIONS,
                _AS_OF,
                opt("--site-url", metavar="url"),
                _lang(),
            ),
        ),
        Command(
            "coverage",
            "compliance.cli:coverage_cmd",
            (
                arg("directory", "arg.coverage.directory", default=Path("examples"), metavar="folder"),
                _AS_OF,
                opt("--format", kind=Format, default=Format.text),
                _REGULATIONS,
                _lang("lang_opt"),
            ),
        ),
        Command(
            "fmt",
            "compliance.cli:fmt_cmd",
            (arg("paths", "arg.paths", metavar="path", many=True), switch("--check", help="opt.fmt.check"), switch("--write"), _lang("lang_opt")),
        ),
        Command("literate", "compliance.cli:literate_cmd", (arg("seed", "arg.seed"), opt("--main", dest="main_body", metavar="text"))),
        Command("schema", "compliance.cli:schema", (arg("of", "arg.of", SchemaOf, default=SchemaOf.setup, metavar="kind"),)),
        Command(
            "init",
            "compliance.commands_intake:init_cmd",
            (
                opt("--jurisdiction", metavar="name"),
                opt("--level", kind=Level),
                opt("--province", metavar="name"),
                opt("--format", kind=To, help="opt.init.format"),
                opt("--out", kind=Path, metavar="file", help="opt.init.out"),
                opt("--as-of", metavar="date", help="opt.init.as_of"),
                _lang(default=Lang.vi),
            ),
        ),
        Command(
            "convert",
            "compliance.commands_intake:convert_cmd",
            (
                arg("source", "arg.source", str),
                opt("--to", kind=To),
                opt("--out", kind=Path, metavar="file", help="opt.convert.out"),
                switch("--force"),
                _lang(default=Lang.vi),
            ),
        ),
        Command(
            "serve",
            "compliance.commands_intake:serve_cmd",
            (
                opt("--host", default="127.0.0.1", metavar="address"),
                opt("--port", kind=int, default=8000, metavar="n"),
                opt("--max-upload", kind=int, default=5, metavar="n"),
                _REGULATIONS,
            ),
        ),
    )
}

# The options before the command: (flags, catalogue key of the help, choices or None for a switch).
ROOT_OPTIONS: tuple[tuple[tuple[str, ...], str, tuple[str, ...] | None], ...] = (
    (("--version", "-V"), "cli.version", None),
    (("--lang",), "cli.lang", ("vi", "en")),
    (("--install-completion",), "cli_args.root.install_completion", SHELLS),
    (("--show-completion",), "cli_args.root.show_completion", SHELLS),
    (("--help",), "cli_args.root.help", None),
)


class UsageError(Exception):
    """The command line cannot be read: the message (in the reader's language) and the command it concerns."""

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.message, self.command = message, command


def detect_lang(args: Sequence[str] | None = None) -> Reader:
    """--lang in ``args``, else QUYCHE_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG); Vietnamese by default."""
    args = list(sys.argv[1:] if args is None else args)
    for i, word in enumerate(args):
        value = word.split("=", 1)[1] if word.startswith("--lang=") else (args[i + 1] if word == "--lang" and i + 1 < len(args) else None)
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


def default_lang() -> Lang:
    """A command's --lang by default: QUYCHE_LANG when it names a language the catalogue speaks, else Vietnamese."""
    return Lang.en if os.environ.get("QUYCHE_LANG", "").strip() == "en" else Lang.vi


def _say(key: str, lang: Reader, **args: Any) -> str:
    from compliance.catalogue import word

    return word(key if key.startswith(("cli.", "cli_args.")) else f"cli_args.{key}", lang, **args)


# ---------------------------------------------------------------- parsing

# argparse's gettext messages (Python 3.11 – 3.13) → their catalogue entries, which keep argparse's
# %-placeholders; a message not listed here stays argparse's own.
_ARGPARSE = {
    "unrecognized arguments: %s": "error.unrecognized",
    "the following arguments are required: %s": "error.required",
    "expected one argument": "error.one_value",
    "expected at most one argument": "error.one_value",
    "expected at least one argument": "error.some_values",
    "invalid choice: %(value)r (choose from %(choices)s)": "error.choice",
    "argument %(argument_name)s: %(message)s": "error.argument",
    "ignored explicit argument %r": "error.no_value",
    "invalid %(type)s value: %(value)r": "error.value",
    "ambiguous option: %(option)s could match %(matches)s": "error.ambiguous",
}


@contextmanager
def _argparse_speaks(lang: Reader) -> Iterator[None]:
    """While parsing, argparse's own messages are the catalogue's (its module-level gettext names)."""
    import argparse

    def translate(message: str) -> str:
        key = _ARGPARSE.get(message)
        return _say(key, lang) if key else message

    def ntranslate(singular: str, plural: str, n: int) -> str:
        return _say("error.n_values", lang) if "%s argument" in singular else (singular if n == 1 else plural)

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, ntranslate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _integer(param: Param, lang: Reader) -> Callable[[str], int]:
    def convert(value: str) -> int:
        import argparse

        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(_say("error.integer", lang, value=value)) from None
        if param.minimum is not None and number < param.minimum:
            raise argparse.ArgumentTypeError(_say("error.minimum", lang, value=value, minimum=str(param.minimum)))
        return number

    return convert


def metavar(param: Param, lang: Reader) -> str:
    """The value's name as help and errors show it: a positional's in capitals, an option's value, or its choices."""
    if param.choices and not param.positional:
        return "{" + "|".join(param.choices) + "}"
    return _say(f"metavar.{param.metavar}", lang).upper().replace(" ", "_") if param.metavar else ""


def build_parser(command: Command, lang: Reader) -> argparse.ArgumentParser:
    """argparse's parser of one command (no help action: help is the table's, shown before parsing)."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(message, command.name)

    parser = Parser(prog=f"quyche {command.name}", add_help=False, allow_abbrev=False)
    for param in command.params:
        kind: Any = _integer(param, lang) if param.kind is int else (None if param.choices or param.kind is bool else param.kind)
        extra: dict[str, Any] = {"choices": param.choices} if param.choices else {}
        if param.positional:
            nargs = "+" if param.many else (None if param.required else "?")
            default = param.default.value if isinstance(param.default, Enum) else param.default
            parser.add_argument(param.dest, type=kind, nargs=nargs, default=None if param.required else default, metavar=metavar(param, lang), **extra)
        elif param.switch:
            parser.add_argument(*param.flags, dest=param.dest, action="store_true")
        else:
            parser.add_argument(*param.flags, dest=param.dest, type=kind, default=None, metavar=metavar(param, lang), **extra)
    return parser


def parse(command: Command, args: Sequence[str], lang: Reader, root_lang: Lang | None = None) -> dict[str, Any]:
    """The command function's keyword arguments from ``args`` (UsageError if they cannot be read)."""
    with _argparse_speaks(lang):
        parser = build_parser(command, lang)
        found, extra = parser.parse_known_intermixed_args(list(args))  # options between the paths too, as before
    if extra:  # an option the command does not have, else a word too many
        raise UsageError(_unknown(command, extra, lang), command.name)
    values = vars(found)
    out: dict[str, Any] = {}
    for param in command.params:
        value = values[param.dest]
        if value is None or (param.switch and value is False):
            default = param.default
            if param.flags == ("--lang",):
                default = root_lang or (default_lang() if default is _FROM_ENV else default)
            value = default
        elif param.choices:
            value = param.kind(value)
        out[param.dest] = value
    return out


def _unknown(command: Command, extra: list[str], lang: Reader) -> str:
    option = next((word.partition("=")[0] for word in extra if word.startswith("-") and word != "-"), None)
    if option is None:
        return _say("error.unrecognized", lang) % " ".join(extra)
    known = [flag for param in command.params for flag in param.flags if flag.startswith("--")] + ["--help"]
    close = _closest(option, known)
    return _say("error.no_option_hint", lang, option=option, close=close) if close else _say("error.no_option", lang, option=option)


def _closest(word: str, known: list[str]) -> str | None:
    """The known name the user most likely meant (a typo's "did you mean"), if any is close."""
    import difflib

    close = difflib.get_close_matches(word, known, n=1)
    return close[0] if close else None


def _root(args: list[str], lang: Reader) -> tuple[Lang | None, list[str]] | int:
    """The options before the command: an exit code when one of them is the whole run, else (--lang, the rest)."""
    root_lang: Lang | None = None
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        word = args[i]
        name, _, inline = word.partition("=")
        if word == "--":
            i += 1
            break
        if word in ("--help",):
            sys.stdout.write(top_help(lang))
            return 0
        if word in ("--version", "-V"):
            from compliance.version import tool_version

            sys.stdout.write(f"quyche {tool_version()}\n")
            return 0
        if name in ("--lang", "--show-completion", "--install-completion"):
            choices = ("vi", "en") if name == "--lang" else SHELLS
            value: str | None = inline if inline else (args[i + 1] if i + 1 < len(args) and (args[i + 1] in choices or name == "--lang") else None)
            i += 1 if inline or value is None else 2
            if value is not None and value not in choices:
                raise UsageError(_say("error.argument", lang) % {"argument_name": name, "message": _choice(value, choices, lang)})
            if name == "--lang":
                if value is None:
                    raise UsageError(_say("error.argument", lang) % {"argument_name": name, "message": _say("error.one_value", lang)})
                root_lang = Lang(value)
                continue
            from compliance import completion

            return completion.show(value, lang) if name == "--show-completion" else completion.install(value, lang)
        raise UsageError(_say("error.no_option", lang, option=word))
    return root_lang, args[i:]


def _choice(value: str, choices: Sequence[str], lang: Reader) -> str:
    return _say("error.choice", lang) % {"value": value, "choices": ", ".join(repr(c) for c in choices)}


def run(args: Sequence[str]) -> int:
    """Run ``quyche ARGS``: the exit code (the command's, 0 after help, 2 for a command line it cannot read)."""
    args = list(args)
    lang = detect_lang(args)
    try:
        if not args:  # `quyche` alone: the help, as a usage error
            sys.stdout.write(top_help(lang))
            return 2
        found = _root(args, lang)
        if isinstance(found, int):
            return found
        root_lang, rest = found
        if not rest:
            raise UsageError(_say("error.no_command", lang))
        name, *tail = rest
        command = COMMANDS.get(name)
        if command is None:
            close = _closest(name, list(COMMANDS))
            raise UsageError(
                _say("error.unknown_command_hint", lang, command=name, close=close) if close else _say("error.unknown_command", lang, command=name)
            )
        if "--help" in tail[: tail.index("--") if "--" in tail else len(tail)]:
            sys.stdout.write(command_help(command, lang))
            return 0
        values = parse(command, tail, lang, root_lang)
    except UsageError as err:
        sys.stderr.write(usage_error(err, lang))
        return 2
    module, _, function = command.target.partition(":")
    chosen = next((p for p in command.params if p.flags == ("--lang",)), None)
    token = reader.set(values[chosen.dest] if chosen else None)
    try:
        result = getattr(import_module(module), function)(**values)
    except SystemExit as done:
        return _code(done.code)
    finally:
        reader.reset(token)
    return _code(result)


def _code(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0 if value is None else 1


# ---------------------------------------------------------------- help

WIDTH = 80  # not a terminal: help is laid out for 80 columns, whatever the environment says


def _width() -> int:
    if not sys.stdout.isatty():
        return WIDTH
    import shutil

    return max(40, min(shutil.get_terminal_size((WIDTH, 24)).columns, 120))


def _wrap(text: str, width: int, indent: int = 0, first: int | None = None) -> str:
    import textwrap

    start = " " * (indent if first is None else first)
    return textwrap.fill(text, width, initial_indent=start, subsequent_indent=" " * indent, break_on_hyphens=False, break_long_words=False)


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns: a name and its help, the help wrapped beside it (below it when the name is long)."""
    column = min(max((len(left) for left, _ in rows), default=0) + 4, 30)
    out = []
    for left, right in rows:
        head = f"  {left}"
        if len(head) + 2 > column:
            out.extend([head, _wrap(right, width, column)])
        else:
            out.append(head + _wrap(right, width, column, first=column)[len(head) :])
    return out


def _section(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    return ["", f"{title}:", *_rows(rows, width)] if rows else []


def top_help(lang: Reader) -> str:
    """`quyche --help`: usage, what quyche does, the options before a command, the commands with their summaries."""
    width = _width()
    usage = f"{_say('usage.title', lang)}: quyche [{_say('usage.options', lang)}] {_say('usage.command', lang)} [{_say('usage.arguments', lang)}]..."
    options = [(_flags(flags, choices), _say(key, lang)) for flags, key, choices in ROOT_OPTIONS]
    commands = [(name, _say(f"cli.cmd.{name}", lang)) for name in COMMANDS]
    lines = [usage, "", _wrap(_say("cli.help", lang), width)]
    lines += _section(_say("cli.panel.options", lang), options, width)
    lines += _section(_say("cli.panel.commands", lang), commands, width)
    lines += ["", _wrap(_say("usage.more", lang, command=f"quyche {_say('usage.command', lang)} --help"), width)]
    return "\n".join(lines) + "\n"


def _flags(flags: tuple[str, ...], choices: tuple[str, ...] | None) -> str:
    # {a|b}: a value to give, as in a command's options; [a|b]: one that may be left out (the shell).
    shown = "|".join(choices or ())
    return ", ".join(flags) + ("" if not choices else f" {{{shown}}}" if flags == ("--lang",) else f" [{shown}]")


def command_usage(command: Command, lang: Reader) -> str:
    words = [f"quyche {command.name}", f"[{_say('usage.options', lang)}]"]
    for param in command.params:
        if param.positional:
            name = metavar(param, lang) + ("..." if param.many else "")
            words.append(name if param.required else f"[{name}]")
    return " ".join(words)


def command_help(command: Command, lang: Reader) -> str:
    """`quyche CMD --help`: usage, the command's summary (and more), its arguments and options."""
    width = _width()
    lines = [f"{_say('usage.title', lang)}: {command_usage(command, lang)}", "", _wrap(_say(f"cli.cmd.{command.name}", lang), width)]
    if command.more:
        lines += ["", _wrap(_say(f"more.{command.name}", lang), width)]
    arguments = [(metavar(p, lang), _describe(p, lang)) for p in command.params if p.positional]
    options = [(_option(p, lang), _describe(p, lang)) for p in command.params if not p.positional]
    options.append(("--help", _say("root.help", lang)))
    lines += _section(_say("cli.panel.arguments", lang), arguments, width)
    lines += _section(_say("cli.panel.options", lang), options, width)
    return "\n".join(lines) + "\n"


def _option(param: Param, lang: Reader) -> str:
    return ", ".join(param.flags) + ("" if param.switch else " " + metavar(param, lang))


def _describe(param: Param, lang: Reader) -> str:
    words = _say(param.help, lang)
    if param.positional and param.choices:
        words += f" [{'|'.join(param.choices)}]"
    return words


def usage_error(err: UsageError, lang: Reader) -> str:
    """What a command line that cannot be read gets on stderr: the usage, where to find help, the reason."""
    command = COMMANDS.get(err.command or "")
    usage = (
        command_usage(command, lang)
        if command
        else f"quyche [{_say('usage.options', lang)}] {_say('usage.command', lang)} [{_say('usage.arguments', lang)}]..."
    )
    where = f"quyche {command.name} --help" if command else "quyche --help"
    from compliance.terminal import sanitise

    return f"{_say('usage.title', lang)}: {usage}\n{_say('usage.try', lang, command=where)}\nquyche: {sanitise(err.message)}\n"
