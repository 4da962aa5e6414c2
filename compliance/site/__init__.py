"""Program → the citizens' site: Markdown pages for mkdocs-material, and the `quyche site` build.

Pages are generated from the regulations at build time and never committed, so the site cannot
drift from the DSL files. The modules, in the order a build uses them:

- ``program_index``: which page a document lives on, its statements in order, links.
- ``plain_words``: DSL conditions and constraints in plain words.
- ``document_pages``: one page per document, opening with its status as of the build date.
- ``status``: a document's status today (in force, pilot ended, unit ceased …) and what replaced it.
- ``centre_pages``: one page per centre and the citizens' question pages (Jinja templates).
- ``overview_pages``: reports, parameters, reorganisation events, the graph, the blind spots.
- ``generate``: every page and the navigation, written into a docs folder; the mkdocs hook.
- ``build``: ``mkdocs build --strict`` into a staging folder, then into --out without ever
  deleting what a previous build did not write.
- ``slugs``: heading anchors that keep Vietnamese letters readable (đ → d).
"""

from compliance.site.build import build_site
from compliance.site.generate import Generated, active_program, full_nav, generate, generate_for_mkdocs, project_root, write_pages
from compliance.site.markdown import DRAFT_BANNER, GENERATED_MARK, Page, SiteBuild, SiteError
from compliance.site.plain_words import describe_condition, describe_constraint

__all__ = [
    "DRAFT_BANNER",
    "GENERATED_MARK",
    "Generated",
    "Page",
    "SiteBuild",
    "SiteError",
    "active_program",
    "build_site",
    "describe_condition",
    "describe_constraint",
    "full_nav",
    "generate",
    "generate_for_mkdocs",
    "project_root",
    "write_pages",
]
