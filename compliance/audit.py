"""A folder of centre setups → one audit, as of one date, streamed to JSON, JSON Lines, CSV, HTML or text.

Users: a provincial ICT department checking all its district centres in one run and sending the
result on. Every ``*.yaml`` / ``*.yml`` under the folder (recursive, sorted, hidden folders
skipped; also an officer's ``*.xlsx`` workbook or ``*.csv``) is checked with the same evaluation
as ``quyche check``; a file that cannot be used (malformed YAML, an invalid setup, a broken
workbook, not UTF-8, a broken symbolic link, a name that is not UTF-8) is reported with its
message and place (line:column, or sheet!cell) in the reader's language, and the run goes on,
so nothing is lost. Findings keep the shape of compliance.findings (DESIGN.md) when they need
attention (violated, unknown); the others are compact (rule, status, document, locator: no
explanation, which is then never built) unless ``full``; derivation steps are left out unless
asked for (``steps``). The report says what it was made from: the folder's name, the
tool's version, the rule program's fingerprint and the as-of date (``receipt``); each centre
entry names the records its evidence cites as the officer wrote them (``records``).

Scale: each centre is checked and written as soon as it is done; only the totals stay in memory
(HTML keeps its table rows and sections in temporary files until the totals, shown first, are
known). With ``jobs`` > 1 the files are checked in a process pool (forked: the program is loaded once),
and each worker also renders its centres' part of the report as text (JSON straight from the
verdicts, its repeated pieces encoded once per process); results are written in file order
whatever the number of jobs, so the report is byte-identical.

Exit code (``exit_code_of``): 2 when any file was bad (the report is still written for the
others), else 1 when any centre violates a binding rule, else 0.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, Any

from compliance.catalogue import Lang, word
from compliance.findings import AUDIT_EVIDENCE, Memo, counts, exit_code, finding_json, marking, needs_attention, ordered, report, shown_evidence
from compliance.intake import AUDITED_SUFFIXES, MAX_BYTES, SPREADSHEET_SUFFIXES
from compliance.loading import SetupError, parse_setup
from compliance.naming import Names, evidence_detail, evidence_name, record_names
from compliance.render import LABELS, role_label, shown_value
from compliance.setup_facts import to_facts
from compliance.setup_format import SetupData
from engine import Evaluation, Program, Verdict, evaluate
from engine.memo import forget, forgettable
from engine.message import Arg

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "STATUSES",
    "SetupFile",
    "Totals",
    "audit",
    "audit_exit_code",
    "csv_header",
    "check_file",
    "find_setups",
    "iter_setups",
    "list_setups",
    "neutralise",
    "run",
    "to_csv",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_text",
]

STATUSES = ("violated", "unknown", "satisfied", "not_applicable")
# The CSV's columns; its header row names them in the report's language (csv_header).
CSV_COLUMNS = [
    *("setup", "centre", "rule", "status", "severity", "document", "locator", "message", "expected", "actual", "fix"),
    *("evidence", "directory", "as_of", "version", "program"),
]
FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html"}

Entry = dict[str, Any]  # a centre entry ("centre", "findings" …) or a bad file ("message", "problems")
Progress = Callable[[int, int, str, Entry], None]


def _w(key: str, lang: Lang, **args: Arg) -> str:
    return word(f"audit.{key}", lang, **args)


# ---------------------------------------------------------------- finding the files
@dataclass(frozen=True)
class SetupFile:
    """One setup file found under the folder: its name in reports, and why it cannot be read if so."""

    name: str  # relative to the folder, "/"-separated; a name that is not UTF-8 is shown escaped
    path: Path
    problem: str | None = None  # catalogue key (audit.*) of a problem found while listing


def _shown(name: str) -> str:
    """A file name as reports can write it: bytes that are not UTF-8 as \\xNN escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") for part in parts)


