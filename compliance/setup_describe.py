"""compliance.setup's models → compliance/setup_format.py, their description as plain data.

The models are the one definition of the setup format; a check reads setups without importing
pydantic (compliance.setup_fast), so what it needs of the models is derived from them here and
committed beside them, like a lock file: each model's fields in dump order, the types each
accepts, its default, and how the conventions read it (compliance.conventions.Shape), plus the
``SetupData`` TypedDicts that type the validated data. tests/test_setup_fast.py fails when the
file differs from what the models give; regenerate it with

    python -m compliance.setup_describe

The description covers what the models use today and refuses anything else (a constraint, a
validator, an alias, a type it does not know): the fast validator would not know it either.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from compliance.conventions import Shape, shape_of
from compliance.setup import Setup, text_field

__all__ = ["FILE", "REGENERATE", "describe", "main"]

FILE = Path(__file__).with_name("setup_format.py")
REGENERATE = "python -m compliance.setup_describe"

_SCALARS: dict[Any, str] = {str: "str", bool: "bool", int: "int", Decimal: "decimal", date: "date", datetime: "datetime", NoneType: "none"}
_PYTHON = {"str": "str", "bool": "bool", "int": "int", "decimal": "Decimal", "date": "date", "datetime": "datetime", "none": "None"}


class UndescribableError(ValueError):
    """The models use something the description (and so the fast validator) does not know."""


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """The root and every model its fields name, each once, the nested ones first."""
    found: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in found:
            return
        for info in model.model_fields.values():
            for inner in _inside(info.annotation):
                visit(inner)
        found.append(model)

    visit(root)
    return found


def _inside(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _inside(a)]


def _members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, UnionType):
        return [m for a in get_args(annotation) for m in _members(a)]
    return [annotation]


def _type(annotation: Any, where: str) -> tuple[Any, ...]:
    """An annotation as plain data: the tuple of the types it accepts."""
    out: list[Any] = []
    for member in _members(annotation):
        if member in _SCALARS:
            out.append(_SCALARS[member])
        elif get_origin(member) is Literal and all(type(v) is str for v in get_args(member)):
            out.append(("literal", tuple(get_args(member))))
        elif get_origin(member) is list and len(get_args(member)) == 1:
            out.append(("list", _type(get_args(member)[0], where)))
        elif isinstance(member, type) and issubclass(member, BaseModel):
            out.append(("model", member.__name__))
        else:
            raise UndescribableError(f"{where}: the type {member!r}")
    return tuple(out)


def _python(annotation: Any, where: str) -> str:
    """An annotation as the TypedDicts write it (a model is its ``…Data``)."""
    parts: list[str] = []
    for member in _members(annotation):
        if member in _SCALARS:
            parts.append(_PYTHON[_SCALARS[member]])
        elif get_origin(member) is Literal:
            parts.append("Literal[" + ", ".join(f'"{v}"' for v in get_args(member)) + "]")
        elif get_origin(member) is list:
            parts.append(f"list[{_python(get_args(member)[0], where)}]")
        elif isinstance(member, type) and issubclass(member, BaseModel):
            parts.append(f"{member.__name__}Data")
        else:  # pragma: no cover - _type refused it first
            raise UndescribableError(f"{where}: the type {member!r}")
    return " | ".join(parts)


def _reads(annotation: Any) -> dict[str, Any] | None:
    """How the conventions read the field: None for text, else the Shape's fields that are set."""
    if text_field(annotation):
        return None
    shape = shape_of(annotation)
    return {f.name: getattr(shape, f.name) for f in dataclasses.fields(Shape) if getattr(shape, f.name) != f.default}


def _field(model: type[BaseModel], name: str) -> dict[str, Any]:
    info = model.model_fields[name]
    where = f"{model.__name__}.{name}"
    if info.metadata or info.alias or info.validation_alias or info.discriminator:
        raise UndescribableError(f"{where}: a constraint or alias")
    out: dict[str, Any] = {"types": _type(info.annotation, where), "reads": _reads(info.annotation)}
    if info.default_factory is not None:
        if info.default_factory is not list:
            raise UndescribableError(f"{where}: the default factory {info.default_factory!r}")
        out["factory"] = "list"
    elif info.default is not PydanticUndefined:
        if type(info.default) not in (NoneType, bool, str, int):
            raise UndescribableError(f"{where}: the default {info.default!r}")
        out["default"] = info.default
    return out


def _model(model: type[BaseModel]) -> dict[str, Any]:
    config = model.model_config
    decorators = model.__pydantic_decorators__
    kinds = ("validators", "field_validators", "root_validators", "field_serializers", "model_serializers")
    validators = {name for kind in kinds for name in getattr(decorators, kind)}
    validators |= {name for name in decorators.model_validators if name != "_read_conventions"}
    if validators or config.get("extra") != "forbid" or any(k not in ("extra", "str_strip_whitespace") for k in config):
        raise UndescribableError(f"{model.__name__}: a validator or setting besides extra=forbid, str_strip_whitespace")
    return {"strip": bool(config.get("str_strip_whitespace")), "fields": {name: _field(model, name) for name in model.model_fields}}


def describe(root: type[BaseModel] = Setup) -> str:
    """The text of compliance/setup_format.py for the models under ``root``."""
    models = _models(root)
    lines = [
        '"""The setup format as plain data: the models of compliance.setup described for compliance.setup_fast.',
        "",
        f"Generated from the models by `{REGENERATE}`: do not edit (tests/test_setup_fast.py checks it).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from datetime import date, datetime",
        "from decimal import Decimal",
        "from typing import TYPE_CHECKING, Any, Literal, TypedDict",
        "",
        "__all__ = [",
        *(f'    "{m.__name__}Data",' for m in sorted(models, key=lambda m: m.__name__)),
        '    "MODELS",',
        '    "ROOT",',
        "]",
        "",
    ]
    lines += ["", "# The validated data as mypy sees them; at run time each is a plain dict (typed dicts cost start-up time)."]
    lines.append("if TYPE_CHECKING:")
    for model in models:
        lines += ["", f"    class {model.__name__}Data(TypedDict):"]
        lines += [f"        {name}: {_python(info.annotation, f'{model.__name__}.{name}')}" for name, info in model.model_fields.items()]
    lines += ["", "else:"]
    lines += [f"    {model.__name__}Data = dict" for model in models]
    lines += [""]
    lines += ["", "# Each model: whether text is stripped, its fields in dump order (types accepted, conventions, default)."]
    lines.append("MODELS: dict[str, dict[str, Any]] = {")
    for model in models:
        described = _model(model)
        lines.append(f'    "{model.__name__}": {{')
        lines.append(f'        "strip": {described["strip"]!r},')
        lines.append('        "fields": {')
        for name, field in described["fields"].items():
            lines.append(f'            "{name}": {{')
            lines += [f'                "{key}": {value!r},' for key, value in field.items()]
            lines.append("            },")
        lines += ["        },", "    },"]
    lines += ["}", f'ROOT = "{root.__name__}"', ""]
    return "\n".join(lines).replace("'", '"')


def main() -> None:
    """Write compliance/setup_format.py (or, with --check, exit 1 when it differs)."""
    text = describe()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if FILE.read_text(encoding="utf-8") == text else 1)
    FILE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
