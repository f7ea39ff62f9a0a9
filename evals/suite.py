"""``reportqa eval --collection NAME``: train, test and other partnerships, side by side.

For each collection (``evals.collections``) the runner indexes that collection's reports
together with the five bundled ones, as a user holding two partnerships' reports would (the
bundled collection is just the five), and asks its questions of every configuration, the
``bm25-window`` baseline included. Scores are grouped by split (train and test for the bundled
questions, test only for every other collection) and by question type. For the test questions
it also measures consistency across mechanical rephrasings (``evals.rephrase``), and for the
bundled questions the leave-one-report-out figures of every chosen parameter
(``evals.loro``). ``evals.suite_report`` writes the one report.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from evals.baseline import BaselineIndex
from evals.collections import BUNDLED, Collection, pick
from evals.loro import loro_report
from evals.questions import Question, load_questions
from evals.rephrase import consistent, first_support, variants
from evals.runner import (
    NAIVE, REPORTS_DIR, BaselineSystem, EngineSystem, ask_all, git_commit, score, summarise, summarise_by_type,
)
from evals.split import SPLITS, TEST
from evals.suite_report import write_suite
from evals.window_baseline import WindowBM25
from qa.config import CONFIGS

logger = logging.getLogger(__name__)

WINDOW = "bm25-window"
SUITE_CONFIGS: tuple[str, ...] = ("full", "fitted", WINDOW, "hybrid", "bm25", "dense", NAIVE)
CONSISTENCY_CONFIGS: tuple[str, ...] = ("full", WINDOW)
ALL_SPLITS = "all"
WORST = 15


class WindowSystem(BaselineSystem):
    """The bm25-window baseline as a benchmark system (see evals.window_baseline)."""

    name = WINDOW

    def __init__(self, index: WindowBM25, collection: str) -> None:
        super().__init__(index)
        self.collection = f"{WINDOW}:{collection}"


def check_configs(configs: Sequence[str] | None) -> list[str]:
    names = list(dict.fromkeys(configs or SUITE_CONFIGS))
    known = [*CONFIGS, WINDOW, NAIVE]
    for name in names:
        if name not in known:
            raise ValueError(f"unknown configuration '{name}'; use one of: {', '.join(known)}")
    return names


def index_for(collection: Collection, base_dir: Path, embedder, progress: bool):
    """The index a user with this collection would have: the bundled reports, plus the
    collection's own beside them. Kept in ``<base_dir>`` for the bundled collection and in
    ``<base_dir>+<name>`` for another one (started from a copy of the bundled index, so only
    the new reports are embedded); unchanged files are never re-read."""
    from index.build import ingest_paths

    paths = [REPORTS_DIR] if collection.name == BUNDLED else [REPORTS_DIR, *collection.report_files()]
    folder = base_dir if collection.name == BUNDLED else base_dir.with_name(f"{base_dir.name}+{collection.name}")
    if collection.name != BUNDLED and not (folder / "manifest.json").is_file() and (base_dir / "manifest.json").is_file():
        shutil.copytree(base_dir, folder, dirs_exist_ok=True)
    store, report = ingest_paths(paths, folder, embedder, progress=progress)
    if report.failed:
        raise ValueError(f"could not index {collection.name}: " + "; ".join(str(e) for e in report.failed))
    return store


def source_paths(store, collection: Collection) -> list[Path]:
    """The files of the indexed documents (bundled folder first, then the collection's)."""
    folders = [REPORTS_DIR, collection.folder]
    paths = []
    for doc in sorted(store.documents.values(), key=lambda d: d.source):
        found = next((f / doc.source for f in folders if (f / doc.source).is_file()), None)
        if found is None:
            raise ValueError(f"{doc.source} is indexed but is in none of {', '.join(map(str, folders))}")
        paths.append(found)
    return paths


def make_system(name: str, engine, store, collection: Collection, embedder, out_dir: Path, progress: bool):
    if name == WINDOW:
        return WindowSystem(WindowBM25.build(source_paths(store, collection)), collection.name)
    if name == NAIVE:
        baseline = BaselineIndex.build(source_paths(store, collection), embedder, cache_dir=out_dir / "cache", progress=progress)
        system = BaselineSystem(baseline)
        system.collection = f"{NAIVE}:{collection.name}"
        return system
    system = EngineSystem(engine, name)
    system.collection = f"index:{collection.name}"
    return system


def latest_period(store, collection: Collection) -> str:
    """The most recent reporting period among the collection's own documents."""
    own = {p.name for p in collection.report_files()}
    periods = sorted(d.period for d in store.documents.values() if d.source in own and d.period)
    return periods[-1] if periods else ""


def rephrase_consistency(system, questions: Sequence[Question], originals: dict[str, dict], collection: Collection,
                         latest: str, progress: bool) -> dict:
    """Consistency of ``system`` over every variant of every question given (``evals.rephrase``)."""
    rows = []
    todo = [(q, v) for q in questions for v in variants(q.question, q.id, collection.names, collection.area_names[:1] and collection.area_names[0], latest)]
    for q, v in tqdm(todo, desc=f"Rephrasings {system.name}", unit="q", disable=not progress):
        resp = system.ask(v.text)
        ok = consistent(originals[q.id], resp, q.evidence)
        orig = first_support(originals[q.id], q.evidence)
        rows.append({
            "id": q.id, "type": q.type, "kind": v.kind, "question": q.question, "variant": v.text, "consistent": ok,
            "original_first": sorted(orig) if not isinstance(orig, str) else orig,
            "variant_first": (lambda s: sorted(s) if not isinstance(s, str) else s)(first_support(resp, q.evidence)),
            "variant_citation": (resp.get("citations") or [{}])[0].get("source", ""),
        })
    kinds: dict[str, list[bool]] = {}
    for r in rows:
        kinds.setdefault(r["kind"].split(":")[0] if not r["kind"].startswith("year:") else r["kind"], []).append(r["consistent"])
    # Worst first: variants that lost evidence the original's first citation had.
    worst = sorted((r for r in rows if not r["consistent"]),
                   key=lambda r: (isinstance(r["original_first"], str) or not r["original_first"], r["id"], r["kind"]))
    return {
        "n": len(rows),
        "consistency": sum(r["consistent"] for r in rows) / len(rows) if rows else None,
        "by_kind": {k: {"n": len(v), "consistency": sum(v) / len(v)} for k, v in sorted(kinds.items())},
        "worst": worst[:WORST],
    }


def run_collection(collection: Collection, names: list[str], base_dir: Path, embedder, out_dir: Path,
                   progress: bool, loro_choice: dict | None) -> dict:
    from qa.engine import Engine

    qs = load_questions(collection.questions)
    split = collection.splits([q.id for q in qs])
    store = index_for(collection, base_dir, embedder, progress)
    engine = Engine(store, embedder)
    groups = [s for s in SPLITS if any(v == s for v in split.values())]
    if len(groups) > 1:
        groups.append(ALL_SPLITS)
    out = {"name": collection.name, "index_hash": store.manifest_hash(), "n_documents": len(store.documents),
           "splits": {g: sum(1 for q in qs if g in (split[q.id], ALL_SPLITS)) for g in groups},
           "summary": {g: {} for g in groups}, "by_type": {g: {} for g in groups}, "consistency": {}}
    records, pool_cache, originals = [], {}, {}
    for name in names:
        system = make_system(name, engine, store, collection, embedder, out_dir, progress)
        outcomes = ask_all(system, qs, progress)
        scored = score(system, outcomes, pool_cache)
        for g in groups:
            members = [s for s in scored if g in (split[s.question.id], ALL_SPLITS)]
            out["summary"][g][name] = summarise(members)
            out["by_type"][g][name] = summarise_by_type(members)
        for s in scored:
            records.append({**s.record, "collection": collection.name, "split": split[s.question.id]})
        if name in CONSISTENCY_CONFIGS:
            originals = {o.question.id: o.response for o in outcomes}
            test_qs = [q for q in qs if split[q.id] == TEST]
            out["consistency"][name] = rephrase_consistency(system, test_qs, originals, collection,
                                                            latest_period(store, collection), progress)
    if "full" in names:
        out["loro"] = loro_report(lambda t: Engine(store, embedder, abstain_threshold=t), qs, split, loro_choice, progress)
    out["records"] = records
    return out


def run_suite(collection: str, configs: Sequence[str] | None, index_dir: Path, out_dir: Path, progress: bool = True) -> Path:
    """Run the benchmark on ``collection`` (a name or ``all``); write ``report.md``,
    ``results.json`` and ``chart.png`` into ``out_dir`` and return the report's path."""
    from index.dense import Embedder

    names = check_configs(configs)
    chosen = pick(collection)
    index_dir, out_dir = Path(index_dir), Path(out_dir)
    embedder = Embedder()
    results = {"stamp": {"git_commit": git_commit(), "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                         "collection": collection},
               "configs": names, "collections": {}}
    loro_choice: dict | None = None
    ordered = sorted(chosen, key=lambda c: c.name != BUNDLED)  # bundled first: others reuse its train choice
    if ordered[0].name != BUNDLED and "full" in names:
        # Thresholds for another partnership are chosen on the bundled train questions.
        bundled = pick(BUNDLED)[0]
        from qa.engine import Engine
        store = index_for(bundled, index_dir, embedder, progress)
        qs = load_questions(bundled.questions)
        loro_choice = loro_report(lambda t: Engine(store, embedder, abstain_threshold=t), qs,
                                  bundled.splits([q.id for q in qs]), None, progress)["train_choice"]
    for c in ordered:
        res = run_collection(c, names, index_dir, embedder, out_dir, progress, loro_choice)
        if c.name == BUNDLED and "loro" in res:
            loro_choice = res["loro"]["train_choice"]
        results["collections"][c.name] = res
    return write_suite(results, out_dir)["markdown"]
