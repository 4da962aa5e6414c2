"""Claims: every figure the draft Tờ trình (2021) states, recomputed; and the claim evaluator itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from compliance import bundled_program
from engine import RegulationError, Status, build_program, evaluate_claims, parse_text

DRAFT = "totrinh_ioc_2021"

# Every claim of the draft with the status its recomputation must give. Inputs (figures the
# draft gives no way to recompute) are not_applicable.
EXPECTED = {
    "so_ca_truc_tinh": Status.NOT_APPLICABLE,
    "cong_an_moi_ca": Status.NOT_APPLICABLE,
    "tttt_moi_ca": Status.NOT_APPLICABLE,
    "y_te_moi_ca": Status.NOT_APPLICABLE,
    "dinh_suat_cong_an": Status.SATISFIED,
    "dinh_suat_y_te": Status.SATISFIED,
    "dinh_suat_tttt": Status.SATISFIED,
    "dinh_suat_khdt": Status.NOT_APPLICABLE,
    "dinh_muc_tinh_19": Status.SATISFIED,
    "nguoi_moi_ca_huyen": Status.NOT_APPLICABLE,
    "so_ca_truc_huyen": Status.NOT_APPLICABLE,
    "dinh_muc_huyen_09": Status.SATISFIED,
    "so_ioc_huyen": Status.NOT_APPLICABLE,
    "muc_ho_tro_thang": Status.SATISFIED,
    "dinh_suat_tinh": Status.SATISFIED,
    "chi_tinh_thang": Status.SATISFIED,
    "chi_tinh_nam": Status.SATISFIED,
    "chi_tinh_thang_theo_muc_chi": Status.VIOLATED,
    "dinh_suat_huyen": Status.SATISFIED,
    "muc_ho_tro_thang_huyen": Status.SATISFIED,
    "chi_huyen_thang": Status.SATISFIED,
    "chi_huyen_nam": Status.SATISFIED,
    "tong_dinh_suat": Status.SATISFIED,
    "tong_thang": Status.SATISFIED,
    "tong_nam": Status.SATISFIED,
    "tong_nam_loi_van": Status.SATISFIED,
    "chi_tinh_nam_loi_van": Status.SATISFIED,
    "so_cong_chuc_huyen_loi_van": Status.SATISFIED,
    "chi_huyen_nam_loi_van": Status.SATISFIED,
    "so_huyen": Status.NOT_APPLICABLE,
    "so_cong_chuc_11_huyen": Status.VIOLATED,
    "chi_11_huyen_thang": Status.VIOLATED,
}


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    return {r.id.split(".", 1)[1]: r for r in evaluate_claims(bundled_program(), DRAFT)}


def test_every_claim_of_the_draft_has_its_expected_status(results) -> None:  # noqa: ANN001
    assert {k: r.status for k, r in results.items()} == EXPECTED


@pytest.mark.parametrize(
    ("claim", "stated", "computed"),
    [
        ("muc_ho_tro_thang", 2235000, 2235000),  # 1,5 × 1.490.000
        ("chi_tinh_thang", 42465000, 42465000),  # 19 × 2.235.000
        ("chi_tinh_nam", 509580000, 509580000),
        ("chi_huyen_thang", 60345000, 60345000),  # 27 × 2.235.000
        ("chi_huyen_nam", 724140000, 724140000),
        ("tong_dinh_suat", 46, 46),
        ("tong_thang", 102810000, 102810000),
        ("tong_nam", 1233720000, 1233720000),
        ("so_cong_chuc_11_huyen", 66, 99),  # 11 × 09, not 66
        ("chi_11_huyen_thang", 221265000, 147510000),  # 66 × 2.235.000; 221.265.000 is 99 × 2.235.000
        ("chi_tinh_thang_theo_muc_chi", 42465000, 40975000),  # 18 × 2.235.000 + 1 × 745.000
    ],
)
def test_the_figures(results, claim: str, stated: int, computed: int) -> None:  # noqa: ANN001
    r = results[claim]
    assert r.stated == stated and r.computed == computed


def test_the_base_salary_used_is_the_one_of_2021_with_its_decree(results) -> None:  # noqa: ANN001
    used = results["muc_ho_tro_thang"].parameters
    assert used == [
        {
            "parameter": "luong_co_so",
            "title": "Mức lương cơ sở",
            "value": "1490000",
            "from": "2019-07-01",
            "source": "Nghị định 38/2019/NĐ-CP",
            "as_of": "2021-05-18",
        }
    ]
    # The stated 221.265.000 fits 99 persons (11 × 09) at the draft's own rate.
    assert Decimal(221265000) == 99 * results["muc_ho_tro_thang"].stated
    assert results["chi_11_huyen_thang"].references == [
        {"claim": f"{DRAFT}.so_cong_chuc_11_huyen", "stated": "66"},
        {"claim": f"{DRAFT}.muc_ho_tro_thang", "stated": "2235000"},
    ]


def test_read_today_the_figures_follow_the_parameter() -> None:
    today = {r.id.split(".", 1)[1]: r for r in evaluate_claims(bundled_program(), DRAFT, when=date(2024, 7, 1))}
    assert today["muc_ho_tro_thang"].computed == Decimal("3510000")  # 1,5 × 2.340.000
    assert today["muc_ho_tro_thang"].status is Status.VIOLATED
    assert today["chi_tinh_thang"].status is Status.SATISFIED  # built from stated figures, not the parameter


HEADER = 'document d { number "1/QĐ" signed 2021-01-01 }\n'
PARAM = 'parameter p { from 2020-01-01 value 10 source "NĐ 1" from 2022-01-01 value 20 source "NĐ 2" }\n'


def _claims(body: str) -> dict[str, object]:
    program = build_program([parse_text(PARAM + HEADER + body, "t.quy")])
    return {r.id: r for r in evaluate_claims(program)}


def test_a_wrong_figure_is_detected() -> None:
    r = _claims('claim a { at "Điều 1" text "3 4 13" stated 13 computed 3 * 4 }')["d.a"]
    assert r.status is Status.VIOLATED and r.computed == 12 and r.difference == -1


def test_a_claim_names_another_claim_of_its_document_by_its_stated_figure() -> None:
    found = _claims('claim a { at "Điều 1" text "5" stated 5 computed 2 + 2 }\nclaim b { at "Điều 1" text "10" stated 10 computed a * 2 }')
    assert found["d.a"].status is Status.VIOLATED
    assert found["d.b"].status is Status.SATISFIED and found["d.b"].computed == 10  # uses a's stated 5, not 4


def test_cycles_are_reported_not_looped() -> None:
    found = _claims(
        'claim a { at "Điều 1" text "5" stated b computed 5 }\n'
        'claim b { at "Điều 1" text "5" stated a computed 5 }\n'
        'claim c { at "Điều 1" text "5" stated 5 computed c + 0 }'
    )
    assert found["d.a"].status is Status.UNKNOWN and found["d.a"].problem == "cycle: d.a → d.b → d.a"
    assert found["d.c"].status is Status.UNKNOWN and "cycle" in found["d.c"].problem


def test_another_documents_claim_is_not_visible() -> None:
    found = _claims('claim a { at "Điều 1" text "5" stated 5 }\ndocument f { number "3/QĐ" }\nclaim b { at "Điều 1" text "5" stated 5 computed a }')
    assert found["f.b"].status is Status.UNKNOWN and found["f.b"].problem == "unknown name(s): a"


def test_parameters_are_read_on_the_claims_date() -> None:
    found = _claims(
        'claim a { at "Điều 1" text "15" stated 15 computed 1.5 * p }\n'
        'claim b { at "Điều 1" text "30" stated 30 computed 1.5 * p as of 2022-06-01 }\n'
        'document e2 { number "4/QĐ" }\nclaim c { at "Điều 1" text "15" stated 15 computed 1.5 * p }'
    )
    assert found["d.a"].status is Status.SATISFIED and found["d.a"].as_of == date(2021, 1, 1)  # the document's date
    assert found["d.b"].status is Status.SATISFIED and found["d.b"].parameters[0]["source"] == "NĐ 2"
    assert found["e2.c"].status is Status.UNKNOWN and "as of" in found["e2.c"].problem  # no date anywhere


def test_claim_names_are_checked_against_the_vocabulary() -> None:
    from compliance import vocabulary

    ok = parse_text(HEADER + 'claim a { at "Điều 1" text "5" stated 5 }\nclaim b { at "Điều 1" text "5" stated 5 computed a }')
    build_program([ok], vocabulary())
    typo = parse_text(HEADER + 'claim a { at "Điều 1" text "5" stated 5 }\nclaim b { at "Điều 1" text "5" stated 5 computed aa }', "t.quy")
    with pytest.raises(RegulationError) as info:
        build_program([typo], vocabulary())
    assert any(d.code == "Q014" and "'aa'" in d.message and "'a'" in (d.hint or "") for d in info.value.diagnostics)


def test_the_graph_shows_how_claims_are_computed_and_which_article_cites_what() -> None:
    from engine import build_graph

    g = build_graph(bundled_program())
    uses = {v for u, v, d in g.edges(data=True) if u == f"claim:{DRAFT}.tong_nam" and d["relation"] == "uses"}
    assert uses == {f"claim:{DRAFT}.chi_tinh_nam", f"claim:{DRAFT}.chi_huyen_nam"}
    assert (f"claim:{DRAFT}.muc_ho_tro_thang", "param:luong_co_so") in {(u, v) for u, v in g.edges()}
    cites = [d for u, v, d in g.edges(data=True) if u == f"doc:{DRAFT}" and v == "doc:qd1316_2020"]
    assert sorted(d["locator"] for d in cites) == ["Mục I.1", "Mục I.2", "Mục I.2"]
    qd = [d for u, v, d in g.edges(data=True) if u == "doc:qd2936_2020" and v == "doc:tt140_2020_stttt"]
    assert [d["relation"] for d in qd] == ["derives_from"]
