"""A save killed at any moment leaves the old index or the new one, never neither, and the next
start clears what it left.

The save runs in a forked child that dies (os._exit, so no finally blocks or buffers run) at its
k-th executed line inside index/, for k spread over the whole save; the parent then starts again
as a new process would (load clears leftovers) and checks what it finds.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from index.keyword import TermCounts
from index.segment import SegmentData
from index.store import IndexStore
from ingest.chunk import ChunkSettings
from ingest.model import Chunk, Document, Page

DIM = 8
INDEX_DIR = str(Path(__file__).resolve().parents[1] / "index")


def tiny_doc(name: str, words: str, seed: int) -> SegmentData:
    """One document of two chunks, one sentence each, with random unit vectors."""
    rng = np.random.default_rng(seed)
    texts = [f"{name} trained {words} staff.", f"{name} held {words} reviews."]
    text = "\n\n".join(texts)
    doc = Document(name, f"{name}.pdf", f"{name} - Annual Report 2022-23", "2022-23", "annual report", f"{seed:064x}", 1)
    chunks, start = [], 0
    for i, t in enumerate(texts):
        chunks.append(Chunk(f"{name}-{i}", name, 1, 1, start, start + len(t), "", t, "2022-23", "Annual Report 2022-23"))
        start += len(t) + 2
    vecs = rng.standard_normal((2, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return SegmentData([doc], {name: [Page(1, text, 0, len(text))]}, chunks, vecs,
                       [[(c.char_start, c.char_end)] for c in chunks], [v[None, :] for v in vecs],
                       TermCounts.of_texts(texts))


def content(store: IndexStore) -> tuple:
    """What two stores must share to be the same index."""
    return (
        sorted(store.documents), [c.chunk_id for c in store.chunks], np.round(store.vectors, 6).tobytes(),
        store.sentence_spans, [np.round(v, 6).tobytes() for v in store.sentence_vectors],
        store.keyword.scores("trained staff reviews").round(5).tobytes(),
    )


def old_and_new(folder: Path) -> tuple[tuple, tuple]:
    """Save an index of docs a, b at ``folder``; return its content and that of the change
    (a removed, c added) the killed save writes."""
    store = IndexStore("test-model", "0" * 64, DIM, ChunkSettings())
    store.add_embedded([tiny_doc("a", "11", 1), tiny_doc("b", "22", 2)])
    store.save(folder)
    old = content(IndexStore.load(folder))
    change(store)
    return old, content(store)


def change(store: IndexStore) -> None:
    store.remove("a.pdf")
    store.add_embedded([tiny_doc("c", "33", 3)])


def save_dying_at(folder: Path, k: int) -> int:
    """Fork; the child loads, changes and saves ``folder``, dying at its k-th line in index/.
    Returns the child's exit status (0: it finished; 9: it was killed)."""
    store = IndexStore.load(folder)
    change(store)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        count = 0

        def trace(frame, event, arg):
            nonlocal count
            if not frame.f_code.co_filename.startswith(INDEX_DIR):
                return None
            if event == "line":
                count += 1
                if count >= k:
                    os._exit(9)
            return trace

        sys.settrace(trace)
        try:
            store.save(folder)
        finally:
            sys.settrace(None)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def leftovers(folder: Path) -> list[str]:
    live = {e["name"] for e in IndexStore.read_manifest(folder)["segments"]}
    names = [p.name for p in folder.iterdir()]
    stale = [n for n in names if n.startswith(".tmp-") or (n.startswith("seg-") and n not in live)]
    return stale + [p.name for p in folder.parent.glob(f".{folder.name}_*")]


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_index(tmp_path, caplog):
    base = tmp_path / "base" / "index"
    old, new = old_and_new(base)
    assert old != new
    # How many lines a whole save runs (a child that is never killed).
    import shutil

    probe = tmp_path / "probe" / "index"
    shutil.copytree(base, probe)
    lines = 1
    while save_dying_at(probe, lines) == 9:
        lines *= 2
        shutil.rmtree(probe)
        shutil.copytree(base, probe)
    assert content(IndexStore.load(probe)) == new
    seen = {"old": 0, "new": 0}
    for k in sorted(set(np.linspace(1, lines, 40).astype(int))):
        folder = tmp_path / f"k{k}" / "index"
        shutil.copytree(base, folder)
        save_dying_at(folder, k)
        with caplog.at_level(logging.WARNING, logger="index.files"):
            got = content(IndexStore.load(folder))  # a restart: load clears leftovers
        assert got in (old, new), f"killed at line {k}: the index is neither the old nor the new one"
        seen["old" if got == old else "new"] += 1
        assert leftovers(folder) == [], f"killed at line {k}: leftovers survive a restart"
        again = IndexStore.load(folder)  # and the next save still works
        again.add_embedded([tiny_doc("d", "44", 4)])
        again.save(folder)
        assert "d" in IndexStore.load(folder).documents
    assert seen["old"] and seen["new"], seen  # the kills fell both before and after the swap


