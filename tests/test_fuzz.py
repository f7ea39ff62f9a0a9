"""Hypothesis over the inputs of /api/ask, /api/ask/stream, /api/feedback and the upload: whatever
arrives, the answer is never a 5xx, and a refusal is JSON with a ``detail`` (issue 14, finding 3)."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from api.app import create_app
from api.settings import Settings

TOKEN = "fuzz-token"
# Any code point, lone surrogates included (Hypothesis leaves them out unless asked).
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
TEXT = st.one_of(st.text(ANY_CHAR, max_size=40), st.sampled_from(["", " ", "training", "\ud800", "2021-22"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False), TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
RUN = hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def field(valid):
    """A field's value: mostly of the right kind, sometimes anything at all."""
    return st.one_of(valid, JSON)


ASK = st.fixed_dictionaries({}, optional={
    "question": field(TEXT),
    "top_k": field(st.integers(-5, 30)),
    "mode": field(st.sampled_from(["answer", "learning", "other"])),
    "history": field(st.lists(TEXT, max_size=25)),
    "filters": field(st.fixed_dictionaries({}, optional={"period": field(st.lists(TEXT, max_size=3)),
                                                         "source": field(st.lists(TEXT, max_size=3)),
                                                         "organisation": field(st.lists(TEXT, max_size=3))})),
    "extra": JSON,
})
FEEDBACK = st.fixed_dictionaries({}, optional={
    "question": field(TEXT), "answer": field(TEXT), "rating": field(st.sampled_from(["up", "down", "sideways"])),
    "comment": field(TEXT), "mode": field(st.sampled_from(["answer", "learning"])),
    "history": field(st.lists(TEXT, max_size=3)), "citations": field(st.lists(st.dictionaries(TEXT, JSON), max_size=3)),
})
BODY = st.one_of(JSON.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200))


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(bundled_index_dir, root / "index")
    settings = Settings(index_dir=root / "index", admin_token=TOKEN, upload_dir=root / "uploads",
                        feedback_db=root / "feedback.sqlite3", max_upload_mb=1,
                        rate_ask_per_minute=0, rate_feedback_per_minute=0)
    with TestClient(create_app(settings, engine=engine), raise_server_exceptions=False) as c:
        yield c


def check(r) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400:
        detail = r.json()["detail"]
        assert isinstance(detail, str) and detail


def send_json(client, path: str, value) -> None:
    # ensure_ascii: a lone surrogate travels as its \u escape, as a browser's JSON.stringify sends it
    r = client.post(path, content=json.dumps(value).encode(), headers={"Content-Type": "application/json"})
    check(r)
    if r.status_code == 200 and path.endswith("/stream"):
        events = [line for line in r.text.splitlines() if line.startswith("event: ")]
        assert events[-1] in ("event: done", "event: error")


@RUN
@given(body=ASK)
def test_ask_never_fails_with_a_5xx(client, body):
    send_json(client, "/api/ask", body)


@RUN
@given(body=ASK)
def test_ask_stream_never_fails_with_a_5xx(client, body):
    send_json(client, "/api/ask/stream", body)


@RUN
@given(body=FEEDBACK)
def test_feedback_never_fails_with_a_5xx(client, body):
    send_json(client, "/api/feedback", body)


@RUN
@given(path=st.sampled_from(["/api/ask", "/api/ask/stream", "/api/feedback"]), body=BODY,
       kind=st.sampled_from(["application/json", "text/plain", "application/json; charset=latin-1", ""]))
def test_any_bytes_never_fail_with_a_5xx(client, path, body, kind):
    check(client.post(path, content=body, headers={"Content-Type": kind} if kind else {}))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(name=TEXT, suffix=st.sampled_from([".pdf", ".txt", ".md", ".html", ".exe", ""]),
       content=st.binary(max_size=300), token=st.sampled_from([TOKEN, "", "wrong", "\u00e9"]),
       field_name=st.sampled_from(["file", "other"]))
def test_upload_never_fails_with_a_5xx(client, name, suffix, content, token, field_name):
    headers = {"X-Admin-Token": token} if token.isascii() else {"Authorization": f"Bearer {token}".encode()}
    try:
        filename = (name + suffix).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        filename = "surrogate" + suffix  # multipart headers cannot carry one; the body is tried below
    check(client.post("/api/documents", files={field_name: (filename, content, "application/octet-stream")},
                      headers=headers))
