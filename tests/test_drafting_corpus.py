"""Measured quality of the drafting checks: seeded defects in a clean draft, and the seeds' real ones.

Each mutation plants one defect of a family on a known line of tests/drafting_corpus/clean_quy_che.txt
(which itself must review clean); the seeds' real defects are labelled in seeds.toml. Precision and
recall are computed per family, printed, and held above floors. A finding without a locator fails.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from compliance.drafting import FAMILIES, Context, run_checks
from compliance.legaldoc import parse, read_document
from engine import Program
from tests.conftest import SEEDS

CORPUS = Path(__file__).parent / "drafting_corpus"
CLEAN = (CORPUS / "clean_quy_che.txt").read_text(encoding="utf-8")
AS_OF = date(2026, 12, 2)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _mutations() -> list[tuple[str, str, str]]:
    """(family, mutated text, the line the defect is on)."""
    out: list[tuple[str, str, str]] = []

    def add(family: str, old: str, new: str, marker: str) -> None:
        assert old in CLEAN, old
        out.append((family, CLEAN.replace(old, new, 1), marker))

    for a, b in [
        ("1. Tham mưu", "3. Tham mưu"),
        ("2. Theo dõi", "1. Theo dõi"),
        ("3. Đề xuất", "5. Đề xuất"),
        ("2. Chủ trì", "3. Chủ trì"),
        ("3. Ký các", "2. Ký các"),
        ("2. Cung cấp", "1. Cung cấp"),
        ("3. Tham gia đầy", "4. Tham gia đầy"),
        ("2. Khi có", "3. Khi có"),
        ("2. Trường hợp", "1. Trường hợp"),
        ("2. Mức hỗ trợ", "3. Mức hỗ trợ"),
        ("Điều 6. Nhiệm vụ của thành viên", "Điều 7. Nhiệm vụ của thành viên"),
    ]:
        add("numbering", a, b, b)
    for title in [
        "Phạm vi điều chỉnh",
        "Đối tượng áp dụng",
        "Nguyên tắc làm việc",
        "Nhiệm vụ của Tổ công tác",
        "Nhiệm vụ của Tổ trưởng",
        "Nhiệm vụ của thành viên",
        "Chế độ báo cáo",
        "Chế độ họp",
        "Kinh phí hoạt động",
        "Tổ chức thực hiện",
    ]:
        n = CLEAN[: CLEAN.index(". " + title)].rsplit("Điều ", 1)[1]
        add("titles", f"Điều {n}. {title}", f"Điều {n}.", f"Điều {n}.\n")
    refs = [
        "khoản 5 Điều này",
        "Điều 15 của Quy chế này",
        "khoản 4 Điều 3 Quy chế này",
        "Điều 21 Quy chế này",
        "khoản 7 Điều này",
        "điểm c khoản 1 Điều này",
        "Điều 12 của Quy chế này",
        "khoản 9 Điều 4 Quy chế này",
        "Điều 30 Quy chế này",
        "khoản 6 Điều này",
    ]
    targets = [
        "Thực hiện nhiệm vụ do Tổ trưởng phân công.",
        "Phân công nhiệm vụ cho các thành viên.",
        "Tổ công tác làm việc theo chế độ kiêm nhiệm.",
        "Các thành viên Tổ công tác.",
        "Theo dõi việc cập nhật dữ liệu của các cơ quan, đơn vị.",
        "Tham mưu xây dựng kế hoạch chuyển đổi số hằng năm của huyện.",
        "Cung cấp thông tin, dữ liệu thuộc lĩnh vực phụ trách.",
        "Thành viên chịu trách nhiệm về nhiệm vụ được phân công.",
        "Đề xuất giải pháp nâng cao hiệu quả khai thác dữ liệu.",
        "Tham gia đầy đủ các cuộc họp của Tổ công tác.",
    ]
    for ref, sentence in zip(refs, targets, strict=True):
        add("references", sentence, sentence[:-1] + f" theo {ref}.", f"theo {ref}")
    cited = "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước;"
    for bad in ["47./2020/NĐ-CP", "47/2020/NĐ- CP", "47/2019/NĐ-CP", "47/2020/QĐ-CP", "47/2020/nđ-cp"]:
        add("citations", "47/2020/NĐ-CP ngày 09/4/2020", f"{bad} ngày 09/4/2020", bad)
    for later in ["ngày 15/01/2027", "ngày 20/5/2026", "ngày 01/12/2026"]:
        add("citations", "88/QĐ-UBND ngày 15/01/2026", f"88/QĐ-UBND {later}", later)
    add("citations", cited, cited + "\n" + cited.replace("Căn cứ", "Căn cứ "), cited.replace("Căn cứ", "Căn cứ "))
    add(
        "citations",
        "Căn cứ Quyết định số 88",
        "Căn cứ Quyết định số 88/QĐ-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh;\nCăn cứ  Quyết định số 88",
        "Căn cứ  Quyết định số 88",
    )
    for sentence in targets:
        add("units", sentence, sentence[:-1] + " trên địa bàn thị xã.", sentence[:-1] + " trên địa bàn thị xã.")
    add("units", "các xã, thị trấn chịu", "các xã, trị trấn chịu", "trị trấn chịu")
    for sentence, blank in zip(
        targets, ["......", "(sẽ bổ sung nội dung sau)", "____", "xxx", "…… ……", ".........", "(sẽ bổ sung sau)", "_____", "XX", "........"], strict=True
    ):
        add("placeholders", sentence, sentence[:-1] + f" {blank}", f"{sentence[:-1]} {blank}")
    for sentence, bad in zip(targets, ["vậ", "hiệ", "triể", "nghiệ", "thươ", "tră", "cuố", "ngườ", "biế", "luậ"], strict=True):
        words = sentence.split()
        add("typos", sentence, " ".join([*words[:2], bad, *words[2:]]), " ".join([*words[:2], bad]))
    add("typos", "phân cấp ngân sách nhà nước hiện hành", "phân cấp ngân sách nhà nước hiện và", "hiện và")
    # "hằng năm" already states a cadence: that sentence cannot carry a duty without one.
    for sentence in [t for t in targets if "hằng" not in t] + ["Các cơ quan, đơn vị có liên quan trên địa bàn huyện."]:
        add("duties", sentence, sentence[:-1] + "; báo cáo Ủy ban nhân dân huyện về kết quả.", "báo cáo Ủy ban nhân dân huyện về kết quả.")
    add(
        "duties",
        "Hoạt động của Tổ công tác chuyển đổi số huyện An Thạnh\n",
        "Hoạt động tạm thời của Tổ công tác chuyển đổi số huyện An Thạnh\n",
        "Hoạt động tạm thời",
    )
    for old, new in [
        ("2.500.000\t30", "2.600.000\t30"),
        ("\t30.000.000", "\t31.000.000"),
        ("1.200.000\t14", "1.300.000\t14"),
        ("\t14.400.000", "\t14.000.000"),
        ("Tổng cộng\t9", "Tổng cộng\t10"),
        ("\t3.700.000", "\t3.800.000"),
        ("\t44.400.000", "\t45.400.000"),
        ("\t5\t500", "\t6\t500"),
        ("\t4\t300", "\t3\t300"),
        ("500.000\t2.500", "550.000\t2.500"),
    ]:
        add("figures", old, new, new)
    add(
        "ceased",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện hướng dẫn",
        "Sở Thông tin và Truyền thông hướng dẫn",
        "Sở Thông tin và Truyền thông hướng dẫn",
    )
    for body in [
        "Sở Kế hoạch và Đầu tư",
        "Sở TT&TT",
        "Công an huyện",
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở KH&ĐT",
        "Sở TTTT",
        "Sở Thông tin và Truyền thông",
    ]:
        add("ceased", "- Lưu: VT.", f"- {body};\n- Lưu: VT.", f"- {body};")
    return out


def _score(program: Program) -> tuple[dict[str, Counter[str]], list[str]]:
    scores: dict[str, Counter[str]] = {f: Counter() for f in FAMILIES}
    problems: list[str] = []
    for family, text, marker in _mutations():
        line = _line_of(text, marker)
        found = run_checks(parse(text, "draft.txt"), Context(program, AS_OF))
        hit = False
        for f in found:
            if not f.locator:
                problems.append(f"no locator: {f}")
            at = f.paragraph.at(f.start).line
            if f.family == family and at == line:
                hit = True
            else:
                scores[f.family]["fp"] += 1
        scores[family]["tp" if hit else "fn"] += 1
        if hit:
            scores[family]["fp"] -= 0
    labels = tomllib.loads((CORPUS / "seeds.toml").read_text(encoding="utf-8"))
    for name, expected in labels.items():
        _, text = read_document(str(SEEDS / name))
        found = run_checks(parse(text, name), Context(program, AS_OF))
        wanted = {(fam, line) for fam, line in expected}
        got = {(f.family, f.paragraph.at(f.start).line) for f in found}
        for f in found:
            if not f.locator:
                problems.append(f"no locator: {name} {f}")
        for item in got:
            scores[item[0]]["tp" if item in wanted else "fp"] += 1
        for item in wanted - got:
            scores[item[0]]["fn"] += 1
    return scores, problems


@pytest.fixture(scope="module")
def scored(program: Program) -> tuple[dict[str, Counter[str]], list[str]]:
    return _score(program)


def test_the_clean_draft_reviews_clean(program: Program) -> None:
    found = run_checks(parse(CLEAN, "clean.txt"), Context(program, AS_OF))
    assert [(f.check, f.locator, f.excerpt) for f in found] == []


def test_every_family_has_ten_seeded_defects() -> None:
    counts = Counter(family for family, _, _ in _mutations())
    assert all(counts[f] >= 10 for f in FAMILIES), counts


def test_no_finding_without_a_locator(scored: tuple[dict[str, Counter[str]], list[str]]) -> None:
    assert scored[1] == []


def test_precision_and_recall_per_family(scored: tuple[dict[str, Counter[str]], list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    scores, _ = scored
    report = []
    for family in FAMILIES:
        c = scores[family]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        report.append((family, precision, recall, c["tp"], c["fp"], c["fn"]))
    with capsys.disabled():
        for family, p, r, tp, fp, fn in report:
            print(f"{family:13} precision {p:.2f} recall {r:.2f} (tp {tp}, fp {fp}, fn {fn})")
    for family, p, r, *_ in report:
        floor = 0.8
        assert p >= floor and r >= floor, (family, p, r)


def test_held_out_draft(program: Program, capsys: pytest.CaptureFixture[str]) -> None:
    """A draft written apart from the mutation corpus, its defects labelled before the checks ran."""
    labels = tomllib.loads((CORPUS / "heldout.toml").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for name, expected in labels.items():
        _, text = read_document(str(CORPUS / name))
        found = run_checks(parse(text, name), Context(program, AS_OF))
        assert all(f.locator for f in found)
        wanted = {(fam, line) for fam, line in expected}
        got = {(f.family, f.paragraph.at(f.start).line) for f in found}
        tp, fp, fn = tp + len(got & wanted), fp + len(got - wanted), fn + len(wanted - got)
    with capsys.disabled():
        print(f"held-out      precision {tp / (tp + fp):.2f} recall {tp / (tp + fn):.2f} (tp {tp}, fp {fp}, fn {fn})")
    assert tp / (tp + fp) >= 0.7 and tp / (tp + fn) >= 0.7