def iter_setups(directory: Path) -> Iterator[SetupFile]:
    """Every setup file (AUDITED_SUFFIXES: YAML, .xlsx, .csv) under ``directory`` in the order of their "/"-separated relative names
    (hidden files and folders skipped; symbolic links to folders not followed), one at a time:
    each folder is listed and sorted on its own, so a fleet of any size takes no memory here.
    Broken symbolic links, names that are not UTF-8 and unreadable folders come with their problem."""

    def walk(folder: Path, prefix: str) -> Iterator[SetupFile]:
        try:
            with os.scandir(folder) as listing:
                # A folder sorts as "name/": the order of the full relative paths.
                entries = sorted((e.name + "/" if e.is_dir(follow_symlinks=False) else e.name, e) for e in listing if not e.name.startswith("."))
        except OSError:
            name = _shown(prefix.rstrip("/") or ".")
            yield SetupFile(name, folder, "unreadable_folder")
            return
        for key, entry in entries:
            path = Path(entry.path)
            if key.endswith("/"):
                yield from walk(path, prefix + key)
                continue
            if path.suffix.lower() not in AUDITED_SUFFIXES:
                continue
            name = prefix + entry.name
            shown = _shown(name)
            if entry.is_symlink() and not path.exists():  # dangling, or a loop (ELOOP reads as "does not exist")
                yield SetupFile(shown, path, "broken_link")
            elif not entry.is_file():
                continue  # a socket, a device …
            elif shown != name:
                yield SetupFile(shown, path, "bad_name")
            else:
                yield SetupFile(name, path)

    yield from walk(directory, "")


def list_setups(directory: Path) -> list[SetupFile]:
    """The setup files under ``directory`` (see iter_setups), as a list."""
    return list(iter_setups(directory))


def find_setups(directory: Path) -> list[Path]:
    """The setup files under ``directory`` (see list_setups), as paths."""
    return [f.path for f in list_setups(directory)]


# ---------------------------------------------------------------- checking one file
def _error(name: str, problems: list[tuple[int, str]]) -> Entry:
    message = "\n".join(f"{name}:{line}: {msg}" if line else f"{name}: {msg}" for line, msg in problems)
    return {"setup": name, "message": message, "problems": [{"line": line or None, "message": msg} for line, msg in problems]}


def _setup_error(name: str, err: Any, lang: Lang) -> Entry:
    """A file the loader or the intake refused: every problem at its place, in the reader's language."""
    problems = [{"line": p.line or None, "column": p.column or None, "message": p.text(lang)} for p in err.details]
    return {"setup": name, "message": err.render(lang), "problems": problems}


