"""The index on disk: a folder of immutable segments named by one manifest, swapped atomically.

Layout: ``manifest.json`` (format version, model name and weight hash, dimensions, chunking
settings, per-document content hash, and the segments with the sha256 of each of their files)
and one ``seg-*`` folder per save that added documents (index.segment). A save writes only new
segments, so adding a report costs that report, not the index. The manifest is the pointer:
it is written to a temp file, fsynced and renamed over the old one, so the folder always holds
one whole index, the old or the new; segments the new manifest no longer names are deleted
after the swap, and whatever a killed save left is deleted by the next writer (index.files).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from pathlib import Path

import numpy as np

from index.dense import DenseIndex
from index.files import remove_leftovers, write_durably, writer_lock
from index.keyword import KeywordIndex, TermCounts
from index.learning_file import load_learning, save_learning
from index.segment import SegmentData, new_name, read_segment, write_segment
from ingest.answer_units import UNITS_VERSION, follows_intro, sentence_spans_of
from ingest.chunk import ChunkSettings
from ingest.clean import PAGE_SEPARATOR
from ingest.errors import IndexLoadError
from ingest.load import LoadedDocument
from ingest.model import Chunk, Document, Page

logger = logging.getLogger(__name__)

# 4: numbered section headings in sentence case are headings, not the first words of a paragraph;
# a table line set apart like a heading names no section.
# 5: a hyphen at a line end before a capital or after a compound's second hyphen is kept
# ("Non-Mobile", "face-to-face").
# 6: a "name, role" line (a signature, a table of members) is no heading.
# 7: other partnerships' periods, kinds, titles and organisations are read in more of the forms
# reports write them (docs/metadata.md); an index read by the old rules is rebuilt.
FORMAT_VERSION = 7


def embedding_text(chunk: Chunk) -> str:
    """What the embedder reads for a chunk: its section title, then its text."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section and not chunk.text.startswith(chunk.section) else chunk.text


def sentence_texts(chunks: list[Chunk]) -> tuple[list[list[tuple[int, int]]], list[str]]:
    """Each chunk's answer-sentence spans (chunks of a document in order) and their texts, flat."""
    spans = [sentence_spans_of(c, follows_intro(chunks[i - 1] if i else None, c)) for i, c in enumerate(chunks)]
    flat = [c.text[s - c.char_start:e - c.char_start] for c, sp in zip(chunks, spans) for s, e in sp]
    return spans, flat


