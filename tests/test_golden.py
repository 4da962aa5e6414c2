"""Golden outputs: what `quyche check` prints for every example, kept beside the tests for review.

Like Catala's expected-output tests: each example and each date it declares (`# expect:` lines,
see tests/test_examples.py) has its Vietnamese and English text reports stored under
tests/golden/. A change to a rule, a message or the renderer shows up as a diff to review.
Regenerate after an intended change with:

    QUYCHE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

then read `git diff tests/golden` before committing: the run that rewrites a file fails, so
no change is accepted unseen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli
from tests.test_examples import _examples, expectations

GOLDEN = ROOT / "tests" / "golden"
UPDATE = bool(os.environ.get("QUYCHE_UPDATE_GOLDEN"))

CASES = [
    pytest.param(path, when, lang, id=f"{path.relative_to(EXAMPLES)}@{when}.{lang}")
    for path in _examples()
    for _, when in expectations(path)
    for lang in ("vi", "en")
]


def _golden_path(path: Path, when: str, lang: str) -> Path:
    stem = str(path.relative_to(EXAMPLES).with_suffix("")).replace("/", "__")
    return GOLDEN / f"{stem}@{when}.{lang}.txt"


@pytest.mark.parametrize(("path", "when", "lang"), CASES)
def test_report_matches_its_golden_output(path: Path, when: str, lang: str) -> None:
    _, out, err = run_cli("check", str(path.relative_to(ROOT)), "--as-of", when, "--lang", lang, "--verbose")
    assert not err
    golden = _golden_path(path, when, lang)
    if UPDATE:
        before = golden.read_text(encoding="utf-8") if golden.exists() else None
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
        if before != out:  # a regenerated golden file fails the run that wrote it: review the diff first
            pytest.fail(f"{golden.name} regenerated: review `git diff tests/golden`, then run again without QUYCHE_UPDATE_GOLDEN")
    assert golden.exists(), f"no golden output yet: run QUYCHE_UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    assert out == golden.read_text(encoding="utf-8"), f"{golden.name} differs: review, then regenerate"


def test_no_stale_golden_files() -> None:
    expected = {_golden_path(p.values[0], p.values[1], p.values[2]).name for p in CASES}
    assert {g.name for g in GOLDEN.glob("*.txt")} == expected
