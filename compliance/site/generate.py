"""The whole generated site: pages and navigation, written into a docs folder, and the mkdocs hook."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from compliance.site.centre_pages import FOLDER, centre_pages, document_statuses, known_centres
from compliance.site.document_pages import _document_page, _documents_by_place, _place_order, _place_page, _regulations_index
from compliance.site.markdown import GENERATED_MARK, MERMAID_JS, Page, _place
from compliance.site.overview_pages import _events_page, _gaps_page, _graph_page, _parameters_page, _reports_page
from compliance.site.program_index import _incoming
from engine import Program


# ---------------------------------------------------------------- the whole site
@dataclass
class Generated:
    pages: list[Page]
    nav: list[Any]


def generate(program: Program, source_root: Path | None = None, mermaid: bool = True, as_of: date | None = None, examples: Path | None = None) -> Generated:
    """Every generated page and the site's navigation, from ``program`` (nothing is written).

    ``source_root`` is the folder the documents' file names are relative to (the parent of
    regulations/), used to show each statement's DSL text; ``mermaid`` says whether diagrams
    can render (else they are shown as text); ``as_of`` the date the pages speak of (default:
    today in Vietnam); ``examples`` the folder of example setups that describe the centres.
    """
    from compliance.findings import today_in_vietnam

    as_of = as_of or today_in_vietnam()
    centres = known_centres(examples if examples is not None else project_root() / "examples")
    statuses = document_statuses(program, centres, as_of)
    incoming = _incoming(program)
    places = _documents_by_place(program)
    pages: list[Page] = [_regulations_index(program, places)]
    place_nav: list[Any] = [pages[0].path]
    for slug in _place_order(places):
        docs = places[slug]
        index = _place_page(program, slug, docs)
        pages.append(index)
        children: list[Any] = [index.path]
        for doc in docs:
            doc_page = _document_page(program, doc, incoming, source_root, statuses[doc.id], as_of)
            pages.append(doc_page)
            children.append({doc_page.title: doc_page.path})
        place_nav.append({_place(slug): children})
    overviews = [_reports_page(program), _parameters_page(program)]
    if program.events:
        overviews.append(_events_page(program))
    overviews += [_graph_page(program, places, mermaid), _gaps_page(program)]
    pages += overviews
    centre_nav: list[Any] = []
    if centres:
        about_centres = centre_pages(program, centres, as_of, statuses)
        pages += about_centres
        centre_nav = [{"Trung tâm · Centres": [p.path if p.path.endswith("/index.md") else {p.title: p.path} for p in about_centres]}]
    nav: list[Any] = [
        {"Trang chủ · Home": "index.md"},
        *centre_nav,
        {"Văn bản · Regulations": place_nav},
        {"Tổng hợp · Overviews": [{p.title: p.path} for p in overviews]},
    ]
    return Generated(pages, nav)


def _is_generated(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return GENERATED_MARK in handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False


def write_pages(generated: Generated, docs_dir: Path) -> list[Path]:
    """Write the pages under ``docs_dir``; remove stale pages this generator wrote before.

    A file is rewritten only when its text changes (so `mkdocs serve` does not rebuild forever),
    and only files carrying GENERATED_MARK are ever deleted.
    """
    wanted = {docs_dir / p.path: p.text for p in generated.pages}
    for sub in ("regulations", "generated", FOLDER):
        folder = docs_dir / sub
        if folder.is_dir():
            for old in sorted(folder.rglob("*.md")):
                if old not in wanted and _is_generated(old):
                    old.unlink()
            for empty in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True):
                if not any(empty.iterdir()):
                    empty.rmdir()
    written = []
    for path, text in sorted(wanted.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _h1(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^title:\s*(.+)$", text, re.MULTILINE) if text.startswith("---") else None
    if match:
        return match.group(1).strip().strip("\"'")
    match = re.search(r"^#\s+(.+?)\s*(\{.*\})?$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def full_nav(generated: Generated, docs_dir: Path) -> list[Any]:
    """The generated navigation plus hand-written pages at the top of ``docs_dir`` (dsl.md, …)."""
    nav = list(generated.nav)
    guide = docs_dir / "guide.md"
    if guide.is_file():  # the user guide comes right after the home page: it is where users start
        nav.insert(1 if nav else 0, {_h1(guide) or "guide": guide.name})
    extra = []
    for path in sorted(docs_dir.glob("*.md")):
        if path.name in ("index.md", "guide.md") or _is_generated(path):
            continue
        extra.append({_h1(path) or path.stem: path.name})
    if extra:
        nav.append({"Kỹ thuật · Reference": extra})
    return nav


# ---------------------------------------------------------------- the build
def project_root() -> Path:
    """The source checkout holding mkdocs.yml and docs/ (the site builds from a checkout)."""
    return Path(__file__).resolve().parents[2]


_state: dict[str, Any] = {}


def active_program() -> tuple[Program, Path | None]:
    """The program the mkdocs hook generates from: the one `build_site` set, else the bundled one."""
    if "program" in _state:
        return _state["program"], _state["source_root"]
    from compliance.regulations import bundled_program, regulations_dir

    return bundled_program(), regulations_dir().parent


def generate_for_mkdocs(config: Any) -> Any:
    """mkdocs hook: generate the pages into the docs folder and set the navigation."""
    program, source_root = active_program()
    docs_dir = Path(config["docs_dir"])
    mermaid = (docs_dir / MERMAID_JS).is_file()
    generated = generate(program, source_root, mermaid=mermaid, as_of=_state.get("as_of"))
    write_pages(generated, docs_dir)
    config["nav"] = full_nav(generated, docs_dir)
    return config
