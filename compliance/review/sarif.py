"""A review report → SARIF 2.1.0: one result per problem, at its line and column in the reviewed file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from compliance.catalogue import Lang, word

__all__ = ["to_sarif"]

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    path = Path(file)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def _rule_text(check: str, lang: Lang) -> str:
    """What a check looks for: the encoded review's own table, else the catalogue."""
    from compliance.catalogue import entries
    from compliance.drafting.finding import CHECK_FAMILY
    from compliance.review.encoded import CHECKS

    if check in CHECKS:
        return CHECKS[check][0 if lang == "vi" else 1]
    for key in (f"review.checks.{check}", f"drafting.families.{CHECK_FAMILY.get(check)}"):
        if key in entries():
            return word(key, lang)
    return check


def to_sarif(report: dict[str, Any], lang: Lang = "vi", version: str = "0") -> dict[str, Any]:
    results = []
    for f in report["findings"]:
        if f["status"] not in ("violated", "unknown"):
            continue
        result: dict[str, Any] = {
            "ruleId": f["check"],
            "level": _LEVEL[f["severity"]],
            "message": {"text": f["message"][lang]},
            "properties": {"rule": f["rule"], "status": f["status"], "locator": f["locator"], "document": f["document"]},
        }
        where = f.get("location") or ({"file": report["file"], "line": 1, "column": 1} if report.get("file") else None)
        if where:
            region: dict[str, int] = {"startLine": where["line"], "startColumn": where["column"]}
            if "end_line" in where:
                region.update(endLine=where["end_line"], endColumn=where["end_column"])
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _uri(where["file"])}, "region": region}}
            if f["locator"]:
                location["logicalLocations"] = [{"name": f["locator"], "kind": "module"}]
            result["locations"] = [location]
        fp = f.get("fingerprint") or hashlib.sha256("\x1f".join((f["check"], f["rule"], f["locator"] or "")).encode()).hexdigest()[:32]
        result["partialFingerprints"] = {"quycheFinding/v1": fp}
        results.append(result)
    rules = [{"id": c, "name": c, "shortDescription": {"text": _rule_text(c, lang)}} for c in sorted({r["ruleId"] for r in results})]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "quyche", "version": version, "rules": rules}}, "columnKind": "unicodeCodePoints", "results": results}],
    }
