"""The fast setup validator (compliance.setup_fast) against pydantic (compliance.setup's models).

For any data, the fast path either says "not sure" (None) or gives exactly what
``Setup.model_validate(data).model_dump(mode="python")`` gives: the same values of the same
types in the same order (compared by ``repr``, so Decimal("1.0") ≠ Decimal("1"), 1 ≠ True,
a date ≠ a datetime). Checked on the bundled examples, the benchmark's generated setups, the
hostile files, and data generated and mutated by hypothesis. The description it reads
(compliance/setup_format.py) must be the one the models give today.
"""

from __future__ import annotations

import copy
import importlib.util
import random
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance import setup_describe
from compliance.loading import parse_setup, read_yaml
from compliance.setup import Setup, plain_data, validate
from compliance.setup_facts import to_facts
from compliance.setup_fast import validated
from compliance.setup_format import MODELS
from tests.conftest import EXAMPLES, ROOT

HOSTILE = ROOT / "tests" / "hostile"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml"))


def _pydantic(data: Any) -> str | None:
    """pydantic's dump of ``data`` as its repr (None when pydantic rejects the data)."""
    try:
        return repr(plain_data(Setup.model_validate(data)))
    except (ValidationError, RecursionError):
        return None


def _agrees(data: Any) -> bool:
    """The fast path says "not sure" or exactly pydantic's result; it never changes its input.
    True when the fast path decided."""
    before = copy.deepcopy(data)
    fast = validated(data)
    assert repr(data) == repr(before)  # the caller's data are left as they were
    if fast is None:
        return False
    reference = _pydantic(data)
    assert reference is not None, f"the fast path accepted what pydantic rejects: {data!r}"
    assert repr(fast) == reference
    return True