def _decode(data: bytes) -> str | tuple[int, int, int]:
    """The text, or where it stops being UTF-8: (line, column, byte offset)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return line, column, exc.start


@dataclass(frozen=True)
class _Checked:
    """A usable setup and its evaluation, before it is written in some shape."""

    name: str
    setup: SetupData
    facts: dict[str, Any]
    evaluation: Evaluation
    full: bool  # every finding with its explanation, not only those that need attention
    steps: bool

    def written_in_full(self, v: Verdict) -> bool:
        return self.full or needs_attention(v)

    @property
    def evidence_limit(self) -> int | None:
        """Evidence items written per finding: all with --full, else the first AUDIT_EVIDENCE."""
        return None if self.full else AUDIT_EVIDENCE

    def centre(self) -> dict[str, Any]:
        c = self.setup["centre"]
        return {"id": c["id"], "name": c["name"], "province": c["province"], "jurisdiction": c["jurisdiction"], "level": c["level"]}

    def records(self, verdicts: Iterable[Verdict]) -> dict[str, Mapping[str, str]]:
        """The records the written evidence cites, named as the officer wrote them, by path."""
        cited = {str(e.get("record")) for v in verdicts if self.written_in_full(v) for e in shown_evidence(v, self.evidence_limit)[0]}
        if not cited:
            return {}
        names = record_names(self.setup)
        return {path: names[path] for path in sorted(cited & names.keys())}


def _check(program: Program, file: SetupFile, as_of: date, lang: Lang, steps: bool, full: bool) -> _Checked | Entry:
    """The evaluation of a usable setup, or the error entry of a bad file (never raises)."""
    name = file.name
    if file.problem is not None:
        return _error(name, [(0, _w(file.problem, lang))])
    try:
        with file.path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # parse_any refuses more: a huge file costs no memory here
    except OSError as exc:
        return _error(name, [(0, _w("cannot_read", lang, reason=exc.strerror or type(exc).__name__))])
    try:
        if file.path.suffix.lower() in SPREADSHEET_SUFFIXES:
            from compliance.intake import parse_any

            setup = parse_any(data, name, lang)  # problems at sheet!cell (a workbook) or row and column (CSV)
        else:
            text = _decode(data)
            if isinstance(text, tuple):
                line, column, byte = text
                return _error(name, [(line, _w("not_utf8", lang, line=line, column=column, byte=byte))])
            setup = parse_setup(text, name)
        facts = to_facts(setup)
        return _Checked(name, setup, facts, evaluate(program, facts, as_of), full, steps)
    except SetupError as err:
        return _setup_error(name, err, lang)
    except Exception as exc:  # noqa: BLE001 - one centre's failure must not lose the others
        return _error(name, [(0, _w("internal", lang, error=type(exc).__name__))])


def _entry(program: Program, checked: _Checked) -> Entry:
    """A centre entry as data (the shape the JSON report writes)."""
    # facts: unknown findings name whose facts are missing
    data = report(
        program, checked.evaluation, checked.name, checked.facts, compact=not checked.full, steps=checked.steps, evidence_limit=checked.evidence_limit
    )
    return {
        "setup": checked.name,
        "centre": checked.centre(),
        "documents": data["documents"],
        "violated": exit_code(checked.evaluation) == 1,
        "summary": data["summary"],
        "findings": data["findings"],
        "records": checked.records(checked.evaluation.verdicts),
    }


def _entry_json(program: Program, checked: _Checked) -> tuple[Row, str]:
    """A centre entry as JSON text, byte for byte ``_json(_entry(...))``, and its row: the
    findings encoded piece by piece (compliance.findings.finding_json), never built as data."""
    evaluation, facts, steps = checked.evaluation, checked.facts, checked.steps
    verdicts = ordered(evaluation)
    documents = [program.documents[d].number or d for d in evaluation.documents]
    summary = counts([v for v in verdicts if v.binding])
    violated = exit_code(verdicts) == 1
    centre = checked.centre()
    limit = checked.evidence_limit
    findings = ",".join([finding_json(program, v, facts, steps, compact=not checked.written_in_full(v), evidence_limit=limit) for v in verdicts])
    text = (
        f'{{"setup":{_json(checked.name)},"centre":{_json(centre)},"documents":{_json(documents)},"violated":{_json(violated)},'
        f'"summary":{_json(summary)},"findings":[{findings}],"records":{_json(checked.records(verdicts))}}}'
    )
    return Row(checked.name, None, centre["name"] or "", _place(centre), ", ".join(documents), summary, violated), text


def check_file(program: Program, file: SetupFile, as_of: date, lang: Lang = "vi", steps: bool = False, full: bool = False) -> Entry:
    """The centre entry of a usable setup, or the error entry of a bad file (never raises).

    Findings that need attention (violated, unknown) are written in full, the others compact
    (their explanation is never read, so never built) unless ``full``; ``records`` names the
    records the written evidence cites."""
    checked = _check(program, file, as_of, lang, steps, full)
    if not isinstance(checked, _Checked):
        return checked
    try:
        return _entry(program, checked)
    except Exception as exc:  # noqa: BLE001 - one centre's failure must not lose the others
        return _error(file.name, [(0, _w("internal", lang, error=type(exc).__name__))])


# ---------------------------------------------------------------- totals
@dataclass
class Totals:
    """What an audit keeps in memory: counts only."""

    files: int = 0
    centres: int = 0
    bad_files: int = 0
    centres_violated: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, row: Row) -> None:
        self.files += 1
        if row.error is not None:
            self.bad_files += 1
            return
        self.centres += 1
        self.centres_violated += row.violated
        for s in STATUSES:
            self.statuses[s] += row.summary.get(s, 0)

    def as_dict(self) -> dict[str, int]:
        return {"files": self.files, "centres": self.centres, "bad_files": self.bad_files, "centres_violated": self.centres_violated, **self.statuses}

    @property
    def exit_code(self) -> int:
        return 2 if self.bad_files else (1 if self.centres_violated else 0)


@dataclass(frozen=True)
class Row:
    """One file's line in the HTML table and the progress output (small: no findings)."""

    setup: str
    error: str | None = None  # first line of a bad file's message
    name: str = ""
    place: str = ""
    documents: str = ""
    summary: dict[str, int] = field(default_factory=dict)
    violated: bool = False

    @property
    def verdict(self) -> str:
        return "violated" if self.violated else ("unknown" if self.summary.get("unknown") else "satisfied")


def _place(centre: dict[str, Any]) -> str:
    parts = [x for x in (centre.get("jurisdiction"), centre.get("province")) if x]
    return ", ".join(dict.fromkeys(parts))  # "Bình Thuận, Bình Thuận" once


