"""Findings → text a reader takes in at a glance (rich markup), in Vietnamese or English."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["render_check", "render_explanation", "LABELS"]

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
        "proposed_section": "Proposals of drafts, not enacted: for information only, they do not affect the result",
    },
}
# The engine's evidence roles, as a Vietnamese reader says them (English keeps the role name).
ROLE_LABELS_VI = {
    "counted": "được tính",
    "uncertain": "chưa rõ",
    "holder": "giữ vai trò",
    "offends": "không đạt",
    "missing": "thiếu",
    "decides": "quyết định",
    "on_time": "đúng hạn",
    "late": "trễ hạn",
    "early": "sớm hơn kỳ",
    "wrong_recipient": "sai nơi nhận",
    "wrong_period": "sai kỳ",
    "affected": "bị ảnh hưởng",
    "event": "sự kiện",
}


def role_label(role: str, lang: str) -> str:
    """An evidence role in the reader's language."""
    return ROLE_LABELS_VI.get(role, role) if lang == "vi" else role.replace("_", " ")


_STYLE = {"violated": "bold red", "unknown": "yellow", "satisfied": "green", "not_applicable": "dim"}


def _evidence_line(item: dict[str, Any], lang: str = "vi") -> str:
    parts = [str(item.get("record", ""))]
    if item.get("label"):
        parts.append(str(item["label"]))
    if item.get("role"):
        parts.append(f"[{role_label(item['role'], lang)}]")
    detail = item.get("detail_en") if lang == "en" else None
    if detail or item.get("detail"):
        parts.append(str(detail or item["detail"]))
    if item.get("actual"):
        parts.append(f"({'thực tế' if lang == 'vi' else 'actual'}: {item['actual']})")
    if "value" in item:
        value = item["value"]
        shown = ("true" if value else "false") if isinstance(value, bool) else (", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value))
        parts.append(f"= {shown}")
    return " ".join(parts)


def render_check(console: Console, report: dict[str, Any], centre_name: str, lang: str, verbose: bool = False, steps: bool = False) -> None:
    """The check report as text; ``verbose`` adds satisfied and not-applicable findings, ``steps``
    the derivation of every violated or unknown finding (what `quyche explain` shows for one)."""
    t = LABELS[lang]
    console.print(f"[bold]{t['centre']}:[/bold] {escape(centre_name)}")
    console.print(f"[bold]{t['as_of']}:[/bold] {report['as_of']}")
    console.print(f"[bold]{t['documents']}:[/bold] {escape(', '.join(report['documents'])) or t['none']}")
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
        where = " ".join(x for x in (escape(f["document"]) and f"[bold]{escape(f['document'])}[/bold]", escape(f["locator"] or "")) if x)
        console.print(f"[{_STYLE[status]}]{tag}[/] {where} — {escape(f['rule'])} ({f['severity']})")
        console.print(f"  {escape(f['message'][lang])}")
        if f.get("text"):
            console.print(f"  [dim]{t['text']}:[/dim] [italic]“{escape(f['text'])}”[/italic]")
        if status == "violated":
            if f.get("expected"):
                console.print(f"  [dim]{t['expected']}:[/dim] {escape(str(f['expected']))}")
            if f.get("actual"):
                console.print(f"  [dim]{t['actual']}:[/dim] {escape(str(f['actual']))}")
            for item in f["evidence"][:8]:
                console.print(f"    • {escape(_evidence_line(item, lang))}")
            if len(f["evidence"]) > 8:
                console.print(f"    … (+{len(f['evidence']) - 8})")
            if f.get("fix"):
                console.print(f"  [dim]{t['fix']}:[/dim] {escape(f['fix'][lang])}")
        if steps and status in ("violated", "unknown") and f.get("steps"):
            console.print(f"  [dim]{t['steps']}:[/dim]")
            for i, step in enumerate(f["steps"], 1):
                console.print(f"    {i}. {escape(step.get(lang) or step.get('en', ''))}")
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


def render_explanation(console: Console, exp: dict[str, Any], lang: str) -> None:
    t = LABELS[lang]
    doc = exp["document"]
    console.print(
        f"[bold]{t['rule']}:[/bold] {escape(exp['rule'])} — [{_STYLE[exp['status']]}]{t[exp['status']]}[/]" + ("" if exp["binding"] else f" [{t['proposed']}]")
    )
    if exp.get("summary"):
        console.print(f"  {escape(exp['summary'])}")
    console.print(
        f"[bold]{escape(doc['number'] or doc['id'])}[/bold] {escape(exp['locator'] or '')}" + (f" — {escape(doc['title'])}" if doc.get("title") else "")
    )
    if exp.get("text"):
        console.print(f"  [dim]{t['text']}:[/dim] [italic]“{escape(exp['text'])}”[/italic]")
    if exp.get("source"):
        console.print(f"  [dim]{t['source']}:[/dim] {escape(exp['source'])}")
    console.print(f"[bold]{t['steps']}:[/bold]")
    for i, step in enumerate(exp["steps"], 1):
        console.print(f"  {i}. {escape(step)}")
    if exp["parameters"]:
        console.print(f"[bold]{t['parameters']}:[/bold]")
        for p in exp["parameters"]:
            console.print(f"  • {escape(p['title'] or p['parameter'])} = {p['value']} (từ/from {p['from']}, {escape(p['source'])})")
    if exp["evidence"]:
        console.print(f"[bold]{t['evidence']}:[/bold]")
        for item in exp["evidence"]:
            console.print(f"  • {escape(_evidence_line(item, lang))}")
    if exp.get("expected"):
        console.print(f"[bold]{t['expected']}:[/bold] {escape(str(exp['expected']))}")
    if exp.get("actual"):
        console.print(f"[bold]{t['actual']}:[/bold] {escape(str(exp['actual']))}")
    console.print(f"→ {escape(exp['message'])}")
    if exp.get("fix"):
        console.print(f"[bold]{t['fix']}:[/bold] {escape(exp['fix'])}")
    for note in exp.get("notes", []):
        console.print(f"[dim]{t['notes']}: {escape(note)}[/dim]")
