"""`quyche serve`: the local web app and HTTP API over the same functions as the command line.

``POST /check`` returns byte for byte what `quyche check --format json` prints (the same
``cli.check_report`` and ``cli.check_json``), whether the setup comes as a multipart upload
(field ``file``), or as the request body in YAML, JSON, .xlsx or CSV. Bad input gives 422 (an
invalid setup, with the CLI's messages and places) or 400 (a bad parameter); an upload larger
than the limit gives 413 before it is parsed. Nothing is written outside a temporary folder,
which is removed when the request ends (review and audit need files; check does not).

The upload page (``GET /``, ``POST /ui/check``) is server-rendered from Jinja2 templates with
autoescaping, in Vietnamese (``?lang=en`` for English), with no script and no external asset.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from compliance.catalogue import Lang, text
from compliance.findings import today_in_vietnam
from compliance.intake import parse_any
from compliance.loading import SetupError
from compliance.server.models import CheckReport, Finding, Problem
from compliance.server.pages import render_page
from compliance.setup import Setup
from compliance.setup_format import SetupData
from compliance.version import tool_version
from engine import Program
from engine.message import msg

__all__ = ["create_app"]

MAX_UPLOAD = 5 * 1024 * 1024
_KINDS = {
    "application/json": ".json",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
    "text/plain": ".yaml",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/octet-stream": "",
}


class BadInputError(Exception):
    """A request the API refuses: its HTTP status, message and, for a setup, each problem."""

    def __init__(self, status: int, detail: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.problems = status, detail, problems or []


def _lang(value: str | None) -> Lang:
    return "en" if value == "en" else "vi"


def _safe_name(filename: str | None, suffix: str) -> str:
    """The upload's base name only (no folders, no hidden files), or a neutral one."""
    name = Path((filename or "").replace("\\", "/")).name.strip().lstrip(".")
    return name[:120] if name else f"setup{suffix or '.yaml'}"


def _setup_error(err: SetupError, lang: Lang) -> BadInputError:
    problems = [{"file": err.file, "line": p.line or None, "column": p.column or None, "message": p.text(lang)} for p in err.details]
    return BadInputError(422, err.render(lang), problems)


async def _body(request: Request, limit: int, lang: Lang) -> bytes:
    """The request body, refused with 413 as soon as it is larger than ``limit``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BadInputError(413, text(msg("server.too_large", limit=str(limit)), lang))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadInputError(413, text(msg("server.too_large", limit=str(limit)), lang))
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # so that request.form() parses what was already read
    return body


async def _uploads(request: Request, limit: int, lang: Lang, field: str) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """The files and the plain fields of a request: multipart, or the whole body as one file."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body(request, limit, lang)
    if kind == "multipart/form-data":
        form = await request.form(max_files=200, max_fields=50)
        files, fields = [], {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields[key] = value
            elif key == field or key in ("file", "files"):
                data = await value.read()
                if data or value.filename:
                    files.append((_safe_name(value.filename, ""), data))
        await form.close()
        return files, fields
    if kind == "application/x-www-form-urlencoded":
        form = await request.form()
        return [], {k: v for k, v in form.items() if isinstance(v, str)}
    if kind not in _KINDS:
        raise BadInputError(415, text(msg("server.unsupported", kind=kind or "?"), lang))
    name = request.query_params.get("name")
    return ([(_safe_name(name, _KINDS[kind]), body)] if body else []), {}


def _as_of(value: str | None, lang: Lang) -> date:
    if not value:
        return today_in_vietnam()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInputError(400, text(msg("server.bad_as_of", value=value), lang)) from None


def _bytes_of(files: list[tuple[str, bytes]], name: str) -> bytes | None:
    """The uploaded bytes of the file named ``name``: its SHA-256 goes in the report's receipt, as from the CLI."""
    return next((data for file, data in files if file == name), None)


def _one_setup(files: list[tuple[str, bytes]], lang: Lang) -> tuple[str, SetupData]:
    if not files:
        raise BadInputError(400, text(msg("server.no_file"), lang))
    name, data = files[0]
    try:
        return name, parse_any(data, name, lang)
    except SetupError as err:
        raise _setup_error(err, lang) from None


def _dataclass_json(value: Any) -> Any:
    """A rule or document of the program as JSON data (positions left out)."""
    import dataclasses
    from decimal import Decimal

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dataclass_json(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "span"} | (
            {"_type": type(value).__name__} if type(value).__name__ not in ("Document", "Rule", "Obligation") else {}
        )
    if isinstance(value, (list, tuple)):
        return [_dataclass_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dataclass_json(v) for k, v in value.items()}
    if isinstance(value, (date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


_SETUP_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".xlsx, .csv, .yaml or .json setup"},
                        "as_of": {"type": "string", "format": "date"},
                        "lang": {"type": "string", "enum": ["vi", "en"]},
                    },
                    "required": ["file"],
                }
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/Setup"}},
            "application/yaml": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A bad parameter (as_of, year, rule)"},
    413: {"model": Problem, "description": "The upload is larger than the limit"},
    415: {"model": Problem, "description": "An unsupported content type"},
    422: {"model": Problem, "description": "An invalid setup: each problem at its place (file:line, sheet!cell)"},
}


