"""quyche engine: DSL text → typed AST → rule graph → evaluation → explanation.

The engine knows nothing of YAML, the command line or HTML: it takes regulation files and
plain facts (mappings and lists) and returns verdicts with their evidence.
"""

from typing import TYPE_CHECKING

from engine.ast import Document, Module, Rule
from engine.claims import ClaimResult, evaluate_claims
from engine.diagnostics import CODES, Diagnostic, RegulationError
from engine.evaluate import UNKNOWN, Context, Evaluation, Status, Verdict, doc_in_force, evaluate
from engine.explain import explain
from engine.graph import build_graph, to_dot, to_graphml, to_json, to_mermaid
from engine.program import Program, Vocabulary, build_program, load_program
from engine.text import nfc, same_text, text_key

if TYPE_CHECKING:  # pragma: no cover
    from engine.parser import parse_file, parse_text


def __getattr__(name: str) -> object:
    # The parser (and lark) is imported on first use: a cached program never parses.
    if name in ("parse_file", "parse_text"):
        from engine import parser

        return getattr(parser, name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")


__all__ = [
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
