"""The upload page and the result page: Jinja2 templates, autoescaped, words from the catalogue."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from compliance.catalogue import Lang, text, word
from engine.message import msg

__all__ = ["render_page"]

STATUSES = ("violated", "unknown", "satisfied", "not_applicable")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("compliance.server", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _say(value: Any, lang: Lang) -> str:
    """A report value in the reader's language: a {vi, en} pair, a plain text, or nothing."""
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    if value is None:
        return ""
    return str(value)


def _evidence(item: Any, lang: Lang) -> str:
    if not isinstance(item, dict):
        return str(item)
    detail = item.get("detail_en") if lang == "en" else None
    detail = detail or item.get("detail")
    if isinstance(detail, dict):
        detail = detail.get(lang)
    label = item.get("label") or item.get("record") or ""
    return f"{label}: {detail}" if detail and label and label not in str(detail) else str(detail or label)


def render_page(name: str, lang: Lang, **context: Any) -> str:
    """Render one page; ``w('server.x')`` gives a catalogue word in the page's language."""
    template = _environment().get_template(name)
    return template.render(
        lang=lang,
        other="en" if lang == "vi" else "vi",
        w=lambda key, **args: text(msg(key, **args), lang),
        say=lambda value: _say(value, lang),
        evidence=lambda item: _evidence(item, lang),
        status_word=lambda status: word(f"server.status.{status}", lang),
        statuses=STATUSES,
        error=context.pop("error", None),
        as_of=context.pop("as_of", ""),
        **context,
    )
