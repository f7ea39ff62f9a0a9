"""Thumbs up/down on answers, kept in a local SQLite file for evaluators, and its export."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from ingest.errors import ReportQAError

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api")

FORMATS = ("jsonl", "csv")
COLUMNS = ("id", "created", "rating", "mode", "question", "history", "answer", "citations", "comment")
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    mode TEXT NOT NULL DEFAULT 'answer',
    question TEXT NOT NULL,
    history TEXT NOT NULL DEFAULT '[]',
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackError(ReportQAError):
    """The feedback store cannot be read or written."""


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., min_length=1, max_length=2000)
    answer: str = Field(..., min_length=1, max_length=50_000)
    citations: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)
    mode: Literal["answer", "learning"] = "answer"
    history: list[Annotated[str, Field(max_length=2000)]] = Field(default_factory=list, max_length=20)


class FeedbackOut(BaseModel):
    id: int
    rating: str


def _connect(db_path: Path) -> sqlite3.Connection:
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db_path, timeout=10)
    con.execute(SCHEMA)
    return con


def store_feedback(db_path: Path, item: FeedbackIn) -> int:
    """Append one rating; returns its row id."""
    row = (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), item.rating, item.mode, item.question,
        json.dumps(item.history, ensure_ascii=False), item.answer,
        json.dumps(item.citations, ensure_ascii=False), item.comment.strip(),
    )
    try:
        con = _connect(db_path)
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO feedback (created, rating, mode, question, history, answer, citations, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)
        finally:
            con.close()
    except (sqlite3.Error, OSError) as exc:
        raise FeedbackError(f"feedback could not be stored in {db_path} ({exc})") from exc


def read_feedback(db_path: Path) -> list[dict]:
    """Every stored rating, oldest first; JSON columns decoded."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FeedbackError(f"no feedback database at {db_path}; nothing has been rated yet")
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            con.row_factory = sqlite3.Row
            rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise FeedbackError(f"{db_path} is not a readable feedback database ({exc})") from exc
    out = []
    for r in rows:
        d = dict(r)
        d["history"] = json.loads(d["history"])
        d["citations"] = json.loads(d["citations"])
        out.append(d)
    return out


def _csv_citations(cites: list[dict]) -> str:
    """Citations on one CSV cell: "[1] Title (2021-22), p. 7: quote" per line."""
    lines = []
    for c in cites:
        head = f"[{c.get('n', '?')}] {c.get('title') or c.get('source', '')} ({c.get('period', '')}), p. {c.get('page', '?')}"
        lines.append(f"{head}: {c.get('quote', '')}".strip())
    return "\n".join(lines)


def export_feedback(db_path: Path, fmt: str) -> str:
    """All feedback as JSON lines or CSV text (one row per rating)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; use {' or '.join(FORMATS)}")
    rows = read_feedback(db_path)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*COLUMNS, "citations_json"], lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({**r, "history": "\n".join(r["history"]), "citations": _csv_citations(r["citations"]),
                         "citations_json": json.dumps(r["citations"], ensure_ascii=False)})
    return buf.getvalue()


@router.post("/feedback", status_code=201, response_model=FeedbackOut, summary="Rate an answer (thumbs up or down)")
def feedback(item: FeedbackIn, request: Request) -> dict:
    db_path = request.app.state.settings.feedback_db
    try:
        row_id = store_feedback(db_path, item)
    except FeedbackError as exc:
        logger.error("%s", exc)
        raise HTTPException(status_code=503, detail=str(exc)) from exc
    logger.info("feedback %d (%s) stored in %s", row_id, item.rating, db_path)
    return {"id": row_id, "rating": item.rating}
