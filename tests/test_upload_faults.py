"""A server killed (SIGKILL) in the middle of an upload leaves, after a restart, a loadable index
holding the old or the new document set, and nothing in the upload folder but indexed files
(issue 14, finding 5, the upload side; the index save's own faults are tested with index.store)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path

from evals.load import TOKEN, UPLOAD_SOURCE, Server, request, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NAME = "fault-upload.pdf"
# Kill moments: the job's stages, and a replace of an uploaded file (which parks the old version).
MOMENTS = [("new", "reading"), ("new", "embedding"), ("new", "saving"), ("replace", "embedding"),
           ("replace", "saving")]


def multipart(name: str, content: bytes) -> tuple[bytes, dict]:
    body = (f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n--b--\r\n"
    return body, {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}


def documents(server: Server) -> dict[str, str]:
    status, _, data = request(server.port, "GET", "/api/documents")
    assert status == 200
    return {d["source"]: d["sha256"] for d in json.loads(data)}


def upload(server: Server, content: bytes) -> str:
    status, _, data = request(server.port, "POST", "/api/documents", *multipart(NAME, content))
    assert status == 202, data
    return json.loads(data)["job_id"]


def wait_state(server: Server, job_id: str, wanted: str, timeout: float = 300) -> str:
    """Poll the job until it reaches ``wanted`` or a later stage (or ends); returns the state seen."""
    order = ("queued", "reading", "embedding", "saving", "done", "failed")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(request(server.port, "GET", f"/api/jobs/{job_id}")[2])["state"]
        if order.index(state) >= order.index(wanted):
            return state
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not reach {wanted}")


def kill(server: Server) -> None:
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(30)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_upload_killed_at_any_stage_leaves_nothing_after_a_restart(bundled_index_dir, tmp_path):
    root = tmp_path / "server"
    uploads = root / "uploads"
    first = UPLOAD_SOURCE.read_bytes()
    second = first + b"\n% another version of the same text\n"
    server = start_server(bundled_index_dir, root)
    base = documents(server)
    left_behind = []
    try:
        for kind, stage in MOMENTS:
            if kind == "replace" and NAME not in documents(server):
                job = upload(server, first)
                assert wait_state(server, job, "done") == "done"
            before = documents(server)
            content = second if kind == "replace" else first
            job = upload(server, content)
            seen = wait_state(server, job, stage)
            kill(server)
            left_behind.append(sorted(p.name for p in uploads.iterdir() if p.name.startswith(".")))
            server = start_server(root / "index", root)
            after = documents(server)
            # the index is the one before the upload or the one after it
            new = {**before, NAME: hashlib.sha256(content).hexdigest()}
            assert after in (before, new), (kind, stage, seen, after)
            # nothing left but the indexed files, each the version the index holds
            assert not [p.name for p in uploads.iterdir() if p.name.startswith(".")], (kind, stage)
            files = {p.name: sha(p) for p in uploads.iterdir()}
            assert files == {k: v for k, v in after.items() if k not in base}, (kind, stage, seen)
            if left_behind[-1]:
                assert "upload folder" in server.log.read_text(), "startup did not say what it removed"
            status, _, data = request(server.port, "POST", "/api/ask", b'{"question": "training"}')
            assert status == 200, data
    finally:
        server.stop()
    # the test killed real uploads in flight: their staging folders were there to clean
    assert sum(any(n.startswith(".incoming-") for n in names) for names in left_behind) >= 3, left_behind
