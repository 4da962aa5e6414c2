"""DSL conditions and constraints in plain words (Vietnamese and English), for readers of the law."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from compliance.setup import Setup
from compliance.site.markdown import _CMP, _COLLECTIONS, _FIELDS, _VALUES, _show
from compliance.wording import describe_cardinality
from engine import Program, ast
from engine.printer import format_expr


# ---------------------------------------------------------------- constraints in words
def _field_words() -> dict[str, tuple[str, str]]:
    """Field labels: the table above, then the Vietnamese head of each setup field's description."""
    words = dict(_FIELDS)

    def visit(model: Any) -> None:
        for name, info in getattr(model, "model_fields", {}).items():
            desc = info.description or ""
            head = re.split(r",|\(| e\.g\.|:| / ", desc)[0].strip()
            if name not in words and head and not head.isascii():
                words[name] = (head[0].lower() + head[1:], name.replace("_", " "))
            annotation = info.annotation
            for arg in getattr(annotation, "__args__", ()) or ():
                for inner in getattr(arg, "__args__", ()) or (arg,):
                    if hasattr(inner, "model_fields"):
                        visit(inner)
            if hasattr(annotation, "model_fields"):
                visit(annotation)

    visit(Setup)
    return words


_WORDS = _field_words()


def _field(name: str, lang: str) -> str:
    vi, en = _WORDS.get(name, (name.replace("_", " "), name.replace("_", " ")))
    return vi if lang == "vi" else en


def _collection(name: str, lang: str, one: bool = False) -> str:
    vi, en_one, en_many = _COLLECTIONS.get(name, (name, name, name))
    return vi if lang == "vi" else (en_one if one else en_many)


def _where(expr: ast.Expr | None, lang: str, program: Program | None) -> str:
    """ " mà …" / " where …": the filter of a collection, or nothing."""
    if expr is None:
        return ""
    return (" mà " if lang == "vi" else " where ") + describe_condition(expr, lang, program)


def _path_words(path: ast.Path, program: Program | None, lang: str) -> str:
    head = path.parts[0]
    if head == "centre" and len(path.parts) > 1:
        name = _field(path.parts[1], lang)
        return f"{name} của Trung tâm" if lang == "vi" else f"the centre's {name}"
    if program is not None and head in program.parameters:
        param = program.parameters[head]
        title = (param.title or head) if lang == "vi" else (param.title_en or param.title or head)
        return title[0].lower() + title[1:] if lang == "vi" else title
    return _field(path.parts[-1], lang)


def _literal(value: Any, lang: str) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    return _show(value, lang)


def describe_condition(expr: ast.Expr | None, lang: str = "vi", program: Program | None = None) -> str:
    """An expression in plain words (Vietnamese or English), for readers who do not read the DSL."""
    if expr is None:
        return ""

    def w(e: ast.Expr | None) -> str:  # local shorthand
        return describe_condition(e, lang, program)

    vi = lang == "vi"
    if isinstance(expr, ast.Literal):
        return _literal(expr.value, lang) + (f" {expr.unit}" if expr.unit else "")
    if isinstance(expr, ast.ListExpr):
        return ", ".join(w(i) for i in expr.items)
    if isinstance(expr, ast.Path):
        return _path_words(expr, program, lang)
    if isinstance(expr, ast.Compare):
        counted = _counted(expr, lang, program)
        if counted:
            return counted
        if isinstance(expr.left, ast.Path) and isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, str):
            named = _VALUES.get(expr.left.parts[-1], {}).get(expr.right.value)
            if named and expr.op in ("=", "!="):
                verb = _CMP[expr.op][0 if vi else 1]
                return f"{w(expr.left)} {verb} {named[0 if vi else 1]}"
        if isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, bool) and expr.op in ("=", "!="):
            positive = expr.right.value if expr.op == "=" else not expr.right.value
            left = expr.left
            if isinstance(left, ast.Path) and len(left.parts) == 2 and left.parts[0] == "centre":
                # "Trung tâm không là đơn vị sự nghiệp công lập", not "…của Trung tâm: không".
                label = _field(left.parts[1], lang)
                if vi:
                    return f"Trung tâm {'' if positive else 'không '}{label}"
                return f"the centre: {label} — {'yes' if positive else 'no'}"
            return f"{w(expr.left)}: " + (("có" if positive else "không") if vi else ("yes" if positive else "no"))
        verb = _CMP.get(expr.op, (expr.op, expr.op))[0 if vi else 1]
        return f"{w(expr.left)} {verb} {w(expr.right)}"
    if isinstance(expr, ast.InList):
        if vi:
            return f"{w(expr.item)} {'không thuộc' if expr.negated else 'là một trong'}: {w(expr.options)}"
        return f"{w(expr.item)} {'is none of' if expr.negated else 'is one of'}: {w(expr.options)}"
    if isinstance(expr, ast.Contains):
        return f"{w(expr.container)} {'có chứa' if vi else 'contains'} {w(expr.item)}"
    if isinstance(expr, ast.StartsWith):
        return f"{w(expr.text)} {'bắt đầu bằng' if vi else 'starts with'} {w(expr.prefix)}"
    if isinstance(expr, (ast.And, ast.Or)):
        joiner = (" và " if vi else " and ") if isinstance(expr, ast.And) else (" hoặc " if vi else " or ")
        parts = [f"({w(i)})" if isinstance(i, (ast.And, ast.Or)) else w(i) for i in expr.items]
        return joiner.join(parts)
    if isinstance(expr, ast.Not):
        return f"{'không phải' if vi else 'not'} ({w(expr.item)})"
    if isinstance(expr, ast.Arith):
        op = {"*": "×", "/": ":" if vi else "÷"}.get(expr.op, expr.op)
        return f"{w(expr.left)} {op} {w(expr.right)}"
    if isinstance(expr, ast.CountExpr):
        what, tail = _collection(expr.collection, lang), _where(expr.where, lang, program)
        return f"số {what}{tail}" if vi else f"the number of {what}{tail}"
    if isinstance(expr, ast.SumExpr):
        what, tail = _collection(expr.collection, lang), _where(expr.where, lang, program)
        return f"tổng {_field(expr.field, lang)} của các {what}{tail}" if vi else f"the total {_field(expr.field, lang)} of the {what}{tail}"
    return format_expr(expr, human=True)


