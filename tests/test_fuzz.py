"""Fuzzing as tests: mutations of the real regulation files and of real setups.

Properties: no exception escapes (a mutated file is a diagnostic / SetupError or a program that
evaluates), and every error has a place (line and column). The fast suite runs a modest number
of examples; ``pytest -m fuzz`` runs at least 10,000 of each and prints the count per outcome.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.loading import Limits, SetupError, decode, parse_setup
from compliance.setup import to_facts, vocabulary
from engine import Program, RegulationError, evaluate
from engine.ast import Module
from engine.parser import parse_text
from engine.program import build_program
from tests.conftest import EXAMPLES, ROOT

FAST = 60
FUZZ = int(os.environ.get("QUYCHE_FUZZ_EXAMPLES", "10000"))
AS_OF = date(2024, 6, 30)

REGULATION_FILES = sorted((ROOT / "regulations").rglob("*.quy"))
SETUP_FILES = sorted(EXAMPLES.rglob("*.yaml"))

# ---------------------------------------------------------------- mutations

# Fragments that broke quyche before (issue 11) or that a careless edit produces.
DSL_SNIPPETS = [
    "not " * 500,
    " and centre.operating = true" * 300,
    " or centre.operating = true" * 300,
    "[" * 400,
    "]" * 3,
    "9" * 5000,
    "1.00000000000000000000000000001",
    'at "Điều ' + "9" * 5000 + '"',
    "day 99 of each month",
    "between 5 and 3",
    "every 0 months",
    "2024-02-30",
    '"',
    '"""',
    "{",
    "}",
    "\x00",
    "\x1b[2J",
    "(",
    "count(staff where ",
    " = ",
    "0",
    "-",
    "Điều 0",
]

SETUP_SNIPPETS = [
    "2024-02-30",
    "2024-13-01",
    "0000-01-01",
    "2024-01-01 25:00:00",
    "2024-01-01T10:00:00+25:00",
    "9999-12-31T23:59:59-12:00",
    "!!bool maybe",
    "!!float abc",
    "!!int 12x",
    "9" * 5000,
    "[" * 500 + "]" * 500,
    "&a [1, 2]",
    "*a",
    "*undefined",
    "<<: *a",
    "!!python/object/apply:os.system [echo owned]",
    "\t",
    "\x07",
    "\x1b]0;x\x07",
    "[/]",
    "'",
    '"',
    ": ",
    "- ",
    "\n  ",
    "\n",
    "---\n",
    "~",
    "Có",
    "20/06/2024",
    "-1",
    "1e400",
    ".nan",
]


@st.composite
def mutated(draw: st.DrawFn, original: str, snippets: list[str]) -> str:
    """``original`` with 1–3 edits: a snippet inserted, a span deleted, duplicated or replaced."""
    text = original
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            text = draw(st.sampled_from(snippets))
            continue
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "char"]))
        end = min(len(text), at + draw(st.integers(1, 80)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(snippets)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[end:]
        elif kind == "duplicate":
            text = text[:end] + text[at:end] + text[end:]
        elif kind == "replace":
            text = text[:at] + draw(st.sampled_from(snippets)) + text[end:]
        else:
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at:]
    return text


# ---------------------------------------------------------------- the DSL


@cache
def _modules() -> dict[Path, Module]:
    return {path: parse_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) for path in REGULATION_FILES}


@cache
def _facts() -> list[dict[str, object]]:
    from compliance import load_setup

    return [to_facts(load_setup(EXAMPLES / name)) for name in ("dong-thap/cao-lanh.yaml", "binh-phuoc/provincial-ioc.yaml", "loc-ninh/loc-ninh.yaml")]


def dsl_outcome(path: Path, text: str) -> str:
    """'diagnostic' or 'verdict'; raises on an escaped exception or an error without a place."""
    shown = str(path.relative_to(ROOT))
    try:
        module = parse_text(text, shown)
        others = [m for p, m in _modules().items() if p != path]
        program: Program = build_program([*others, module], vocabulary())
    except RegulationError as err:
        unplaced = [d.format() for d in err.diagnostics if d.severity == "error" and d.line <= 0]
        assert not unplaced, unplaced
        return "diagnostic"
    for facts in _facts():
        evaluate(program, facts, AS_OF)
    return "verdict"


