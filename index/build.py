"""Batch ingest into an index directory: resumable, parsed in parallel, embedded in batches.

Files are read, cleaned and chunked in worker processes while this process embeds, EMBED_PAGES
pages at a time (chunks and sentences each sorted by length across documents). Every
``batch_pages`` pages the documents embedded are saved as one new segment, so a run killed at
any moment keeps every batch it saved, and a re-run skips those files (same sha256) and goes
on. Bad files are logged, skipped and reported.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from index.store import FORMAT_VERSION, IndexStore, embed_documents
from ingest.answer_units import UNITS_VERSION
from ingest.chunk import ChunkSettings
from ingest.errors import IndexLoadError, IngestError
from ingest.load import LoadedDocument, file_sha256, find_files, parse_files

logger = logging.getLogger(__name__)

BATCH_PAGES = 200  # pages saved together: one segment, and the most a kill loses
EMBED_PAGES = 40  # pages embedded together (chunks and sentences each sorted by length)
STAGES = ("read", "clean_chunk", "embed", "write")


@dataclass
class IngestReport:
    """What a batch ingest did; ``seconds`` per stage (read and clean_chunk summed over workers)."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    pages: int = 0
    texts_embedded: int = 0
    saves: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))


def default_workers() -> int:
    """Parsing processes: one core is left to the embedder, which is most of the work."""
    return max(1, (os.cpu_count() or 2) - 1)


def open_or_create(folder: Path, embedder, chunking: ChunkSettings = ChunkSettings()) -> IndexStore:
    """Load the index at ``folder`` if there is one (which clears what killed saves left), else
    start an empty one. An index of an older format is rebuilt from the files given."""
    folder = Path(folder)
    if (folder / "manifest.json").exists():
        version = IndexStore.read_manifest(folder)["format_version"]
        if version == FORMAT_VERSION:
            return IndexStore.load(folder, embedder.name, embedder.sha256)
        logger.warning("index at %s has format version %s, not %s; rebuilding it", folder, version, FORMAT_VERSION)
    return IndexStore(embedder.name, embedder.sha256, embedder.dim, chunking)


class _Batch:
    """Parsed documents waiting to be embedded and saved together."""

    def __init__(self) -> None:
        self.docs: list[LoadedDocument] = []
        self.pages = 0

    def put(self, ld: LoadedDocument) -> None:
        self.docs.append(ld)
        self.pages += len(ld.pages)


def _embed(batch: _Batch, store: IndexStore, embedder, report: IngestReport, progress: bool) -> None:
    """Embed the parsed documents waiting and add them to the store (not yet saved)."""
    if not batch.docs:
        return
    t0 = time.perf_counter()
    parts = embed_documents(batch.docs, embedder, progress)
    report.texts_embedded += sum(len(p.chunks) + sum(len(v) for v in p.sentence_vectors) for p in parts)
    report.added += store.add_embedded(parts)
    report.seconds["embed"] += time.perf_counter() - t0
    batch.docs, batch.pages = [], 0


def _save(store: IndexStore, folder: Path, report: IngestReport) -> None:
    t0 = time.perf_counter()
    store.save(folder)
    report.saves += 1
    report.seconds["write"] += time.perf_counter() - t0


def ingest_paths(
    paths: list[Path], folder: Path, embedder, progress: bool = True,
    chunking: ChunkSettings | None = None, workers: int | None = None, batch_pages: int = BATCH_PAGES,
) -> tuple[IndexStore, IngestReport]:
    """Ingest files and folders into the index at ``folder``, saving after every batch.

    A file that fails is skipped and reported; the index keeps everything it had.
    """
    if batch_pages < 1:
        raise ValueError(f"batch_pages must be at least 1, not {batch_pages}")
    folder = Path(folder)
    report = IngestReport()
    store = open_or_create(folder, embedder, chunking or ChunkSettings())
    if chunking is not None and chunking != store.chunking:
        raise IndexLoadError(f"index at {folder} was built with {store.chunking}, not {chunking}; use a new --index")
    files, missing = find_files(paths)
    report.failed.extend(missing)
    todo = []
    for path in files:
        digest = file_sha256(path)
        old = store.document_by_source(path.name)
        if old is not None and old.sha256 == digest:
            report.unchanged.append(path.name)
        else:
            todo.append((path, digest))
    if store.chunks and store.units_version != UNITS_VERSION:
        logger.info("answer sentences in %s were made by older rules; redoing them", folder)
        store.redo_sentences(embedder, progress=progress)
        store.save(folder)
    batch, start, unsaved = _Batch(), time.perf_counter(), 0
    n_workers = default_workers() if workers is None else workers
    with tqdm(total=len(todo), desc="Ingesting", unit="file", disable=not progress) as bar:
        for parsed in parse_files(todo, store.chunking, workers=n_workers if len(todo) > 1 else 0):
            for stage, sec in parsed.timings.items():
                report.seconds[stage] += sec
            if parsed.error is not None:
                logger.warning("skipped %s", parsed.error)
                report.failed.append(parsed.error)
            else:
                batch.put(parsed.loaded)
                report.pages += len(parsed.loaded.pages)
            # Embed in smaller steps than a save, so the worker parses ahead while this embeds.
            if batch.pages >= min(EMBED_PAGES, batch_pages):
                unsaved += batch.pages
                _embed(batch, store, embedder, report, progress)
            if unsaved >= batch_pages:
                _save(store, folder, report)
                unsaved = 0
            bar.update(1)
            bar.set_postfix_str(f"{report.pages / max(time.perf_counter() - start, 1e-9):.1f} pages/s")
        unsaved += batch.pages
        _embed(batch, store, embedder, report, progress)
        if unsaved:
            _save(store, folder, report)
    return store, report
