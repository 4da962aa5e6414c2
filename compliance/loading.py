"""YAML file → validated setup (plain data: SetupData), with errors that name the file, the line and the column.

The data are PyYAML's (``yaml.load(text, CSafeLoader)``, YAML 1.1). A setup is read once, by
the fast reader (compliance.yaml_reader: yaml-rs, where its data are provably PyYAML's), and
validated; only when that reader is not sure, or the setup is not valid, is it read by libyaml
(PyYAML's C loader) into a node tree that keeps each value's position, the data constructed
from that same tree, so that every problem (a pydantic error at ``staff[2].employment``, a
duplicate key) is reported at its line and column. A plainly valid setup is validated without
pydantic (compliance.setup_fast); pydantic (compliance.setup's models) is imported only to
decide the rest and to say what is wrong.

A setup file is input from anyone, so it is checked before anything costly is done with it:
its size, the nesting depth, how far aliases expand (a "billion laughs" file is a few hundred
bytes), how many records a list holds. Each limit has a default that real setups stay far below
and an environment variable to raise it. Values PyYAML cannot construct (30 February, an
integer of 5,000 digits, ``!!bool maybe``) and duplicate keys are reported at their place,
never as a traceback, and never silently (the last duplicate does not win).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from compliance.catalogue import Lang, text
from compliance.setup_fast import validated
from compliance.setup_format import SetupData
from compliance.shown import shown
from compliance.yaml_reader import fast_load, worth_reading_fast
from engine.message import Message, msg

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import ValidationError

__all__ = ["EARLIEST", "LATEST", "Limits", "Problem", "SetupError", "decode", "load_setup", "parse_setup", "read_yaml"]

# The dates quyche speaks about: from the founding of the Democratic Republic of Viet Nam to the
# end of this century. A date outside is a typo (0202-06-30, 9999-12-31), and near the calendar's
# edges time-zone arithmetic overflows; deadlines are computed up to the as-of date, so the range
# also bounds the work.
EARLIEST = date(1945, 9, 2)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class Limits:
    """How much a setup file may ask of the machine. Defaults: far above any real centre."""

    file_bytes: int = 10_000_000  # a province's largest setup is ~50 kB
    depth: int = 64  # a setup nests 5 levels deep
    alias_nodes: int = 100_000  # values that aliases may add beyond those written out
    records: int = 50_000  # items in one list (staff, reports …)

    ENV = {
        "file_bytes": "QUYCHE_MAX_FILE_BYTES",
        "depth": "QUYCHE_MAX_DEPTH",
        "alias_nodes": "QUYCHE_MAX_ALIAS_NODES",
        "records": "QUYCHE_MAX_RECORDS",
    }

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, each raised or lowered by its environment variable when set to a number."""
        values: dict[str, int] = {}
        for name, var in cls.ENV.items():
            raw = os.environ.get(var, "").strip()
            if raw.isdigit() and len(raw) < 19:
                values[name] = int(raw)
        return cls(**values)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a setup, at its place (1-based; 0 when the place is unknown)."""

    line: int
    column: int
    message: Message = field(compare=False)

    def text(self, lang: Lang) -> str:
        return text(self.message, lang)


class SetupError(Exception):
    """A setup that cannot be used: each problem with its place, in file order."""

    def __init__(self, file: str, details: list[Problem]) -> None:
        super().__init__(file)
        self.file = file
        self.details = sorted(details)

    def render(self, lang: Lang) -> str:
        """``file:line:col: message`` per problem, in the reader's language."""
        return "\n".join(_place(self.file, p.line, p.column) + p.text(lang) for p in self.details)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """``(line, message in English)`` pairs: the shape the batch report was built on (use ``details``)."""
        return [(p.line, p.text("en")) for p in self.details]

    def __str__(self) -> str:
        return self.render("vi")


def _place(file: str, line: int, column: int) -> str:
    if line and column:
        return f"{file}:{line}:{column}: "
    return f"{file}:{line}: " if line else f"{file}: "


