"""DSL text → typed AST (engine.ast), with syntax errors that point at line and column.

The grammar is ``grammar/quyche.lark`` (shipped inside the package as ``engine/grammar`` in a
wheel). Lark parses with LALR in strict mode, so an ambiguity in the grammar is an error at
build time rather than a surprise at parse time.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from engine import ast
from engine.diagnostics import Diagnostic, RegulationError
from engine.grammar import grammar_path
from engine.text import nfc, squash_spaces

__all__ = ["MAX_DIGITS", "MAX_NESTING", "parse_text", "parse_file"]

# What one regulation file may ask of the engine. The bundled files nest 11 levels and their
# longest number has 10 digits; the limits keep every later stage (transformer, checker,
# evaluation, printer, cache) far from Python's recursion limit and int()'s 4,300-digit limit.
MAX_NESTING = 100  # levels of the parse tree: chained and/or, nested not, lists, parentheses
MAX_DIGITS = 20  # digits in one number (article, day, amount, locator "Điều 12")
_LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Readable names for the terminals a syntax error may say were expected.
_TERMINAL_NAMES = {
    "STRING": 'a quoted string ("...")',
    "ID": "an identifier",
    "NAME": "a name",
    "DATE": "a date (YYYY-MM-DD)",
    "NUMBER": "a number",
    "INT": "a whole number",
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LPAR": '"("',
    "RPAR": '")"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "COMMA": '","',
    "DOT": '"."',
    "COMPARATOR": "a comparison (=, !=, <, <=, >, >=)",
    "WEEKDAY": "a weekday (monday … sunday)",
    "TIME": "a time (HH:MM)",
    "LINK": "a link (cites, derives_from, amends, supersedes, implements, known_through)",
    "CHANGE_SUBJECT": "body, unit, province or level",
    "UNIT": "a unit (VND)",
    "ADD_OP": '"+" or "-"',
    "MUL_OP": '"*" or "/"',
    "$END": "the end of the file",
}


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,  # the strict LALR build costs ~0.2 s; Lark caches it keyed by grammar and options
    )


def _describe_expected(expected: set[str]) -> str:
    names: list[str] = []
    for term in sorted(expected):
        if term in _TERMINAL_NAMES:
            names.append(_TERMINAL_NAMES[term])
        else:
            pattern = _parser().get_terminal(term).pattern
            names.append(f'"{pattern.value}"' if pattern.type == "str" else term)
    names = sorted(set(names))
    if len(names) > 12:
        names = names[:12] + ["…"]
    return ", ".join(names)


def _syntax_error(err: UnexpectedInput, text: str, file: str) -> Diagnostic:
    line = getattr(err, "line", 0) or 0
    column = getattr(err, "column", 0) or 0
    context = err.get_context(text) if line > 0 else None
    if isinstance(err, UnexpectedToken):
        got = "the end of the file" if err.token.type == "$END" else f"{err.token.value!r}"
        message = f"unexpected {got}; expected {_describe_expected(set(err.expected))}"
    elif isinstance(err, UnexpectedCharacters):
        message = f"unexpected character {text[err.pos_in_stream or 0]!r}"
        if err.allowed:
            message += f"; expected {_describe_expected(set(err.allowed))}"
    elif isinstance(err, UnexpectedEOF):
        message = f"unexpected end of file; expected {_describe_expected(set(err.expected))}"
    else:  # pragma: no cover - lark has no other subclasses today
        message = str(err)
    return Diagnostic("Q001", message, file=file, line=line, column=column, context=context)


def _span(meta: Any, file: str) -> ast.Span | None:
    if getattr(meta, "empty", True):
        return None
    return ast.Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


_ESCAPE = re.compile(r"\\(.)")


def _string(token: Token) -> str:
    raw = str(token)
    if raw.startswith('"""'):
        return squash_spaces(nfc(raw[3:-3]))
    body = _ESCAPE.sub(r"\1", raw[1:-1])
    return nfc(body)


class _InvalidError(Exception):
    def __init__(self, message: str, token: Token | None) -> None:
        super().__init__(message)
        self.token = token


def _locator(token: Token) -> ast.Locator:
    raw = _string(token)
    if _LONG_NUMBER.search(raw):
        raise _InvalidError(f"a number in a locator has more than {MAX_DIGITS} digits", token)
    return ast.Locator.parse(raw)


