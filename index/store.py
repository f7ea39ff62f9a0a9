"""The index on disk: one directory, written atomically, refused when it does not match.

Layout: ``manifest.json`` (format version, model name and weight hash, dimensions, chunking
settings, per-document content hash, and the sha256 of every data file), ``vectors.faiss``,
``chunks.jsonl``, ``documents.jsonl`` (metadata and clean pages), ``sentences.npy`` and
``sentence_vectors.npy`` (each chunk's candidate answer sentences, embedded) and ``bm25/``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from index.dense import DenseIndex, file_sha256
from index.keyword import KeywordIndex
from ingest.answer_units import UNITS_VERSION, follows_intro, sentence_spans_of
from ingest.chunk import ChunkSettings
from ingest.clean import PAGE_SEPARATOR
from ingest.errors import IndexLoadError
from ingest.load import LoadedDocument
from ingest.model import Chunk, Document, Page

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2


def embedding_text(chunk: Chunk) -> str:
    """What the embedder reads for a chunk: its section title, then its text."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section and not chunk.text.startswith(chunk.section) else chunk.text


def _sentences(chunks: list[Chunk], embedder, progress: bool) -> tuple[list[list[tuple[int, int]]], list[np.ndarray]]:
    """Each chunk's answer-sentence spans and their vectors (chunks of a document in order)."""
    spans = [sentence_spans_of(c, follows_intro(chunks[i - 1] if i else None, c)) for i, c in enumerate(chunks)]
    flat = [c.text[s - c.char_start:e - c.char_start] for c, sp in zip(chunks, spans) for s, e in sp]
    flat_vecs = embedder.encode(flat, progress=progress)
    vectors, k = [], 0
    for sp in spans:
        vectors.append(flat_vecs[k:k + len(sp)])
        k += len(sp)
    return spans, vectors


