"""A folder of centre setups → one audit, as of one date, in JSON, CSV, HTML or text.

Users: a provincial ICT department checking all its district centres in one run and sending the
result on. Every ``*.yaml`` / ``*.yml`` under the folder (recursive, sorted, hidden folders
skipped) is checked with the same evaluation as ``quyche check``; a file that cannot be used
(malformed YAML, an invalid setup) is reported with its message and line, and the run goes on,
so nothing is lost. Findings keep the shape of compliance.findings (DESIGN.md).

Exit code (``audit_exit_code``): 2 when any file was bad (the report is still written for the
others), else 1 when any centre violates a binding rule, else 0.

Output is deterministic: setups are named relative to the folder, and the only date in a report
is the as-of date.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from compliance.findings import exit_code, report
from compliance.loading import SetupError, parse_setup
from compliance.render import LABELS, role_label
from compliance.setup import to_facts
from engine import Program, evaluate

__all__ = ["find_setups", "audit", "audit_exit_code", "to_json", "to_csv", "to_html", "to_text", "CSV_COLUMNS"]

STATUSES = ("violated", "unknown", "satisfied", "not_applicable")
CSV_COLUMNS = ["setup", "centre", "rule", "status", "severity", "document", "locator", "message_vi", "message_en", "expected", "actual", "fix"]

Progress = Callable[[int, int, str, dict[str, Any]], None]


def find_setups(directory: Path) -> list[Path]:
    """Every setup file under ``directory``: *.yaml and *.yml, recursive, sorted by relative path."""
    found = [
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in (".yaml", ".yml") and p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix())


def _error(name: str, problems: list[tuple[int, str]]) -> dict[str, Any]:
    message = "\n".join(f"{name}:{line}: {msg}" if line else f"{name}: {msg}" for line, msg in problems)
    return {"setup": name, "message": message, "problems": [{"line": line or None, "message": msg} for line, msg in problems]}


def _check_one(program: Program, path: Path, name: str, as_of: date) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(centre entry, None) for a usable setup, (None, error entry) for a bad file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, _error(name, [(0, f"not UTF-8 text: {exc.reason} at byte {exc.start}")])
    except OSError as exc:
        return None, _error(name, [(0, f"cannot read: {exc.strerror or exc}")])
    try:
        setup = parse_setup(text, name)
    except SetupError as err:
        return None, _error(name, err.problems)
    try:
        evaluation = evaluate(program, to_facts(setup), as_of)
    except Exception as exc:  # noqa: BLE001 - one centre's failure must not lose the others
        return None, _error(name, [(0, f"internal error while checking: {type(exc).__name__}: {exc}")])
    data = report(program, evaluation, name)
    centre = setup.centre
    return {
        "setup": name,
        "centre": {"id": centre.id, "name": centre.name, "province": centre.province, "jurisdiction": centre.jurisdiction, "level": centre.level},
        "documents": data["documents"],
        "violated": exit_code(evaluation) == 1,
        "summary": data["summary"],
        "findings": data["findings"],
    }, None


def audit(program: Program, directory: Path, as_of: date, progress: Progress | None = None) -> dict[str, Any]:
    """Check every setup under ``directory`` as of ``as_of``; bad files become error entries."""
    files = find_setups(directory)
    centres: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for i, path in enumerate(files, 1):
        name = path.relative_to(directory).as_posix()
        centre, error = _check_one(program, path, name, as_of)
        if centre is not None:
            centres.append(centre)
        if error is not None:
            errors.append(error)
        if progress is not None:
            progress(i, len(files), name, centre or {"error": error})
    counts = {s: sum(c["summary"].get(s, 0) for c in centres) for s in STATUSES}
    totals = {"files": len(files), "centres": len(centres), "bad_files": len(errors), "centres_violated": sum(1 for c in centres if c["violated"]), **counts}
    return {"as_of": as_of.isoformat(), "directory": directory.as_posix(), "centres": centres, "errors": errors, "totals": totals}


def audit_exit_code(result: dict[str, Any]) -> int:
    """2 if any file was bad, else 1 if any centre violates a binding rule, else 0."""
    if result["errors"]:
        return 2
    return 1 if any(c["violated"] for c in result["centres"]) else 0


# ---------------------------------------------------------------- JSON and CSV
def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n"


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(result: dict[str, Any], lang: str = "vi") -> str:
    """One row per finding, then one row per bad file (status "error"); fix in ``lang``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for centre in result["centres"]:
        for f in centre["findings"]:
            writer.writerow(
                [
                    centre["setup"],
                    centre["centre"]["name"],
                    f["rule"],
                    f["status"],
                    f["severity"],
                    f["document"],
                    _str(f["locator"]),
                    f["message"]["vi"],
                    f["message"]["en"],
                    _str((f["expected"] or {}).get(lang)),
                    _str((f["actual"] or {}).get(lang)),
                    (f["fix"] or {}).get(lang, ""),
                ]
            )
    for error in result["errors"]:
        writer.writerow([error["setup"], "", "", "error", "error", "", "", error["message"], error["message"], "", "", ""])
    return buffer.getvalue()


