"""The `quyche` command line: a thin layer over engine and compliance (DESIGN.md contract).

Exit codes: 0 nothing violated; 1 at least one violation; 2 bad input (unreadable file,
invalid setup, DSL error) with a clear message and no traceback.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import sys
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional

from compliance import command_line, terminal
from compliance.catalogue import Lang as CatalogueLang
from compliance.catalogue import entries, text
from compliance.command_line import Format, GraphFormat, Lang, ReviewFormat, SchemaOf
from engine.message import msg

if TYPE_CHECKING:  # pragma: no cover
    from compliance.markup import Printer
    from compliance.setup_format import SetupData
    from engine import Program

# Each command imports what it uses, in its body: `quyche check` does not pay for the graph, the
# explanation, the review or the web app, and `quyche --help` for none of them. Their arguments
# and options are declared once, in compliance/command_line.py's table, which calls them.

__all__ = ["Format", "GraphFormat", "Lang", "ReviewFormat", "SchemaOf", "check_json", "check_report", "fail", "main", "run"]


def _out() -> Printer:
    from compliance.markup import styled_console

    # Off a terminal: no colour codes, no wrapping and no rich, so reports are byte-identical; a terminal wraps at word boundaries.
    # Markup is read because the renderers style their lines and escape every value they insert.
    return styled_console()


_reader: ContextVar[Lang | None] = command_line.reader  # the running command's --lang, set by command_line.run


def _lang() -> Lang:
    """The reader's language: the running command's --lang, else QUYCHE_LANG, else Vietnamese."""
    return _reader.get() or command_line.default_lang()


def fail(message: str) -> NoReturn:
    """Bad input: print the message on stderr and exit 2, never a traceback.

    The message is plain text, never markup: it may hold a path, a value or a rule id that
    contains brackets (``cao-lanh [draft].yaml``): it is escaped, and control characters are shown escaped.
    """
    from compliance.markup import escape, styled_console

    styled_console(stderr=True).print(f"[bold red]quyche:[/] {escape(message)}")
    raise SystemExit(2)


def _say(key: str, **args: object) -> str:
    return text(msg(f"loading.input.{key}", **args), _lang().value)  # type: ignore[arg-type]


def _reason(exc: OSError) -> str:
    """Why a file could not be used, in the reader's language (the system's own words only when unusual)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if f"command.os.{name}" in entries():
        return _tell(f"os.{name}")
    return exc.strerror or type(exc).__name__


def _tell(key: str, **args: Any) -> str:
    """A message of the command line's own (catalogue ``command.*``) in the reader's language."""
    return text(msg(f"command.{key}", **args), _lang().value)


def _program(regulations: Path | None) -> Program:
    from compliance.regulations import bundled_program, load_regulations
    from engine.diagnostics import RegulationError

    if regulations is not None and not regulations.is_dir():
        fail(_say("not_a_folder" if regulations.exists() else "no_folder", option="--regulations", path=str(regulations)))
    try:
        program = load_regulations(regulations) if regulations else bundled_program()
    except RegulationError as err:
        fail(_say("regulations_have_errors") + "\n" + str(err))
    except FileNotFoundError:
        fail(_tell("regulations_missing"))
    except OSError as err:
        fail(_say("cannot_read", path=str(regulations), reason=_reason(err)))
    if not program.documents:
        fail(_say("no_regulations", path=str(regulations) if regulations else "regulations/"))
    return program


def _setup(path: Path) -> SetupData:
    from compliance.loading import SetupError

    try:
        from compliance.intake import load_any  # here: the commands that read no setup do not pay for it

        return load_any(path)  # .yaml, .xlsx, .csv or - (stdin); a folder suggests `quyche audit`
    except SetupError as err:
        fail(_say("invalid_setup") + "\n" + err.render(_lang().value))


