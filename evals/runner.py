"""The benchmark runner: every configuration on every question, in-process, side by side.

``run_eval`` loads the embedder and the index once (building the index from ``data/reports``
when the folder has no manifest), asks each question of each configuration, timing only the
call that answers it, scores the responses with ``evals.metrics`` and writes the markdown
report, the JSON and the PNG chart (``evals.report``), each stamped with the index manifest
hash and the git commit. ``ask_all``, ``score`` and ``summarise`` are the same steps for a
caller that already holds an Engine (the regression gate in the tests).
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from evals import metrics
from evals.baseline import BaselineIndex
from evals.questions import QUESTION_TYPES, Question, load_questions
from evals.report import write_reports
from qa.config import CONFIGS

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = ROOT / "data" / "reports"
DEFAULT_QUESTIONS = ROOT / "evals" / "questions.jsonl"
NAIVE = "naive"
DEFAULT_CONFIGS: tuple[str, ...] = ("bm25", "dense", "hybrid", "full", NAIVE)
RECALL_K = 5
RECALL_WORDS = 400
RANK_K = 10


class System(Protocol):
    """Anything the benchmark can question: an answer dict per question, passages by row."""

    name: str
    collection: str  # systems with the same collection share passage rows

    def ask(self, question: str) -> dict: ...

    def passage(self, row: int) -> tuple[str, str]: ...

    def passages_of(self, source: str) -> list[int]: ...


class EngineSystem:
    """The real system under one named configuration."""

    def __init__(self, engine, config: str) -> None:
        if config not in CONFIGS:
            raise ValueError(f"unknown configuration '{config}'; use one of: {', '.join([*CONFIGS, NAIVE])}")
        self.name = config
        self.collection = "index"
        self.engine = engine
        self.config = CONFIGS[config]

    def ask(self, question: str) -> dict:
        return self.engine.ask(question, config=self.config)

    def passage(self, row: int) -> tuple[str, str]:
        chunk = self.engine.store.chunks[row]
        return self.engine.store.documents[chunk.doc_id].source, chunk.text

    def passages_of(self, source: str) -> list[int]:
        doc = self.engine.store.document_by_source(source)
        if doc is None:
            return []
        return [i for i, c in enumerate(self.engine.store.chunks) if c.doc_id == doc.doc_id]


class BaselineSystem:
    """The naive baseline (see evals.baseline)."""

    name = NAIVE
    collection = "naive-windows"

    def __init__(self, index: BaselineIndex) -> None:
        self.index = index

    def ask(self, question: str) -> dict:
        return self.index.ask(question)

    def passage(self, row: int) -> tuple[str, str]:
        return self.index.passage(row)

    def passages_of(self, source: str) -> list[int]:
        return [i for i, w in enumerate(self.index.windows) if w.source == source]


@dataclass(frozen=True)
class Outcome:
    """One question put to one system: the response and the time the call took."""

    question: Question
    response: dict
    latency_ms: float


def git_commit(folder: Path = ROOT) -> str:
    """``git rev-parse --short HEAD`` in ``folder``, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def ask_all(system: System, questions: Sequence[Question], progress: bool = True) -> list[Outcome]:
    """Ask every question; the latency is measured around the system's answering call only."""
    outcomes = []
    for q in tqdm(questions, desc=f"{system.name:>6}", unit="q", disable=not progress):
        t0 = time.perf_counter()
        response = system.ask(q.question)
        outcomes.append(Outcome(q, response, (time.perf_counter() - t0) * 1000))
    return outcomes


@dataclass
class Scored:
    """One outcome scored: a JSON-ready record, plus what the group ranking metrics need."""

    record: dict
    ranked: list[tuple[str, str, str, float]]
    pool: list[tuple[str, str, str]]
    question: Question
    answerable: bool
    latency_ms: float


