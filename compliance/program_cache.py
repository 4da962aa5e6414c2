"""The checked Program as a data file: versioned, checksummed, verified on load, never executed.

Why not pickle: loading a pickle from a user-writable folder runs whatever code it names, and a
corrupted one may load as a different program. This format is JSON (the standard library's C
decoder) describing a flat table of nodes, one per dataclass instance of the engine (engine.ast,
engine.program, engine.diagnostics). It is written by walking dataclass fields generically, so a
field added to the AST is cached without any change here; a class that is not a dataclass of
those modules cannot be named in the file, and no code is looked up by name outside them.

File layout::

    QUYCHE-PROGRAM <format version>\\n
    {"key": <cache key>, "sha256": <hex of payload>, "bytes": <payload length>}\\n
    <payload: JSON {"root": i, "classes": [[class, [field, ...]], ...], "nodes": [[c, [value, ...]], ...]}>

Each class is named once with its fields in order (checked once against the code's), and a node
is its class's index and its values in that order: field names are not repeated 2,800 times,
and reading a node is a zip, not a dictionary (format 2). The table is flat (children before
parents, each object once): a regulation with 400 nested ``not`` is 400 rows, not 400 levels of nesting: neither writing nor reading recurses deeply.
Values: JSON null/bool/int/float/str as themselves, everything else a tagged list:
``["N", i]`` node i, ``["T", ...]`` tuple, ``["L", ...]`` list, ``["S", ...]`` frozenset,
``["M", [k, v], ...]`` dict, ``["D", "1.5"]`` Decimal, ``["d", "2024-01-01"]`` date,
``["t", "08:00:00"]`` time.

Any problem on load (bad magic, other version or key, wrong length or checksum, malformed JSON,
unknown class or field, wrong value shape) raises :class:`CacheError`: the caller treats that
as "no cache" and rebuilds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from datetime import date, time
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import Any

__all__ = ["CacheError", "FORMAT_VERSION", "dumps", "loads"]

FORMAT_VERSION = 2
_MAGIC = b"QUYCHE-PROGRAM %d\n" % FORMAT_VERSION
_MODULES = ("engine.ast", "engine.program", "engine.diagnostics")


class CacheError(Exception):
    """The file is not a usable cache of this program (any reason): rebuild."""


def _classes() -> dict[str, type]:
    """Every dataclass defined in the engine modules whose objects a Program holds."""
    found: dict[str, type] = {}
    for name in _MODULES:
        module: ModuleType = sys.modules.get(name) or __import__(name, fromlist=["_"])
        for attr in vars(module).values():
            if isinstance(attr, type) and dataclasses.is_dataclass(attr) and attr.__module__ == name:
                found[f"{name.rsplit('.', 1)[1]}.{attr.__qualname__}"] = attr
    return found


# ---------------------------------------------------------------- writing
def _children(value: Any, out: list[Any]) -> None:
    """Dataclass instances inside ``value`` (through tuples, lists, sets and dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(value)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _children(item, out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _children(k, out)
            _children(v, out)


def _encode(value: Any, index: dict[int, int]) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CacheError("non-finite float")
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ["N", index[id(value)]]
    if isinstance(value, tuple):
        return ["T", *(_encode(v, index) for v in value)]
    if isinstance(value, list):
        return ["L", *(_encode(v, index) for v in value)]
    if isinstance(value, (frozenset, set)):
        items = [_encode(v, index) for v in value]
        return ["S", *sorted(items, key=lambda x: json.dumps(x, sort_keys=True))]  # deterministic bytes
    if isinstance(value, dict):
        return ["M", *([_encode(k, index), _encode(v, index)] for k, v in value.items())]
    if isinstance(value, Decimal):
        return ["D", str(value)]
    if isinstance(value, date):  # datetime is not used by the engine's data; a date is a date
        if type(value) is not date:
            raise CacheError(f"unsupported value type {type(value).__name__}")
        return ["d", value.isoformat()]
    if isinstance(value, time):
        return ["t", value.isoformat()]
    raise CacheError(f"unsupported value type {type(value).__name__}")


def dumps(program: object, key: str) -> bytes:
    """``program`` (a dataclass tree) as cache-file bytes; CacheError if it holds anything else."""
    names = {cls: name for name, cls in _classes().items()}
    class_index: dict[type, int] = {}
    index: dict[int, int] = {}
    nodes: list[Any] = []
    alive: list[object] = []  # keep every visited object alive so that id() stays unique
    in_progress: set[int] = set()
    stack: list[tuple[object, bool]] = [(program, False)]
    while stack:
        obj, ready = stack.pop()
        if id(obj) in index:
            continue
        if not ready:
            if id(obj) in in_progress:
                raise CacheError("a cycle between objects")
            if type(obj) not in names:
                raise CacheError(f"{type(obj).__module__}.{type(obj).__qualname__} is not an engine dataclass")
            in_progress.add(id(obj))
            alive.append(obj)
            stack.append((obj, True))
            kids: list[Any] = []
            for f in dataclasses.fields(obj):  # type: ignore[arg-type]
                _children(getattr(obj, f.name), kids)
            stack.extend((kid, False) for kid in reversed(kids) if id(kid) not in index)
            continue
        in_progress.discard(id(obj))
        values = [_encode(getattr(obj, f.name), index) for f in dataclasses.fields(obj)]  # type: ignore[arg-type]
        index[id(obj)] = len(nodes)
        nodes.append([class_index.setdefault(type(obj), len(class_index)), values])
    classes = [[names[cls], [f.name for f in dataclasses.fields(cls)]] for cls in class_index]
    body = {"root": index[id(program)], "classes": classes, "nodes": nodes}
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest(), "bytes": len(payload)}, sort_keys=True).encode("ascii")
    return _MAGIC + header + b"\n" + payload