def _input_bytes(path: Path) -> bytes | None:
    """The input file's bytes for the receipt (None for standard input)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _as_of(value: Optional[str]) -> date:
    from compliance.findings import today_in_vietnam
    from compliance.loading import EARLIEST, LATEST

    if value is None:
        return today_in_vietnam()
    try:
        when = date.fromisoformat(value)
    except ValueError:
        fail(_say("as_of_format", value=value))
    if not EARLIEST <= when <= LATEST:
        fail(_say("as_of_range", value=value, earliest=EARLIEST, latest=LATEST))
    return when


def run(args: list[str]) -> int:
    """``quyche ARGS`` in this process: the exit code (the parsing, the help and the commands: compliance.command_line)."""
    return command_line.run(args)


# The commands. Their arguments, options, defaults and help: compliance/command_line.py's table.


def check(setup: Path, as_of: Optional[str], format: Format, lang: Lang, verbose: bool, explain_steps: bool, regulations: Optional[Path]) -> None:
    """Check a centre setup against every regulation that applies to it."""
    program = _program(regulations)
    parsed = _setup(setup)
    when = _as_of(as_of)
    shown_passes = format is Format.json or verbose  # the text report lists passes only with --verbose
    data, code = check_report(
        program, parsed, str(setup), when, _input_bytes(setup), regulations, compact=not shown_passes, steps=format is Format.json or explain_steps
    )
    if format is Format.json:
        sys.stdout.write(check_json(data))
    else:
        from compliance.naming import record_names
        from compliance.render import render_check  # and rich: JSON output does without

        render_check(_out(), data, parsed["centre"]["name"], lang.value, verbose, explain_steps, record_names(parsed))
    raise SystemExit(code)


def check_report(
    program: Program,
    parsed: SetupData,
    name: str,
    when: date,
    input_bytes: bytes | None = None,
    regulations: Path | None = None,
    *,
    compact: bool = False,
    steps: bool = True,
) -> tuple[dict[str, Any], int]:
    """`check`'s report (with its receipt) and exit code: one function for the CLI and the web API (`quyche serve`).

    ``compact``: satisfied and not applicable findings without their explanation (never built),
    for a text report that does not show them; ``steps``: the derivation steps, likewise."""
    from compliance.findings import exit_code, report
    from compliance.receipt import receipt
    from compliance.setup_facts import to_facts
    from engine.evaluate import evaluate

    facts = to_facts(parsed)
    evaluation = evaluate(program, facts, when)
    data = report(program, evaluation, name, facts, compact=compact, steps=steps)
    data["receipt"] = receipt(program, evaluation.documents, when, input_bytes, regulations)
    return data, exit_code(evaluation)


def check_json(data: dict[str, Any]) -> str:
    """`check --format json`'s exact text."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def explain_cmd(setup: Path, rule: str, as_of: Optional[str], lang: Lang, format: Format, regulations: Optional[Path]) -> None:
    """Show how one rule's verdict follows from the setup's facts, with the legal text."""
    from compliance.explanation import explanation
    from compliance.findings import exit_code
    from compliance.naming import record_names
    from compliance.receipt import receipt
    from compliance.render import render_explanation
    from compliance.setup_facts import to_facts
    from engine.evaluate import evaluate

    program = _program(regulations)
    parsed = _setup(setup)
    when = _as_of(as_of)
    evaluation = evaluate(program, to_facts(parsed), when)
    matches = [v for v in evaluation.verdicts if v.id == rule or v.id.split(".", 1)[-1] == rule]
    if not matches:
        import difflib

        names = {v.id: v.id for v in evaluation.verdicts} | {v.id.split(".", 1)[-1]: v.id for v in evaluation.verdicts}
        close = sorted({names[c] for c in difflib.get_close_matches(rule, list(names), n=3)})
        fail(_tell("explain.no_rule_hint", rule=rule, rules=tuple(close)) if close else _tell("explain.no_rule", rule=rule))
    if len(matches) > 1:
        fail(_tell("explain.ambiguous", rule=rule, rules=tuple(v.id for v in matches)))
    data = explanation(program, matches[0])
    data["receipt"] = receipt(program, [matches[0].document] if matches[0].document in program.documents else [], when, _input_bytes(setup), regulations)
    if format is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        render_explanation(_out(), data, lang.value, record_names(parsed))
    raise SystemExit(exit_code(matches))


