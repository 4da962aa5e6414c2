"""The catalogue is complete in both languages and its placeholders agree."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

from compliance.catalogue import LANGS, both, entries, format_value, text
from engine.message import Money, msg


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, langs in entries().items():
        if key == "text.own":  # the author's words: each language its own placeholder
            continue
        assert all(langs[lang].strip() for lang in LANGS), f"{key}: a language is empty"
        assert _fields(langs["vi"]) == _fields(langs["en"]), f"{key}: placeholders differ"


def test_values_are_formatted_for_the_reader() -> None:
    assert format_value(date(2024, 6, 30), "vi") == "30/06/2024"
    assert format_value(date(2024, 6, 30), "en") == "30 June 2024"
    assert format_value(Money(Decimal("1000000")), "vi") == "1.000.000 đồng"
    assert format_value(Money(Decimal("1000000")), "en") == "VND 1,000,000"
    assert format_value(Decimal("1.5"), "vi") == "1,5"
    assert format_value(True, "vi") == "có"
    assert format_value(("a", "b", "c"), "vi") == "a, b và c"
    assert format_value(("a", "b", "c"), "en") == "a, b, and c"


def test_nested_messages_render_in_the_same_language() -> None:
    inner = msg("value.money", amount=Decimal(500000))
    assert text(msg("value.money", amount=Decimal(1)), "en") == "VND 1"
    assert both(inner) == {"vi": "500.000 đồng", "en": "VND 500,000"}


def test_every_message_key_the_code_names_is_in_the_catalogue() -> None:
    """A literal key in msg("…") anywhere in engine/ or compliance/ has a catalogue entry (no KeyError at run time)."""
    import ast as pyast

    from tests.conftest import ROOT

    known = set(entries())
    missing = []
    for folder in ("engine", "compliance"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, pyast.Call) and isinstance(node.func, pyast.Name) and node.func.id == "msg" and node.args:
                    first = node.args[0]
                    if isinstance(first, pyast.Constant) and isinstance(first.value, str) and first.value not in known:
                        missing.append(f"{path.name}:{node.lineno} {first.value}")
    assert not missing, missing


def test_every_computed_key_family_is_complete() -> None:
    """Keys the engine computes (statuses, roles, operators, months, weekdays, cardinalities) all exist."""
    from engine.verdict import Status

    known = set(entries())
    wanted = {f"status.{s.value}" for s in Status}
    wanted |= {f"month.m{m}" for m in range(1, 13)} | {f"weekday.d{d}" for d in range(7)}
    wanted |= {f"condition.{op}" for op in ("eq", "ne", "lt", "le", "gt", "ge", "plus", "minus", "times", "divided")}
    wanted |= {f"condition.{k}" for k in ("exactly", "at_least", "at_most", "between")}
    wanted |= {f"role.{r}" for r in ("counted", "uncertain", "holder", "offends", "missing", "decides", "on_time", "late", "early")}
    wanted |= {f"role.{r}" for r in ("wrong_recipient", "wrong_period", "affected", "event", "recipient_to", "recipient_cc", "reporter")}
    assert wanted <= known, sorted(wanted - known)


def test_every_field_a_rule_reads_has_a_label() -> None:
    """Conditions name fields in the reader's words: every path the bundled rules read is labelled."""
    from compliance import bundled_program
    from engine import ast

    program = bundled_program()
    known = set(entries())
    names = set()
    for item in [*program.rules.values(), *program.obligations.values()]:
        for node in ast.walk((getattr(item, "requires", ()), item.when)):
            if isinstance(node, ast.Path):
                names.add(str(node))
            if isinstance(node, (*ast.OVER_RECORDS, ast.CountExpr, ast.SumExpr)):
                names.add(node.collection)
    assert {n for n in names if f"field.{n}" not in known} == set()
