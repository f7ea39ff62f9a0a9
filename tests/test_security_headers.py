"""Security headers on every response, uploads served as attachments, /docs offline (issue 14,
findings 4 and 6)."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import FILE_CSP, PAGE_CSP, PDF_CSP
from api.settings import Settings

TOKEN = "headers-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PDF_ID = "002_9b8a39fd266776b3"
HTML_PAGE = (b"<html><head><title>Kestrel annual report 2022-23</title></head><body>"
             b"<h1>Kestrel Safeguarding Children Partnership Annual Report 2022-23</h1>"
             b"<p>The Kestrel Project reached 873 young carers across the county during the year.</p>"
             b"<script>document.title = 'ran'</script></body></html>")


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir, tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("headers")
    shutil.copytree(bundled_index_dir, root / "index")
    settings = Settings(index_dir=root / "index", admin_token=TOKEN, upload_dir=root / "uploads",
                        feedback_db=root / "feedback.sqlite3", rate_ask_per_minute=0)
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def assert_secure(r, csp: str = PAGE_CSP) -> None:
    assert r.headers["content-security-policy"] == csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "server" not in r.headers


@pytest.mark.parametrize("method,path,body,status", [
    ("GET", "/", None, 200),
    ("GET", "/app.js", None, 200),
    ("GET", "/style.css", None, 200),
    ("GET", "/api/health", None, 200),
    ("GET", "/api/documents", None, 200),
    ("GET", "/openapi.json", None, 200),
    ("GET", "/docs", None, 200),
    ("GET", "/docs/start.js", None, 200),
    ("GET", "/docs/assets/swagger-ui-bundle.js", None, 200),
    ("GET", "/api/documents/nope/pages/1", None, 404),
    ("GET", "/no-such-file.txt", None, 404),
    ("POST", "/api/ask", b'{"question": ""}', 422),
    ("POST", "/api/ask", b'{"question": "\xff"}', 400),
    ("POST", "/api/feedback", b"{" + b" " * 200_000 + b"}", 413),
    ("DELETE", f"/api/documents/{PDF_ID}", None, 401),
])
def test_every_response_has_the_security_headers(client, method, path, body, status):
    r = client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert_secure(r)


def test_a_rate_limited_response_has_them_too(engine, bundled_index_dir):
    settings = Settings(index_dir=bundled_index_dir, rate_ask_per_minute=6, rate_burst=1)
    with TestClient(create_app(settings, engine=engine)) as c:
        codes = []
        for _ in range(2):
            r = c.post("/api/ask", json={"question": "training"})
            codes.append(r.status_code)
            assert_secure(r)
    assert codes == [200, 429]


def test_the_page_csp_allows_only_its_own_scripts_and_styles():
    directives = dict(d.strip().split(" ", 1) for d in PAGE_CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_a_pdf_is_shown_inline_with_no_script(client):
    r = client.get(f"/api/documents/{PDF_ID}/file")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline")
    assert_secure(r, PDF_CSP)


def test_an_uploaded_html_file_is_served_as_a_plain_text_attachment(client):
    r = client.post("/api/documents", files={"file": ("kestrel.html", HTML_PAGE, "text/html")}, headers=AUTH)
    assert r.status_code == 202, r.text
    job_id, doc_id = r.json()["job_id"], r.json()["doc_id"]
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/jobs/{job_id}").json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["state"] == "done", job
    r = client.get(f"/api/documents/{doc_id}/file")
    assert r.status_code == 200 and r.content == HTML_PAGE
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment")
    assert_secure(r, FILE_CSP)
    assert "sandbox" in FILE_CSP and "script-src" not in FILE_CSP  # default-src 'none' runs nothing


def test_docs_load_nothing_from_another_origin(client):
    html = client.get("/docs").text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") or u.startswith("data:") for u in urls), urls
    assert "<script>" not in html  # no inline script: the CSP would stop it
    for u in urls:
        if u.startswith("/"):
            assert client.get(u).status_code == 200, u
    start = client.get("/docs/start.js")
    assert start.headers["content-type"].startswith("text/javascript") and "/openapi.json" in start.text
