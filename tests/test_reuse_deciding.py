"""Explaining reuses what deciding worked out (engine.logic.Context.reused) only when deciding met
nothing an explanation records: the explanations are the same as when everything is worked out again."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance import bundled_program, parse_setup
from compliance.setup import to_facts
from engine import evaluate
from engine.logic import Context
from engine.verdict import Evaluation
from tests.conftest import EXAMPLES

SETUPS = sorted(EXAMPLES.rglob("*.yaml"))
DATES = [date(2023, 1, 1), date(2024, 6, 30), date(2026, 1, 15)]


def _explained(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    return [(v.id, v.status, v.message, v.expected, v.actual, v.evidence, v.fix, v.trace, v.parameters) for v in evaluation.verdicts]


def _afresh(self: Context, node: object, rows: object, work: Any) -> Any:
    return work()


@pytest.mark.parametrize("path", SETUPS, ids=lambda p: p.name)
def test_explanations_as_if_worked_out_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = bundled_program()
    facts = to_facts(parse_setup(path.read_text(encoding="utf-8"), path.name))
    for when in DATES:
        reusing = _explained(evaluate(program, facts, when))
        with monkeypatch.context() as patch:
            patch.setattr(Context, "reused", _afresh)
            again = _explained(evaluate(program, facts, when))
        assert reusing == again


def _reuse_regardless(self: Context, node: object, rows: object, work: Any) -> Any:
    key = (id(node), id(rows))
    found = self._reusable.get(key)
    if found is not None:
        return found[2]
    result = self._reusable[key] = (node, rows, work())
    return result[2]


def test_reusing_regardless_of_what_deciding_met_would_change_explanations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: some example reads a parameter (or another unit's name) in a
    record's condition, and an explanation reusing that work regardless would lose its record."""
    program = bundled_program()
    changed = 0
    for path in SETUPS:
        facts = to_facts(parse_setup(path.read_text(encoding="utf-8"), path.name))
        for when in DATES:
            right = _explained(evaluate(program, facts, when))
            with monkeypatch.context() as patch:
                patch.setattr(Context, "reused", _reuse_regardless)
                changed += right != _explained(evaluate(program, facts, when))
    assert changed
