"""`quyche site`: stage the docs, run ``mkdocs build --strict``, and write the result into --out safely."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from compliance.catalogue import Lang, word
from compliance.site.generate import _is_generated, _state, project_root
from compliance.site.markdown import MERMAID_JS, SiteBuild, SiteError
from engine import Program

# The file that says "a quyche site build wrote this folder", with the list of what it wrote: a
# later build replaces exactly those files and never deletes anything else.
MARKER = ".quyche-site.json"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(
    out: Path,
    program: Program | None = None,
    source_root: Path | None = None,
    config_file: Path | None = None,
    strict: bool = True,
    as_of: date | None = None,
    site_url: str | None = None,
    lang: Lang = "vi",
) -> SiteBuild:
    """Generate the pages and run ``mkdocs build --strict`` into ``out``; the working tree is untouched.

    The hand-written docs are copied into a temporary folder, the pages generated there (by the
    hook named in mkdocs.yml), and mkdocs builds into a second temporary folder; only a complete
    build is copied into ``out`` (see :func:`check_out`). ``as_of`` is the date the pages speak of
    ("in force today", next due dates); ``site_url`` the address the site will be published at
    (sitemap and canonical links). Raise SiteError with every warning when the strict build fails.
    """
    out = Path(os.path.abspath(out))
    check_out(out, lang)
    try:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError
    except ImportError as exc:  # pragma: no cover - the docs extra is missing
        raise SiteError(f"mkdocs is not installed ({exc}); install the docs extra: pip install 'quyche[docs]'") from None
    config_file = config_file or project_root() / "mkdocs.yml"
    if not config_file.is_file():
        raise SiteError(f"{config_file} not found: `quyche site` builds from a source checkout")
    docs_src = config_file.parent / "docs"
    if program is not None:
        _state["program"], _state["source_root"] = program, source_root
    if as_of is not None:
        _state["as_of"] = as_of
    started = time.perf_counter()
    # mkdocs dates the sitemap with SOURCE_DATE_EPOCH when set: the build date, for byte-identical builds.
    epoch_before = os.environ.get("SOURCE_DATE_EPOCH")
    if as_of is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(as_of, datetime.min.time(), tzinfo=UTC).timestamp()))
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with tempfile.TemporaryDirectory(prefix="quyche-site-") as tmp:
            stage = Path(tmp) / "docs"
            shutil.copytree(docs_src, stage, ignore=_ignore_generated)
            built = Path(tmp) / "site"
            try:
                extra = {"site_url": site_url} if site_url else {}
                cfg = load_config(config_file=str(config_file), docs_dir=str(stage), site_dir=str(built), strict=strict, **extra)
                cfg.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(cfg)
                finally:
                    cfg.plugins.on_shutdown()
            except (Abort, ConfigurationError) as exc:
                details = "\n".join(f"  - {m}" for m in handler.messages)
                raise SiteError(f"mkdocs build --strict failed: {exc}\n{details}".rstrip()) from None
            pages = sum(1 for p in stage.rglob("*.md") if _is_generated(p))
            mermaid = (stage / MERMAID_JS).is_file()
            install(built, out, lang)
    finally:
        logger.removeHandler(handler)
        _state.clear()
        if as_of is not None:
            if epoch_before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = epoch_before
    files = [out / name for name in _manifest(out)]
    return SiteBuild(
        out=out,
        pages=pages,
        html_files=sum(1 for p in files if p.suffix == ".html"),
        bytes=sum(p.stat().st_size for p in files),
        seconds=time.perf_counter() - started,
        mermaid=mermaid,
        warnings=handler.messages,
    )


def _ignore_generated(folder: str, names: list[str]) -> list[str]:
    """copytree filter: leave out pages a previous `mkdocs serve` generated in the working tree."""
    return [n for n in names if n.endswith(".md") and _is_generated(Path(folder) / n)]


def _manifest(folder: Path) -> list[str]:
    """The files a previous build wrote into ``folder`` (relative, forward slashes); [] if none."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def check_out(out: Path, lang: Lang = "vi") -> None:
    """Refuse an --out that is a file, unwritable, or a non-empty folder no quyche build made."""
    if out.exists() and not out.is_dir():
        raise SiteError(word("site.out.not_a_folder", lang, path=str(out)))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(word("site.out.not_empty", lang, path=str(out), marker=MARKER))
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".quyche-write-test-"):
            pass
    except OSError as exc:
        raise SiteError(word("site.out.unwritable", lang, path=str(out), reason=exc.strerror or str(exc))) from None


def install(built: Path, out: Path, lang: Lang = "vi") -> None:
    """Replace the previous build in ``out`` by ``built``: remove only the files the old marker
    lists (never anything else), copy the new files in, then write the new marker."""
    check_out(out, lang)
    root = out.resolve()
    try:
        for name in _manifest(out):
            old = (out / name).resolve()
            if root in old.parents and old.is_file() and not old.is_symlink():
                old.unlink()
                for parent in old.parents:
                    if parent == root or any(parent.iterdir()):
                        break
                    parent.rmdir()
        files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
        for name in files:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built / name, target)
        (out / MARKER).write_text(json.dumps({"tool": "quyche site", "files": files}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise SiteError(word("site.out.unwritable", lang, path=str(out), reason=exc.strerror or str(exc))) from None