def review_cmd(document: str, format: ReviewFormat, lang: Lang, as_of: Optional[str], verbose: bool, regulations: Optional[Path], seeds: Path) -> None:
    """Review a draft's text (numbering, references, citations, typos, figures …) or an encoded document (also its claims and what the program knows)."""
    from compliance.review.command import run_review  # imported here: the other commands do not need it

    code = run_review(document, format.value, lang.value, _as_of(as_of), verbose, regulations, seeds, _out(), fail)
    raise SystemExit(code)


def graph(format: GraphFormat, regulations: Optional[Path]) -> None:
    """Print the rule graph: documents, articles, rules, parameters, concepts and their links."""
    from engine.graph import build_graph, to_dot, to_graphml, to_json, to_mermaid

    g = build_graph(_program(regulations))
    writer = {"json": to_json, "dot": to_dot, "graphml": to_graphml, "mermaid": to_mermaid}[format.value]
    text = writer(g)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def verify(seeds: Optional[Path], regulations: Optional[Path], lang_opt: Lang) -> None:
    """Check that every provision is accounted for (literate files) and every quote stands verbatim in its source."""
    from compliance.literate import verify_literate
    from compliance.regulations import regulations_dir
    from engine.sources import verify_sources

    if seeds is None:  # the developers' default: absent in a plain clone, where the word-for-word check is skipped
        seeds = Path("../shared/seeds")
    elif not seeds.is_dir():  # a folder the user named must exist
        fail(_say("not_a_folder" if seeds.exists() else "no_folder", option="--seeds", path=str(seeds)))
    program = _program(regulations)
    lang: CatalogueLang = "vi" if lang_opt is Lang.vi else "en"
    literate = verify_literate(regulations or regulations_dir(), seeds, lang)
    problems, checked = ([], 0) if literate.seeds_absent else verify_sources(program, seeds)
    from compliance.rule_words import rule_word_problems

    problems = literate.problems + problems + rule_word_problems(program, lang)
    out = _out()
    for problem in problems:
        out.print(problem.format(), markup=False)
    if literate.seeds_absent:
        out.print(text(msg("literate.verify.seeds_absent", seeds=str(seeds)), lang), markup=False)
    summary = msg(
        "literate.verify.summary", files=literate.files, provisions=literate.provisions, missing=literate.missing, quotes=checked, problems=len(problems)
    )
    out.print(text(summary, lang), markup=False)
    raise SystemExit(1 if problems else 0)


def audit(
    directory: Path,
    as_of: Optional[str],
    out: Optional[Path],
    lang: Lang,
    quiet: bool,
    jobs: Optional[int],
    steps: bool,
    full: bool,
    regulations: Optional[Path],
) -> None:
    """Check every centre setup in a folder as of one date; a bad file is reported and the run goes on.

    Each centre is written as soon as it is checked; the report file appears only when complete
    (a failed run never replaces a previous report). Exit code: 0 nothing violated; 1 some
    centre violates a binding rule; 2 some file was bad (the report is still written for the
    others) or the folder cannot be used.
    """
    import os
    import tempfile

    from compliance import audit as auditing

    fmt = auditing.FORMATS.get(out.suffix.lower()) if out is not None else "text"
    if fmt is None:
        fail(_tell("audit.bad_out", name=out.name))  # type: ignore[union-attr]
    if not directory.is_dir():
        fail(_tell("folder.not_a_folder" if directory.exists() else "folder.missing", path=str(directory)))
    if next(auditing.iter_setups(directory), None) is None:
        fail(_tell("audit.no_setups", path=str(directory)))
    program = _program(regulations)
    when = _as_of(as_of)
    progress = None if quiet else auditing.progress_printer(lang.value)
    if out is None:
        totals = auditing.run(program, directory, when, sys.stdout, fmt, lang.value, jobs, steps, progress, regulations, full=full)
        raise SystemExit(totals.exit_code)
    tmp: str | None = None
    try:
        handle = tempfile.NamedTemporaryFile(
            "w", dir=out.resolve().parent, prefix=f".{out.name}.", suffix=".tmp", delete=False, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline=""
        )
        tmp = handle.name
        with handle:  # CSV: a byte-order mark so that spreadsheet programs read the Vietnamese correctly
            totals = auditing.run(program, directory, when, handle, fmt, lang.value, jobs, steps, progress, regulations, full=full)
        os.replace(tmp, out)  # only a complete report replaces the previous one
        tmp = None
    except OSError as exc:
        fail(_tell("cannot_write", path=str(out), reason=_reason(exc)))
    finally:
        if tmp is not None:
            os.unlink(tmp)
    if not quiet:
        sys.stderr.write(auditing.written_line(str(out), totals, lang.value) + "\n")
    raise SystemExit(totals.exit_code)


