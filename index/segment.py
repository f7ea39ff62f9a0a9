"""One immutable segment of the index: the documents of one save, in their own folder.

A segment holds ``documents.jsonl`` (metadata and clean pages), ``chunks.jsonl``,
``vectors.npy`` (one row per chunk), ``sentences.npy`` (chunk row in the segment, start, end)
with ``sentence_vectors.npy``, and ``terms.npz`` (each chunk's keyword counts). It is written
under a temp name, fsynced, then renamed; the manifest names it with the sha256 of each file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.dense import file_sha256
from index.files import SEGMENT_PREFIX, TEMP_PREFIX, fsync_path, fsync_tree
from index.keyword import TermCounts
from ingest.errors import IndexLoadError
from ingest.model import Chunk, Document, Page

FILES = ("documents.jsonl", "chunks.jsonl", "vectors.npy", "sentences.npy", "sentence_vectors.npy", "terms.npz")


@dataclass
class SegmentData:
    """The rows of some whole documents, aligned: chunk i has vector i, spans i and counts i."""

    documents: list[Document]
    pages: dict[str, list[Page]]
    chunks: list[Chunk]
    vectors: np.ndarray
    sentence_spans: list[list[tuple[int, int]]]
    sentence_vectors: list[np.ndarray]
    terms: TermCounts


def new_name(seq: int) -> str:
    return f"{SEGMENT_PREFIX}{seq:06d}-{uuid.uuid4().hex[:8]}"


def write_segment(folder: Path, name: str, data: SegmentData, dim: int) -> dict:
    """Write ``data`` as segment ``name`` inside ``folder``; returns its manifest entry."""
    tmp = folder / f"{TEMP_PREFIX}{name}"
    tmp.mkdir(parents=True)
    with (tmp / "documents.jsonl").open("w", encoding="utf-8") as f:
        for d in data.documents:
            row = {**d.to_dict(), "pages": [dataclasses.asdict(p) for p in data.pages[d.doc_id]]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for c in data.chunks:
            f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", np.ascontiguousarray(data.vectors, dtype=np.float32).reshape(-1, dim))
    spans = [(row, s, e) for row, ss in enumerate(data.sentence_spans) for s, e in ss]
    np.save(tmp / "sentences.npy", np.asarray(spans, dtype=np.int64).reshape(-1, 3))
    svecs = np.vstack(data.sentence_vectors) if data.sentence_vectors else np.zeros((0, dim))
    np.save(tmp / "sentence_vectors.npy", svecs.astype(np.float32).reshape(-1, dim))
    data.terms.save(tmp / "terms.npz")
    fsync_tree(tmp)
    os.rename(tmp, folder / name)
    fsync_path(folder)
    return {
        "name": name,
        "documents": [d.doc_id for d in data.documents],
        "n_chunks": len(data.chunks),
        "files": {f: file_sha256(folder / name / f) for f in FILES},
    }


def read_segment(folder: Path, entry: dict, dim: int) -> SegmentData:
    """Read a segment the manifest names, refusing one whose files do not match it."""
    where = folder / entry["name"]
    for name, digest in entry["files"].items():
        path = where / name
        if not path.is_file() or file_sha256(path) != digest:
            raise IndexLoadError(f"index at {folder} is damaged: {entry['name']}/{name} is missing or does not match the manifest")
    try:
        documents, pages = [], {}
        with (where / "documents.jsonl").open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                doc_pages = [Page(**p) for p in row.pop("pages")]
                doc = Document(**row)
                documents.append(doc)
                pages[doc.doc_id] = doc_pages
        with (where / "chunks.jsonl").open(encoding="utf-8") as f:
            chunks = [Chunk.from_dict(json.loads(line)) for line in f if line.strip()]
        vectors = np.load(where / "vectors.npy")
        spans = np.load(where / "sentences.npy")
        svecs = np.load(where / "sentence_vectors.npy")
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise IndexLoadError(f"index at {folder} is damaged ({entry['name']}: {exc.__class__.__name__}: {exc})") from exc
    if len(vectors) != len(chunks) or entry.get("n_chunks") != len(chunks):
        raise IndexLoadError(f"index at {folder} is damaged: {len(chunks)} chunks but {len(vectors)} vectors in {entry['name']}")
    if vectors.ndim != 2 or vectors.shape[1] != dim:
        raise IndexLoadError(f"index at {folder} has {vectors.shape[-1]}-dimensional vectors, manifest says {dim}")
    if len(spans) != len(svecs):
        raise IndexLoadError(f"index at {folder} is damaged: {len(spans)} sentences but {len(svecs)} sentence vectors")
    sentence_spans: list[list[tuple[int, int]]] = [[] for _ in chunks]
    for row, s, e in spans.tolist():
        sentence_spans[row].append((s, e))
    rows = spans[:, 0] if len(spans) else np.zeros(0, dtype=np.int64)
    bounds = np.searchsorted(rows, np.arange(len(chunks) + 1))
    sentence_vectors = [svecs[bounds[i]:bounds[i + 1]] for i in range(len(chunks))]
    terms = TermCounts.load(where / "terms.npz")
    if len(terms.rows) != len(chunks):
        raise IndexLoadError(f"index at {folder} is damaged: keyword counts of {entry['name']} do not match its chunks")
    return SegmentData(documents, pages, chunks, vectors, sentence_spans, sentence_vectors, terms)
