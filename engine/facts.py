"""The facts the engine evaluates: what compliance must provide, described in one place.

Facts are a mapping: ``centre`` → the centre's own fields; each collection (``staff``,
``members``, ``funding`` …) and each log (``reports``, ``meetings``) → a list of records. A
record may carry two keys the rules never read: :data:`REF`, the path of the record in the input
file (``teams[0].members[3]``: evidence cites it), and :data:`LABEL`, how a reader recognises it
(a person's name and position). Facts derived from the input under another name (``members``
flattened from ``teams``, ``centre.operator_duties`` from ``centre.operator.duties``) are mapped
to their input path under :data:`PATHS`. A key the setup does not give is unknown, never false.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CENTRE", "LABEL", "LOGS", "PATHS", "REF", "record_ref", "source_path"]

CENTRE = "centre"
REF = "_ref"
LABEL = "_label"
LOGS = ("reports", "meetings")
PATHS = "_paths"


def record_ref(record: Mapping[str, Any], collection: str, index: int) -> dict[str, Any]:
    """Evidence's pointer to a record: its path in the input file, and its label when it has one."""
    out: dict[str, Any] = {"record": record.get(REF) or f"{collection}[{index}]"}
    if record.get(LABEL):
        out["label"] = record[LABEL]
    return out


def source_path(facts: Mapping[str, Any], path: str) -> str:
    """The input file's path for a fact or collection the evidence names (itself unless mapped)."""
    paths = facts.get(PATHS)
    if isinstance(paths, Mapping):
        return str(paths.get(path, path))
    return path