def calendar_cmd(setup: Path, year: Optional[int], out: Optional[Path], lang: Lang, regulations: Optional[Path]) -> None:
    """Write an iCalendar (.ics) of every reporting, meeting and review deadline of the setup in a year.

    Obligations whose text states no deadline get no event: they are listed on stderr and in
    the calendar's description. The output is byte-identical for the same inputs.
    """
    from compliance.calendar import build_calendar
    from compliance.findings import today_in_vietnam
    from compliance.terminal import SafeConsole as Console

    program = _program(regulations)
    parsed = _setup(setup)
    when = year if year is not None else today_in_vietnam().year
    if not 1900 <= when <= 2999:
        fail(_tell("calendar.bad_year", year=str(when)))
    result = build_calendar(program, parsed, when, lang.value)
    if out is not None:
        try:
            out.write_bytes(result.ics)
        except OSError as exc:
            fail(_tell("cannot_write", path=str(out), reason=_reason(exc)))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.ics)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in result.notes:
        err.print(note, markup=False)
    if out is not None:
        err.print(_tell("calendar.written", path=str(out), events=result.events, year=str(when)), markup=False)


def site(out: Path, regulations: Optional[Path], as_of: Optional[str], site_url: Optional[str], lang: Lang) -> None:
    """Generate the regulation pages and build the citizens' site (mkdocs build --strict), offline."""
    from compliance.catalogue import word
    from compliance.regulations import regulations_dir
    from compliance.site import SiteError, build_site
    from compliance.terminal import SafeConsole as Console

    program = _program(regulations)
    source_root = regulations.resolve().parent if regulations else regulations_dir().parent
    try:
        built = build_site(out, program, source_root, as_of=_as_of(as_of), site_url=site_url, lang=lang.value)
    except SiteError as exc:
        fail(str(exc))
    diagrams = word("site.diagrams.drawn" if built.mermaid else "site.diagrams.text", lang.value)
    summary = word(
        "site.built",
        lang.value,
        pages=built.pages,
        html=built.html_files,
        size=f"{built.bytes / 1e6:.1f}",
        seconds=f"{built.seconds:.1f}",
        out=str(built.out),
        diagrams=diagrams,
    )
    Console(stderr=True, highlight=False, soft_wrap=True).print(summary, markup=False)


def coverage_cmd(directory: Path, as_of: Optional[str], format: Format, regulations: Optional[Path], lang_opt: Lang) -> None:
    """How each document's provisions are accounted for (encoded, not a rule, gap), then which rules the setups exercise, in which outcomes."""
    from compliance.coverage import coverage, to_text

    if not directory.is_dir():
        fail(_tell("folder.not_a_folder" if directory.exists() else "folder.missing", path=str(directory)))
    from compliance.literate import coverage_json, coverage_text, literate_documents
    from compliance.regulations import regulations_dir

    program = _program(regulations)
    result = coverage(program, directory, _as_of(as_of) if as_of else None)
    root = regulations or regulations_dir()
    plain = sorted(d.number or d.id for d in program.documents.values() if d.status != "cited" and d.id not in literate_documents(root))
    if format is Format.json:
        data = {**result.as_dict(), "provisions": coverage_json(root), "without_literate_file": plain}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        lang: CatalogueLang = "vi" if lang_opt is Lang.vi else "en"
        sys.stdout.write(coverage_text(root, plain, lang) + "\n" + to_text(result, lang))
    raise SystemExit(2 if result.errors else 0)