# ---------------------------------------------------------------- HTML
_T = {
    "vi": {
        "title": "Báo cáo kiểm tra Trung tâm IOC",
        "directory": "Thư mục",
        "as_of": "Ngày đánh giá",
        "files": "Tệp thiết lập",
        "centres": "Trung tâm đã kiểm tra",
        "centres_violated": "Trung tâm có vi phạm",
        "bad_files": "Tệp lỗi",
        "setup": "Tệp",
        "centre": "Trung tâm",
        "place": "Địa bàn",
        "documents": "Văn bản áp dụng",
        "verdict": "Kết luận",
        "error": "LỖI TỆP",
        "ok": "Không vi phạm",
        "has_violations": "Có vi phạm",
        "bad_title": "Tệp không kiểm tra được",
        "findings": "Phát hiện",
        "no_findings": "Không có vi phạm hoặc điều chưa đủ dữ kiện.",
        "line": "dòng",
        "unknown_note": "“Chưa đủ dữ kiện”: thiết lập thiếu thông tin để kết luận; quy định đó chưa được coi là đạt.",
        "footer": "Tạo bởi quyche. Văn bản gốc mới có giá trị pháp lý.",
        "article": "Điều khoản",
        "totals": "Tổng hợp",
        "list": "Danh sách Trung tâm",
        "more": "bản ghi khác",
    },
    "en": {
        "title": "Audit of smart operations centres (IOC)",
        "directory": "Folder",
        "as_of": "As of",
        "files": "Setup files",
        "centres": "Centres checked",
        "centres_violated": "Centres with violations",
        "bad_files": "Bad files",
        "setup": "File",
        "centre": "Centre",
        "place": "Place",
        "documents": "Documents applied",
        "verdict": "Verdict",
        "error": "BAD FILE",
        "ok": "No violation",
        "has_violations": "Violations",
        "bad_title": "Files that could not be checked",
        "findings": "Findings",
        "no_findings": "No violated or unknown rule.",
        "line": "line",
        "unknown_note": "“Unknown”: the setup lacks the facts to decide; such a rule is not counted as passed.",
        "footer": "Made with quyche. Only the original documents have legal force.",
        "article": "Provision",
        "totals": "Totals",
        "list": "Centres",
        "more": "more records",
    },
}

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:0;color:#1f2328;background:#fff;line-height:1.5}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
.meta{color:#57606a;margin:0 0 1rem}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:.5rem;padding:.5rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fff1f0}
.badge{display:inline-block;border-radius:1rem;padding:0 .55rem;font-size:.8rem;font-weight:700;color:#fff;white-space:nowrap}
.violated{background:#cf222e}.unknown{background:#9a6700}.satisfied{background:#1a7f37}.not_applicable{background:#6e7781}.error{background:#8250df}
.finding{border:1px solid #d0d7de;border-left:.3rem solid #6e7781;border-radius:.4rem;padding:.6rem .9rem;margin:.7rem 0}
.finding.violated-box{border-left-color:#cf222e}.finding.unknown-box{border-left-color:#9a6700}
.finding p{margin:.3rem 0}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:.25rem solid #d0d7de;background:#f6f8fa;font-family:Georgia,"Times New Roman",serif}
.k{color:#57606a;font-weight:600}
ul.ev{margin:.2rem 0 .2rem 1.2rem;padding:0;font-size:.88rem}
details summary{cursor:pointer;color:#0969da;font-size:.88rem}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;border-radius:.3rem}
footer{color:#57606a;font-size:.85rem;margin-top:2rem;border-top:1px solid #d0d7de;padding-top:.6rem}
@media print{.finding{break-inside:avoid}}
"""


def _e(value: Any) -> str:
    return html.escape(_str(value))


def _badge(status: str, lang: str) -> str:
    label = LABELS[lang].get(status, status) if status != "error" else _T[lang]["error"]
    return f'<span class="badge {status}">{_e(label)}</span>'


def _evidence(item: dict[str, Any], lang: str = "vi") -> str:
    parts = [_str(item.get("record"))]
    detail = item.get("detail")
    for value in (item.get("label"), detail.get(lang) if isinstance(detail, dict) else detail):
        if value:
            parts.append(_str(value))
    if item.get("role"):
        parts.append(f"[{role_label(item['role'], lang)}]")
    if "value" in item:
        parts.append(f"= {item['value']}")
    return " ".join(parts)


def _finding_html(f: dict[str, Any], lang: str) -> list[str]:
    t, labels = _T[lang], LABELS[lang]
    tag = _badge(f["status"], lang) + ("" if f["binding"] else f' <span class="badge error">{_e(labels["proposed"])}</span>')
    out = [f'<div class="finding {f["status"]}-box">', f"<h3>{tag} {_e(f['document'])} — {_e(f['locator'] or '')}</h3>", f"<p>{_e(f['message'][lang])}</p>"]
    if f.get("text"):
        out.append(f'<blockquote lang="vi">{_e(f["text"])}</blockquote>')
    if f["status"] == "violated":
        if f.get("expected"):
            out.append(f'<p><span class="k">{_e(labels["expected"])}:</span> {_e(f["expected"][lang])}</p>')
        if f.get("actual"):
            out.append(f'<p><span class="k">{_e(labels["actual"])}:</span> {_e(f["actual"][lang])}</p>')
        if f["evidence"]:
            # The first records in view, the rest folded (no script: <details>), none dropped.
            items = [f"<li>{_e(_evidence(e, lang))}</li>" for e in f["evidence"]]
            out.append('<ul class="ev">' + "".join(items[:6]) + "</ul>")
            if len(items) > 6:
                out.append(f'<details><summary>+{len(items) - 6} {_e(t["more"])}</summary><ul class="ev">{"".join(items[6:])}</ul></details>')
    if f.get("fix"):
        out.append(f'<p><span class="k">{_e(labels["fix"])}:</span> {_e(f["fix"][lang])}</p>')
    out.append(f'<p class="meta"><code>{_e(f["rule"])}</code></p>')
    return out + ["</div>"]


def _place(centre: dict[str, Any]) -> str:
    parts = [x for x in (centre.get("jurisdiction"), centre.get("province")) if x]
    return ", ".join(dict.fromkeys(parts))  # "Bình Thuận, Bình Thuận" once


def to_html(result: dict[str, Any], lang: str = "vi") -> str:
    """A self-contained page (inline CSS, no scripts, no external resources) to send on."""
    t, labels = _T[lang], LABELS[lang]
    totals = result["totals"]
    day = date.fromisoformat(result["as_of"])
    shown_day = f"{day:%d/%m/%Y}" if lang == "vi" else result["as_of"]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(t['title'])} — {_e(shown_day)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(t['title'])}</h1>",
        f'<p class="meta">{_e(t["directory"])}: <code>{_e(result["directory"])}</code> · {_e(t["as_of"])}: <b>{_e(shown_day)}</b></p>',
        f"<h2>{_e(t['totals'])}</h2>",
        '<div class="cards">',
    ]
    for key in ("files", "centres", "centres_violated", "bad_files"):
        out.append(f'<div class="card"><b>{totals[key]}</b>{_e(t[key])}</div>')
    for status in STATUSES:
        out.append(f'<div class="card"><b>{totals[status]}</b>{_badge(status, lang)}</div>')
    out += [
        "</div>",
        f'<p class="meta">{_e(t["unknown_note"])}</p>',
        f"<h2>{_e(t['list'])}</h2>",
        '<table id="centres">',
        "<thead><tr>",
        f"<th>#</th><th>{_e(t['setup'])}</th><th>{_e(t['centre'])}</th><th>{_e(t['place'])}</th>"
        f"<th>{_e(t['documents'])}</th>" + "".join(f"<th>{_e(labels[s])}</th>" for s in STATUSES) + f"<th>{_e(t['verdict'])}</th>",
        "</tr></thead>",
        "<tbody>",
    ]
    rows: list[tuple[str, str]] = [(c["setup"], "centre") for c in result["centres"]] + [(e["setup"], "error") for e in result["errors"]]
    by_name = {c["setup"]: c for c in result["centres"]} | {e["setup"]: e for e in result["errors"]}
    anchors = {name: f"f{i}" for i, (name, _) in enumerate(sorted(rows), 1)}
    for i, (name, kind) in enumerate(sorted(rows), 1):
        entry = by_name[name]
        anchor = anchors[name]
        if kind == "error":
            first = entry["message"].splitlines()[0] if entry["message"] else ""
            out.append(
                f'<tr class="bad"><td class="n">{i}</td><td><a href="#{anchor}"><code>{_e(name)}</code></a></td>'
                f'<td colspan="{3 + len(STATUSES)}">{_e(first)}</td><td>{_badge("error", lang)}</td></tr>'
            )
            continue
        c = entry
        verdict = _badge("violated", lang) if c["violated"] else (_badge("unknown", lang) if c["summary"].get("unknown") else _badge("satisfied", lang))
        out.append(
            f'<tr><td class="n">{i}</td><td><a href="#{anchor}"><code>{_e(name)}</code></a></td>'
            f"<td>{_e(c['centre']['name'])}</td><td>{_e(_place(c['centre']))}</td>"
            f"<td>{_e(', '.join(c['documents']))}</td>" + "".join(f'<td class="n">{c["summary"].get(s, 0)}</td>' for s in STATUSES) + f"<td>{verdict}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    for centre in result["centres"]:
        out.append(f'<h2 id="{anchors[centre["setup"]]}">{_e(centre["centre"]["name"])} <small><code>{_e(centre["setup"])}</code></small></h2>')
        shown = [f for f in centre["findings"] if f["status"] in ("violated", "unknown")]
        if not shown:
            out.append(f"<p>{_e(t['no_findings'])}</p>")
        for f in shown:
            out += _finding_html(f, lang)
    if result["errors"]:
        out.append(f"<h2>{_e(t['bad_title'])}</h2>")
        for error in result["errors"]:
            out.append(
                f'<div class="finding" id="{anchors[error["setup"]]}"><h3>{_badge("error", lang)} <code>{_e(error["setup"])}</code></h3>'
                f"<pre>{_e(error['message'])}</pre></div>"
            )
    out += [f"<footer>{_e(t['footer'])} {_e(t['as_of'])}: {_e(shown_day)}.</footer>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- text
def to_text(result: dict[str, Any], lang: str = "vi") -> str:
    """The summary printed when no --out is given: one block per centre, then the totals."""
    t, labels = _T[lang], LABELS[lang]
    totals = result["totals"]
    lines = [f"{t['title']} — {t['directory']}: {result['directory']} — {t['as_of']}: {result['as_of']}", ""]
    entries = sorted([(c["setup"], c) for c in result["centres"]] + [(e["setup"], e) for e in result["errors"]], key=lambda x: x[0])
    for name, entry in entries:
        if "message" in entry:
            lines.append(f"{name}: {t['error']}")
            lines += [f"    {line}" for line in entry["message"].splitlines()]
            lines.append("")
            continue
        counts = ", ".join(f"{labels[s]} {entry['summary'].get(s, 0)}" for s in STATUSES)
        lines.append(f"{name}: {entry['centre']['name']} — {counts}")
        for f in entry["findings"]:
            if f["status"] != "violated":
                continue
            tag = labels["violated"] if f["binding"] else f"{labels['proposed']} {labels['violated']}"
            lines.append(f"    {tag} {f['document']} {f['locator'] or ''} — {f['rule']}: {f['message'][lang]}")
        lines.append("")
    lines.append(
        f"{labels['summary']}: {totals['files']} {t['files'].lower()}, {totals['centres']} {t['centres'].lower()}, "
        f"{totals['centres_violated']} {t['centres_violated'].lower()}, {totals['bad_files']} {t['bad_files'].lower()}; "
        + ", ".join(f"{labels[s]} {totals[s]}" for s in STATUSES)
    )
    return "\n".join(lines) + "\n"
