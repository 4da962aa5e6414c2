"""`quyche init`: a setup template for one jurisdiction, listing what its documents need.

Which documents apply is decided by the engine itself (a skeleton setup with only the province,
the administrative unit and the level is evaluated); which facts they need is read off their
rules and obligations (every ``centre.x`` path, every collection and field they count over).
The template names each field in the reader's language, says how it is written and which
document needs it; unknowns are left empty, which quyche reports as unknown, never as passed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import yaml

from compliance.catalogue import Lang, text, word
from compliance.catalogue import name as named
from compliance.intake.columns import CENTRE, SHEETS, Column, Sheet
from compliance.intake.writing import hint, to_xlsx
from compliance.setup import validate
from compliance.setup_facts import to_facts
from compliance.setup_format import MODELS, SetupData
from engine import Program, ast, evaluate
from engine.message import msg
from engine.text import text_key

__all__ = ["Scope", "needed_fields", "resolve_scope", "skeleton", "xlsx_template", "yaml_template"]

LEVELS = {"tỉnh": "province", "huyện": "district", "xã": None}
_ALWAYS = {"centre": {"id", "name", "province", "jurisdiction", "level", "unit_type", "operating", "governing_documents", "records_until"}}
# The engine's collection names → the sheet that fills them.
_SHEET_OF = {"members": "teams"}


@dataclass(frozen=True)
class Scope:
    province: str | None
    jurisdiction: str | None
    level: str | None  # province | district | None (commune: no model yet)
    level_word: str  # tỉnh | huyện | xã, as the officer said it


def _literals(expr: Any, path: str) -> set[str]:
    """String literals compared with ``centre.<path>`` anywhere in ``expr``."""
    found: set[str] = set()
    if isinstance(expr, ast.Compare) and isinstance(expr.left, ast.Path) and expr.left.parts == ("centre", path):
        if isinstance(expr.right, ast.Literal) and isinstance(expr.right.value, str):
            found.add(expr.right.value)
    elif isinstance(expr, ast.InList) and isinstance(expr.item, ast.Path) and expr.item.parts == ("centre", path):
        found |= {i.value for i in expr.options.items if isinstance(i, ast.Literal) and isinstance(i.value, str)}
    elif dataclasses.is_dataclass(expr) and not isinstance(expr, type):
        for f in dataclasses.fields(expr):
            found |= _literals(getattr(expr, f.name), path)
    elif isinstance(expr, tuple):
        for item in expr:
            found |= _literals(item, path)
    return found


def resolve_scope(program: Program, jurisdiction: str | None, level: str, province: str | None) -> Scope:
    """The scope of the template; the province is read off the documents when only a unit is named."""
    internal = LEVELS[level]
    if province is None and jurisdiction is not None:
        key = text_key(jurisdiction)
        for doc in sorted(program.documents.values(), key=lambda d: d.id):
            if doc.applies is None:
                continue
            provinces = _literals(doc.applies.condition, "province")
            if key in {text_key(p) for p in provinces}:
                province = next(p for p in provinces if text_key(p) == key)
                break
            if key in {text_key(j) for j in _literals(doc.applies.condition, "jurisdiction")} and len(provinces) == 1:
                province = next(iter(provinces))
                break
    if internal == "province" and jurisdiction is None:
        jurisdiction = province
    return Scope(province, jurisdiction, internal, level)


def _walk(node: Any, collection: str | None, out: dict[str, set[str]]) -> None:
    if isinstance(node, ast.Path):
        if node.parts[0] == "centre" and len(node.parts) > 1:
            out["centre"].add(node.parts[1])
        elif collection:
            out[collection].add(node.parts[0])
        return
    if isinstance(node, tuple):
        for item in node:
            _walk(item, collection, out)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, type) or isinstance(node, ast.Span):
        return
    inner = getattr(node, "collection", None)
    if isinstance(inner, str):
        out[inner]  # noqa: B018 - a collection counted over is needed even when no field is named
        for name in ("field", "per"):
            value = getattr(node, name, None)
            if isinstance(value, str):
                out[inner].add(value)
        if isinstance(node, ast.RoleHeld):
            out[inner].add("role")
        collection = inner
    for f in dataclasses.fields(node):
        if f.name not in ("span", "provenance", "locator"):
            _walk(getattr(node, f.name), collection, out)


def needed_fields(program: Program, documents: list[str]) -> dict[str, dict[str, list[str]]]:
    """sheet key → field → the documents (official numbers) whose rules use it."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc_id in documents:
        used: dict[str, set[str]] = defaultdict(set)
        label = program.documents[doc_id].label
        for statement in program.statements_of(doc_id):
            _walk(statement, None, used)
            if isinstance(statement, ast.Obligation):
                fields = {"obligation", "period", "held" if statement.record == "meetings" else "filed"}
                used[statement.record] |= fields | ({"team"} if statement.per else set())
                if statement.per:
                    used[statement.per[1]] |= {statement.per[0], "position", "team_role"}
        for collection, fields in used.items():
            sheet = _SHEET_OF.get(collection, collection)
            names = set(fields) | ({"team"} if collection == "members" else set())
            for name in sorted(names):
                if label not in out[sheet][name]:
                    out[sheet][name].append(label)
            out[sheet]  # noqa: B018
    return {k: dict(v) for k, v in out.items()}


