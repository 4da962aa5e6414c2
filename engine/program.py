"""Modules → one checked Program: every document, rule, parameter and event, cross-referenced.

Semantic checks run here, after parsing and before any evaluation: duplicate identifiers,
unknown references, missing provenance, numbers that the verbatim text does not contain, and
(when a vocabulary is given) unknown collections and fields. All problems of a stage are
reported together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

from engine import ast
from engine.diagnostics import Diagnostic, RegulationError
from engine.text import squash_spaces, text_key

__all__ = ["Program", "Vocabulary", "load_program", "build_program", "number_spellings"]


@dataclass(frozen=True)
class Vocabulary:
    """The collections and fields a setup can provide; lets the checker catch typos in rules.

    ``collections`` maps a collection name to its record fields; ``nested`` maps a nested
    collection name (for ``count(allowances ...)``) to its fields; ``centre`` lists the
    centre's own fields. The engine does not know where these come from (compliance does).
    """

    centre: frozenset[str]
    collections: dict[str, frozenset[str]]
    nested: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class Program:
    modules: list[ast.Module]
    documents: dict[str, ast.Document] = field(default_factory=dict)
    rules: dict[str, ast.Rule] = field(default_factory=dict)
    obligations: dict[str, ast.Obligation] = field(default_factory=dict)
    claims: dict[str, ast.Claim] = field(default_factory=dict)
    gaps: dict[str, ast.Gap] = field(default_factory=dict)
    parameters: dict[str, ast.Parameter] = field(default_factory=dict)
    events: dict[str, ast.Event] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def by_number(self, number: str) -> ast.Document | None:
        """The document whose official number (or id) is ``number``, compared as text."""
        key = text_key(number)
        for doc in self.documents.values():
            if text_key(doc.id) == key or (doc.number and text_key(doc.number) == key):
                return doc
        return None

    def statements_of(self, doc_id: str) -> Iterator[ast.Rule | ast.Obligation | ast.Claim | ast.Gap]:
        for table in (self.rules, self.obligations, self.claims, self.gaps):
            for item in table.values():
                if item.document == doc_id:
                    yield item

    def parameter_at(self, name: str, when: date) -> ast.ParameterValue | None:
        """The parameter's value in force on ``when``: the last one whose start is not after it."""
        param = self.parameters.get(name)
        if param is None:
            return None
        current = None
        for value in param.values:
            if value.start <= when:
                current = value
        return current


def _where(span: ast.Span | None) -> dict[str, Any]:
    if span is None:
        return {}
    return {"file": span.file, "line": span.line, "column": span.column}


def number_spellings(value: Decimal) -> set[str]:
    """How a number may be written in Vietnamese legal text: 2 / 02, 1,5, 1.000.000."""
    spellings: set[str] = set()
    if value == value.to_integral_value():
        n = int(value)
        spellings |= {str(n), f"{n:02d}", f"{n:,}".replace(",", ".")}
    else:
        plain = format(value.normalize(), "f")
        whole, frac = plain.split(".")
        spellings |= {plain.replace(".", ","), f"{int(whole):,}".replace(",", ".") + "," + frac}
    return spellings


