"""Batch ingest into an index directory: bad files are logged, skipped and reported."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from index.store import IndexStore
from ingest.answer_units import UNITS_VERSION
from ingest.chunk import ChunkSettings
from ingest.errors import IndexLoadError, IngestError
from ingest.load import find_files, file_sha256, load_document
from ingest.tokens import count_tokens

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What a batch ingest did."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)


def open_or_create(folder: Path, embedder, chunking: ChunkSettings = ChunkSettings()) -> IndexStore:
    """Load the index at ``folder`` if there is one, else start an empty one."""
    if (Path(folder) / "manifest.json").exists():
        return IndexStore.load(folder, embedder.name, embedder.sha256)
    return IndexStore(embedder.name, embedder.sha256, embedder.dim, chunking)


def ingest_paths(
    paths: list[Path], folder: Path, embedder, progress: bool = True,
    chunking: ChunkSettings | None = None,
) -> tuple[IndexStore, IngestReport]:
    """Ingest files and folders into the index at ``folder`` and save it atomically.

    A file that fails is skipped and reported; the index keeps everything it had.
    """
    report = IngestReport()
    store = open_or_create(folder, embedder, chunking or ChunkSettings())
    if chunking is not None and chunking != store.chunking:
        raise IndexLoadError(f"index at {folder} was built with {store.chunking}, not {chunking}; use a new --index")
    files, missing = find_files(paths)
    report.failed.extend(missing)
    loaded = []
    for path in tqdm(files, desc="Reading", unit="file", disable=not progress):
        digest = file_sha256(path)
        old = store.document_by_source(path.name)
        if old is not None and old.sha256 == digest:
            report.unchanged.append(path.name)
            continue
        try:
            loaded.append(load_document(path, count_tokens, store.chunking, sha256=digest))
        except IngestError as exc:
            logger.warning("skipped %s", exc)
            report.failed.append(exc)
        except Exception as exc:  # an unexpected parser failure must not take down the batch
            err = IngestError(path.name, f"could not be read ({exc.__class__.__name__}: {exc})")
            logger.warning("skipped %s", err)
            report.failed.append(err)
    stale = bool(store.chunks) and store.units_version != UNITS_VERSION
    if stale:
        logger.info("answer sentences in %s were made by older rules; redoing them", folder)
        store.redo_sentences(embedder, progress=progress)
    if loaded:
        report.added = store.add(loaded, embedder, progress=progress)
    if loaded or stale:
        store.save(folder)
    return store, report
