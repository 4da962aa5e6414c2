"""Program + facts + a date → verdicts: honest, three-valued evaluation with its evidence.

Facts are plain data (a mapping: ``centre`` → dict, each collection → list of dicts); a key the
setup does not give is *unknown*, never false. Each rule, obligation and pilot becomes a
:class:`Verdict` whose status is satisfied, violated, not_applicable or unknown, with the
records that decided it, the parameter values used, and the steps of its derivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from engine import ast, phrase
from engine.applicability import doubt_applicability, excluded_claim, no_document_applies
from engine.compile import MEMO_LIMIT, paths_of
from engine.constraints import check_constraint, decide_constraint
from engine.logic import Context, truth
from engine.memo import ByIdentity
from engine.message import Message, msg
from engine.obligations import is_extended, obligation_verdict, obligation_window
from engine.program import Program
from engine.reorganisation import reorganisation_verdicts
from engine.text import text_key
from engine.verdict import UNKNOWN, Evaluation, Facts, Status, Verdict, combine, finish, mark_not_applicable, mark_unknown, new_verdict, status_word, summary_of

__all__ = ["Status", "Verdict", "Evaluation", "evaluate", "UNKNOWN", "doc_in_force", "obligation_window", "Context"]


def doc_in_force(doc: ast.Document, when: date) -> tuple[bool, Message | None]:
    """Whether ``doc`` is in force on ``when``; if not, why."""
    if doc.signed is not None and when < doc.signed:
        return False, msg("applicability.not_signed", document=doc.label, when=when, signed=doc.signed)
    start = doc.effective or doc.signed
    if start is not None and when < start:
        return False, msg("applicability.not_in_force", document=doc.label, when=when, start=start)
    if doc.status == "temporary" and doc.pilot and doc.pilot.until and when > doc.pilot.until:
        return False, msg("applicability.pilot_over", document=doc.label, until=doc.pilot.until)
    return True, None


def _applies(ctx: Context, doc: ast.Document) -> bool | None:
    if doc.status == "cited":
        return False
    if doc.applies is None:
        return None if not _governing(ctx, doc) else True
    return truth(ctx.value(doc.applies.condition))


def _governing(ctx: Context, doc: ast.Document) -> bool:
    listed = ctx.centre().get("governing_documents")
    if not listed:
        return False
    keys = {text_key(str(x)) for x in listed}
    return text_key(doc.id) in keys or (doc.number is not None and text_key(doc.number) in keys)


def _rule_verdict(ctx: Context, rule: ast.Rule, doc: ast.Document, gate: Message | None, overridden_by: str | None) -> Verdict:
    """The rule's status, decided now; its explanation, built when first read (Verdict.explain_with)."""
    v = new_verdict(rule, doc, "rule")
    if gate is not None or overridden_by is not None:
        reason = gate if gate is not None else msg("trace.overridden", by=overridden_by)
        v.status = Status.NOT_APPLICABLE
        v.explain_with(lambda v: mark_not_applicable(v, reason, summary_of(rule)))
        return v
    v.status = _decide_rule(ctx, rule)
    v.explain_with(lambda v: _explain_rule(ctx, rule, v))
    return v


def _decide_rule(ctx: Context, rule: ast.Rule) -> Status:
    if rule.when is not None:
        applies = truth(ctx.value(rule.when))
        if applies is False:
            return Status.NOT_APPLICABLE
        if applies is None:
            return Status.UNKNOWN
    statuses = []
    for c in rule.requires:
        status = decide_constraint(ctx, c)
        if status is Status.VIOLATED:
            return status  # violated wins (combine): the rest need not be decided
        statuses.append(status)
    return combine(statuses)


