"""Inputs are bounded and checked before any work: body size, field lengths, encodings, JSON types,
and per-client rate limits (issue 14, findings 1 and 3)."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.limits import BodyGuard, check_json, first_surrogate
from api.ratelimit import TokenBuckets
from api.settings import Settings

FEEDBACK = {"question": "q", "answer": "a", "rating": "up"}


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("limits")
    settings = Settings(index_dir=bundled_index_dir, feedback_db=root / "feedback.sqlite3", upload_dir=root / "uploads",
                        rate_ask_per_minute=0, rate_feedback_per_minute=0)
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def post(client, path: str, body: bytes, **headers):
    return client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("path,body,status,detail", [
    # a lone surrogate made the tokenizer raise TypeError: a bare 500 before
    ("/api/ask", b'{"question": "\\ud800"}', 422,
     "question: contains a lone surrogate (\\ud800); send text as valid Unicode"),
    ("/api/ask/stream", b'{"question": "training \\udfff"}', 422,
     "question: contains a lone surrogate (\\udfff); send text as valid Unicode"),
    ("/api/ask", b'{"question": "training", "history": ["ok", "\\ud83d"]}', 422,
     "history.1: contains a lone surrogate (\\ud83d); send text as valid Unicode"),
    ("/api/feedback", b'{"question": "q", "answer": "a", "rating": "up", "comment": "\\ud800"}', 422,
     "comment: contains a lone surrogate (\\ud800); send text as valid Unicode"),
    ("/api/ask", b'{"\\ud800": 1}', 422, "body: contains a lone surrogate (\\ud800); send text as valid Unicode"),
    # bad bytes got a vague "There was an error parsing the body"
    ("/api/ask", b'{"question": "caf\xe9"}', 400, "the request body is not valid UTF-8 (byte 0xe9 at position 17)"),
    ("/api/ask", '{"question": "x"}'.encode("utf-16"), 400,
     "the request body is not valid UTF-8 (byte 0xff at position 0)"),
    ("/api/ask", b'{"question": "x"', 400,
     "the request body is not valid JSON (Expecting ',' delimiter at line 1 column 17)"),
    ("/api/ask", b"", 422, "the request body is empty; send a JSON object"),
    ("/api/ask", b"[" * 100_000, 413, "the request body is larger than the limit of 64 KB"),
    # wrong JSON types
    ("/api/ask", b'{"question": 12}', 422, "question: Input should be a valid string"),
    ("/api/ask", b'{"question": "x", "history": "earlier"}', 422, "history: Input should be a valid list"),
    ("/api/ask", b'{"question": "x", "top_k": "many"}', 422,
     "top_k: Input should be a valid integer, unable to parse string as an integer"),
    ("/api/ask", b'["question"]', 422, "body: Input should be a valid dictionary or object to extract fields from"),
    ("/api/feedback", b'{"question": "q", "answer": "a", "rating": 1}', 422, "rating: Input should be 'up' or 'down'"),
])
def test_malformed_bodies_get_an_exact_4xx(client, path, body, status, detail):
    r = post(client, path, body)
    assert (r.status_code, r.json()) == (status, {"detail": detail})


def test_history_items_and_length_are_bounded(client):
    # 20 x 5M characters of history took 40 s and 450 MB before; now 422 before any work.
    r = client.post("/api/ask", json={"question": "and the year before?", "history": ["x" * 2001]})
    assert (r.status_code, r.json()["detail"]) == (422, "history.0 is longer than 2000 characters (2001)")
    r = client.post("/api/ask/stream", json={"question": "q", "history": ["a"] * 21})
    assert (r.status_code, r.json()["detail"]) == (422, "history has 21 items; at most 20 are allowed")
    r = client.post("/api/ask", json={"question": "q" * 2001})
    assert (r.status_code, r.json()["detail"]) == (422, "question is longer than 2000 characters (2001)")


def test_an_oversized_body_is_refused_from_its_declared_length(client):
    r = post(client, "/api/ask", json.dumps({"question": "x" * 70_000}).encode())
    assert (r.status_code, r.json()["detail"]) == (413, "the request body is larger than the limit of 64 KB")


def test_an_oversized_chunked_body_is_refused(client):
    r = client.post("/api/ask", content=iter([b'{"question": "', b"y" * 40_000, b"y" * 40_000, b'"}']),
                    headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["detail"]) == (413, "the request body is larger than the limit of 64 KB")


def test_feedback_has_a_size_limit(client):
    big = {**FEEDBACK, "citations": [{"quote": "z" * 5000}] * 30}  # 150 KB; the answer alone stays under
    r = client.post("/api/feedback", json=big)
    assert (r.status_code, r.json()["detail"]) == (413, "the request body is larger than the limit of 128 KB")
    assert client.post("/api/feedback", json=FEEDBACK).status_code == 201


def test_the_body_is_cut_off_not_read_whole():
    """A body streamed in 1 KB pieces is refused once past the limit: the rest is never read."""
    read = 0
    responses = []

    async def receive():
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b"a" * 1024, "more_body": True}  # never ends

    async def send(message):
        responses.append(message)

    async def app(scope, receive, send):  # pragma: no cover - must not be reached
        raise AssertionError("the app ran")

    guard = BodyGuard(app, Settings(max_json_kb=8))
    asyncio.run(guard({"type": "http", "path": "/api/ask", "method": "POST", "headers": []}, receive, send))
    assert read == 9
    assert responses[0]["status"] == 413
    assert json.loads(responses[1]["body"]) == {"detail": "the request body is larger than the limit of 8 KB"}


def test_check_json_and_first_surrogate():
    check_json(b'{"question": "caf\xc3\xa9 \\u00e9 \\ud83d\\ude00"}')  # a valid pair is fine
    assert first_surrogate({"a": [{"b": "x"}, "\ud800"]}) == ("a.1", "\\ud800")
    assert first_surrogate({"a": ["ok"]}) is None


def test_token_buckets_allow_a_burst_then_the_rate():
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=2, clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # clients are counted apart
    now[0] = 0.5
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] = 1.0
    assert buckets.take("a") == 0.0
    with pytest.raises(ValueError, match="burst >= 1"):
        TokenBuckets(10, 0)


def test_ask_stream_and_feedback_are_rate_limited_per_client(engine, bundled_index_dir, tmp_path):
    settings = Settings(index_dir=bundled_index_dir, feedback_db=tmp_path / "f.sqlite3", upload_dir=tmp_path / "up",
                        rate_ask_per_minute=6, rate_feedback_per_minute=6, rate_burst=2)
    with TestClient(create_app(settings, engine=engine)) as c:
        assert c.post("/api/ask", json={"question": "training"}).status_code == 200
        assert c.post("/api/ask/stream", json={"question": "training"}).status_code == 200
        r = c.post("/api/ask", json={"question": "training"})
        assert r.status_code == 429 and r.headers["retry-after"] == "10"
        assert r.json()["detail"] == "too many requests from testclient; try again in 10 s"
        assert c.post("/api/ask/stream", json={"question": "training"}).status_code == 429
        assert [c.post("/api/feedback", json=FEEDBACK).status_code for _ in range(3)] == [201, 201, 429]
        assert c.get("/api/health").status_code == 200  # reads are not limited
