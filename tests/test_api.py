"""The HTTP contract, through FastAPI's TestClient on a real index of the bundled reports."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

CITATION_KEYS = {"n", "source", "doc_id", "title", "period", "page", "section", "text", "quote", "score"}


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir):
    settings = Settings(index_dir=bundled_index_dir)
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def test_ask_follows_the_contract(client):
    r = client.post("/api/ask", json={"question": "How many individuals attended training in 2021-22?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"answer", "answerable", "citations", "timings"}
    assert body["answerable"] is True
    assert set(body["timings"]) >= {"retrieve_ms", "total_ms"}
    assert body["citations"], body
    for i, c in enumerate(body["citations"], start=1):
        assert CITATION_KEYS <= set(c)
        assert c["n"] == i and f"[{i}]" in body["answer"]
        assert c["quote"] in c["text"]
        assert c["text"][c["quote_start"] - c["char_start"]:c["quote_end"] - c["char_start"]] == c["quote"]
    first = body["citations"][0]
    assert first["source"] == "002_9b8a39fd266776b3.pdf" and first["period"] == "2021-22" and first["page"] == 7
    assert "1949" in first["quote"]


def test_quotes_highlight_exactly_on_their_page(client):
    body = client.post("/api/ask", json={"question": "What was the total expenditure in 2019-20?"}).json()
    c = body["citations"][0]
    page = client.get(f"/api/documents/{c['doc_id']}/pages/{c['page']}").json()
    start = c["quote_start"] - page["char_start"]
    assert page["text"][start:start + len(c["quote"])] == c["quote"][: page["char_end"] - c["quote_start"]]


def test_filters_restrict_the_sources(client):
    body = client.post("/api/ask", json={"question": "training", "filters": {"period": ["2024-25"]}}).json()
    assert body["citations"] and {c["period"] for c in body["citations"]} == {"2024-25"}
    body = client.post("/api/ask", json={"question": "training", "filters": {"source": ["003_8030df4973684338.pdf"]}}).json()
    assert {c["source"] for c in body["citations"]} == {"003_8030df4973684338.pdf"}


def test_unanswerable_questions_say_so_without_citations(client):
    body = client.post("/api/ask", json={"question": "How many foster carers were recruited in 2017-18?"}).json()
    assert body["answerable"] is False
    assert body["citations"] == []
    assert "do not say" in body["answer"] and "2015-16, 2019-20, 2021-22 and 2024-25" in body["answer"]


@pytest.mark.parametrize("payload,detail", [
    ({"question": ""}, "question is empty"),
    ({"question": "   "}, "question is empty"),
    ({"question": "x" * 2001}, "question is longer than 2000 characters (2001)"),
    ({}, "question: Field required"),
    ({"question": "q", "top_k": 0}, "top_k: Input should be greater than or equal to 1"),
    ({"question": "q", "filters": {"year": ["2021"]}}, "filters.year: Extra inputs are not permitted"),
    ({"question": "q", "filters": {"period": ["2017-18"]}}, "unknown period '2017-18'; the index has: 2015-16, 2019-20, 2021-22, 2024-25"),
    ({"question": "q", "filters": {"source": ["nope.pdf"]}}, "unknown source 'nope.pdf'"),
    ({"question": "q", "mode": "poetry"}, "mode: Input should be 'answer' or 'learning'"),
])
def test_bad_requests_get_a_422_with_a_clear_detail(client, payload, detail):
    r = client.post("/api/ask", json=payload)
    assert r.status_code == 422
    assert r.json()["detail"].startswith(detail)


def test_documents_health_and_docs(client):
    docs = client.get("/api/documents").json()
    assert len(docs) == 5
    periods = {d["source"]: d["period"] for d in docs}
    assert periods["002_9b8a39fd266776b3.pdf"] == "2021-22"
    assert all(d["n_chunks"] > 0 and d["title"] and d["kind"] for d in docs)
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 5 and health["chunks"] > 100
    assert client.get("/openapi.json").json()["paths"]["/api/ask"]
    assert client.get("/docs").status_code == 200
    assert "<html" in client.get("/").text.lower()


def test_pages_and_files(client):
    r = client.get("/api/documents/002_9b8a39fd266776b3/file")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert client.get("/api/documents/nope/file").json()["detail"] == "no document with id 'nope'"
    r = client.get("/api/documents/002_9b8a39fd266776b3/pages/99")
    assert r.status_code == 404 and r.json()["detail"] == "002_9b8a39fd266776b3.pdf has pages 1 to 13, not 99"


def test_cors_is_off_by_default_and_on_when_configured(engine, bundled_index_dir):
    headers = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(Settings(index_dir=bundled_index_dir), engine=engine)) as c:
        assert "access-control-allow-origin" not in c.options("/api/ask", headers=headers).headers
    allowed = Settings(index_dir=bundled_index_dir, cors_origins=["https://elsewhere.example"])
    with TestClient(create_app(allowed, engine=engine)) as c:
        resp = c.options("/api/ask", headers=headers)
        assert resp.headers["access-control-allow-origin"] == "https://elsewhere.example"