def _explain_rule(ctx: Context, rule: ast.Rule, v: Verdict) -> None:
    """The rule decided again with its record kept: conditions, constraints, parameters, outcome."""
    with ctx.recording():
        summary = summary_of(rule)
        if rule.when is not None:
            applies = truth(ctx.value(rule.when))
            condition = phrase.condition(rule.when)
            v.trace.append(msg("trace.condition", condition=condition, holds=_truth_word(applies)))
            if applies is False:
                mark_not_applicable(v, msg("applicability.condition_fails", condition=condition), summary)
                return
            if applies is None:
                mark_unknown(v, msg("applicability.condition_unknown"), summary)
                return
        results = [check_constraint(ctx, c) for c in rule.requires]
        v.status = combine([r.status for r in results])
        deciding = [r for r in results if r.status is v.status] or results
        v.expected = _clauses(rule, tuple(r.expected for r in results))
        v.actual = msg("check.clauses", items=tuple(r.actual for r in results))
        for r in results:
            v.evidence.extend(r.evidence)
            v.trace.append(msg("trace.constraint", phrase=r.phrase, status=_STATUS_WORDS[r.status]))
        v.trace.extend(ctx.take_events())
        v.trace.extend(_parameter_steps(ctx, rule))
        ctx.take_events()
        v.message = msg("check.outcome", status=_STATUS_WORDS[v.status], summary=summary, reasons=tuple(r.phrase for r in deciding))
        if v.status is Status.VIOLATED and ctx.name_notes:  # a name that fails only because it is another unit's (engine.names)
            v.message = msg("check.outcome_noted", outcome=v.message, notes=tuple(ctx.name_notes.values()))
        finish(v)


# rule → what its constraints require (their words are memoised, so mostly the same objects for
# every setup) and the message listing them: one object for every setup while its parts are the same.
_CLAUSES: ByIdentity[tuple[tuple[Message, ...], Message]] = ByIdentity(MEMO_LIMIT)


def _clauses(rule: ast.Rule, items: tuple[Message, ...]) -> Message:
    found = _CLAUSES.get(rule)
    if found is not None and len(found[0]) == len(items) and all(a is b for a, b in zip(found[0], items, strict=True)):
        return found[1]
    return _CLAUSES.put(rule, (items, msg("check.clauses", items=items)))[1]


_TRUTH_WORDS: dict[bool | None, Message] = {True: msg("value.true"), False: msg("value.false"), None: msg("value.unknown")}
_STATUS_WORDS: dict[Status, Message] = {s: status_word(s) for s in Status}  # messages are immutable: built once


def _truth_word(value: bool | None) -> Message:
    return _TRUTH_WORDS[value]


def _parameter_steps(ctx: Context, rule: ast.Rule) -> list[Message]:
    """Each computation on dated parameters alone, resolved for the date: "1,5 × lương cơ sở = 3.510.000"."""
    steps: list[Message] = []
    for node in _parameter_computations(rule, ctx.program.parameters):
        result = ctx.value(node)
        steps.append(msg("trace.computed", expression=phrase.condition(node), value=phrase.value(None if result is UNKNOWN else result), as_of=ctx.when))
    return steps


# rule → (the parameters' names, its computations on them).
_COMPUTATIONS: ByIdentity[tuple[frozenset[str], tuple[ast.Arith, ...]]] = ByIdentity(MEMO_LIMIT)


def _parameter_computations(rule: ast.Rule, parameters: Mapping[str, object]) -> tuple[ast.Arith, ...]:
    """The outermost arithmetic of ``rule`` on parameters alone (static: computed once per rule and program's parameters)."""
    entry = _COMPUTATIONS.get(rule)
    if entry is not None and entry[0] == parameters.keys():
        return entry[1]
    names = frozenset(parameters)
    return _COMPUTATIONS.put(rule, (names, _computations(rule, names)))[1]


def _computations(rule: ast.Rule, parameters: frozenset[str]) -> tuple[ast.Arith, ...]:
    found = [
        node
        for node in ast.walk((rule.requires, rule.when))
        if isinstance(node, ast.Arith) and (paths := paths_in(node)) and all(p.parts[0] in parameters for p in paths)
    ]
    inner = {id(n) for outer in found for n in ast.walk(outer) if n is not outer}
    return tuple(dict.fromkeys(n for n in found if id(n) not in inner))


def paths_in(node: object) -> list[ast.Path]:
    return list(paths_of(node))


