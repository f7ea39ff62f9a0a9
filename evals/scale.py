"""The scale benchmark: ingest, memory, load, latency and quality as the collection grows.

``reportqa bench scale --reports 50,200,500`` generates the largest collection (evals.scalegen),
then grows one index in steps, Hartwell's three reports first: for each size it ingests the new
reports in a child process (wall time, pages a second, seconds by stage, peak memory), reads
the index size on disk and its load time, serves it and asks Hartwell's questions over HTTP
(unfiltered, and filtered to Hartwell's reports: p50, p95, server memory, R@400w against
Hartwell alone). At the largest size it also times adding and removing one report and measures
the HNSW index's recall against the exact one. Results go to ``<work>/scale.json`` and
docs/performance.md (evals.scale_report).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from evals import metrics
from evals.questions import load_questions
from evals.scalegen import generate

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
HARTWELL = ROOT / "data" / "collections" / "hartwell"
RECALL_WORDS = 400
ANN_K = (20, 80)  # retrieve's k and the 4k candidates it fuses


def _env() -> dict[str, str]:
    # No rate limit for the benchmark's one client, the same offline model everywhere, and one
    # torch thread: on a shared 2-core machine two spinning threads lose more than they gain,
    # and the parsing worker has the other core.
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1",
            "REPORTQA_RATE_ASK_PER_MINUTE": "0", "PYTHONPATH": str(ROOT)}


def _child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (argv holds ``args``); it prints one JSON line last."""
    out = subprocess.run([sys.executable, "-c", code, *args], env=_env(), cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"child failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


INGEST = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from index.dense import Embedder
from index.build import ingest_paths
emb = Embedder()
t1 = time.perf_counter()
files = [Path(p) for p in json.loads(Path(sys.argv[2]).read_text())]
store, rep = ingest_paths(files, Path(sys.argv[1]), emb, progress=False)
t2 = time.perf_counter()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": t2 - t0, "model_s": t1 - t0, "ingest_s": t2 - t1, "pages": rep.pages,
  "added": len(rep.added), "failed": [str(e) for e in rep.failed], "texts": rep.texts_embedded,
  "stages": rep.seconds, "saves": rep.saves, "peak_mb": me.ru_maxrss / 1024, "worker_peak_mb": kids.ru_maxrss / 1024,
  "documents": len(store.documents), "chunks": len(store.chunks),
  "sentences": int(sum(len(v) for v in store.sentence_vectors))}))
"""

LOAD = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from index.store import IndexStore
t1 = time.perf_counter()
store = IndexStore.load(Path(sys.argv[1]))
t2 = time.perf_counter()
print(json.dumps({"load_s": t2 - t1, "import_s": t1 - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

ANN = """
import json, sys, time
import numpy as np
from pathlib import Path
from index.dense import Embedder, hnsw_index, ann_search
from index.store import IndexStore
store = IndexStore.load(Path(sys.argv[1]))
qs = json.loads(Path(sys.argv[2]).read_text())
emb = Embedder()
qv = emb.encode(qs)
t0 = time.perf_counter(); ann = hnsw_index(store.vectors); build = time.perf_counter() - t0
out = {"vectors": len(store.vectors), "hnsw_build_s": build}
for k in (20, 80):
    hits = []
    for q in qv:
        exact = set(np.argsort(-(store.vectors @ q))[:k].tolist())
        _, rows = ann_search(ann, q, k)
        hits.append(len(exact & set(rows.tolist())) / k)
    out[f"recall@{k}"] = float(np.mean(hits))
t_exact, t_ann = [], []
for q in qv:
    t = time.perf_counter(); np.argsort(-(store.vectors @ q))[:80]; t_exact.append(time.perf_counter() - t)
    t = time.perf_counter(); ann_search(ann, q, 80); t_ann.append(time.perf_counter() - t)
