"""One real `quyche serve` for the tests: a child process on 127.0.0.1 that cannot outlive the run.

The server is started through the console entry point with `timeout 300` in front of it, so that
even a test process killed mid-run leaves no server behind; normally it is terminated as soon as
the tests using it are done.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

__all__ = ["serve_for_tests"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_for_tests(log_path: Path) -> Iterator[str]:
    """Start `quyche serve` on a free port, wait until it answers, yield its URL, stop it."""
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = "from compliance.cli import main; main()"
    command = ["timeout", "300", sys.executable, "-c", code, "serve", "--port", str(port)]
    log = log_path.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                pytest.fail("quyche serve exited: " + log_path.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.1)
        else:
            pytest.fail("quyche serve did not start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