def _dsl_property(examples: int, counts: Counter[str]) -> Callable[[], None]:
    @settings(max_examples=examples, deadline=None, derandomize=examples < 1000, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(REGULATION_FILES))
        text = data.draw(mutated(path.read_text(encoding="utf-8"), DSL_SNIPPETS))
        counts[dsl_outcome(path, text)] += 1

    return run


def test_dsl_mutations_never_escape() -> None:
    counts: Counter[str] = Counter()
    _dsl_property(FAST, counts)()
    assert sum(counts.values()) >= FAST


def test_dsl_invalid_utf8_is_placed(tmp_path: Path) -> None:
    from engine.parser import parse_file

    source = REGULATION_FILES[0].read_bytes()
    for at in (0, len(source) // 2, len(source) - 1):
        path = tmp_path / "x.quy"
        path.write_bytes(source[:at] + b"\xff\xfe" + source[at:])
        with pytest.raises(RegulationError) as caught:
            parse_file(path)
        [diagnostic] = caught.value.diagnostics
        assert diagnostic.line == source[:at].count(b"\n") + 1 and diagnostic.column > 0


# ---------------------------------------------------------------- setups


def setup_outcome(raw: bytes) -> str:
    """'setup error' or 'verdict'; raises on an escaped exception or a problem without a place."""
    from compliance import bundled_program

    decoded = decode(raw)
    if not isinstance(decoded, str):
        assert decoded.line > 0 and decoded.column > 0
        return "setup error"
    try:
        setup = parse_setup(decoded, "fuzz.yaml", Limits())
    except SetupError as err:
        assert err.details
        assert all(p.line > 0 and p.column > 0 for p in err.details), err.render("en")
        assert all(p.text("vi") and p.text("en") for p in err.details)
        return "setup error"
    evaluate(bundled_program(), to_facts(setup), AS_OF)
    return "verdict"


@st.composite
def setup_bytes(draw: st.DrawFn) -> bytes:
    path = draw(st.sampled_from(SETUP_FILES))
    text = draw(mutated(path.read_text(encoding="utf-8"), SETUP_SNIPPETS))
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 19)) == 0:  # now and then a byte that is not UTF-8
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe3\x80", b"\xed\xa0\x80"])) + raw[at:]
    return raw


def _setup_property(examples: int, counts: Counter[str]) -> Callable[[], None]:
    @settings(max_examples=examples, deadline=None, derandomize=examples < 1000, suppress_health_check=list(HealthCheck))
    @given(setup_bytes())
    def run(raw: bytes) -> None:
        counts[setup_outcome(raw)] += 1

    return run


def test_setup_mutations_never_escape() -> None:
    counts: Counter[str] = Counter()
    _setup_property(FAST, counts)()
    assert sum(counts.values()) >= FAST


@settings(max_examples=FAST, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates() | st.datetimes(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
        max_leaves=25,
    )
)
def test_generated_setups_never_escape(value: object) -> None:
    import yaml

    try:
        text = yaml.safe_dump({"centre": {"id": "x", "name": "y"}, "staff": value}, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return
    assert setup_outcome(text.encode("utf-8", errors="surrogatepass")) in ("setup error", "verdict")


# ---------------------------------------------------------------- the long run (pytest -m fuzz)


@pytest.mark.fuzz
def test_fuzz_dsl_mutations() -> None:
    counts: Counter[str] = Counter()
    _dsl_property(FUZZ, counts)()
    print(f"\nDSL mutations: {sum(counts.values())} — " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ", escaped exception 0")
    assert sum(counts.values()) >= FUZZ


@pytest.mark.fuzz
def test_fuzz_setup_mutations() -> None:
    counts: Counter[str] = Counter()
    _setup_property(FUZZ, counts)()
    print(f"\nSetup mutations: {sum(counts.values())} — " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ", escaped exception 0")
    assert sum(counts.values()) >= FUZZ
