"""The JSON contract is typed, and every evidence reference is a real path of the setup file.

Each finding validates against compliance.report_schema.Finding (the model the schema is published
from); each evidence ``record`` that names a place in the input (not an event, an obligation or
a due period with no record) resolves in the YAML as written: ``teams[1].members[6]``, not the
flattened ``members[13]`` the engine sees.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import bundled_program
from compliance.coverage import expectations
from compliance.findings import report
from compliance.loading import SetupError, parse_setup
from compliance.report_schema import Finding
from compliance.setup import to_facts
from engine import evaluate
from tests.conftest import EXAMPLES, run_cli
from tests.test_examples import _examples

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _resolves(data: Any, record: str, value_unknown: bool) -> bool:
    """Whether ``record`` names a place in ``data``. An unknown fact names where it belongs: its path
    may leave the file at a missing key of a real mapping (``centre.operator.duties`` when the
    setup gives no operator), never at a wrong index or through a value that is not a mapping."""
    steps = [(m[1], m[2]) for m in _STEP.finditer(record)]
    current = data
    for key, index in steps:
        if index is not None:
            if not isinstance(current, list) or int(index) >= len(current):
                return False
            current = current[int(index)]
        else:
            if not isinstance(current, dict):
                return False
            if key not in current:
                return value_unknown
            current = current[key]
    return True


def _places(findings: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    out = []
    for f in findings:
        for e in f["evidence"]:
            record = e["record"]
            if record.startswith(("event:", "obligation:")) or ":" in record:
                continue  # an event, an obligation, or a due period that has no record
            out.append((record, "value" in e and e["value"] is None))
    return out


CASES = [pytest.param(path, when, id=f"{path.relative_to(EXAMPLES)}@{when}") for path in _examples() for _, when in expectations(path)]


@pytest.mark.parametrize(("path", "when"), CASES)
def test_every_evidence_path_resolves_in_the_setup_file(path: Path, when: str) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    result = report(bundled_program(), evaluate(bundled_program(), to_facts(parse_setup(text, str(path))), date.fromisoformat(when)), str(path))
    for f in result["findings"]:
        Finding.model_validate(f)
    places = _places(result["findings"])
    assert places, "an example whose findings cite no record tests nothing"
    for record, unknown in places:
        assert _resolves(data, record, unknown), f"{path.name}@{when}: {record} is not a path of the file"


TEAMS = EXAMPLES / "binh-phuoc" / "provincial-ioc-teams-violations.yaml"


def test_team_members_are_cited_by_their_path_in_the_file() -> None:
    _, out, _ = run_cli("check", str(TEAMS), "--as-of", "2021-06-30", "--format", "json")
    import json

    records = {e["record"] for f in json.loads(out)["findings"] for e in f["evidence"]}
    assert any(r.startswith("teams[") and ".members[" in r for r in records)
    assert not any(r.startswith("members[") for r in records)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_paths_resolve_in_fuzzed_setups(data: st.DataObject) -> None:
    """Examples with records and centre facts dropped at random: the references still resolve."""
    path = data.draw(st.sampled_from(_examples()))
    setup = yaml.safe_load(path.read_text(encoding="utf-8"))
    centre = setup.get("centre") or {}
    for key in data.draw(
        st.lists(st.sampled_from(sorted(k for k in centre if k not in ("id", "name", "province"))), max_size=4, unique=True) if len(centre) > 3 else st.just([])
    ):
        centre.pop(key, None)
    for name in ("staff", "teams", "reports", "meetings", "funding", "components"):
        items = setup.get(name)
        if isinstance(items, list) and items:
            keep = data.draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
            setup[name] = [item for item, k in zip(items, keep, strict=True) if k]
    text = yaml.safe_dump(setup, allow_unicode=True, sort_keys=False)
    try:
        parsed = parse_setup(text, "fuzzed.yaml")
    except SetupError:
        return  # dropping a required field makes a bad setup: exit 2, tested elsewhere
    when = data.draw(st.sampled_from([d for _, d in expectations(path)] or ["2024-12-31"]))
    result = report(bundled_program(), evaluate(bundled_program(), to_facts(parsed), date.fromisoformat(when)), "fuzzed.yaml")
    reloaded = yaml.safe_load(text)
    for record, unknown in _places(result["findings"]):
        assert _resolves(reloaded, record, unknown), f"{path.name} fuzzed: {record}"


def test_the_findings_schema_is_published_and_a_report_validates_against_it() -> None:
    import json

    from compliance.report_schema import Report

    code, out, _ = run_cli("schema", "findings")
    schema = json.loads(out)
    assert code == 0 and {"findings", "summary", "receipt"} <= set(schema["properties"]) and "Evidence" in schema["$defs"]
    _, report_json, _ = run_cli("check", str(TEAMS), "--as-of", "2021-06-30", "--format", "json")
    parsed = Report.model_validate(json.loads(report_json))
    assert parsed.receipt is not None and parsed.receipt["input_sha256"]


def test_the_receipt_says_who_decided_and_is_deterministic() -> None:
    import hashlib
    import json

    from compliance.receipt import program_fingerprint

    args = ("check", str(TEAMS), "--as-of", "2021-06-30", "--format", "json")
    first, second = run_cli(*args)[1], run_cli(*args)[1]
    assert first == second
    receipt = json.loads(first)["receipt"]
    assert receipt["input_sha256"] == hashlib.sha256(TEAMS.read_bytes()).hexdigest()
    assert receipt["program"] == program_fingerprint() and len(receipt["program"]) == 64
    assert receipt["as_of"] == "2021-06-30" and receipt["version"]
    numbers = {d["number"]: d for d in receipt["documents"]}
    assert "2936/QĐ-UBND" in numbers and numbers["2936/QĐ-UBND"]["in_force_from"]
    _, explained, _ = run_cli("explain", str(TEAMS), "co_quan_thuong_truc", "--as-of", "2021-06-30", "--format", "json")
    data = json.loads(explained)
    assert data["receipt"]["input_sha256"] == receipt["input_sha256"]
    assert [e["event"] for e in data["trace"]][-1] == "trace.outcome" and all({"vi", "en"} <= set(e) for e in data["trace"])


def test_a_changed_rule_changes_the_fingerprint(tmp_path: Path) -> None:
    import shutil

    from compliance.receipt import program_fingerprint
    from compliance.regulations import regulations_dir

    copy = tmp_path / "regulations"
    shutil.copytree(regulations_dir(), copy)
    same = program_fingerprint(copy)
    first = sorted(copy.rglob("*.quy"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    program_fingerprint.cache_clear()
    assert program_fingerprint(copy) != same
