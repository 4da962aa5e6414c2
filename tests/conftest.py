"""Shared fixtures: the bundled program, a CLI runner, and paths to the examples."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance import bundled_program, load_setup, to_facts
from compliance.cli import run
from engine import Evaluation, Program, Verdict, evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def program() -> Program:
    return bundled_program()


def invoke(args: list[str], stdin: bytes | str | None = None, env: Mapping[str, str | None] | None = None) -> tuple[int, str, str]:
    """Run `quyche ARGS` in this process, as a pipe would: (exit code, stdout, stderr); see :func:`invoke_bytes`."""
    code, out, err = invoke_bytes(args, stdin, env)
    return code, out.decode("utf-8"), err.decode("utf-8")


def invoke_bytes(args: list[str], stdin: bytes | str | None = None, env: Mapping[str, str | None] | None = None) -> tuple[int, bytes, bytes]:
    """Run `quyche ARGS` in this process, as a pipe would: (exit code, stdout's bytes, stderr's bytes).

    Standard input is ``stdin`` (empty when None), standard output and error are captured as
    UTF-8 (not terminals), and ``env`` is set for the run (None: the variable unset).
    """
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    streams = [io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")] + [io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in "12"]
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_env = {name: os.environ.get(name) for name in env or {}}
    _set_env(env or {})
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        try:
            code = run(list(args))
        except SystemExit as done:  # pragma: no cover - run() returns the command's code
            code = done.code if isinstance(done.code, int) else 1
        except KeyboardInterrupt:  # as compliance.cli.main says it
            code = 130
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        _set_env(saved_env)
    for stream in streams[1:]:
        stream.flush()
    out, err = (stream.buffer.getvalue() for stream in streams[1:])
    return code, out, err


def _set_env(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `quyche ARGS`; return (exit code, stdout, stderr)."""
    return invoke(list(args))


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
