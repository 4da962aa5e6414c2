"""The `quyche` command line: a thin layer over engine and compliance (DESIGN.md contract).

Exit codes: 0 nothing violated; 1 at least one violation; 2 bad input (unreadable file,
invalid setup, DSL error) with a clear message and no traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console

from compliance.catalogue import Lang as CatalogueLang
from compliance.catalogue import text as catalogue_text
from compliance.findings import exit_code, report, today_in_vietnam
from compliance.loading import SetupError, load_setup
from compliance.regulations import bundled_program, load_regulations, regulations_dir
from compliance.render import render_check, render_explanation
from compliance.setup import Setup, to_facts
from engine import Program, RegulationError, build_graph, evaluate, explain, to_dot, to_graphml, to_json, to_mermaid
from engine.message import msg

__all__ = ["app", "main"]

app = typer.Typer(
    name="quyche",
    help="quyche — quy chế as code: check smart operations centres (IOC) against their regulations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def _out() -> Console:
    # Not a terminal: no colour codes and no wrapping, so reports are byte-identical.
    return Console(highlight=False, soft_wrap=True, emoji=False)


def fail(message: str) -> NoReturn:
    """Bad input: print the message on stderr and exit 2, never a traceback."""
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]quyche:[/] {message}", markup=True)
    raise typer.Exit(2)


def _program(regulations: Path | None) -> Program:
    try:
        return load_regulations(regulations) if regulations else bundled_program()
    except RegulationError as err:
        fail("regulation files have errors:\n" + str(err))
    except FileNotFoundError as err:
        fail(str(err))


def _setup(path: Path) -> Setup:
    try:
        return load_setup(path)
    except SetupError as err:
        fail("invalid setup:\n" + str(err))


def _as_of(value: Optional[str]) -> date:
    if value is None:
        return today_in_vietnam()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {value!r}")


AsOf = Annotated[Optional[str], typer.Option("--as-of", help="Evaluate as of this date (YYYY-MM-DD); default: today in Asia/Ho_Chi_Minh.")]
RegulationsOpt = Annotated[Optional[Path], typer.Option("--regulations", help="Use regulation files from this folder instead of the bundled ones.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages: vi (default) or en.")]


@app.command()
def check(
    setup: Annotated[Path, typer.Argument(help="Centre setup (YAML).")],
    as_of: AsOf = None,
    format: Annotated[Format, typer.Option("--format", help="text (default) or json.")] = Format.text,
    lang: LangOpt = Lang.vi,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list satisfied and not-applicable rules.")] = False,
    explain_steps: Annotated[bool, typer.Option("--explain", help="Also print the derivation of every violated or unknown finding.")] = False,
    regulations: RegulationsOpt = None,
) -> None:
    """Check a centre setup against every regulation that applies to it."""
    program = _program(regulations)
    parsed = _setup(setup)
    when = _as_of(as_of)
    evaluation = evaluate(program, to_facts(parsed), when)
    data = report(program, evaluation, str(setup))
    if format is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        render_check(_out(), data, parsed.centre.name, lang.value, verbose, explain_steps)
    raise typer.Exit(exit_code(evaluation))


@app.command(name="explain")
def explain_cmd(
    setup: Annotated[Path, typer.Argument(help="Centre setup (YAML).")],
    rule: Annotated[str, typer.Argument(help="Rule id, e.g. qd953_2023.giam_doc (the part after the dot is enough when unique).")],
    as_of: AsOf = None,
    lang: LangOpt = Lang.vi,
    format: Annotated[Format, typer.Option("--format", help="text (default) or json.")] = Format.text,
    regulations: RegulationsOpt = None,
) -> None:
    """Show how one rule's verdict follows from the setup's facts, with the legal text."""
    program = _program(regulations)
    parsed = _setup(setup)
    evaluation = evaluate(program, to_facts(parsed), _as_of(as_of))
    matches = [v for v in evaluation.verdicts if v.id == rule or v.id.split(".", 1)[-1] == rule]
    if not matches:
        import difflib

        names = {v.id: v.id for v in evaluation.verdicts} | {v.id.split(".", 1)[-1]: v.id for v in evaluation.verdicts}
        close = sorted({names[c] for c in difflib.get_close_matches(rule, list(names), n=3)})
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        fail(f"no rule {rule!r} applies to this setup.{hint} (`quyche graph` lists every rule.)")
    if len(matches) > 1:
        fail(f"{rule!r} is ambiguous: " + ", ".join(v.id for v in matches))
    data = explain(program, matches[0], lang.value)
    if format is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        render_explanation(_out(), data, lang.value)
    raise typer.Exit(1 if matches[0].status.value == "violated" and matches[0].binding else 0)


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


@app.command(name="review")
def review_cmd(
    document: Annotated[str, typer.Argument(help="Document id (qd4037_2024), official number, a .quy file, or a draft's text: .txt, .md, .docx, - (stdin).")],
    format: Annotated[ReviewFormat, typer.Option("--format", help="text (default), json or sarif (SARIF 2.1.0).")] = ReviewFormat.text,
    lang: LangOpt = Lang.vi,
    as_of: AsOf = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list figures that add up and provisions not modelled.")] = False,
    regulations: RegulationsOpt = None,
    seeds: Annotated[Path, typer.Option("--seeds", help="Folder of the source texts of encoded documents.")] = Path("../shared/seeds"),
) -> None:
    """Review a draft's text (numbering, references, citations, typos, figures …) or an encoded document (also its claims and what the program knows)."""
    from compliance.review.command import run_review  # imported here: the other commands do not need it

    code = run_review(document, format.value, lang.value, _as_of(as_of), verbose, regulations, seeds, _out(), fail)
    raise typer.Exit(code)


