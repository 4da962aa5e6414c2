"""The Program cache: data, not code; same verdicts as a fresh build; any damage means "rebuild"."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import load_setup, report, to_facts
from compliance.program_cache import CacheError, dumps, loads
from compliance.regulations import cache_key, load_regulations, regulations_dir
from engine import Program, ast, evaluate
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("QUYCHE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _report(program: Program, setup: Path, when: date = date(2024, 12, 31)) -> str:
    evaluation = evaluate(program, to_facts(load_setup(setup)), when)
    return json.dumps(report(program, evaluation, setup.name), ensure_ascii=False, default=str, sort_keys=True)


def _cache_file(cache_home: Path) -> Path:
    return cache_home / "quyche" / f"program-{cache_key(regulations_dir().resolve())}.quyprog"


@pytest.fixture(scope="module")
def fresh() -> Program:
    return load_regulations(use_cache=False)


@pytest.fixture(scope="module")
def encoded(fresh: Program) -> bytes:
    return dumps(fresh, "k")


def test_cached_program_gives_the_same_reports(cache_home: Path, fresh: Program) -> None:
    first = load_regulations()  # builds and writes the cache
    assert _cache_file(cache_home).is_file()
    cached = load_regulations()  # reads it
    assert cached == fresh
    for setup in sorted(EXAMPLES.rglob("*.yaml")):
        for when in (date(2024, 12, 31), date(2025, 12, 31)):
            assert _report(cached, setup, when) == _report(fresh, setup, when) == _report(first, setup, when)


def test_the_cache_is_data_not_pickle(cache_home: Path) -> None:
    load_regulations()
    data = _cache_file(cache_home).read_bytes()
    assert data.startswith(b"QUYCHE-PROGRAM ")
    header, payload = data.split(b"\n", 2)[1:]
    assert json.loads(header)["bytes"] == len(payload)
    json.loads(payload)  # the whole payload is JSON


def test_round_trip_keeps_every_field_and_shared_objects(fresh: Program, encoded: bytes) -> None:
    again = loads(encoded, "k")
    assert again == fresh
    assert again.rules == fresh.rules and again.documents == fresh.documents
    # The index tables hold the same objects as the modules, as after a fresh build.
    rule = next(iter(again.rules.values()))
    assert any(r is rule for m in again.modules for r in m.rules)
    assert dumps(again, "k") == encoded, "deterministic bytes"


def test_any_change_to_a_regulation_file_changes_the_key(tmp_path: Path, cache_home: Path) -> None:
    copy = tmp_path / "regulations"
    shutil.copytree(regulations_dir(), copy)
    before = cache_key(copy)
    target = copy / "dong-thap" / "qd-953-2023.md"
    target.write_text(target.read_text(encoding="utf-8").replace("between 1 and 2", "between 1 and 3", 1), encoding="utf-8")
    assert cache_key(copy) != before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:-1], id="one-byte-short"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: os.urandom(len(b)), id="random-bytes"),
        pytest.param(lambda b: b.replace(b'"between"', b'"at_most"', 1) if b'"between"' in b else b[:-2] + b"x]", id="altered-payload"),
        pytest.param(lambda b: b"\x80\x04K\x01.", id="pickle"),
        pytest.param(lambda b: b"<!DOCTYPE html><html></html>", id="foreign-file"),
        pytest.param(lambda b: b.replace(b"QUYCHE-PROGRAM 2", b"QUYCHE-PROGRAM 9", 1), id="other-version"),
    ],
)
def test_a_damaged_cache_is_rebuilt_with_the_same_verdicts(cache_home: Path, fresh: Program, damage: object) -> None:
    load_regulations()
    path = _cache_file(cache_home)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    program = load_regulations()
    assert program == fresh
    assert load_regulations() == fresh and path.read_bytes().startswith(b"QUYCHE-PROGRAM 2\n"), "rewritten"


def test_a_crafted_pickle_is_never_executed(cache_home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    path = _cache_file(cache_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(Evil()))
    path.with_suffix(".pickle").write_bytes(pickle.dumps(Evil()))
    assert load_regulations().rules
    assert not marker.exists()


def test_a_valid_checksum_over_a_foreign_class_is_refused(encoded: bytes) -> None:
    header, payload = encoded.split(b"\n", 2)[1:]
    body = json.loads(payload)
    import copy
    import hashlib

    def forge(change: Any) -> bytes:
        forged_body = copy.deepcopy(body)
        change(forged_body)
        forged = json.dumps(forged_body).encode()
        head = json.dumps({"key": "k", "sha256": hashlib.sha256(forged).hexdigest(), "bytes": len(forged)}).encode()
        return b"QUYCHE-PROGRAM 2\n" + head + b"\n" + forged

    for change in (
        lambda b: b["classes"][0].__setitem__(0, "os.system"),  # a class the engine does not define
        lambda b: b["classes"][0][1].append("extra"),  # fields the code does not have
        lambda b: b["classes"][0][1].reverse(),  # fields in another order
        lambda b: b["nodes"][0].__setitem__(0, len(b["classes"])),  # a class the table does not name
        lambda b: b["nodes"][0][1].append(None),  # a value too many
    ):
        with pytest.raises(CacheError):
            loads(forge(change), "k")
    assert loads(forge(lambda b: None), "k") is not None
    with pytest.raises(CacheError):
        loads(encoded, "another key")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_corrupted_files_never_load_as_a_different_program(encoded: bytes, fresh: Program, data: st.DataObject) -> None:
    blob = bytearray(encoded)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(blob) - 1))
        blob[i] = data.draw(st.integers(0, 255))
    try:
        program = loads(bytes(blob), "k")
    except CacheError:
        return
    assert program == fresh  # only an unchanged (byte-identical) file loads


def test_unreadable_or_read_only_cache_dir_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: Program) -> None:
    monkeypatch.delenv("QUYCHE_NO_CACHE", raising=False)
    # The cache home is a file: the folder cannot exist.
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_regulations() == fresh
    # A read-only cache home (root ignores permissions, so this checks only "no traceback").
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(ro))
    try:
        assert load_regulations() == fresh
    finally:
        ro.chmod(stat.S_IRWXU)
    # A missing one is created.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a" / "b"))
    assert load_regulations() == fresh
    assert list((tmp_path / "a" / "b" / "quyche").glob("program-*.quyprog"))


def test_deeply_nested_rules_are_cached(fresh: Program) -> None:
    """5,000 nested `not`: the flat node table neither writes nor reads recursively."""
    expr: ast.Expr = ast.Compare("=", ast.Path(("centre", "public_service_unit")), ast.Literal(False))
    for _ in range(5000):
        expr = ast.Not(expr)
    rule = next(iter(fresh.rules.values()))
    deep = dataclasses.replace(rule, requires=(ast.That(expr),))
    program = Program(modules=[], rules={rule.id: deep})
    encoded = dumps(program, "k")
    again = loads(encoded, "k")
    assert dumps(again, "k") == encoded
    node = again.rules[rule.id].requires[0].expr
    for _ in range(5000):
        node = node.item
    assert node == ast.Compare("=", ast.Path(("centre", "public_service_unit")), ast.Literal(False))


def test_stale_cache_files_are_pruned(cache_home: Path) -> None:
    folder = cache_home / "quyche"
    folder.mkdir(parents=True)
    for i in range(6):
        (folder / f"program-old{i}.quyprog").write_bytes(b"x")
    (folder / "program-old.pickle").write_bytes(b"x")
    load_regulations()
    assert len(list(folder.glob("program-*.quyprog"))) == 4
    assert not list(folder.glob("*.pickle")), "the old unsafe format is removed"


def test_twenty_concurrent_cold_starts(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    env.pop("QUYCHE_NO_CACHE", None)
    code = "import sys; from compliance.cli import main; sys.argv = ['quyche', *sys.argv[1:]]; main()"
    setup = str(EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml")
    args = [sys.executable, "-c", code, "check", setup, "--as-of", "2024-06-30", "--format", "json"]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) for _ in range(20)]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        outs.append((proc.returncode, out, err))
    assert {code for code, _, _ in outs} == {1}, [err for _, _, err in outs][:1]
    assert len({out for _, out, _ in outs}) == 1, "every run gives the same report"
    fresh = subprocess.run(args, env=dict(env, QUYCHE_NO_CACHE="1"), capture_output=True, cwd=ROOT, check=False)
    assert outs[0][1] == fresh.stdout, "the same report as without any cache"
    assert all(b"Traceback" not in err for _, _, err in outs)
    assert len(list((tmp_path / "cache" / "quyche").glob("program-*.quyprog"))) == 1
    assert not list((tmp_path / "cache" / "quyche").glob(".tmp-*")), "no temporary file left behind"
