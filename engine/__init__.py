"""quyche engine: DSL text → typed AST → rule graph → evaluation → explanation.

The engine knows nothing of YAML, the command line or HTML: it takes regulation files and
plain facts (mappings and lists) and returns verdicts with their evidence.
"""

import typing

from engine import phrase
from engine.ast import Document, Module, Rule
from engine.claims import ClaimResult, evaluate_claims
from engine.diagnostics import CODES, Diagnostic, RegulationError
from engine.evaluate import UNKNOWN, Context, Evaluation, Status, Verdict, doc_in_force, evaluate
from engine.explain import explain
from engine.facts import LABEL, PATHS, REF, record_ref, source_path
from engine.grammar import grammar_path
from engine.graph import build_graph, to_dot, to_graphml, to_json, to_mermaid
from engine.message import Arg, Message, Money, msg
from engine.program import Program, Vocabulary, build_program, load_program
from engine.schedule import TIMEZONE, Occurrence, occurrences
from engine.text import nfc, same_text, text_key

if typing.TYPE_CHECKING:  # pragma: no cover
    from engine.parser import parse_file, parse_text


_LAZY = ("parse_file", "parse_text")  # offered, imported on first use


def __getattr__(name: str) -> object:
    # The parser (and lark) is imported on first use: a cached program never parses.
    if name in _LAZY:
        from engine import parser

        return getattr(parser, name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")


__all__ = [
    "Arg",
    "LABEL",
    "Message",
    "Money",
    "Occurrence",
    "PATHS",
    "REF",
    "TIMEZONE",
    "grammar_path",
    "msg",
    "occurrences",
    "phrase",
    "record_ref",
    "source_path",
    "CODES",
    "ClaimResult",
    "Context",
    "Diagnostic",
    "Document",
    "Evaluation",
    "Module",
    "Program",
    "RegulationError",
    "Rule",
    "Status",
    "UNKNOWN",
    "Verdict",
    "Vocabulary",
    "build_graph",
    "build_program",
    "doc_in_force",
    "evaluate",
    "evaluate_claims",
    "explain",
    "load_program",
    "nfc",
    "parse_file",
    "parse_text",
    "same_text",
    "text_key",
    "to_dot",
    "to_graphml",
    "to_json",
    "to_mermaid",
]