class IndexStore:
    """Documents, pages, chunks and both indexes, kept aligned row for row."""

    def __init__(self, model_name: str, model_sha256: str, dim: int, chunking: ChunkSettings) -> None:
        self.model_name = model_name
        self.model_sha256 = model_sha256
        self.dim = dim
        self.chunking = chunking
        self.documents: dict[str, Document] = {}
        self.pages: dict[str, list[Page]] = {}
        self.chunks: list[Chunk] = []
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        # Per chunk: its candidate answer sentences (document spans) and their vectors.
        self.sentence_spans: list[list[tuple[int, int]]] = []
        self.sentence_vectors: list[np.ndarray] = []
        self.units_version = UNITS_VERSION  # the answer-sentence rules the spans were made by
        self._refresh()

    # ---- state -------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.dense = DenseIndex(self.vectors)
        self.keyword = KeywordIndex([c.text for c in self.chunks])
        self.by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._texts: dict[str, str] = {}

    def document_text_span(self, row: int, start: int, end: int) -> str:
        """Text of a document span that lies inside chunk ``row``."""
        c = self.chunks[row]
        return c.text[start - c.char_start:end - c.char_start]

    def document_text(self, doc_id: str, start: int, end: int) -> str:
        """Text of any span of a document, across chunks and pages (joined as
        ``ingest.clean.assemble`` lays them out)."""
        if doc_id not in self._texts:
            self._texts[doc_id] = PAGE_SEPARATOR.join(p.text for p in self.pages.get(doc_id, []))
        return self._texts[doc_id][start:end]

    def document_by_source(self, source: str) -> Document | None:
        return next((d for d in self.documents.values() if d.source == source), None)

    def add(self, loaded: list[LoadedDocument], embedder, progress: bool = False) -> list[str]:
        """Add or replace documents (matched by source file name); returns the sources changed.

        An unchanged file (same sha256) is skipped. Vectors of kept chunks are reused.
        """
        todo = []
        for ld in loaded:
            old = self.document_by_source(ld.document.source)
            if old is not None and old.sha256 == ld.document.sha256:
                logger.info("%s is unchanged; skipped", ld.document.source)
                continue
            todo.append(ld)
        if not todo:
            return []
        if embedder.dim != self.dim:
            raise IndexLoadError(f"embedder has {embedder.dim} dimensions, the index {self.dim}")
        new_chunks = [c for ld in todo for c in ld.chunks]
        new_vecs = embedder.encode([embedding_text(c) for c in new_chunks], progress=progress)
        new_spans, new_svecs = _sentences(new_chunks, embedder, progress)
        replaced = {ld.document.doc_id for ld in todo} | {
            d.doc_id for ld in todo if (d := self.document_by_source(ld.document.source))
        }
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id not in replaced]
        self.chunks = [self.chunks[i] for i in keep] + new_chunks
        self.vectors = np.vstack([self.vectors[keep], new_vecs]).astype(np.float32)
        self.sentence_spans = [self.sentence_spans[i] for i in keep] + new_spans
        self.sentence_vectors = [self.sentence_vectors[i] for i in keep] + new_svecs
        for doc_id in replaced:
            self.documents.pop(doc_id, None)
            self.pages.pop(doc_id, None)
        for ld in todo:
            self.documents[ld.document.doc_id] = ld.document
            self.pages[ld.document.doc_id] = ld.pages
        self._refresh()
        return [ld.document.source for ld in todo]

    def redo_sentences(self, embedder, progress: bool = False) -> None:
        """Split and embed every chunk's answer sentences again, by this version's rules."""
        self.sentence_spans, self.sentence_vectors = _sentences(self.chunks, embedder, progress)
        self.units_version = UNITS_VERSION
        self.chunks = list(self.chunks)  # a new list, so caches kept per chunk list are dropped
        self._refresh()

    def remove(self, source: str) -> Document:
        """Take a document out by its source file name (or doc id)."""
        doc = self.document_by_source(source) or self.documents.get(source)
        if doc is None:
            known = ", ".join(sorted(d.source for d in self.documents.values())) or "none"
            raise KeyError(f"no document '{source}' in the index (indexed: {known})")
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id != doc.doc_id]
        self.chunks = [self.chunks[i] for i in keep]
        self.vectors = self.vectors[keep]
        self.sentence_spans = [self.sentence_spans[i] for i in keep]
        self.sentence_vectors = [self.sentence_vectors[i] for i in keep]
        del self.documents[doc.doc_id]
        self.pages.pop(doc.doc_id, None)
        self._refresh()
        return doc

    # ---- disk --------------------------------------------------------------------------
    def manifest(self) -> dict:
        docs = sorted(self.documents.values(), key=lambda d: d.source)
        return {
            "format_version": FORMAT_VERSION,
            "model": {"name": self.model_name, "sha256": self.model_sha256, "dim": self.dim},
            "chunking": dataclasses.asdict(self.chunking),
            "answer_units": self.units_version,
            "documents": {d.source: d.sha256 for d in docs},
            "n_chunks": len(self.chunks),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def save(self, folder: Path) -> None:
        """Write everything to a temp dir beside ``folder``, then swap it in with os.replace."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}_part-", dir=folder.parent))
        try:
            with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
                for c in self.chunks:
                    f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            with (tmp / "documents.jsonl").open("w", encoding="utf-8") as f:
                for d in self.documents.values():
                    row = {**d.to_dict(), "pages": [dataclasses.asdict(p) for p in self.pages[d.doc_id]]}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.dense.save(tmp / "vectors.faiss")
            spans = [(row, s, e) for row, ss in enumerate(self.sentence_spans) for s, e in ss]
            np.save(tmp / "sentences.npy", np.asarray(spans, dtype=np.int64).reshape(-1, 3))
            svecs = np.vstack(self.sentence_vectors) if self.sentence_vectors else np.zeros((0, self.dim))
            np.save(tmp / "sentence_vectors.npy", svecs.astype(np.float32))
            self.keyword.save(tmp / "bm25")
            manifest = self.manifest()
            manifest["files"] = {
                name: file_sha256(tmp / name) for name in ("chunks.jsonl", "documents.jsonl", "vectors.faiss", "sentences.npy", "sentence_vectors.npy")
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            old = None
            if folder.exists():
                old = folder.with_name(f".{folder.name}_old-{os.getpid()}-{time.time_ns()}")
                os.replace(folder, old)
            os.replace(tmp, folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path, model_name: str | None = None, model_sha256: str | None = None) -> "IndexStore":
        """Load an index, refusing a damaged one or one built with another model or format."""
        folder = Path(folder)
        mpath = folder / "manifest.json"
        if not mpath.is_file():
            raise IndexLoadError(f"no index at {folder} (manifest.json missing); run 'reportqa ingest' first")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
            version = manifest["format_version"]
            model = manifest["model"]
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexLoadError(f"{mpath} is damaged ({exc.__class__.__name__}: {exc})") from exc
        if version != FORMAT_VERSION:
            raise IndexLoadError(f"index at {folder} has format version {version}, this reportqa reads {FORMAT_VERSION}; re-run ingest")
        if model_name and model.get("name") != model_name:
            raise IndexLoadError(f"index at {folder} was built with model {model.get('name')}, not {model_name}; re-run ingest")
        if model_sha256 and model.get("sha256") != model_sha256:
            raise IndexLoadError(f"index at {folder} was built with other model weights (sha256 {str(model.get('sha256'))[:12]}…); re-run ingest")
        for name, digest in manifest.get("files", {}).items():
            path = folder / name
            if not path.is_file() or file_sha256(path) != digest:
                raise IndexLoadError(f"index at {folder} is damaged: {name} is missing or does not match the manifest")
        try:
            chunking = ChunkSettings(**manifest["chunking"])
            store = cls(model["name"], model["sha256"], int(model["dim"]), chunking)
            with (folder / "chunks.jsonl").open(encoding="utf-8") as f:
                chunks = [Chunk.from_dict(json.loads(line)) for line in f if line.strip()]
            with (folder / "documents.jsonl").open(encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    pages = [Page(**p) for p in row.pop("pages")]
                    doc = Document(**row)
                    store.documents[doc.doc_id] = doc
                    store.pages[doc.doc_id] = pages
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexLoadError(f"index at {folder} is damaged ({exc.__class__.__name__}: {exc})") from exc
        dense = DenseIndex.load(folder / "vectors.faiss")
        if len(dense) != len(chunks) or manifest.get("n_chunks") != len(chunks):
            raise IndexLoadError(f"index at {folder} is damaged: {len(chunks)} chunks but {len(dense)} vectors")
        if dense.dim != store.dim:
            raise IndexLoadError(f"index at {folder} has {dense.dim}-dimensional vectors, manifest says {store.dim}")
        try:
            spans = np.load(folder / "sentences.npy")
            svecs = np.load(folder / "sentence_vectors.npy")
        except (OSError, ValueError) as exc:
            raise IndexLoadError(f"index at {folder} is damaged: sentence arrays unreadable ({exc})") from exc
        if len(spans) != len(svecs):
            raise IndexLoadError(f"index at {folder} is damaged: {len(spans)} sentences but {len(svecs)} sentence vectors")
        store.sentence_spans = [[] for _ in chunks]
        rows = spans[:, 0] if len(spans) else np.zeros(0, dtype=np.int64)
        for row, s, e in spans.tolist():
            store.sentence_spans[row].append((s, e))
        bounds = np.searchsorted(rows, np.arange(len(chunks) + 1))
        store.sentence_vectors = [svecs[bounds[i]:bounds[i + 1]] for i in range(len(chunks))]
        store.units_version = manifest.get("answer_units", 1)
        store.chunks = chunks
        store.vectors = dense.vectors
        store.dense = dense
        store.keyword = KeywordIndex.load(folder / "bm25", len(chunks))
        store.by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        return store

    def manifest_hash(self) -> str:
        """Short hash of the content the index holds (documents, chunking, model)."""
        m = self.manifest()
        m.pop("created")
        return hashlib.sha256(json.dumps(m, sort_keys=True).encode()).hexdigest()[:12]
