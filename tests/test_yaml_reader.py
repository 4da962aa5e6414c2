"""The fast reader (compliance.yaml_reader) gives exactly PyYAML's data, or says it is not sure.

Differential tests: every document is read by ``fast_load`` and by the C loader's path
(``compliance.loading.read_yaml``, PyYAML's CSafeLoader with quyche's checks); whenever the fast
reader answers, the C loader must have read the file without a problem and produced the same
data, with the same types and the same key order. Documents come from the examples, the hostile
files, and a generator of YAML text in every scalar style, with spellings of every YAML 1.1
type (booleans yes/no/on/off, octal and sexagesimal integers, floats, dates and timestamps,
nulls), unicode, and keys that collide once resolved.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compliance.loading import EARLIEST, LATEST, Limits, SetupError, parse_setup, read_yaml
from compliance.yaml_reader import PREFIX_CAP, fast_load
from tests.conftest import EXAMPLES, ROOT

HOSTILE = Path(__file__).parent / "hostile"
LIMITS = Limits()


def _fast(text: str) -> dict[Any, Any] | None:
    return fast_load(text, LIMITS.depth, LIMITS.records, EARLIEST, LATEST)


def _shape(value: Any) -> Any:
    """The value with every type and every key order made visible, for an exact comparison."""
    if isinstance(value, dict):
        return ("dict", [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_shape(v) for v in value])
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), str(value.tzinfo))
    return (type(value).__name__, repr(value))


def _agrees(text: str) -> bool:
    """Whether the fast reader answered; when it did, its answer is the C loader's, problem-free."""
    fast = _fast(text)
    if fast is None:
        return False
    data, _node, problems = read_yaml(text, LIMITS)
    assert not problems, (text, problems)
    assert _shape(fast) == _shape(data), text
    return True


def _files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.yaml")) + sorted(HOSTILE.glob("*.yaml"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_example_and_hostile_file_reads_as_pyyaml_reads_it(path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # refused before any YAML is read
    answered = _agrees(text)
    if path.parent.name != "hostile":
        assert answered, "a plain setup should be read fast"
    elif path.stem not in ("markup-and-escapes", "two-documents", "not-a-mapping"):
        assert not answered, "a hostile file is read by the C loader, which says where the problem is"


def test_examples_read_fast_give_the_same_setup() -> None:
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data, _node, _problems = read_yaml(text, LIMITS)
        from compliance.setup import Setup, plain_data

        assert parse_setup(text, path.name) == plain_data(Setup.model_validate(data))


# ---------------------------------------------------------------- generated documents

# Spellings of every YAML 1.1 resolver and of what YAML 1.2 reads otherwise.
TRICKY = [
    *"yes Yes YES no No NO on On ON off Off OFF y n Y N true True TRUE false False FALSE".split(),
    *"~ null Null NULL = << - ? : #".split(),
    *"0 00 007 017 08 09 0o17 0O17 0x1F 0X1F 0x_1 0b101 0B11 0b_1 0_7 0_8 _1 1_ 1_000 1__2 +12 -0 -017 +0x1f".split(),
    *"1:30 190:20:30 -1:2 1:60 08:00 12:30:00 1.5 1e3 1E3 1.0e3 1.0e+3 12e03 +.5 .5 -.5 1. ._ .inf -.Inf .NAN .nan .NaN .nAn".split(),
    *"685.230_15e+03 190:20:30.15 9999999999999999999999 -9223372036854775809".split(),
    "2024-06-30",
    "2024-6-30",
    "2024-02-30",
    "0202-06-30",
    "9999-12-31",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10",
    "2002-12-14T00:00:00Z",
    "2024-06-30T08:00:00+07:00",
    "2024-06-30 8:00:00",
    "2024-06-30T25:00:00",
    "20/06/2024",
    "2024-Q2",
    "2024-W23",
    "Tổ 01",
    "0912 345 678",
    "0912345678",
    "Nguyễn Văn A",
    "Công an",
    "hợp đồng",
    "O'Brien",
    "a # not a comment",
    "50%",
    "x!y",
    "A & B",
    "",
    " ",
    "ư",
    "a: b",
    "- x",
    "[x]",
]


def _render(spelled: str, style: str) -> str:
    """``spelled`` written as a YAML scalar in ``style``."""
    if style == "plain":
        return spelled
    if style == "single":
        return "'" + spelled.replace("'", "''") + "'"
    if style == "double":
        return '"' + spelled.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "escaped":  # a double-quoted scalar spelling its first character as an escape
        if not spelled:
            return '""'
        return f'"\\u{ord(spelled[0]):04x}' + spelled[1:].replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _render(spelled, "double")  # a block scalar cannot be a key


