"""The rules' own words live in the catalogue (compliance/catalogue/rules/), keyed by rule id.

Every summary, fix and gap reason is there in Vietnamese and English; the DSL no longer carries
them; the engine names them and the check (`quyche verify`, Q027) finds what is missing or stray.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.catalogue import entries, text
from compliance.regulations import bundled_program, regulations_dir
from compliance.rule_words import rule_word_problems
from engine import Program, RegulationError, ast, build_program, parse_text
from engine.verdict import fix_of, reason_of, summary_of, word_keys
from tests.conftest import run_cli

DRAFT = """
document thu_nghiem_2030 {
  number "99/2030/QĐ-UBND"
  title "Văn bản dùng để kiểm thử"
  kind decision
  status binding
  issuer "quyche tests"
  article 1 "Giám đốc"
}

rule mot_giam_doc {
  at "Điều 1"
  text "Trung tâm có 01 Giám đốc."
  require role "Giám đốc" held by exactly 1 staff
}

gap thiet_bi {
  at "Điều 1"
  text "Trung tâm có 01 Giám đốc."
}
"""


def test_every_bundled_statement_has_its_words_and_every_word_its_statement() -> None:
    program = bundled_program()
    assert rule_word_problems(program, "en") == []
    statements = [s for doc in program.documents for s in program.statements_of(doc)]
    needed = set(word_keys(statements))
    written = {k for k in entries() if k.startswith("rule.")}
    assert needed == written
    for key in needed:
        vi, en = entries()[key]["vi"], entries()[key]["en"]
        assert vi.strip() and en.strip() and vi != en, key


def test_a_statement_renders_the_catalogue_words_in_each_language() -> None:
    program = bundled_program()
    rule = program.rules["qd953_2023.ten_goi"]
    assert text(summary_of(rule), "vi") == entries()["rule.qd953_2023.ten_goi.summary"]["vi"]
    assert text(summary_of(rule), "en").startswith("The centre is named")
    fix = fix_of(rule)
    assert fix is not None and text(fix, "vi").startswith("Đặt tên Trung tâm")


def test_an_obligation_with_no_stated_deadline_has_no_fix_and_none_is_written() -> None:
    program = bundled_program()
    unstated = [o for o in program.obligations.values() if all(d.kind == "unstated" for d in o.deadlines)]
    assert unstated, "the bundled regulations have an obligation the law gives no deadline"
    for ob in unstated:
        assert fix_of(ob) is None and f"rule.{ob.id}.fix" not in entries()


def test_the_dsl_no_longer_takes_summaries_fixes_or_reasons() -> None:
    for field in ("summary", "summary_en", "fix", "fix_en"):
        with pytest.raises(RegulationError) as err:
            parse_text(DRAFT.replace("  require role", f'  {field} "Lời"\n  require role'), "draft.quy")
        assert err.value.diagnostics[0].code == "Q001"
    with pytest.raises(RegulationError):
        parse_text(DRAFT.replace("gap thiet_bi {\n", 'gap thiet_bi {\n  reason "Lý do"\n'), "draft.quy")


def test_a_new_statement_without_words_is_reported_at_its_line_and_reads_as_its_id() -> None:
    program = build_program([parse_text(DRAFT, "regulations/thu-nghiem/draft.quy")])
    problems = rule_word_problems(program, "en")
    assert [(p.code, p.line) for p in problems] == [("Q027", 11), ("Q027", 11), ("Q027", 17)]
    assert "rule.thu_nghiem_2030.mot_giam_doc.summary" in problems[0].message and "vi and en" in problems[0].message
    assert problems[2].hint and "compliance/catalogue/rules/thu_nghiem_2030.toml" in problems[2].hint
    assert text(summary_of(program.rules["thu_nghiem_2030.mot_giam_doc"]), "vi") == "thu_nghiem_2030.mot_giam_doc"
    assert text(reason_of(program.gaps["thu_nghiem_2030.thiet_bi"]), "en") == "thu_nghiem_2030.thiet_bi"


def test_words_whose_statement_is_gone_are_reported() -> None:
    program = bundled_program()
    fewer: Program = copy.copy(program)
    fewer.rules = {k: v for k, v in program.rules.items() if k != "qd953_2023.ten_goi"}
    problems = rule_word_problems(fewer, "vi")
    assert [p.message.split(":")[0] for p in problems] == ["rule.qd953_2023.ten_goi.fix", "rule.qd953_2023.ten_goi.summary"]
    assert all(p.code == "Q027" and p.file == "compliance/catalogue/rules/qd953_2023.toml" for p in problems)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_statement_reads_in_each_language_and_not_as_its_id(data: st.DataObject) -> None:
    program = bundled_program()
    statements = sorted((s for doc in program.documents for s in program.statements_of(doc)), key=lambda s: s.id)
    item = data.draw(st.sampled_from(statements))
    message = reason_of(item) if isinstance(item, ast.Gap) else summary_of(item)
    vi, en = text(message, "vi"), text(message, "en")
    assert vi and en and vi != en and item.id not in (vi, en)


def test_verify_reports_a_rule_added_without_its_words(tmp_path: Path) -> None:
    regs = tmp_path / "regulations"
    shutil.copytree(regulations_dir(), regs)
    (regs / "thu-nghiem").mkdir()
    (regs / "thu-nghiem" / "draft.quy").write_text(DRAFT, encoding="utf-8")
    code, out, _ = run_cli("verify", "--regulations", str(regs), "--lang", "en")
    assert code == 1 and "Q027" in out and "draft.quy:11" in out and "rule.thu_nghiem_2030.mot_giam_doc.fix" in out
