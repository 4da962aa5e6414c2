"""Literate regulation files: the law text with its code, every provision accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance.literate import MISSING, account, compare_with_seed, literate_files, skeleton, verify_literate
from compliance.regulations import regulations_dir
from engine import RegulationError
from engine.literate import parse_literate, read_literate
from tests.conftest import ROOT, run_cli

SEEDS = ROOT.parent / "shared" / "seeds"
QD953 = regulations_dir() / "dong-thap" / "qd-953-2023.md"
SEED953 = SEEDS / "002_a88f85edc6361697.txt"

HEAD = """---
number: 1/QĐ-X
title: Quyết định thử
issuer: UBND xã Thử
signed: 2024-01-02
---

```quy
document thu {
  kind decision
  status binding
}
```

# Quyết định

### Điều 1. Nhân sự

#### Khoản 1

1. Trung tâm có 02 đến 03 kỹ thuật viên.
"""


def _parse(text: str) -> RegulationError:
    with pytest.raises(RegulationError) as err:
        parse_literate(text, "thu.md")
    return err.value


def test_a_rule_takes_its_locator_and_text_from_the_heading_path() -> None:
    module = parse_literate(HEAD + '\n```quy\nrule kt { require count staff where employment = "hợp đồng" is between 2 and 3 }\n```\n', "thu.md")
    (rule,) = module.rules
    assert rule.id == "thu.kt" and str(rule.locator) == "Điều 1 khoản 1"
    assert rule.text == "1. Trung tâm có 02 đến 03 kỹ thuật viên."
    assert rule.span is not None and (rule.span.file, rule.span.line) == ("thu.md", HEAD.count("\n") + 3)
    doc = module.documents[0]
    assert (doc.number, doc.issuer, str(doc.signed), doc.articles) == ("1/QĐ-X", "UBND xã Thử", "2024-01-02", ((1, "Nhân sự"),))


def test_a_syntax_error_points_at_the_markdown_line_and_column() -> None:
    err = _parse(HEAD + "\n```quy\nrule kt {\n  require count staff is betwen 2 and 3\n}\n```\n")
    (d,) = err.diagnostics
    assert d.code == "Q001" and d.file == "thu.md" and d.line == HEAD.count("\n") + 4 and d.column == 26


def test_an_at_string_is_refused_and_the_heading_path_suggested() -> None:
    err = _parse(HEAD + '\n```quy\nrule kt {\n  at "Điều 9"\n  require that centre.name = "x"\n}\n```\n')
    (d,) = err.diagnostics
    assert d.code == "Q023" and d.line == HEAD.count("\n") + 4 and d.hint and "Điều 1 khoản 1" in d.hint


def test_a_quoted_excerpt_must_stand_in_the_provision() -> None:
    ok = parse_literate(HEAD + '\n```quy\nrule kt {\n  text "02 đến 03 kỹ thuật viên"\n  require count staff is between 2 and 3\n}\n```\n', "thu.md")
    assert ok.rules[0].text == "02 đến 03 kỹ thuật viên"
    err = _parse(HEAD + '\n```quy\nrule kt {\n  text "02 đến 04 kỹ thuật viên"\n  require count staff is between 2 and 4\n}\n```\n')
    assert [d.code for d in err.diagnostics] == ["Q024"]


def test_a_document_clause_under_a_provision_joins_the_document_block() -> None:
    module = parse_literate(HEAD + "\n```quy\neffective 2024-01-02\n```\n", "thu.md")
    doc = module.documents[0]
    assert str(doc.effective) == "2024-01-02" and doc.effective_provenance is not None
    assert str(doc.effective_provenance.locator) == "Điều 1 khoản 1"
    broken = _parse(HEAD + "\n```quy\neffective 2024-13-02\n```\n")
    assert broken.diagnostics[0].line == HEAD.count("\n") + 3


def test_marks_need_a_known_category() -> None:
    lf = read_literate(HEAD + "\n> không phải quy định — nhiệm vụ: mô tả hoạt động.\n", "thu.md")
    assert not lf.problems and account(lf).count("not_a_rule") == 1
    lf = read_literate(HEAD + "\n> không phải quy định — ý kiến: không rõ.\n", "thu.md")
    assert [p.code for p in lf.problems] == ["Q021"]
    assert account(lf).count(MISSING) == 2  # the khoản, and its Điều with it


def test_a_provision_with_nothing_under_it_is_missing_and_its_article_too() -> None:
    lf = read_literate(HEAD, "thu.md")
    acc = account(lf)
    assert [(e.locator, e.status) for e in acc.entries] == [("Điều 1", MISSING), ("Điều 1 khoản 1", MISSING)]


def test_the_bundled_literate_files_account_for_every_provision() -> None:
    files = literate_files(regulations_dir())
    assert QD953 in files
    for path in files:
        lf = read_literate(path.read_text(encoding="utf-8"), str(path))
        assert not lf.problems, lf.problems
        acc = account(lf)
        assert acc.total > 0 and not acc.missing(), (path, [e.locator for e in acc.missing()])


def test_qd953_keeps_the_rules_under_the_point_they_encode() -> None:
    module = parse_literate(QD953.read_text(encoding="utf-8"), "qd-953-2023.md")
    where = {r.id.split(".")[1]: str(r.locator) for r in module.rules}
    assert {k for k, v in where.items() if v == "Điều 7 khoản 2 điểm c"} == {"cong_chuc_cntt", "vien_chuc", "cong_an", "ky_thuat_vien", "chi_bon_nhom"}
    assert where["pho_giam_doc"] == "Điều 7 khoản 2 điểm b" and where["ten_goi"] == "Điều 3"
    doc = module.documents[0]
    assert doc.effective_provenance is not None and str(doc.effective_provenance.locator) == "Điều 2 (Quyết định)"
    assert {str(link.provenance.locator) for link in doc.links if link.target == "cv97_2023_dt" and link.provenance} == {"Điều 4 (chú thích 2)"}


def test_verify_works_from_a_clone_without_the_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "regulations"
    shutil.copytree(regulations_dir(), copy)
    monkeypatch.chdir(tmp_path)  # a clone: no ../shared/seeds beside it
    code, out, _ = run_cli("verify", "--regulations", str(copy), "--lang", "en")
    assert code == 0 and "word-for-word comparison with the sources is skipped" in out
    target = copy / "dong-thap" / "qd-953-2023.md"
    text = target.read_text(encoding="utf-8")
    mark = "> không phải quy định — phạm vi: "
    start = text.index(mark)
    target.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    code, out, _ = run_cli("verify", "--regulations", str(copy), "--lang", "en")
    assert code == 1 and "Q026" in out and "Điều 1: neither encoded" in out


def test_coverage_reports_the_three_counts_per_document() -> None:
    import json

    code, out, _ = run_cli("coverage", "--format", "json")
    data = json.loads(out)
    (row,) = [r for r in data["provisions"] if r["document"] == "953/QĐ-UBND-HC"]
    assert row["missing"] == [] and row["encoded"] + row["not_a_rule"] + row["gap"] + row["through_parts"] == row["total"]
    code, out, _ = run_cli("coverage", "--lang", "en")
    assert "953/QĐ-UBND-HC |" in out and "100 %" in out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_qd953_is_the_seed_word_for_word_in_order() -> None:
    lf = read_literate(QD953.read_text(encoding="utf-8"), "qd-953-2023.md")
    seed = SEED953.read_text(encoding="utf-8")
    assert compare_with_seed(lf, seed, SEED953.name) == []
    changed = compare_with_seed(lf, seed.replace("02 đến 03 hợp đồng", "02 đến 04 hợp đồng"), SEED953.name)
    assert {d.code for d in changed} == {"Q017", "Q025"}
    # A provision dropped from the literate file is reported by its locator.
    text = QD953.read_text(encoding="utf-8")
    start = text.index("#### Khoản 6\n\n6. Thực hiện giám sát, theo dõi trên")
    shorter = read_literate(text[:start] + text[text.index("## Chương II", start) :], "qd-953-2023.md")
    (missing,) = [d for d in compare_with_seed(shorter, seed, SEED953.name) if d.code == "Q025" and "Điều 5 khoản 6" in d.message]
    assert missing.line == next(s.line for s in shorter.provisions() if s.locator == "Điều 5 khoản 5")  # after the clause it should follow


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_the_skeleton_of_every_seed_reads_back_with_its_provisions(tmp_path: Path) -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        md = skeleton(seed.read_text(encoding="utf-8"), seed.name, {"seed": seed.name})
        lf = read_literate(md, seed.name + ".md")
        assert not lf.problems
        assert compare_with_seed(lf, seed.read_text(encoding="utf-8"), seed.name) == [], seed.name
    with_verify = verify_literate(regulations_dir(), SEEDS, "en")
    assert with_verify.problems == [] and with_verify.missing == 0


def test_a_rule_on_the_article_that_quotes_a_clause_encodes_it() -> None:
    quoting = HEAD.replace(
        "#### Khoản 1", '```quy\nrule kt {\n  text "1. Trung tâm có 02 đến 03 kỹ thuật viên."\n  require count staff is between 2 and 3\n}\n```\n\n#### Khoản 1'
    )
    acc = account(read_literate(quoting, "thu.md"))
    assert [(e.locator, e.status) for e in acc.entries] == [("Điều 1", "encoded"), ("Điều 1 khoản 1", "encoded")]
    # A rule on the article that quotes something else leaves the clause to be accounted for.
    other = quoting.replace('text "1. Trung tâm có 02 đến 03 kỹ thuật viên."', 'text "02 đến 03"')
    assert [e.status for e in account(read_literate(other, "thu.md")).entries] == ["encoded", MISSING]


def test_the_site_page_follows_the_law_text() -> None:
    from compliance.regulations import load_regulations
    from compliance.site import generate

    program = load_regulations(use_cache=False)
    page = next(p for p in generate(program, regulations_dir().parent).pages if p.path.endswith("/qd953_2023.md")).text
    article7, article8 = page.index("### Điều 7. Cơ cấu tổ chức"), page.index("### Điều 8. Cơ chế tài chính")
    point_c = page.index("**Điểm c**", page.index("**Khoản 2**", article7))
    assert article7 < point_c < page.index("{ #rule-cong_an }") < article8  # the rule under the point it encodes
    assert "- 01 đến 02 chiến sỹ công an của thành phố bố trí làm việc tại Trung tâm." in page[point_c:article8]
    assert '!!! note "Không phải quy định — phạm vi · Not a rule — scope"' in page[: page.index("### Điều 2. Đối tượng")]


def test_hostile_markdown_is_reported_never_raised() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(
        [
            "---",
            "# Quyết định",
            "### Điều 1",
            "#### Khoản 1",
            "```quy",
            "```",
            "rule r {",
            "}",
            'text "x"',
            "> không phải quy định — x: y",
            "> nhiệm vụ",
            "1. Văn bản.",
            "",
            "number: 1",
            'at "Điều 1"',
        ]
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(pieces, max_size=25))
    def check(lines: list[str]) -> None:
        source = "\n".join(lines)
        lf = read_literate(source, "h.md")
        account(lf)
        try:
            parse_literate(source, "h.md")
        except RegulationError as err:
            assert all(d.file == "h.md" and d.code.startswith("Q") for d in err.diagnostics)

    check()


def test_an_unclosed_block_and_text_before_any_heading_point_at_their_lines() -> None:
    err = _parse(HEAD + '\n```quy\nrule kt { require that centre.name = "x" }\n')
    assert [(d.code, d.line) for d in err.diagnostics] == [("Q020", HEAD.count("\n") + 2)]
    lf = read_literate("stray words\n# Quyết định\n", "s.md")
    assert [(p.code, p.line) for p in lf.problems] == [("Q020", 1)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_literate_command_prints_the_skeleton_of_a_source() -> None:
    code, out, _ = run_cli("literate", str(SEED953), "--main", "Quy chế")
    assert code == 0 and out.startswith("---\n") and "main: Quy chế" in out and "seed: 002_a88f85edc6361697.txt" in out
    lf = read_literate(out, "skeleton.md")
    assert not lf.problems and compare_with_seed(lf, SEED953.read_text(encoding="utf-8"), SEED953.name) == []
    assert "Điều 7 khoản 2 điểm c" in {s.locator for s in lf.provisions()}
    assert {e.status for e in account(lf).entries} == {MISSING}  # nothing is encoded yet: all to do
    assert run_cli("literate", str(ROOT / "no-such-source.txt"))[0] == 2
