"""Every statement has its own words in the catalogue, and every entry there has its statement.

A rule's or an obligation's summary and fix, a claim's summary and a gap's reason are written in
compliance/catalogue/rules/<document>.toml under the statement's id (``rule.<id>.summary`` …), in
Vietnamese and English; the regulation file holds the law and the code only. ``quyche verify``
and the tests use this check so that a statement never goes out without its words, and a word
never outlives its statement.
"""

from __future__ import annotations

from compliance.catalogue import LANGS, RULES, RULES_PREFIX, Lang, entries, text
from engine import Program
from engine.diagnostics import Diagnostic
from engine.message import msg
from engine.verdict import word_keys

__all__ = ["rule_word_problems"]

_FOLDER = f"compliance/catalogue/{RULES}"


def rule_word_problems(program: Program, lang: Lang = "vi") -> list[Diagnostic]:
    """Statements whose words are missing (in either language), then entries no statement names."""
    catalogue = entries()
    problems: list[Diagnostic] = []
    named: set[str] = set()
    for doc_id in sorted(program.documents):
        for item, key in ((statement, key) for statement in program.statements_of(doc_id) for key in word_keys([statement])):
            named.add(key)
            missing = tuple(lg for lg in LANGS if not catalogue.get(key, {}).get(lg, "").strip())
            if missing:
                where = item.span
                problems.append(
                    Diagnostic(
                        "Q027",
                        text(msg("rule_words.missing", entry=key, langs=missing), lang),
                        file=where.file if where else "<string>",
                        line=where.line if where else 0,
                        column=where.column if where else 0,
                        hint=text(msg("rule_words.missing_hint", file=f"{_FOLDER}/{doc_id}.toml", entry=key.removeprefix(RULES_PREFIX + ".")), lang),
                    )
                )
    documents = set(program.documents)
    for key in sorted(k for k in catalogue if k.startswith(RULES_PREFIX + ".")):
        doc_id = key.split(".")[1]
        if key not in named and doc_id in documents:  # words of a document not loaded are not this program's business
            problems.append(Diagnostic("Q027", text(msg("rule_words.stray", entry=key), lang), file=f"{_FOLDER}/{doc_id}.toml"))
    return problems
