"""Drafting checks on a parsed legal document: each returns findings with locator and place.

One module per family: numbering and titles (:mod:`structure`), internal references
(:mod:`references`), citations (:mod:`citations`), unit words (:mod:`units`), placeholders
and typos (:mod:`wording`, with the syllable validator in :mod:`syllables`), pilots and
cadences (:mod:`duties`), table and prose arithmetic (:mod:`figures`).
"""

from compliance.drafting.finding import FAMILIES, Finding
from compliance.drafting.run import Context, run_checks

__all__ = ["FAMILIES", "Context", "Finding", "run_checks"]
