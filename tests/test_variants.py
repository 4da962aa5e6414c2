"""The variant corpus: natural ways of writing a compliant setup must not change any verdict;
confusables (a deputy for the head, the province's police for the city's, another city's office,
truyền thống for truyền thông, a denial) must.

Every compliant example (``# expect: exit 0``) is rewritten by each *neutral* variant that
applies to it: titles with and without the unit, official abbreviations, hyphens for commas,
case, NFD, tone placement, NBSP and doubled spaces, one-element lists, Có/Không, dd/mm/yyyy,
Vietnamese levels, "Thành phố Cao Lãnh" as the jurisdiction. Each variant must leave every
verdict's status as it was. Variants the engine does not yet read right are xfail(strict=True)
with the reason, so that the day they pass the suite says so.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import bundled_program, parse_setup, to_facts
from engine import Status, evaluate
from tests.conftest import EXAMPLES, said

Data = dict[str, Any]
Variant = Callable[[Data], Data]

# ------------------------------------------------------------------ the compliant examples
_EXPECT = re.compile(r"^# expect: exit 0 as of (\d{4}-\d{2}-\d{2})", re.M)
COMPLIANT: list[tuple[str, date]] = sorted(
    (str(p.relative_to(EXAMPLES)), date.fromisoformat(m.group(1))) for p in EXAMPLES.glob("*/*.yaml") for m in _EXPECT.finditer(p.read_text(encoding="utf-8"))
)

# Fields that hold names or free text a person types (never ids, periods or obligation keys).
TEXT_FIELDS = frozenset(
    {
        "name", "position", "agency", "host_agency", "owner", "managed_by", "directed_by", "seal", "premises",
        "appointed_by", "permitted_by", "source", "purpose", "basis", "to", "cc", "responsibilities",
        "qualifications", "standing_body", "support_list_approved_by", "lead_agency", "cooperating",
        "coordinating_units", "contracted_provider", "supplied_by", "regulation_submitted_by", "regulation_issued_by",
        "duties", "role",
    }
)  # fmt: skip
_NOT_TEXT_IN = {"reports", "meetings"}  # their `name`-less records: obligation ids and periods stay as they are


def _load(example: str) -> Data:
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _map_text(data: Data, fn: Callable[[str], str], fields: frozenset[str] = TEXT_FIELDS) -> Data:
    """``data`` with ``fn`` applied to every string of the free-text ``fields``."""

    def walk(value: Any, field: str | None, inside: str | None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k, inside if field is None else field) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, field, inside) for v in value]
        if isinstance(value, str) and field in fields and not (inside in _NOT_TEXT_IN and field not in ("to", "cc")):
            return fn(value)
        return value

    out: Data = {k: walk(v, None, k) for k, v in data.items()}
    return out


def _map_field(data: Data, field: str, fn: Callable[[Any], Any]) -> Data:
    out = copy.deepcopy(data)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k in list(value):
                if k == field:
                    value[k] = fn(value[k])
                else:
                    walk(value[k])
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(out)
    return out


def _own(data: Data) -> tuple[str, str]:
    """The centre's unit kind and bare name ("Tỉnh Bình Phước" after jurisdiction_with_kind → "Bình Phước")."""
    centre = data["centre"]
    kind, name = str(centre.get("unit_type") or ""), str(centre.get("jurisdiction") or "")
    if kind and name.casefold().startswith(kind.casefold() + " "):
        name = name[len(kind) + 1 :]
    return kind, name


# ------------------------------------------------------------------ neutral variants
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy", "uý": "úy", "oè": "òe", "uỳ": "ùy"}
_NEW_TONES = {v: k for k, v in _OLD_TONES.items()}


def _replace_all(table: dict[str, str]) -> Callable[[str], str]:
    def fn(text: str) -> str:
        for a, b in table.items():
            text = text.replace(a, b).replace(a.capitalize(), b.capitalize())
        return text

    return fn


