"""The scale benchmark's 20-report version: a generated collection ingests in batches that a
kill cannot undo, a re-run goes on without embedding anything twice, and the work of a save
does not grow with the index.

The embedder is a counting fake (vectors from a hash of the text): what is checked is the
batching, saving and resuming around the model, not the model.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from evals.scalegen import generate
from index.build import ingest_paths
from index.store import IndexStore

N = 20
BATCH_PAGES = 30


class CountingEmbedder:
    """Unit vectors from a hash of each text; remembers every text it was given."""

    name, sha256, dim = "fake/hash-embedder", "f" * 64, 16

    def __init__(self, die_at_call: int | None = None) -> None:
        self.seen: Counter[str] = Counter()
        self.calls = 0
        self.die_at_call = die_at_call

    def encode(self, texts, progress=False, label=""):
        self.calls += 1
        if self.die_at_call is not None and self.calls >= self.die_at_call:
            os._exit(9)  # killed in the middle of a batch's embedding
        self.seen.update(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[: 4 * self.dim // 2], dtype=np.uint16) for t in texts]
        vecs = np.asarray(rows, dtype=np.float32).reshape(-1, self.dim) + 1
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scale") / "reports"
    generate(out, N, seed=13)
    return out


@pytest.fixture(scope="module")
def whole(collection, tmp_path_factory):
    """The collection ingested in one uninterrupted run, parsed by a worker process."""
    folder = tmp_path_factory.mktemp("whole") / "index"
    emb = CountingEmbedder()
    store, report = ingest_paths([collection], folder, emb, progress=False, workers=1, batch_pages=BATCH_PAGES)
    return folder, store, report, emb


def test_the_generator_is_seeded_deterministic_and_a_prefix_of_a_larger_run(collection, tmp_path):
    generate(tmp_path / "again", N + 3, seed=13)
    for p in sorted(collection.glob("*.pdf")):
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes()
    other = generate(tmp_path / "other", 3, seed=14)
    assert [r.file for r in other] != sorted(p.name for p in collection.glob("*.pdf"))[:3]


def test_generated_reports_are_new_partnerships_with_their_furniture_stripped(whole):
    _, store, report, _ = whole
    assert len(report.added) == N and not report.failed
    areas = Counter(d.organisation.key for d in store.documents.values())
    assert len(areas) == N // 4 and set(areas.values()) == {4}  # four consecutive years each
    for area in areas:
        years = sorted(int(d.period[:4]) for d in store.documents.values() if d.organisation.key == area)
        assert years == list(range(years[0], years[0] + 4))
    text = " ".join(c.text for c in store.chunks)
    assert "Page 1 of" not in text and "Hartwell" not in text


def test_every_batch_is_saved_as_its_own_segment_and_nothing_is_embedded_twice(whole):
    folder, store, report, emb = whole
    assert report.saves >= 3 and len(list(folder.glob("seg-*"))) == report.saves
    embedded = sum(emb.seen.values())
    assert embedded == report.texts_embedded == len(store.chunks) + sum(len(v) for v in store.sentence_vectors)


def test_a_killed_ingest_keeps_its_saved_batches_and_a_rerun_finishes_without_redoing_them(collection, whole, tmp_path):
    _, full, _, full_emb = whole
    folder = tmp_path / "index"
    # Killed while embedding the third batch (two encode calls per batch).
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        ingest_paths([collection], folder, CountingEmbedder(die_at_call=5), progress=False, workers=0, batch_pages=BATCH_PAGES)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9
    kept = IndexStore.load(folder)
    assert 0 < len(kept.documents) < N
    emb = CountingEmbedder()
    store, report = ingest_paths([collection], folder, emb, progress=False, workers=0, batch_pages=BATCH_PAGES)
    assert sorted(report.unchanged) == sorted(d.source for d in kept.documents.values())
    assert len(report.added) == N - len(kept.documents)
    # Nothing embedded twice across the two runs: the re-run embeds only the rest.
    assert sum(emb.seen.values()) + len(_texts(kept)) == sum(full_emb.seen.values())
    again = IndexStore.load(folder)
    assert sorted(again.documents) == sorted(full.documents)
    assert sorted(c.chunk_id for c in again.chunks) == sorted(c.chunk_id for c in full.chunks)


def _texts(store: IndexStore) -> list[str]:
    from index.store import embedding_text

    out = [embedding_text(c) for c in store.chunks]
    out += [store.document_text_span(i, s, e) for i, spans in enumerate(store.sentence_spans) for s, e in spans]
    return out


def test_a_save_writes_the_new_batch_only_however_large_the_index(collection, tmp_path):
    """Each save creates one segment and leaves every earlier one untouched, so its cost is the
    batch's, and the bytes it writes follow the batch's pages, not the index's size."""
    folder = tmp_path / "index"
    files = sorted(collection.glob("*.pdf"))
    emb = CountingEmbedder()
    written, sizes = [], []
    for k in range(0, N, 4):
        before = {p: p.stat().st_mtime_ns for p in folder.glob("seg-*/*")} if folder.exists() else {}
        _, report = ingest_paths(files[k:k + 4], folder, emb, progress=False, workers=0, batch_pages=10_000)
        new = [p for p in folder.glob("seg-*/*") if p not in before]
        assert all(p.stat().st_mtime_ns == t for p, t in before.items())  # earlier segments untouched
        assert len(new) == 6  # one segment's files
        written.append(sum(p.stat().st_size for p in new) / report.pages)
        sizes.append(sum(p.stat().st_size for p in folder.glob("seg-*/*")))
    assert sizes[-1] > 4 * sizes[0]  # the index grew five-fold...
    assert max(written) < 2 * min(written)  # ...while bytes written per page stayed level