def _row(entry: Entry) -> Row:
    if "message" in entry:
        return Row(entry["setup"], error=entry["message"].splitlines()[0] if entry["message"] else "")
    c = entry["centre"]
    return Row(entry["setup"], None, c["name"] or "", _place(c), ", ".join(entry["documents"]), entry["summary"], entry["violated"])


# ---------------------------------------------------------------- fragments (rendered where the file was checked)
def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection: prefix ')."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _str(value: Any) -> str:
    return "" if value is None else str(value)


# How an evidence item reads depends only on the item and the name its record has in the setup,
# and the same items recur from centre to centre (the same week missing, the same post): each
# reading (CSV cell, HTML line) is made once per process (in a bounded memo).
_NAME_FREE = ("reports", "meetings", "obligation", "event")  # "reports:2024-H1": named from the item alone
_readings: Memo[tuple[Any, ...], Any] = Memo(4096)
forgettable(_readings.clear)


def _reading_key(what: str, item: dict[str, Any], names: Names, lang: Lang) -> tuple[Any, ...] | None:
    """The memo key of one way to read ``item``, or None when it cannot be keyed (then read afresh)."""
    record = item.get("record")
    if not isinstance(record, str):
        return None
    kind, colon, _ = record.partition(":")
    if colon and kind in _NAME_FREE:
        named = None
    elif record in names:
        named = names[record][lang]
    else:
        return None  # a path whose name may come from another record's (teams[1].members[2])
    parts = []
    for key, value in item.items():
        if isinstance(value, dict):  # a {vi, en} text
            value = tuple(value.items())
        elif type(value) not in (str, int, bool, type(None)):  # a list, a float: not keyed
            return None
        parts.append((key, type(value), value))
    return (what, lang, marking(), named, tuple(parts))


def _memo_reading(key: tuple[Any, ...] | None, read: Callable[[], Any]) -> Any:
    if key is None:
        return read()
    found = _readings.get(key)
    return found if found is not None else _readings.put(key, read())


def _evidence_piece(item: dict[str, Any], names: Names, lang: Lang) -> str:
    def read() -> str:
        named, _ = evidence_name(item, lang, names)
        record = _str(item.get("record"))
        return named if named == record else f"{named} ({record})"

    return str(_memo_reading(_reading_key("csv", item, names, lang), read))


def _evidence_cell(finding: dict[str, Any], names: Names, lang: Lang) -> str:
    """A finding's evidence in one cell: each record named as the officer wrote it, its path after."""
    return "; ".join([_evidence_piece(item, names, lang) for item in finding.get("evidence", ())])  # a compact finding has none


def csv_header(lang: Lang) -> list[str]:
    """The CSV's header row: CSV_COLUMNS in the report's language."""
    return [_w(f"col.{column}", lang) for column in CSV_COLUMNS]


def _csv_rows(entry: Entry, lang: Lang, meta: _Meta) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    labels = LABELS[lang]
    tail = [meta.directory, meta.as_of.isoformat(), meta.version, meta.program]
    if "message" in entry:
        rows = [[entry["setup"], "", "", _w("error", lang), labels["severity_error"], "", "", entry["message"], "", "", "", "", *tail]]
    else:
        names = entry.get("records") or {}
        rows = [
            [
                entry["setup"],
                entry["centre"]["name"],
                f["rule"],
                labels[f["status"]] if f["binding"] else f"{labels['proposed']} {labels[f['status']]}",
                labels[f"severity_{f['severity']}"],
                f["document"],
                _str(f["locator"]),
                _str((f.get("message") or {}).get(lang)),  # a compact finding has no explanation
                _str((f.get("expected") or {}).get(lang)),
                _str((f.get("actual") or {}).get(lang)),
                (f.get("fix") or {}).get(lang, ""),
                _evidence_cell(f, names, lang),
                *tail,
            ]
            for f in entry["findings"]
        ]
    writer.writerows([[neutralise(_str(cell)) for cell in row] for row in rows])
    return buffer.getvalue()


def _text_block(entry: Entry, lang: Lang) -> str:
    labels = LABELS[lang]
    name = entry["setup"]
    if "message" in entry:
        return "\n".join([f"{name}: {_w('error', lang)}", *(f"    {line}" for line in entry["message"].splitlines()), "", ""])
    lines = [f"{name}: {entry['centre']['name']} — {_counts(entry['summary'], lang, STATUSES)}"]
    for f in entry["findings"]:
        if f["status"] == "violated":
            tag = labels["violated"] if f["binding"] else f"{labels['proposed']} {labels['violated']}"
            lines.append(f"    {tag} {f['document']} {f['locator'] or ''} — {f['rule']}: {f['message'][lang]}")
    return "\n".join([*lines, "", ""])


