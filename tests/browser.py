"""Real-browser helpers for the site and audit tests: Debian's chromium driven by Playwright.

The browser is the system's /usr/bin/chromium (never `playwright install`: the network is
closed). Tests skip with a reason when it is missing, unless QUYCHE_REQUIRE_BROWSER=1 (CI), in
which case they fail. Pages are served by a local http.server thread on 127.0.0.1 that stops by
itself; any request to another host is aborted and recorded, so a test can assert there was none.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_LIFETIME = 600.0  # seconds: the server shuts itself down even if a test never does
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def require_browser() -> None:
    """Skip (or, with QUYCHE_REQUIRE_BROWSER=1, fail) when chromium or Playwright is missing."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Python Playwright is not installed (pip install -e '.[docs]')"
    if missing is None:
        return
    if os.environ.get("QUYCHE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (QUYCHE_REQUIRE_BROWSER=1) but {missing}")
    pytest.skip(f"browser tests skipped: {missing}")


@contextmanager
def launch() -> Iterator[Any]:
    """A headless chromium for the whole test module."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes the connection mid-file is no failure of the page under test; its
        traceback would otherwise land in whatever stderr another test is capturing at that moment."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (ephemeral port); yield the base URL."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    timer = threading.Timer(SERVER_LIFETIME, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Watched:
    """A page with everything worth asserting on: console errors, page errors, outside requests."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname in LOCAL_HOSTS


@contextmanager
def watched_page(browser: Any, width: int = 1400, height: int = 1000) -> Iterator[Watched]:
    """A fresh page whose requests to any non-local host are aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    page = context.new_page()
    w = Watched(page)

    def route(r: Any) -> None:
        if _local(r.request.url):
            r.continue_()
        else:
            w.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: w.failed.append(r.url))
    try:
        yield w
    finally:
        context.close()