@app.command()
def graph(
    format: Annotated[GraphFormat, typer.Option("--format", help="json (networkx node-link), dot, graphml or mermaid.")] = GraphFormat.json,
    regulations: RegulationsOpt = None,
) -> None:
    """Print the rule graph: documents, articles, rules, parameters, concepts and their links."""
    g = build_graph(_program(regulations))
    writer = {"json": to_json, "dot": to_dot, "graphml": to_graphml, "mermaid": to_mermaid}[format.value]
    text = writer(g)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
def verify(
    seeds: Annotated[
        Path, typer.Option("--seeds", help="Folder of the source documents (seed texts); when absent, only structure and accounting are checked.")
    ] = Path("../shared/seeds"),
    regulations: RegulationsOpt = None,
    lang_opt: LangOpt = Lang.vi,
) -> None:
    """Check that every provision is accounted for (literate files) and every quote stands verbatim in its source."""
    from compliance.literate import verify_literate
    from engine.sources import verify_sources

    program = _program(regulations)
    lang: CatalogueLang = "vi" if lang_opt is Lang.vi else "en"
    literate = verify_literate(regulations or regulations_dir(), seeds, lang)
    problems, checked = ([], 0) if literate.seeds_absent else verify_sources(program, seeds)
    problems = literate.problems + problems
    out = _out()
    for problem in problems:
        out.print(problem.format(), markup=False)
    if literate.seeds_absent:
        out.print(catalogue_text(msg("literate.verify.seeds_absent", seeds=str(seeds)), lang), markup=False)
    summary = msg(
        "literate.verify.summary", files=literate.files, provisions=literate.provisions, missing=literate.missing, quotes=checked, problems=len(problems)
    )
    out.print(catalogue_text(summary, lang), markup=False)
    raise typer.Exit(1 if problems else 0)