def _counts(summary: dict[str, int], lang: Lang, which: Iterable[str]) -> str:
    return ", ".join(_w("count", lang, label=LABELS[lang][s], n=summary.get(s, 0)) for s in which)


@cache
def _templates() -> Any:
    """The Jinja2 environment of the HTML report (autoescaped; templates are package data)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = Path(__file__).with_name("templates") / "audit"
    return Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@cache
def _html_helpers(lang: Lang) -> dict[str, Any]:
    from markupsafe import Markup, escape

    labels = LABELS[lang]

    def badge(status: str) -> Markup:
        label = _w("error", lang) if status == "error" else labels.get(status, status)
        return Markup('<span class="badge {}">{}</span>').format(status, escape(label))

    def evidence(item: dict[str, Any], names: Names) -> Markup:
        return _memo_reading(_reading_key("html", item, names, lang), lambda: read_evidence(item, names))  # type: ignore[no-any-return]

    def read_evidence(item: dict[str, Any], names: Names) -> Markup:
        """The record by the name the officer gave it (its path in the file on hover), then what it shows."""
        named, detail_in_name = evidence_name(item, lang, names)
        parts = [Markup('<b title="{}">{}</b>').format(_str(item.get("record")), named)]
        if item.get("role"):
            parts.append(Markup('<span class="role">{}</span>').format(role_label(item["role"], lang)))
        detail = evidence_detail(item, lang)
        if detail and not detail_in_name:
            parts.append(escape(detail))
        if "value" in item:
            value = item["value"]
            parts.append(escape(shown_value(value, lang) if value is not None else labels["unknown_value"]))
        return Markup(": ").join([parts[0], Markup(" ").join(parts[1:])]) if len(parts) > 1 else parts[0]

    words = {k: _w(k, lang) for k in ("title", "directory", "as_of", "files", "centres", "centres_violated", "bad_files", "setup", "centre", "place")}
    words |= {k: _w(k, lang) for k in ("documents", "verdict", "error", "bad_title", "no_findings", "unknown_note", "footer", "totals", "list")}
    words |= {k: _w(k, lang) for k in ("version", "program", "path", "number")}
    return {"lang": lang, "t": words, "labels": labels, "badge": badge, "evidence": evidence, "more": lambda n: _w("more", lang, n=n)}


def _html_section(entry: Entry, index: int, lang: Lang) -> str:
    env, helpers = _templates(), _html_helpers(lang)
    if "message" in entry:
        return str(env.get_template("error.html.j2").render(i=index, error=entry, **helpers))
    shown = [f for f in entry["findings"] if f["status"] in ("violated", "unknown")]
    return str(env.get_template("centre.html.j2").render(i=index, centre=entry, shown=shown, **helpers))


def _fragment(entry: Entry, index: int, fmt: str, lang: Lang, meta: _Meta) -> str:
    if fmt in ("json", "jsonl"):
        return _json(entry)
    if fmt == "csv":
        return _csv_rows(entry, lang, meta)
    if fmt == "html":
        return _html_section(entry, index, lang)
    return _text_block(entry, lang)


# ---------------------------------------------------------------- what the report was made from
@dataclass(frozen=True)
class _Meta:
    """The head of a report: which folder, as of when, by which tool and rule program."""

    directory: str
    as_of: date
    version: str
    program: str

    def receipt(self) -> dict[str, str]:
        return {"tool": "quyche", "version": self.version, "program": self.program, "as_of": self.as_of.isoformat()}


def folder_name(directory: Path) -> str:
    """The folder as a report names it: as given, or its real name when given as ``.`` or ``..``."""
    if any(part in (".", "..") for part in directory.parts) or directory.as_posix() == ".":
        return _shown(Path(os.path.abspath(directory)).name or os.path.abspath(directory))
    return _shown(directory.as_posix())


def _meta(directory: str, as_of: date, regulations: Path | None) -> _Meta:
    from compliance.receipt import program_fingerprint, tool_version

    return _Meta(directory, as_of, tool_version(), program_fingerprint(regulations.resolve() if regulations else None))


# ---------------------------------------------------------------- writers (in file order)
class _Writer:
    """Writes each file's fragment as it comes, then what needs the totals."""

    def __init__(self, out: IO[str], fmt: str, lang: Lang, meta: _Meta) -> None:
        self.out, self.fmt, self.lang, self.meta = out, fmt, lang, meta
        as_of, directory = self.as_of, self.directory = meta.as_of, meta.directory
        self.first_centre = True
        self.first_error = True
        # Spooled to temporary files, not memory: JSON's bad files (after the centres), HTML's
        # table and sections (after the totals, which are known only at the end).
        spooled = {"json": ("errors",), "html": ("rows", "sections", "bad_sections")}.get(fmt, ())
        self.spools = {name: tempfile.TemporaryFile("w+", encoding="utf-8") for name in spooled}
        if fmt == "json":
            out.write('{"as_of":' + _json(as_of.isoformat()) + ',"directory":' + _json(directory) + ',"receipt":' + _json(meta.receipt()) + ',"centres":[')
        elif fmt == "csv":
            csv.writer(out, lineterminator="\r\n").writerow(csv_header(lang))
        elif fmt == "text":
            out.write(f"{_w('title', lang)} — {_w('directory', lang)}: {directory} — {_w('as_of', lang)}: {_day(as_of, lang)}\n")
            out.write(f"{_w('version', lang)}: quyche {meta.version} — {_w('program', lang)}: {meta.program}\n\n")

    def add(self, row: Row, fragment: str) -> None:
        bad = row.error is not None
        if self.fmt == "json":
            if bad:
                self.spools["errors"].write(("" if self.first_error else ",\n") + fragment)
                self.first_error = False
            else:
                self.out.write(("\n" if self.first_centre else ",\n") + fragment)
                self.first_centre = False
        elif self.fmt == "jsonl":
            self.out.write(fragment + "\n")
        elif self.fmt == "html":
            self.spools["rows"].write(_json([row.setup, row.error, row.name, row.place, row.documents, row.summary, row.violated]) + "\n")
            self.spools["bad_sections" if bad else "sections"].write(fragment.replace("\0", "") + "\0")
        else:
            self.out.write(fragment)

    def finish(self, totals: Totals) -> None:
        t = totals.as_dict()
        lang = self.lang
        if self.fmt == "json":
            self.out.write(("\n" if not self.first_centre else "") + '],"errors":[')
            errors = self.spools["errors"]
            errors.seek(0)
            first = True
            for chunk in iter(lambda: errors.read(1 << 16), ""):
                self.out.write(("\n" if first else "") + chunk)
                first = False
            self.out.write('],"totals":' + _json(t) + "}\n")
        elif self.fmt == "jsonl":
            self.out.write(_json({"as_of": self.as_of.isoformat(), "directory": self.directory, "receipt": self.meta.receipt(), "totals": t}) + "\n")
        elif self.fmt == "html":
            self._finish_html(t)
        elif self.fmt == "text":
            counts = ", ".join(_w("count", lang, label=LABELS[lang][s], n=t[s]) for s in STATUSES)
            summary = _w("summary", lang, files=t["files"], centres=t["centres"], violated=t["centres_violated"], bad=t["bad_files"], counts=counts)
            self.out.write(summary + "\n")

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()

    def _finish_html(self, totals: dict[str, int]) -> None:
        from markupsafe import Markup

        lang = self.lang
        day = _day(self.as_of, lang)

        def rows() -> Iterator[Row]:
            spool = self.spools["rows"]
            spool.seek(0)
            for i, line in enumerate(spool, 1):
                setup, error, name, place, documents, summary, violated = json.loads(line)
                yield _IndexedRow(setup, error, name, place, documents, summary, violated, i)

        def sections(spool: IO[str]) -> Iterator[Markup]:
            spool.seek(0)
            pending = ""
            for chunk in iter(lambda: spool.read(1 << 16), ""):
                pending += chunk
                *done, pending = pending.split("\0")
                for section in done:
                    yield Markup(section)  # rendered by the autoescaping section templates

        page = _templates().get_template("page.html.j2")
        helpers = _html_helpers(lang)
        stream = page.generate(
            day=day,
            directory=self.directory,
            meta=self.meta,
            totals=totals,
            statuses=STATUSES,
            rows=rows(),
            sections=sections(self.spools["sections"]),
            bad_sections=sections(self.spools["bad_sections"]),
            **helpers,
        )
        for piece in stream:
            self.out.write(piece)


