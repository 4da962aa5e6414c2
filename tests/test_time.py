"""Time is first-class: as-of evaluation, pilots, dated parameters, deadlines and logs."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance import load_setup, to_facts
from compliance.explanation import explanation
from engine import Program, Status, Verdict, build_program, doc_in_force, evaluate, parse_text
from tests.conftest import EXAMPLES, ROOT, check_json, run_cli, said

CENTRE = {"province": "P", "operating": True}


def _program(dsl: str, *, with_parameters: bool = False) -> Program:
    modules = [parse_text(dsl)]
    if with_parameters:
        modules.append(parse_text((ROOT / "regulations" / "parameters" / "luong-co-so.quy").read_text(encoding="utf-8")))
    return build_program(modules)


def _verdicts(program: Program, facts: dict[str, Any], when: date) -> dict[str, Verdict]:
    return {v.id: v for v in evaluate(program, {"centre": CENTRE, **facts}, when).verdicts}


# ---------------------------------------------------------------- documents as of a date
DOC = """document d {{
  number "1/QĐ" signed {signed} effective {effective} {extra}
  applies to centre.province = "P"
}}
rule r {{ at "Điều 1" text "x" require that centre.operating = true }}
"""


def test_a_document_not_yet_signed_or_not_yet_in_force_is_not_applicable() -> None:
    program = _program(DOC.format(signed="2024-03-01", effective="2024-04-01", extra=""))
    before_signing = _verdicts(program, {}, date(2024, 2, 28))["d.r"]
    assert before_signing.status is Status.NOT_APPLICABLE
    assert "chưa được ký" in said(before_signing.message, "vi") and "not been signed" in said(before_signing.message, "en")
    signed_not_in_force = _verdicts(program, {}, date(2024, 3, 15))["d.r"]
    assert signed_not_in_force.status is Status.NOT_APPLICABLE and "in force from 1 April 2024" in said(signed_not_in_force.message, "en")
    assert _verdicts(program, {}, date(2024, 4, 1))["d.r"].status is Status.SATISFIED


def test_retroactive_effect_still_needs_the_signature() -> None:
    doc = parse_text(DOC.format(signed="2024-03-01", effective="2024-01-01", extra="")).documents[0]
    assert doc_in_force(doc, date(2024, 2, 1))[0] is False  # not yet signed, whatever the text says
    assert doc_in_force(doc, date(2024, 3, 1))[0] is True


TEMPORARY = DOC.format(signed="2024-05-23", effective="2024-05-23", extra='status temporary pilot until 2025-05-31 at "Điều 1" text "trong thời gian thí điểm"')


def test_an_ended_temporary_regulation_is_a_violation_with_its_end_date_and_article() -> None:
    program = _program(TEMPORARY)
    running = _verdicts(program, {}, date(2025, 5, 31))
    assert running["d.r"].status is Status.SATISFIED and running["d.pilot"].status is Status.SATISFIED
    ended = _verdicts(program, {}, date(2025, 6, 1))
    assert ended["d.r"].status is Status.NOT_APPLICABLE
    pilot = ended["d.pilot"]
    assert pilot.status is Status.VIOLATED and pilot.locator == "Điều 1"
    assert "31 May 2025" in said(pilot.message, "en") and "31/05/2025" in said(pilot.message, "vi")


def test_an_extension_keeps_a_temporary_regulation_in_force() -> None:
    program = _program(TEMPORARY)
    extended = {"centre": {**CENTRE, "pilot_extensions": ["1/QĐ"]}}
    verdicts = {v.id: v for v in evaluate(program, extended, date(2025, 7, 1)).verdicts}
    assert verdicts["d.pilot"].status is Status.SATISFIED
    assert verdicts["d.r"].status is Status.SATISFIED  # evaluated again, not "not applicable"


def test_a_temporary_regulation_with_no_end_date_is_flagged() -> None:
    program = _program(
        DOC.format(signed="2024-05-23", effective="2024-05-23", extra='status temporary pilot unstated at "Điều 1" text "trong thời gian thí điểm"')
    )
    pilot = _verdicts(program, {}, date(2030, 1, 1))["d.pilot"]
    assert pilot.status is Status.UNKNOWN and pilot.severity == "warning"
    assert "no end date" in said(pilot.message, "en")


@settings(max_examples=150, deadline=None)
@given(
    until=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    first=st.integers(min_value=1, max_value=3000),
    later=st.integers(min_value=0, max_value=3000),
    operating=st.sampled_from([True, False, None]),
    temporary=st.booleans(),
)
def test_moving_as_of_later_never_revives_an_expired_pilot(until: date, first: int, later: int, operating: bool | None, temporary: bool) -> None:
    program = _program(
        f'document d {{ number "1/QĐ" signed 2019-06-01 {"status temporary" if temporary else ""}'
        f' pilot until {until.isoformat()} at "Điều 10" text "thí điểm" applies to centre.province = "P" }}'
        '\nrule r { at "Điều 1" text "x" require that centre.operating = true }'
    )
    centre = {"province": "P", "operating": operating}
    d1 = until + timedelta(days=first)
    d2 = d1 + timedelta(days=later)
    for when in (d1, d2):
        verdicts = {v.id: v for v in evaluate(program, {"centre": centre}, when).verdicts}
        pilot = verdicts["d.pilot"]
        assert "running" not in said(pilot.actual, "en") and pilot.status is not Status.SATISFIED or operating is False
        if temporary:
            assert verdicts["d.r"].status is Status.NOT_APPLICABLE
            assert doc_in_force(program.documents["d"], when)[0] is False


# ---------------------------------------------------------------- dated parameters
RATE = """document d { number "1/QĐ" signed 2023-01-01 applies to centre.province = "P" }
rule ho_tro {
  at "Điều 1"
  text "hỗ trợ 1,5 lần mức lương cơ sở/người/tháng"
  require every staff has sum(allowances.amount) = 1.5 * luong_co_so
}
"""


def test_a_coefficient_resolves_to_vnd_for_the_date_and_the_explanation_names_the_decree() -> None:
    program = _program(RATE, with_parameters=True)
    staff = {"staff": [{"name": "A", "allowances": [{"amount": Decimal("2700000")}]}]}
    june = _verdicts(program, staff, date(2024, 6, 30))["d.ho_tro"]
    july = _verdicts(program, staff, date(2024, 7, 1))["d.ho_tro"]
    assert june.status is Status.SATISFIED and july.status is Status.VIOLATED
    explained = explanation(program, june)
    assert explained["parameters"] == [
        {
            "parameter": "luong_co_so",
            "title": "Mức lương cơ sở",
            "value": "1800000",
            "from": "2023-07-01",
            "source": "Nghị định 24/2023/NĐ-CP",
            "as_of": "2024-06-30",
        }
    ]
    steps = [step["vi"] for step in explained["steps"]]
    assert any("1,5 × lương cơ sở = 2.700.000" in step for step in steps) and any("24/2023/NĐ-CP" in step for step in steps)
    explained = explanation(program, july)
    assert explained["parameters"][0]["value"] == "2340000" and explained["parameters"][0]["source"] == "Nghị định 73/2024/NĐ-CP"
    assert any("1.5 × the base salary = 3,510,000" in step["en"] for step in explained["steps"])


def test_quyche_explain_shows_the_parameter_value_and_its_decree(tmp_path: Path) -> None:
    regs = tmp_path / "regulations"
    regs.mkdir()
    (regs / "doc.quy").write_text(RATE, encoding="utf-8")
    (regs / "luong-co-so.quy").write_text((ROOT / "regulations" / "parameters" / "luong-co-so.quy").read_text(encoding="utf-8"), encoding="utf-8")
    setup = tmp_path / "s.yaml"
    setup.write_text("centre: {id: x, name: X, province: P}\nstaff:\n  - name: A\n    allowances: [{scheme: hỗ trợ, amount: 2700000}]\n", encoding="utf-8")
    code, out, _ = run_cli("explain", str(setup), "ho_tro", "--as-of", "2024-06-30", "--regulations", str(regs))
    assert code == 0 and "Nghị định 24/2023/NĐ-CP" in out and "01/07/2023" in out and "1.800.000" in out
    code, out, _ = run_cli("explain", str(setup), "ho_tro", "--as-of", "2024-07-01", "--regulations", str(regs), "--lang", "en")
    assert code == 1 and "Nghị định 73/2024/NĐ-CP" in out and "3,510,000" in out


# ---------------------------------------------------------------- deadlines and logs
LOGS = """document d {{ number "4037/QĐ-UBND" signed 2024-01-01 {extra} applies to centre.province = "P" }}
obligation thang {{
  at "Điều 11 khoản 6" text "báo cáo tháng trước ngày 25 hằng tháng"
  to "UBND huyện", "Sở Thông tin và Truyền thông"
  due before day 25 of each month
}}
obligation sau_thang {{
  at "Điều 11" text "Chậm nhất ngày 25 của tháng 6 và tháng 12 hàng năm"
  due no later than day 25 of months 6, 12
}}
obligation hop {{ at "Điều 14 khoản 2" text "Định kỳ 6 tháng" record meetings due every 6 months }}
obligation dac_biet {{ at "Điều 6 khoản 6" text "báo cáo chuyên đề, đột xuất" due unstated }}
"""
TO = ["UBND huyện", "Sở Thông tin và Truyền thông"]


def _monthly(months: range, day: int = 20, year: int = 2024, to: list[str] = TO) -> list[dict[str, Any]]:
    return [{"obligation": "thang", "period": f"{year}-{m:02d}", "filed": date(year, m, day), "to": to} for m in months]


def _logs(
    reports: list[dict[str, Any]], when: date, extra: str = "", meetings: list[dict[str, Any]] | None = None, centre: dict[str, Any] | None = None
) -> dict[str, Verdict]:
    program = _program(LOGS.format(extra=extra))
    facts: dict[str, Any] = {"centre": {**CENTRE, **(centre or {})}, "reports": reports}
    if meetings is not None:
        facts["meetings"] = meetings
    return {v.id: v for v in evaluate(program, facts, when).verdicts}


def test_a_missing_month_is_a_violation_naming_its_due_date() -> None:
    reports = [r for r in _monthly(range(1, 7)) if r["period"] != "2024-05"]
    v = _logs(reports, date(2024, 6, 30))["d.thang"]
    assert v.status is Status.VIOLATED
    missing = [e for e in v.evidence if e["role"] == "missing"]
    assert [e["due"] for e in missing] == ["2024-05-25"]
    assert "25/05/2024" in said(v.message, "vi") and "25 May 2024" in said(v.message, "en")
    assert "trước ngày 25/05/2024" in said(missing[0]["detail"], "vi")


def test_filed_on_the_25th_is_late_before_the_25th_and_on_time_no_later_than_the_25th() -> None:
    reports = _monthly(range(6, 7), day=25) + [{"obligation": "sau_thang", "period": "2024-H1", "filed": date(2024, 6, 25)}]
    verdicts = _logs(reports, date(2024, 6, 30), centre={"records_since": date(2024, 6, 1)})
    assert verdicts["d.thang"].status is Status.VIOLATED
    assert [e["role"] for e in verdicts["d.thang"].evidence] == ["late"]
    assert verdicts["d.sau_thang"].status is Status.SATISFIED
    # with a time of day, the whole 25th is still "no later than"
    verdicts = _logs(
        [{"obligation": "sau_thang", "period": "2024-H1", "filed": datetime(2024, 6, 25, 17, 45)}],
        date(2024, 6, 30),
        centre={"records_since": date(2024, 6, 1)},
    )
    assert verdicts["d.sau_thang"].status is Status.SATISFIED


def test_a_report_for_a_period_the_schedule_never_has_is_a_wrong_period() -> None:
    reports = _monthly(range(1, 7)) + [{"obligation": "thang", "period": "2024-Q2", "filed": date(2024, 6, 1), "to": TO}]
    v = _logs(reports, date(2024, 6, 30))["d.thang"]
    assert v.status is Status.VIOLATED and [e["role"] for e in v.evidence if e["role"] != "on_time"] == ["wrong_period"]


def test_a_period_of_the_right_shape_outside_the_checked_window_is_ignored() -> None:
    reports = _monthly(range(1, 7)) + _monthly(range(1, 2), year=2025)  # a future period: not an error
    assert _logs(reports, date(2024, 6, 30))["d.thang"].status is Status.SATISFIED


def test_a_filing_made_after_the_as_of_date_had_not_happened_yet() -> None:
    reports = _monthly(range(1, 6)) + [{"obligation": "thang", "period": "2024-06", "filed": date(2024, 7, 2), "to": TO}]
    as_of_june = _logs(reports, date(2024, 6, 30))["d.thang"]
    assert [e["role"] for e in as_of_june.evidence if e["role"] != "on_time"] == ["missing"]
    as_of_july = _logs(reports, date(2024, 7, 10))["d.thang"]
    assert [e["role"] for e in as_of_july.evidence if e["role"] != "on_time"] == ["late"]


def test_a_missing_recipient_is_a_violation() -> None:
    reports = _monthly(range(1, 7), to=["UBND huyện"])
    v = _logs(reports, date(2024, 6, 30))["d.thang"]
    assert v.status is Status.VIOLATED and {e["role"] for e in v.evidence} == {"wrong_recipient"}
    assert "Sở Thông tin và Truyền thông" in said(v.evidence[0]["detail"], "vi")
    # the usual abbreviation names the same department
    assert _logs(_monthly(range(1, 7), to=["UBND huyện", "Sở TT&TT"]), date(2024, 6, 30))["d.thang"].status is Status.SATISFIED


def test_every_six_months_needs_one_meeting_in_each_half_year() -> None:
    meetings = [{"obligation": "hop", "period": "2024-H1", "filed": date(2024, 3, 5)}]
    v = _logs(_monthly(range(1, 13)), date(2024, 12, 31), meetings=meetings)["d.hop"]
    assert v.status is Status.VIOLATED
    assert [(e["role"], e.get("due")) for e in v.evidence] == [("on_time", "2024-06-30"), ("missing", "2024-12-31")]
    early = [{"obligation": "hop", "period": "2024-H2", "filed": date(2024, 6, 20)}]
    v = _logs(_monthly(range(1, 13)), date(2024, 12, 31), meetings=meetings + early)["d.hop"]
    assert "early" in [e["role"] for e in v.evidence]


def test_an_obligation_with_no_stated_deadline_is_reported_not_invented() -> None:
    v = _logs([], date(2024, 12, 31))["d.dac_biet"]
    assert v.status is Status.UNKNOWN and v.severity == "info" and v.evidence == []
    assert "no deadline" in said(v.message, "en")


def test_periods_after_the_logs_end_are_unknown_not_missing() -> None:
    v = _logs(_monthly(range(1, 7)), date(2024, 12, 31), centre={"records_until": date(2024, 6, 30)})["d.thang"]
    assert v.status is Status.UNKNOWN
    assert {e["role"] for e in v.evidence} == {"on_time", "uncertain"}


def test_no_report_is_expected_after_a_pilot_ended_without_extension() -> None:
    extra = 'pilot until 2024-06-30 at "Điều 10" text "thí điểm"'
    v = _logs(_monthly(range(1, 7)), date(2024, 12, 31), extra=extra)["d.thang"]
    assert v.status is Status.SATISFIED and len(v.evidence) == 6
    assert any("pilot ended on 30 June 2024" in s["en"] for s in [{"en": said(m, "en")} for m in v.trace])
    extended = _logs(_monthly(range(1, 7)), date(2024, 12, 31), extra=extra, centre={"pilot_extensions": ["4037/QĐ-UBND"]})
    assert extended["d.thang"].status is Status.VIOLATED  # the extension keeps the reports due


# ---------------------------------------------------------------- the examples, as of three dates
def test_cao_lanh_as_of_2024_06_30_is_compliant() -> None:
    code, data = check_json(EXAMPLES / "dong-thap" / "cao-lanh.yaml", "2024-06-30")
    assert code == 0 and data["summary"]["violated"] == 0 and data["summary"]["unknown"] == 0
    assert not [f for f in data["findings"] if f["kind"] == "reorganisation"]


def test_cao_lanh_as_of_2026_01_15_the_pilot_of_dieu_10_has_ended() -> None:
    code, data = check_json(EXAMPLES / "dong-thap" / "cao-lanh.yaml", "2026-01-15")
    violated = [f for f in data["findings"] if f["status"] == "violated"]
    assert code == 1 and [f["rule"] for f in violated] == ["qd953_2023.pilot"]
    pilot = violated[0]
    assert pilot["locator"] == "Điều 10" and "31 tháng 12 năm 2025" in pilot["text"]
    assert "31 December 2025" in pilot["message"]["en"] and "no extension" in pilot["message"]["en"]
    # the logs are a mid-2024 snapshot: later reports are unknown, not missing
    report = next(f for f in data["findings"] if f["rule"] == "qd953_2023.bao_cao_6_thang")
    assert report["status"] == "unknown"


def test_cao_lanh_today_says_the_city_ended_as_a_unit_with_its_legal_basis() -> None:
    code, out, _ = run_cli("check", str(EXAMPLES / "dong-thap" / "cao-lanh.yaml"), "--format", "json")
    data = json.loads(out)
    unit = next(f for f in data["findings"] if f["rule"] == "reorganisation.ket_thuc_cap_huyen_2025.thanh_pho_cao_lanh")
    assert unit["status"] == "unknown" and unit["severity"] == "warning"
    assert unit["document"] == "Nghị quyết 203/2025/QH15"
    assert "01/07/2025" in unit["message"]["vi"] and "thành phố Cao Lãnh" in unit["message"]["vi"]
    assert "no longer exists as an administrative unit" in unit["message"]["en"]
    assert "Phường Cao Lãnh (Đồng Tháp)" in unit["message"]["en"] and "not a successor" in unit["message"]["en"]
    assert code == 1  # the ended pilot, not the reorganisation, decides the exit code


# ---------------------------------------------------------------- Lộc Ninh (integration)
LOC_NINH = EXAMPLES / "loc-ninh" / "loc-ninh.yaml"


def _loc_ninh_without(tmp_path: Path, period: str) -> Path:
    data = yaml.safe_load(LOC_NINH.read_text(encoding="utf-8"))
    data["reports"] = [r for r in data["reports"] if not (r["obligation"] == "bao_cao_thang" and r["period"] == period)]
    out = tmp_path / "loc-ninh-missing.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_loc_ninh_log_missing_a_month_names_the_due_date(tmp_path: Path) -> None:
    code, data = check_json(LOC_NINH, "2024-12-31")
    assert code == 0
    code, data = check_json(_loc_ninh_without(tmp_path, "2024-11"), "2024-12-31")
    monthly = next(f for f in data["findings"] if f["rule"] == "qd4037_2024.bao_cao_thang")
    assert code == 1 and monthly["status"] == "violated"
    assert [e["due"] for e in monthly["evidence"] if e["role"] == "missing"] == ["2024-11-25"]
    assert "25/11/2024" in monthly["message"]["vi"] and "trước ngày" in monthly["message"]["vi"]


def test_loc_ninh_report_filed_on_the_25th_is_late(tmp_path: Path, program: Program) -> None:
    data = yaml.safe_load(LOC_NINH.read_text(encoding="utf-8"))
    for r in data["reports"]:
        if r["obligation"] == "bao_cao_thang" and r["period"] == "2024-10":
            r["filed"] = date(2024, 10, 25)
    path = tmp_path / "loc-ninh-late.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    evaluation = evaluate(program, to_facts(load_setup(path)), date(2024, 12, 31))
    monthly = next(v for v in evaluation.verdicts if v.id == "qd4037_2024.bao_cao_thang")
    assert monthly.status is Status.VIOLATED
    assert [(e["role"], e["due"]) for e in monthly.evidence if e["role"] != "on_time"] == [("late", "2024-10-25")]


def test_weekly_periods_are_recognised_outside_the_checked_window() -> None:
    program = _program(
        'document d { number "1/QĐ" signed 2024-01-01 applies to centre.province = "P" }\n'
        'obligation hop { at "Điều 3" text "họp hằng tuần" record meetings due every week }'
    )
    meetings = [
        {"obligation": "hop", "period": "2024-W01", "filed": date(2024, 1, 3)},
        {"obligation": "hop", "period": "2024-W40", "filed": date(2024, 10, 2)},
    ]  # a later week: not an error
    facts = {"centre": dict(CENTRE, records_since=date(2024, 1, 1)), "meetings": meetings}
    v = next(v for v in evaluate(program, facts, date(2024, 1, 7)).verdicts if v.id == "d.hop")
    assert v.status is Status.SATISFIED, v.evidence
    facts["meetings"] = [*meetings, {"obligation": "hop", "period": "2024-05", "filed": date(2024, 1, 3)}]
    v = next(v for v in evaluate(program, facts, date(2024, 1, 7)).verdicts if v.id == "d.hop")
    assert [e["role"] for e in v.evidence if e["role"] != "on_time"] == ["wrong_period"]
