"""The Program cache: same verdicts as a fresh build, and any change to a file is a new key."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from compliance import load_setup, report, to_facts
from compliance.regulations import cache_key, load_regulations, regulations_dir
from engine import evaluate
from tests.conftest import EXAMPLES


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("QUYCHE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _report(program, setup: Path) -> str:  # noqa: ANN001
    evaluation = evaluate(program, to_facts(load_setup(setup)), date(2024, 12, 31))
    return json.dumps(report(program, evaluation, setup.name), ensure_ascii=False, default=str, sort_keys=True)


def test_cached_program_gives_the_same_reports(cache_home: Path) -> None:
    fresh = load_regulations(use_cache=False)
    first = load_regulations()  # builds and writes the cache
    assert list(cache_home.glob("quyche/program-*.pickle"))
    cached = load_regulations()  # reads it
    for setup in sorted(EXAMPLES.rglob("*.yaml")):
        assert _report(cached, setup) == _report(fresh, setup) == _report(first, setup)


def test_any_change_to_a_regulation_file_changes_the_key(tmp_path: Path, cache_home: Path) -> None:
    copy = tmp_path / "regulations"
    shutil.copytree(regulations_dir(), copy)
    before = cache_key(copy)
    target = copy / "dong-thap" / "qd-953-2023.md"
    target.write_text(target.read_text(encoding="utf-8").replace("between 1 and 2", "between 1 and 3", 1), encoding="utf-8")
    assert cache_key(copy) != before


def test_a_corrupt_cache_file_is_rebuilt(cache_home: Path) -> None:
    key = cache_key(regulations_dir().resolve())
    path = cache_home / "quyche" / f"program-{key}.pickle"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert load_regulations().rules


def test_stale_cache_files_are_pruned(cache_home: Path) -> None:
    folder = cache_home / "quyche"
    folder.mkdir(parents=True)
    for i in range(6):
        (folder / f"program-old{i}.pickle").write_bytes(b"x")
    load_regulations()
    assert len(list(folder.glob("program-*.pickle"))) == 4
