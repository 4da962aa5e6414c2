"""Loading setups: every bad input is a SetupError with a place, never another exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import SetupError, parse_setup
from tests.conftest import EXAMPLES, run_cli

GOOD = (EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_is_a_setup_or_a_setup_error(text: str) -> None:
    try:
        parse_setup(text, "fuzz.yaml")
    except SetupError as err:
        assert err.problems and all(isinstance(line, int) and message for line, message in err.problems)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["centre", "staff", "funding", "reports", "teams", "components"]), yaml_values)
def test_any_value_in_any_section_is_handled(section: str, value: object) -> None:
    data = yaml.safe_load(GOOD)
    data[section] = value
    try:
        parse_setup(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    except SetupError as err:
        assert err.problems


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=100))
def test_cli_on_arbitrary_bytes_exits_2_without_traceback(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(blob)
    code, out, err = run_cli("check", str(path), "--as-of", "2024-06-30")
    assert "Traceback" not in out + err
    assert code == 2 or (code in (0, 1) and out)


def test_errors_name_every_problem_with_its_line() -> None:
    text = GOOD.replace("employment: công an", "employment: police", 1).replace("concurrent: true", "concurrent: sometimes", 1)
    try:
        parse_setup(text, "x.yaml")
    except SetupError as err:
        messages = str(err)
        assert "staff[4].employment" in messages and "staff[0].concurrent" in messages
        assert all(line > 0 for line, _ in err.problems)
    else:  # pragma: no cover
        raise AssertionError("invalid setup accepted")
