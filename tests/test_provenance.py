"""Provenance: every quote stands verbatim in its seed, every rule has a locator and text."""

from __future__ import annotations

import pytest

from engine.sources import verify_sources
from tests.conftest import SEEDS, run_cli


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_every_quote_is_verbatim_in_its_seed(program) -> None:  # noqa: ANN001
    problems, checked = verify_sources(program, SEEDS)
    assert not problems, "\n".join(p.format() for p in problems)
    assert checked >= 20


def test_every_document_with_rules_names_its_source(program) -> None:  # noqa: ANN001
    for doc in program.documents.values():
        if any(True for _ in program.statements_of(doc.id)) and doc.status != "cited":
            assert doc.source, f"{doc.id} has rules but no source file"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_a_changed_word_is_caught(program, tmp_path) -> None:  # noqa: ANN001
    seed = (SEEDS / "002_a88f85edc6361697.txt").read_text(encoding="utf-8")
    (tmp_path / "002_a88f85edc6361697.txt").write_text(seed.replace("kiêm nhiệm.", "chuyên trách."), encoding="utf-8")
    problems, _ = verify_sources(program, tmp_path)
    assert any(p.code == "Q017" and "giam_doc" in p.message for p in problems)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_verify_command(tmp_path) -> None:  # noqa: ANN001
    code, out, err = run_cli("verify", "--seeds", str(SEEDS))
    assert code == 0, out + err
    code, out, err = run_cli("verify", "--seeds", str(tmp_path))
    assert code == 1 and "Q002" in out + err