spellings = st.sampled_from(TRICKY) | st.text(alphabet="aZ09 .:-_/'\"#,ưộĐ", max_size=8) | st.text(max_size=4)
scalars = st.tuples(spellings, st.sampled_from(["plain", "plain", "single", "double", "escaped", "literal", "folded"]))


def _tree() -> st.SearchStrategy[Any]:
    leaves = scalars.map(lambda s: ("scalar", *s))
    return st.recursive(
        leaves,
        lambda children: (
            st.tuples(st.just("seq"), st.lists(children, max_size=4), st.sampled_from(["block", "flow"]))
            | st.tuples(st.just("map"), st.lists(st.tuples(scalars, children), max_size=4), st.sampled_from(["block", "flow"]))
        ),
        max_leaves=12,
    )


def _emit(node: Any, indent: int, flow: bool = False) -> str | None:
    """YAML text for a generated node (None when the combination cannot be written)."""
    kind = node[0]
    if kind == "scalar":
        _, spelled, style = node
        if style in ("literal", "folded"):
            if flow or "\n" in spelled or spelled != spelled.strip() or not spelled:
                return _render(spelled, "double")
            pad = " " * (indent + 2)
            return ("|-" if style == "literal" else ">-") + "\n" + pad + spelled
        return _render(spelled, style)
    if kind == "seq":
        _, items, style = node
        if flow or style == "flow" or not items:
            parts = [_emit(i, indent, True) for i in items]
            return None if None in parts else "[" + ", ".join(p for p in parts if p is not None) + "]"
        lines = []
        for item in items:
            text = _emit(item, indent + 2)
            if text is None:
                return None
            lines.append(" " * indent + "- " + text)
        return "\n" + "\n".join(lines)
    _, pairs, style = node
    if flow or style == "flow" or not pairs:
        parts = []
        for (spelled, key_style), value in pairs:
            key, text = _render(spelled, key_style), _emit(value, indent, True)
            if key is None or text is None:
                return None
            parts.append(f"{key}: {text}")
        return "{" + ", ".join(parts) + "}"
    lines = []
    for (spelled, key_style), value in pairs:
        key, text = _render(spelled, key_style), _emit(value, indent + 2)
        if key is None or text is None:
            return None
        lines.append(" " * indent + f"{key}: {text}")
    return "\n" + "\n".join(lines)


