"""The facts the engine evaluates: what compliance must provide, described in one place.

Facts are a mapping: ``centre`` → the centre's own fields; each collection (``staff``,
``members``, ``funding`` …) and each log (``reports``, ``meetings``) → a list of records. A
record may carry two keys the rules never read: :data:`REF`, the path of the record in the input
file (``teams[0].members[3]``: evidence cites it), and :data:`LABEL`, how a reader recognises it
(a person's name and position). A key the setup does not give is unknown, never false.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CENTRE", "LABEL", "LOGS", "REF", "record_ref"]

CENTRE = "centre"
REF = "_ref"
LABEL = "_label"
LOGS = ("reports", "meetings")


def record_ref(record: Mapping[str, Any], collection: str, index: int) -> dict[str, Any]:
    """Evidence's pointer to a record: its path in the input file, and its label when it has one."""
    out: dict[str, Any] = {"record": record.get(REF) or f"{collection}[{index}]"}
    if record.get(LABEL):
        out["label"] = record[LABEL]
    return out
