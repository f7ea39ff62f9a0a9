"""Uploading and deleting reports over HTTP: auth, limits, bad files, background ingest, live swap."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from index.store import IndexStore
from tests.pdfmaker import make_pdf

TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KESTREL = [
    "Kestrel Safeguarding Children Partnership",
    "Annual Report 2022-23",
    "Young carers",
    "The Kestrel Project reached 873 young carers across the county during the year.",
    "Each young carer was offered a named worker and a place at a weekly support group.",
]
KESTREL_Q = "How many young carers did the Kestrel Project reach?"


def make_client(engine, settings: Settings) -> TestClient:
    return TestClient(create_app(settings, engine=engine))


@pytest.fixture()
def settings(index_copy, tmp_path) -> Settings:
    return Settings(index_dir=index_copy, admin_token=TOKEN, max_upload_mb=1, upload_dir=tmp_path / "uploads",
                    feedback_db=tmp_path / "feedback.sqlite3")


@pytest.fixture()
def client(engine, settings):
    with make_client(engine, settings) as c:
        yield c


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def wait_for(client: TestClient, job_id: str, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if not seen or seen[-1] != job["state"]:
            seen.append(job["state"])
        if job["state"] in ("done", "failed"):
            job["seen"] = seen
            return job
        assert time.monotonic() < deadline, f"job stuck: {job}"
        time.sleep(0.05)


def upload(client: TestClient, name: str, data: bytes, headers: dict | None = None, mime: str = "application/pdf"):
    return client.post("/api/documents", files={"file": (name, data, mime)}, headers=AUTH if headers is None else headers)


def test_writes_are_disabled_without_a_configured_token(engine, index_copy, tmp_path):
    settings = Settings(index_dir=index_copy, admin_token="", upload_dir=tmp_path / "up")
    with make_client(engine, settings) as c:
        r = upload(c, "a.pdf", b"%PDF-1.4")
        assert r.status_code == 403
        assert r.json()["detail"] == ("uploads and deletes are disabled on this server: "
                                      "set REPORTQA_ADMIN_TOKEN to enable them")
        assert c.delete("/api/documents/002_9b8a39fd266776b3", headers=AUTH).status_code == 403
    assert not (tmp_path / "up").exists()


def test_a_token_is_required_and_checked(client):
    r = upload(client, "a.pdf", b"%PDF-1.4", headers={})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("an admin token is required")
    assert r.headers["www-authenticate"] == "Bearer"
    r = upload(client, "a.pdf", b"%PDF-1.4", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["detail"] == "the admin token is not valid"
    r = client.delete("/api/documents/002_9b8a39fd266776b3", headers={"X-Admin-Token": "wrong"})
    assert r.status_code == 403
    assert len(client.get("/api/documents").json()) == 5


def test_uploads_over_the_size_limit_get_a_413(client, settings):
    before = snapshot(settings.index_dir)
    r = upload(client, "big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    assert r.status_code == 413
    assert r.json()["detail"] == "big.pdf is larger than the upload limit of 1 MB"
    assert snapshot(settings.index_dir) == before
    assert not any(settings.upload_dir.rglob("big.pdf"))


@pytest.mark.parametrize("name,detail", [
    ("notes.docx", "notes.docx: unsupported file type '.docx'; supported: .pdf, .txt, .md, .html"),
    ("README", "README: unsupported file type '(none)'; supported: .pdf, .txt, .md, .html"),
])
def test_unsupported_file_types_are_refused(client, name, detail):
    r = upload(client, name, b"hello")
    assert r.status_code == 415 and r.json()["detail"] == detail


def test_names_that_would_replace_another_report_are_refused(client):
    r = upload(client, "002_9b8a39fd266776b3.pdf", b"%PDF-1.4 x")
    assert r.status_code == 409 and "is a bundled report" in r.json()["detail"]
    r = upload(client, "(002_9b8a39fd266776b3).pdf", b"%PDF-1.4 x")
    assert r.status_code == 409
    assert r.json()["detail"] == ("(002_9b8a39fd266776b3).pdf would replace 002_9b8a39fd266776b3.pdf (both have the id "
                                  "'002_9b8a39fd266776b3'); rename the file")


@pytest.mark.parametrize("name,data,reason", [
    ("broken.pdf", b"this is not a pdf at all", "broken.pdf: not a PDF (no %PDF header)"),
    ("cut.pdf", None, "cut.pdf: the PDF is truncated or damaged"),
    ("blank.txt", b"   \n\n  ", "blank.txt: "),  # the reason is ingest's own wording
])
def test_a_bad_file_fails_its_job_and_leaves_the_index_unchanged(client, settings, engine, tmp_path, name, data, reason):
    if data is None:
        data = make_pdf(tmp_path / "whole.pdf", [KESTREL]).read_bytes()[:-300]
    before = snapshot(settings.index_dir)
    health = client.get("/api/health").json()
    r = upload(client, name, data)
    assert r.status_code == 202, r.text
    assert r.json()["state"] == "queued" and r.json()["filename"] == name
    job = wait_for(client, r.json()["job_id"])
    assert job["state"] == "failed"
    assert job["detail"].startswith(reason)
    assert snapshot(settings.index_dir) == before
    assert client.get("/api/health").json() == health
    assert len(client.get("/api/documents").json()) == 5
    assert not list(settings.upload_dir.rglob(name))  # the staged file is cleaned away


def test_a_good_upload_is_indexed_live_and_answered(client, settings, engine, tmp_path):
    session_store = engine.store
    pdf = make_pdf(tmp_path / "Kestrel report.pdf", [KESTREL, ["Contact: kestrel@example.org"]],
                   title="Kestrel Safeguarding Children Partnership - Annual Report 2022-23")
    r = upload(client, pdf.name, pdf.read_bytes())
    assert r.status_code == 202
    assert r.json()["doc_id"] == "kestrel-report"
    job = wait_for(client, r.json()["job_id"])
    assert job["state"] == "done", job
    assert job["seen"][-1] == "done" and set(job["seen"]) <= {"queued", "reading", "embedding", "saving", "done"}
    assert job["detail"].startswith("Kestrel report.pdf is indexed: Kestrel Safeguarding Children Partnership")
    assert job["doc_id"] == "kestrel-report"

    docs = {d["doc_id"]: d for d in client.get("/api/documents").json()}
    assert len(docs) == 6 and docs["kestrel-report"]["period"] == "2022-23"
    assert docs["kestrel-report"]["n_pages"] == 2 and docs["kestrel-report"]["n_chunks"] >= 1
    body = client.post("/api/ask", json={"question": KESTREL_Q}).json()
    assert body["answerable"] is True, body
    assert "873" in body["answer"]
    assert body["citations"][0]["source"] == "Kestrel report.pdf" and body["citations"][0]["page"] == 1
    f = client.get("/api/documents/kestrel-report/file")
    assert f.status_code == 200 and f.content == pdf.read_bytes()
    assert (settings.upload_dir / "Kestrel report.pdf").is_file()
    assert "Kestrel report.pdf" in IndexStore.load(settings.index_dir).manifest()["documents"]
    assert engine.store is session_store and len(session_store.documents) == 5  # the shared engine is untouched

    again = wait_for(client, upload(client, pdf.name, pdf.read_bytes()).json()["job_id"])
    assert again["state"] == "done" and again["detail"] == "Kestrel report.pdf is unchanged; nothing to do"


def test_a_failure_while_saving_keeps_the_old_index_file_and_store(client, settings, tmp_path, monkeypatch):
    first = make_pdf(tmp_path / "kestrel.pdf", [KESTREL])
    assert wait_for(client, upload(client, first.name, first.read_bytes()).json()["job_id"])["state"] == "done"
    before = snapshot(settings.index_dir)
    health = client.get("/api/health").json()

    def disk_full(self, folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(IndexStore, "save", disk_full)
    (tmp_path / "v2").mkdir()
    second = make_pdf(tmp_path / "v2" / "kestrel.pdf", [[*KESTREL[:3], "The Kestrel Project reached 990 young carers."]])
    job = wait_for(client, upload(client, second.name, second.read_bytes()).json()["job_id"])
    assert job["state"] == "failed"
    assert job["detail"] == "kestrel.pdf: indexing failed (OSError: [Errno 28] No space left on device)"
    assert snapshot(settings.index_dir) == before
    assert client.get("/api/health").json() == health
    assert (settings.upload_dir / "kestrel.pdf").read_bytes() == first.read_bytes()
    assert "873" in client.post("/api/ask", json={"question": KESTREL_Q}).json()["answer"]


def test_a_report_can_be_deleted(client, settings, tmp_path):
    pdf = make_pdf(tmp_path / "kestrel.pdf", [KESTREL])
    assert wait_for(client, upload(client, pdf.name, pdf.read_bytes()).json()["job_id"])["state"] == "done"
    r = client.delete("/api/documents/kestrel", headers={"X-Admin-Token": TOKEN})
    assert r.status_code == 200
    assert r.json() == {"removed": "kestrel.pdf", "doc_id": "kestrel", "documents": 5}
    assert "kestrel" not in {d["doc_id"] for d in client.get("/api/documents").json()}
    assert not (settings.upload_dir / "kestrel.pdf").exists()
    assert "kestrel.pdf" not in IndexStore.load(settings.index_dir).manifest()["documents"]
    r = client.delete("/api/documents/kestrel", headers=AUTH)
    assert r.status_code == 404 and r.json()["detail"] == "no document with id 'kestrel'"


def test_unknown_jobs_are_404(client):
    r = client.get("/api/jobs/nope")
    assert r.status_code == 404 and r.json()["detail"] == "no upload job with id 'nope'"
