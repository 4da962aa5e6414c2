"""quyche compliance: centre setups, checks, reviews, audits, reports and the command line.

Builds on :mod:`engine`; the engine never imports from here. The names below are imported on
first use, so that a command imports only the modules it needs (``quyche check`` starts fast).
"""

from __future__ import annotations

import importlib
import sys
import types
import typing

if typing.TYPE_CHECKING:  # pragma: no cover
    from compliance.explanation import explanation
    from compliance.findings import exit_code, finding, report
    from compliance.loading import SetupError, load_setup, parse_setup
    from compliance.receipt import receipt
    from compliance.regulations import bundled_program, load_regulations, regulations_dir
    from compliance.setup import Setup
    from compliance.setup_facts import to_facts, vocabulary
    from compliance.setup_format import SetupData

_WHERE = {
    "Setup": "compliance.setup",
    "SetupData": "compliance.setup_format",
    "SetupError": "compliance.loading",
    "bundled_program": "compliance.regulations",
    "exit_code": "compliance.findings",
    "explanation": "compliance.explanation",
    "finding": "compliance.findings",
    "load_regulations": "compliance.regulations",
    "load_setup": "compliance.loading",
    "parse_setup": "compliance.loading",
    "receipt": "compliance.receipt",
    "regulations_dir": "compliance.regulations",
    "report": "compliance.findings",
    "to_facts": "compliance.setup_facts",
    "vocabulary": "compliance.setup_facts",
}

__all__ = [
    "Setup",
    "SetupData",
    "SetupError",
    "bundled_program",
    "exit_code",
    "explanation",
    "finding",
    "load_regulations",
    "load_setup",
    "parse_setup",
    "receipt",
    "regulations_dir",
    "report",
    "to_facts",
    "vocabulary",
]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'compliance' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # looked up once
    return value


class _Package(types.ModuleType):
    """``compliance.explanation`` and ``compliance.receipt`` are the functions, as they always were,
    though modules of the same names exist: importing such a module does not rebind the name."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == f"{__name__}.{name}":
            return  # the import system binding the submodule; __getattr__ gives the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
