"""No stall after a write: the engine swapped in after an upload or a delete is already built
(issue 14, finding 2). Before, the new engine arrived with its caches (acronyms, proper words,
idf, figure flags) still to build, and every request in flight rebuilt them at once."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

TOKEN = "stall-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOTE = (b"Kestrel Safeguarding Children Partnership Annual Report 2022-23\n\n"
        b"The Kestrel Project (KP) reached 873 young carers across the county during the year.\n")


def assert_built(engine) -> None:
    """Every cache of the engine belongs to the store it holds."""
    store = engine.store
    assert engine._acronyms[0] is store.chunks
    assert engine._proper[0] is store.chunks
    assert store._idf_cache[0] is store.chunks
    assert store._figure_cache[0] is store.chunks and len(store._figure_cache[1]) == len(store.chunks)
    assert set(store._texts) == set(store.documents)


def test_the_engine_swapped_in_after_an_upload_and_a_delete_is_already_built(engine, index_copy, tmp_path):
    settings = Settings(index_dir=index_copy, admin_token=TOKEN, upload_dir=tmp_path / "uploads",
                        feedback_db=tmp_path / "feedback.sqlite3")
    app = create_app(settings, engine=engine)
    with TestClient(app) as c:
        before = app.state.engine
        r = c.post("/api/documents", files={"file": ("kestrel.txt", NOTE, "text/plain")}, headers=AUTH)
        assert r.status_code == 202
        deadline = time.monotonic() + 120
        while (job := c.get(f"/api/jobs/{r.json()['job_id']}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert job["state"] == "done", job
        added = app.state.engine  # no question has been asked since the swap
        assert added is not before and len(added.store.documents) == 6
        assert_built(added)
        assert "KP" in added.acronyms
        r = c.delete(f"/api/documents/{job['doc_id']}", headers=AUTH)
        assert r.status_code == 200
        removed = app.state.engine
        assert removed is not added and len(removed.store.documents) == 5
        assert_built(removed)
        assert "KP" not in removed.acronyms
