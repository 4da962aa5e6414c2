"""The reader's words for pieces of the law: deadlines, due dates, conditions, cardinalities.

Thin helpers over engine.phrase (which builds catalogue messages) and the catalogue (which says
them), for the calendar, the site and the review: one renderer, the catalogue's.
"""

from __future__ import annotations

from typing import cast

from compliance.catalogue import Lang, text
from engine import ast, phrase
from engine.message import Message
from engine.schedule import Occurrence

__all__ = ["describe_cardinality", "describe_condition", "describe_deadline", "describe_due", "say"]


def say(message: Message, lang: str) -> str:
    return text(message, cast(Lang, lang))


def describe_deadline(deadline: ast.Deadline, lang: str = "vi") -> str:
    """ "chậm nhất ngày 25 tháng 6, 12 hằng năm"."""
    return say(phrase.deadline(deadline), lang)


def describe_due(occurrence: Occurrence, lang: str = "vi") -> str:
    """ "trước ngày 25/05/2024 (đến đúng ngày đó là trễ hạn)"."""
    return say(phrase.due(occurrence), lang)


def describe_condition(expr: ast.Expr | None, lang: str = "vi") -> str:
    """ "vị trí bắt đầu bằng “Chủ tịch”"."""
    return say(phrase.condition(expr), lang)


def describe_cardinality(card: ast.Cardinality, lang: str = "vi") -> str:
    """ "đúng 1", "at least 3"."""
    return say(phrase.cardinality(card), lang)
