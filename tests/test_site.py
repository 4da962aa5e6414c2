"""The citizens' site: generated pages, `quyche site` (mkdocs build --strict), and the pages in chromium."""

from __future__ import annotations

import html
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.catalogue import entries
from compliance.regulations import regulations_dir
from compliance.setup import vocabulary
from compliance.site import (
    DRAFT_BANNER,
    GENERATED_MARK,
    Generated,
    Page,
    describe_condition,
    describe_constraint,
    full_nav,
    generate,
    generate_for_mkdocs,
    write_pages,
)
from compliance.site.markdown import MERMAID_JS, _md
from engine import Program, ast, build_program, parse_text
from tests.browser import launch, serve, watched_page
from tests.conftest import ROOT, run_cli

SHOTS = Path("/tmp/quyche-shots")

# A tiny draft, used only when the bundled regulations hold no draft (so the banner is always tested).
SYNTHETIC_DRAFT = """
document test_draft_site {
  number "Dự thảo thử nghiệm"
  title "Dự thảo dùng để kiểm thử trang web"
  kind submission
  status draft
  issuer "quyche tests"
  article 1 "Mức chi"
}

claim muc_chi {
  at "Điều 1"
  text "Chi hỗ trợ 1,5 lần mức lương cơ sở/người/tháng: 2.235.000 đồng."
  stated 2235000 VND
  computed luong_co_so * 1.5
  as of 2021-06-01
}
"""


def _doc_page(generated: Generated, doc: ast.Document) -> Page:
    matches = [p for p in generated.pages if p.path.endswith(f"/{doc.id}.md") and p.path.startswith("regulations/")]
    assert len(matches) == 1, (doc.id, [p.path for p in matches])
    return matches[0]


# ---------------------------------------------------------------- the generator
@pytest.fixture(scope="module")
def generated(program: Program) -> Generated:
    return generate(program, regulations_dir().parent)


def test_every_document_gets_a_page_with_every_statement(program: Program, generated: Generated) -> None:
    assert program.documents
    for doc in program.documents.values():
        page = _doc_page(generated, doc)
        folder = Path(doc.span.file).parent.name if doc.span else "other"
        assert page.path == f"regulations/{folder}/{doc.id}.md"
        assert GENERATED_MARK in page.text
        for item in program.statements_of(doc.id):
            kind = {ast.Rule: "rule", ast.Obligation: "obligation", ast.Claim: "claim", ast.Gap: "gap"}[type(item)]
            local = item.id.split(".", 1)[1]
            assert f"{{ #{kind}-{local} }}" in page.text, item.id
            # The verbatim provision, as it reaches the reader (HTML-escaped, NFC).
            assert html.escape(item.text) in page.text, item.id
            assert unicodedata.is_normalized("NFC", item.text)


def test_page_paths_are_unique_and_nav_reaches_every_page(generated: Generated) -> None:
    paths = [p.path for p in generated.pages]
    assert len(paths) == len(set(paths))

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        else:
            for item in node:
                yield from walk(item)

    in_nav = set(walk(generated.nav))
    assert set(paths) <= in_nav
    assert "index.md" in in_nav


def test_overview_pages_cover_obligations_parameters_and_gaps(program: Program, generated: Generated) -> None:
    pages = {p.path: p.text for p in generated.pages}
    reports = pages["generated/bao-cao.md"]
    for ob in program.obligations.values():
        assert f"#obligation-{ob.id.split('.', 1)[1]}" in reports, ob.id
    params = pages["generated/tham-so.md"]
    for param in program.parameters.values():
        for value in param.values:
            assert _md(value.source) in params
    assert "1.800.000" in params or not program.parameters  # lương cơ sở from 2023-07-01, Vietnamese digits
    gaps = pages["generated/chua-mo-hinh.md"]
    for gap in program.gaps.values():
        assert f"#gap-{gap.id.split('.', 1)[1]}" in gaps, gap.id
    assert ("generated/su-kien.md" in pages) == bool(program.events)


def test_draft_page_carries_the_banner_and_binding_pages_do_not(program: Program, generated: Generated) -> None:
    for doc in program.documents.values():
        text = _doc_page(generated, doc).text
        assert (DRAFT_BANNER in text) == (doc.status == "draft"), doc.id


