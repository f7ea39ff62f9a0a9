"""HTTP routes: ask, documents, pages, files, health."""

from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.limits import check_ask_fields
from api.schemas import AskRequest, AskResponse, DocumentOut, Health, PageOut

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api")

# Routers of later features, included when their module is present.
OPTIONAL_ROUTERS = ("api.documents_write", "api.feedback", "api.stream", "api.learning")


def extra_routers() -> list[APIRouter]:
    out = []
    for name in OPTIONAL_ROUTERS:
        try:
            out.append(importlib.import_module(name).router)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return out


def engine_of(request: Request):
    return request.app.state.engine


@router.post("/ask", response_model=AskResponse, summary="Answer a question with cited passages")
async def ask(req: AskRequest, request: Request) -> dict:
    check_ask_fields(req.question, req.history, request.app.state.settings)
    engine = engine_of(request)
    filters = req.filters.model_dump(exclude_none=True) if req.filters else None
    return await run_in_threadpool(engine.ask, req.question, req.top_k, filters, req.mode, req.history)


@router.get("/documents", response_model=list[DocumentOut], summary="The indexed reports")
def documents(request: Request) -> list[dict]:
    store = engine_of(request).store
    counts: dict[str, int] = {}
    for c in store.chunks:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    docs = sorted(store.documents.values(), key=lambda d: (d.period, d.source))
    series = {doc_id: p.name for p in engine_of(request).partnerships for doc_id in p.doc_ids}
    return [{**d.to_dict(), "n_chunks": counts.get(d.doc_id, 0), "partnership": series.get(d.doc_id, "")} for d in docs]


def _document(request: Request, doc_id: str):
    doc = engine_of(request).store.documents.get(doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document with id '{doc_id}'")
    return doc


@router.get("/documents/{doc_id}/pages/{number}", response_model=PageOut, summary="One clean page with its offsets")
def page(doc_id: str, number: int, request: Request) -> dict:
    doc = _document(request, doc_id)
    pages = engine_of(request).store.pages[doc_id]
    if not 1 <= number <= len(pages):
        raise HTTPException(status_code=404, detail=f"{doc.source} has pages 1 to {len(pages)}, not {number}")
    p = pages[number - 1]
    return {"doc_id": doc_id, "number": p.number, "text": p.text, "char_start": p.char_start, "char_end": p.char_end}


@router.get("/documents/{doc_id}/file", summary="The original file (open a PDF at a page with #page=N)")
def document_file(doc_id: str, request: Request):
    doc = _document(request, doc_id)
    settings = request.app.state.settings
    for folder in (settings.reports_dir, settings.upload_dir):
        path = folder / doc.source
        if path.is_file():
            # Only a PDF is shown in the browser; any other file (an uploaded .html page too) is
            # downloaded as plain text, never rendered as this site (see api.security).
            if path.suffix.lower() == ".pdf":
                return FileResponse(path, media_type="application/pdf", filename=doc.source,
                                    content_disposition_type="inline")
            return FileResponse(path, media_type="text/plain; charset=utf-8", filename=doc.source,
                                content_disposition_type="attachment")
    raise HTTPException(status_code=404, detail=f"the file {doc.source} is not on the server")


@router.get("/health", response_model=Health, summary="Liveness and index size")
def health(request: Request) -> dict:
    engine = engine_of(request)
    store = engine.store
    return {"status": "ok", "documents": len(store.documents), "chunks": len(store.chunks),
            "model": store.model_name, "index": store.manifest_hash()}