def _applicable(program: Program, scope: Scope, as_of: date) -> list[str]:
    centre = {"id": "mau", "name": "mau", "province": scope.province, "jurisdiction": scope.jurisdiction, "level": scope.level}
    skeleton = validate({"centre": centre})
    return [d for d in evaluate(program, to_facts(skeleton), as_of).documents if program.documents[d].status != "cited"]


def _columns(sheet: Sheet, needed: dict[str, list[str]] | None) -> list[Column]:
    always = _ALWAYS.get(sheet.key, set())
    return [c for c in sheet.columns if needed is None or c.required or c.field in needed or c.field in always]


def _header(program: Program, scope: Scope, documents: list[str], as_of: date, lang: Lang, file: str) -> list[str]:
    level = word(f"intake.value.level.{scope.level}", lang) if scope.level else scope.level_word
    lines = [text(msg("init.title"), lang), text(msg("init.scope", province=scope.province or "?", jurisdiction=scope.jurisdiction or "?", level=level), lang)]
    if scope.level is None:
        lines.append(text(msg("init.commune"), lang))
    if documents:
        lines.append(text(msg("init.documents", date=as_of), lang))
        for d in documents:
            doc = program.documents[d]
            lines.append(f"  - {named(doc.label)}: {named(doc.title or '')}".rstrip(": "))  # number and official title: names
    else:
        lines.append(text(msg("init.no_documents"), lang))
    obligations = sorted((o for o in program.obligations.values() if o.document in documents), key=lambda o: o.id)
    if obligations:
        lines.append(text(msg("init.obligations"), lang))
        for o in obligations:
            locator = o.locator.raw if o.locator else ""
            lines.append("  - " + text(msg("init.obligation", id=o.id.split(".", 1)[-1], document=program.documents[o.document].label, locator=locator), lang))
    lines += [text(msg("init.unknown"), lang), text(msg("init.fill", file=file), lang)]
    return lines


def _yaml_hint(column: Column, lang: Lang) -> str:
    kind = {"roles": "list"}.get(column.kind, column.kind)
    if kind in ("bool", "date", "when", "money", "list", "level", "allowances"):
        how = word(f"intake.yaml_kind.{kind}", lang)
        return f"{how} ({word('intake.required', lang)})" if column.required else how
    return hint(column, lang)


