"""POST /api/ask/stream: status events, answer pieces, then the /api/ask JSON (or an error event)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stream import COMPOSING, SEARCHING, pieces

QUESTION = "How many individuals attended training in 2021-22?"


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir):
    with TestClient(create_app(Settings(index_dir=bundled_index_dir), engine=engine)) as c:
        yield c


def read_events(client: TestClient, payload: dict) -> list[tuple[str, dict]]:
    """The stream's events as (name, data), checking the wire format on the way."""
    with client.stream("POST", "/api/ask/stream", json=payload) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        raw = "".join(r.iter_text())
    assert raw.endswith("\n\n")
    events = []
    for block in raw.split("\n\n")[:-1]:
        lines = block.split("\n")
        assert len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "), block
        events.append((lines[0][7:], json.loads(lines[1][6:])))
    return events


def test_events_come_in_order_and_add_up_to_the_answer(client):
    events = read_events(client, {"question": QUESTION})
    names = [e for e, _ in events]
    assert names[:2] == ["status", "status"] and names[-1] == "done"
    assert set(names[2:-1]) == {"token"} and len(names) > 4
    assert [d["message"] for e, d in events if e == "status"] == [SEARCHING, COMPOSING]
    done = events[-1][1]
    assert "".join(d["text"] for e, d in events if e == "token") == done["answer"]
    assert "1949" in done["answer"] and done["answerable"] is True


def test_the_done_event_is_the_ask_response(client):
    payload = {"question": "training", "filters": {"period": ["2024-25"]}, "top_k": 3}
    done = read_events(client, payload)[-1][1]
    plain = client.post("/api/ask", json=payload).json()
    assert set(done) == set(plain) == {"answer", "answerable", "citations", "timings"}
    assert done["answer"] == plain["answer"] and done["citations"] == plain["citations"]
    assert {c["period"] for c in done["citations"]} == {"2024-25"}


def test_follow_ups_use_the_history(client):
    done = read_events(client, {"question": "and the year before?", "history": [QUESTION]})[-1][1]
    plain = client.post("/api/ask", json={"question": "and the year before?", "history": [QUESTION]}).json()
    assert done["answer"] == plain["answer"]


def test_learning_mode_streams_too(client):
    events = read_events(client, {"question": "What was learned from rapid reviews?", "mode": "learning"})
    assert events[-1][0] == "done"
    assert "".join(d["text"] for e, d in events if e == "token") == events[-1][1]["answer"]


def test_an_unanswerable_question_still_ends_with_done(client):
    events = read_events(client, {"question": "How many foster carers were recruited in 2017-18?"})
    done = events[-1]
    assert done[0] == "done" and done[1]["answerable"] is False and done[1]["citations"] == []


def test_errors_found_by_the_engine_end_the_stream_with_an_error_event(client):
    events = read_events(client, {"question": "training", "filters": {"period": ["2017-18"]}})
    assert [e for e, _ in events] == ["status", "error"]
    assert events[-1][1]["detail"].startswith("unknown period '2017-18'; the index has: 2015-16")


@pytest.mark.parametrize("payload,detail", [
    ({"question": "   "}, "question is empty"),
    ({"question": "x" * 2001}, "question is longer than 2000 characters (2001)"),
    ({}, "question: Field required"),
    ({"question": "q", "mode": "poetry"}, "mode: Input should be 'answer' or 'learning'"),
])
def test_bad_requests_are_refused_before_the_stream_starts(client, payload, detail):
    r = client.post("/api/ask/stream", json=payload)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/json"
    assert r.json()["detail"] == detail


@pytest.mark.parametrize("text", ["", "one", "a b c d e f g", "Line one [1]\n- 2021-22: x [2]\n", "  lead  and trail  "])
def test_pieces_rebuild_the_text_exactly(text):
    parts = list(pieces(text))
    assert "".join(parts) == text
    assert all(p for p in parts)