def _day(when: date, lang: Lang) -> str:
    from compliance.catalogue import format_value

    return format_value(when, lang)


@dataclass(frozen=True)
class _IndexedRow(Row):
    i: int = 0


# ---------------------------------------------------------------- running (in process or in a pool)
@dataclass(frozen=True)
class _Job:
    program: Program
    as_of: date
    fmt: str
    lang: Lang
    steps: bool
    full: bool
    meta: _Meta


_JOB: _Job | None = None  # a worker's job, set once per process by _init


def _init(job: _Job) -> None:
    global _JOB
    _JOB = job
    # What the worker inherits (the program, its memos, the catalogue) lives as long as it does:
    # the collector never walks it again, and rarely runs (a centre leaves little garbage).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _work(batch: list[tuple[int, SetupFile]]) -> list[tuple[Row, str]]:
    job = _JOB
    assert job is not None, "worker not initialised"
    return _check_batch(job, batch)


def _check_one(job: _Job, index: int, file: SetupFile) -> tuple[Row, str]:
    """One file's row and its fragment of the report; JSON written straight from the verdicts."""
    checked = _check(job.program, file, job.as_of, job.lang, job.steps, job.full)
    entry: Entry
    if isinstance(checked, _Checked):
        try:
            if job.fmt in ("json", "jsonl"):
                return _entry_json(job.program, checked)
            entry = _entry(job.program, checked)
        except Exception as exc:  # noqa: BLE001 - one centre's failure must not lose the others
            entry = _error(file.name, [(0, _w("internal", job.lang, error=type(exc).__name__))])
    else:
        entry = checked
    return _row(entry), _fragment(entry, index, job.fmt, job.lang, job.meta)