def _example(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


# ------------------------------------------------------------------ the description


def test_the_description_is_the_one_the_models_give() -> None:
    written = setup_describe.FILE.read_text(encoding="utf-8")
    assert written == setup_describe.describe(), f"compliance/setup_format.py is out of date with compliance/setup.py: run `{setup_describe.REGENERATE}`"


def test_the_description_refuses_what_it_cannot_describe() -> None:
    from pydantic import BaseModel, ConfigDict, Field

    class Bounded(BaseModel):
        model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
        shift: int = Field(1, ge=1)

    class Lax(BaseModel):
        name: str

    class Floating(BaseModel):
        model_config = ConfigDict(extra="forbid")
        ratio: float

    for model in (Bounded, Lax, Floating):
        with pytest.raises(setup_describe.UndescribableError):
            setup_describe.describe(model)


def test_every_model_and_field_is_described() -> None:
    def models(model: type[Any], seen: set[str]) -> set[str]:
        seen.add(model.__name__)
        for info in model.model_fields.values():
            for inner in setup_describe._inside(info.annotation):
                if inner.__name__ not in seen:
                    models(inner, seen)
        return seen

    names = models(Setup, set())
    assert set(MODELS) == names
    import compliance.setup as setup_module

    for name in names:
        assert list(MODELS[name]["fields"]) == list(getattr(setup_module, name).model_fields)


# ------------------------------------------------------------------ the bundled examples


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_bundled_example_takes_the_fast_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _example(path)
    assert _agrees(data), f"{path.name}: the fast path was not taken"
    expected = _pydantic(data)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pydantic was asked")

    monkeypatch.setattr(Setup, "model_validate", refuse)
    assert repr(parse_setup(path.read_text(encoding="utf-8"), path.name)) == expected  # read and validated without pydantic


def test_a_setup_read_fast_gives_the_same_facts() -> None:
    for path in EXAMPLE_FILES:
        data = _example(path)
        fast = validated(data)
        assert fast is not None
        assert repr(to_facts(fast)) == repr(to_facts(plain_data(Setup.model_validate(data))))
        assert repr(fast) == repr(validated(data))  # and again: nothing kept from the first reading


# ------------------------------------------------------------------ generated setups (benchmarks)


def _gen_setups() -> Any:
    path = ROOT.parent / "shared" / "bench" / "gen_setups.py"
    if not path.exists():
        pytest.skip("../shared/bench/gen_setups.py is not here")
    spec = importlib.util.spec_from_file_location("gen_setups", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_setups", module)
    spec.loader.exec_module(module)
    return module


def test_the_generated_setups_take_the_fast_path() -> None:
    gen = _gen_setups()
    templates = gen._load_templates(EXAMPLES, None)
    rng = random.Random(7)
    for i in range(60):
        _, data = gen.make_setup(templates, i, rng)
        assert _agrees(data)
        text = yaml.safe_dump(data, allow_unicode=True)
        assert repr(parse_setup(text, "gen.yaml")) == _pydantic(yaml.load(text, Loader=yaml.CSafeLoader))
    big = gen.big_staff_setup(templates[0][1], 2000, rng)
    assert _agrees(big)


# ------------------------------------------------------------------ hostile files


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.yaml")), ids=lambda p: p.name)
def test_hostile_files_agree(path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    data, _, problems = read_yaml(text)
    if isinstance(data, dict):
        _agrees(data)


# ------------------------------------------------------------------ generated and mutated data

_WHITE = [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\x1f", "\u180e", "\u200b", "\x85", "\ufeff"]

_TRICKY: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    2,
    -3,
    2**63 - 1,
    2**63,
    -(2**63),
    10**40,
    1.0,
    1.5,
    float("nan"),
    float("inf"),
    Decimal("1.50"),
    Decimal("1E+3"),
    Decimal("NaN"),
    Decimal("-Infinity"),
    "",
    " ",
    "x",
    "Có",
    "Không",
    "có",
    "đúng",
    "sai",
    "yes",
    "no",
    "true",
    "1",
    "0",
    "2",
    "20/06/2024",
    "2024-06-20",
    "20/06/2024 14:30",
    "2024-06-20T14:30:00",
    "2024-06-20T14:30:00Z",
    "31/02/2024",
    "1.000.000",
    "1.000.000 đồng",
    "1000000",
    "2.340.000,5",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1e3",
    "Công chức",
    "CÔNG CHỨC",
    "công\u00a0chức",
    "công chức",
    "hợp đồng lao động",
    "Tổ trưởng",
    "tổ trưởng",
    "Thành viên",
    "tỉnh",
    "cấp huyện",
    "province",
    "district",
    "commune",
    "thị xã",
    unicodedata.normalize("NFD", "Nguyễn Thị Hoà"),
    "Nguyễn Thị Hoà",
    "a\ud800",
    date(2024, 6, 20),
    datetime(2024, 6, 20),
    datetime(2024, 6, 20, 14, 30),
    datetime(2024, 6, 20, 14, 30, tzinfo=timezone(timedelta(hours=7))),
    [],
    [None],
    ["a", "a"],
    ["a", "b"],
    [" a ", "b\u3000"],
    [1, 2],
    ["Công chức"],
    [{}],
    {},
    {"name": "x"},
    {"name": "x", "position": "y"},
    {"scheme": "NQ 14/2021/NQ-HĐND"},
    {"scheme": "x", "amount": "1.000.000"},
    {"position": "Tổ trưởng", "team_role": "tổ trưởng"},
    {"obligation": "x", "period": "2024-H1"},
    ("a",),
]

_texts = st.lists(st.sampled_from(["a", "b", "ệ", "e\u0302\u0323", "Đ", "/", "1", *_WHITE]), max_size=8).map("".join)  # NFD pieces too
_values = st.one_of(
    st.sampled_from(_TRICKY),
    _texts,
    st.builds(
        lambda w1, v, w2: w1 + v + w2,
        st.sampled_from(["", *_WHITE]),
        st.sampled_from([v for v in _TRICKY if isinstance(v, str)]),
        st.sampled_from(["", *_WHITE]),
    ),
    st.integers(),
    st.lists(st.one_of(_texts, st.sampled_from(_TRICKY[:20])), max_size=3),
).map(copy.deepcopy)  # never the shared objects of _TRICKY: a mutation changes what it is given


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every dict inside ``value`` (the places a field may be changed)."""
    out: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        out.append(path)
        for k, v in value.items():
            out += _containers(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _containers(v, (*path, i))
    return out


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


_FIELDS = sorted({f for model in MODELS.values() for f in model["fields"]})


@st.composite
def _mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(_example(draw(st.sampled_from(EXAMPLE_FILES))))
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(data)
        record = _at(data, draw(st.sampled_from(places)))
        action = draw(st.sampled_from(["set", "set", "set", "drop", "add", "nest"]))
        if action == "set" and record:
            record[draw(st.sampled_from(sorted(record, key=str)))] = draw(_values)
        elif action == "drop" and record:
            del record[draw(st.sampled_from(sorted(record, key=str)))]
        elif action == "add":
            record[draw(st.sampled_from([*_FIELDS, "typo", 1, "Name"]))] = draw(_values)
        elif action == "nest" and record:
            key = draw(st.sampled_from(sorted(record, key=str)))
            record[key] = draw(st.sampled_from([[record[key]], {"x": record[key]}, None]))
    return data


def _value_for(kind: Any) -> st.SearchStrategy[Any]:
    """Mostly valid values of a described type, with the spellings the conventions read."""
    if isinstance(kind, tuple):
        tag, inner = kind
        if tag == "literal":
            return st.one_of(st.sampled_from(inner), st.sampled_from(inner).map(str.upper), st.sampled_from(["tỉnh", "xã", "hợp đồng lao động", "x"]))
        if tag == "list":
            return st.lists(st.one_of(*[_value_for(k) for k in inner]), max_size=3)
        return _record(inner)
    return {
        "str": st.one_of(_texts, st.sampled_from(["Nguyễn Văn A", " Trần Thị B ", unicodedata.normalize("NFD", "Phòng Hoà")])),
        "bool": st.one_of(st.booleans(), st.sampled_from(["Có", "Không", "đúng", "x", "1"])),
        "int": st.one_of(st.integers(-5, 5), st.sampled_from(["2", 2.0, True])),
        "decimal": st.one_of(
            st.integers(0, 10**9), st.sampled_from(["1.000.000", "1.500.000 đồng", "2.340.000,5", 1.5, "100"]), st.decimals(allow_nan=False, places=2)
        ),
        "date": st.one_of(st.dates(date(1950, 1, 1), date(2090, 1, 1)), st.sampled_from(["20/06/2024", "2024-06-20", "20/06/2024 08:00"])),
        "datetime": st.one_of(st.datetimes(datetime(1950, 1, 1), datetime(2090, 1, 1)), st.sampled_from(["20/06/2024 14:30"])),
        "none": st.none(),
    }[kind]


@st.composite
def _record(draw: st.DrawFn, model: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, about in MODELS[model]["fields"].items():
        required = "default" not in about and "factory" not in about
        if required or draw(st.booleans()):
            out[field] = draw(st.one_of(*[_value_for(k) for k in about["types"]]))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_mutated_examples_agree(data: Any) -> None:
    _agrees(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.lists(
        st.tuples(st.sampled_from(["Staff", "LogEntry", "Meeting", "Funding", "Component", "TeamMember", "Allowance", "Operator"]), st.data()),
        min_size=1,
        max_size=1,
    )
)
def test_generated_records_agree(chosen: list[tuple[str, Any]]) -> None:
    (model, data) = chosen[0]
    record = data.draw(_record(model))
    collection = {"Staff": "staff", "LogEntry": "reports", "Meeting": "meetings", "Funding": "funding", "Component": "components"}
    centre = {"id": "x", "name": "Trung tâm"}
    if model in collection:
        setup: dict[str, Any] = {"centre": centre, collection[model]: [record]}
    elif model == "TeamMember":
        setup = {"centre": centre, "teams": [{"name": "Tổ 1", "members": [record]}]}
    elif model == "Allowance":
        setup = {"centre": centre, "staff": [{"name": "A", "allowances": [record]}]}
    else:
        setup = {"centre": dict(centre, operator=record)}
    _agrees(setup)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_record("Centre"))
def test_generated_centres_agree(centre: dict[str, Any]) -> None:
    _agrees({"centre": centre})


def test_the_fast_path_decides_plain_spellings_and_refuses_the_unusual() -> None:
    base = {"centre": {"id": "x", "name": "Trung tâm"}}
    decided = [
        {"centre": {"id": " x ", "name": unicodedata.normalize("NFD", "Hoà\u3000")}},
        {**base, "staff": [{"name": "A", "employment": "CÔNG CHỨC", "concurrent": "Có", "role": ["Giám đốc"], "shift": 2}]},
        {**base, "reports": [{"obligation": "o", "period": "2024-H1", "filed": "20/06/2024 14:30", "to": "UBND"}]},
        {**base, "funding": [{"source": "ngân sách", "amount": "1.500.000 đồng"}, {"source": "x", "amount": 7}]},
        {"centre": {"id": "x", "name": "y", "level": "cấp huyện", "records_since": date(2024, 1, 1), "pilot_extensions": []}},
    ]
    for data in decided:
        assert _agrees(data), data
    unusual = [
        {**base, "staff": [{"name": "A", "shift": "2"}]},  # text for a number
        {**base, "funding": [{"source": "x", "amount": 1.5}]},  # a float amount
        {**base, "funding": [{"source": "x", "amount": "NaN"}]},
        {**base, "staff": [{"name": "A", "nmae": "B"}]},  # an unknown field
        {**base, "staff": [{"position": "B"}]},  # a missing name
        {**base, "staff": [{"name": 5}]},  # a number for text
        {**base, "staff": [{"name": "A", "concurrent": 1}]},  # pydantic's lax mode reads 1 as True
        {**base, "staff": [{"name": "A\x1c"}]},  # Python strips U+001C, pydantic does not
        {**base, "staff": [{"name": "Hoà\ud800"}]},  # a lone surrogate: pydantic refuses it
        {**base, "reports": [{"obligation": "o", "period": "p", "filed": datetime(2024, 1, 1, tzinfo=UTC)}]},
        {"centre": {"id": "x", "name": "y", "operating_since": datetime(2024, 1, 1)}},  # a time where a day is expected
        {**base, "staff": None, "teams": [{"name": "Tổ 1"}]},  # members missing
        [base],
    ]
    for data in unusual:
        assert validated(data) is None, data
        _agrees(data)


def test_validate_reports_what_pydantic_reports() -> None:
    with pytest.raises(ValidationError):
        validate({"centre": {"id": "x"}})
    assert validate({"centre": {"id": "x", "name": "y", "operating": "1"}})["centre"]["operating"] is True  # pydantic decided


@pytest.mark.parametrize("text", ["centre: {id: x, name: y}\nstaff:\n  - name: A\n    shift: '2'\n", "centre: {id: x, name: y, level: tỉnh}\n"])
def test_parse_setup_gives_the_same_data_either_way(text: str) -> None:
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    assert repr(parse_setup(text)) == _pydantic(data)


def test_a_list_inside_a_role_is_reported_not_a_crash() -> None:
    """``role: [[a]]`` once crashed the conventions (an unhashable list) on both paths."""
    from compliance.loading import SetupError

    with pytest.raises(SetupError) as caught:
        parse_setup("centre: {id: x, name: y}\nstaff:\n  - name: A\n    role: [[a], b, b]\n", "x.yaml")
    assert "staff[0].role[0]" in caught.value.render("en")


def test_checking_a_setup_leaves_its_data_as_they_were() -> None:
    """to_facts shares the setup's values (no copy of 10,000 staff): evaluating, reporting and
    naming must never change them (a command names the records after evaluating)."""
    from compliance.findings import report
    from compliance.loading import load_setup
    from compliance.naming import record_names
    from compliance.regulations import bundled_program
    from engine import evaluate

    program = bundled_program()
    for path in EXAMPLE_FILES:
        setup = load_setup(path)
        before = copy.deepcopy(setup)
        facts = to_facts(setup)
        evaluation = evaluate(program, facts, date(2024, 12, 31))
        report(program, evaluation, path.name, facts)
        record_names(setup)
        assert repr(setup) == repr(before), path.name
        assert repr(to_facts(setup)) == repr(to_facts(before))


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.xlsx")), ids=lambda p: p.name)
def test_the_bundled_workbooks_take_the_fast_path_too(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.intake import load_any

    expected = load_any(path, "vi")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pydantic was asked")

    monkeypatch.setattr(Setup, "model_validate", refuse)
    assert repr(load_any(path, "vi")) == repr(expected)
