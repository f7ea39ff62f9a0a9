"""Write A4 text PDFs with a running header and a "Page N of M" footer, no dependencies.

Text is set in Helvetica (WinAnsi encoding, so curly quotes, dashes, bullets and pound signs
survive); characters outside it become "?". Deterministic: the same pages give the same bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

LINES_PER_PAGE = 46
WRAP = 92  # characters per line at 10 pt Helvetica on A4 with 50 pt margins


def _escape(s: str) -> bytes:
    """PDF string bytes (cp1252, unknown characters "?"), with \\, ( and ) escaped."""
    raw = s.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def layout(paragraphs: list[tuple[str, bool]]) -> list[list[str]]:
    """(text, is_heading) paragraphs -> pages of lines; a blank line between paragraphs, and a
    heading never left alone at the foot of a page."""
    lines: list[str] = []
    for text, heading in paragraphs:
        if lines:
            lines.append("")
        wrapped = textwrap.wrap(text, WRAP) or [""]
        if heading and LINES_PER_PAGE - len(lines) % LINES_PER_PAGE < 4:
            lines += [""] * (LINES_PER_PAGE - len(lines) % LINES_PER_PAGE)
        lines += wrapped
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]


def pdf_bytes(streams: list[bytes], title: str) -> bytes:
    """A PDF whose page i draws content stream ``streams[i]`` with Helvetica as /F1 (A4)."""
    objects: list[bytes] = []
    n = len(streams)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs, then info.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Title (" + _escape(title) + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str]], title: str, header: str) -> Path:
    """A PDF of ``pages`` (lines each), ``header`` atop every page and "Page N of M" at the foot."""
    n = len(pages)
    streams = []
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 8 Tf 50 815 Td (" + _escape(header) + b") Tj ET", b"BT /F1 10 Tf 13 TL 50 785 Td"]
        ops += [b"(" + _escape(line) + b") Tj T*" for line in lines]
        ops.append(b"ET")
        ops.append(b"BT /F1 8 Tf 270 30 Td (" + _escape(f"Page {i + 1} of {n}") + b") Tj ET")
        streams.append(b"\n".join(ops))
    path.write_bytes(pdf_bytes(streams, title))
    return path