def create_app(regulations: Path | None = None, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The web app; the rule program is loaded once, on the first request that needs it."""
    app = FastAPI(
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: nothing external here
        redoc_url=None,
        title="quyche",
        version=tool_version(),
        description="Quy chế as code: check smart operations centres (IOC) against their regulations. The JSON is the CLI's (DESIGN.md).",
    )
    state: dict[str, Program] = {}

    def program() -> Program:
        if "program" not in state:
            from compliance.regulations import bundled_program, load_regulations

            state["program"] = load_regulations(regulations) if regulations else bundled_program()
        return state["program"]

    @app.exception_handler(BadInputError)
    async def _bad(request: Request, exc: BadInputError) -> JSONResponse:
        body: dict[str, Any] = {"detail": exc.detail}
        if exc.problems:
            body["problems"] = exc.problems
        return JSONResponse(body, status_code=exc.status)

    # ------------------------------------------------------------------ the officer's page
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(lang: Optional[str] = None) -> HTMLResponse:
        return HTMLResponse(render_page("index.html", _lang(lang)))

    @app.post("/ui/check", response_class=HTMLResponse, include_in_schema=False)
    async def ui_check(request: Request) -> HTMLResponse:
        reader = _lang(request.query_params.get("lang"))
        try:
            files, fields = await _uploads(request, max_upload, reader, "file")
            reader = _lang(fields.get("lang") or request.query_params.get("lang"))
            when = _as_of(fields.get("as_of"), reader)
            name, setup = _one_setup([f for f in files if f[1]], reader)
        except BadInputError as exc:
            status = 400 if exc.status == 422 else exc.status
            lines = exc.detail.splitlines()
            return HTMLResponse(
                render_page("index.html", reader, error=lines, as_of=request.query_params.get("as_of", "")), status_code=status if exc.status != 422 else 422
            )
        from compliance.cli import check_report

        data, code = check_report(program(), setup, name, when, _bytes_of(files, name))
        return HTMLResponse(render_page("result.html", reader, report=data, centre=setup["centre"]["name"], exit_code=code))

    # ------------------------------------------------------------------ the API
    @app.post("/check", openapi_extra=_SETUP_BODY, responses={200: {"model": CheckReport, "description": "`quyche check --format json`"}, **_ERRORS})
    async def check(
        request: Request,
        as_of: Annotated[Optional[str], Query(description="YYYY-MM-DD; default: today in Asia/Ho_Chi_Minh")] = None,
        lang: Annotated[Optional[str], Query(description="vi (default) or en: the language of error messages")] = None,
        name: Annotated[Optional[str], Query(description="The setup's name in the report (default: the upload's file name)")] = None,
    ) -> Response:
        """Check one setup: exactly the JSON of `quyche check --format json`; the exit code in X-Quyche-Exit."""
        from compliance.cli import check_json, check_report

        reader = _lang(lang)
        files, fields = await _uploads(request, max_upload, reader, "file")
        reader = _lang(fields.get("lang") or lang)
        when = _as_of(fields.get("as_of") or as_of, reader)
        setup_name, setup = _one_setup(files, reader)
        data, code = check_report(program(), setup, setup_name, when, _bytes_of(files, setup_name))
        return Response(check_json(data), media_type="application/json", headers={"X-Quyche-Exit": str(code)})

    @app.post("/explain", openapi_extra=_SETUP_BODY, responses=_ERRORS)
    async def explain_rule(
        request: Request,
        rule: Annotated[str, Query(description="Rule id, e.g. qd953_2023.giam_doc (the part after the dot when unique)")],
        as_of: Optional[str] = None,
        lang: Optional[str] = None,
    ) -> Response:
        """How one rule's verdict follows from the setup's facts: `quyche explain --format json`."""
        from compliance.explanation import explanation
        from compliance.receipt import receipt
        from compliance.setup_facts import to_facts
        from engine import evaluate

        reader = _lang(lang)
        files, fields = await _uploads(request, max_upload, reader, "file")
        when = _as_of(fields.get("as_of") or as_of, reader)
        _, setup = _one_setup(files, reader)
        evaluation = evaluate(program(), to_facts(setup), when)
        matches = [v for v in evaluation.verdicts if v.id == rule or v.id.split(".", 1)[-1] == rule]
        if not matches:
            raise BadInputError(400, text(msg("server.no_rule", rule=rule), reader))
        if len(matches) > 1:
            raise BadInputError(400, text(msg("server.ambiguous_rule", rule=rule, matches=", ".join(v.id for v in matches)), reader))
        data = explanation(program(), matches[0])
        found = matches[0].document
        data["receipt"] = receipt(program(), [found] if found in program().documents else [], when, files[0][1], None)
        return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", media_type="application/json")

    @app.post("/review", responses=_ERRORS)
    async def review_document(request: Request, document: Optional[str] = None, as_of: Optional[str] = None, lang: Optional[str] = None) -> Response:
        """Review a document (its id or official number) or an uploaded draft: `quyche review --format json`."""
        from compliance.review.command import ReviewTargetError, review_report

        reader = _lang(lang)
        kind = request.headers.get("content-type", "")
        files, fields = await _uploads(request, max_upload, reader, "file") if kind else ([], {})
        document = fields.get("document") or document
        when = _as_of(fields.get("as_of") or as_of, reader)
        with tempfile.TemporaryDirectory(prefix="quyche-") as folder:
            target = document
            if files and files[0][1]:
                path = Path(folder) / files[0][0]
                path.write_bytes(files[0][1])
                target = str(path)
            if not target:
                raise BadInputError(400, text(msg("server.review_needed"), reader))
            try:
                data, _ = review_report(target, when, regulations, Path("../shared/seeds"))
            except ReviewTargetError as err:
                raise BadInputError(422, text(err.message, reader)) from None
        return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", media_type="application/json")

    @app.post("/audit", responses=_ERRORS)
    async def audit_files(request: Request, as_of: Optional[str] = None, lang: Optional[str] = None, format: str = "json") -> Response:
        """Check several setups (multipart field `files`) as of one date: the audit report in JSON, CSV or HTML."""
        from compliance import audit as auditing

        reader = _lang(lang)
        files, fields = await _uploads(request, max_upload, reader, "files")
        when = _as_of(fields.get("as_of") or as_of, reader)
        if not files:
            raise BadInputError(400, text(msg("server.no_files"), reader))
        with tempfile.TemporaryDirectory(prefix="quyche-") as folder:
            used: set[str] = set()
            for i, (name, data) in enumerate(files):
                unique = name if name not in used else f"{Path(name).stem}-{i}{Path(name).suffix}"
                used.add(unique)
                (Path(folder) / unique).write_bytes(data)
            result = auditing.audit(program(), Path(folder), when, lang=reader)  # bad files in the reader's language
        result["directory"] = "upload"  # the temporary folder's name means nothing to the reader
        headers = {"X-Quyche-Exit": str(auditing.audit_exit_code(result))}
        if format == "csv":
            return Response(auditing.to_csv(result, reader), media_type="text/csv; charset=utf-8", headers=headers)
        if format == "html":
            return HTMLResponse(auditing.to_html(result, reader), headers=headers)
        return Response(auditing.to_json(result), media_type="application/json", headers=headers)

    @app.post("/calendar", openapi_extra=_SETUP_BODY, responses={200: {"content": {"text/calendar": {}}}, **_ERRORS})
    async def calendar(request: Request, year: Optional[int] = None, lang: Optional[str] = None) -> Response:
        """The iCalendar (.ics) of the setup's deadlines in a year: `quyche calendar`."""
        from compliance.calendar import build_calendar

        reader = _lang(lang)
        files, fields = await _uploads(request, max_upload, reader, "file")
        when = int(fields["year"]) if fields.get("year", "").isdigit() else (year or today_in_vietnam().year)
        if not 1900 <= when <= 2999:
            raise BadInputError(400, text(msg("server.bad_year", year=str(when)), reader))
        _, setup = _one_setup(files, reader)
        result = build_calendar(program(), setup, when, reader)
        return Response(result.ics, media_type="text/calendar; charset=utf-8")

    @app.get("/documents")
    async def documents() -> list[dict[str, Any]]:
        """Every document of the rule program: id, official number, title, kind, status, dates."""
        out = []
        for doc in sorted(program().documents.values(), key=lambda d: d.id):
            out.append(
                {
                    "id": doc.id,
                    "number": doc.number,
                    "title": doc.title,
                    "kind": doc.kind,
                    "status": doc.status,
                    "issuer": doc.issuer,
                    "signed": doc.signed.isoformat() if doc.signed else None,
                    "effective": doc.effective.isoformat() if doc.effective else None,
                    "pilot_until": doc.pilot.until.isoformat() if doc.pilot and doc.pilot.until else None,
                }
            )
        return out

    @app.get("/documents/{doc_id:path}", responses={404: {"model": Problem}})
    async def document(doc_id: str, lang: Optional[str] = None) -> Response:
        """One document (by id or official number) with the ids of its rules and obligations."""
        doc = program().by_number(doc_id)
        if doc is None:
            raise BadInputError(404, text(msg("server.no_document", id=doc_id), _lang(lang)))
        data = _dataclass_json(doc)
        data["statements"] = sorted(s.id for s in program().statements_of(doc.id))
        return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", media_type="application/json")

    @app.get("/rules/{rule_id}", responses={404: {"model": Problem}})
    async def rule(rule_id: str, lang: Optional[str] = None) -> Response:
        """One rule, obligation or claim: its document, locator, verbatim text and conditions."""
        p = program()
        table = {**p.claims, **p.obligations, **p.rules}
        matches = [k for k in table if k == rule_id] or [k for k in table if k.split(".", 1)[-1] == rule_id]
        if len(matches) != 1:
            key = "server.ambiguous_rule" if matches else "server.no_rule"
            raise BadInputError(404 if not matches else 400, text(msg(key, rule=rule_id, matches=", ".join(sorted(matches))), _lang(lang)))
        item = table[matches[0]]
        data = {"kind": type(item).__name__.lower(), **_dataclass_json(item)}
        return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", media_type="application/json")

    @app.get("/schema")
    async def schema() -> dict[str, Any]:
        """The JSON Schema of centre setups: `quyche schema`."""
        return Setup.model_json_schema()

    @app.get("/health", include_in_schema=False)
    async def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    _document_schemas(app)
    return app


def _document_schemas(app: FastAPI) -> None:
    """OpenAPI with the setup and finding schemas, so that other tools can generate clients."""
    from fastapi.openapi.utils import get_openapi
    from pydantic.json_schema import models_json_schema

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        _, defs = models_json_schema([(Setup, "validation"), (Finding, "validation"), (CheckReport, "validation")], ref_template="#/components/schemas/{model}")
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name, value in defs.get("$defs", {}).items():
            schemas.setdefault(name, value)
        app.openapi_schema = spec
        return spec

    app.openapi = build  # type: ignore[method-assign]
