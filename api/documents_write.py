"""Write endpoints: upload a report (ingested in the background), follow the job, delete a report.

Every write needs the admin token (``Settings.admin_token``; empty disables writes). An upload is
read, embedded and saved into a NEW store under ``app.state.write_lock``; only when the index
directory has been replaced and the file moved into ``upload_dir`` does the app switch to an
engine holding the new store, so a request in flight keeps the store it started with and a
failure leaves both the index directory and the live store as they were.
"""

from __future__ import annotations

import copy
import hmac
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from api.leftovers import INCOMING, PREVIOUS
from index.store import IndexStore
from ingest.errors import IngestError, ReportQAError
from ingest.load import doc_id_for, load_document
from ingest.tokens import count_tokens

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api")

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md", ".html")
STATES = ("queued", "reading", "embedding", "saving", "done", "failed")
_READ_BLOCK = 1 << 20
_BOARD_LOCK = threading.Lock()
KEEP_JOBS = 200  # finished jobs beyond this many are forgotten, oldest first


@dataclass
class Job:
    """One upload's progress, as GET /api/jobs/{job_id} returns it."""

    job_id: str
    filename: str
    state: str = "queued"
    detail: str = ""
    doc_id: str = ""
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["step"] = STATES.index(self.state) if self.state != "failed" else -1
        d["steps"] = len(STATES) - 2
        return d


class JobBoard:
    """Thread-safe registry of upload jobs, kept in memory for the life of the app."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def new(self, filename: str) -> Job:
        job = Job(job_id=uuid.uuid4().hex, filename=filename)
        with self._lock:
            finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
            for old in sorted(finished, key=lambda j: j.updated)[:max(0, len(self._jobs) - KEEP_JOBS)]:
                del self._jobs[old.job_id]
            self._jobs[job.job_id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return copy.copy(job) if job else None

    def update(self, job: Job, state: str, detail: str = "", doc_id: str = "") -> None:
        with self._lock:
            job.state, job.updated = state, time.time()
            job.detail = detail or job.detail
            job.doc_id = doc_id or job.doc_id


def jobs_of(request: Request) -> JobBoard:
    state = request.app.state
    with _BOARD_LOCK:  # not write_lock: that is held for the whole of an ingest
        if not isinstance(getattr(state, "upload_jobs", None), JobBoard):
            state.upload_jobs = JobBoard()
    return state.upload_jobs


def require_admin(request: Request) -> None:
    """401 without a token, 403 with a wrong one or when writes are disabled."""
    expected = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(status_code=403, detail="uploads and deletes are disabled on this server: "
                                                    "set REPORTQA_ADMIN_TOKEN to enable them")
    auth = request.headers.get("authorization", "")
    given = auth[7:].strip() if auth.lower().startswith("bearer ") else request.headers.get("x-admin-token", "")
    if not given:
        raise HTTPException(status_code=401, detail="an admin token is required "
                                                    "(send 'Authorization: Bearer <token>' or 'X-Admin-Token')",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="the admin token is not valid")


def safe_filename(name: str) -> str:
    """The upload's base name with only safe characters, or a 400 if nothing usable is left."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", base).lstrip(".")
    if not base or not Path(base).stem:
        raise HTTPException(status_code=400, detail=f"the upload has no usable file name ({name!r})")
    return base[:200]