@app.command()
def audit(
    directory: Annotated[Path, typer.Argument(help="Folder of centre setups (*.yaml, *.yml, searched recursively).")],
    as_of: AsOf = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", help="Write the report to FILE.html, FILE.csv or FILE.json; without it, a text summary goes to stdout.")
    ] = None,
    lang: LangOpt = Lang.vi,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
    regulations: RegulationsOpt = None,
) -> None:
    """Check every centre setup in a folder as of one date; a bad file is reported and the run goes on.

    Exit code: 0 nothing violated; 1 some centre violates a binding rule; 2 some file was bad
    (the report is still written for the others) or the folder cannot be used.
    """
    from compliance import audit as auditing

    writers = {".html": auditing.to_html, ".htm": auditing.to_html, ".csv": auditing.to_csv, ".json": None}
    if out is not None and out.suffix.lower() not in writers:
        fail(f"--out must end with .html, .csv or .json, not {out.name!r}")
    if not directory.is_dir():
        fail(f"{directory}: not a folder" if directory.exists() else f"{directory}: no such folder")
    if not auditing.find_setups(directory):
        fail(f"{directory}: no *.yaml or *.yml setup files found")
    program = _program(regulations)
    when = _as_of(as_of)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    labels = auditing.LABELS[lang.value]

    def progress(i: int, total: int, name: str, entry: dict) -> None:
        if quiet:
            return
        if "error" in entry:
            err.print(f"[{i}/{total}] {name}: {auditing._T[lang.value]['error']}", markup=False)
        else:
            counts = ", ".join(f"{labels[s]} {entry['summary'].get(s, 0)}" for s in ("violated", "unknown"))
            err.print(f"[{i}/{total}] {name}: {counts}", markup=False)

    result = auditing.audit(program, directory, when, progress)
    if out is None:
        sys.stdout.write(auditing.to_text(result, lang.value))
    else:
        suffix = out.suffix.lower()
        try:
            if suffix == ".csv":
                # A byte-order mark so that spreadsheet programs read the Vietnamese correctly.
                out.write_text(auditing.to_csv(result, lang.value), encoding="utf-8-sig", newline="")
            elif suffix == ".json":
                out.write_text(auditing.to_json(result), encoding="utf-8")
            else:
                out.write_text(auditing.to_html(result, lang.value), encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        if not quiet:
            t = result["totals"]
            err.print(f"{out}: {t['centres']} centres, {t['centres_violated']} with violations, {t['bad_files']} bad files", markup=False)
    raise typer.Exit(auditing.audit_exit_code(result))


@app.command(name="calendar")
def calendar_cmd(
    setup: Annotated[Path, typer.Argument(help="Centre setup (YAML).")],
    year: Annotated[Optional[int], typer.Option("--year", help="Calendar year; default: this year in Asia/Ho_Chi_Minh.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the iCalendar to FILE.ics instead of stdout.")] = None,
    lang: LangOpt = Lang.vi,
    regulations: RegulationsOpt = None,
) -> None:
    """Write an iCalendar (.ics) of every reporting, meeting and review deadline of the setup in a year.

    Obligations whose text states no deadline get no event: they are listed on stderr and in
    the calendar's description. The output is byte-identical for the same inputs.
    """
    from compliance.calendar import build_calendar

    program = _program(regulations)
    parsed = _setup(setup)
    when = year if year is not None else today_in_vietnam().year
    if not 1900 <= when <= 2999:
        fail(f"--year must be a year between 1900 and 2999, not {when}")
    result = build_calendar(program, parsed, when, lang.value)
    if out is not None:
        try:
            out.write_bytes(result.ics)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
    else:
        typer.echo(result.ics, nl=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in result.notes:
        err.print(note, markup=False)
    if out is not None:
        err.print(f"{out}: {result.events} events ({when})", markup=False)


@app.command()
def site(
    out: Annotated[Path, typer.Option("--out", help="Folder to build the site into.")] = Path("site"),
    regulations: RegulationsOpt = None,
) -> None:
    """Generate the regulation pages and build the citizens' site (mkdocs build --strict), offline."""
    from compliance.regulations import regulations_dir
    from compliance.site import SiteError, build_site

    program = _program(regulations)
    source_root = regulations.resolve().parent if regulations else regulations_dir().parent
    try:
        built = build_site(out, program, source_root)
    except SiteError as exc:
        fail(str(exc))
    diagrams = "diagrams drawn offline" if built.mermaid else "diagrams shown as text (no mermaid.min.js)"
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"site: {built.pages} generated pages, {built.html_files} HTML files, {built.bytes / 1e6:.1f} MB in {built.seconds:.1f} s → {built.out} ({diagrams})",
        markup=False,
    )


@app.command(name="coverage")
def coverage_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder of setups (default: the bundled examples).")] = Path("examples"),
    as_of: AsOf = None,
    format: Annotated[Format, typer.Option("--format", help="text (default) or json.")] = Format.text,
    regulations: RegulationsOpt = None,
    lang_opt: LangOpt = Lang.vi,
) -> None:
    """How each document's provisions are accounted for (encoded, not a rule, gap), then which rules the setups exercise, in which outcomes."""
    from compliance.coverage import coverage, to_text

    if not directory.is_dir():
        fail(f"{directory}: not a folder")
    from compliance.literate import coverage_json, coverage_text, literate_documents

    program = _program(regulations)
    result = coverage(program, directory, _as_of(as_of) if as_of else None)
    root = regulations or regulations_dir()
    plain = sorted(d.number or d.id for d in program.documents.values() if d.status != "cited" and d.id not in literate_documents(root))
    if format is Format.json:
        data = {**result.as_dict(), "provisions": coverage_json(root), "without_literate_file": plain}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write(coverage_text(root, plain, "vi" if lang_opt is Lang.vi else "en") + "\n" + to_text(result))
    raise typer.Exit(2 if result.errors else 0)


