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
from compliance.setup import to_facts
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
        render_check(console, data, setup.centre.name, lang, verbose=True, steps=True)
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
