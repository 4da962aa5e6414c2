"""One rule's verdict explained: engine.explain's data rendered through the catalogue.

The JSON shape of `quyche explain --format json`: the rule and its provenance, ``steps`` (the
trace, one ``{vi, en}`` per event), ``trace`` (the same events as data: their catalogue key, their
arguments (dates ISO, numbers exact, nested phrases ``{vi, en}``) and both renderings),
evidence, and expected, actual, message and fix as ``{vi, en}``.
"""

from __future__ import annotations

from typing import Any

from compliance.catalogue import both
from compliance.findings import plain
from engine import Program, Verdict, explain

__all__ = ["explanation"]


def explanation(program: Program, verdict: Verdict) -> dict[str, Any]:
    data = explain(program, verdict)
    out: dict[str, Any] = {k: plain(v) for k, v in data.items() if k != "trace"}
    out["summary"] = both(data["summary"]) if data["summary"] is not None else None
    out["steps"] = [both(m) for m in data["trace"]]
    out["trace"] = [{"event": m.key, "args": {k: plain(v) for k, v in m.args}, **both(m)} for m in data["trace"]]
    return out
