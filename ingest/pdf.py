"""Raw page text out of a PDF, with the failures a user can meet named plainly."""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.errors import IngestError

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 2000
MAX_PDF_BYTES = 200 * 1024 * 1024


def check_pdf_bytes(path: Path) -> None:
    """Cheap structural checks that give clearer reasons than the parser's own errors."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path.name, "the file is empty")
    if size > MAX_PDF_BYTES:
        raise IngestError(path.name, f"the file is {size // (1024 * 1024)} MB, more than the limit of {MAX_PDF_BYTES // (1024 * 1024)} MB")
    with path.open("rb") as f:
        head = f.read(1024)
        f.seek(max(0, size - 2048))
        tail = f.read()
    if b"%PDF-" not in head:
        raise IngestError(path.name, "not a PDF (no %PDF header)")
    if b"%%EOF" not in tail:
        raise IngestError(path.name, "the PDF is truncated or damaged (no %%EOF end marker)")


def extract_pdf_pages(path: Path) -> tuple[list[str], str]:
    """Return the raw text of each page and the title from the PDF metadata ("" if none)."""
    import pypdf
    from pypdf.errors import PdfReadError

    name = path.name
    check_pdf_bytes(path)
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise IngestError(name, "the PDF is encrypted; remove the password and try again")
        n_pages = len(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise IngestError(name, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    if n_pages == 0:
        raise IngestError(name, "the PDF has no pages")
    if n_pages > MAX_PDF_PAGES:
        raise IngestError(name, f"the PDF has {n_pages} pages, more than the limit of {MAX_PDF_PAGES}")
    texts: list[str] = []
    for i in range(n_pages):
        try:
            texts.append(reader.pages[i].extract_text() or "")
        except Exception as exc:  # pypdf raises many types on damaged content streams
            raise IngestError(name, f"text could not be extracted ({exc.__class__.__name__}: {exc})", page=i + 1) from exc
    if not any(t.strip() for t in texts):
        raise IngestError(name, "the PDF has no extractable text (image-only or scanned?); run OCR first")
    title = ""
    try:
        meta = reader.metadata
        if meta and meta.title:
            title = str(meta.title).strip()
    except Exception:  # metadata is optional; a broken info dict must not stop ingest
        logger.debug("no readable metadata in %s", name)
    return texts, title