def _problem(mark: yaml.Mark | None, kind: str, **args: Any) -> Problem:
    message = msg(f"loading.{kind}", **args)
    return Problem(mark.line + 1, mark.column + 1, message) if mark is not None else Problem(0, 0, message)


# ---------------------------------------------------------------- YAML → data

_TAG_KIND = {
    "tag:yaml.org,2002:timestamp": "bad_date",
    "tag:yaml.org,2002:bool": "bad_bool",
    "tag:yaml.org,2002:float": "bad_float",
    "tag:yaml.org,2002:int": "bad_int",
}
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.CSafeLoader):
    """Safe loader that reports unconstructable values, dates out of range and duplicate keys instead of raising."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.found: list[Problem] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.constructor.ConstructorError as exc:
            if (exc.problem or "").startswith("could not determine a constructor"):
                # A tag such as !!python/object: the safe loader never builds objects.
                self.found.append(_problem(node.start_mark, "unknown_tag", tag=shown(node.tag.replace("tag:yaml.org,2002:", "!!"))))
            else:
                self.found.append(_problem(exc.problem_mark or node.start_mark, "unconstructable", problem=shown(exc.problem or "", 120)))
        except yaml.MarkedYAMLError as exc:
            self.found.append(_problem(exc.problem_mark or node.start_mark, "unconstructable", problem=shown(exc.problem or "", 120)))
        except Exception as exc:  # noqa: BLE001 - every constructor failure is the input's fault, never ours
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            kind = _TAG_KIND.get(node.tag, "bad_value")
            if kind == "bad_int" and "digits" in str(exc):
                kind = "int_too_long"
            self.found.append(_problem(node.start_mark, kind, value=shown(value)))
        # Stand in None for the bad value, so the rest of the file is still read and checked.
        self.recursive_objects.pop(node, None)
        self.constructed_objects[node] = None
        return None

    def construct_timestamp(self, node: yaml.ScalarNode) -> Any:
        value = self.construct_yaml_timestamp(node)
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not EARLIEST <= day <= LATEST:
            self.found.append(_problem(node.start_mark, "date_out_of_range", value=shown(node.value), earliest=EARLIEST, latest=LATEST))
            return None
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if not isinstance(key, Hashable):
                    continue
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    self.found.append(_problem(key_node.start_mark, "duplicate_key", name=shown(str(key)), first=first))
                else:
                    seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v


def _check_shape(root: yaml.Node, limits: Limits) -> Problem | None:
    """Depth and list lengths in one cheap pass; a file that uses aliases gets the full measure."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    shared = False
    while stack:
        node, depth = stack.pop()
        if depth > limits.depth:
            return _problem(node.start_mark, "too_deep", limit=limits.depth, env=Limits.ENV["depth"])
        key = id(node)
        if key in seen:
            shared = True  # an alias: its expansion is measured below
            continue
        seen.add(key)
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) > limits.records:
                return _problem(node.start_mark, "too_many_records", count=len(node.value), limit=limits.records, env=Limits.ENV["records"])
            stack.extend((child, depth + 1) for child in node.value if not isinstance(child, yaml.ScalarNode))
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    stack.append((k, depth + 1))
                if not isinstance(v, yaml.ScalarNode):
                    stack.append((v, depth + 1))
    return _check_aliases(root, limits) if shared else None


