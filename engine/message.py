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
    # The catalogue memoises rendering by message: the hash of a tree of messages is computed
    # on first use and kept (evaluation, the hot path, never pays for it).
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self.key, self.args)))
        return self._hash  # type: ignore[return-value]

    def arg(self, name: str) -> Arg:
        for k, v in self.args:
            if k == name:
                return v
        raise KeyError(name)

    def as_dict(self) -> dict[str, Arg]:
        return dict(self.args)


def msg(key: str, **args: Arg) -> Message:
    """``msg("check.count_expected", n=3)``: a message with its arguments in a stable order."""
    if len(args) < 2:  # the hot path builds many messages of none or one argument: nothing to sort
        return Message(key, tuple(args.items()))
    return Message(key, tuple(sorted(args.items())))
