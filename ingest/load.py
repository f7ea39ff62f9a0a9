"""One file -> a document with clean pages, blocks and chunks; a folder walk for batches."""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import ChunkSettings, TokenCounter, chunk_document
from ingest.clean import assemble, clean_pages
from ingest.errors import IngestError
from ingest.metadata import detect_kind, detect_period, guess_title
from ingest.model import Block, Chunk, Document, Page
from ingest.organisation import detect_organisation
from ingest.pdf import extract_pdf_pages
from ingest.tags import tag_chunks
from ingest.textfile import extract_text_pages

logger = logging.getLogger(__name__)

SUPPORTED = (".pdf", ".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class LoadedDocument:
    """A document with its full clean text, pages, blocks and chunks."""

    document: Document
    text: str
    pages: list[Page]
    blocks: list[Block]
    chunks: list[Chunk] = field(default_factory=list)


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name, so a changed file keeps its id."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-").lower() or "document"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_document(
    path: Path,
    count_tokens: TokenCounter | None = None,
    settings: ChunkSettings = ChunkSettings(),
    sha256: str | None = None,
    timings: dict[str, float] | None = None,
) -> LoadedDocument:
    """Read, clean and (when ``count_tokens`` is given) chunk one file.

    Raises IngestError naming the file (and page) for anything unreadable. ``timings`` gets the
    seconds spent reading ("read") and cleaning and chunking ("clean_chunk") added to it.
    """
    t0 = time.perf_counter()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(path.name, f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED)}")
    if not path.is_file():
        raise IngestError(path.name, "no such file")
    if suffix == ".pdf":
        raw_pages, meta_title = extract_pdf_pages(path)
    else:
        raw_pages, meta_title = extract_text_pages(path)
    t1 = time.perf_counter()
    markdown = suffix in (".md", ".markdown", ".html", ".htm")
    text, pages, blocks = assemble(clean_pages(raw_pages, markdown=markdown))
    if not text.strip():
        raise IngestError(path.name, "no text left after cleaning")
    title = guess_title(meta_title, text[:2000].split("\n"), path.stem)
    document = Document(
        doc_id=doc_id_for(path),
        source=path.name,
        title=title,
        period=detect_period(title, text),
        kind=detect_kind(title, text),
        sha256=sha256 or file_sha256(path),
        n_pages=len(pages),
        # the raw pages: the running header that names the body is stripped by cleaning
        organisation=detect_organisation(title, raw_pages),
    )
    chunks: list[Chunk] = []
    if count_tokens is not None:
        chunks = chunk_document(
            document.doc_id, text, blocks, pages, count_tokens, settings,
            title=document.short_title, period=document.period,
        )
        chunks = tag_chunks(chunks)
    if timings is not None:
        timings["read"] = timings.get("read", 0.0) + t1 - t0
        timings["clean_chunk"] = timings.get("clean_chunk", 0.0) + time.perf_counter() - t1
    return LoadedDocument(document, text, pages, blocks, chunks)


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand files and folders into supported files (sorted); unsupported or missing paths are errors."""
    found: list[Path] = []
    errors: list[IngestError] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        elif p.is_file():
            found.append(p)
        else:
            errors.append(IngestError(p.name, "no such file or folder"))
    return found, errors


@dataclass(frozen=True)
class Parsed:
    """One file's outcome in a batch: the document or why it failed, and the seconds it took."""

    path: Path
    loaded: LoadedDocument | None
    error: IngestError | None
    timings: dict[str, float]


def _parse(path: Path, settings: ChunkSettings, sha256: str) -> tuple[LoadedDocument | None, tuple | None, dict]:
    """Worker: load one file; an error comes back as its parts (IngestError does not pickle)."""
    from ingest.tokens import count_tokens

    timings: dict[str, float] = {}
    try:
        return load_document(path, count_tokens, settings, sha256=sha256, timings=timings), None, timings
    except IngestError as exc:
        return None, (exc.source, exc.reason, exc.page), timings
    except Exception as exc:  # an unexpected parser failure must not take down the batch
        return None, (path.name, f"could not be read ({exc.__class__.__name__}: {exc})", None), timings


def parse_files(
    files: list[tuple[Path, str]], settings: ChunkSettings, workers: int = 1, ahead: int = 8,
) -> Iterator[Parsed]:
    """Load (path, sha256) files in worker processes, yielding results in input order.

    At most ``ahead`` files per worker are read before the caller takes them, so memory stays
    bounded however long the list. ``workers`` 0 reads in this process.
    """
    if workers <= 0:
        for path, digest in files:
            loaded, err, timings = _parse(path, settings, digest)
            yield Parsed(path, loaded, IngestError(*err) if err else None, timings)
        return
    # spawn: the parent holds torch's thread pools, which a forked child must not inherit.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: deque = deque()
        todo = iter(files)
        for path, digest in itertools.islice(todo, ahead * workers):
            pending.append((path, pool.submit(_parse, path, settings, digest)))
        while pending:
            path, future = pending.popleft()
            loaded, err, timings = future.result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt[0], pool.submit(_parse, nxt[0], settings, nxt[1])))
            yield Parsed(path, loaded, IngestError(*err) if err else None, timings)