documents = st.lists(st.tuples(scalars, _tree()), min_size=1, max_size=5).map(lambda pairs: [(_render(*key), _emit(value, 2)) for key, value in pairs])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents, st.booleans())
@example([("k", "2024-06-30"), ("j", "'2024-06-30'")], False)
@example([("yes", "1"), ("true", "2")], False)
@example([("k", "|-\n  2024-06-30")], False)
@example([("k", '"2024\\x2d06-30"')], False)
@example([(" ", "Yes")], False)
def test_generated_documents_read_as_pyyaml_reads_them(pairs: list[tuple[str | None, str | None]], windows: bool) -> None:
    if any(k is None or v is None for k, v in pairs):
        return
    text = "".join(f"{k}: {v}\n" for k, v in pairs)
    _agrees(text.replace("\n", "\r\n") if windows else text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab01-: \n'\"[]{},#?|>.e+_:yesno~\\tx2")), max_size=60))
def test_arbitrary_small_texts_never_disagree(text: str) -> None:
    _agrees(text)


def test_typed_spellings_are_resolved_as_yaml_1_1_resolves_plain_scalars() -> None:
    text = "a: yes\nb: 017\nc: 2024-06-30\nd: '2024-07-01'\ne: 1:30\nf: ~\ng: 0x1F\nh: 1_000\n"
    # 017, quoted dates: not sure, the C loader reads it; without them the fast reader answers
    assert _fast(text) is None
    sure = "a: yes\nc: 2024-06-30\ne: 1:30\nf: ~\ng: 0x1F\nh: 1_000\nk: No\n"
    assert _fast(sure) == {"a": True, "c": date(2024, 6, 30), "e": 90, "f": None, "g": 31, "h": 1000, "k": False}
    assert _agrees(sure)


def test_limits_are_kept_on_the_fast_path() -> None:
    deep = "a:\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(70)) + " " * 142 + "x: 1\n"
    assert _fast(deep) is None
    assert fast_load("a: [1, 2, 3]\n", 64, 2, EARLIEST, LATEST) is None
    assert fast_load("a: [1, 2]\n", 64, 2, EARLIEST, LATEST) == {"a": [1, 2]}
    assert _fast("a: 2200-01-01\n") is None  # out of range: the C loader reports it at its place
    assert _fast("a: " + "7" * 4400 + "\n") is None  # PyYAML cannot convert it


@pytest.mark.parametrize(
    "text",
    [
        "- " * 30_000 + "x\n",  # nesting that overflows yaml-rs's recursion: refused before it is read
        "a:\n" + "".join(" " * (i + 1) + "- \n" for i in range(3_000)),
        "[" * 100_000,
        "{a: " * 50_000,
        "k: " + "x" * 5_000_000 + "\n",
        "k: &a [*a, *a]\n",
    ],
    ids=["compact-seq", "indented-seq", "flow-seq", "flow-map", "huge-scalar", "alias"],
)
def test_hostile_texts_never_crash_the_process(tmp_path: Path, text: str) -> None:
    """yaml-rs aborts the process on a Rust panic and recurses per level: run it apart."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    code = (
        "import sys; from compliance.yaml_reader import fast_load; from compliance.loading import EARLIEST, LATEST;"
        "print(fast_load(open(sys.argv[1], encoding='utf-8').read(), 64, 50000, EARLIEST, LATEST) is None)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, check=False, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() in ("True", "False")


_EDITS = list(":-?[]{},#&*!|>'\"% \n\t\\0123456789.eyYnNoO~_=<") + ["  ", "\n  ", ": ", "- ", "\r\n"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(EXAMPLES.rglob("*.yaml"))), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 2), st.sampled_from(_EDITS)), min_size=1, max_size=3)
)
def test_examples_with_typing_slips_never_disagree(path: Path, edits: list[tuple[float, int, str]]) -> None:
    """A character deleted, inserted or a line repeated anywhere in a real setup: fast or not sure, never different."""
    text = path.read_text(encoding="utf-8")
    for where, kind, typed in edits:
        i = int(where * (len(text) - 1))
        if kind == 0:
            text = text[:i] + text[i + 1 :]
        elif kind == 1:
            text = text[:i] + typed + text[i:]
        else:
            lines = text.split("\n")
            lines.insert(i % len(lines), lines[(i * 7) % len(lines)])
            text = "\n".join(lines)
    _agrees(text)


def test_the_deepest_text_read_fast_fits_a_small_thread_stack(tmp_path: Path) -> None:
    """At PREFIX_CAP, with yaml-rs's own flow limit on top, yaml-rs's recursion fits 512 kB."""
    flow = "[" * 250 + "]" * 250
    deepest = "- " * ((PREFIX_CAP - 1) // 2) + flow + "\n"
    path = tmp_path / "deep.yaml"
    path.write_text(deepest, encoding="utf-8")
    code = (
        "import sys, threading, yaml_rs; threading.stack_size(512 * 1024);"
        "t = threading.Thread(target=lambda: print(type(yaml_rs.loads(open(sys.argv[1]).read())).__name__)); t.start(); t.join()"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "list", done.stderr[-500:]
    assert _fast("k:\n" + "- " * (PREFIX_CAP // 2 + 1) + "x\n") is None  # one level deeper: the C loader reads it


def test_a_setup_read_fast_but_invalid_is_reported_at_its_places() -> None:
    """Validation fails after the fast read: the C loader reads it again for the positions."""
    text = (EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_text(encoding="utf-8")
    bad = text.replace("employment: công an", "employment: police", 1).replace("concurrent: true", "concurrent: sometimes", 1)
    assert _fast(bad) is not None  # the fast reader reads it: the problems are pydantic's
    with pytest.raises(SetupError) as caught:
        parse_setup(bad, "x.yaml")
    lines = bad.splitlines()
    for problem in caught.value.details:
        assert problem.line > 0 and problem.column > 0
        assert lines[problem.line - 1].strip().startswith(("employment: police", "concurrent: sometimes", "- name:"))
    assert "x.yaml:" in caught.value.render("en") and "staff[4].employment" in caught.value.render("en")


def test_a_small_file_in_a_fresh_process_is_read_by_the_c_loader_until_it_pays() -> None:
    code = (
        "import sys; from compliance.yaml_reader import worth_reading_fast as w;"
        "print(w(5_000), 'yaml_rs' in sys.modules, w(20_000), [w(5_000) for _ in range(9)])"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, env=env, cwd=ROOT)
    # 5 kB alone: the C loader; 20 kB: fast; small ones again once 64 kB have been read (an audit)
    assert done.stdout.strip() == "False False True [False, False, False, False, False, False, False, False, True]", done.stderr[-300:]


def test_the_fast_reader_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """QUYCHE_FAST_YAML=0: every setup read by the C loader alone, whatever its size."""
    from compliance.yaml_reader import worth_reading_fast

    assert worth_reading_fast(1_000_000)
    monkeypatch.setenv("QUYCHE_FAST_YAML", "0")
    assert not worth_reading_fast(1_000_000)
