"""Does torch dynamic int8 quantisation of the embedder pay? Ingest time and R@400w, both ways.

    OMP_NUM_THREADS=1 python -m evals.quantise --work var/quantise

Indexes every collection (the bundled reports, Hartwell's) twice, with the float32 embedder
and with its Linear layers quantised to int8 (torch.ao.quantization.quantize_dynamic), in one
process so the times compare, then asks each collection's test questions of each index and
scores R@400w as ``reportqa eval`` does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from evals import metrics
from evals.questions import load_questions

def quantised(embedder):
    """The embedder with its Linear layers in dynamic int8, under a name its index records."""
    import torch

    embedder.model = torch.ao.quantization.quantize_dynamic(embedder.model, {torch.nn.Linear}, dtype=torch.qint8)
    embedder.name = f"{embedder.name}+int8"
    return embedder


def measure(work: Path) -> dict:
    """Per collection (test questions only) and embedder: ingest seconds and R@400w."""
    from evals.collections import load_collections
    from evals.split import TEST
    from index.build import ingest_paths
    from index.dense import Embedder
    from qa.engine import Engine

    out: dict = {}
    for variant in ("float32", "int8"):
        embedder = Embedder() if variant == "float32" else quantised(Embedder())
        for c in load_collections().values():
            qs = load_questions(c.questions)
            split = c.splits([q.id for q in qs])
            questions = [q for q in qs if q.answerable and split[q.id] == TEST]
            folder = work / f"{c.name}-{variant}"
            shutil.rmtree(folder, ignore_errors=True)
            t = time.perf_counter()
            store, report = ingest_paths(c.report_files(), folder, embedder, progress=False, workers=0)
            ingest_s = time.perf_counter() - t
            engine = Engine(store, embedder)
            recall = [metrics.evidence_recall_within_words(engine.ask(q.question)["citations"], q.evidence, 400)
                      for q in questions]
            out[f"{c.name}/{variant}"] = {
                "ingest_s": ingest_s, "pages": report.pages, "texts": report.texts_embedded,
                "questions": len(questions), "r400w": metrics.mean_ignoring_none(recall),
                "vectors": store.vectors.copy(),
            }
    for name in {k.split("/")[0] for k in out}:
        f, q = out[f"{name}/float32"], out[f"{name}/int8"]
        cos = (f.pop("vectors") * q.pop("vectors")).sum(axis=1)
        out[name] = {"speedup": f["ingest_s"] / q["ingest_s"], "r400w_change": q["r400w"] - f["r400w"],
                     "chunk_cosine_mean": float(cos.mean()), "chunk_cosine_min": float(cos.min())}
    return out


def main() -> None:  # pragma: no cover - command line
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path("var/quantise"))
    a = ap.parse_args()
    print(json.dumps(measure(a.work), indent=1))


if __name__ == "__main__":  # pragma: no cover
    main()
