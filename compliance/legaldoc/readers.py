"""Files → text: plain text and Markdown as they are, .docx through python-docx, ``-`` from stdin."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from engine.text import nfc

__all__ = ["SUFFIXES", "DocumentInputError", "read_document"]

SUFFIXES = (".txt", ".md", ".markdown", ".docx")


class DocumentInputError(Exception):
    """The file cannot be read as a document; ``key`` and ``args`` name the catalogue message."""

    def __init__(self, key: str, **args: str) -> None:
        super().__init__(key, args)
        self.key = key
        self.args_ = args


def _docx_text(path: Path) -> str:
    """Paragraphs and tables in document order; table cells joined by tabs, one row a line."""
    import docx  # python-docx, imported on first use
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
    return "\n".join(lines)


def read_document(target: str) -> tuple[str, str]:
    """(name shown in findings, text) of a .txt/.md/.docx file or of stdin (``-``)."""
    if target == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        return "-", _decode(data, "-")
    path = Path(target)
    if not path.is_file():
        raise DocumentInputError("review.input.missing", file=target)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentInputError("review.input.suffix", file=target, suffixes=", ".join(SUFFIXES))
    if suffix == ".docx":
        from docx.opc.exceptions import PackageNotFoundError

        try:
            return target, nfc(_docx_text(path))
        except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as err:
            raise DocumentInputError("review.input.docx", file=target, reason=type(err).__name__) from None
    return target, _decode(path.read_bytes(), target)


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise DocumentInputError("review.input.binary", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentInputError("review.input.encoding", file=name, offset=str(err.start)) from None
    if not text.strip():
        raise DocumentInputError("review.input.empty", file=name)
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