def test_startup_removes_stale_temp_folders_and_says_so(tmp_path, caplog):
    folder = tmp_path / "index"
    old_and_new(folder)
    (folder / ".tmp-seg-000009-deadbeef").mkdir()
    (folder / ".tmp-seg-000009-deadbeef" / "chunks.jsonl").write_text("{}")
    (folder / "seg-000010-cafecafe").mkdir()  # written, but the manifest was never swapped
    (folder / ".tmp-manifest.json-123").write_text("{}")
    (tmp_path / ".index_part-abc").mkdir()  # the one-directory layout's temp folder
    with caplog.at_level(logging.WARNING, logger="index.files"):
        store = IndexStore.load(folder)
    assert sorted(store.documents) == ["a", "b"]
    assert leftovers(folder) == [] and not (folder / ".tmp-manifest.json-123").exists()
    logged = " ".join(r.getMessage() for r in caplog.records)
    for name in (".tmp-seg-000009-deadbeef", "seg-000010-cafecafe", ".tmp-manifest.json-123", ".index_part-abc"):
        assert name in logged and "did not finish" in logged


def test_a_save_writes_only_the_new_segment(tmp_path):
    folder = tmp_path / "index"
    old_and_new(folder)
    before = {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.glob("seg-*/*")}
    store = IndexStore.load(folder)
    store.add_embedded([tiny_doc("z", "99", 9)])
    store.save(folder)
    after = {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.glob("seg-*/*")}
    assert len({k.split("/")[0] for k in after}) == 2
    assert {k: v for k, v in after.items() if k in before} == before  # the old segment untouched
    assert len(after) == 2 * len(before)


@pytest.mark.parametrize("bad,message", [
    (lambda m: m["segments"].pop(), "manifest counts"),
    (lambda m: m["segments"][0]["files"].update({"vectors.npy": "0" * 64}), "vectors.npy is missing or does not match"),
])
def test_a_manifest_that_does_not_match_its_segments_is_refused(tmp_path, bad, message):
    import json

    from ingest.errors import IndexLoadError

    folder = tmp_path / "index"
    store = IndexStore("test-model", "0" * 64, DIM, ChunkSettings())
    store.add_embedded([tiny_doc("a", "11", 1)])
    store.save(folder)
    store.add_embedded([tiny_doc("b", "22", 2)])
    store.save(folder)
    m = json.loads((folder / "manifest.json").read_text())
    bad(m)
    (folder / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexLoadError, match=message):
        IndexStore.load(folder)


def test_an_index_of_the_old_one_folder_layout_is_rebuilt_and_its_files_cleared(tmp_path, caplog):
    from index.build import ingest_paths
    from tests.test_scale import CountingEmbedder

    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"format_version": 2, "model": {}}')
    for name in ("chunks.jsonl", "vectors.faiss"):
        (folder / name).write_text("old")
    (folder / "bm25").mkdir()
    doc = tmp_path / "board.txt"
    doc.write_text("Board Annual Report 2022-23\n\nWe trained 321 staff in the year, more than before.\n")
    with caplog.at_level(logging.WARNING, logger="index.build"):
        store, report = ingest_paths([doc], folder, CountingEmbedder(), progress=False)
    assert report.added == ["board.txt"] and "format version 2" in caplog.text
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "seg-"))) == ["learning.jsonl", "manifest.json"]
    assert list(IndexStore.load(folder).documents) == ["board"]


def test_a_report_without_reviews_is_not_read_again_on_every_load(tmp_path, monkeypatch):
    from index import learning_file

    folder = tmp_path / "index"
    old_and_new(folder)  # two tiny documents, neither describing a review
    read = []
    monkeypatch.setattr(learning_file, "entries_of", lambda store, doc_id: read.append(doc_id) or [])
    IndexStore.load(folder)
    assert read == []