# Centres checked by this process between two emptyings of the memos of what setups bring
# (engine.memo.forget): memory stays flat however long the audit (100,000 centres: within 1.3× of
# 1,000), and the memos fill again within a few dozen centres.
FORGET_EVERY = 1000
_since_forgotten = 0


def _check_batch(job: _Job, batch: list[tuple[int, SetupFile]]) -> list[tuple[Row, str]]:
    global _since_forgotten
    _since_forgotten += len(batch)
    if _since_forgotten >= FORGET_EVERY:
        _since_forgotten = 0
        forget()
    return [_check_one(job, index, file) for index, file in batch]


def _batches(files: Iterable[SetupFile], size: int) -> Iterator[list[tuple[int, SetupFile]]]:
    batch: list[tuple[int, SetupFile]] = []
    for item in enumerate(files, 1):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _batch_size(total: int, jobs: int) -> int:
    """Files per batch sent to a worker: a few dozen batches per worker, at most 8 centres each (a
    centre's part of the report is ~0.1 MB: few in flight, and the order costs little waiting)."""
    return max(1, min(8, total // (jobs * 8)))


def _results(job: _Job, files: Iterable[SetupFile], total: int, jobs: int) -> Iterator[tuple[Row, str]]:
    """(row, fragment) per file, in file order; at most a few batches in flight at once."""
    if jobs <= 1 or total < 8:
        for item in enumerate(files, 1):
            yield from _check_batch(job, [item])
        return
    size = _batch_size(total, jobs)
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method), initializer=_init, initargs=(job,)) as pool:
        pending: deque[tuple[list[tuple[int, SetupFile]], Future[list[tuple[Row, str]]]]] = deque()
        queue = _batches(files, size)
        for batch in queue:
            pending.append((batch, pool.submit(_work, batch)))
            if len(pending) >= jobs * 2:
                break
        while pending:
            batch, future = pending.popleft()
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died: check its files here
                results = []
                for index, file in batch:
                    entry = _error(file.name, [(0, _w("worker_lost", job.lang, error=type(exc).__name__))])
                    results.append((_row(entry), _fragment(entry, index, job.fmt, job.lang, job.meta)))
            yield from results
            following = next(queue, None)
            if following is not None:
                try:
                    pending.append((following, pool.submit(_work, following)))
                except RuntimeError:  # the pool is broken: the rest in this process
                    pending.append((following, _done(_check_batch(job, following))))


def _done(value: list[tuple[Row, str]]) -> Future[list[tuple[Row, str]]]:
    future: Future[list[tuple[Row, str]]] = Future()
    future.set_result(value)
    return future