def _counted(expr: ast.Compare, lang: str, program: Program | None) -> str | None:
    """``count(xs where …) > 0`` and friends, as a reader would say them ("has at least one …")."""
    if not (isinstance(expr.left, ast.CountExpr) and isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, Decimal)):
        return None
    n, op, vi = expr.right.value, expr.op, lang == "vi"
    tail = _where(expr.left.where, lang, program)
    if (op == ">" and n == 0) or (op == ">=" and n == 1):
        one = _collection(expr.left.collection, lang, one=True)
        return f"có ít nhất một {one}{tail}" if vi else f"has at least one {one}{tail}"
    if (op == "=" and n == 0) or (op == "<" and n == 1):
        one = _collection(expr.left.collection, lang, one=True)
        return f"không có {one} nào{tail}" if vi else f"has no {one}{tail}"
    if op == "=":
        what = _collection(expr.left.collection, lang, one=n == 1)
        return f"có đúng {_show(n, lang)} {what}{tail}" if vi else f"has exactly {_show(n, lang)} {what}{tail}"
    return None


def _card(card: ast.Cardinality, lang: str) -> str:
    return describe_cardinality(card, "vi" if lang == "vi" else "en")


def describe_constraint(c: ast.Constraint, lang: str = "vi", program: Program | None = None) -> str:
    """One ``require`` line in plain words."""

    def w(e: ast.Expr | None) -> str:  # local shorthand
        return describe_condition(e, lang, program)

    vi = lang == "vi"
    if isinstance(c, ast.That):
        said = w(c.expr)
        return (said[:1].upper() + said[1:] + ".") if said else ""
    what, one = _collection(c.collection, lang), _collection(c.collection, lang, one=True)
    where = _where(getattr(c, "where", None), lang, program)
    if isinstance(c, ast.Count):
        return f"Số {what}{where} phải là {_card(c.cardinality, lang)}." if vi else f"The number of {what}{where} must be {_card(c.cardinality, lang)}."
    if isinstance(c, ast.Every):
        return f"Với mọi {one}{where}: {w(c.condition)}." if vi else f"For every {one}{where}: {w(c.condition)}."
    if isinstance(c, ast.NoneOf):
        return f"Không được có {one} nào{where}." if vi else f"There must be no {one}{where}."
    if isinstance(c, ast.RoleHeld):
        cond = (f", mỗi người: {w(c.where)}" if vi else f", each one: {w(c.where)}") if c.where else ""
        holders = one if c.cardinality.high == 1 else what
        return (
            f"Vai trò “{c.role}” do {_card(c.cardinality, lang)} {what} đảm nhiệm{cond}."
            if vi
            else f"The role “{c.role}” is held by {_card(c.cardinality, lang)} {holders}{cond}."
        )
    if isinstance(c, ast.AllOf):
        items = "; ".join(f"“{v}”" for v in c.values)
        return (
            f"Trong các {what}{where} phải có đủ {_field(c.field, lang)}: {items}."
            if vi
            else f"Among the {what}{where}, each of these {_field(c.field, lang)} must appear: {items}."
        )
    return format_expr(getattr(c, "expr", None), human=True)  # pragma: no cover - every constraint kind is above