def fmt_cmd(paths: list[Path], check: bool, write: bool, lang_opt: Lang) -> None:
    """Print the canonical form of regulation files (layout only, never a word)."""
    from compliance.literate import regulation_files
    from engine.formatting import format_file

    lang: CatalogueLang = "vi" if lang_opt is Lang.vi else "en"
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(regulation_files(path))
        elif path.suffix in (".quy", ".md") and path.is_file():
            files.append(path)
        else:
            fail(text(msg("literate.fmt.unknown", file=str(path)), lang))
    changed = 0
    out = _out()
    for path in files:
        try:
            original = path.read_text(encoding="utf-8")
        except OSError as err:
            fail(_tell("cannot_read", path=str(path), reason=_reason(err)))
        except UnicodeDecodeError as err:
            fail(_tell("cannot_read", path=str(path), reason=_tell("not_utf8", position=err.start)))
        canonical = format_file(path.name, original)
        if canonical != original:
            changed += 1
            if check:
                out.print(text(msg("literate.fmt.changed", file=str(path)), lang), markup=False)
            if write:
                path.write_text(canonical, encoding="utf-8")
        if not check and not write:
            sys.stdout.write(canonical)
    if check:
        out.print(text(msg("literate.fmt.summary", checked=len(files), changed=changed), lang), markup=False)
        raise SystemExit(1 if changed else 0)


def literate_cmd(seed: Path, main_body: Optional[str]) -> None:
    """Print the literate skeleton of a source document: its headings and verbatim text, to annotate."""
    from compliance.legaldoc import DocumentInputError, read_document
    from compliance.literate import skeleton

    try:
        _, source = read_document(str(seed))
    except DocumentInputError as err:
        fail(text(msg(err.key, **err.args_), _lang().value))
    front = {"seed": seed.name, **({"main": main_body} if main_body else {})}
    sys.stdout.write(skeleton(source, seed.name, front))


def schema(of: SchemaOf) -> None:
    """Print the JSON Schema of centre setups, or of the findings report."""
    from compliance.findings import Report
    from compliance.setup import Setup

    model = Setup if of is SchemaOf.setup else Report
    sys.stdout.write(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console-script entry point: output sanitised; a closed pipe and a full disk handled like Unix tools.

    A closed pipe (``quyche check … | head -1``) is quiet and the command's exit code stands
    (see ``terminal.SafeStream``); a full disk or another write error is exit 2 with a message.
    """
    terminal.install()
    # quyche uses no pydantic plugin: without this, building the first model scans the metadata of
    # every installed package for one (the first model is built here, before anything else can set it).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(100_000, 50, 100)  # one run builds many objects and keeps them: collect rarely (issue 10: −0.5 s at 10,000 staff)
    code: int | str | None = None
    try:
        try:
            code = command_line.run(sys.argv[1:])
        except SystemExit as done:
            code = done.code
        sys.stdout.flush()  # output is buffered when redirected: a full disk shows here
    except KeyboardInterrupt:  # pragma: no cover
        code = 130
    except terminal.OutputError as err:
        code = _output_failed(err.cause)
    sys.exit(code)


def _output_failed(cause: OSError) -> int:
    """Exit 2 with a message on stderr; nothing more goes to the stdout that failed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (OSError, ValueError):  # pragma: no cover
        pass
    argv = sys.argv[1:]
    lang = command_line.detect_lang(argv)
    reason = msg("loading.input.disk_full") if cause.errno == errno.ENOSPC else cause.strerror or type(cause).__name__
    message = text(msg("loading.input.cannot_write_output", reason=reason), lang)
    try:
        sys.stderr.write(f"quyche: {message}\n")
        sys.stderr.flush()
    except (OSError, terminal.OutputError):
        pass
    return 2


if __name__ == "__main__":
    main()