def _check_aliases(root: yaml.Node, limits: Limits) -> Problem | None:
    """Depth, alias expansion and list lengths, measured on the node graph without expanding it.

    Aliases make the tree a graph whose nodes are shared: each node's expanded size and depth
    are computed once (memoised), so a billion-laughs file costs a few hundred steps here.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    written = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = list(_children(node))
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if depth[key] > limits.depth:
                return _problem(node.start_mark, "too_deep", limit=limits.depth, env=Limits.ENV["depth"])
            if size[key] - written > limits.alias_nodes:
                return _problem(node.start_mark, "alias_bomb", limit=limits.alias_nodes, env=Limits.ENV["alias_nodes"])
            continue
        if key in on_path:
            return _problem(node.start_mark, "recursive_alias")
        if key in size:
            continue
        written += 1
        if isinstance(node, yaml.SequenceNode) and len(node.value) > limits.records:
            return _problem(node.start_mark, "too_many_records", count=len(node.value), limit=limits.records, env=Limits.ENV["records"])
        if len(on_path) >= limits.depth:
            return _problem(node.start_mark, "too_deep", limit=limits.depth, env=Limits.ENV["depth"])
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
    return None


def _syntax_problem(exc: yaml.YAMLError, source: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        # The position is a character offset; count lines so the user can find it.
        before = source[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        return Problem(line, column, msg("loading.control_character", code=f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"))
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or ""
        key = _SYNTAX.get(problem.split(" (")[0].strip())
        mark = exc.problem_mark or exc.context_mark
        if key == "syntax_bad_start" and mark is not None and source[mark.index : mark.index + 1] == "\t":
            key = "syntax_tab"
        message = msg(f"loading.{key}") if key else msg("loading.malformed", problem=shown(problem, 120))
        return Problem(mark.line + 1, mark.column + 1, message) if mark else Problem(0, 0, message)
    return Problem(0, 0, msg("loading.malformed", problem=shown(str(exc), 120)))  # pragma: no cover


# libyaml's most frequent complaints, said in the reader's language (others are quoted as they are).
_SYNTAX = {
    "mapping values are not allowed in this context": "syntax_colon",
    "could not find expected ':'": "syntax_colon_missing",
    "found character that cannot start any token": "syntax_bad_start",
    "did not find expected key": "syntax_indent",
    "did not find expected '-' indicator": "syntax_indent",
    "found undefined alias": "undefined_alias",
    "exceeded maximum nesting depth": "syntax_too_deep",
    "found unexpected end of stream": "syntax_unclosed",
    "did not find expected ',' or ']'": "syntax_unclosed",
    "did not find expected ',' or '}'": "syntax_unclosed",
    "found a tab character that violates indentation": "syntax_tab",
    "found a tab character where an indentation space is expected": "syntax_tab",
    "but found another document": "syntax_two_documents",
    "expected a single document in the stream": "syntax_two_documents",
    "did not find expected <document start>": "syntax_extra_content",
    "block sequence entries are not allowed in this context": "syntax_dash",
    "did not find expected node content": "syntax_missing_value",
    "did not find expected alphabetic or numeric character": "syntax_anchor_name",
    "found unhashable key": "syntax_complex_key",
}


def read_yaml(source: str, limits: Limits | None = None) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """(data, node tree, problems): the YAML read once; problems empty when the data are usable."""
    limits = limits or Limits.from_env()
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        shape = _check_shape(node, limits)
        if shape is not None:
            return None, node, [shape]
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        return None, None, [_syntax_problem(exc, source)]
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:  # pragma: no cover - a constructor corner we did not foresee
        return None, None, [Problem(0, 0, msg("loading.bad_value", value=shown(str(exc))))]
    except RecursionError:  # pragma: no cover - the depth limit keeps the constructor far from it
        return None, None, [Problem(0, 0, msg("loading.too_deep", limit=limits.depth, env=Limits.ENV["depth"]))]
    finally:
        loader.dispose()
    return data, node, loader.found


# ---------------------------------------------------------------- data → SetupData


def _locate(node: yaml.Node | None, loc: tuple[Any, ...], at_key: bool) -> tuple[yaml.Node | None, int]:
    """The node of the value at ``loc`` (its key's node when ``at_key``), and how much of loc exists."""
    found = 0
    for i, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):  # the last of merged and explicit keys is the one used
                if isinstance(k, yaml.ScalarNode) and k.value == step:
                    node = k if at_key and i == len(loc) - 1 else v
                    break
            else:
                return node, found
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return node, found
        found += 1
    return node, found


