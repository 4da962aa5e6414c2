"""Findings → text a reader takes in at a glance (rich markup), in Vietnamese or English."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from compliance.catalogue import Lang, entries, format_value, name, word
from compliance.markup import Printer, escape
from compliance.naming import Names, evidence_detail, evidence_name

__all__ = ["evidence_line", "render_check", "render_explanation", "role_label", "shown_value", "LABELS"]

LABELS = {
    "vi": {
        "violated": "VI PHẠM",
        "unknown": "CHƯA ĐỦ DỮ KIỆN",
        "satisfied": "ĐẠT",
        "not_applicable": "KHÔNG ÁP DỤNG",
        "centre": "Trung tâm",
        "as_of": "Ngày đánh giá",
        "documents": "Văn bản áp dụng",
        "summary": "Tổng hợp",
        "expected": "Yêu cầu",
        "actual": "Thực tế",
        "fix": "Khắc phục",
        "evidence": "Căn cứ dữ liệu",
        "text": "Nguyên văn",
        "proposed": "ĐỀ XUẤT (chưa ban hành)",
        "steps": "Các bước suy luận",
        "parameters": "Tham số",
        "rule": "Quy định",
        "notes": "Ghi chú",
        "source": "Mã nguồn",
        "none": "(không có)",
        "actual_short": "thực tế",
        "unknown_value": "chưa rõ",
        "severity_error": "lỗi",
        "severity_warning": "cảnh báo",
        "severity_info": "thông tin",
        "proposed_section": "Đề xuất của dự thảo, chưa ban hành: chỉ để tham khảo, không ảnh hưởng kết quả kiểm tra",
    },
    "en": {
        "violated": "VIOLATED",
        "unknown": "UNKNOWN",
        "satisfied": "SATISFIED",
        "not_applicable": "NOT APPLICABLE",
        "centre": "Centre",
        "as_of": "As of",
        "documents": "Documents applied",
        "summary": "Summary",
        "expected": "Expected",
        "actual": "Actual",
        "fix": "Fix",
        "evidence": "Evidence",
        "text": "Verbatim",
        "proposed": "PROPOSED (not enacted)",
        "steps": "Derivation",
        "parameters": "Parameters",
        "rule": "Rule",
        "notes": "Notes",
        "source": "Source",
        "none": "(none)",
        "actual_short": "actual",
        "unknown_value": "unknown",
        "severity_error": "error",
        "severity_warning": "warning",
        "severity_info": "info",
        "proposed_section": "Proposals of drafts, not enacted: for information only, they do not affect the result",
    },
}


def role_label(role: str, lang: str) -> str:
    """An evidence role in the reader's language (the catalogue's ``role`` entries)."""
    return word(f"role.{role}", cast(Lang, lang)) if f"role.{role}" in entries() else role.replace("_", " ")


def shown_value(value: Any, lang: str) -> str:
    """A JSON value of a finding as the reader reads it: a {vi, en} text in their language."""
    if isinstance(value, dict) and set(value) == {"vi", "en"}:
        return str(value[lang])
    if isinstance(value, bool):
        return word("value.yes" if value else "value.no", cast(Lang, lang))
    if isinstance(value, (list, tuple)):
        return ", ".join(name(str(v)) for v in value)
    return name(str(value))


_STYLE = {"violated": "bold red", "unknown": "yellow", "satisfied": "green", "not_applicable": "dim"}


def evidence_line(item: dict[str, Any], lang: str = "vi", names: Names | None = None) -> str:
    """One evidence item as a reader reads it: the record as the officer wrote it ("Nguyễn Văn A —
    Chánh Văn phòng …", "báo cáo tháng 5/2024", a field's name), its role, detail and value."""
    record, detail_in_name = evidence_name(item, cast(Lang, lang), names)
    parts = [name(record)]
    if item.get("role"):
        parts.append(f"[{role_label(item['role'], lang)}]")
    detail = evidence_detail(item, cast(Lang, lang))
    if detail and not detail_in_name:
        parts.append(detail)
    if item.get("actual"):
        parts.append(f"({LABELS[lang]['actual_short']}: {shown_value(item['actual'], lang)})")
    if "value" in item:
        parts.append(f"= {shown_value(item['value'], lang) if item['value'] is not None else LABELS[lang]['unknown_value']}")
    return " ".join(parts)


def render_check(
    console: Printer, report: dict[str, Any], centre_name: str, lang: str, verbose: bool = False, steps: bool = False, names: Names | None = None
) -> None:
    """The check report as text; ``verbose`` adds satisfied and not-applicable findings, ``steps``
    the derivation of every violated or unknown finding (what `quyche explain` shows for one);
    ``names`` (compliance.naming.record_names) names the records evidence cites."""
    t = LABELS[lang]
    console.print(f"[bold]{t['centre']}:[/bold] {escape(name(centre_name))}")
    console.print(f"[bold]{t['as_of']}:[/bold] {format_value(date.fromisoformat(report['as_of']), cast(Lang, lang))}")
    console.print(f"[bold]{t['documents']}:[/bold] {escape(', '.join(name(d) for d in report['documents'])) or t['none']}")
    console.print()
    header = False
    for f in sorted(report["findings"], key=lambda f: not f["binding"]):  # proposals after the law in force
        status = f["status"]
        if status in ("satisfied", "not_applicable") and not verbose:
            continue
        if not f["binding"] and not header:
            header = True
            console.print(f"[bold magenta]── {t['proposed_section']} ──[/]")
            console.print()
        tag = t[status] if f["binding"] else f"{t['proposed']} {t[status]}"
        where = " ".join(x for x in (escape(f["document"]) and f"[bold]{escape(name(f['document']))}[/bold]", escape(name(f["locator"] or ""))) if x)
        console.print(f"[{_STYLE[status]}]{tag}[/] {where} — {escape(name(f['rule']))} ({t['severity_' + f['severity']]})")
        console.print(f"  {escape(f['message'][lang])}")
        if f.get("text"):
            console.print(f"  [dim]{t['text']}:[/dim] [italic]“{escape(name(f['text']))}”[/italic]")
        if status == "violated":
            if f.get("expected"):
                console.print(f"  [dim]{t['expected']}:[/dim] {escape(shown_value(f['expected'], lang))}")
            if f.get("actual"):
                console.print(f"  [dim]{t['actual']}:[/dim] {escape(shown_value(f['actual'], lang))}")
            for item in f["evidence"][:8]:
                console.print(f"    • {escape(evidence_line(item, lang, names))}")
            if len(f["evidence"]) > 8:
                console.print(f"    … (+{len(f['evidence']) - 8})")
            if f.get("fix"):
                console.print(f"  [dim]{t['fix']}:[/dim] {escape(f['fix'][lang])}")
        if steps and status in ("violated", "unknown") and f.get("steps"):
            console.print(f"  [dim]{t['steps']}:[/dim]")
            for i, step in enumerate(f["steps"], 1):
                console.print(f"    {i}. {escape(step[lang])}")
        console.print()
    summary = report["summary"]
    console.print(
        f"[bold]{t['summary']}:[/bold] " + ", ".join(f"[{_STYLE[k]}]{t[k]}[/] {summary[k]}" for k in ("violated", "unknown", "satisfied", "not_applicable"))
    )
    proposed = report.get("proposed") or {}
    if any(proposed.values()):
        console.print(
            f"[bold magenta]{t['proposed']}:[/] "
            + ", ".join(f"[{_STYLE[k]}]{t[k]}[/] {proposed[k]}" for k in ("violated", "unknown", "satisfied", "not_applicable"))
        )


def render_explanation(console: Printer, exp: dict[str, Any], lang: str, names: Names | None = None) -> None:
    """One rule's explanation (compliance.explanation's JSON shape) as text."""
    t = LABELS[lang]
    doc = exp["document"]
    console.print(
        f"[bold]{t['rule']}:[/bold] {escape(name(exp['rule']))} — [{_STYLE[exp['status']]}]{t[exp['status']]}[/]"
        + ("" if exp["binding"] else f" [{t['proposed']}]")
    )
    if exp.get("summary"):
        console.print(f"  {escape(exp['summary'][lang])}")
    console.print(
        f"[bold]{escape(name(doc['number'] or doc['id']))}[/bold] {escape(name(exp['locator'] or ''))}"
        + (f" — {escape(name(doc['title']))}" if doc.get("title") else "")
    )
    if exp.get("text"):
        console.print(f"  [dim]{t['text']}:[/dim] [italic]“{escape(name(exp['text']))}”[/italic]")
    if exp.get("source"):
        console.print(f"  [dim]{t['source']}:[/dim] {escape(name(exp['source']))}")
    console.print(f"[bold]{t['steps']}:[/bold]")
    for i, step in enumerate(exp["steps"], 1):
        console.print(f"  {i}. {escape(step[lang])}")
    if exp["evidence"]:
        console.print(f"[bold]{t['evidence']}:[/bold]")
        for item in exp["evidence"]:
            console.print(f"  • {escape(evidence_line(item, lang, names))}")
    if exp.get("expected"):
        console.print(f"[bold]{t['expected']}:[/bold] {escape(shown_value(exp['expected'], lang))}")
    if exp.get("actual"):
        console.print(f"[bold]{t['actual']}:[/bold] {escape(shown_value(exp['actual'], lang))}")
    console.print(f"→ {escape(exp['message'][lang])}")
    if exp.get("fix"):
        console.print(f"[bold]{t['fix']}:[/bold] {escape(exp['fix'][lang])}")
    for note in exp.get("notes", []):
        console.print(f"[dim]{t['notes']}: {escape(name(note))}[/dim]")