def test_cited_and_temporary_documents_say_so(program: Program, generated: Generated) -> None:
    for doc in program.documents.values():
        text = _doc_page(generated, doc).text
        if doc.status == "cited":
            assert "Văn bản được viện dẫn · Cited instrument" in text
        if doc.status == "temporary" and doc.pilot and doc.pilot.until:
            assert f"{doc.pilot.until:%d/%m/%Y}" in text


def test_links_show_the_citing_article(program: Program, generated: Generated) -> None:
    for doc in program.documents.values():
        text = _doc_page(generated, doc).text
        for link in doc.links:
            target = program.documents[link.target]
            assert re.search(rf"[(/]{re.escape(target.id)}\.md\)", text), (doc.id, link.target)
            if link.provenance:
                assert _md(link.provenance.text) in text


def _with_draft(program: Program) -> Program:
    modules = list(program.modules) + [parse_text(SYNTHETIC_DRAFT, "regulations/test-place/draft.quy")]
    return build_program(modules, vocabulary())


def test_claims_show_stated_and_recomputed_figures(program: Program) -> None:
    p = _with_draft(program)
    page = next(pg for pg in generate(p).pages if pg.path == "regulations/test-place/test_draft_site.md")
    assert DRAFT_BANNER in page.text
    block = page.text[page.text.index("{ #claim-muc_chi }") :]
    # 1,5 × lương cơ sở on 2021-06-01 (1.490.000 from Nghị định 38/2019/NĐ-CP) = 2.235.000, as stated.
    assert "**Văn bản nêu** · *Stated*: **2.235.000**" in block
    assert "**2.235.000** = 1,5 × mức lương cơ sở" in block or "**2.235.000** = mức lương cơ sở × 1,5" in block
    assert "1.490.000" in block and "38/2019" in block and "✓ khớp" in block
    wrong = SYNTHETIC_DRAFT.replace("stated 2235000 VND", "stated 2235001 VND").replace("2.235.000 đồng", "2.235.001 đồng")
    p2 = build_program(list(program.modules) + [parse_text(wrong, "regulations/test-place/draft.quy")], vocabulary())
    page2 = next(pg for pg in generate(p2).pages if pg.path == "regulations/test-place/test_draft_site.md")
    assert "✗ không khớp" in page2.text and "(chênh · *off by* -1)" in page2.text


def test_constraints_in_plain_words() -> None:
    module = parse_text(
        """
document d { number "1/QĐ" article 7 "Nhân sự" }
rule r {
  at "Điều 7"
  text "01 đến 02 viên chức; Giám đốc kiêm nhiệm"
  require count staff where employment = "viên chức" is between 1 and 2
  require role "Giám đốc" held by exactly 1 staff where concurrent = true
  require every funding has source in ["ngân sách tỉnh", "nguồn hợp pháp khác"]
  require that centre.public_service_unit = false
}
""",
        "regulations/x/d.quy",
    )
    rule = module.rules[0]
    vi = [describe_constraint(c, "vi") for c in rule.requires]
    en = [describe_constraint(c, "en") for c in rule.requires]
    assert vi[0] == "Số nhân sự mà loại hình là “viên chức” phải là từ 1 đến 2."
    assert en[0] == "The number of staff where employment is “viên chức” must be between 1 and 2."
    assert vi[1] == "Vai trò “Giám đốc” do đúng 1 nhân sự đảm nhiệm, mỗi người: kiêm nhiệm: có."
    assert en[1] == "The role “Giám đốc” is held by exactly 1 staff member, each one: concurrent: yes."
    assert vi[2] == "Với mọi khoản kinh phí: nguồn là một trong: “ngân sách tỉnh”, “nguồn hợp pháp khác”."
    assert vi[3] == "Trung tâm không là đơn vị sự nghiệp công lập."
    assert en[3] == "The centre: is a public service unit — no."
    assert describe_condition(None) == ""


@pytest.mark.parametrize("text", ["đặc thù[1] thuộc", "2. Phụ cấp", "- 01 công chức", "a * b_c | d <e> #f `g`"])
def test_markdown_escaping_keeps_text_literal(text: str) -> None:
    import markdown

    rendered = markdown.markdown(_md(text), extensions=["tables", "attr_list"])
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert plain == text
    assert "<li>" not in rendered and "<em>" not in rendered and "<code>" not in rendered