out["exact_ms"] = 1000 * float(np.median(t_exact)); out["hnsw_ms"] = 1000 * float(np.median(t_ann))
rng = np.random.default_rng(0)
for n in (100_000, 300_000, 1_000_000):
    m = rng.standard_normal((n, 384), dtype=np.float32)
    t = time.perf_counter()
    for q in qv[:10]:
        np.argpartition(-(m @ q), 80)[:80]
    out[f"exact_ms_{n}"] = 100 * (time.perf_counter() - t)
    del m
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve_and_ask(index: Path, questions: list, sources: list[str]) -> dict:
    """Serve ``index``, ask every question unfiltered and filtered to the partnership of
    ``sources`` (or to those files) over HTTP."""
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "api.cli", "serve", "--index", str(index), "--port", str(port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            time.sleep(0.5)
        ready = time.perf_counter() - t0
        out = {"server_ready_s": ready}
        with httpx.Client(base_url=url, timeout=120) as client:
            t = time.perf_counter()
            client.post("/api/ask", json={"question": questions[0].question})  # builds per-index caches
            out["first_ask_ms"] = 1000 * (time.perf_counter() - t)
            # One partnership: by organisation when the API knows Hartwell's, else by its files.
            names = {d.get("partnership") for d in client.get("/api/documents").json() if d["source"] in sources}
            names.discard(None)
            names.discard("")
            one = {"organisation": sorted(names)} if len(names) == 1 else {"source": sources}
            out["filter"] = one
            for label, filters in (("nofilter", None), ("filtered", one)):
                lat, recall = [], []
                for q in questions:
                    body = {"question": q.question, **({"filters": filters} if filters else {})}
                    t = time.perf_counter()
                    r = client.post("/api/ask", json=body)
                    lat.append(1000 * (time.perf_counter() - t))
                    r.raise_for_status()
                    if q.answerable:
                        recall.append(metrics.evidence_recall_within_words(r.json()["citations"], q.evidence, RECALL_WORDS))
                out[f"{label}_p50_ms"] = float(np.percentile(lat, 50))
                out[f"{label}_p95_ms"] = float(np.percentile(lat, 95))
                out[f"{label}_r400w"] = metrics.mean_ignoring_none(recall)
        out["server_peak_mb"] = _vm_hwm_mb(proc.pid)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _du_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _ingest(index: Path, files: list[Path], work: Path) -> dict:
    listing = work / "files.json"
    listing.write_text(json.dumps([str(f) for f in files]))
    return _child(INGEST, str(index), str(listing))


def run_scale(sizes: list[int], work: Path, seed: int = 13, docs: Path | None = None, log=print,
              resume: bool = False) -> dict:
    """The whole benchmark; ``work`` holds the generated reports, indexes and scale.json.

    ``resume`` goes on from the whole steps an earlier run saved in ``work`` (its index and
    Hartwell-alone figures are kept; each step records the commit it was measured at): the
    generator is deterministic, so the reports of a smaller run are the first of a larger one."""
    from evals.runner import git_commit
    from evals.scale_report import machine, write_report

    if not sizes or any(n < 1 for n in sizes):
        raise ValueError(f"sizes must be positive report counts, not {sizes}")
    sizes = sorted(set(sizes))
    work.mkdir(parents=True, exist_ok=True)
    hartwell = sorted(HARTWELL.glob("*.pdf"))
    if not hartwell:
        raise ValueError(f"no Hartwell reports in {HARTWELL}")
    questions = load_questions(HARTWELL / "questions.jsonl")
    sources = [p.name for p in hartwell]
    earlier = json.loads((work / "scale.json").read_text()) if resume and (work / "scale.json").is_file() else None
    if earlier is not None and earlier.get("seed") != seed:
        raise ValueError(f"the run in {work} used seed {earlier.get('seed')}, not {seed}")
    kept = [st for st in (earlier or {}).get("steps", []) if not st["ingest"].get("partial")]
    sizes = sorted(set(sizes) | {st["n"] for st in kept})
    commit = git_commit(ROOT)
    result = {"commit": commit, "machine": machine(), "seed": seed, "sizes": sizes, "steps": []}
    t = time.perf_counter()
    reports = generate(work / "reports", max(sizes) + 1, seed)
    result["generate_s"] = time.perf_counter() - t
    files = [work / "reports" / r.file for r in reports]
    log(f"generated {len(files)} reports in {result['generate_s']:.1f} s")

    index = work / "index"
    if kept:
        result["alone"], result["steps"] = earlier["alone"], kept
        for st in kept:
            st.setdefault("commit", earlier["commit"])
        log(f"resuming after {kept[-1]['n']} reports (measured at {earlier['commit']})")
    else:
        alone = work / "hartwell-index"
        shutil.rmtree(alone, ignore_errors=True)
        _ingest(alone, hartwell, work)
        result["alone"] = serve_and_ask(alone, questions, sources)
        log(f"Hartwell alone: {result['alone']}")
        shutil.rmtree(index, ignore_errors=True)
        _ingest(index, hartwell, work)
    done = kept[-1]["n"] if kept else 0
    for n in sizes:
        if n <= done:
            continue
        step = {"n": n, "commit": commit, "ingest": _ingest(index, files[done:n], work)}
        done = n
        step["disk_mb"] = _du_mb(index)
        step["load"] = _child(LOAD, str(index))
        step["serve"] = serve_and_ask(index, questions, sources)
        result["steps"].append(step)
        log(f"N={n}: {json.dumps(step)}")
        (work / "scale.json").write_text(json.dumps(result, indent=1))
    one = files[max(sizes)]
    result["add_one"] = _ingest(index, [one], work)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "api.cli", "remove", one.name, "--index", str(index)],
                   env=_env(), cwd=ROOT, check=True, capture_output=True)
    result["remove_one_s"] = time.perf_counter() - t
    qlist = work / "questions.json"
    qlist.write_text(json.dumps([q.question for q in questions]))
    result["ann"] = _child(ANN, str(index), str(qlist))
    bundled = work / "bundled-index"
    shutil.rmtree(bundled, ignore_errors=True)
    result["bundled"] = _ingest(bundled, sorted((ROOT / "data" / "reports").glob("*.pdf")), work)
    log(f"bundled: {result['bundled']['wall_s']:.1f} s")
    (work / "scale.json").write_text(json.dumps(result, indent=1))
    if docs is not None:
        write_report(result, docs)
    return result


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - command line
    import argparse

    ap = argparse.ArgumentParser(description="The scale benchmark (as 'reportqa bench scale'), with --resume.")
    ap.add_argument("--reports", default="50,200,500")
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "scale")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--docs", type=Path, default=ROOT / "docs" / "performance.md")
    ap.add_argument("--resume", action="store_true", help="Go on from the whole steps saved in --work.")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    run_scale([int(x) for x in a.reports.split(",") if x.strip()], a.work, a.seed, a.docs, resume=a.resume)


if __name__ == "__main__":  # pragma: no cover
    main()
