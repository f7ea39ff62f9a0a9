"""Measure the learning library against the hand labels in evals/learning_labels.jsonl.

- Extraction recall: the share of labelled learning points that some extracted learning point
  of the same report (or two adjacent ones) covers (at least MATCH of the label's words).
- Theme precision and recall (micro, over (point, theme) pairs) of qa.themes on the labelled
  quotes. The embedding threshold is chosen on the bundled reports' labels and only reported
  on Hartwell's, which nothing was tuned on.

    .venv/bin/python -m evals.learning_eval            # prints the figures, one line each
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

from ingest.load import load_document
from ingest.reviews import extract_reviews
from qa.themes import TAXONOMY, ThemeAssigner, assign_one

LABELS = Path(__file__).with_name("learning_labels.jsonl")
FOLDERS = {"bundled": Path("data/reports"), "hartwell": Path("data/collections/hartwell")}
MATCH = 0.7
THRESHOLDS = [round(x, 2) for x in np.arange(0.20, 0.61, 0.025)]


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def covered(label: str, points: list[str]) -> bool:
    """One point, or two adjacent ones (a list item of two sentences is cut into two points),
    holds at least MATCH of the label's words."""
    lw = words(label)
    spans = [words(p) for p in points] + [words(a) | words(b) for a, b in zip(points, points[1:])]
    return any(len(lw & p) >= MATCH * len(lw) for p in spans)


def extraction_recall(labels: list[dict], extracted: dict[str, list[str]]) -> tuple[int, int]:
    """Labels of learning points found; a label with ``"scope": "action"`` (an action the
    extractor took for learning, labelled only for its themes) is not one."""
    points = [r for r in labels if r.get("scope", "learning") == "learning"]
    hit = sum(covered(r["quote"], extracted.get(r["doc"], [])) for r in points)
    return hit, len(points)


def theme_scores(labels: list[dict], predicted: list[list[str]]) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for r, pred in zip(labels, predicted):
        gold, got = set(r["themes"]), set(pred)
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return p, rc, tp, fp, fn


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {t.key for t in TAXONOMY} | {"other"}
    bad = [r for r in labels if not set(r["themes"]) <= known]
    if bad:
        print(f"unknown theme in label: {bad[0]}")
        return 2
    extracted: dict[str, list[str]] = {}
    for folder in FOLDERS.values():
        for path in sorted(folder.glob("*.pdf")):
            ld = load_document(path)
            extracted[path.name] = [p.text for e in extract_reviews(ld.document, ld.text, ld.pages) for p in e.points if p.kind == "learning"]
    from index.dense import Embedder

    assigner = ThemeAssigner(Embedder())
    by = {c: [r for r in labels if r["collection"] == c] for c in FOLDERS}
    sims = {c: assigner.similarities([r["quote"] for r in rs]) for c, rs in by.items()}

    def predict(c: str, t: float) -> list[list[str]]:
        return [assign_one(r["quote"], row, t) for r, row in zip(by[c], sims[c])]

    best = max(THRESHOLDS, key=lambda t: (f1(*theme_scores(by["bundled"], predict("bundled", t))[:2]), -t))
    for c in FOLDERS:
        hit, n = extraction_recall(by[c], extracted)
        print(f"{c}: extraction recall {hit}/{n} = {hit / n:.3f}")
    for c in FOLDERS:
        p, r, tp, fp, fn = theme_scores(by[c], predict(c, best))
        print(f"{c}: themes at threshold {best} (chosen on bundled): precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    kw = theme_scores(by["hartwell"], predict("hartwell", 1.01))
    print(f"hartwell: keywords only: precision {kw[0]:.3f} recall {kw[1]:.3f}")
    n_points = sum(len(v) for k, v in extracted.items())
    print(f"extracted learning points: {n_points} in {len(extracted)} reports; labelled: {len(labels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
