"""Messages as data: a key into the catalogue plus its arguments, never a finished sentence.

The engine decides; the words a reader sees are chosen later, in ``compliance.catalogue``, in the
reader's language. An argument is plain data (text that is a name or quoted law, a number, a
date, a Decimal amount), a :class:`Money` amount, another :class:`Message` (a nested phrase such
as a rendered condition) or a tuple of those (a list the catalogue joins the way the language does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TypeAlias, Union

__all__ = ["Arg", "Message", "Money", "msg"]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in Vietnamese đồng, exact."""

    amount: Decimal


Arg: TypeAlias = Union[str, int, Decimal, date, datetime, bool, None, Money, "Message", tuple["Arg", ...]]


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue key (``"domain.name"``) and the arguments its placeholders take."""

    key: str
    args: tuple[tuple[str, Arg], ...] = field(default=())
    # Messages are compared and hashed often (the catalogue memoises their rendering): the hash
    # is computed once; None when an argument cannot be hashed.
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "_hash", hash((self.key, self.args)))
        except TypeError:
            object.__setattr__(self, "_hash", None)

    def __hash__(self) -> int:
        if self._hash is None:
            raise TypeError(f"unhashable message argument in {self.key!r}")
        return self._hash

    def arg(self, name: str) -> Arg:
        for k, v in self.args:
            if k == name:
                return v
        raise KeyError(name)

    def as_dict(self) -> dict[str, Arg]:
        return dict(self.args)


def msg(key: str, **args: Arg) -> Message:
    """``msg("check.count_expected", n=3)``: a message with its arguments in a stable order.

    Equal messages are one object (interned): comparing two trees of messages is then shallow."""
    made = Message(key, tuple(sorted(args.items())))
    return _intern(made) if made._hash is not None else made


@lru_cache(maxsize=1 << 16)
def _intern(message: Message) -> Message:
    return message
