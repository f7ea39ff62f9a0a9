"""Write tiny real PDFs for tests: text lines per page in Helvetica, no header or footer."""

from __future__ import annotations

from pathlib import Path

from evals.pdfwrite import _escape, pdf_bytes


def make_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """A PDF whose page i shows ``pages[i]`` one line each, top to bottom."""
    streams = [b"\n".join([b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td", *(b"(" + _escape(line) + b") Tj T*" for line in lines),
                           b"ET"]) for lines in pages]
    path.write_bytes(pdf_bytes(streams, title))
    return path