def test_graph_degrades_to_text_without_the_diagram_library(program: Program) -> None:
    with_js = {p.path: p.text for p in generate(program, mermaid=True).pages}["generated/do-thi.md"]
    without = {p.path: p.text for p in generate(program, mermaid=False).pages}["generated/do-thi.md"]
    assert "```mermaid" in with_js and "mermaid: true" in with_js
    assert "```mermaid" not in without and "mermaid: true" not in without and "```text" in without
    assert (ROOT / "docs" / MERMAID_JS).is_file(), "the vendored mermaid.min.js is what makes diagrams offline"


def test_write_pages_removes_only_what_it_generated(tmp_path: Path, program: Program) -> None:
    docs = tmp_path / "docs"
    hand = docs / "generated" / "hand-written.md"
    hand.parent.mkdir(parents=True)
    hand.write_text("# Written by a person\n", encoding="utf-8")
    stale = docs / "regulations" / "gone" / "old.md"
    stale.parent.mkdir(parents=True)
    stale.write_text(f"---\ntitle: x\n---\n{GENERATED_MARK}\n", encoding="utf-8")
    written = write_pages(generate(program), docs)
    assert hand.exists() and not stale.exists() and not stale.parent.exists()
    assert all(p.is_file() for p in written)
    before = {p: p.stat().st_mtime_ns for p in written}
    time.sleep(0.01)
    write_pages(generate(program), docs)
    assert {p: p.stat().st_mtime_ns for p in written} == before, "unchanged pages are not rewritten"


def test_mkdocs_hook_generates_pages_and_nav(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "dsl.md").write_text("# The quyche language\n", encoding="utf-8")
    config = generate_for_mkdocs({"docs_dir": str(docs), "nav": None})
    assert (docs / "regulations" / "index.md").is_file()
    assert config["nav"][0] == {"Trang chủ · Home": "index.md"}
    assert config["nav"][-1] == {"Kỹ thuật · Reference": [{"The quyche language": "dsl.md"}]}
    assert full_nav(generate(Program(modules=[])), docs)[-1] == config["nav"][-1]


# ---------------------------------------------------------------- the build
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, program: Program) -> dict[str, Any]:
    """`quyche site --out DIR` over a copy of the bundled regulations (plus a draft if they have none)."""
    base = tmp_path_factory.mktemp("site")
    regs = base / "regulations"
    shutil.copytree(regulations_dir(), regs)
    if not any(d.status == "draft" for d in program.documents.values()):
        (regs / "test-place").mkdir()
        (regs / "test-place" / "draft.quy").write_text(SYNTHETIC_DRAFT, encoding="utf-8")
    out = base / "site"
    started = time.perf_counter()
    code, stdout, stderr = run_cli("site", "--out", str(out), "--regulations", str(regs))
    seconds = time.perf_counter() - started
    assert code == 0, stderr
    from compliance.regulations import load_regulations

    return {"out": out, "program": load_regulations(regs), "stderr": stderr, "seconds": seconds}


def test_site_builds_strictly_with_a_page_per_document(built: dict[str, Any]) -> None:
    out: Path = built["out"]
    p: Program = built["program"]
    assert "sơ đồ vẽ ngoại tuyến" in built["stderr"]
    for doc in p.documents.values():
        folder = Path(doc.span.file).parent.name
        assert (out / "regulations" / folder / f"{doc.id}.html").is_file(), doc.id
    for page in (
        "index.html",
        "regulations/index.html",
        "generated/bao-cao.html",
        "generated/tham-so.html",
        "generated/do-thi.html",
        "generated/chua-mo-hinh.html",
        MERMAID_JS,
    ):
        assert (out / page).is_file(), page
    assert (out / "search" / "search_index.json").is_file()


def test_built_pages_load_nothing_from_outside(built: dict[str, Any]) -> None:
    loads = re.compile(r'<(?:script|img|iframe|source)[^>]+src="(https?:)?//|<link[^>]+rel="(?:stylesheet|preload|preconnect|icon)"[^>]*href="(https?:)?//')
    for page in built["out"].rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not loads.search(text), page
        assert "fonts.googleapis" not in text and "unpkg.com" not in text, page


def test_site_fails_with_a_clear_message_on_bad_regulations(tmp_path: Path) -> None:
    regs = tmp_path / "regulations"
    regs.mkdir()
    (regs / "bad.quy").write_text("document x { number }", encoding="utf-8")
    code, _, stderr = run_cli("site", "--out", str(tmp_path / "out"), "--regulations", str(regs))
    assert code == 2
    assert "bad.quy:1" in stderr and "Traceback" not in stderr