# ---------------------------------------------------------------- reading
_PLAIN = (type(None), bool, int, float, str)


def _decode(value: Any, nodes: list[Any]) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is not list or not value or type(value[0]) is not str:
        raise CacheError("malformed value")
    tag = value[0]
    if tag == "N":  # most values: a reference to a node read before
        if len(value) != 2 or type(value[1]) is not int or not 0 <= value[1] < len(nodes):
            raise CacheError("reference to a node not yet read")
        return nodes[value[1]]
    if tag == "T":
        return tuple([_decode(v, nodes) for v in value[1:]])
    if tag == "L":
        return [_decode(v, nodes) for v in value[1:]]
    if tag == "S":
        return frozenset([_decode(v, nodes) for v in value[1:]])
    if tag == "M":
        out = {}
        for pair in value[1:]:
            if type(pair) is not list or len(pair) != 2:
                raise CacheError("malformed mapping")
            out[_decode(pair[0], nodes)] = _decode(pair[1], nodes)
        return out
    if len(value) != 2 or type(value[1]) is not str:
        raise CacheError("malformed scalar")
    try:
        if tag == "D":
            return Decimal(value[1])
        if tag == "d":
            return date.fromisoformat(value[1])
        if tag == "t":
            return time.fromisoformat(value[1])
    except (ValueError, InvalidOperation) as exc:
        raise CacheError(f"malformed {tag}: {exc}") from None
    raise CacheError(f"unknown tag {tag!r}")


class _Plan:
    """How to rebuild instances of one class from its values in field order, and whether __init__ can be skipped."""

    def __init__(self, cls: type, written: Any) -> None:
        fields = dataclasses.fields(cls)
        self.cls = cls
        self.names = tuple(f.name for f in fields)
        if written != list(self.names):
            raise CacheError(f"{cls.__qualname__}: fields differ from the code's")
        self.init = frozenset(f.name for f in fields if f.init)
        # A plain (possibly frozen) dataclass: set the fields directly, as __init__ would (much faster).
        self.direct = not hasattr(cls, "__post_init__") and "__slots__" not in vars(cls) and len(self.init) == len(self.names)

    def build(self, values: list[Any]) -> object:
        if len(values) != len(self.names):
            raise CacheError(f"{self.cls.__qualname__}: fields differ from the code's")
        if self.direct:
            obj: Any = object.__new__(self.cls)
            obj.__dict__.update(zip(self.names, values, strict=True))
            return obj
        obj = self.cls(**{k: v for k, v in zip(self.names, values, strict=True) if k in self.init})
        for k, v in zip(self.names, values, strict=True):
            if k not in self.init:
                object.__setattr__(obj, k, v)
        return obj


def loads(data: bytes, key: str) -> Any:
    """The object written by :func:`dumps` with the same ``key``; CacheError on any problem."""
    if not data.startswith(_MAGIC):
        raise CacheError("not a quyche program cache of this format version")
    end = data.find(b"\n", len(_MAGIC))
    if end < 0:
        raise CacheError("truncated header")
    try:
        header = json.loads(data[len(_MAGIC) : end])
    except (ValueError, UnicodeDecodeError) as exc:
        raise CacheError(f"malformed header: {exc}") from None
    payload = data[end + 1 :]
    if not isinstance(header, dict) or header.get("key") != key:
        raise CacheError("cache of another program")
    if header.get("bytes") != len(payload) or header.get("sha256") != hashlib.sha256(payload).hexdigest():
        raise CacheError("checksum mismatch (truncated or altered)")
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CacheError(f"malformed payload: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("nodes"), list) or type(body.get("root")) is not int:
        raise CacheError("malformed payload")
    nodes: list[Any] = []
    try:
        plans = _plans(body.get("classes"))
        for row in body["nodes"]:
            if type(row) is not list or len(row) != 2 or type(row[0]) is not int or type(row[1]) is not list or not 0 <= row[0] < len(plans):
                raise CacheError("malformed node")
            nodes.append(plans[row[0]].build([value if type(value) in _PLAIN else _decode(value, nodes) for value in row[1]]))
        return nodes[body["root"]]
    except CacheError:
        raise
    except (TypeError, ValueError, IndexError, RecursionError, AttributeError) as exc:  # a value the class refuses
        raise CacheError(f"malformed node: {type(exc).__name__}") from None


def _plans(table: Any) -> list[_Plan]:
    """The classes the file names, each one the engine defines, with the fields the code has."""
    known = _classes()
    if type(table) is not list:
        raise CacheError("malformed class table")
    plans: list[_Plan] = []
    for entry in table:
        if type(entry) is not list or len(entry) != 2 or entry[0] not in known:
            raise CacheError("malformed class table")
        plans.append(_Plan(known[entry[0]], entry[1]))
    return plans
