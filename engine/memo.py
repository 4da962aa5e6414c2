"""Values worked out once per object, found by the object's identity: the engine's one memo.

What is static for a program — the closure of a condition, the phrase of a rule, a program's
plan, an occurrence's deadline in words — is computed once and reused for every setup. Keyed by
identity, not equality: AST nodes are frozen dataclasses whose hash walks the whole tree, and
``Literal(True) == Literal(1)`` (True == 1), so an equality-keyed memo could answer for the wrong
node. Each entry keeps its object alive, so an id is never reused while its entry exists; past
``limit`` entries the memo starts afresh (programs built again and again, e.g. a server
reviewing drafts, or a long audit), so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ByIdentity", "forget", "forgettable"]

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """A bounded memo from objects (by identity) to values that are never None."""

    __slots__ = ("_entries", "_limit")

    def __init__(self, limit: int) -> None:
        self._entries: dict[int, tuple[object, V]] = {}
        self._limit = limit

    def get(self, obj: object) -> V | None:
        entry = self._entries.get(id(obj))
        return entry[1] if entry is not None and entry[0] is obj else None

    def put(self, obj: object, value: V) -> V:
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[id(obj)] = (obj, value)
        return value


# The memos of what a setup brings (its names, its rendered words): bounded, and yet a long audit's
# worker that keeps them filled holds more and more memory (new entries land in fresh memory while
# the old ones' pages stay in use), so every so many centres it forgets them all and starts afresh.
_FORGETTABLE: list[Callable[[], None]] = []


def forgettable(clear: Callable[[], None]) -> None:
    """Register ``clear`` (a memo's ``clear`` or ``cache_clear``) to be called by :func:`forget`."""
    _FORGETTABLE.append(clear)


def forget() -> None:
    """Empty every memo registered as forgettable: a worker does so every few hundred centres."""
    for clear in _FORGETTABLE:
        clear()
