"""The officer's upload page in a real browser: headless chromium against one real `quyche serve`.

She opens the page, chooses her workbook, sets the date, presses "Kiểm tra" and reads the
findings; a workbook with a typo shows the cell to fix. Nothing is fetched from outside
127.0.0.1, no script error occurs, and the pages fit a 390 px phone screen without sideways
scrolling.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser import launch, watched_page
from tests.conftest import EXAMPLES, check_json
from tests.live_server import serve_for_tests


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[str]:
    yield from serve_for_tests(tmp_path_factory.mktemp("serve") / "log.txt")


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", [1400, 390])
def test_an_officer_uploads_her_workbook_and_reads_the_findings(browser: Any, server: str, width: int) -> None:
    workbook = EXAMPLES / "dong-thap" / "cao-lanh.xlsx"
    _, expected = check_json(workbook.with_suffix(".yaml"), "2026-01-15")
    with watched_page(browser, width=width, height=900) as w:
        page = w.page
        page.goto(server + "/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_label("Tệp khai báo").is_visible()
        page.get_by_label("Tệp khai báo").set_input_files(str(workbook))
        page.locator("#as_of").fill("2026-01-15")
        page.get_by_role("button", name="Kiểm tra").click()
        page.wait_for_selector("#summary")
        assert page.locator("#centre").inner_text() == "Trung tâm Giám sát điều hành thông minh thành phố Cao Lãnh"
        assert page.locator("#as-of").inner_text() == "2026-01-15"
        for status, count in expected["summary"].items():
            assert page.locator(f'#summary [data-status="{status}"] strong').inner_text() == str(count)
        violated = [f["rule"] for f in expected["findings"] if f["status"] in ("violated", "unknown")]
        shown = page.locator("#problems article").evaluate_all("items => items.map(a => a.dataset.rule)")
        assert shown == violated and violated, "every violated or unknown finding is shown, in the report's order"
        first = page.locator("#problems article").first
        assert "Vi phạm" in first.inner_text()
        # The verbatim legal text is one click away.
        first.locator("summary").click()
        assert first.locator("blockquote").is_visible()
        assert _no_sideways_scroll(page)
        page.get_by_role("link", name="Kiểm tra tệp khác").click()
        page.wait_for_selector("form")
    assert w.outside == [] and w.console_errors == [] and w.page_errors == []


def test_a_typo_is_shown_at_its_cell_and_the_page_switches_to_english(browser: Any, server: str, tmp_path: Path) -> None:
    book = load_workbook(EXAMPLES / "loc-ninh" / "loc-ninh.xlsx")
    staff = book["Nhân sự"]
    header_row = next(r for r in range(1, 6) if staff.cell(row=r, column=2).value == "Họ và tên")
    column = next(c for c in range(1, 30) if staff.cell(row=header_row, column=c).value == "Đối tượng")
    staff.cell(row=header_row + 2, column=column).value = "cong chuc"
    buffer = io.BytesIO()
    book.save(buffer)
    broken = tmp_path / "loc-ninh-sai.xlsx"
    broken.write_bytes(buffer.getvalue())
    from openpyxl.utils import get_column_letter

    cell = f"Nhân sự!{get_column_letter(column)}{header_row + 2}"
    with watched_page(browser, width=390, height=900) as w:
        page = w.page
        page.goto(server + "/")
        page.get_by_label("Tệp khai báo").set_input_files(str(broken))
        page.get_by_role("button", name="Kiểm tra").click()
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert f"{cell} (Đối tượng): cần một trong:" in alert.inner_text()
        assert _no_sideways_scroll(page)
        page.get_by_role("link", name="English").click()
        page.get_by_label("Setup file").set_input_files(str(broken))
        page.get_by_role("button", name="Check").click()
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert f"{cell} (Employment): expected one of:" in alert.inner_text()
        assert page.locator("html").get_attribute("lang") == "en"
    assert w.outside == [] and w.page_errors == []
    # The browser's console reports the 422 of the form post as a failed resource; nothing else.
    assert all("422" in message for message in w.console_errors), w.console_errors


def test_the_findings_page_reads_in_english_with_the_same_counts(browser: Any, server: str) -> None:
    setup = EXAMPLES / "binh-thuan" / "binh-thuan-violations.yaml"
    _, expected = check_json(setup, "2024-12-31")
    with watched_page(browser, width=390, height=900) as w:
        page = w.page
        page.goto(server + "/?lang=en")
        page.get_by_label("Setup file").set_input_files(str(setup))
        page.locator("#as_of").fill("2024-12-31")
        page.get_by_role("button", name="Check").click()
        page.wait_for_selector("#summary")
        counts = {s: int(page.locator(f'#summary [data-status="{s}"] strong').inner_text()) for s in expected["summary"]}
        assert counts == expected["summary"]
        text = page.locator("main").inner_text()
        assert "Violated" in text and "Vi phạm" not in text
        assert _no_sideways_scroll(page)
    assert w.outside == [] and w.console_errors == [] and w.page_errors == []
