"""The ``reportqa`` command line: ingest, remove, ask, serve, eval, fit."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from api.settings import Settings  # noqa: E402  (HF_HUB_OFFLINE must be set first)
from ingest.errors import ReportQAError  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited answers from safeguarding reports.")
logger = logging.getLogger("reportqa")

IndexOpt = typer.Option(None, "--index", help="Index directory (default: REPORTQA_INDEX_DIR or var/index).")


def _settings(index: Optional[Path]) -> Settings:
    s = Settings()
    return s.model_copy(update={"index_dir": index}) if index else s


def _fail(exc: Exception, code: int = 1) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more.")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Libraries that narrate their own loading (faiss's AVX512/AVX2 probing, bm25s, the model
    # loader) speak only when something is wrong, also under serve's INFO.
    for name in ("faiss.loader", "faiss", "bm25s", "sentence_transformers"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # bm25s sets its own logger to DEBUG when imported; the handler's level drops such records.
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.getLogger().level)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.pdf, .txt, .md, .html)."),
    index: Optional[Path] = IndexOpt,
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Add or update reports in the index; unchanged files are skipped, bad files reported."""
    from index.build import ingest_paths
    from index.dense import Embedder

    settings = _settings(index)
    t0 = time.perf_counter()
    try:
        embedder = Embedder()
        store, report = ingest_paths(paths, settings.index_dir, embedder, progress=progress)
    except ReportQAError as exc:
        _fail(exc)
    dt = time.perf_counter() - t0
    for name in report.added:
        typer.echo(f"indexed {name}")
    for name in report.unchanged:
        typer.echo(f"unchanged {name}")
    for err in report.failed:
        typer.echo(f"skipped {err}", err=True)
    typer.echo(f"{len(store.documents)} documents, {len(store.chunks)} chunks in {settings.index_dir} ({dt:.1f} s)")
    if report.failed and not report.added and not report.unchanged:
        raise typer.Exit(1)


@app.command()
def remove(source: str = typer.Argument(..., help="Source file name (or doc id)."), index: Optional[Path] = IndexOpt) -> None:
    """Take a document out of the index."""
    from index.store import IndexStore

    settings = _settings(index)
    try:
        store = IndexStore.load(settings.index_dir)
        doc = store.remove(source)
        store.save(settings.index_dir)
    except KeyError as exc:
        _fail(exc.args[0])
    except ReportQAError as exc:
        _fail(exc)
    typer.echo(f"removed {doc.source}; {len(store.documents)} documents left")


@app.command()
def ask(
    question: str = typer.Argument(...),
    index: Optional[Path] = IndexOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the API's JSON response."),
    top_k: int = typer.Option(5, "--top-k"),
    period: list[str] = typer.Option([], "--period", help="Only this reporting period (repeatable)."),
    source: list[str] = typer.Option([], "--source", help="Only this source file (repeatable)."),
    organisation: list[str] = typer.Option([], "--organisation", help="Only this partnership's reports: its name or short form (repeatable)."),
    mode: str = typer.Option("answer", "--mode", help="answer or learning"),
) -> None:
    """Answer a question from the index, with numbered citations."""
    from index.dense import Embedder
    from index.store import IndexStore
    from qa.engine import Engine

    settings = _settings(index)
    filters = {k: v for k, v in (("period", period), ("source", source), ("organisation", organisation)) if v}
    try:
        embedder = Embedder()
        store = IndexStore.load(settings.index_dir, embedder.name, embedder.sha256)
        resp = Engine(store, embedder, settings.abstain_threshold).ask(question, top_k, filters or None, mode)
    except ReportQAError as exc:
        _fail(exc)
    resp.pop("retrieved", None)
    if as_json:
        typer.echo(json.dumps(resp, indent=2, ensure_ascii=False))
        return
    typer.echo(resp["answer"])
    for c in resp["citations"]:
        org = c.get("organisation") or ""
        who = f"{org}: " if org and not c["title"].startswith(org) else ""  # the title may name it
        typer.echo(f"\n[{c['n']}] {who}{c['title']} ({c['period']}), p. {c['page']}, {c['section'] or '-'} — {c['source']}")
        typer.echo(f"    \"{c['quote']}\"")


