"""Claims → recomputed figures: every number a document states, checked against its computation.

A claim records a figure a document states (a budget table cell, a total, a projection) and,
where the document gives the means, how to compute it: ``computed 19 * 1.5 * luong_co_so``.
A name in a claim's expression is, in this order, another claim of the same document (it
stands for that claim's *stated* figure, so a total is checked against the parts as the
document prints them) or a dated parameter, read on the claim's ``as of`` date (else the
document's effective or signing date). Evaluation reuses :class:`engine.evaluate.Context`,
which records every parameter value it reads.

Status: ``satisfied`` (stated = computed), ``violated`` (they differ), ``unknown`` (a figure
cannot be computed: an unknown name, a parameter with no date or no value then, a cycle of
claims), ``not_applicable`` (an input figure: the document states it and gives no way to
recompute it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine import ast
from engine.logic import Context
from engine.program import Program, _paths
from engine.verdict import UNKNOWN, Status

__all__ = ["ClaimResult", "evaluate_claims"]


@dataclass
class ClaimResult:
    id: str
    document: str
    locator: str | None
    text: str | None
    stated: Decimal | None
    computed: Decimal | None
    status: Status
    as_of: date | None  # the date parameters were read at (None: the claim has no date)
    parameters: list[dict[str, Any]] = field(default_factory=list)  # parameter, value, from, source, as_of
    references: list[dict[str, str]] = field(default_factory=list)  # other claims used: id, stated value
    problem: str | None = None  # why a figure could not be computed
    notes: tuple[str, ...] = ()
    span: ast.Span | None = None

    @property
    def difference(self) -> Decimal | None:
        """computed − stated, when both are known."""
        if self.stated is None or self.computed is None:
            return None
        return self.computed - self.stated


class _CycleError(Exception):
    def __init__(self, chain: list[str]) -> None:
        super().__init__(" → ".join(chain))
        self.chain = chain


class _ClaimContext(Context):
    """A Context in which a bare name may be another claim of the same document."""

    def __init__(self, program: Program, claim: ast.Claim, when: date | None) -> None:
        # date.min: no parameter has a value then, so a dateless claim reads parameters as unknown.
        super().__init__(program, {}, when or date.min)
        self.document = claim.document
        self.stack = [claim.id]
        self.references: dict[str, str] = {}
        self.unknown_names: set[str] = set()

    def _claim(self, name: str) -> ast.Claim | None:
        for candidate in (name, f"{self.document}.{name}"):
            found = self.program.claims.get(candidate)
            if found is not None and found.document == self.document:
                return found
        return None

    def _path(self, path: ast.Path, record: Mapping[str, Any] | None) -> Any:
        if record is None:
            target = self._claim(path.parts[0]) if len(path.parts) == 1 else None
            if target is not None:
                return self._stated(target)
            if path.parts[0] not in self.program.parameters:
                self.unknown_names.add(str(path))
        return super()._path(path, record)

    def _stated(self, target: ast.Claim) -> Any:
        if target.id in self.stack:
            raise _CycleError(self.stack[self.stack.index(target.id) :] + [target.id])
        self.stack.append(target.id)
        try:
            value = self.value(target.stated) if target.stated is not None else UNKNOWN
        finally:
            self.stack.pop()
        self.references[target.id] = _plain(value)
        return value


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return "?" if value is UNKNOWN else str(value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is UNKNOWN or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return None


def _claim_date(program: Program, claim: ast.Claim) -> date | None:
    doc = program.documents.get(claim.document)
    return claim.as_of or (doc.effective or doc.signed if doc else None)


def _evaluate(program: Program, claim: ast.Claim, when: date | None) -> ClaimResult:
    ctx = _ClaimContext(program, claim, when)
    result = ClaimResult(
        id=claim.id,
        document=claim.document,
        locator=str(claim.locator) if claim.locator else None,
        text=claim.text,
        stated=None,
        computed=None,
        status=Status.UNKNOWN,
        as_of=when,
        notes=claim.notes,
        span=claim.span,
    )
    with ctx.recording():  # the parameters the computation reads are part of the result
        try:
            stated = ctx.value(claim.stated) if claim.stated is not None else UNKNOWN
            computed = ctx.value(claim.computed) if claim.computed is not None else None
        except _CycleError as cycle:
            result.problem = f"cycle: {cycle}"
            return result
        result.parameters = list(ctx.params_used.values())
    result.stated = _decimal(stated)
    result.computed = _decimal(computed)
    result.references = [{"claim": k, "stated": v} for k, v in ctx.references.items()]
    if result.stated is None:
        result.problem = "the claim states no number"
    elif claim.computed is None:
        result.status = Status.NOT_APPLICABLE  # an input figure: nothing to recompute
    elif result.computed is not None:
        result.status = Status.SATISFIED if result.computed == result.stated else Status.VIOLATED
    elif ctx.unknown_names:
        result.problem = "unknown name(s): " + ", ".join(sorted(ctx.unknown_names))
    elif when is None and _uses_parameters(program, claim.computed):
        result.problem = "no date to read the parameters at (add `as of YYYY-MM-DD`)"
    else:
        result.problem = "the computation has no value (a parameter without a value on that date, or a division by zero)"
    return result


def _uses_parameters(program: Program, node: object) -> bool:
    return any(path.parts[0] in program.parameters for path, _ in _paths(node))


def evaluate_claims(program: Program, doc_id: str | None = None, when: date | None = None) -> list[ClaimResult]:
    """Recompute the claims of ``doc_id`` (default: every document), sorted by id.

    ``when`` reads every parameter on that date instead of each claim's own date: what the
    figures would be today, for instance.
    """
    out: list[ClaimResult] = []
    for claim in sorted(program.claims.values(), key=lambda c: c.id):
        if doc_id is not None and claim.document != doc_id:
            continue
        out.append(_evaluate(program, claim, when or _claim_date(program, claim)))
    return out
