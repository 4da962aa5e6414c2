"""quyche compliance: centre setups, checks, reviews, audits, reports and the command line.

Builds on :mod:`engine`; the engine never imports from here.
"""

from compliance.explanation import explanation
from compliance.findings import exit_code, finding, report
from compliance.loading import SetupError, load_setup, parse_setup
from compliance.receipt import receipt
from compliance.regulations import bundled_program, load_regulations, regulations_dir
from compliance.setup import Setup, to_facts, vocabulary

__all__ = [
    "Setup",
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
