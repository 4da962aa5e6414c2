"""`quyche review`: a draft's text (drafting checks) and an encoded document (claims, citations,
draft against enactment, what the program knows), as one report in text, JSON or SARIF 2.1.0.

Modules: :mod:`text` (a text file → findings of the check shape, with file line and column),
:mod:`encoded` (a document of the rule program → findings), :mod:`facts` (pilot without end,
duties without cadence, reorganisation as of the review date), :mod:`sarif`, :mod:`render`.
"""

from compliance.review.encoded import CHECKS, ReviewInputError, exit_code, load_for_review, render_review, review
from compliance.review.sarif import to_sarif
from compliance.review.text import review_text

__all__ = ["CHECKS", "ReviewInputError", "exit_code", "load_for_review", "render_review", "review", "review_text", "to_sarif"]