def _numbers_in(node: object) -> Iterator[tuple[Decimal, ast.Span | None]]:
    """Numeric literals and cardinalities in an expression or constraint (parameters excluded)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Literal) and isinstance(n.value, Decimal):
            yield n.value, n.span
        elif isinstance(n, ast.Cardinality):
            for bound in sorted(b for b in {n.low, n.high} if b is not None):
                yield Decimal(bound), None


def _appears(value: Decimal, text: str) -> bool:
    for spelling in number_spellings(value):
        if re.search(rf"(?<![\d.,]){re.escape(spelling)}(?![\d]|[.,]\d)", text):
            return True
    return False


def _paths(node: object, inside: str | None = None) -> Iterator[tuple[ast.Path, str | None]]:
    """Every path with the collection it is evaluated against (None: centre or parameter)."""
    if isinstance(node, ast.Path):
        yield node, inside
    elif isinstance(node, ast.OVER_RECORDS):
        for name in node.__dataclass_fields__:
            if name not in ("span", "collection"):
                yield from _paths(getattr(node, name), node.collection)
    elif isinstance(node, (ast.CountExpr, ast.SumExpr)):
        yield from _paths(node.where, node.collection)
    elif isinstance(node, tuple):
        for item in node:
            yield from _paths(item, inside)
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            if name != "span":
                yield from _paths(getattr(node, name), inside)


def _collections(node: object) -> Iterator[tuple[str, ast.Span | None, bool]]:
    """Collections a constraint or expression ranges over; True when nested (count(...))."""
    for n in ast.walk(node):
        if isinstance(n, ast.OVER_RECORDS):
            yield n.collection, n.span, False
        elif isinstance(n, (ast.CountExpr, ast.SumExpr)):
            yield n.collection, n.span, True


class _Checker:
    def __init__(self, program: Program, vocabulary: Vocabulary | None) -> None:
        self.p = program
        self.vocab = vocabulary
        self.errors: list[Diagnostic] = []

    def error(self, code: str, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(code, message, hint=hint, **_where(span)))

    def run(self) -> None:
        known_docs = set(self.p.documents)
        referable = known_docs | set(self.p.parameters) | set(self.p.rules)
        for doc in self.p.documents.values():
            if not doc.number:
                self.error("Q012", f"document {doc.id} has no official number", doc.span)
            for link in doc.links:
                if link.target not in known_docs:
                    self.error(
                        "Q011",
                        f"document {doc.id} {link.kind} unknown document {link.target!r}",
                        link.span or doc.span,
                        hint=self._suggest(link.target, known_docs),
                    )
            if doc.applies:
                self._check_paths(doc.applies.condition, doc.span)
        for kind, table in (("rule", self.p.rules), ("obligation", self.p.obligations), ("claim", self.p.claims), ("gap", self.p.gaps)):
            for item in table.values():
                if item.locator is None or not item.text:
                    missing = "locator ('at')" if item.locator is None else "verbatim text ('text')"
                    self.error(
                        "Q012",
                        f"{kind} {item.id} has no {missing}: no rule without provenance",
                        item.span,
                        hint='add: at "<locator>" and text "<the provision, verbatim>"',
                    )
        for rule in self.p.rules.values():
            if not rule.requires:
                self.error("Q015", f"rule {rule.id} requires nothing", rule.span, hint="add at least one 'require …' line, or make it a gap")
            for ref in rule.overrides:
                if self._resolve_rule(ref, rule.document) is None:
                    self.error("Q011", f"rule {rule.id} overrides unknown rule {ref!r}", rule.span)
            for ref in rule.uses:
                if ref not in referable:
                    self.error("Q011", f"rule {rule.id} uses unknown {ref!r}", rule.span, hint=self._suggest(ref, referable))
            self._check_numbers(rule.id, (rule.requires, rule.when), rule.text, rule.span)
            self._check_paths((rule.requires, rule.when), rule.span)
            for c in rule.requires:
                if isinstance(c, ast.Count) and c.per and self.vocab is not None:
                    fields = self.vocab.collections.get(c.collection, frozenset())
                    if c.per not in fields:
                        self.error("Q014", f"unknown field {c.per!r} of {c.collection} (after 'per')", c.span or rule.span, hint=self._suggest(c.per, fields))
        for ob in self.p.obligations.values():
            if not ob.deadlines:
                self.error("Q015", f"obligation {ob.id} has no 'due' line (use 'due unstated' when the text gives none)", ob.span)
            for deadline in ob.deadlines:
                if deadline.day is not None and ob.text and not _appears(Decimal(deadline.day), ob.text):
                    self.error("Q013", f"obligation {ob.id}: day {deadline.day} does not appear in its text", ob.span)
            if self.vocab and ob.per is not None:
                field_name, source = ob.per
                if field_name not in self.vocab.collections.get(source, frozenset()):
                    self.error("Q014", f"obligation {ob.id}: per {field_name} of {source}: no such collection field", ob.span)
                if field_name not in self.vocab.collections.get(ob.record, frozenset()):
                    self.error("Q014", f"obligation {ob.id}: the log '{ob.record}' has no field '{field_name}' to tell groups apart", ob.span)
            if self.vocab and ob.record not in self.vocab.collections:
                self.error(
                    "Q014",
                    f"obligation {ob.id} records into unknown collection {ob.record!r}",
                    ob.span,
                    hint=self._suggest(ob.record, set(self.vocab.collections)),
                )
        claim_names: dict[str, set[str]] = {}
        for claim in self.p.claims.values():
            claim_names.setdefault(claim.document, set()).update({claim.id, claim.id.split(".", 1)[-1]})
        for claim in self.p.claims.values():
            if claim.stated is None:
                self.error("Q015", f"claim {claim.id} states no figure ('stated …')", claim.span)
            self._check_numbers(claim.id, claim.stated, claim.text, claim.span)
            # A claim may name another claim of its document: that claim's stated figure.
            self._check_paths((claim.stated, claim.computed), claim.span, claim_names[claim.document])
        for param in self.p.parameters.values():
            if not param.values:
                self.error("Q015", f"parameter {param.id} has no value", param.span)
        for event in self.p.events.values():
            if event.on is None or not event.source:
                self.error("Q012", f"event {event.id} needs a date ('on') and a source", event.span)

    def _resolve_rule(self, ref: str, doc: str) -> str | None:
        for candidate in (ref, f"{doc}.{ref}"):
            if candidate in self.p.rules:
                return candidate
        return None

    @staticmethod
    def _suggest(name: str, known: Iterable[str]) -> str | None:
        import difflib

        close = difflib.get_close_matches(name, sorted(known), n=1)
        return f"did you mean {close[0]!r}?" if close else None

    def _check_numbers(self, owner: str, node: object, text: str | None, span: ast.Span | None) -> None:
        if not text:
            return
        squashed = squash_spaces(text)
        for value, where in _numbers_in(node):
            # 0 and 1 express existence and uniqueness ("a Giám đốc", "has any"), not figures.
            if value in (0, 1):
                continue
            if not _appears(value, squashed):
                self.error(
                    "Q013",
                    f"{owner}: the number {value} does not appear in its verbatim text",
                    where or span,
                    hint="numbers come from the source text or a dated parameter",
                )

    def _check_paths(self, node: object, span: ast.Span | None, names: Iterable[str] = ()) -> None:
        """Unknown collections, fields and names; ``names`` are further names allowed outside collections."""
        if self.vocab is None:
            return
        names = set(names)
        for name, where, nested in _collections(node):
            known = self.vocab.nested if nested else self.vocab.collections
            if name not in known and not (nested and name in self.vocab.collections):
                self.error("Q014", f"unknown collection {name!r}", where or span, hint=self._suggest(name, set(known)))
        for path, inside in _paths(node):
            head = path.parts[0]
            if head == "centre":
                if len(path.parts) < 2 or path.parts[1] not in self.vocab.centre:
                    field_name = path.parts[1] if len(path.parts) > 1 else ""
                    self.error("Q014", f"unknown centre field {field_name!r}", path.span or span, hint=self._suggest(field_name, self.vocab.centre))
            elif head in self.p.parameters or (inside is None and len(path.parts) == 1 and head in names):
                continue
            elif inside is not None:
                fields = self.vocab.collections.get(inside) or self.vocab.nested.get(inside) or frozenset()
                if head not in fields:
                    self.error("Q014", f"unknown field {head!r} of {inside}", path.span or span, hint=self._suggest(head, fields))
            else:
                self.error(
                    "Q014",
                    f"unknown name {head!r}: not a parameter, and outside any collection",
                    path.span or span,
                    hint=self._suggest(head, set(self.p.parameters) | names),
                )


def build_program(modules: Iterable[ast.Module], vocabulary: Vocabulary | None = None) -> Program:
    """Index ``modules`` into one Program and run the semantic checks; raise on any error."""
    program = Program(modules=list(modules))
    duplicates: list[Diagnostic] = []
    for module in program.modules:
        tables: tuple[tuple[dict[str, Any], Sequence[Any]], ...] = (
            (program.documents, module.documents),
            (program.rules, module.rules),
            (program.obligations, module.obligations),
            (program.claims, module.claims),
            (program.gaps, module.gaps),
            (program.parameters, module.parameters),
            (program.events, module.events),
        )
        for table, items in tables:
            for item in items:
                if item.id in table:
                    first = table[item.id].span
                    duplicates.append(Diagnostic("Q010", f"duplicate identifier {item.id!r} (first declared at {first})", **_where(item.span)))
                else:
                    table[item.id] = item
    checker = _Checker(program, vocabulary)
    checker.run()
    errors = duplicates + checker.errors
    if errors:
        raise RegulationError(errors)
    return program


def _dsl_files(root: FsPath) -> list[FsPath]:
    # A regulation is a .quy file or a literate .md file (engine.literate); READMEs are not.
    return sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix == ".quy" or (p.suffix == ".md" and p.name.lower() != "readme.md")))


def load_program(paths: FsPath | str | Iterable[FsPath | str], vocabulary: Vocabulary | None = None, base: FsPath | None = None) -> Program:
    """Parse every ``*.quy`` file under ``paths`` (files or folders) and build the Program.

    Syntax errors in several files are all reported (one RegulationError), not just the first.
    """
    from engine.literate import is_literate, parse_literate_file  # here: a cached program never needs the parser (lark)
    from engine.parser import parse_file

    if isinstance(paths, (str, FsPath)):
        paths = [paths]
    files: list[FsPath] = []
    for entry in paths:
        entry = FsPath(entry)
        files.extend(_dsl_files(entry) if entry.is_dir() else [entry])
    modules: list[ast.Module] = []
    errors: list[Diagnostic] = []
    for file in files:
        shown = str(file.relative_to(base)) if base and file.is_relative_to(base) else str(file)
        try:
            modules.append(parse_literate_file(file, shown) if is_literate(file) else parse_file(file, shown))
        except RegulationError as err:
            errors.extend(err.diagnostics)
    if errors:
        raise RegulationError(errors)
    return build_program(modules, vocabulary)
