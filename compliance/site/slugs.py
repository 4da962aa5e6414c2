"""Heading anchors for the site (mkdocs.yml names ``slugify`` under ``toc``): Vietnamese letters
lose their marks but stay letters, so "Cách đọc một trang quy định" → "cach-doc-mot-trang-quy-dinh"
(the default slugifier drops "đ" altogether: "cach-oc-mot-trang-quy-inh")."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]


def slugify(value: str, separator: str = "-") -> str:
    folded = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", separator, plain).strip(separator)
