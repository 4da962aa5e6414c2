"""Vietnamese legal documents as text → a typed tree with locators and file positions.

Reads plain text, Markdown and .docx (python-docx) as extracted from official documents, with
their noise (page numbers, broken lines, Markdown bold, ``<b>`` tags, tab tables, footnote
markers), and builds the heading block, the căn cứ list, Phần / Chương / Mục / Điều / khoản /
điểm, tables, footnotes, Nơi nhận and the signature. Every node keeps its locator
("Điều 6 khoản 7 (lần 2)") and its line span, and every paragraph maps each character back to
the file's line and column, so a finding points at the place in the reviewed file.
"""

from compliance.legaldoc.model import Citation, Heading, LegalDocument, Node, Paragraph, Position, Table
from compliance.legaldoc.parser import parse
from compliance.legaldoc.readers import DocumentInputError, read_document

__all__ = ["Citation", "DocumentInputError", "Heading", "LegalDocument", "Node", "Paragraph", "Position", "Table", "parse", "read_document"]
