"""The site's honest status of each document on the build date, and its heading anchors."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from compliance.catalogue import text
from compliance.regulations import bundled_program
from compliance.site.centre_pages import document_statuses, known_centres
from compliance.site.generate import project_root
from compliance.site.slugs import slugify


def test_slugs_keep_d_and_drop_only_marks() -> None:
    assert slugify("Cách đọc một trang quy định", "-") == "cach-doc-mot-trang-quy-dinh"
    assert slugify("Đồng Tháp — Hồng Ngự", "-") == "dong-thap-hong-ngu"


@given(st.text())
def test_slugs_are_plain_ascii(value: str) -> None:
    slug = slugify(value, "-")
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def _status(doc_id: str, on: date) -> tuple[str, str]:
    program = bundled_program()
    centres = known_centres(project_root() / "examples")
    s = document_statuses(program, centres, on)[doc_id]
    return s.state, " ".join(text(m, "vi") for m in (s.headline, *s.notes))


def test_a_pilot_in_force_says_until_when() -> None:
    state, said = _status("qd953_2023", date(2024, 6, 30))
    assert state == "in_force" and "31/12/2025" in said


def test_after_the_2025_reorganisation_the_units_are_gone_with_the_instrument() -> None:
    state, said = _status("qd953_2023", date(2026, 12, 2))
    assert state == "unit_ceased"
    assert "01/07/2025" in said and "Nghị quyết 203/2025/QH15" in said
    assert "DOMAIN" not in said


def test_drafts_and_documents_not_yet_in_force_say_so() -> None:
    program = bundled_program()
    draft = next(d for d in program.documents.values() if d.status == "draft")
    state, _ = _status(draft.id, date(2026, 12, 2))
    assert state == "draft"
    signed = next(d for d in program.documents.values() if d.status == "binding" and d.signed)
    state, said = _status(signed.id, date(2000, 1, 1))
    assert state == "not_yet" and "Chưa có hiệu lực" in said


def test_english_tab_panels_and_pages_are_marked_english() -> None:
    from compliance.site.languages import mark_english

    html = (
        '<div class="tabbed-set"><div class="tabbed-labels"><label for="a">Tiếng Việt</label><label for="b">English</label></div>'
        '<div class="tabbed-content"><div class="tabbed-block"><p>Xin chào</p></div><div class="tabbed-block"><p>Hello</p></div></div></div>'
    )
    out = mark_english(html, None)
    assert out.count('lang="en"') == 1
    assert '<div class="tabbed-block" lang="en"><p>Hello</p>' in out
    assert '<div class="tabbed-block"><p>Xin chào</p>' in out
    assert mark_english("<p>Hi</p>", "en") == '<div lang="en"><p>Hi</p></div>'
    assert mark_english("<p>Chào</p>", None) == "<p>Chào</p>"
