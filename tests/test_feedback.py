"""Thumbs up/down: stored in SQLite with question, answer and citations; exported for review."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli_app
from api.feedback import FeedbackError, export_feedback
from api.settings import Settings

QUESTION = "How many individuals attended training in 2021-22?"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return tmp_path_factory.mktemp("feedback") / "nested" / "feedback.sqlite3"


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir, db):
    with TestClient(create_app(Settings(index_dir=bundled_index_dir, feedback_db=db), engine=engine)) as c:
        yield c


@pytest.fixture(scope="module")
def rated(client, db):
    """Two real answers rated through the API, one up and one down with a comment."""
    answer = client.post("/api/ask", json={"question": QUESTION}).json()
    up = client.post("/api/feedback", json={"question": QUESTION, "answer": answer["answer"],
                                            "citations": answer["citations"], "rating": "up"})
    down = client.post("/api/feedback", json={
        "question": "and the year before?", "answer": "The reports do not say.", "citations": [], "rating": "down",
        "comment": "It should have said, \"no report covers 2020-21\".", "history": [QUESTION], "mode": "answer"})
    return answer, up, down


def test_feedback_is_stored_with_question_answer_and_citations(rated, db):
    answer, up, down = rated
    assert up.status_code == 201 and up.json() == {"id": 1, "rating": "up"}
    assert down.status_code == 201 and down.json() == {"id": 2, "rating": "down"}
    con = sqlite3.connect(db)
    rows = con.execute("SELECT rating, question, answer, citations, comment, history FROM feedback ORDER BY id").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["up", "down"]
    assert rows[0][1] == QUESTION and rows[0][2] == answer["answer"] and "1949" in rows[0][2]
    stored = json.loads(rows[0][3])
    assert stored[0]["quote"] == answer["citations"][0]["quote"] and stored[0]["page"] == 7
    assert rows[1][4] == "It should have said, \"no report covers 2020-21\"."
    assert json.loads(rows[1][5]) == [QUESTION]


@pytest.mark.parametrize("payload,detail", [
    ({"question": "q", "answer": "a", "rating": "meh"}, "rating: Input should be 'up' or 'down'"),
    ({"question": "", "answer": "a", "rating": "up"}, "question: String should have at least 1 character"),
    ({"answer": "a", "rating": "up"}, "question: Field required"),
    ({"question": "q", "answer": "a", "rating": "up", "stars": 5}, "stars: Extra inputs are not permitted"),
])
def test_bad_feedback_gets_a_422_with_a_clear_detail(client, payload, detail):
    r = client.post("/api/feedback", json=payload)
    assert r.status_code == 422 and r.json()["detail"] == detail


def test_export_as_json_lines(rated, db):
    answer = rated[0]
    rows = [json.loads(line) for line in export_feedback(db, "jsonl").splitlines()]
    assert [r["id"] for r in rows] == [1, 2]
    assert rows[0]["question"] == QUESTION and rows[0]["rating"] == "up"
    assert rows[0]["citations"] == answer["citations"]
    assert rows[1]["history"] == [QUESTION] and rows[1]["created"].endswith("Z")


def test_export_as_csv_keeps_quotes_and_newlines(rated, db):
    answer = rated[0]
    rows = list(csv.DictReader(io.StringIO(export_feedback(db, "csv"))))
    assert len(rows) == 2
    first = rows[0]
    assert first["rating"] == "up" and first["question"] == QUESTION and first["answer"] == answer["answer"]
    c = answer["citations"][0]
    assert first["citations"].startswith(f"[1] {c['title']} ({c['period']}), p. {c['page']}: {c['quote']}")
    assert json.loads(first["citations_json"]) == answer["citations"]
    assert rows[1]["comment"] == "It should have said, \"no report covers 2020-21\"."


def test_export_errors_are_clear(tmp_path, db, rated):
    with pytest.raises(ValueError, match=r"^unknown format 'xml'; use jsonl or csv$"):
        export_feedback(db, "xml")
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(FeedbackError, match="^no feedback database at .*none.sqlite3; nothing has been rated yet$"):
        export_feedback(missing, "jsonl")
    assert not missing.exists()  # exporting never creates a database
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(FeedbackError, match="is not a readable feedback database"):
        export_feedback(junk, "csv")


def test_the_cli_exports_feedback(rated, db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "fb.csv"
    r = runner.invoke(cli_app, ["feedback", "export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"written to {out}" in r.output
    assert out.read_text(encoding="utf-8") == export_feedback(db, "csv")
    r = runner.invoke(cli_app, ["feedback", "export", "--db", str(db)])
    assert r.exit_code == 0 and r.output == export_feedback(db, "jsonl")
    r = runner.invoke(cli_app, ["feedback", "export", "--db", str(tmp_path / "none.sqlite3")])
    assert r.exit_code == 1 and "error: no feedback database at" in r.output


def test_a_feedback_store_that_cannot_be_written_is_a_503(engine, bundled_index_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = Settings(index_dir=bundled_index_dir, feedback_db=blocker / "feedback.sqlite3")
    with TestClient(create_app(settings, engine=engine)) as c:
        r = c.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "up"})
    assert r.status_code == 503 and r.json()["detail"].startswith("feedback could not be stored in")