def relevant_pool(system: System, question: Question, cache: dict | None = None) -> list[tuple[str, str, str]]:
    """Every passage of the system's collection, in the question's evidence docs, that supports
    one of its gold quotes from the same doc: ``(passage_id, source, text)``. Cached per
    collection and question, since the four engine configurations share one collection."""
    key = (system.collection, question.id)
    if cache is not None and key in cache:
        return cache[key]
    found = []
    for source in question.docs:
        quotes = [opt.quote for ev in question.evidence for opt in ev.options if opt.doc == source]
        for row in system.passages_of(source):
            text = system.passage(row)[1]
            if any(metrics.supports(text, quote) for quote in quotes):
                found.append((str(row), source, text))
    if cache is not None:
        cache[key] = found
    return found


def score(system: System, outcomes: Sequence[Outcome], pool_cache: dict | None = None) -> list[Scored]:
    """Per-question metrics of one system's outcomes (see docs/evaluation.md)."""
    scored = []
    for o in outcomes:
        q, resp = o.question, o.response
        cites = resp.get("citations", [])
        ranked = []
        for r in resp.get("retrieved", []):
            source, text = system.passage(int(r["row"]))
            ranked.append((str(r["row"]), source, text, float(r["score"])))
        answerable = bool(resp.get("answerable", True))
        record = {
            "config": system.name, "id": q.id, "type": q.type, "question": q.question,
            "gold_answerable": q.answerable, "answerable": answerable,
            "abstention": metrics.abstention(answerable, q.answerable),
            "latency_ms": round(o.latency_ms, 3),
            "evidence_recall_at_5": metrics.evidence_recall_at_k(cites, q.evidence, RECALL_K),
            "evidence_recall_400w": metrics.evidence_recall_within_words(cites, q.evidence, RECALL_WORDS),
            "document_recall": metrics.document_recall(cites, q.evidence, RECALL_K),
            "fact_recall": metrics.fact_recall(resp.get("answer", ""), q.key_facts),
            # Over answerable questions only: citing anything for an unanswerable one is a missed
            # abstention, which the abstention columns report.
            "citation_precision": metrics.citation_precision(cites, q.evidence, q.key_facts) if q.answerable else None,
            "answer": resp.get("answer", ""),
            "citations": [[c.get("source"), c.get("page"), " ".join((c.get("quote") or "").split())[:200]] for c in cites],
        }
        pool = relevant_pool(system, q, pool_cache) if q.evidence else []
        scored.append(Scored(record, ranked, pool, q, answerable, o.latency_ms))
    return scored


def summarise(scored: Sequence[Scored]) -> dict[str, float | int | None]:
    """The report's columns for a group of scored questions (one configuration)."""
    ranking = metrics.ranking_metrics(
        {s.question.id: s.ranked for s in scored},
        {s.question.id: s.question.evidence for s in scored},
        RANK_K,
        pool={s.question.id: s.pool for s in scored},
    )
    rates = metrics.abstention_rates((s.answerable, s.question.answerable) for s in scored)
    latencies = [s.latency_ms for s in scored]

    def mean(key: str) -> float | None:
        return metrics.mean_ignoring_none(s.record[key] for s in scored)

    return {
        "n": len(scored),
        "evidence_recall_at_5": mean("evidence_recall_at_5"),
        "evidence_recall_400w": mean("evidence_recall_400w"),
        "mrr_at_10": ranking[f"mrr@{RANK_K}"],
        "ndcg_at_10": ranking[f"ndcg@{RANK_K}"],
        "document_recall": mean("document_recall"),
        "fact_recall": mean("fact_recall"),
        "citation_precision": mean("citation_precision"),
        "correct_abstention": rates[metrics.CORRECT_ABSTENTION],
        "false_abstention": rates[metrics.FALSE_ABSTENTION],
        "latency_p50_ms": metrics.percentile(latencies, 50),
        "latency_p95_ms": metrics.percentile(latencies, 95),
    }


