"""The citizens' site in a real browser (Debian chromium through Playwright): Vietnamese search
with and without tones, the centre pages, contrast, narrow screens, console errors and an
axe-core scan (tests/vendor/axe.min.js, from the npm registry). Screenshots land in the build
folder (``_screenshots/``) for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance.regulations import bundled_program, regulations_dir
from compliance.site import build_site
from tests.browser import launch, serve, watched_page

AS_OF = date(2026, 12, 2)
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# query → the page that must come first
SEARCHES = {
    "Hồng Ngự": "trung-tam/hong-ngu.html",
    "hong ngu": "trung-tam/hong-ngu.html",
    "lương cơ sở": "trung-tam/ai-tra-tien.html",
    "giam doc": "trung-tam/ai-lanh-dao.html",
    "Sa Đéc": "trung-tam/sa-dec.html",
    "sa dec": "trung-tam/sa-dec.html",
    "báo cáo quý": "trung-tam/bao-cao-gi-khi-nao.html",
}
PAGES = [
    "index.html",
    "trung-tam/hong-ngu.html",
    "trung-tam/bao-cao-gi-khi-nao.html",
    "regulations/dong-thap/qd953_2023.html",
    "generated/do-thi.html",
    "guide.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site-browser") / "site"
    build_site(out, bundled_program(), regulations_dir().parent, as_of=AS_OF)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def _search(page: Any, base_url: str, query: str) -> list[str]:
    page.goto(base_url + "index.html", wait_until="networkidle")
    box = page.locator(".md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # a key event: the theme reads the box on key up
    for _ in range(10):
        try:
            page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=1500)
            break
        except Exception:  # the search worker was still loading its index: ask again
            box.press("End")
    page.wait_for_timeout(800)
    links = page.locator(".md-search-result__item > .md-search-result__link")
    return [str(links.nth(i).get_attribute("href")) for i in range(min(3, links.count()))]


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_finds_the_right_page_first_with_and_without_tones(browser: Any, base_url: str, query: str) -> None:
    with watched_page(browser, 1280, 900) as w:
        hrefs = _search(w.page, base_url, query)
        assert hrefs, f"no result for {query!r}"
        first = hrefs[0].removeprefix(base_url).split("?")[0].split("#")[0]
        assert first == SEARCHES[query], (query, hrefs)
        assert w.console_errors == [] and w.page_errors == []


def test_search_screenshot(browser: Any, base_url: str, site: Path) -> None:
    shots = site / "_screenshots"
    shots.mkdir(exist_ok=True)
    for width in (1280, 390):
        with watched_page(browser, width, 900) as w:
            if width < 600:  # on a phone the search opens from the header's button
                w.page.goto(base_url + "index.html", wait_until="networkidle")
                w.page.locator("label.md-header__button[for='__search']").click()
                box = w.page.locator(".md-search__input")
                box.fill("hong ngu")
                box.press("End")
                w.page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
            else:
                _search(w.page, base_url, "hong ngu")
            w.page.wait_for_timeout(800)  # the overlay's opening transition
            first = w.page.locator(".md-search-result__item").first
            assert first.is_visible()
            assert w.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
            w.page.screenshot(path=str(shots / f"search-{width}.png"))


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    return parts[0], parts[1], parts[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_is_wcag_aa(browser: Any, base_url: str) -> None:
    with watched_page(browser, 1280, 900) as w:
        w.page.goto(base_url + "trung-tam/hong-ngu.html", wait_until="networkidle")
        header = w.page.eval_on_selector(".md-header", "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        link = w.page.eval_on_selector(
            ".md-content a[href]",
            "e => [getComputedStyle(e).color, getComputedStyle(document.querySelector('.md-main')).backgroundColor || 'rgb(255,255,255)']",
        )
        link_bg = link[1] if "0, 0, 0, 0" not in link[1] else "rgb(255, 255, 255)"
        assert _contrast(*header) >= 4.5, header
        assert _contrast(link[0], link_bg) >= 4.5, link


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_accessible_narrow_and_error_free(browser: Any, base_url: str, site: Path, path: str) -> None:
    shots = site / "_screenshots"
    shots.mkdir(exist_ok=True)
    for width in (1280, 390):
        with watched_page(browser, width, 900) as w:
            w.page.goto(base_url + path, wait_until="networkidle")
            assert w.page.evaluate("document.documentElement.lang") == "vi"
            overflow = w.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width} px"
            if path in ("trung-tam/hong-ngu.html", "regulations/dong-thap/qd953_2023.html"):
                w.page.screenshot(path=str(shots / f"{Path(path).stem}-{width}.png"), full_page=False)
            if width == 1280:
                w.page.add_script_tag(path=str(AXE))
                result = w.page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => [v.id, v.impact, v.nodes.length])"
                )
                serious = [v for v in result if v[1] in ("serious", "critical")]
                (shots / f"axe-{Path(path).stem}.txt").write_text(repr(result), encoding="utf-8")
                assert serious == [], (path, serious)
            assert w.console_errors == [] and w.page_errors == [], (path, w.console_errors, w.page_errors)
            assert w.outside == []


def test_centre_page_answers_the_questions(browser: Any, base_url: str) -> None:
    with watched_page(browser, 1280, 900) as w:
        w.page.goto(base_url + "trung-tam/hong-ngu.html", wait_until="networkidle")
        body = w.page.locator("article").inner_text()
        assert "Cập nhật đến ngày 02/12/2026" in body
        assert "Giám đốc" in body and "Hạn tới" not in body or "Không còn kỳ hạn" in body
        assert "Nghị quyết 203/2025/QH15" in body  # the unit ceased, said with its instrument
        for leak in ("seed", "DOMAIN.md", ".quy", "002_a88f"):
            assert leak not in body, leak
        # each sentence links to its rule, and the rule's page has that anchor
        link = w.page.locator(".quyche-sentence a[href*='#rule-']").first
        href = str(link.get_attribute("href"))
        w.page.goto(base_url + "trung-tam/" + href, wait_until="networkidle")
        anchor = href.split("#")[1]
        assert w.page.locator(f"[id='{anchor}']").count() == 1
        english = w.page.locator("[lang='en']").count()
        assert english > 0


def test_english_is_marked_english(browser: Any, base_url: str) -> None:
    with watched_page(browser, 1280, 900) as w:
        w.page.goto(base_url + "guide.html", wait_until="networkidle")
        english = w.page.locator(".tabbed-block[lang='en']")
        assert english.count() >= 1
        assert w.page.locator(".tabbed-block:not([lang])").count() >= 1  # the Vietnamese panels inherit lang="vi"
        w.page.goto(base_url + "dsl.html", wait_until="networkidle")
        assert w.page.locator("article div[lang='en'] h1").count() == 1


def test_document_page_opens_with_its_status_today(browser: Any, base_url: str) -> None:
    with watched_page(browser, 1280, 900) as w:
        w.page.goto(base_url + "regulations/dong-thap/qd953_2023.html", wait_until="networkidle")
        first = w.page.locator("article .admonition").first.inner_text()
        assert "Tình trạng tại ngày 02/12/2026" in first
        assert "01/07/2025" in first and "Nghị quyết 203/2025/QH15" in first
        assert "Cập nhật đến ngày 02/12/2026" in first