def run(
    program: Program,
    directory: Path,
    as_of: date,
    out: IO[str],
    fmt: str = "json",
    lang: Lang = "vi",
    jobs: int | None = None,
    steps: bool = False,
    progress: Progress | None = None,
    regulations: Path | None = None,
    name: str | None = None,
    full: bool = False,
) -> Totals:
    """Check every setup under ``directory`` and stream the report in ``fmt`` to ``out``.

    ``regulations``: the folder the program was loaded from (its fingerprint goes in the report);
    ``name``: the folder's name in the report (default: :func:`folder_name`); ``full``: every
    finding with its explanation (by default only the violated and unknown ones)."""
    total = sum(1 for _ in iter_setups(directory))  # for the progress lines and the batch size
    meta = _meta(name if name is not None else folder_name(directory), as_of, regulations)
    job = _Job(program, as_of, fmt, lang, steps, full, meta)
    writer = _Writer(out, fmt, lang, meta)
    totals = Totals()
    try:
        for i, (row, fragment) in enumerate(_results(job, iter_setups(directory), total, jobs or os.cpu_count() or 1), 1):
            totals.add(row)
            writer.add(row, fragment)
            if progress is not None:
                progress(i, total, row.setup, {"error": row.error} if row.error is not None else {"summary": row.summary})
        writer.finish(totals)
    finally:
        writer.close()
    return totals


def progress_printer(lang: Lang, stream: IO[str] | None = None) -> Progress:
    """One line per file on stderr: its counts of violated and unknown rules, or that it is bad."""

    def show(i: int, total: int, name: str, entry: Entry) -> None:
        shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in name)  # no terminal escapes
        if "error" in entry:
            line = _w("progress_bad", lang, i=str(i), total=str(total), name=shown)
        else:
            line = _w("progress", lang, i=str(i), total=str(total), name=shown, counts=_counts(entry["summary"], lang, ("violated", "unknown")))
        (stream or sys.stderr).write(line + "\n")

    return show


def written_line(out: str, totals: Totals, lang: Lang) -> str:
    return _w("written", lang, out=out, centres=totals.centres, violated=totals.centres_violated, bad=totals.bad_files)


# ---------------------------------------------------------------- in memory (small folders, the API)
def audit(
    program: Program,
    directory: Path,
    as_of: date,
    progress: Progress | None = None,
    steps: bool = False,
    lang: Lang = "vi",
    regulations: Path | None = None,
    name: str | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Check every setup under ``directory`` as of ``as_of`` into one dict (bad files become error entries)."""
    buffer = io.StringIO()
    run(program, directory, as_of, buffer, "json", lang, jobs=1, steps=steps, progress=progress, regulations=regulations, name=name, full=full)
    result: dict[str, Any] = json.loads(buffer.getvalue())
    return result


def audit_exit_code(result: dict[str, Any]) -> int:
    """2 if any file was bad, else 1 if any centre violates a binding rule, else 0."""
    if result["errors"]:
        return 2
    return 1 if any(c["violated"] for c in result["centres"]) else 0


def _render(result: dict[str, Any], fmt: str, lang: Lang) -> str:
    """A finished audit dict in ``fmt``, through the same writer as the streamed run."""
    entries = sorted([*result["centres"], *result["errors"]], key=lambda e: e["setup"])
    buffer = io.StringIO()
    receipt = result.get("receipt") or {}
    meta = _Meta(result["directory"], date.fromisoformat(result["as_of"]), str(receipt.get("version", "")), str(receipt.get("program", "")))
    writer = _Writer(buffer, fmt, lang, meta)
    totals = Totals()
    try:
        for i, entry in enumerate(entries, 1):
            row = _row(entry)
            totals.add(row)
            writer.add(row, _fragment(entry, i, fmt, lang, meta))
        writer.finish(totals)
    finally:
        writer.close()
    return buffer.getvalue()


def to_json(result: dict[str, Any]) -> str:
    return _render(result, "json", "vi")


def to_jsonl(result: dict[str, Any]) -> str:
    return _render(result, "jsonl", "vi")


def to_csv(result: dict[str, Any], lang: Lang = "vi") -> str:
    """One row per finding and per bad file, in file order, all in ``lang`` (header, verdicts, texts)."""
    return _render(result, "csv", lang)


def to_html(result: dict[str, Any], lang: Lang = "vi") -> str:
    """A self-contained page (inline CSS, no scripts, no external resources) to send on."""
    return _render(result, "html", lang)


def to_text(result: dict[str, Any], lang: Lang = "vi") -> str:
    """The summary printed when no --out is given: one block per centre, then the totals."""
    return _render(result, "text", lang)
