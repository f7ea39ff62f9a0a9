"""POST /api/ask/stream: the /api/ask answer as Server-Sent Events.

Events, in order: ``status`` ({"message"}) while searching, ``status`` again when composing,
``token`` ({"text"}) pieces that concatenate to the answer, then ``done`` with the same JSON as
/api/ask. Anything that goes wrong after the stream has started ends it with ``error``
({"detail"}). An empty or over-long question is refused with a 422 before the stream starts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.limits import check_ask_fields
from api.schemas import AskRequest, AskResponse
from ingest.errors import ReportQAError
from qa.engine import check_question

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api")

SEARCHING = "Searching the reports…"
COMPOSING = "Composing the answer…"
WORDS_PER_TOKEN = 3
_PIECE = re.compile(r"\s*\S+\s*")


def sse(event: str, data: dict) -> str:
    """One Server-Sent Event; the data is one line of JSON."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def pieces(text: str, words: int = WORDS_PER_TOKEN) -> Iterator[str]:
    """The text in pieces of a few words each, whitespace kept, so that "".join(...) == text."""
    parts = _PIECE.findall(text)
    if "".join(parts) != text:  # only whitespace (or nothing): send it whole
        parts = [text] if text else []
    for i in range(0, len(parts), words):
        yield "".join(parts[i:i + words])


async def events(req: AskRequest, request: Request) -> AsyncIterator[str]:
    engine = request.app.state.engine  # one engine (and store) for the whole answer
    filters = req.filters.model_dump(exclude_none=True) if req.filters else None
    yield sse("status", {"message": SEARCHING})
    try:
        resp = await run_in_threadpool(engine.ask, req.question, req.top_k, filters, req.mode, req.history)
        body = AskResponse.model_validate(resp).model_dump(mode="json")
    except ReportQAError as exc:
        yield sse("error", {"detail": str(exc)})
        return
    except Exception as exc:  # the client must hear why the stream ended
        logger.exception("streamed answer failed")
        yield sse("error", {"detail": f"the answer could not be composed: an internal error "
                                      f"({exc.__class__.__name__}) was logged on the server"})
        return
    yield sse("status", {"message": COMPOSING})
    for piece in pieces(body["answer"]):
        if await request.is_disconnected():
            return
        yield sse("token", {"text": piece})
        await asyncio.sleep(0)  # let each piece leave as its own chunk
    yield sse("done", body)


@router.post("/ask/stream", summary="Answer a question, streamed as Server-Sent Events",
             response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "status, token, then done (or error) events"}})
async def ask_stream(req: AskRequest, request: Request) -> StreamingResponse:
    check_ask_fields(req.question, req.history, request.app.state.settings)
    check_question(req.question)  # QueryError -> 422 JSON before any event is sent
    return StreamingResponse(events(req, request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