def check_suffix(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        reason = IngestError(name, f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(ALLOWED_SUFFIXES)}")
        raise HTTPException(status_code=415, detail=str(reason))


def too_large(name: str, limit_mb: int) -> HTTPException:
    return HTTPException(status_code=413, detail=f"{name} is larger than the upload limit of {limit_mb} MB")


async def save_upload(upload: UploadFile, dest: Path, limit_mb: int) -> int:
    """Copy the upload to ``dest`` block by block, stopping with a 413 past the limit."""
    limit = limit_mb * 1024 * 1024
    size = 0
    with dest.open("wb") as out:
        while block := await upload.read(_READ_BLOCK):
            size += len(block)
            if size > limit:
                raise too_large(dest.name, limit_mb)
            out.write(block)
    if size == 0:
        raise HTTPException(status_code=400, detail=f"{dest.name}: the file is empty")
    return size


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def background_embedder(embedder, threads: int):
    """The live embedder (same model) limited to ``threads`` CPU threads for a batch."""
    if getattr(embedder, "threads", None) is None or threads < 1:
        return embedder
    limited = copy.copy(embedder)
    limited.threads = min(threads, embedder.threads)
    return limited


def swap_engine(app, store: IndexStore) -> None:
    """Point the app at an engine holding ``store``; the old engine object is left untouched.
    The new engine builds all its caches first, so the swap is one reference assignment and no
    request pays for a rebuild (before, every request in flight rebuilt them at once)."""
    engine = copy.copy(app.state.engine)
    engine.store = store
    engine.warm()
    app.state.engine = engine


def place_file_then_save(staged: Path, target: Path, store: IndexStore | None, index_dir: Path) -> None:
    """Move the file into the upload folder, then save the index; if saving fails, put back the file
    that was there before (if any), so the folder and the index on disk still agree."""
    backup = target.with_name(f"{PREVIOUS}{target.name}")  # beside it, where startup looks (api.leftovers)
    had_old = target.is_file()
    if had_old:
        os.replace(target, backup)
    os.replace(staged, target)
    try:
        if store is not None:
            store.save(index_dir)
    except BaseException:
        target.unlink(missing_ok=True)
        if had_old:
            os.replace(backup, target)
        raise
    backup.unlink(missing_ok=True)  # a kill before this line is settled at startup (api.leftovers)


def ingest_upload(app, job: Job, board: JobBoard, staged: Path) -> None:
    """Background work of one upload; any failure leaves the index and the live store as they were."""
    settings = app.state.settings
    name = staged.name
    try:
        with app.state.write_lock:
            board.update(job, "reading")
            embedder = background_embedder(app.state.engine.embedder, settings.write_threads)
            live = app.state.engine.store
            try:
                loaded = load_document(staged, count_tokens, live.chunking)
            except IngestError:
                raise
            except Exception as exc:  # a parser failure is still this file's fault, named as such
                raise IngestError(name, f"could not be read ({exc.__class__.__name__}: {exc})") from exc
            if not loaded.chunks:
                raise IngestError(name, "no passages could be cut from the text")
            board.update(job, "embedding", doc_id=loaded.document.doc_id)
            store = IndexStore.load(settings.index_dir, embedder.name, embedder.sha256)
            changed = store.add([loaded], embedder)
            board.update(job, "saving")
            place_file_then_save(staged, settings.upload_dir / name, store if changed else None, settings.index_dir)
            swap_engine(app, store)
        doc = loaded.document
        summary = f"{name} is indexed: {doc.title} ({doc.period or 'no period found'}), {plural(doc.n_pages, 'page')}, " \
                  f"{plural(len(loaded.chunks), 'passage')}" if changed else f"{name} is unchanged; nothing to do"
        board.update(job, "done", summary)
        logger.info("upload %s: %s", job.job_id, summary)
    except ReportQAError as exc:
        board.update(job, "failed", str(exc))
        logger.warning("upload %s failed: %s", job.job_id, exc)
    except Exception as exc:  # the job must always end, with a reason
        board.update(job, "failed", f"{name}: indexing failed ({exc.__class__.__name__}: {exc})")
        logger.exception("upload %s failed", job.job_id)
    finally:
        shutil.rmtree(staged.parent, ignore_errors=True)


@router.post("/documents", status_code=202, dependencies=[Depends(require_admin)],
             summary="Upload a report (.pdf, .txt, .md, .html); it is indexed in the background")
async def upload_document(request: Request, file: UploadFile = File(...)) -> dict:
    settings = request.app.state.settings
    name = safe_filename(file.filename or "")
    check_suffix(name)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_upload_mb * 1024 * 1024 + 64 * 1024:
        raise too_large(name, settings.max_upload_mb)
    if (settings.reports_dir / name).is_file():
        raise HTTPException(status_code=409, detail=f"{name} is a bundled report in {settings.reports_dir}; "
                                                    "rename the file to upload it")
    doc_id = doc_id_for(Path(name))
    other = request.app.state.engine.store.documents.get(doc_id)
    if other is not None and other.source != name:
        raise HTTPException(status_code=409, detail=f"{name} would replace {other.source} (both have the id "
                                                    f"'{doc_id}'); rename the file")
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=INCOMING, dir=settings.upload_dir))
    staged = folder / name
    try:
        await save_upload(file, staged, settings.max_upload_mb)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    board = jobs_of(request)
    job = board.new(name)
    accepted = {"job_id": job.job_id, "state": job.state, "filename": name, "doc_id": doc_id}
    threading.Thread(target=ingest_upload, args=(request.app, job, board, staged),
                     name=f"upload-{job.job_id[:8]}", daemon=True).start()
    return accepted


@router.get("/jobs/{job_id}", summary="Progress of an upload: queued, reading, embedding, saving, done or failed")
def job_status(job_id: str, request: Request) -> dict:
    job = jobs_of(request).get(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"no upload job with id '{job_id}'")
    return job.to_dict()


def _delete(app, doc_id: str) -> dict:
    settings = app.state.settings
    with app.state.write_lock:
        doc = app.state.engine.store.documents.get(doc_id)
        if doc is None:
            raise HTTPException(status_code=404, detail=f"no document with id '{doc_id}'")
        embedder = app.state.engine.embedder
        store = IndexStore.load(settings.index_dir, embedder.name, embedder.sha256)
        try:
            store.remove(doc.source)
        except KeyError as exc:
            raise HTTPException(status_code=409, detail=f"{doc.source} is served but not in the index at "
                                                        f"{settings.index_dir} ({exc.args[0]})") from exc
        store.save(settings.index_dir)
        swap_engine(app, store)
        uploaded = settings.upload_dir / doc.source
        if uploaded.is_file():
            uploaded.unlink()
    return {"removed": doc.source, "doc_id": doc_id, "documents": len(store.documents)}


@router.delete("/documents/{doc_id}", dependencies=[Depends(require_admin)], summary="Take a report out of the index")
async def delete_document(doc_id: str, request: Request) -> dict:
    return await run_in_threadpool(_delete, request.app, doc_id)
