"""Request bodies bounded and checked before any work: size, encoding, JSON syntax, lone surrogates.

``BodyGuard`` is a plain ASGI middleware. It refuses a declared ``Content-Length`` over the
route's limit at once, and counts the bytes of a body as they arrive, answering 413 as soon as
the count passes the limit, so an oversized request is never read whole. A JSON body (at most
``max_json_kb``, so cheap to hold) is then decoded as strict UTF-8 and parsed; bad bytes, bad
JSON and strings holding a lone surrogate (which no tokenizer can encode) get a 400 or 422 with
an exact ``detail`` before the route sees the request. The body is then replayed to the app.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from fastapi import HTTPException

from api.settings import Settings

logger = logging.getLogger(__name__)

Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Multipart framing around an upload's bytes: the file limit itself is enforced by the route,
# which names the file; this only stops a body far past it.
MULTIPART_SLACK = 64 * 1024


class BodyError(HTTPException):
    """A request body refused before the route runs: ``status`` and an exact ``detail``. An
    HTTPException, so that one raised while a route parses a form passes FastAPI's "error parsing
    the body" net unchanged."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(status_code=status, detail=detail)
        self.status = status


def body_limit(path: str, method: str, settings: Settings) -> tuple[int, bool]:
    """The byte limit of a request's body and whether it must be JSON."""
    if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return 0, False
    if path == "/api/feedback":
        return settings.max_feedback_kb * 1024, True
    if path == "/api/documents":
        return settings.max_upload_mb * 1024 * 1024 + MULTIPART_SLACK, False
    if path.startswith("/api/"):
        return settings.max_json_kb * 1024, True
    return 0, False


def describe_limit(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def too_large(limit: int) -> BodyError:
    return BodyError(413, f"the request body is larger than the limit of {describe_limit(limit)}")


def declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            if not text.isdigit():
                raise BodyError(400, f"the Content-Length header is not a number ({text[:40]!r})")
            return int(text)
    return None


def first_surrogate(value, where: str = "") -> tuple[str, str] | None:
    """(field path, the surrogate escaped) of the first string holding a lone surrogate, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return where or "body", f"\\u{ord(value[exc.start]):04x}"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = first_surrogate(key, where or "body") or first_surrogate(item, f"{where}.{key}" if where else key)
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = first_surrogate(item, f"{where}.{i}" if where else str(i))
            if found:
                return found
    return None


def check_json(body: bytes) -> None:
    """Raise a BodyError with the exact reason if ``body`` is not UTF-8 JSON of valid Unicode."""
    if not body.strip():
        raise BodyError(422, "the request body is empty; send a JSON object")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(400, f"the request body is not valid UTF-8 (byte 0x{body[exc.start]:02x} at "
                             f"position {exc.start})") from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyError(400, f"the request body is not valid JSON ({exc.msg} at line {exc.lineno} "
                             f"column {exc.colno})") from exc
    except RecursionError as exc:
        raise BodyError(400, "the request body is not valid JSON (nested too deeply)") from exc
    found = first_surrogate(value)
    if found:
        raise BodyError(422, f"{found[0]}: contains a lone surrogate ({found[1]}); send text as valid Unicode")


async def refuse(send: Send, err: BodyError) -> None:
    body = json.dumps({"detail": err.detail}).encode()
    await send({"type": "http.response.start", "status": err.status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    """ASGI middleware: bounded bodies, and JSON bodies checked, before the app reads them."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, is_json = body_limit(scope["path"], scope["method"], self.settings)
        if not limit:
            await self.app(scope, receive, send)
            return
        try:
            declared = declared_length(scope)
            if declared is not None and declared > limit:
                raise too_large(limit)
            if is_json:
                body = await read_body(receive, limit)
                check_json(body)
                receive = replay(body, receive)
            else:
                receive = counted(receive, limit)
        except BodyError as err:
            logger.info("%s %s refused: %s", scope["method"], scope["path"], err.detail)
            await refuse(send, err)
            return
        try:
            await self.app(scope, receive, send)
        except BodyError as err:  # a streamed (multipart) body passed its limit while being read
            logger.info("%s %s refused: %s", scope["method"], scope["path"], err.detail)
            await refuse(send, err)


async def read_body(receive: Receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BodyError(400, "the client disconnected before the request body ended")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return again


def counted(receive: Receive, limit: int) -> Receive:
    size = 0

    async def next_message() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise too_large(limit)
        return message

    return next_message


def check_ask_fields(question: str, history: list[str], settings: Settings) -> None:
    """422 with the exact reason when a question or its history is over the limits in Settings;
    checked before the question is tokenized or embedded."""
    if len(question) > settings.max_question_chars:
        raise HTTPException(status_code=422, detail=f"question is longer than {settings.max_question_chars} "
                                                    f"characters ({len(question)})")
    if len(history) > settings.max_history_items:
        raise HTTPException(status_code=422, detail=f"history has {len(history)} items; at most "
                                                    f"{settings.max_history_items} are allowed")
    for i, item in enumerate(history):
        if len(item) > settings.max_history_item_chars:
            raise HTTPException(status_code=422, detail=f"history.{i} is longer than "
                                                        f"{settings.max_history_item_chars} characters ({len(item)})")
