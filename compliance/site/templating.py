"""Jinja2 for the generated pages: Markdown templates with HTML autoescape, the catalogue's words.

``render`` fills a page template; ``fragment`` calls one macro of ``fragments.md.j2`` (a badge,
a verbatim quote, a status box) for the pages still assembled line by line in Python.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from compliance.catalogue import Lang, text
from compliance.site.markdown import _MD_SPECIAL, GENERATED_MARK
from compliance.site.program_index import _doc_path, _rel
from engine.message import Message, Money, msg

__all__ = ["fragment", "md_text", "render"]


def md_text(value: object) -> Markup:
    """Plain text for a Markdown page: Markdown specials escaped, then HTML-escaped, one line."""
    plain = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", plain)))


def say(key: str | Message, lang: Lang = "vi", **args: Any) -> Markup:
    """A catalogue message (or key and arguments) in ``lang``, escaped for a Markdown page."""
    message = key if isinstance(key, Message) else msg(key, **args)
    return md_text(text(message, lang))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("compliance.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.globals["say"] = say
    return env


def render(template: str, page: str, **context: Any) -> str:
    """Page ``template`` for the page at ``page`` (links are made relative to it)."""

    def link(target: str) -> str:
        path, _, anchor = target.partition("#")
        return _rel(page, path) + (f"#{anchor}" if anchor else "")

    out = _environment().get_template(template).render(link=link, mark=Markup(GENERATED_MARK), money=Money, doc_path=_doc_path, **context)
    return out.rstrip() + "\n"


def fragment(name: str, **args: Any) -> str:
    """One macro of ``fragments.md.j2``, rendered: ``fragment("badge", kind="rule", vi=…, en=…)``."""
    macro = getattr(_environment().get_template("fragments.md.j2").module, name)
    return str(macro(**args)).strip("\n")