@app.command(name="fmt")
def fmt_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Regulation files (.quy, literate .md) or folders of them.")],
    check: Annotated[bool, typer.Option("--check", help="Only say which files are not in canonical form (exit 1 if any).")] = False,
    write: Annotated[bool, typer.Option("--write", help="Rewrite the files in canonical form.")] = False,
    lang_opt: LangOpt = Lang.vi,
) -> None:
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
            fail(catalogue_text(msg("literate.fmt.unknown", file=str(path)), lang))
    changed = 0
    out = _out()
    for path in files:
        try:
            original = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            fail(f"{path}: {err}")
        canonical = format_file(path.name, original)
        if canonical != original:
            changed += 1
            if check:
                out.print(catalogue_text(msg("literate.fmt.changed", file=str(path)), lang), markup=False)
            if write:
                path.write_text(canonical, encoding="utf-8")
        if not check and not write:
            sys.stdout.write(canonical)
    if check:
        out.print(catalogue_text(msg("literate.fmt.summary", checked=len(files), changed=changed), lang), markup=False)
        raise typer.Exit(1 if changed else 0)


@app.command(name="literate")
def literate_cmd(
    seed: Annotated[Path, typer.Argument(help="The source text of a document (.txt, .md, .docx).")],
    main_body: Annotated[Optional[str], typer.Option("--main", help="The body whose articles are cited without suffix (e.g. 'Quy chế').")] = None,
) -> None:
    """Print the literate skeleton of a source document: its headings and verbatim text, to annotate."""
    from compliance.legaldoc import DocumentInputError, read_document
    from compliance.literate import skeleton

    try:
        _, source = read_document(str(seed))
    except DocumentInputError as err:
        fail(catalogue_text(msg(err.key, **err.args_), "vi"))
    front = {"seed": seed.name, **({"main": main_body} if main_body else {})}
    sys.stdout.write(skeleton(source, seed.name, front))


@app.command()
def schema() -> None:
    """Print the JSON Schema of centre setups."""
    sys.stdout.write(json.dumps(Setup.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