@app.command()
def serve(
    index: Optional[Path] = IndexOpt,
    host: Optional[str] = typer.Option(None, "--host"),
    port: Optional[int] = typer.Option(None, "--port"),
) -> None:
    """Serve the chat page and the API."""
    import uvicorn

    from api.app import create_app

    settings = _settings(index)
    settings = settings.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
    if not (settings.index_dir / "manifest.json").exists():
        _fail(f"no index at {settings.index_dir}; run 'reportqa ingest {settings.reports_dir}' first")
    logging.getLogger().setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.INFO)
    typer.echo(f"serving on http://{settings.host}:{settings.port}")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", server_header=False)


@app.command("eval")
def eval_(
    questions: Optional[Path] = typer.Option(None, "--questions", help="Question file (JSONL): run only it, against --index."),
    collection: str = typer.Option("bundled", "--collection",
                                   help="bundled, another collection in data/collections, or all; each indexed beside the bundled reports."),
    config: list[str] = typer.Option([], "--config", help="Configuration to run (repeatable); default: all."),
    index: Optional[Path] = IndexOpt,
    out: Path = typer.Option(Path("evals/out"), "--out", help="Folder for the report, JSON and chart."),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Run the benchmark: train, test and other partnerships side by side; writes markdown, JSON and a PNG."""
    from evals.runner import run_eval
    from evals.suite import run_suite

    settings = _settings(index)
    try:
        if questions is not None:
            report = run_eval(questions, config or None, settings.index_dir, out, progress=progress)
        else:
            report = run_suite(collection, config or None, settings.index_dir, out, progress=progress)
    except (ReportQAError, ValueError) as exc:
        _fail(exc)
    typer.echo(report.read_text(encoding="utf-8"))
    typer.echo(f"written to {out}")


@app.command()
def fit(
    index: Optional[Path] = IndexOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Weights file (default: qa/ranker.json, which the engine loads)."),
) -> None:
    """Refit the sentence ranker and its abstention bar on the bundled train split (qa/ranker.json)."""
    from evals.fit_ranker import main as fit_main
    from qa.ranker import WEIGHTS_FILE

    settings = _settings(index)
    out = out or WEIGHTS_FILE
    try:
        summary = fit_main(settings.index_dir, out)
    except (ReportQAError, ValueError) as exc:
        _fail(exc)
    typer.echo(f"fitted on {summary['questions']} train questions ({summary['candidates']} sentences, "
               f"{summary['positives']} answers): C {summary['C']}, abstain below {summary['bar']:.3f}; "
               f"written to {out}")


bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks outside the question set.")
app.add_typer(bench_app, name="bench")


@bench_app.command("scale")
def bench_scale(
    reports: str = typer.Option("50,200,500", "--reports", help="Collection sizes, comma-separated."),
    work: Path = typer.Option(Path("var/scale"), "--work", help="Folder for generated reports and indexes."),
    seed: int = typer.Option(13, "--seed"),
    docs: Path = typer.Option(Path("docs/performance.md"), "--docs", help="Report to fill in."),
) -> None:
    """Generate N synthetic reports and measure ingest, memory, load, latency and quality."""
    from evals.scale import run_scale

    try:
        sizes = [int(x) for x in reports.split(",") if x.strip()]
        run_scale(sizes, work, seed, docs, log=typer.echo)
    except (ReportQAError, ValueError, RuntimeError) as exc:
        _fail(exc)
    typer.echo(f"written to {docs} and {work / 'scale.json'}")


feedback_app = typer.Typer(no_args_is_help=True, help="Thumbs up/down left on answers.")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    out: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help="Feedback database (default: REPORTQA_FEEDBACK_DB)."),
) -> None:
    """Export stored feedback (question, answer, citations, rating) for review."""
    from api.feedback import export_feedback

    settings = Settings()
    try:
        text = export_feedback(db or settings.feedback_db, fmt)
    except (ReportQAError, ValueError) as exc:
        _fail(exc)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"written to {out}")
    else:
        typer.echo(text, nl=False)


def main() -> None:  # pragma: no cover - console script entry
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
