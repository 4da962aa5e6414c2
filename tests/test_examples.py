"""Every example setup under examples/ checks with the exit code it declares.

Convention (follow it in every example): near the top of each YAML file, one or more lines

    # expect: exit N as of YYYY-MM-DD

say what ``quyche check FILE --as-of YYYY-MM-DD`` must exit with (0: nothing binding
violated; 1: at least one binding violation). A file may declare several dates, e.g. compliant
in 2024 and in breach after its pilot ended. The comment lines after it say which rules the
setup is meant to satisfy or break. Examples are found by globbing, so a new example is tested
as soon as it declares its expectation; one that declares none fails
``test_every_example_declares_what_it_expects``.

``KNOWN`` below repeats the expectations of the examples written with the Lộc Ninh, Bình Thuận
and Đồng Tháp encodings, so that editing a header line cannot silently change what is tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.coverage import expectations
from tests.conftest import EXAMPLES, run_cli

KNOWN: dict[str, tuple[int, str]] = {
    "dong-thap/cao-lanh.yaml": (0, "2024-06-30"),
    "dong-thap/cao-lanh-violations.yaml": (1, "2024-06-30"),
    "dong-thap/hong-ngu.yaml": (0, "2024-12-31"),
    "dong-thap/sa-dec.yaml": (1, "2024-12-31"),
    "loc-ninh/loc-ninh.yaml": (0, "2024-12-31"),
    "loc-ninh/loc-ninh-violations.yaml": (1, "2024-12-31"),
    "binh-thuan/binh-thuan.yaml": (0, "2024-12-31"),
    "binh-thuan/binh-thuan-violations.yaml": (1, "2024-12-31"),
}


def _examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


CASES = [pytest.param(path, code, when, id=f"{path.relative_to(EXAMPLES)}@{when}") for path in _examples() for code, when in expectations(path)]


@pytest.mark.parametrize(("path", "code", "when"), CASES)
def test_example_exits_as_declared(path: Path, code: int, when: str) -> None:
    got, out, err = run_cli("check", str(path), "--as-of", when, "--lang", "en")
    assert got == code, f"{path.relative_to(EXAMPLES)} as of {when}: exit {got}, expected {code}\n{out}{err}"


def test_every_example_declares_what_it_expects() -> None:
    silent = [str(p.relative_to(EXAMPLES)) for p in _examples() if not expectations(p)]
    assert silent == [], "add a line '# expect: exit N as of YYYY-MM-DD' to: " + ", ".join(silent)


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_examples_keep_their_declared_expectation(name: str) -> None:
    path = EXAMPLES / name
    assert path.is_file(), name
    assert KNOWN[name] in expectations(path)


def test_expect_lines_are_parsed_strictly(tmp_path: Path) -> None:
    sample = tmp_path / "x.yaml"
    sample.write_text(
        "# expect: exit 1 as of 2024-12-31\n#expect: exit 0 as of 2026-01-01\n"
        "# expect exit 0 as of 2024-01-01\n# expect: exit 0 as of 31/12/2024\ncentre: {}\n",
        encoding="utf-8",
    )
    assert expectations(sample) == [(1, "2024-12-31"), (0, "2026-01-01")]


def test_coverage_counts_each_declared_run_and_reports_blind_spots(tmp_path: Path) -> None:
    import json

    code, out, _ = run_cli("coverage", str(EXAMPLES), "--format", "json")
    data = json.loads(out)
    declared = sum(len(expectations(p)) for p in _examples())
    assert code == 0 and len(data["runs"]) == declared
    violated = data["rules"]["qd953_2023.giam_doc"]
    assert violated["violated"] >= 1 and violated["satisfied"] >= 1
    assert "qd953_2023.giam_doc" not in data["never_violated"]
    (tmp_path / "x.yaml").write_text("centre: {id: x, name: x}\n", encoding="utf-8")
    code, _, _ = run_cli("coverage", str(tmp_path))
    assert code == 2  # a setup with no declared date and no --as-of is reported, not skipped silently
