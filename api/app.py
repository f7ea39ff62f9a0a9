"""The FastAPI application factory; the index and the model are loaded in ``lifespan``."""

from __future__ import annotations

import logging
import os
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api.leftovers import clean_upload_dir
from api.limits import BodyGuard
from api.offline_docs import add_docs
from api.ratelimit import RateLimit
from api.security import SecurityHeaders
from api.settings import Settings
from ingest.errors import QueryError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def _validation_detail(exc: RequestValidationError) -> str:
    """One readable sentence for the first validation error, e.g. "question: Field required"."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(settings: Settings, engine=None) -> FastAPI:
    """Build the app; pass ``engine`` to reuse one already loaded (tests)."""
    from api import routes

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if engine is None:
            from index.dense import Embedder
            from index.store import IndexStore
            from qa.engine import Engine

            embedder = Embedder()
            store = IndexStore.load(settings.index_dir, embedder.name, embedder.sha256)
            app.state.engine = Engine(store, embedder, settings.abstain_threshold).warm()
            logger.info("loaded %d documents, %d chunks from %s", len(store.documents), len(store.chunks), settings.index_dir)
        else:
            app.state.engine = engine
        store = app.state.engine.store
        clean_upload_dir(settings.upload_dir, {d.source: d.sha256 for d in store.documents.values()})
        yield

    app = FastAPI(title="reportqa", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Cited answers from safeguarding partnership annual reports.")
    app.state.settings = settings
    app.state.write_lock = threading.Lock()
    # The last added runs first: headers on every response (a refusal too), then the rate limit
    # (before any byte of the body is read), then the body's size and encoding.
    app.add_middleware(BodyGuard, settings=settings)
    app.add_middleware(RateLimit, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["*"])
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return JSONResponse(status_code=422, content={"detail": _validation_detail(exc)})

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError):
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        # Still a 500 (and logged with its traceback by the server), but JSON with a detail.
        return JSONResponse(status_code=500, content={"detail": f"internal error ({exc.__class__.__name__}); "
                                                                "it was logged on the server"})

    app.include_router(routes.router)
    for extra in routes.extra_routers():
        app.include_router(extra)
    add_docs(app)
    app.mount("/", StaticFiles(directory=STATIC, html=True), name="static")
    return app
