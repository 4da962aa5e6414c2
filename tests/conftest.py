"""Shared fixtures: the bundled program, a CLI runner, and paths to the examples."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compliance import bundled_program, load_setup, to_facts
from compliance.cli import app
from engine import Evaluation, Program, Verdict, evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def program() -> Program:
    return bundled_program()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `quyche ARGS`; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_json(setup: Path | str, as_of: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli("check", str(setup), "--as-of", as_of, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def evaluate_setup(program: Program, setup: Path | str, as_of: date) -> Evaluation:
    return evaluate(program, to_facts(load_setup(setup)), as_of)


def verdict(evaluation: Evaluation, rule_id: str) -> Verdict:
    """The verdict of ``rule_id`` (full id, or the part after the document's dot)."""
    found = [v for v in evaluation.verdicts if v.id == rule_id or v.id.split(".", 1)[-1] == rule_id]
    assert len(found) == 1, f"{rule_id}: {[v.id for v in evaluation.verdicts]}"
    return found[0]


def said(message: object, lang: str = "vi") -> str:
    """An engine message as the reader reads it in ``lang`` ("" for none)."""
    from compliance.catalogue import text
    from engine.message import Message

    if message is None:
        return ""
    return text(message, lang) if isinstance(message, Message) else str(message)  # type: ignore[arg-type]