def _comment(column: Column, sheet: str, needed: dict[str, list[str]] | None, lang: Lang) -> str:
    parts = [column.label(sheet, lang), _yaml_hint(column, lang)]
    if needed and needed.get(column.field):
        parts.append(text(msg("init.needed_by", documents=", ".join(needed[column.field])), lang))
    return " — ".join(parts)


def yaml_template(program: Program, scope: Scope, as_of: date, lang: Lang, file: str) -> str:
    """A commented YAML setup: the centre's fields, then a commented sample item of each list."""
    documents = _applicable(program, scope, as_of)
    needed = needed_fields(program, documents) if documents else None
    lines = [f"# {line}" for line in _header(program, scope, documents, as_of, lang, file)]
    lines.append("centre:")
    preset = {"province": scope.province, "jurisdiction": scope.jurisdiction, "level": scope.level}
    for column in _columns(CENTRE, needed.get("centre", {}) if needed else None):
        value = preset.get(column.field)
        if column.field in ("operator", "operator_duties"):
            continue
        dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip().removesuffix("...").strip() if value else ""
        if column.kind == "list" and not value:
            dumped = "[]"
        elif not dumped:
            dumped = '""' if column.required else "null"
        lines.append(f"  {column.field}: {dumped}  # {_comment(column, 'centre', needed.get('centre') if needed else None, lang)}")
    if needed is None or {"operator", "operator_duties"} & set(needed.get("centre", {})):
        lines.append("#  operator:  # " + CENTRE.column("operator").label("centre", lang))
        lines.append("#    name:")
        lines.append("#    duties: []  # " + _comment(CENTRE.column("operator_duties"), "centre", None, lang))
    for sheet in SHEETS:
        if needed is not None and sheet.key not in needed:
            continue
        fields = needed.get(sheet.key, {}) if needed else None
        lines.append("")
        lines.append(f"{sheet.key}:  # {sheet.name(lang)} — {text(msg('init.sample'), lang)}")
        columns = _columns(sheet, fields)
        if sheet.key == "teams":
            lines.append("#  - name: Tổ 1  # " + _comment(sheet.column("team"), "teams", fields, lang))
            lines.append("#    members:")
            for i, column in enumerate(c for c in columns if c.field != "team"):
                lead = "#      - " if i == 0 else "#        "
                lines.append(f"{lead}{column.field}:  # {_comment(column, 'teams', fields, lang)}")
            continue
        for i, column in enumerate(columns):
            lead = "#  - " if i == 0 else "#    "
            lines.append(f"{lead}{column.field}:  # {_comment(column, sheet.key, fields, lang)}")
    return "\n".join(lines) + "\n"


def skeleton(program: Program, scope: Scope, as_of: date) -> SetupData:
    """An empty setup of the scope: the centre's place preset, an empty list for each list the documents need."""
    documents = _applicable(program, scope, as_of)
    needed = needed_fields(program, documents) if documents else None
    centre = _empty("Centre", province=scope.province, jurisdiction=scope.jurisdiction, level=scope.level)  # no id, no name yet
    lists: dict[str, Any] = {sheet.key: [] for sheet in SHEETS if needed is None or sheet.key in needed}
    return cast(SetupData, _empty("Setup", centre=centre, **lists))


def _empty(model: str, **given: Any) -> dict[str, Any]:
    """A record of ``model`` with every field at its default (None where it has none), then ``given``."""
    fields = MODELS[model]["fields"]
    return {field: [] if about.get("factory") == "list" else about.get("default") for field, about in fields.items()} | given


def xlsx_template(program: Program, scope: Scope, as_of: date, lang: Lang, file: str) -> bytes:
    """The same template as a workbook: the centre sheet preset, an empty sheet per list, a guide sheet."""
    documents = _applicable(program, scope, as_of)
    guide = _header(program, scope, documents, as_of, lang, file) + [text(msg("init.sheets"), lang)]
    return to_xlsx(skeleton(program, scope, as_of), lang, guide=guide)
