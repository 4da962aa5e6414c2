"""A text review as lines a reader scans: severity, locator, file:line:col, message, fix."""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.catalogue import Lang, format_value, word
from compliance.catalogue import name as named
from compliance.markup import Printer, escape

__all__ = ["render_text_review"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_text_review(console: Printer, report: dict[str, Any], lang: Lang) -> None:
    console.print(
        f"[bold]{word('review.document', lang)}:[/bold] {escape(named(report['document']))}"
        + (f" — {escape(named(report['title']))}" if report.get("title") else "")
    )
    console.print(f"[bold]{word('review.as_of', lang)}:[/bold] {format_value(date.fromisoformat(report['as_of']), lang)}")
    console.print()
    for f in report["findings"]:
        where = f["location"]
        place = f"{where['file']}:{where['line']}:{where['column']}" if where else ""
        label = word(f"review.severity.{f['severity']}", lang)
        locator = f"[bold]{escape(named(f['locator']))}[/bold] — " if f["locator"] else ""
        console.print(f"[{_STYLE[f['severity']]}]{label}[/] {locator}{escape(f['message'][lang])} [dim]({named(f['check'])})[/dim]")
        if place:
            console.print(f"  [dim]{word('review.source', lang)}: {escape(place)}[/dim]")
        if f.get("fix"):
            console.print(f"  [dim]{word('review.fix', lang)}:[/dim] {escape(f['fix'][lang])}")
    if not report["findings"]:
        console.print(word("review.none", lang))
    console.print()
    counts = report["severity"]
    console.print(word("review.summary", lang, error=counts.get("error", 0), warning=counts.get("warning", 0), info=counts.get("info", 0)))