def summarise_by_type(scored: Sequence[Scored]) -> dict[str, dict]:
    """``summarise`` for each question type present, in QUESTION_TYPES order."""
    return {t: summarise(group) for t in QUESTION_TYPES if (group := [s for s in scored if s.question.type == t])}


def _check_configs(configs: Sequence[str] | None) -> list[str]:
    names = list(configs or DEFAULT_CONFIGS)
    known = [*CONFIGS, NAIVE]
    for name in names:
        if name not in known:
            raise ValueError(f"unknown configuration '{name}'; use one of: {', '.join(known)}")
    return list(dict.fromkeys(names))


def _load_questions(path: Path) -> list[Question]:
    if not path.is_file():
        raise ValueError(f"no question file at {path}")
    questions = load_questions(path)
    if not questions:
        raise ValueError(f"no questions in {path}")
    return questions


def _open_index(index_dir: Path, embedder, progress: bool):
    """The index at ``index_dir``, built from data/reports first when it has no manifest."""
    from index.build import ingest_paths
    from index.store import IndexStore

    if (index_dir / "manifest.json").is_file():
        return IndexStore.load(index_dir, embedder.name, embedder.sha256)
    logger.warning("no index at %s; building it from %s", index_dir, REPORTS_DIR)
    store, report = ingest_paths([REPORTS_DIR], index_dir, embedder, progress=progress)
    for err in report.failed:
        logger.warning("skipped %s", err)
    if not store.chunks:
        raise ValueError(f"no index at {index_dir} and nothing could be indexed from {REPORTS_DIR}")
    return store


def _baseline_paths(store) -> list[Path]:
    """The files of the indexed documents, so the baseline reads exactly what the index holds."""
    from ingest.load import file_sha256

    paths = []
    for doc in sorted(store.documents.values(), key=lambda d: d.source):
        path = REPORTS_DIR / doc.source
        if not path.is_file():
            raise ValueError(f"the naive baseline needs {doc.source}, which the index holds but {REPORTS_DIR} does not")
        if file_sha256(path) != doc.sha256:
            raise ValueError(f"{path} differs from the indexed {doc.source}; re-run ingest before the benchmark")
        paths.append(path)
    return paths


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def run_eval(
    questions: Path | None,
    configs: list[str] | None,
    index_dir: Path,
    out_dir: Path,
    progress: bool = True,
) -> Path:
    """Run every configuration on every question; write report.md, results.json and chart.png
    into ``out_dir`` and return the markdown report's path.

    ``questions`` defaults to evals/questions.jsonl, ``configs`` to all five (bm25, dense,
    hybrid, full, naive). Raises ValueError for an unknown configuration or a missing or empty
    question file.
    """
    from index.dense import Embedder
    from qa.engine import Engine

    names = _check_configs(configs)
    qpath = Path(questions) if questions else DEFAULT_QUESTIONS
    qs = _load_questions(qpath)
    index_dir, out_dir = Path(index_dir), Path(out_dir)
    embedder = Embedder()
    store = _open_index(index_dir, embedder, progress)
    engine = Engine(store, embedder)
    pool_cache: dict = {}
    summary, by_type, records = {}, {}, []
    for name in names:
        if name == NAIVE:
            baseline = BaselineIndex.build(_baseline_paths(store), embedder, cache_dir=out_dir / "cache", progress=progress)
            system: System = BaselineSystem(baseline)
        else:
            system = EngineSystem(engine, name)
        scored = score(system, ask_all(system, qs, progress), pool_cache)
        summary[name] = summarise(scored)
        by_type[name] = summarise_by_type(scored)
        records.extend(s.record for s in scored)
    results = {
        "stamp": {
            "index_hash": store.manifest_hash(),
            "git_commit": git_commit(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "questions": _shown_path(qpath),
            "n_questions": len(qs),
        },
        "configs": names,
        "types": [t for t in QUESTION_TYPES if any(q.type == t for q in qs)],
        "summary": summary,
        "by_type": by_type,
        "questions": records,
    }
    return write_reports(results, out_dir)["markdown"]