def _pilot_verdict(ctx: Context, doc: ast.Document) -> Verdict:
    """Whether the centre runs past the end of the document's pilot: decided now, explained when read."""
    assert doc.pilot is not None
    prov = doc.pilot.provenance
    v = Verdict(
        id=f"{doc.id}.pilot",
        kind="pilot",
        document=doc.id,
        status=Status.UNKNOWN,
        locator=str(prov.locator),
        text=prov.text,
        severity="error" if doc.status != "draft" else "info",
        binding=doc.status != "draft",
    )
    until = doc.pilot.until
    if until is None:
        v.severity = "warning"
    elif ctx.when <= until or is_extended(doc, ctx.centre()):
        v.status = Status.SATISFIED
    else:
        operating = ctx.centre().get("operating")
        v.status = Status.SATISFIED if operating is False else Status.VIOLATED if operating is True else Status.UNKNOWN
    v.explain_with(lambda v: _explain_pilot(ctx, doc, v))
    return v


def _explain_pilot(ctx: Context, doc: ast.Document, v: Verdict) -> None:
    assert doc.pilot is not None
    prov = doc.pilot.provenance
    until = doc.pilot.until
    if until is None:
        v.expected = msg("pilot.end_needed")
        v.actual = msg("pilot.no_end")
        v.message = msg("pilot.no_end_message", document=doc.label)
        v.fix = msg("pilot.fix_end")
        finish(v)
        return
    v.expected = msg("pilot.ends", until=until)
    v.trace.append(msg("trace.pilot", until=until, as_of=ctx.when))
    if ctx.when <= until:
        v.actual = msg("pilot.running", as_of=ctx.when)
        v.message = msg("pilot.running_message", document=doc.label, until=until)
        finish(v)
        return
    centre = ctx.centre()
    extensions = [str(x) for x in centre.get("pilot_extensions") or []]
    operating = centre.get("operating")
    v.actual = msg("pilot.operating", as_of=ctx.when, operating=phrase.value(operating))
    if is_extended(doc, centre):
        v.evidence.append({"record": "centre.pilot_extensions", "role": "decides", "value": extensions})
        v.message = msg("pilot.extended_message", document=doc.label, until=until)
    elif operating is False:
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": False})
        v.message = msg("pilot.stopped_message", document=doc.label, until=until)
    elif operating is True:
        v.evidence.append({"record": "centre.operating", "role": "decides", "value": True})
        v.message = msg("pilot.overrun_message", document=doc.label, locator=str(prov.locator), until=until)
        v.fix = msg("pilot.fix_overrun")
    else:
        v.message = msg("pilot.unknown_message", document=doc.label, until=until)
    finish(v)


def _why_it_applies(ctx: Context, doc: ast.Document) -> Message:
    """The first event of every derivation: the document is in force, and it governs this centre."""
    start = doc.effective or doc.signed
    if doc.applies is not None:
        where = str(doc.applies.provenance.locator) if doc.applies.provenance else ""
        facts = tuple(
            msg("check.fact", field=phrase.field(str(p)), value=phrase.value(None if (x := ctx.value(p)) is UNKNOWN else x))
            for p in dict.fromkeys(paths_in(doc.applies.condition))
        )
        return msg("trace.document_applies", document=doc.label, since=start, where=where, condition=phrase.condition(doc.applies.condition), facts=facts)
    return msg("trace.document_listed", document=doc.label, since=start)


@dataclass(frozen=True)
class _Plan:
    """What evaluation needs of a program in order, worked out once per program (not per setup)."""

    documents: tuple[ast.Document, ...]  # by id
    rules: dict[str, tuple[ast.Rule, ...]]  # document id → its rules, by id
    obligations: dict[str, tuple[ast.Obligation, ...]]  # document id → its obligations, by id
    overriding: tuple[ast.Rule, ...]  # the rules that set others aside


_PLANS: ByIdentity[_Plan] = ByIdentity(64)  # program → its plan


def _plan(program: Program) -> _Plan:
    found = _PLANS.get(program)
    if found is not None:
        return found
    documents = tuple(sorted(program.documents.values(), key=lambda d: d.id))
    plan = _Plan(
        documents=documents,
        rules={d.id: tuple(sorted((r for r in program.rules.values() if r.document == d.id), key=lambda r: r.id)) for d in documents},
        obligations={d.id: tuple(sorted((o for o in program.obligations.values() if o.document == d.id), key=lambda o: o.id)) for d in documents},
        overriding=tuple(r for r in program.rules.values() if r.overrides),
    )
    return _PLANS.put(program, plan)


