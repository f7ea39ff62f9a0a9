"""The index on disk: round trip, refusals, incremental updates, and bad files that change nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pypdf
import pytest

from index.build import ingest_paths
from index.store import IndexStore
from ingest.errors import IndexLoadError
from tests.conftest import REPORTS
from tests.pdfmaker import make_pdf


def _segment(folder: Path) -> Path:
    return next(folder.glob("seg-*"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_round_trip_keeps_everything(store, bundled_index_dir, tmp_path):
    store.save(tmp_path / "copy")
    again = IndexStore.load(tmp_path / "copy", store.model_name, store.model_sha256)
    assert again.chunks == store.chunks
    assert again.documents == store.documents
    assert again.pages == store.pages
    assert np.allclose(again.vectors, store.vectors)
    q = "training events"
    assert np.allclose(again.keyword.scores(q), store.keyword.scores(q))
    manifest = json.loads((bundled_index_dir / "manifest.json").read_text())
    assert manifest["model"] == {"name": "sentence-transformers/all-MiniLM-L6-v2", "sha256": store.model_sha256, "dim": 384}
    assert set(manifest["documents"]) == {p.name for p in REPORTS.glob("*.pdf")}
    assert manifest["chunking"] == {"target_words": 130, "min_words": 60, "max_tokens": 220}
    assert not list(tmp_path.glob(".copy_*")), "temp dirs are cleaned up"


@pytest.mark.parametrize("change,message", [
    (lambda m: m.update(format_version=99), "format version 99"),
    (lambda m: m["model"].update(name="other/model"), "built with model other/model"),
    (lambda m: m["model"].update(sha256="0" * 64), "other model weights"),
])
def test_a_mismatched_manifest_is_refused(index_copy, store, change, message):
    path = index_copy / "manifest.json"
    m = json.loads(path.read_text())
    change(m)
    path.write_text(json.dumps(m))
    with pytest.raises(IndexLoadError, match=message):
        IndexStore.load(index_copy, store.model_name, store.model_sha256)


@pytest.mark.parametrize("damage,message", [
    (lambda d: (_segment(d) / "chunks.jsonl").write_text("{}\n"), "chunks.jsonl is missing or does not match"),
    (lambda d: (_segment(d) / "vectors.npy").unlink(), "vectors.npy is missing"),
    (lambda d: (_segment(d) / "terms.npz").write_bytes(b"x"), "terms.npz is missing or does not match"),
    (lambda d: (d / "manifest.json").write_text("{not json"), "manifest.json is damaged"),
    (lambda d: (d / "manifest.json").unlink(), "manifest.json missing"),
])
def test_a_damaged_index_is_refused(index_copy, damage, message):
    damage(index_copy)
    with pytest.raises(IndexLoadError, match=message):
        IndexStore.load(index_copy)


def test_sentences_made_by_older_rules_are_redone_on_the_next_ingest(index_copy, store, embedder):
    from ingest.answer_units import UNITS_VERSION

    old = IndexStore.load(index_copy)
    old.sentence_spans = [spans[:1] for spans in old.sentence_spans]  # what older rules kept
    old.sentence_vectors = [vecs[:1] for vecs in old.sentence_vectors]
    old.units_version = UNITS_VERSION - 1
    old.save(index_copy)
    again, report = ingest_paths([REPORTS], index_copy, embedder, progress=False)
    assert report.added == [] and len(report.unchanged) == 5
    assert again.sentence_spans == store.sentence_spans
    reloaded = IndexStore.load(index_copy)
    assert reloaded.units_version == UNITS_VERSION and reloaded.sentence_spans == store.sentence_spans
    assert json.loads((index_copy / "manifest.json").read_text())["answer_units"] == UNITS_VERSION


def test_reingesting_unchanged_files_does_nothing(index_copy, embedder):
    before = snapshot(index_copy)
    _, report = ingest_paths([REPORTS], index_copy, embedder, progress=False)
    assert report.added == [] and len(report.unchanged) == 5
    assert snapshot(index_copy) == before


def test_a_changed_file_replaces_its_chunks_and_remove_takes_it_out(tmp_path, embedder):
    folder = tmp_path / "idx"
    doc = make_pdf(tmp_path / "board.pdf", [["Board Report 2022-23", "We trained 321 staff in the year."]],
                   title="Board - Annual Report 2022-23")
    store, _ = ingest_paths([doc], folder, embedder, progress=False)
    assert any("321" in c.text for c in store.chunks)
    make_pdf(doc, [["Board Report 2022-23", "We trained 654 staff in the year."]], title="Board - Annual Report 2022-23")
    store, report = ingest_paths([doc], folder, embedder, progress=False)
    assert report.added == ["board.pdf"]
    texts = " ".join(c.text for c in IndexStore.load(folder).chunks)
    assert "654" in texts and "321" not in texts
    store = IndexStore.load(folder)
    store.remove("board.pdf")
    store.save(folder)
    assert IndexStore.load(folder).chunks == []
    with pytest.raises(KeyError, match="no document 'board.pdf'"):
        IndexStore.load(folder).remove("board.pdf")


def _encrypted(path: Path) -> None:
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(REPORTS / "004_5dd9cca65945c7e9.pdf"))
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    path.write_bytes(buf.getvalue())


def _image_only(path: Path) -> None:
    w = pypdf.PdfWriter()
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    path.write_bytes(buf.getvalue())


BAD_FILES = [
    ("corrupt.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF"), "corrupt.pdf: not a readable PDF"),
    ("truncated.pdf", lambda p: p.write_bytes((REPORTS / "002_9b8a39fd266776b3.pdf").read_bytes()[:40000]),
     "truncated.pdf: the PDF is truncated or damaged"),
    ("locked.pdf", _encrypted, "locked.pdf: the PDF is encrypted"),
    ("scan.pdf", _image_only, "scan.pdf: the PDF has no extractable text"),
    ("empty.pdf", lambda p: p.write_bytes(b""), "empty.pdf: the file is empty"),
    ("empty.txt", lambda p: p.write_bytes(b"  \n"), "empty.txt: the file is empty"),
    ("latin1.txt", lambda p: p.write_bytes("caf\xe9 report".encode("latin-1")), "latin1.txt: the text is not valid UTF-8"),
    ("notes.docx", lambda p: p.write_bytes(b"PK\x03\x04"), "notes.docx: unsupported file type '.docx'"),
    ("fake.pdf", lambda p: p.write_bytes(b"just text"), "fake.pdf: not a PDF"),
]


@pytest.mark.parametrize("name,make,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_reported_skipped_and_leave_the_index_as_it_was(index_copy, embedder, tmp_path, name, make, message):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    make(bad)
    before = snapshot(index_copy)
    _, report = ingest_paths([bad], index_copy, embedder, progress=False)
    assert [str(e) for e in report.failed] and str(report.failed[0]).startswith(message)
    assert report.added == []
    assert snapshot(index_copy) == before
    assert len(IndexStore.load(index_copy).documents) == 5


def test_a_bad_file_in_a_batch_does_not_stop_the_good_ones(tmp_path, embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "good.pdf", [["Board Report 2022-23", "We trained 321 staff."]])
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    store, report = ingest_paths([folder], tmp_path / "idx", embedder, progress=False)
    assert report.added == ["good.pdf"]
    assert [e.source for e in report.failed] == ["bad.pdf"]


def test_cli_ingest_reports_a_bad_file_by_name(tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "bad.pdf"), "--index", str(tmp_path / "idx"), "--no-progress"])
    assert result.exit_code == 1
    assert "skipped bad.pdf: the PDF is truncated or damaged" in result.output
