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

from compliance.findings import exit_code, report, today_in_vietnam
from compliance.loading import SetupError, load_setup
from compliance.regulations import bundled_program, load_regulations
from compliance.render import render_check, render_explanation
from compliance.setup import Setup, to_facts
from engine import Program, RegulationError, build_graph, evaluate, explain, to_dot, to_graphml, to_json, to_mermaid

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
        render_check(_out(), data, parsed.centre.name, lang.value, verbose)
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
    seeds: Annotated[Path, typer.Option("--seeds", help="Folder of the source documents (seed texts).")] = Path("../shared/seeds"),
    regulations: RegulationsOpt = None,
) -> None:
    """Check that every quoted provision stands verbatim in its source document."""
    from engine.sources import verify_sources

    program = _program(regulations)
    problems, checked = verify_sources(program, seeds)
    out = _out()
    for problem in problems:
        out.print(problem.format(), markup=False)
    out.print(f"{checked} quotes checked, {len(problems)} problems", markup=False)
    raise typer.Exit(1 if problems else 0)


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