_ABBREVIATE = [
    (r"Ủy ban nhân dân|Uỷ ban nhân dân", "UBND"),
    (r"Sở Thông tin và Truyền thông", "Sở TT&TT"),
    (r"Sở Kế hoạch và Đầu [tT]ư", "Sở KH&ĐT"),
    (r"Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    (r"Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL"),
    (r"Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    (r"Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    (r"Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    (r"công nghệ thông tin", "CNTT"),
]
_EXPAND = [("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")]


def _abbreviate(text: str) -> str:
    for pattern, short in _ABBREVIATE:
        text = re.sub(pattern, short, text)
    return text


def _expand(text: str) -> str:
    for short, full in _EXPAND:
        text = re.sub(rf"\b{short}\b", full, text)
    return text


def _office_short(text: str) -> str:
    """ "Văn phòng HĐND và UBND thành phố X" → "VP HĐND-UBND TP X"."""
    text = re.sub(r"(?<!Chánh )Văn phòng HĐND và UBND", "VP HĐND-UBND", text)
    return re.sub(r"\bthành phố\b", "TP", text)


def _with_unit(data: Data) -> Data:
    """Titles written with the centre's unit: "… thành phố" → "… thành phố Cao Lãnh"."""
    kind, name = _own(data)
    if not kind or not name:
        return data
    pattern = re.compile(rf"\b{re.escape(kind)}$")
    return _map_text(data, lambda t: pattern.sub(f"{kind} {name}", t), frozenset({"position", "appointed_by", "permitted_by", "managed_by", "directed_by"}))


def _without_unit(data: Data) -> Data:
    """Agencies written without the unit's name: "… thành phố Cao Lãnh" → "… thành phố"."""
    kind, name = _own(data)
    if not kind or not name:
        return data
    pattern = re.compile(rf"\b{re.escape(kind)} {re.escape(name)}$")
    return _map_text(data, lambda t: pattern.sub(kind, t), frozenset({"agency", "host_agency", "seal", "appointed_by"}))


def _title_with_body(data: Data) -> Data:
    """ "Phó Trưởng phòng" + agency "Phòng Văn hóa …" → position "Phó Trưởng phòng Văn hóa …"."""
    out = copy.deepcopy(data)
    for person in out.get("staff") or []:
        position, agency = person.get("position"), person.get("agency")
        if isinstance(position, str) and isinstance(agency, str) and re.fullmatch(r"(Phó )?Trưởng phòng", position) and agency.startswith("Phòng "):
            person["position"] = f"{position} {agency[len('Phòng ') :]}"
    return out


def _bare_title(data: Data) -> Data:
    """ "Chánh Văn phòng HĐND và UBND thành phố" at "Văn phòng HĐND và UBND thành phố Cao Lãnh" → "Chánh Văn phòng"."""
    out = copy.deepcopy(data)
    for person in out.get("staff") or []:
        position, agency = person.get("position"), person.get("agency")
        m = re.match(r"((?:Phó )?Chánh Văn phòng) (.+)$", position) if isinstance(position, str) else None
        if m and isinstance(agency, str) and agency.startswith("Văn phòng " + m.group(2).split(" thành phố")[0].split(" huyện")[0]):
            person["position"] = m.group(1)
    return out


def _vn_bool(yes: str, no: str) -> Variant:
    def variant(data: Data) -> Data:
        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(v) for v in value]
            if value is True:
                return yes
            if value is False:
                return no
            return value

        return walk(data)  # type: ignore[no-any-return]

    return variant


def _dmy(data: Data) -> Data:
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return value

    return walk(data)  # type: ignore[no-any-return]


def _level_vi(data: Data) -> Data:
    out = copy.deepcopy(data)
    level = out["centre"].get("level")
    out["centre"]["level"] = {"province": "cấp tỉnh", "district": "huyện", "commune": "xã"}.get(level, level)
    return out


def _jurisdiction_with_kind(data: Data) -> Data:
    out = copy.deepcopy(data)
    kind, name = _own(data)
    if kind and name:
        out["centre"]["jurisdiction"] = f"{kind.capitalize()} {name}"
    return out


def _capitalised_enums(data: Data) -> Data:
    out = _map_field(data, "employment", lambda v: v.capitalize() if isinstance(v, str) else v)
    return _map_field(out, "team_role", lambda v: v.upper() if isinstance(v, str) else v)


def _role_list(data: Data) -> Data:
    return _map_field(data, "role", lambda v: [v] if isinstance(v, str) else v)


def _scalar_lists(data: Data) -> Data:
    return _map_field(data, "responsibilities", lambda v: v[0] if isinstance(v, list) and len(v) == 1 else v)


def _d_m_yyyy(data: Data) -> Data:
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, date):
            return f"{value.day}-{value.month}-{value.year}"
        return value

    return walk(data)  # type: ignore[no-any-return]


def _thousands(data: Data) -> Data:
    """Amounts as Vietnamese documents write them: 1.000.000 (dots between thousands)."""
    return _map_field(data, "amount", lambda v: f"{int(v):,}".replace(",", ".") if isinstance(v, int) and not isinstance(v, bool) and v >= 1000 else v)


def _list_semicolons(data: Data) -> Data:
    """List items ending in ";" as in an official enumeration."""

    def fn(value: Any) -> Any:
        return [f"{v};" if isinstance(v, str) else v for v in value] if isinstance(value, list) else value

    for field in ("duties", "responsibilities", "cooperating", "coordinating_units", "qualifications"):
        data = _map_field(data, field, fn)
    return data


def _reordered(data: Data) -> Data:
    """Fields written in another order (a mapping's order carries no meaning)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(data)  # type: ignore[no-any-return]


NEUTRAL: dict[str, Variant] = {
    "nfd": lambda d: _map_text(d, lambda t: unicodedata.normalize("NFD", t)),
    "old_tone_placement": lambda d: _map_text(d, _replace_all(_NEW_TONES)),
    "new_tone_placement": lambda d: _map_text(d, _replace_all(_OLD_TONES)),
    "lower_case": lambda d: _map_text(d, str.lower, TEXT_FIELDS - {"role"}),
    "upper_case_titles": lambda d: _map_text(d, str.upper, frozenset({"position", "agency"})),
    "double_spaces": lambda d: _map_text(d, lambda t: t.replace(" ", "  ")),
    "nbsp": lambda d: _map_text(d, lambda t: t.replace(" ", "\u00a0")),
    "trailing_punctuation": lambda d: _map_text(d, lambda t: t + ".", frozenset({"agency", "host_agency", "seal", "position"})),
    "hyphen_for_comma": lambda d: _map_text(d, lambda t: t.replace(", ", " - ")),
    "abbreviations": lambda d: _map_text(d, _abbreviate),
    "expanded_ubnd": lambda d: _map_text(d, _expand),
    "office_short": lambda d: _map_text(d, _office_short, frozenset({"agency", "host_agency", "seal"})),
    "titles_with_unit": _with_unit,
    "agencies_without_unit": _without_unit,
    "title_with_body": _title_with_body,
    "bare_title_with_agency": _bare_title,
    "tab_spaces": lambda d: _map_text(d, lambda t: t.replace(" ", "\t", 1)),
    "reordered_fields": _reordered,
    "padded_spaces": lambda d: _map_text(d, lambda t: f"  {t} "),
    "first_letter_capitalised": lambda d: _map_text(d, lambda t: t[:1].upper() + t[1:], TEXT_FIELDS - {"role"}),
    "province_capitalised": lambda d: _map_text(d, lambda t: re.sub(r"\btỉnh\b", "Tỉnh", t)),
    "list_semicolons": _list_semicolons,
    "thousand_separators": _thousands,
    "d_m_yyyy_dashes": _d_m_yyyy,
    "co_khong": _vn_bool("Có", "Không"),
    "co_khong_lower": _vn_bool("có", "không"),
    "dung_sai": _vn_bool("đúng", "sai"),
    "dd_mm_yyyy": _dmy,
    "level_in_vietnamese": _level_vi,
    "jurisdiction_with_kind": _jurisdiction_with_kind,
    "capitalised_enumerations": _capitalised_enums,
    "role_as_list": _role_list,
    "scalar_for_list": _scalar_lists,
}

# Neutral variants the engine does not read right yet: (example, variant) → why.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


@cache
def _statuses(text: str, when: date) -> dict[str, Status]:
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(text, "variant.yaml")), when)
    return {v.id: v.status for v in evaluation.verdicts if v.kind != "reorganisation"}


def _dump(data: Data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _cases() -> list[Any]:
    cases = []
    for example, when in COMPLIANT:
        base = _dump(_load(example))
        for name, variant in NEUTRAL.items():
            if _dump(variant(_load(example))) == base:
                continue  # does not apply to this example
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(example, name)])] if (example, name) in KNOWN_GAPS else []
            cases.append(pytest.param(example, when, name, id=f"{example}@{when}:{name}", marks=marks))
    return cases


NEUTRAL_CASES = _cases()


def test_the_corpus_has_at_least_20_variants_per_compliant_example() -> None:
    per_example: dict[str, int] = {}
    for case in NEUTRAL_CASES:
        per_example[case.values[0]] = per_example.get(case.values[0], 0) + 1
    assert set(per_example) == {e for e, _ in COMPLIANT}
    assert min(per_example.values()) >= 20, per_example


@pytest.mark.parametrize("example, when, variant", NEUTRAL_CASES)
def test_a_natural_variant_changes_no_verdict(example: str, when: date, variant: str) -> None:
    base = _statuses(_dump(_load(example)), when)
    changed = _statuses(_dump(NEUTRAL[variant](_load(example))), when)
    assert {k: (base[k], changed.get(k)) for k in base if changed.get(k) != base[k]} == {}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMPLIANT), st.lists(st.sampled_from(sorted(NEUTRAL)), min_size=2, max_size=4, unique=True))
def test_natural_variants_compose(example_when: tuple[str, date], variants: list[str]) -> None:
    example, when = example_when
    if any((example, v) in KNOWN_GAPS for v in variants):
        return
    data = _load(example)
    for v in variants:
        data = NEUTRAL[v](data)
    assert _statuses(_dump(data), when) == _statuses(_dump(_load(example)), when)


# ------------------------------------------------------------------ confusables
def _staff_where(pred: Callable[[Data], bool], **fields: Any) -> Variant:
    def variant(data: Data) -> Data:
        out = copy.deepcopy(data)
        hits = [s for s in out.get("staff") or [] if pred(s)]
        assert hits, "the confusable has nothing to change"
        for s in hits:
            s.update(fields)
        return out

    return variant


def _centre(**fields: Any) -> Variant:
    def variant(data: Data) -> Data:
        out = copy.deepcopy(data)
        out["centre"].update(fields)
        return out

    return variant


def _member(team: str, index: int, **fields: Any) -> Variant:
    def variant(data: Data) -> Data:
        out = copy.deepcopy(data)
        members = next(t for t in out["teams"] if t["name"] == team)["members"]
        if index >= len(members):
            members.append(dict(fields))
        else:
            members[index].update(fields)
        return out

    return variant


def _role(role: str) -> Callable[[Data], bool]:
    return lambda s: s.get("role") == role


def _kind(employment: str) -> Callable[[Data], bool]:
    return lambda s: s.get("employment") == employment


CL = "dong-thap/cao-lanh.yaml"
BPP = "binh-phuoc/provincial-ioc.yaml"
LN = "loc-ninh/loc-ninh.yaml"
BT = "binh-thuan/binh-thuan.yaml"
# (example, confusable, the change, the verdict that must become violated)
CONFUSABLES: list[tuple[str, str, Variant, str]] = [
    (CL, "deputy_for_head", _staff_where(_role("Giám đốc"), position="Phó Chánh Văn phòng HĐND và UBND thành phố"), "qd953_2023.giam_doc"),
    (CL, "another_city_s_office_head", _staff_where(_role("Giám đốc"), position="Chánh Văn phòng HĐND và UBND thành phố Sa Đéc"), "qd953_2023.giam_doc"),
    (CL, "ubnd_office_not_joint_office", _staff_where(_role("Giám đốc"), position="Chánh Văn phòng UBND thành phố Cao Lãnh"), "qd953_2023.giam_doc"),
    (CL, "province_police", _staff_where(_kind("công an"), agency="Công an tỉnh Đồng Tháp"), "qd953_2023.cong_an"),
    (CL, "another_city_s_police", _staff_where(_kind("công an"), agency="Công an thành phố Sa Đéc"), "qd953_2023.cong_an"),
    (CL, "hired_by_the_office", _staff_where(_kind("hợp đồng"), supplied_by="Văn phòng HĐND và UBND thành phố Cao Lãnh"), "qd953_2023.ky_thuat_vien"),
    (CL, "tradition_not_communications", _staff_where(_role("Phó Giám đốc"), responsibilities=["thông tin và truyền thống"]), "qd953_2023.pho_giam_doc"),
    (CL, "deputy_from_another_office", _staff_where(_role("Phó Giám đốc"), agency="Phòng Nội vụ thành phố Cao Lãnh"), "qd953_2023.pho_giam_doc"),
    (CL, "denied_centre", _staff_where(_kind("viên chức"), agency="Không phải Trung tâm Văn hóa, Thể thao và Truyền thanh"), "qd953_2023.vien_chuc"),
    (CL, "vice_chair_directs", _centre(directed_by="Phó Chủ tịch UBND thành phố Cao Lãnh"), "qd953_2023.quan_ly_chi_dao"),
    (CL, "another_city_s_office_hosts", _centre(host_agency="Văn phòng HĐND và UBND thành phố Sa Đéc"), "qd953_2023.thuoc_van_phong"),
    (CL, "ubnd_office_hosts", _centre(host_agency="VP UBND TP Cao Lãnh"), "qd953_2023.thuoc_van_phong"),
    (CL, "another_name", _centre(name="Trung tâm IOC thành phố Cao Lãnh"), "qd953_2023.ten_goi"),
    (
        CL,
        "role_list_appointed_by_the_office",
        _staff_where(_role("Phó Giám đốc"), role=["Phó Giám đốc", "Tổ trưởng"], appointed_by="Chánh Văn phòng HĐND và UBND thành phố Cao Lãnh"),
        "qd953_2023.bo_nhiem",
    ),
    (CL, "vice_chair_appoints", _staff_where(_role("Giám đốc"), appointed_by="Phó Chủ tịch UBND thành phố Cao Lãnh"), "qd953_2023.bo_nhiem"),
    (BPP, "deputy_for_director", _member("Tổ 1", 4, position="Phó Giám đốc Sở Y tế"), "qd2936_2020.to_1_thanh_vien"),
    (BPP, "unlisted_member", _member("Tổ 2", 99, position="Giám đốc Sở Nội vụ", concurrent=True), "qd2936_2020.to_2_danh_sach"),
    (BPP, "denied_standing_body", _centre(standing_body="Không phải Sở Thông tin và Truyền thông"), "qd2936_2020.co_quan_thuong_truc"),
    (
        LN,
        "another_district_s_police",
        lambda d: _centre(coordinating_units=[u.replace("Công an huyện Lộc Ninh", "Công an huyện Bù Đốp") for u in d["centre"]["coordinating_units"]])(d),
        "qd4037_2024.don_vi_phoi_hop",
    ),
    (LN, "person_not_office", _centre(managed_by="Chánh Văn phòng HĐND và UBND huyện Lộc Ninh"), "qd4037_2024.co_quan_quan_ly"),
    (
        BT,
        "another_operator",
        lambda d: {**d, "centre": {**d["centre"], "operator": {**d["centre"]["operator"], "name": "Không phải VNPT Bình Thuận"}}},
        "qd1089_2024.don_vi_van_hanh",
    ),
]
CONFUSABLE_GAPS: dict[str, str] = {}


def _confusable_cases() -> list[Any]:
    return [
        pytest.param(e, n, v, r, id=f"{e}:{n}", marks=[pytest.mark.xfail(strict=True, reason=CONFUSABLE_GAPS[n])] if n in CONFUSABLE_GAPS else [])
        for e, n, v, r in CONFUSABLES
    ]


def _when(example: str) -> date:
    return next(w for e, w in COMPLIANT if e == example)


@pytest.mark.parametrize("example, name, variant, rule", _confusable_cases())
def test_a_confusable_changes_the_verdict(example: str, name: str, variant: Variant, rule: str) -> None:
    when = _when(example)
    assert _statuses(_dump(_load(example)), when)[rule] is Status.SATISFIED
    assert _statuses(_dump(variant(_load(example))), when)[rule] is Status.VIOLATED


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([c for c in CONFUSABLES if c[1] not in CONFUSABLE_GAPS]), st.lists(st.sampled_from(sorted(NEUTRAL)), max_size=3, unique=True))
def test_a_confusable_stays_one_under_natural_variants(confusable: tuple[str, str, Variant, str], variants: list[str]) -> None:
    example, _name, change, rule = confusable
    if any((example, v) in KNOWN_GAPS for v in variants):
        return
    data = change(_load(example))
    for v in variants:
        data = NEUTRAL[v](data)
    assert _statuses(_dump(data), _when(example))[rule] is Status.VIOLATED


def test_another_city_s_office_is_named_as_such() -> None:
    data = _staff_where(_role("Giám đốc"), position="Chánh Văn phòng HĐND và UBND thành phố Sa Đéc")(_load(CL))
    evaluation = evaluate(bundled_program(), to_facts(parse_setup(_dump(data), "variant.yaml")), _when(CL))
    verdict = next(v for v in evaluation.verdicts if v.id == "qd953_2023.giam_doc")
    assert verdict.status is Status.VIOLATED
    assert "Sa Đéc” thuộc đơn vị hành chính khác" in said(verdict.message, "vi") and "Cao Lãnh" in said(verdict.message, "vi")
    assert "another administrative unit" in said(verdict.message, "en")
