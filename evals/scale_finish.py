"""Finish a scale run stopped after some sizes: measure a step stopped mid-ingest from what it
saved, time adding and removing one report, the HNSW recall and the bundled-PDF ingest on the
index as it stands, then write docs/performance.md.

    python -m evals.scale_finish --work var/scale
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from evals.questions import load_questions
from evals.scale import ANN, HARTWELL, LOAD, ROOT, _child, _du_mb, _env, _ingest, serve_and_ask
from index.store import IndexStore
from evals.scale_report import write_report


def partial_step(work: Path, result: dict, questions: list, sources: list[str]) -> dict:
    """A step stopped during its ingest, measured from what it saved: its pages are the
    documents in segments written after the last whole step, its time runs from that step's
    results file to the last such segment (the model load is not in it)."""
    from index.store import IndexStore

    index = work / "index"
    started = (work / "scale.json").stat().st_mtime
    manifest = IndexStore.read_manifest(index)
    late = [e for e in manifest["segments"] if (index / e["name"]).stat().st_mtime > started]
    store = IndexStore.load(index)
    pages = sum(store.documents[d].n_pages for e in late for d in e["documents"])
    seconds = max((index / e["name"]).stat().st_mtime for e in late) - started
    n = len(store.documents) - len(sources)
    ingest = {"wall_s": seconds, "model_s": 0.0, "ingest_s": seconds, "pages": pages,
              "added": sum(len(e["documents"]) for e in late), "failed": [], "stages": None, "partial": True,
              "peak_mb": float("nan"), "worker_peak_mb": float("nan"), "documents": len(store.documents),
              "chunks": len(store.chunks), "sentences": int(sum(len(v) for v in store.sentence_vectors))}
    del store
    return {"n": n, "ingest": ingest, "disk_mb": _du_mb(index), "load": _child(LOAD, str(index)),
            "serve": serve_and_ask(index, questions, sources)}


def finish(work: Path, docs: Path, bundled: bool = True) -> dict:
    result = json.loads((work / "scale.json").read_text())
    index = work / "index"
    questions = load_questions(HARTWELL / "questions.jsonl")
    sources = sorted(p.name for p in HARTWELL.glob("*.pdf"))
    if len(IndexStore.read_manifest(index)["documents"]) - len(sources) > max(s["n"] for s in result["steps"]):
        result["steps"].append(partial_step(work, result, questions, sources))
        (work / "scale.json").write_text(json.dumps(result, indent=1))
    result["sizes"] = [s["n"] for s in result["steps"]]
    one = sorted((work / "reports").glob("*.pdf"))[-1]  # the last report, never ingested by a step
    result["add_one"] = _ingest(index, [one], work)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "api.cli", "remove", one.name, "--index", str(index)],
                   env=_env(), cwd=ROOT, check=True, capture_output=True)
    result["remove_one_s"] = time.perf_counter() - t
    # Loaded again now that a save of this code has written the whole learning catalogue.
    result["load_after_save"] = _child(LOAD, str(index))
    qlist = work / "questions.json"
    qlist.write_text(json.dumps([q.question for q in questions]))
    result["ann"] = _child(ANN, str(index), str(qlist))
    if bundled:
        folder = work / "bundled-index"
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        result["bundled"] = _ingest(folder, sorted((ROOT / "data" / "reports").glob("*.pdf")), work)
    (work / "scale.json").write_text(json.dumps(result, indent=1))
    write_report(result, docs)
    return result


def main() -> None:  # pragma: no cover - command line
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path("var/scale"))
    ap.add_argument("--docs", type=Path, default=Path("docs/performance.md"))
    ap.add_argument("--no-bundled", action="store_true", help="Skip the five bundled PDFs' ingest.")
    a = ap.parse_args()
    r = finish(a.work, a.docs, bundled=not a.no_bundled)
    print(json.dumps({k: r.get(k) for k in ("add_one", "remove_one_s", "ann", "bundled")}, indent=1))


if __name__ == "__main__":  # pragma: no cover
    main()
