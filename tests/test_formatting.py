"""`quyche fmt`: the canonical form changes layout only, and formatting twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.literate import account
from engine.formatting import format_literate, format_quy
from engine.literate import parse_literate, read_literate
from engine.parser import parse_text
from tests.conftest import ROOT, run_cli

WORDS = [
    "Trung",
    "tâm",
    "Giám",
    "đốc",
    "kiêm",
    "nhiệm",
    "01",
    "02",
    "thành",
    "phố",
    "UBND",
    "(nếu",
    "có)",
    "Điều",
    "khoản",
    "“điểm”",
    "ngày",
    "25",
    "Sở:",
    "Nội",
    "vụ;",
]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
space = st.sampled_from(["", " ", "  ", "\t"])
blank = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n  \n"])


@st.composite
def provision(draw: st.DrawFn, heading: str, level: int, ident: str) -> str:
    level = max(2, level + draw(st.sampled_from([0, 0, 1, -1])))
    out = "#" * level + " " + heading + draw(space) + draw(blank)
    for _ in range(draw(st.integers(1, 2))):
        words = draw(text)
        out += draw(st.sampled_from(["", " "])) + words.replace(" ", draw(st.sampled_from([" ", "  "]))) + draw(space) + draw(blank)
    choice = draw(st.sampled_from(["rule", "mark", "none"]))
    if choice == "rule":
        indent = draw(st.sampled_from(["  ", "    ", "\t", ""]))
        out += f'```quy\n{draw(blank)}rule {ident} {{{draw(space)}\n{indent}require that centre.name = "x"\n{draw(space)}}}\n```' + draw(blank)
    elif choice == "mark":
        dash = draw(st.sampled_from(["—", " — ", "–", " - "]))
        out += f">  không phải quy định{dash}nhiệm vụ{draw(space)}:{draw(space)}{draw(text)}" + draw(blank)
    return out


@st.composite
def literate(draw: st.DrawFn) -> str:
    keys = draw(st.permutations(["number", "title", "issuer", "signed"]))
    values = {"number": "5/QĐ-UBND", "title": draw(text), "issuer": "UBND huyện Thử", "signed": "2024-05-06"}
    out = "---\n" + "".join(f"{k}:{draw(space) or ' '}{values[k]}{draw(space)}\n" for k in keys) + "---" + draw(blank)
    out += "```quy\ndocument thu {\n  kind decision\n" + draw(blank) + "}\n```" + draw(blank)
    n = 0
    for body in draw(st.sampled_from([["Quyết định"], ["Quyết định", "Quy chế"]])):
        out += f"# {body}" + draw(blank)
        for d in range(1, draw(st.integers(1, 3)) + 1):
            title = draw(st.one_of(st.none(), text))
            out += draw(provision(f"Điều {d}" + (f". {title}" if title else ""), 3, f"r{n}"))
            n += 1
            for k in range(1, draw(st.integers(0, 2)) + 1):
                out += draw(provision(f"Khoản {k}", 4, f"r{n}"))
                n += 1
                for letter in "abc"[: draw(st.integers(0, 2))]:
                    out += draw(provision(f"Điểm {letter}", 5, f"r{n}"))
                    n += 1
    return out


def _structure(source: str) -> list[tuple[str, str, str]]:
    lf = read_literate(source, "t.md")
    return [(s.locator, s.text, ";".join(m.reason for m in s.marks)) for s in lf.sections()] + [(e.locator, e.status, "") for e in account(lf).entries]


@settings(max_examples=60, deadline=None)
@given(literate())
def test_fmt_is_idempotent_and_keeps_the_meaning(source: str) -> None:
    once = format_literate(source)
    assert format_literate(once) == once
    assert parse_literate(once, "t.md") == parse_literate(source, "t.md")
    assert _structure(once) == _structure(source)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["rule a {", '  require that centre.name = "x"', '    note "a  b"', "}", "", "  ", "# comment", '\trequire that centre.seal = "y"']),
        max_size=12,
    )
)
def test_fmt_of_dsl_code_is_idempotent(lines: list[str]) -> None:
    source = 'document d { number "1" }\n' + "\n".join(lines) + ("\n}" if lines.count("rule a {") > lines.count("}") else "")
    once = format_quy(source)
    assert format_quy(once) == once
    try:
        before = parse_text(source, "t.quy")
    except Exception:  # noqa: BLE001 - an unparsable input must stay unparsable
        before = None
    if before is not None:
        assert parse_text(once, "t.quy") == before


def test_the_bundled_regulations_are_in_canonical_form() -> None:
    code, out, _ = run_cli("fmt", "--check", str(ROOT / "regulations"), "--lang", "en")
    assert code == 0, out


def test_fmt_check_names_a_file_out_of_form_and_write_fixes_it(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text(
        (ROOT / "regulations" / "dong-thap" / "qd-953-2023.md")
        .read_text(encoding="utf-8")
        .replace("### Điều 3. Về Tên gọi\n", "## Điều 3.  Về Tên gọi   \n\n\n"),
        encoding="utf-8",
    )
    code, out, _ = run_cli("fmt", "--check", str(target), "--lang", "en")
    assert code == 1 and "x.md: not in canonical form" in out
    assert run_cli("fmt", "--write", str(target))[0] == 0
    assert run_cli("fmt", "--check", str(target))[0] == 0
    assert "\n### Điều 3. Về Tên gọi\n\nTrung tâm" in target.read_text(encoding="utf-8")
    assert run_cli("fmt", str(tmp_path / "x.txt"))[0] == 2