def _validation_problems(exc: ValidationError, node: yaml.Node | None) -> list[Problem]:
    """compliance.setup_errors' messages (one per field), each at its place in the YAML."""
    from compliance.setup_errors import setup_problems

    problems: dict[tuple[Any, ...], Problem] = {}
    for loc, message in setup_problems(exc):
        at_key = message.key in ("setup.unknown_field", "setup.unknown_field_suggest")
        target, depth = _locate(node, loc, at_key=at_key)
        real = loc[: max(depth, 1)] if message.key != "setup.missing_field" else loc
        if real in problems:
            continue  # one problem per place: a value pydantic looked into is reported once, where it is
        mark = target.start_mark if target is not None else None
        problems[real] = Problem(mark.line + 1, mark.column + 1, message) if mark else Problem(0, 0, message)
    return list(problems.values())


def parse_setup(text: str, file: str = "<string>", limits: Limits | None = None) -> SetupData:
    """Validate YAML ``text`` as a setup; raise SetupError with every problem and its place."""
    limits = limits or Limits.from_env()
    if len(text) > limits.file_bytes:
        raise SetupError(file, [Problem(0, 0, msg("loading.file_too_large", size=len(text), limit=limits.file_bytes, env=Limits.ENV["file_bytes"]))])
    fast = fast_load(text, limits.depth, limits.records, EARLIEST, LATEST) if worth_reading_fast(len(text)) else None
    if fast is not None:
        plain = validated(fast)  # no pydantic for a plainly valid setup
        if plain is not None:
            return plain
        from pydantic import ValidationError

        from compliance.setup import Setup, plain_data

        try:
            return plain_data(Setup.model_validate(fast))
        except (ValidationError, RecursionError, MemoryError):
            pass  # read again, composing the positions, to say where each problem is
    data, node, problems = read_yaml(text, limits)
    if not isinstance(data, dict):
        if problems:
            raise SetupError(file, problems)
        mark = node.start_mark if node is not None else None
        raise SetupError(file, [_problem(mark, "not_a_mapping")] if mark else [Problem(1, 1, msg("loading.not_a_mapping"))])
    setup = validated(data)
    if setup is None:
        from pydantic import ValidationError

        from compliance.setup import Setup, plain_data

        try:
            setup = plain_data(Setup.model_validate(data))
        except ValidationError as exc:
            # A value that could not be read stands as None: its own problem says more than pydantic's.
            taken = {(p.line, p.column) for p in problems}
            raise SetupError(file, problems + [p for p in _validation_problems(exc, node) if (p.line, p.column) not in taken]) from None
        except (RecursionError, MemoryError):  # pragma: no cover - the shape limits keep validation bounded
            raise SetupError(file, [Problem(0, 0, msg("loading.too_deep", limit=limits.depth, env=Limits.ENV["depth"]))]) from None
    if problems:
        raise SetupError(file, problems)
    return setup


def decode(raw: bytes) -> str | Problem:
    """UTF-8 text (a byte-order mark dropped), or the problem at the first bad byte's line:col."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line_start = raw.rfind(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        return Problem(raw.count(b"\n", 0, start) + 1, column, msg("loading.not_utf8", byte=f"0x{raw[start]:02X}"))


def load_setup(path: str | Path, limits: Limits | None = None) -> SetupData:
    """Read and validate one setup file (at most ``limits.file_bytes`` are read)."""
    path = Path(path)
    limits = limits or Limits.from_env()
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.file_bytes + 1)  # a special file or a huge one: stop at the limit
    except FileNotFoundError:
        raise SetupError(str(path), [Problem(0, 0, msg("loading.no_such_file"))]) from None
    except IsADirectoryError:
        raise SetupError(str(path), [Problem(0, 0, msg("loading.is_a_folder"))]) from None
    except OSError as exc:
        raise SetupError(str(path), [Problem(0, 0, msg("loading.cannot_read", reason=exc.strerror or type(exc).__name__))]) from None
    if len(raw) > limits.file_bytes:
        raise SetupError(str(path), [Problem(0, 0, msg("loading.file_too_large_read", limit=limits.file_bytes, env=Limits.ENV["file_bytes"]))])
    decoded = decode(raw)
    if isinstance(decoded, Problem):
        raise SetupError(str(path), [decoded])
    return parse_setup(decoded, str(path), limits)
