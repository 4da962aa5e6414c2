"""`quyche serve`: the HTTP API returns the CLI's bytes; bad input is refused with the CLI's messages.

FastAPI's TestClient drives the app in-process; one real `quyche serve` (uvicorn on 127.0.0.1) is
started as a child process, hit over HTTP with httpx, and stopped (it is also killed by a
timeout, so it can never outlive the test run).
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from compliance.server import create_app
from tests.conftest import EXAMPLES, run_cli
from tests.live_server import serve_for_tests

with warnings.catch_warnings():
    # Starlette's TestClient announces a future move away from httpx; the client itself works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

YAMLS = sorted(EXAMPLES.rglob("*.yaml"))
WORKBOOKS = sorted(EXAMPLES.rglob("*.xlsx"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(max_upload=2 * 1024 * 1024)) as c:
        yield c


def _cli_json(path: Path, as_of: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """`quyche check NAME --format json` run beside the file, so the setup is named as uploaded."""
    monkeypatch.chdir(path.parent)
    code, out, err = run_cli("check", path.name, "--as-of", as_of, "--format", "json")
    assert code in (0, 1), err
    return code, out


# ---------------------------------------------------------------- POST /check = the CLI
@pytest.mark.parametrize("path", YAMLS + WORKBOOKS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_check_returns_byte_identical_json_to_the_cli(client: TestClient, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, expected = _cli_json(path, "2024-12-31", monkeypatch)
    kind = XLSX if path.suffix == ".xlsx" else "application/yaml"
    response = client.post("/check", params={"as_of": "2024-12-31"}, files={"file": (path.name, path.read_bytes(), kind)})
    assert response.status_code == 200
    assert response.content == expected.encode("utf-8")
    assert response.headers["x-quyche-exit"] == str(code)


def test_check_takes_the_setup_as_a_raw_body_in_yaml_json_or_xlsx(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    path = EXAMPLES / "loc-ninh" / "loc-ninh.yaml"
    _, expected = _cli_json(path, "2024-12-31", monkeypatch)
    params = {"as_of": "2024-12-31", "name": "loc-ninh.yaml"}
    by_yaml = client.post("/check", params=params, content=path.read_bytes(), headers={"content-type": "application/yaml"})
    assert by_yaml.content == expected.encode()
    as_json = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_json = client.post("/check", params=params, content=__import__("json").dumps(as_json, default=str), headers={"content-type": "application/json"})
    assert by_json.status_code == 200 and by_json.json()["summary"] == __import__("json").loads(expected)["summary"]
    workbook = path.with_suffix(".xlsx").read_bytes()
    by_xlsx = client.post("/check", params={"as_of": "2024-12-31", "name": "loc-ninh.xlsx"}, content=workbook, headers={"content-type": XLSX})
    assert by_xlsx.json()["findings"] == by_json.json()["findings"]


def test_an_invalid_setup_is_422_with_the_places(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/check", files={"file": ("sai.yaml", b"centre:\n  id: x\n  name: X\n  level: xa\n", "application/yaml")})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("sai.yaml:4:")
    assert body["problems"][0]["line"] == 4
    (tmp_path / "sai.yaml").write_bytes(b"centre:\n  id: x\n  name: X\n  level: xa\n")
    code, _, err = run_cli("check", str(tmp_path / "sai.yaml"))
    assert code == 2 and body["problems"][0]["message"] in err  # the CLI's message


def test_a_workbook_typo_is_422_at_its_cell_in_the_readers_language(client: TestClient) -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(EXAMPLES / "dong-thap" / "cao-lanh.xlsx")
    book["Trung tâm"]["B19"] = "có lẽ"
    buffer = io.BytesIO()
    book.save(buffer)
    label = book["Trung tâm"]["A19"].value
    vi = client.post("/check", files={"file": ("cao-lanh.xlsx", buffer.getvalue(), XLSX)})
    assert vi.status_code == 422 and vi.json()["problems"][0]["message"] == f"Trung tâm!B19 ({label}): cần 'Có' hoặc 'Không', không phải 'có lẽ'"
    en = client.post("/check", params={"lang": "en"}, files={"file": ("cao-lanh.xlsx", buffer.getvalue(), XLSX)})
    assert "expected 'Yes' or 'No'" in en.json()["detail"]


@pytest.mark.parametrize(
    ("request_args", "status", "words"),
    [
        ({"params": {"as_of": "30/06/2024"}, "files": {"file": ("a.yaml", b"centre: {id: a, name: A}")}}, 400, "YYYY-MM-DD"),
        ({"content": b"centre: {id: a, name: A}", "headers": {"content-type": "image/png"}}, 415, "image/png"),
        ({"data": {"as_of": "2024-06-30"}, "files": {"other": ("a.yaml", b"x")}}, 400, "chưa chọn tệp"),
        ({"files": {"file": ("a.yaml", b"centre: [")}}, 422, "a.yaml:"),
    ],
    ids=["bad-date", "bad-type", "no-file", "malformed"],
)
def test_bad_requests_are_refused_with_a_message(client: TestClient, request_args: dict[str, Any], status: int, words: str) -> None:
    response = client.post("/check", **request_args)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


def test_an_upload_over_the_limit_is_413_before_parsing(client: TestClient) -> None:
    big = b"# " + b"x" * (3 * 1024 * 1024)
    response = client.post("/check", files={"file": ("big.yaml", big, "application/yaml")})
    assert response.status_code == 413 and "2097152" in response.json()["detail"]


# ---------------------------------------------------------------- the other endpoints
def test_explain_calendar_documents_rules_schema(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES / "dong-thap" / "cao-lanh.yaml"
    explained = client.post("/explain", params={"rule": "giam_doc", "as_of": "2024-06-30"}, files={"file": (path.name, path.read_bytes())})
    monkeypatch.chdir(path.parent)
    code, out, _ = run_cli("explain", path.name, "giam_doc", "--as-of", "2024-06-30", "--format", "json")
    assert explained.status_code == 200 and explained.content == out.encode()
    missing = client.post("/explain", params={"rule": "khong_co"}, files={"file": (path.name, path.read_bytes())})
    assert missing.status_code == 400
    ics = client.post("/calendar", params={"year": 2024}, files={"file": (path.name, path.read_bytes())})
    code, out, _ = run_cli("calendar", path.name, "--year", "2024")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar") and ics.text.replace("\r\n", "\n") == out.replace("\r\n", "\n")
    documents = client.get("/documents").json()
    assert {"qd953_2023", "qd4037_2024", "qd1089_2024"} <= {d["id"] for d in documents}
    by_number = client.get("/documents/953/QĐ-UBND-HC").json()
    assert by_number["id"] == "qd953_2023" and "qd953_2023.giam_doc" in by_number["statements"]
    assert client.get("/documents/khong-co").status_code == 404
    rule = client.get("/rules/qd953_2023.giam_doc").json()
    assert rule["document"] == "qd953_2023" and rule["text"].startswith("a) Giám đốc")
    assert client.get("/rules/giam_doc").json()["id"] == "qd953_2023.giam_doc"
    assert client.get("/rules/khong_co").status_code == 404
    code, out, _ = run_cli("schema")
    assert client.get("/schema").json() == __import__("json").loads(out)


def test_review_by_id_and_audit_of_several_files_leave_no_file_behind(client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # a private temporary folder, to see what is left in it
    before = set(tmp_path.iterdir())
    review = client.post("/review", params={"document": "totrinh_ioc_2021", "as_of": "2024-06-30"})
    code, out, _ = run_cli("review", "totrinh_ioc_2021", "--as-of", "2024-06-30", "--format", "json")
    assert review.status_code == 200 and review.content == out.encode()
    files = [("files", (p.name, p.read_bytes(), "application/yaml")) for p in YAMLS[:4]]
    files.append(("files", ("hong.yaml", b"centre: [", "application/yaml")))
    audit = client.post("/audit", params={"as_of": "2024-06-30"}, files=files)
    assert audit.status_code == 200
    data = audit.json()
    assert sorted(c["setup"] for c in data["centres"]) == sorted(p.name for p in YAMLS[:4])
    assert len(data["errors"]) == 1 and audit.headers["x-quyche-exit"] == "2"
    assert data["directory"] == "upload" and str(tmp_path) not in audit.text
    # The temporary folders are gone (Lark may leave its grammar cache in the temporary folder: that is its place).
    assert {p for p in tmp_path.iterdir() if not p.name.startswith(".lark_cache")} == before
    assert client.post("/audit").status_code == 415
    assert client.post("/review").status_code == 400


def test_openapi_is_valid_and_carries_the_setup_and_finding_schemas(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] == "quyche"
    schemas = spec["components"]["schemas"]
    assert {"Setup", "Centre", "Staff", "Finding", "CheckReport", "Problem"} <= set(schemas)
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)  # each component is a valid JSON Schema
    refs = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(spec)
    assert refs and all(ref.removeprefix("#/components/schemas/") in schemas for ref in refs), "every $ref resolves"
    paths = spec["paths"]
    for path in ("/check", "/explain", "/review", "/audit", "/calendar", "/documents", "/documents/{doc_id}", "/rules/{rule_id}", "/schema"):
        assert path in paths, path
    check = paths["/check"]["post"]
    assert set(check["requestBody"]["content"]) >= {"multipart/form-data", "application/json", XLSX}
    assert check["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CheckReport")
    assert {"422", "413", "400"} <= set(check["responses"])
    # A real check report validates against the documented schema.
    report = client.post("/check", params={"as_of": "2024-06-30"}, files={"file": ("c.yaml", (EXAMPLES / "dong-thap" / "cao-lanh.yaml").read_bytes())}).json()
    resolver = {"$defs": schemas, **schemas["CheckReport"]}
    jsonschema.validate(report, _rebase(resolver))


def _rebase(schema: Any) -> Any:
    """Point #/components/schemas/X at #/$defs/X, so jsonschema resolves them inside one document."""
    if isinstance(schema, dict):
        return {k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema


# ---------------------------------------------------------------- the upload page, server-side
def test_upload_page_is_vietnamese_escaped_and_self_contained(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<html lang="vi">' in page.text
    assert "Tải lên bảng tính Excel" in page.text and "http" not in page.text.replace("http://127.0.0.1", "")
    hostile = b"centre:\n  id: x\n  name: '<script>alert(1)</script>'\n"
    result = client.post("/ui/check", files={"file": ("<b>x</b>.yaml", hostile)}, data={"as_of": "2024-06-30"})
    assert result.status_code == 200
    assert "<script>alert" not in result.text and "&lt;script&gt;" in result.text
    bad = client.post("/ui/check", files={"file": ("sai.yaml", b"centre: [")})
    assert bad.status_code == 422 and "sai.yaml:" in bad.text and 'role="alert"' in bad.text


# ---------------------------------------------------------------- one real server
@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`quyche serve` as a child process on 127.0.0.1; stopped at the end, and killed by `timeout` regardless."""
    yield from serve_for_tests(tmp_path_factory.mktemp("serve") / "log.txt")


def test_a_real_server_on_localhost_answers_like_the_cli(live_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES / "binh-thuan" / "binh-thuan.xlsx"
    _, expected = _cli_json(path, "2024-12-31", monkeypatch)
    with httpx.Client(base_url=live_server, timeout=60) as http:
        response = http.post("/check", params={"as_of": "2024-12-31"}, files={"file": (path.name, path.read_bytes(), XLSX)})
        assert response.status_code == 200 and response.content == expected.encode()
        assert http.get("/openapi.json").json()["info"]["title"] == "quyche"
        assert "Tải lên" in http.get("/").text