# ---------------------------------------------------------------- in chromium
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def base_url(built: dict[str, Any]) -> Iterator[str]:
    with serve(built["out"]) as url:
        yield url


def _no_trouble(w: Any) -> None:
    assert w.outside == [], f"requests to non-local hosts: {w.outside}"
    assert w.page_errors == [], w.page_errors
    assert w.console_errors == [], w.console_errors


def test_index_loads(browser: Any, base_url: str) -> None:
    with watched_page(browser) as w:
        w.page.goto(base_url + "index.html", wait_until="networkidle")
        assert "quyche" in w.page.title()
        assert w.page.locator("h1").first.inner_text().startswith("quyche")
        assert w.page.locator(".tabbed-set").count() == 1  # Tiếng Việt / English
        _no_trouble(w)


def _rule_with_text(p: Program) -> ast.Rule:
    rules = sorted((r for r in p.rules.values() if p.documents[r.document].status == "binding" and f"rule.{r.id}.summary" in entries()), key=lambda r: r.id)
    assert rules, "the bundled regulations have binding rules"
    return rules[0]


def test_rule_page_shows_verbatim_text_beside_the_summary(browser: Any, base_url: str, built: dict[str, Any]) -> None:
    p: Program = built["program"]
    rule = _rule_with_text(p)
    doc = p.documents[rule.document]
    url = f"{base_url}regulations/{Path(doc.span.file).parent.name}/{doc.id}.html#rule-{rule.id.split('.', 1)[1]}"
    with watched_page(browser) as w:
        w.page.goto(url, wait_until="networkidle")
        heading = w.page.locator(f"#rule-{rule.id.split('.', 1)[1]}")
        grid = heading.locator("xpath=following-sibling::div[contains(@class,'quyche-statement')][1]")
        explained = grid.locator(".quyche-explained")
        verbatim = grid.locator("blockquote.quyche-verbatim")
        shown = verbatim.inner_text()
        assert unicodedata.is_normalized("NFC", shown)
        assert " ".join(rule.text.split()) in " ".join(shown.split())
        assert verbatim.get_attribute("lang") == "vi"
        assert describe_constraint(rule.requires[0], "vi", p).rstrip(".") in " ".join(explained.inner_text().split())
        left, right = explained.bounding_box(), verbatim.bounding_box()
        assert left and right and right["x"] > left["x"] + left["width"] - 1, "side by side on a wide screen"
        assert right["y"] < left["y"] + left["height"], "the two columns overlap vertically"
        SHOTS.mkdir(parents=True, exist_ok=True)
        heading.scroll_into_view_if_needed()
        w.page.screenshot(path=str(SHOTS / "rule-page.png"))
        _no_trouble(w)
    with watched_page(browser, width=420, height=900) as w:  # a phone: one column, nothing cut off
        w.page.goto(url, wait_until="networkidle")
        grid = w.page.locator(f"#rule-{rule.id.split('.', 1)[1]}").locator("xpath=following-sibling::div[contains(@class,'quyche-statement')][1]")
        left, right = grid.locator(".quyche-explained").bounding_box(), grid.locator("blockquote").bounding_box()
        assert left and right and right["y"] >= left["y"] + left["height"] - 1
        _no_trouble(w)


def test_draft_page_shows_the_draft_banner(browser: Any, base_url: str, built: dict[str, Any]) -> None:
    p: Program = built["program"]
    draft = sorted((d for d in p.documents.values() if d.status == "draft"), key=lambda d: d.id)[0]
    with watched_page(browser) as w:
        w.page.goto(f"{base_url}regulations/{Path(draft.span.file).parent.name}/{draft.id}.html", wait_until="networkidle")
        banner = w.page.locator(".admonition.danger .admonition-title").first
        assert banner.inner_text().strip() == DRAFT_BANNER
        assert banner.is_visible()
        _no_trouble(w)