def split_rows(flat_vecs: np.ndarray, spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
    """Flat sentence vectors cut back into one array per chunk."""
    out, k = [], 0
    for sp in spans:
        out.append(flat_vecs[k:k + len(sp)])
        k += len(sp)
    return out


def embed_documents(loaded: list[LoadedDocument], embedder, progress: bool = False) -> list[SegmentData]:
    """Embed the chunks and answer sentences of several documents in one pass each (the
    embedder sorts all of them by length, so batches are padded little); one SegmentData per
    document."""
    chunks = [c for ld in loaded for c in ld.chunks]
    # Spans per document: follows_intro must not look from one document into the next.
    spans = [sp for ld in loaded for sp in sentence_texts(ld.chunks)[0]]
    flat = [c.text[s - c.char_start:e - c.char_start] for c, sp in zip(chunks, spans) for s, e in sp]
    cvecs = embedder.encode([embedding_text(c) for c in chunks], progress=progress, label="Embedding passages")
    svecs = embedder.encode(flat, progress=progress, label="Embedding sentences")
    per_chunk = split_rows(svecs, spans)
    out, row = [], 0
    for ld in loaded:
        n = len(ld.chunks)
        out.append(SegmentData(
            [ld.document], {ld.document.doc_id: ld.pages}, list(ld.chunks), cvecs[row:row + n],
            spans[row:row + n], per_chunk[row:row + n], TermCounts.of_texts([c.text for c in ld.chunks]),
        ))
        row += n
    return out


class IndexStore:
    """Documents, pages, chunks and both indexes, kept aligned row for row.

    Documents live in segments on disk; ``_segment_of`` says which (None: not saved yet) and
    ``_dirty`` which saved segments lost a document and must be rewritten on the next save.
    """

    def __init__(self, model_name: str, model_sha256: str, dim: int, chunking: ChunkSettings) -> None:
        self.model_name = model_name
        self.model_sha256 = model_sha256
        self.dim = dim
        self.chunking = chunking
        self.documents: dict[str, Document] = {}
        self.pages: dict[str, list[Page]] = {}
        self.chunks: list[Chunk] = []
        # Per chunk: its candidate answer sentences (document spans) and their vectors.
        self.sentence_spans: list[list[tuple[int, int]]] = []
        self.sentence_vectors: list[np.ndarray] = []
        self.units_version = UNITS_VERSION  # the answer-sentence rules the spans were made by
        self.dense = DenseIndex(np.zeros((0, dim), dtype=np.float32))
        self.keyword = KeywordIndex()
        self._terms: list[dict[str, int]] = []  # each chunk's keyword counts, for segment writes
        self.by_id: dict[str, int] = {}
        self._texts: dict[str, str] = {}
        self._by_source: dict[str, str] = {}
        self._segments: dict[str, dict] = {}  # saved segment name -> its manifest entry
        self._segment_of: dict[str, str | None] = {}
        self._dirty: set[str] = set()
        self._home: Path | None = None  # the folder the segments are in
        self._seq = 0

    @property
    def vectors(self) -> np.ndarray:
        return self.dense.vectors

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
        doc_id = self._by_source.get(source)
        return self.documents.get(doc_id) if doc_id else None

    # ---- changes -----------------------------------------------------------------------
    def _append(self, data: SegmentData, segment: str | None) -> None:
        """Put whole documents after the existing rows; costs their rows only."""
        base = len(self.chunks)
        self.chunks = self.chunks + data.chunks  # a new list: caches kept per chunk list notice
        self.sentence_spans += data.sentence_spans
        self.sentence_vectors += data.sentence_vectors
        self._terms += data.terms.rows
        self.dense.add(data.vectors)
        self.keyword.add(data.terms)
        self.by_id.update({c.chunk_id: base + i for i, c in enumerate(data.chunks)})
        for d in data.documents:
            self.documents[d.doc_id] = d
            self.pages[d.doc_id] = data.pages[d.doc_id]
            self._by_source[d.source] = d.doc_id
            self._segment_of[d.doc_id] = segment
            self._texts.pop(d.doc_id, None)

    def _drop(self, doc_ids: set[str]) -> None:
        """Take documents out of every row-aligned list (linear in the index; rare)."""
        doc_ids = {d for d in doc_ids if d in self.documents}
        if not doc_ids:
            return
        keep = [i for i, c in enumerate(self.chunks) if c.doc_id not in doc_ids]
        self.chunks = [self.chunks[i] for i in keep]
        self.sentence_spans = [self.sentence_spans[i] for i in keep]
        self.sentence_vectors = [self.sentence_vectors[i] for i in keep]
        self._terms = [self._terms[i] for i in keep]
        self.dense.keep(keep)
        self.keyword.keep(keep)
        self.by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        for doc_id in doc_ids:
            doc = self.documents.pop(doc_id)
            self.pages.pop(doc_id, None)
            self._by_source.pop(doc.source, None)
            self._texts.pop(doc_id, None)
            segment = self._segment_of.pop(doc_id, None)
            if segment is not None:
                self._dirty.add(segment)

    def add(self, loaded: list[LoadedDocument], embedder, progress: bool = False) -> list[str]:
        """Add or replace documents (matched by source file name); returns the sources changed.

        An unchanged file (same sha256) is skipped.
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
        return self.add_embedded(embed_documents(todo, embedder, progress))

    def add_embedded(self, parts: list[SegmentData]) -> list[str]:
        """Add documents already embedded, replacing any of the same source or id."""
        replaced = {d.doc_id for p in parts for d in p.documents}
        replaced |= {self._by_source[d.source] for p in parts for d in p.documents if d.source in self._by_source}
        self._drop(replaced)
        for part in parts:
            self._append(part, None)
        return [d.source for p in parts for d in p.documents]

    def redo_sentences(self, embedder, progress: bool = False) -> None:
        """Split and embed every chunk's answer sentences again, by this version's rules."""
        spans: list[list[tuple[int, int]]] = []
        start = 0
        for i in range(1, len(self.chunks) + 1):  # a document's chunks are consecutive rows
            if i == len(self.chunks) or self.chunks[i].doc_id != self.chunks[start].doc_id:
                spans += sentence_texts(self.chunks[start:i])[0]
                start = i
        flat = [c.text[s - c.char_start:e - c.char_start] for c, sp in zip(self.chunks, spans) for s, e in sp]
        self.sentence_spans = spans
        self.sentence_vectors = split_rows(embedder.encode(flat, progress=progress, label="Embedding sentences"), spans)
        self.units_version = UNITS_VERSION
        self.chunks = list(self.chunks)  # a new list, so caches kept per chunk list are dropped
        self._dirty |= {s for s in self._segment_of.values() if s is not None}

    def remove(self, source: str) -> Document:
        """Take a document out by its source file name (or doc id)."""
        doc = self.document_by_source(source) or self.documents.get(source)
        if doc is None:
            known = ", ".join(sorted(d.source for d in self.documents.values())) or "none"
            raise KeyError(f"no document '{source}' in the index (indexed: {known})")
        self._drop({doc.doc_id})
        return doc

    # ---- disk --------------------------------------------------------------------------
    def manifest(self) -> dict:
        docs = sorted(self.documents.values(), key=lambda d: d.source)
        return {
            "format_version": FORMAT_VERSION,
            "model": {"name": self.model_name, "sha256": self.model_sha256, "dim": self.dim},
            "chunking": {k: getattr(self.chunking, k) for k in self.chunking.__dataclass_fields__},
            "answer_units": self.units_version,
            "documents": {d.source: d.sha256 for d in docs},
            "n_chunks": len(self.chunks),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def _rows_of(self, doc_ids: list[str]) -> SegmentData:
        wanted = set(doc_ids)
        rows = [i for i, c in enumerate(self.chunks) if c.doc_id in wanted]
        return SegmentData(
            [self.documents[d] for d in doc_ids], {d: self.pages[d] for d in doc_ids},
            [self.chunks[i] for i in rows], self.vectors[rows],
            [self.sentence_spans[i] for i in rows], [self.sentence_vectors[i] for i in rows],
            TermCounts([self._terms[i] for i in rows]),
        )

    def save(self, folder: Path) -> None:
        """Write what changed as new segments, fsync them, then swap the manifest in.

        Unchanged segments are kept as they are, so a save costs the documents added since the
        last one (and any segment that lost a document), not the whole index.
        """
        folder = Path(folder)
        with writer_lock(folder):
            fresh = self._home is None or folder.resolve() != self._home.resolve()
            kept = {} if fresh else {n: e for n, e in self._segments.items() if n not in self._dirty}
            groups: list[list[str]] = []
            if fresh:
                groups.append(list(self.documents))
            else:
                groups += [[d for d in e["documents"] if self._segment_of.get(d) == n] for n, e in self._segments.items() if n in self._dirty]
                groups.append([d for d, seg in self._segment_of.items() if seg is None])
            written = {}
            for doc_ids in groups:
                if doc_ids:
                    self._seq += 1
                    entry = write_segment(folder, new_name(self._seq), self._rows_of(doc_ids), self.dim)
                    written[entry["name"]] = entry
            segments = {**kept, **written}
            manifest = self.manifest()
            manifest["segments"] = [segments[n] for n in sorted(segments)]
            write_durably(folder / "manifest.json", json.dumps(manifest, indent=1).encode("utf-8"))
            save_learning(self, folder)  # the review catalogue (index.learning_file)
            for name in set(self._segments) - set(segments) if not fresh else ():
                shutil.rmtree(folder / name, ignore_errors=True)  # superseded by this save
            remove_leftovers(folder, set(segments), legacy=True)
        self._segments = segments
        self._segment_of = {d: name for name, e in segments.items() for d in e["documents"]}
        self._dirty = set()
        self._home = folder

    @staticmethod
    def read_manifest(folder: Path) -> dict:
        mpath = Path(folder) / "manifest.json"
        if not mpath.is_file():
            raise IndexLoadError(f"no index at {folder} (manifest.json missing); run 'reportqa ingest' first")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
            manifest["format_version"], manifest["model"]
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexLoadError(f"{mpath} is damaged ({exc.__class__.__name__}: {exc})") from exc
        return manifest

    @classmethod
    def load(cls, folder: Path, model_name: str | None = None, model_sha256: str | None = None) -> "IndexStore":
        """Load an index, refusing a damaged one or one built with another model or format.

        What killed saves left is removed first (``clean``), and logged. A save may swap the
        manifest while this reads; then the old segments can vanish, and the load starts again
        from the new manifest.
        """
        folder = Path(folder)
        try:
            cls.clean(folder)
        except OSError as exc:  # a read-only copy can still be read
            logger.warning("could not clear leftovers in %s (%s)", folder, exc)
        for attempt in range(3):
            manifest = cls.read_manifest(folder)
            try:
                return cls._load(folder, manifest, model_name, model_sha256)
            except IndexLoadError:
                if attempt == 2 or cls.read_manifest(folder) == manifest:
                    raise
                logger.info("index at %s changed while loading; loading it again", folder)
        raise AssertionError("unreachable")

    @classmethod
    def _load(cls, folder: Path, manifest: dict, model_name: str | None, model_sha256: str | None) -> "IndexStore":
        version, model = manifest["format_version"], manifest["model"]
        if version != FORMAT_VERSION:
            raise IndexLoadError(f"index at {folder} has format version {version}, this reportqa reads {FORMAT_VERSION}; re-run ingest")
        if model_name and model.get("name") != model_name:
            raise IndexLoadError(f"index at {folder} was built with model {model.get('name')}, not {model_name}; re-run ingest")
        if model_sha256 and model.get("sha256") != model_sha256:
            raise IndexLoadError(f"index at {folder} was built with other model weights (sha256 {str(model.get('sha256'))[:12]}…); re-run ingest")
        try:
            store = cls(model["name"], model["sha256"], int(model["dim"]), ChunkSettings(**manifest["chunking"]))
            entries = list(manifest["segments"])
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexLoadError(f"index at {folder} is damaged ({exc.__class__.__name__}: {exc})") from exc
        parts = [read_segment(folder, e, store.dim) for e in entries]
        total = sum(len(p.chunks) for p in parts)
        if manifest.get("n_chunks") != total:
            raise IndexLoadError(f"index at {folder} is damaged: the manifest counts {manifest.get('n_chunks')} chunks, its segments hold {total}")
        # One allocation for all vectors rather than a growth per segment.
        store.dense = DenseIndex(np.vstack([p.vectors for p in parts]) if parts else np.zeros((0, store.dim), np.float32))
        for entry, part in zip(entries, parts):
            part.vectors = part.vectors[:0]
            store._append(part, entry["name"])
        store.units_version = manifest.get("answer_units", 1)
        store._segments = {e["name"]: e for e in entries}
        store._seq = max((int(e["name"].split("-")[1]) for e in entries), default=0)
        store._home = folder
        load_learning(store, folder)
        return store

    @staticmethod
    def clean(folder: Path) -> list[str]:
        """Remove what killed saves left in ``folder``, unless a writer is at work there now."""
        folder = Path(folder)
        if not (folder / "manifest.json").is_file():
            return []
        with writer_lock(folder, wait=False) as mine:
            if not mine:
                return []
            manifest = IndexStore.read_manifest(folder)
            live = {e["name"] for e in manifest.get("segments", [])}
            return remove_leftovers(folder, live, legacy=manifest.get("format_version") == FORMAT_VERSION)

    def manifest_hash(self) -> str:
        """Short hash of the content the index holds (documents, chunking, model)."""
        m = self.manifest()
        m.pop("created")
        return hashlib.sha256(json.dumps(m, sort_keys=True).encode()).hexdigest()[:12]