def _check_limits(tree: Tree[Any], file: str) -> Diagnostic | None:
    """The first place where the tree nests deeper than MAX_NESTING or a number is too long.

    Walked with an explicit stack: this is what must not recurse on hostile input.
    """
    stack: list[tuple[Tree[Any], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            line, column = (0, 0) if getattr(meta, "empty", True) else (meta.line, meta.column)
            return Diagnostic(
                "Q018",
                f"nested more than {MAX_NESTING} levels deep",
                file=file,
                line=line,
                column=column,
                hint="split the condition into named rules or parameters",
            )
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))
            elif isinstance(child, Token) and child.type in ("INT", "NUMBER") and sum(ch.isdigit() for ch in child) > MAX_DIGITS:
                return Diagnostic("Q015", f"a number has more than {MAX_DIGITS} digits", file=file, line=child.line or 0, column=child.column or 0)
    return None


def _date(token: Token) -> date:
    try:
        return date.fromisoformat(str(token))
    except ValueError as exc:
        raise _InvalidError(f"invalid date {token!s}: {exc}", token) from exc


@v_args(meta=True)
class _ToAst(Transformer[Token, Any]):
    """Lark tree → AST nodes; statements become (kind, fields) pairs assembled by ``_build``."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    # -- terminals used as values
    def STRING(self, token: Token) -> Token:  # noqa: N802 - Lark calls terminal callbacks by name
        return token

    # -- expressions
    def number(self, meta: Any, children: list[Token]) -> ast.Literal:
        unit = str(children[1]) if len(children) > 1 else None
        return ast.Literal(Decimal(str(children[0])), unit, _span(meta, self.file))

    def string(self, meta: Any, children: list[Token]) -> ast.Literal:
        return ast.Literal(_string(children[0]), None, _span(meta, self.file))

    def date(self, meta: Any, children: list[Token]) -> ast.Literal:
        return ast.Literal(_date(children[0]), None, _span(meta, self.file))

    def true(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(True, None, _span(meta, self.file))

    def false(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(False, None, _span(meta, self.file))

    def path(self, meta: Any, children: list[Token]) -> ast.Path:
        return ast.Path(tuple(nfc(str(c)) for c in children), _span(meta, self.file))

    def list_expr(self, meta: Any, children: list[Any]) -> ast.ListExpr:
        return ast.ListExpr(tuple(c for c in children if c is not None), _span(meta, self.file))

    def compare(self, meta: Any, children: list[Any]) -> ast.Compare:
        left, op, right = children
        return ast.Compare(str(op), left, right, _span(meta, self.file))

    def in_list(self, meta: Any, children: list[Any]) -> ast.InList:
        return ast.InList(children[0], children[1], False, _span(meta, self.file))

    def not_in_list(self, meta: Any, children: list[Any]) -> ast.InList:
        return ast.InList(children[0], children[1], True, _span(meta, self.file))

    def contains(self, meta: Any, children: list[Any]) -> ast.Contains:
        return ast.Contains(children[0], children[1], _span(meta, self.file))

    def starts_with(self, meta: Any, children: list[Any]) -> ast.StartsWith:
        return ast.StartsWith(children[0], children[1], _span(meta, self.file))

    def and_(self, meta: Any, children: list[Any]) -> ast.And:
        left, right = children
        items = (left.items if isinstance(left, ast.And) else (left,)) + (right,)
        return ast.And(items, _span(meta, self.file))

    def or_(self, meta: Any, children: list[Any]) -> ast.Or:
        left, right = children
        items = (left.items if isinstance(left, ast.Or) else (left,)) + (right,)
        return ast.Or(items, _span(meta, self.file))

    def not_(self, meta: Any, children: list[Any]) -> ast.Not:
        return ast.Not(children[0], _span(meta, self.file))

    def arith(self, meta: Any, children: list[Any]) -> ast.Arith:
        left, op, right = children
        return ast.Arith(str(op), left, right, _span(meta, self.file))

    def where(self, meta: Any, children: list[Any]) -> Any:
        return ("where", children[0])

    def count_expr(self, meta: Any, children: list[Any]) -> ast.CountExpr:
        where = children[1][1] if len(children) > 1 else None
        return ast.CountExpr(nfc(str(children[0])), where, _span(meta, self.file))

    def sum_expr(self, meta: Any, children: list[Any]) -> ast.SumExpr:
        where = children[2][1] if len(children) > 2 else None
        return ast.SumExpr(nfc(str(children[0])), nfc(str(children[1])), where, _span(meta, self.file))

    # -- constraints
    def _int(self, literal: ast.Literal) -> int:
        value = literal.value
        if not isinstance(value, Decimal) or value != value.to_integral_value() or value < 0:
            raise _InvalidError(f"a count must be a whole number, not {value}", None)
        return int(value)

    def card_exactly(self, meta: Any, c: list[Any]) -> ast.Cardinality:
        n = self._int(c[0])
        return ast.Cardinality("exactly", n, n)

    def card_at_least(self, meta: Any, c: list[Any]) -> ast.Cardinality:
        return ast.Cardinality("at_least", self._int(c[0]), None)

    def card_at_most(self, meta: Any, c: list[Any]) -> ast.Cardinality:
        return ast.Cardinality("at_most", None, self._int(c[0]))

    def card_between(self, meta: Any, c: list[Any]) -> ast.Cardinality:
        low, high = self._int(c[0]), self._int(c[1])
        if low > high:
            raise _InvalidError(f"between {low} and {high}: the first bound is larger", None)
        return ast.Cardinality("between", low, high)

    @staticmethod
    def _where(children: list[Any]) -> ast.Expr | None:
        for child in children:
            if isinstance(child, tuple) and child and child[0] == "where":
                found: ast.Expr = child[1]
                return found
        return None

    def per(self, meta: Any, c: list[Token]) -> tuple[str, str]:
        return ("per", nfc(str(c[0])))

    def c_count(self, meta: Any, c: list[Any]) -> ast.Count:
        per = next((x[1] for x in c if isinstance(x, tuple) and x and x[0] == "per"), None)
        return ast.Count(nfc(str(c[0])), self._where(c), c[-1], _span(meta, self.file), per=per)

    def c_every(self, meta: Any, c: list[Any]) -> ast.Every:
        return ast.Every(nfc(str(c[0])), self._where(c), c[-1], _span(meta, self.file))

    def c_none(self, meta: Any, c: list[Any]) -> ast.NoneOf:
        return ast.NoneOf(nfc(str(c[0])), self._where(c), _span(meta, self.file))

    def c_role(self, meta: Any, c: list[Any]) -> ast.RoleHeld:
        return ast.RoleHeld(_string(c[0]), c[1], nfc(str(c[2])), self._where(c), _span(meta, self.file))

    def c_all_of(self, meta: Any, c: list[Any]) -> ast.AllOf:
        values: list[str] = []
        for item in c[0].items:
            if not isinstance(item, ast.Literal) or not isinstance(item.value, str):
                raise _InvalidError("all of [...] takes a list of quoted strings", None)
            values.append(item.value)
        return ast.AllOf(tuple(values), nfc(str(c[1])), nfc(str(c[2])), self._where(c), _span(meta, self.file))

    def c_that(self, meta: Any, c: list[Any]) -> ast.That:
        return ast.That(c[0], _span(meta, self.file))

    # -- provenance and shared fields
    def provenance(self, meta: Any, c: list[Token]) -> ast.Provenance:
        return ast.Provenance(_locator(c[0]), _string(c[1]))

    def f_at(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("at", _locator(c[0]))

    def f_text(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("text", _string(c[0]))

    def f_severity(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        value = str(c[0])
        if value not in ("error", "warning", "info"):
            raise _InvalidError(f"severity must be error, warning or info, not {value!r}", c[0])
        return ("severity", value)

    def f_when(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("when", c[0])

    def f_require(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("require", c[0])

    def f_overrides(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("overrides", str(c[0]))

    def f_uses(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("uses", str(c[0]))

    def f_note(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("note", _string(c[0]))

    # -- documents
    def doc_number(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("number", _string(c[0]))

    def doc_title(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("title", _string(c[0]))

    def doc_kind(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("kind", str(c[0]))

    def doc_status(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        value = str(c[0])
        if value not in ("binding", "draft", "temporary", "cited"):
            raise _InvalidError(f"status must be binding, draft, temporary or cited, not {value!r}", c[0])
        return ("status", value)

    def doc_issuer(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("issuer", _string(c[0]))

    def doc_signer(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("signer", _string(c[0]))

    def doc_signed(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("signed", _date(c[0]))

    def doc_effective(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("effective", (_date(c[0]), c[1] if len(c) > 1 else None))

    def pilot_until(self, meta: Any, c: list[Token]) -> dt.date:
        return _date(c[0])

    def pilot_unstated(self, meta: Any, c: list[Token]) -> None:
        return None

    def doc_pilot(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        until, prov = (c[0], c[1]) if len(c) == 2 else (None, c[0])
        return ("pilot", ast.Pilot(until, prov))

    def doc_applies(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("applies", ast.Applicability(c[0], c[1] if len(c) > 1 else None))

    def doc_source(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("source", _string(c[0]))

    def doc_note(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("note", _string(c[0]))

    def doc_link(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        prov = c[2] if len(c) > 2 else None
        return ("link", ast.Link(str(c[0]), str(c[1]), prov, _span(meta, self.file)))

    def doc_article(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("article", (int(str(c[0])), _string(c[1])))

    def document(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("document", (str(c[0]), c[1:], _span(meta, self.file)))

    def rule(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("rule", (str(c[0]), c[1:], _span(meta, self.file)))

    # -- obligations
    def o_by(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("by", _string(c[0]))

    def o_to(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("to", tuple(_string(t) for t in c))

    def o_cc(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("cc", tuple(_string(t) for t in c))

    def o_per(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("per", (nfc(str(c[0])), nfc(str(c[1]))))

    def o_record(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("record", nfc(str(c[0])))

    def strict_before(self, meta: Any, c: list[Any]) -> str:
        return "before"

    def strict_no_later(self, meta: Any, c: list[Any]) -> str:
        return "no_later"

    def each_month(self, meta: Any, c: list[Any]) -> tuple[int, ...]:
        return tuple(range(1, 13))

    def months(self, meta: Any, c: list[Token]) -> tuple[int, ...]:
        values = tuple(int(str(t)) for t in c)
        for token, value in zip(c, values, strict=True):
            if not 1 <= value <= 12:
                raise _InvalidError(f"month {value} is not between 1 and 12", token)
        return values

    def quarter_end(self, meta: Any, c: list[Any]) -> str:
        return "quarter_end"

    def due_day(self, meta: Any, c: list[Any]) -> ast.Deadline:
        strict, day_token, selector = c
        day = int(str(day_token))
        if not 1 <= day <= 31:
            raise _InvalidError(f"day {day} is not between 1 and 31", day_token)
        if selector == "quarter_end":
            return ast.Deadline("day", strict, day, (3, 6, 9, 12), quarter_end=True)
        return ast.Deadline("day", strict, day, selector)

    def due_weekday(self, meta: Any, c: list[Any]) -> ast.Deadline:
        strict, weekday = c[0], str(c[1])
        at = None
        if len(c) > 2:
            hours, minutes = str(c[2]).split(":")
            if int(hours) > 23:
                raise _InvalidError(f"time {c[2]} is not a time of day", c[2])
            at = time(int(hours), int(minutes))
        return ast.Deadline("weekday", strict, weekday=_WEEKDAYS.index(weekday), at=at)

    def due_month(self, meta: Any, c: list[Token]) -> ast.Deadline:
        month = int(str(c[0]))
        if not 1 <= month <= 12:
            raise _InvalidError(f"month {month} is not between 1 and 12", c[0])
        return ast.Deadline("month", months=(month,))

    def due_every(self, meta: Any, c: list[Token]) -> ast.Deadline:
        interval = int(str(c[0]))
        if interval not in (1, 2, 3, 4, 6, 12):
            raise _InvalidError(f"every {interval} months: the interval must divide a year", c[0])
        return ast.Deadline("every", interval=interval)

    def due_every_week(self, meta: Any, c: list[Token]) -> ast.Deadline:
        return ast.Deadline("every", interval=1, unit="week")

    def due_unstated(self, meta: Any, c: list[Any]) -> ast.Deadline:
        return ast.Deadline("unstated")

    def o_due(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("due", c[0])

    def obligation(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("obligation", (str(c[0]), c[1:], _span(meta, self.file)))

    # -- claims and gaps
    def cl_stated(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("stated", c[0])

    def cl_computed(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("computed", c[0])

    def cl_as_of(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("as_of", _date(c[0]))

    def claim(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("claim", (str(c[0]), c[1:], _span(meta, self.file)))

    def gap(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("gap", (str(c[0]), c[1:], _span(meta, self.file)))

    # -- parameters and events
    def p_title(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("title", _string(c[0]))

    def p_title_en(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("title_en", _string(c[0]))

    def p_unit(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("unit", str(c[0]))

    def p_value(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        value = c[1].value
        return ("value", ast.ParameterValue(_date(c[0]), value, _string(c[2])))

    def parameter(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("parameter", (str(c[0]), c[1:], _span(meta, self.file)))

    def e_on(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("on", _date(c[0]))

    def e_title(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("title", _string(c[0]))

    def e_title_en(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("title_en", _string(c[0]))

    def e_source(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("source", _string(c[0]))

    def e_note(self, meta: Any, c: list[Token]) -> tuple[str, Any]:
        return ("note", _string(c[0]))

    def ceases(self, meta: Any, c: list[Any]) -> tuple[str, str | None]:
        return ("ceases", None)

    def reorganised(self, meta: Any, c: list[Any]) -> tuple[str, str | None]:
        return ("reorganised", None)

    def change_scope(self, meta: Any, c: list[Token]) -> str:
        return _string(c[0])

    def merged_into(self, meta: Any, c: list[Token]) -> tuple[str, str | None]:
        return ("merged_into", _string(c[0]))

    def replaced_by(self, meta: Any, c: list[Token]) -> tuple[str, str | None]:
        return ("replaced_by", _string(c[0]))

    def change(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        outcome, successor = c[-1]
        within = c[2] if len(c) == 4 else None
        return ("change", ast.Change(str(c[0]), _string(c[1]), outcome, successor, within))

    def event(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("event", (str(c[0]), c[1:], _span(meta, self.file)))

    def start(self, meta: Any, c: list[Any]) -> list[Any]:
        return c


_REPEATED = {"require", "overrides", "uses", "note", "link", "article", "due", "value", "change"}
_SCALAR_FIELDS = {
    "rule": {"at", "text", "severity", "when"},
    "obligation": {"at", "text", "severity", "when", "by", "to", "cc", "record", "per"},
    "claim": {"at", "text", "stated", "computed", "as_of"},
    "gap": {"at", "text"},
    "document": {"number", "title", "kind", "status", "issuer", "signer", "signed", "effective", "pilot", "applies", "source"},
    "parameter": {"title", "title_en", "unit"},
    "event": {"on", "title", "title_en", "source"},
}


def _collect(kind: str, name: str, fields: list[tuple[str, Any]], span: ast.Span | None, problems: list[Diagnostic]) -> dict[str, Any]:
    """Fields of one statement as a dict; repeated fields as lists; a scalar twice is an error."""
    out: dict[str, Any] = {}
    for key, value in fields:
        if key in _REPEATED:
            out.setdefault(key, []).append(value)
        elif key in out:
            problems.append(
                Diagnostic(
                    "Q010",
                    f"{kind} {name}: field '{key}' is given twice",
                    file=span.file if span else "<string>",
                    line=span.line if span else 0,
                    column=span.column if span else 0,
                )
            )
        else:
            out[key] = value
    return out


def _qualify(doc: str, name: str) -> str:
    return name if name.startswith(doc + ".") else f"{doc}.{name}"


def _build(file: str, statements: list[tuple[str, Any]]) -> ast.Module:
    problems: list[Diagnostic] = []
    documents: list[ast.Document] = []
    rules: list[ast.Rule] = []
    obligations: list[ast.Obligation] = []
    claims: list[ast.Claim] = []
    gaps: list[ast.Gap] = []
    parameters: list[ast.Parameter] = []
    events: list[ast.Event] = []
    current: ast.Document | None = None

    for kind, (name, raw_fields, span) in statements:
        f = _collect(kind, name, raw_fields, span, problems)
        if kind == "document":
            effective = f.get("effective")
            current = ast.Document(
                id=name,
                number=f.get("number"),
                title=f.get("title"),
                kind=f.get("kind"),
                status=f.get("status", "binding"),
                issuer=f.get("issuer"),
                signer=f.get("signer"),
                signed=f.get("signed"),
                effective=effective[0] if effective else None,
                effective_provenance=effective[1] if effective else None,
                pilot=f.get("pilot"),
                applies=f.get("applies"),
                source=f.get("source"),
                notes=tuple(f.get("note", [])),
                links=tuple(f.get("link", [])),
                articles=tuple(f.get("article", [])),
                span=span,
            )
            documents.append(current)
            continue
        if kind == "parameter":
            parameters.append(
                ast.Parameter(
                    id=name,
                    title=f.get("title"),
                    title_en=f.get("title_en"),
                    unit=f.get("unit"),
                    values=tuple(sorted(f.get("value", []), key=lambda v: v.start)),
                    span=span,
                )
            )
            continue
        if kind == "event":
            events.append(
                ast.Event(
                    id=name,
                    on=f.get("on"),
                    title=f.get("title"),
                    title_en=f.get("title_en"),
                    source=f.get("source"),
                    notes=tuple(f.get("note", [])),
                    changes=tuple(f.get("change", [])),
                    span=span,
                )
            )
            continue
        if current is None:
            problems.append(
                Diagnostic(
                    "Q016",
                    f"{kind} {name} comes before any document: a {kind} needs the document it belongs to",
                    file=file,
                    line=span.line if span else 0,
                    column=span.column if span else 0,
                    hint='start the file with: document ID { number "…" … }',
                )
            )
            continue
        common = dict(document=current.id, locator=f.get("at"), text=f.get("text"), span=span)
        if kind == "rule":
            rules.append(
                ast.Rule(
                    id=_qualify(current.id, name),
                    requires=tuple(f.get("require", [])),
                    when=f.get("when"),
                    severity=f.get("severity", "error"),
                    overrides=tuple(f.get("overrides", [])),
                    uses=tuple(f.get("uses", [])),
                    notes=tuple(f.get("note", [])),
                    **common,
                )
            )
        elif kind == "obligation":
            obligations.append(
                ast.Obligation(
                    id=_qualify(current.id, name),
                    deadlines=tuple(f.get("due", [])),
                    by=f.get("by"),
                    to=f.get("to", ()),
                    cc=f.get("cc", ()),
                    record=f.get("record", "reports"),
                    per=f.get("per"),
                    when=f.get("when"),
                    severity=f.get("severity", "error"),
                    notes=tuple(f.get("note", [])),
                    **common,
                )
            )
        elif kind == "claim":
            claims.append(
                ast.Claim(
                    id=_qualify(current.id, name),
                    stated=f.get("stated"),
                    computed=f.get("computed"),
                    as_of=f.get("as_of"),
                    notes=tuple(f.get("note", [])),
                    **common,
                )
            )
        elif kind == "gap":
            gaps.append(ast.Gap(id=_qualify(current.id, name), **common))
    if problems:
        raise RegulationError(problems)
    return ast.Module(file, tuple(documents), tuple(rules), tuple(obligations), tuple(claims), tuple(gaps), tuple(parameters), tuple(events))


def parse_text(text: str, file: str = "<string>") -> ast.Module:
    """Parse DSL ``text`` into a :class:`engine.ast.Module`; raise RegulationError on any error."""
    text = nfc(text)
    try:
        tree: Tree[Token] = _parser().parse(text)
    except UnexpectedInput as err:
        raise RegulationError([_syntax_error(err, text, file)]) from None
    too_much = _check_limits(tree, file)
    if too_much is not None:
        raise RegulationError([too_much])
    try:
        statements = _ToAst(file).transform(tree)
    except VisitError as err:
        inner = err.orig_exc
        if isinstance(inner, _InvalidError):
            token = inner.token
            meta = getattr(err.obj, "meta", None)
            line = getattr(token, "line", None) or (meta.line if meta is not None else 0)
            column = getattr(token, "column", None) or (meta.column if meta is not None else 0)
            raise RegulationError([Diagnostic("Q015", str(inner), file=file, line=line, column=column)]) from None
        raise
    return _build(file, statements)


def parse_file(path: str | FsPath, display: str | None = None) -> ast.Module:
    """Parse one DSL file; an unreadable file is a Q002 diagnostic, not an OSError."""
    path = FsPath(path)
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegulationError([Diagnostic("Q002", f"cannot read {shown}: {exc.strerror or exc}", file=shown)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Said at line:column, as an editor shows it, rather than as a byte offset.
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line_start = raw.rfind(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        message = f"not UTF-8 text: invalid byte 0x{raw[start]:02X}"
        raise RegulationError(
            [Diagnostic("Q002", message, file=shown, line=raw.count(b"\n", 0, start) + 1, column=column, hint="save the file as UTF-8")]
        ) from None
    return parse_text(text, shown)
