"""Broken and hostile input (issue 11): a message with its place and exit 2, never a traceback.

The fixtures in tests/hostile/ are the reproductions from the issue, kept as files: a billion-laughs
bomb, nesting 500 deep, dates and tags PyYAML cannot construct, duplicate keys, invalid UTF-8,
markup and terminal escapes in values, and DSL files that used to overflow the recursion limit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from compliance import terminal
from compliance.loading import Limits, SetupError, load_setup, parse_setup
from engine import RegulationError
from engine.parser import parse_file, parse_text
from engine.printer import format_number
from tests.conftest import EXAMPLES, ROOT, run_cli

HOSTILE = Path(__file__).parent / "hostile"
GOOD = EXAMPLES / "dong-thap" / "cao-lanh.yaml"
BAD_SETUPS = sorted(p for p in HOSTILE.glob("*.yaml") if p.name != "markup-and-escapes.yaml")
PLACE = re.compile(r"\.yaml:(\d+):(\d+): ")


@pytest.mark.parametrize("path", BAD_SETUPS, ids=lambda p: p.stem)
def test_each_hostile_setup_is_a_message_at_its_place_and_exit_2(path: Path) -> None:
    for lang in ("vi", "en"):
        code, out, err = run_cli("check", str(path), "--as-of", "2024-06-30", "--lang", lang)
        assert code == 2, (path.name, out[-300:], err)
        assert "Traceback" not in out + err and out == ""
        assert PLACE.search(err), err  # file:line:column
        assert len(err) < 2_000  # the message never repeats the input
    # In Vietnamese output, none of the English wording of the same message.
    _, _, vi = run_cli("check", str(path), "--lang", "vi")
    _, _, en = run_cli("check", str(path), "--lang", "en")
    assert vi != en


def test_the_billion_laughs_file_is_refused_at_once() -> None:
    with pytest.raises(SetupError) as caught:
        load_setup(HOSTILE / "billion-laughs.yaml")
    assert "QUYCHE_MAX_ALIAS_NODES" in caught.value.render("en")
    # a real use of aliases (shared defaults) stays allowed
    text = "centre: {id: x, name: y}\nstaff:\n" + "".join(f"  - &s{i} {{name: N{i}, employment: viên chức}}\n" for i in range(50))
    text += "funding: []\nreports: []\ncomponents: []\nmeetings: []\nteams: []\n"
    assert len(parse_setup(text)["staff"] or []) == 50


def test_duplicate_keys_name_both_lines() -> None:
    with pytest.raises(SetupError) as caught:
        load_setup(HOSTILE / "duplicate-key.yaml")
    level, since = caught.value.details
    assert (level.line, level.column, since.line, since.column) == (29, 3, 30, 3)
    assert "'level'" in level.text("en") and "line 18" in level.text("en") and "dòng 18" in level.text("vi")
    assert "line 28" in since.text("en") and "dòng 28" in since.text("vi")


def test_a_duplicate_that_would_change_a_verdict_is_not_silently_taken() -> None:
    text = GOOD.read_text(encoding="utf-8").replace("employment: công an", "employment: công an\n    employment: hợp đồng", 1)
    with pytest.raises(SetupError, match="employment"):
        parse_setup(text, "x.yaml")


def test_unconstructable_values_and_other_problems_are_all_reported_in_file_order() -> None:
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("operating_since: 2023-10-01", "operating_since: 2024-02-30", 1).replace("employment: công an", "employment: police", 1)
    with pytest.raises(SetupError) as caught:
        parse_setup(text, "x.yaml")
    lines = [p.line for p in caught.value.details]
    assert len(lines) == 2 and lines == sorted(lines) and all(p.column > 0 for p in caught.value.details)


def test_limits_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    text = GOOD.read_text(encoding="utf-8")
    with pytest.raises(SetupError, match="QUYCHE_MAX_FILE_BYTES"):
        parse_setup(text, "x.yaml", Limits(file_bytes=1000))
    with pytest.raises(SetupError, match="QUYCHE_MAX_RECORDS"):
        parse_setup(text, "x.yaml", Limits(records=2))
    monkeypatch.setenv("QUYCHE_MAX_DEPTH", "3")
    with pytest.raises(SetupError, match="QUYCHE_MAX_DEPTH"):
        parse_setup(text, "x.yaml")
    deep = "centre: {id: x, name: y, notes: " + "[" * 80 + "]" * 80 + "}"
    with pytest.raises(SetupError, match="QUYCHE_MAX_DEPTH"):
        parse_setup(deep)
    monkeypatch.setenv("QUYCHE_MAX_DEPTH", "500")
    with pytest.raises(SetupError) as caught:
        parse_setup(deep)  # read now; only the field's type is wrong
    assert "centre.notes" in caught.value.render("en") and "QUYCHE_MAX_DEPTH" not in caught.value.render("en")


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("centre: {id: x, name: y}\n")
        handle.write(("# " + "x" * 98 + "\n") * 110_000)  # 11 MB of comments
    code, _, err = run_cli("check", str(big), "--lang", "en")
    assert code == 2 and "too large" in err and "QUYCHE_MAX_FILE_BYTES" in err


def test_invalid_utf8_is_reported_at_line_and_column() -> None:
    with pytest.raises(SetupError) as caught:
        load_setup(HOSTILE / "invalid-utf8.yaml")
    [problem] = caught.value.details
    raw = (HOSTILE / "invalid-utf8.yaml").read_bytes()
    bad_line = raw.split(b"\n")[problem.line - 1]
    assert b"\xe3" in bad_line and problem.column == len(bad_line[: bad_line.index(b"\xe3")].decode("utf-8")) + 1


def test_markup_and_escapes_in_values_are_printed_as_text() -> None:
    code, out, err = run_cli("check", str(HOSTILE / "markup-and-escapes.yaml"), "--as-of", "2024-06-30")
    # The escapes before the official name break QĐ 953 Điều 3 (the centre's name): one violation, nothing else.
    assert code == 1 and "qd953_2023.ten_goi" in out and "VI PHẠM 1," in out, err
    assert "[/][bold]x[/bold]" in out  # printed, not read as markup
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\u001b]0;owned\\u0007\\u001b[2J" in out


def test_paths_with_brackets_are_printed_intact(tmp_path: Path) -> None:
    draft = tmp_path / "cao-lanh [draft].yaml"
    draft.write_text("centre: {id: x}\n", encoding="utf-8")
    code, _, err = run_cli("check", str(draft), "--lang", "en")
    assert code == 2 and "cao-lanh [draft].yaml:1:" in err
    folder = tmp_path / "a[/]b"
    code, _, err = run_cli("audit", str(folder), "--lang", "en")
    assert code == 2 and "a[/]b" in err
    code, _, err = run_cli("explain", str(GOOD), "x[/]y", "--as-of", "2024-06-30")
    assert code == 2 and "x[/]y" in err
    code, _, err = run_cli("review", "x[/]y")
    assert code == 2 and "x[/]y" in err


def test_fail_prints_brackets_and_install_hints_intact(capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.cli import fail

    with pytest.raises(SystemExit) as done:
        fail("mkdocs is not installed; install the docs extra: pip install 'quyche[docs]' [/] [bold]\x1b[2J")
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "pip install 'quyche[docs]' [/] [bold]\\u001b[2J" in err and "\x1b" not in err


def test_sanitise_shows_controls_and_keeps_text() -> None:
    assert terminal.sanitise("Cao Lãnh\tĐồng Tháp\n") == "Cao Lãnh\tĐồng Tháp\n"
    shown = terminal.sanitise("a\x1b]0;x\x07b\x9bc\u202ed\x7f")
    assert shown == "a\\u001b]0;x\\u0007b\\u009bc\\u202ed\\u007f"
    # the stream sanitiser lets colour through (the framework's own styled help), nothing else
    assert terminal.sanitise("\x1b[1;31mX\x1b[0m\x1b[2J", keep_styles=True) == "\x1b[1;31mX\x1b[0m\\u001b[2J"
    # in JSON the escapes mean the same characters: the data survive
    data = {"name": "a\x9b\u202e\x7f"}
    assert json.loads(terminal.sanitise(json.dumps(data, ensure_ascii=False))) == data


@pytest.mark.parametrize("value", ["9999-12-31", "1900-01-01", "0001-01-01"])
def test_as_of_outside_the_documented_range_is_bad_input(value: str) -> None:
    code, _, err = run_cli("check", str(GOOD), "--as-of", value, "--lang", "en")
    assert code == 2 and "1945" in err and "2100" in err


def test_missing_or_empty_folders_are_bad_input(tmp_path: Path) -> None:
    assert run_cli("verify", "--seeds", str(tmp_path / "nope"))[0] == 2
    assert run_cli("graph", "--regulations", str(tmp_path / "nope"))[0] == 2
    code, out, err = run_cli("graph", "--regulations", str(tmp_path))
    assert code == 2 and out == "" and "*.quy" in err
    code, _, err = run_cli("check", str(GOOD), "--regulations", str(tmp_path), "--as-of", "2024-06-30")
    assert code == 2


def _quyche(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "compliance.cli", *args], cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=120)


def test_a_closed_pipe_keeps_the_verdicts_exit_code() -> None:
    for setup, expected in ((GOOD, 0), (EXAMPLES / "dong-thap" / "cao-lanh-violations.yaml", 1)):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        cmd = f"{sys.executable} -m compliance.cli check {setup} --as-of 2024-06-30 | head -1; exit ${{PIPESTATUS[0]}}"
        done = subprocess.run(["bash", "-c", cmd], cwd=ROOT, env=env, capture_output=True, timeout=120)
        assert done.returncode == expected, done.stderr
        assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr
        assert done.stdout.count(b"\n") == 1


def test_a_closed_stdout_keeps_the_verdicts_exit_code() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = f"{sys.executable} -m compliance.cli check {GOOD} --as-of 2024-06-30 >&-"
    done = subprocess.run(["bash", "-c", cmd], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0 and b"Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_exit_2_with_a_message() -> None:
    with open("/dev/full", "w") as full:
        done = _quyche("check", str(GOOD), "--as-of", "2024-06-30", "--lang", "en", stdout=full.fileno())
    assert done.returncode == 2 and b"the disk is full" in done.stderr and b"Traceback" not in done.stderr


def test_escapes_are_sanitised_in_every_output_of_the_entry_point() -> None:
    done = _quyche("check", str(HOSTILE / "markup-and-escapes.yaml"), "--as-of", "2024-06-30")
    assert done.returncode == 1 and b"\x1b" not in done.stdout and b"\\u001b]0;owned" in done.stdout  # 1: Điều 3, the name
    done = _quyche("check", str(HOSTILE / "markup-and-escapes.yaml"), "--as-of", "2024-06-30", "--format", "json")
    assert done.returncode == 1 and b"\xe2\x80\xae" not in done.stdout  # U+202E
    json.loads(done.stdout)  # still JSON


# ---------------------------------------------------------------- the DSL

DSL = sorted(HOSTILE.glob("dsl-*.quy"))


@pytest.mark.parametrize("path", DSL, ids=lambda p: p.stem)
def test_each_hostile_regulation_is_a_diagnostic_with_its_place(path: Path) -> None:
    with pytest.raises(RegulationError) as caught:
        parse_file(path, path.name)
    assert all(d.line > 0 and d.column > 0 for d in caught.value.diagnostics), str(caught.value)


@pytest.mark.parametrize("path", DSL, ids=lambda p: p.stem)
def test_hostile_regulations_exit_2_from_the_command_line(path: Path, tmp_path: Path) -> None:
    (tmp_path / path.name).write_bytes(path.read_bytes())
    code, out, err = run_cli("check", str(GOOD), "--regulations", str(tmp_path), "--as-of", "2024-06-30")
    assert code == 2 and "Traceback" not in out + err and f"{path.name}:" in err


def test_nesting_below_the_limit_still_works() -> None:
    head = (HOSTILE / "dsl-not-500.quy").read_text(encoding="utf-8").split("rule r")[0]
    text = head + 'rule r {\n  at "Điều 1"\n  text "x"\n  require that ' + "not " * 80 + "centre.operating = true\n}\n"
    assert len(parse_text(text, "x.quy").rules) == 1


def test_the_printer_keeps_every_digit_of_a_long_decimal() -> None:
    from decimal import Decimal

    assert format_number(Decimal("3.00000000000000000000000000003"), human=True) == "3,00000000000000000000000000003"
    assert format_number(Decimal("1500000.50"), human=True) == "1.500.000,5"


def test_a_batch_with_one_bad_file_of_every_kind_still_writes_its_report(tmp_path: Path) -> None:
    folder = tmp_path / "centres"
    folder.mkdir()
    (folder / "good.yaml").write_bytes(GOOD.read_bytes())
    for path in BAD_SETUPS:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "report.json"
    code, _, err = run_cli("audit", str(folder), "--as-of", "2024-06-30", "--out", str(out), "--quiet")
    assert code == 2 and "Traceback" not in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["centres"]) == 1 and len(data["errors"]) == len(BAD_SETUPS)
    # the good file's result in the batch is its single-file result
    _, single, _ = run_cli("check", str(folder / "good.yaml"), "--as-of", "2024-06-30", "--format", "json")
    assert data["centres"][0]["summary"] == json.loads(single)["summary"]


def test_yaml_is_parsed_with_libyaml() -> None:
    assert yaml.__with_libyaml__


def test_a_seed_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("the seed documents are not beside the project")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob("*.txt"):
        (seeds / path.name).write_bytes(path.read_bytes())
    victim = sorted(seeds.glob("*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + b"\xff\xfe")
    code, out, err = run_cli("verify", "--seeds", str(seeds))
    assert code == 1 and "Traceback" not in out + err and f"cannot read source {victim.name}" in out