def evaluate(program: Program, facts: Facts, as_of: date) -> Evaluation:
    """Evaluate every applicable document's rules, obligations and pilot against ``facts``.

    Statuses are decided here; each verdict's explanation is built when first read, from the
    same facts (which must not change meanwhile)."""
    plan = _plan(program)
    ctx = Context(program, facts, as_of)
    verdicts: list[Verdict] = []
    applied: list[ast.Document] = []
    gates: dict[str, Message | None] = {}
    doubtful: set[str] = set()  # documents whose applicability is unknown
    for doc in plan.documents:
        applies = _applies(ctx, doc)
        if applies is False and doc.applies is not None and doc.status != "cited" and _governing(ctx, doc):
            verdicts.append(excluded_claim(ctx, doc))  # the setup claims a document whose scope excludes it
        if applies is False or (applies is None and doc.applies is None):
            continue
        if applies is None:
            doubtful.add(doc.id)
            verdicts.append(_applicability_unknown(doc))
        applied.append(doc)
        _, why = doc_in_force(doc, as_of)
        gate = why
        if (
            gate is not None
            and doc.status == "temporary"
            and doc.pilot is not None
            and doc.pilot.until is not None
            and as_of > doc.pilot.until
            and is_extended(doc, ctx.centre())
        ):
            gate = None  # the setup records a document extending the temporary regulation's pilot
        gates[doc.id] = gate
    overridden: dict[str, str] = {}
    for rule in plan.overriding:  # a rule in force whose condition holds sets its targets aside
        if rule.document in gates and gates[rule.document] is None and (rule.when is None or truth(ctx.value(rule.when)) is True):
            for ref in rule.overrides:
                target = ref if ref in program.rules else f"{rule.document}.{ref}"
                overridden[target] = rule.id
    for doc in applied:
        gate = gates[doc.id]
        first = len(verdicts)
        for rule in plan.rules[doc.id]:
            verdicts.append(_rule_verdict(ctx, rule, doc, gate, overridden.get(rule.id)))
        for ob in plan.obligations[doc.id]:
            verdicts.append(obligation_verdict(ctx, ob, doc, gate))
        if gate is None:  # every derivation starts from why the document governs this centre on this date
            _start_with_why(ctx, doc, verdicts[first:])
        start = doc.effective or doc.signed
        if doc.pilot is not None and (start is None or as_of >= start):
            verdicts.append(_pilot_verdict(ctx, doc))
        if doc.id in doubtful:
            doubt_applicability(verdicts[first:], doc)
    if not applied:
        verdicts.append(no_document_applies(ctx))
    # As of a date after a 2025 reorganisation event: what ceased, and what replaced it (never a violation).
    verdicts.extend(reorganisation_verdicts(ctx.reorganisation, program, facts, [d.id for d in applied if gates[d.id] is None]))
    return Evaluation(as_of=as_of, documents=[d.id for d in applied], verdicts=verdicts)


def _start_with_why(ctx: Context, doc: ast.Document, verdicts: list[Verdict]) -> None:
    """The first event of each verdict's trace: why the document applies (phrased once, when first read)."""
    why: list[Message] = []

    def first_event(v: Verdict) -> None:
        if not why:
            why.append(_why_it_applies(ctx, doc))
        v.add_event(why[0], first=True)

    for v in verdicts:
        v.explain_with(first_event)


def _applicability_unknown(doc: ast.Document) -> Verdict:
    """Rules of a document in force still evaluate; the applicability doubt is reported here.
    A document not yet signed or in force stays not applicable whatever the doubt."""
    return Verdict(
        id=f"{doc.id}.applicability",
        kind="applicability",
        document=doc.id,
        status=Status.UNKNOWN,
        locator=str(doc.applies.provenance.locator) if doc.applies and doc.applies.provenance else None,
        text=doc.applies.provenance.text if doc.applies and doc.applies.provenance else None,
        severity="warning",
        binding=doc.status != "draft",
        message=msg("applicability.unknown", document=doc.label),
        expected=phrase.condition(doc.applies.condition) if doc.applies else None,
        trace=[msg("trace.outcome", status=status_word(Status.UNKNOWN))],
    )