def test_search_finds_a_rule_and_nav_reaches_every_place(browser: Any, base_url: str, built: dict[str, Any]) -> None:
    p: Program = built["program"]
    places = {Path(d.span.file).parent.name for d in p.documents.values()}
    with watched_page(browser) as w:
        w.page.goto(base_url + "index.html", wait_until="networkidle")
        for place in places:
            assert w.page.locator(f'nav a[href$="regulations/{place}/index.html"]').count() >= 1, place
        w.page.locator("label.md-search__icon, .md-search__input").first.click()
        box = w.page.locator("input.md-search__input")
        results = w.page.locator(".md-search-result__item")
        # The index is built in a web worker; a query typed before it is ready finds nothing, so retype.
        for _ in range(15):
            box.fill("")
            box.press_sequentially("Giám đốc", delay=20)
            try:
                results.first.wait_for(timeout=2_000)
                break
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the index is not ready yet
                continue
        assert results.count() >= 1
        assert "Giám đốc" in w.page.locator(".md-search-result").inner_text()
        _no_trouble(w)


def test_graph_page_draws_its_diagrams(browser: Any, base_url: str) -> None:
    with watched_page(browser) as w:
        w.page.goto(base_url + "generated/do-thi.html", wait_until="networkidle")
        w.page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0", timeout=20_000)
        drawn = w.page.locator("div.mermaid")
        assert drawn.count() >= 1
        box = drawn.first.bounding_box()
        assert box and box["height"] > 40
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(SHOTS / "graph-page.png"))
        _no_trouble(w)


def test_every_kind_of_page_opens_without_errors(browser: Any, base_url: str, built: dict[str, Any]) -> None:
    out: Path = built["out"]
    p: Program = built["program"]
    # Every page but the cited instruments, which share one template: one of those is enough
    # (about 0.4 s a page in chromium on this machine).
    cited = sorted(str(Path(d.span.file).parent.name) + f"/{d.id}.html" for d in p.documents.values() if d.status == "cited")
    skipped = {f"regulations/{c}" for c in cited[1:]}
    pages = sorted(str(f.relative_to(out)) for f in out.rglob("*.html") if f.name != "404.html")
    pages = [page for page in pages if page not in skipped]
    assert len(pages) >= len(p.documents) - len(cited) + 6
    with watched_page(browser) as w:
        for page in pages:
            response = w.page.goto(base_url + page, wait_until="load")
            assert response is not None and response.ok, page
            assert w.page.locator("h1").count() >= 1, page
        _no_trouble(w)


def test_missing_browser_skips_or_fails_as_ci_requires(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tests.browser as browser_helpers

    monkeypatch.setattr(browser_helpers, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("QUYCHE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium is missing"):
        browser_helpers.require_browser()
    monkeypatch.setenv("QUYCHE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="QUYCHE_REQUIRE_BROWSER=1"):
        browser_helpers.require_browser()


# ---------------------------------------------------------------- --out safety (issue 11, item 1)
def test_site_out_refuses_a_foreign_folder_and_keeps_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "keep.txt").write_text("k", encoding="utf-8")
    code, _, stderr = run_cli("site", "--out", str(folder))
    assert code == 2 and "Traceback" not in stderr and "keep.txt" not in stderr
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "k"
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_site_out_that_is_a_file_or_unwritable_is_bad_input(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("hello", encoding="utf-8")
    code, _, stderr = run_cli("site", "--out", str(readme))
    assert code == 2 and "Traceback" not in stderr
    assert readme.read_text(encoding="utf-8") == "hello"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):  # running as root: permissions do not stop us
            pytest.skip("the test runs with permission to write anywhere")
        code, _, stderr = run_cli("site", "--out", str(locked / "site"))
        assert code == 2 and "Traceback" not in stderr
    finally:
        locked.chmod(0o700)


def test_site_rebuild_replaces_only_what_it_wrote(built: dict[str, Any]) -> None:
    out: Path = built["out"]
    assert (out / ".quyche-site.json").is_file()
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    stale = out / "regulations" / "stale.html"
    code, _, stderr = run_cli("site", "--out", str(out), "--as-of", "2026-12-02")
    assert code == 0, stderr
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"  # never written by a build: kept
    assert not stale.exists()
    assert (out / "index.html").is_file()


def test_site_build_is_reproducible(tmp_path: Path) -> None:
    """Two builds for the same date are byte-identical (the sitemap is dated by the build date)."""
    import hashlib
    from datetime import date

    from compliance.regulations import bundled_program
    from compliance.site import build_site

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}

    program = bundled_program()
    for name in ("a", "b"):
        build_site(tmp_path / name, program, regulations_dir().parent, as_of=date(2026, 12, 2))
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
