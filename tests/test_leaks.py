"""No English in Vietnamese output, no Vietnamese in English output, except names and quotations.

Every example is rendered in-process with the catalogue marking each name or quotation it passes
through (compliance.catalogue.marking_names: invisible Unicode isolates around the text). The
marked spans are removed, and what is left, the catalogue's own words, is scanned: Vietnamese
output for English function words and the DSL's keywords, English output for Vietnamese letters.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from compliance import bundled_program
from compliance.catalogue import NAME_CLOSE, NAME_OPEN, marking_names
from compliance.coverage import expectations
from compliance.explanation import explanation
from compliance.findings import report
from compliance.loading import load_setup
from compliance.render import render_check, render_explanation
from compliance.setup_facts import to_facts
from engine import Status, evaluate
from tests.conftest import EXAMPLES
from tests.test_examples import _examples

ENGLISH = re.compile(
    r"\b(the|of|and|or|with|holders?|periods?|violated|contains|starts|satisfied|unknown|missing|late|due|every|where|"
    r"none|true|false|needs|setup|condition|actual|expected|count|role|filed|applies|exactly|least|most|between|per)\b",
    re.IGNORECASE,
)
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
_MARKED = re.compile(f"{NAME_OPEN}[^{NAME_CLOSE}]*{NAME_CLOSE}")


def _own_words(text: str) -> str:
    """The text without names and quotations (nested marks are removed innermost first)."""
    while True:
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            return stripped
        text = stripped


def _leaks(text: str, lang: str) -> list[str]:
    out = []
    for line in _own_words(text).splitlines():
        found = ENGLISH.findall(line) if lang == "vi" else VIETNAMESE.findall(line)
        if found:
            out.append(f"{found}: {line.strip()}")
    return out


def _texts(value: Any, lang: str) -> list[str]:
    """Every ``{vi, en}`` text in a JSON value, in ``lang``."""
    if isinstance(value, dict):
        if set(value) == {"vi", "en"}:
            return [str(value[lang])]
        return [t for v in value.values() for t in _texts(v, lang)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, lang)]
    return []


CASES = [
    pytest.param(path, when, lang, id=f"{path.relative_to(EXAMPLES)}@{when}.{lang}")
    for path in _examples()
    for _, when in expectations(path)
    for lang in ("vi", "en")
]


@pytest.mark.parametrize(("path", "when", "lang"), CASES)
def test_check_and_explain_speak_only_the_readers_language(path: Path, when: str, lang: str) -> None:
    program = bundled_program()
    setup = load_setup(path)
    evaluation = evaluate(program, to_facts(setup), date.fromisoformat(when))
    with marking_names():
        data = report(program, evaluation, str(path))
        buffer = io.StringIO()
        console = Console(file=buffer, highlight=False, soft_wrap=True, emoji=False, width=200)
        render_check(console, data, setup["centre"]["name"], lang, verbose=True, steps=True)
        for verdict in evaluation.verdicts:
            if verdict.status in (Status.VIOLATED, Status.UNKNOWN):
                render_explanation(console, explanation(program, verdict), lang)
    leaks = _leaks(buffer.getvalue(), lang) + _leaks("\n".join(_texts(data["findings"], lang)), lang)
    assert not leaks, f"{len(leaks)} lines leak the other language:\n" + "\n".join(leaks[:15])


def test_the_leak_test_sees_a_leak() -> None:
    """The scanner is not blind: raw English in Vietnamese output, and Vietnamese in English, are caught."""
    assert _leaks("Thực tế: 2 periods due: 0 missing", "vi")
    assert _leaks("Expected: đúng 1", "en")
    assert not _leaks(f"Thực tế: {NAME_OPEN}staff[0] the name{NAME_CLOSE}", "vi")
    assert json.dumps(_texts({"a": [{"vi": "x", "en": "y"}]}, "en")) == '["y"]'


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", _examples()[::3], ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_calendar_speaks_only_the_readers_language(path: Path, lang: str) -> None:
    from icalendar import Calendar

    from compliance.calendar import build_calendar

    setup = load_setup(path)
    year = int(expectations(path)[0][1][:4]) if expectations(path) else 2024
    with marking_names():
        result = build_calendar(bundled_program(), setup, year, lang)
    calendar = Calendar.from_ical(result.ics)
    texts = [str(calendar["x-wr-caldesc"]), *result.notes]
    texts += [str(e[k]) for e in calendar.walk("VEVENT") for k in ("summary", "description")]
    leaks = _leaks("\n".join(texts), lang)
    assert not leaks, "\n".join(leaks[:15])


# ------------------------------------------------------------------ review, coverage, verify, errors, init

SEEDS = EXAMPLES.parent.parent / "shared" / "seeds"
_DOCUMENTS = sorted(d.id for d in bundled_program().documents.values() if d.status != "cited")
_SEED_TEXTS = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def _cli_marked(*args: str) -> tuple[int, str, str]:
    """`quyche ARGS` in-process, names and quotations marked for the scanner."""
    from tests.conftest import run_cli

    with marking_names():
        return run_cli(*args)


def _unescaped(out: str) -> str:
    """The terminal shows the name marks escaped (compliance.terminal.sanitise): restore them."""
    return out.replace("\\u2068", NAME_OPEN).replace("\\u2069", NAME_CLOSE)


def _scan(out: str, lang: str, fmt: str) -> list[str]:
    return _leaks("\n".join(_texts(json.loads(out), lang)), lang) if fmt == "json" else _leaks(_unescaped(out), lang)


# Known leak, kept visible: the encoder's notes on the draft's claims (regulations/binh-phuoc/
# totrinh-2021-draft.md, ``note "…"``) are English only and reach the review as derivation steps.
# They need a Vietnamese text in the regulation file; strict, so the fix shows here at once.
_ENGLISH_NOTES = pytest.mark.xfail(strict=True, reason="the draft's claim notes are English only (regulation file)")
_REVIEW_TARGETS = [pytest.param(d, marks=_ENGLISH_NOTES) if d == "totrinh_ioc_2021" else d for d in _DOCUMENTS] + [str(p) for p in _SEED_TEXTS]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("target", _REVIEW_TARGETS, ids=lambda t: Path(t).name)
def test_review_speaks_only_the_readers_language(target: str, lang: str, fmt: str) -> None:
    code, out, err = _cli_marked("review", target, "--lang", lang, "--format", fmt, "--as-of", "2024-06-30", "--seeds", str(SEEDS))
    assert code in (0, 1), err
    leaks = _scan(out, lang, fmt)
    assert not leaks, f"{len(leaks)} lines leak the other language:\n" + "\n".join(leaks[:15])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_coverage_and_verify_speak_only_the_readers_language(lang: str) -> None:
    code, out, err = _cli_marked("coverage", str(EXAMPLES), "--lang", lang)
    assert code == 0, err
    # Rule ids are identifiers, not words: the table's own words are its headings and sentences.
    rows = "\n".join(line for line in out.splitlines() if not re.match(r"^\s*[a-z0-9_]+\.[a-z0-9_]+\b", line))
    leaks = _leaks(rows, lang)
    code, out, err = _cli_marked("verify", "--lang", lang, *(["--seeds", str(SEEDS)] if SEEDS.is_dir() else []))
    assert code == 0, out + err
    leaks += _leaks(out, lang)
    assert not leaks, "\n".join(leaks[:15])


BAD_INPUTS = [
    ("check", "{tmp}/absent.yaml"),
    ("check", "{tmp}/bad.yaml"),
    ("check", "{tmp}/bad.yaml", "--as-of", "30/06/2024"),
    ("check", "{tmp}/bad.yaml", "--regulations", "{tmp}/absent"),
    ("explain", str(EXAMPLES / "dong-thap" / "cao-lanh.yaml"), "giam_do"),
    ("explain", str(EXAMPLES / "dong-thap" / "cao-lanh.yaml"), "xyzzy"),
    ("audit", "{tmp}/absent"),
    ("audit", str(EXAMPLES), "--out", "{tmp}/r.pdf"),
    ("audit", "{tmp}/empty"),
    ("audit", str(EXAMPLES), "--out", "{tmp}/absent/r.json", "-q"),
    ("calendar", str(EXAMPLES / "dong-thap" / "cao-lanh.yaml"), "--year", "12"),
    ("calendar", str(EXAMPLES / "dong-thap" / "cao-lanh.yaml"), "--year", "2024", "--out", "{tmp}/absent/c.ics"),
    ("coverage", "{tmp}/absent"),
    ("fmt", "{tmp}/latin1.quy"),
    ("init", "--as-of", "tomorrow"),
    ("convert", "{tmp}/bad.yaml", "--to", "csv"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda a: " ".join(Path(x).name for x in a))
def test_error_messages_speak_only_the_readers_language(tmp_path: Path, args: tuple[str, ...], lang: str) -> None:
    (tmp_path / "bad.yaml").write_text("centre:\n  id: x\n  nam: y\n  level: vùng\nstaff:\n  - name: A\n    concurrent: hơi hơi\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "latin1.quy").write_bytes("# Ð\n".encode("latin-1"))
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = _cli_marked(*argv, "--lang", lang)
    assert code == 2 and err.strip(), (argv, out, err)
    # The paths are the user's and option names are code, not words of ours; the terminal shows
    # the name marks escaped (terminal.sanitise): unescape them for the scanner.
    message = re.sub(r"--[a-z-]+", " ", _unescaped(err.replace(str(tmp_path), " ")))
    leaks = _leaks(message, lang)
    assert not leaks, "\n".join(leaks[:15])


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("place", ["Cao Lãnh", "Lộc Ninh", "Bình Thuận", "Bình Phước"])
def test_init_templates_speak_only_the_readers_language(place: str, lang: str) -> None:
    code, out, err = _cli_marked("init", "--jurisdiction", place, "--as-of", "2024-06-30", "--lang", lang)
    assert code == 0, err
    # The comments are the template's words; in a commented-out line (``# team: Tổ 1  # Team``) the
    # key is code and the value an example datum: only the last comment is scanned.
    comments = "\n".join(re.sub(r"^\s*-?\s*[a-z_]+:", " ", line.rsplit("#", 1)[1]) for line in out.splitlines() if "#" in line)
    leaks = _leaks(comments, lang)
    assert not leaks, "\n".join(leaks[:15])


# ------------------------------------------------------------------ the command line's own help and usage errors


def _help_words(screen: str) -> str:
    """A help screen without what is code: option names, choices, `quoted commands`, file patterns and the program's name."""
    # "quy chế" is the name the program's own is made of (quyche — quy chế as code).
    return re.sub(r"`[^`]*`|\{[^}]*\}|\[[a-z|]+\]|(?<![\w-])--?[a-zA-Z][a-z-]*|\*\.\w+|\.\w+\b|quyche|quy chế as code", " ", screen)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_help_speaks_only_the_readers_language(lang: str) -> None:
    """Every help screen, section titles included (typer printed "Usage:" and "Options:" in Vietnamese help)."""
    from compliance.command_line import COMMANDS
    from tests.conftest import invoke

    screens = [invoke(["--help"], env={"QUYCHE_LANG": lang})[1]]
    screens += [invoke([name, "--help", "--lang", lang])[1] for name in COMMANDS]
    assert all(screens)
    # The command names of the top-level listing are code, not words: the first word of each of its rows.
    text = "\n".join(re.sub(r"^  [a-z]+ ", " ", line) for screen in screens for line in screen.splitlines())
    leaks = _leaks(_help_words(text), lang)
    assert not leaks, "\n".join(leaks[:15])
    titles = ("Usage:", "Options:", "Arguments:", "Commands:") if lang == "vi" else ("Cách dùng:", "Tùy chọn:", "Tham số:", "Lệnh:")
    assert not [t for t in titles if t in text]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_usage_errors_speak_only_the_readers_language(lang: str) -> None:
    from tests.conftest import invoke

    bad = [["check"], ["check", "x", "--formt"], ["check", "x", "--format", "pdf"], ["audit", "x", "-j", "0"], ["calendar", "x", "--year", "y"], ["nope"]]
    bad += [["check", "x", "y"], ["check", "x", "--as-of"], ["check", "x", "-v=1"], ["--frob"], ["fmt"]]
    for args in bad:
        code, _, err = invoke(args, env={"QUYCHE_LANG": lang})
        assert code == 2 and err, args
        leaks = _leaks(_help_words(err.replace("'pdf'", " ").replace("“nope”", " ")), lang)
        assert not leaks, (args, leaks)
