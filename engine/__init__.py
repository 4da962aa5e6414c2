"""quyche engine: DSL text → typed AST → rule graph → evaluation → explanation.

The engine knows nothing of YAML, the command line or HTML: it takes regulation files and
plain facts (mappings and lists) and returns verdicts with their evidence.

The names below are imported on first use: ``import engine.message`` (the catalogue's one need)
imports nothing else, and a cached program never imports the parser (nor lark).
"""

import importlib
import sys
import types
import typing

if typing.TYPE_CHECKING:  # pragma: no cover
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
    from engine.parser import parse_file, parse_text
    from engine.program import Program, Vocabulary, build_program, load_program
    from engine.schedule import TIMEZONE, Occurrence, occurrences
    from engine.text import nfc, same_text, text_key

_LAZY = {  # name → the module that defines it, imported on first use
    **dict.fromkeys(("Document", "Module", "Rule"), "engine.ast"),
    **dict.fromkeys(("ClaimResult", "evaluate_claims"), "engine.claims"),
    **dict.fromkeys(("CODES", "Diagnostic", "RegulationError"), "engine.diagnostics"),
    **dict.fromkeys(("UNKNOWN", "Context", "Evaluation", "Status", "Verdict", "doc_in_force", "evaluate"), "engine.evaluate"),
    "explain": "engine.explain",
    **dict.fromkeys(("LABEL", "PATHS", "REF", "record_ref", "source_path"), "engine.facts"),
    "grammar_path": "engine.grammar",
    **dict.fromkeys(("build_graph", "to_dot", "to_graphml", "to_json", "to_mermaid"), "engine.graph"),
    **dict.fromkeys(("Arg", "Message", "Money", "msg"), "engine.message"),
    **dict.fromkeys(("parse_file", "parse_text"), "engine.parser"),
    **dict.fromkeys(("Program", "Vocabulary", "build_program", "load_program"), "engine.program"),
    **dict.fromkeys(("TIMEZONE", "Occurrence", "occurrences"), "engine.schedule"),
    **dict.fromkeys(("nfc", "same_text", "text_key"), "engine.text"),
    "phrase": "engine.phrase",
}
_SUBMODULES = ("phrase",)  # a module offered as a name

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


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name])
    value = module if name in _SUBMODULES else getattr(module, name)
    globals()[name] = value  # looked up once
    return value


class _Package(types.ModuleType):
    """``engine.evaluate`` and ``engine.explain`` are the functions, as they always were, though
    modules of the same names exist: importing such a module does not rebind the name."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == f"{__name__}.{name}" and name not in _SUBMODULES:
            return  # the import system binding the submodule; __getattr__ gives the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
