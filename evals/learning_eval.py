"""Measure the learning library against the hand labels in evals/learning_labels.jsonl.

- Extraction recall: the share of labelled learning points that some extracted learning point
  of the same report (or two adjacent ones) covers (at least MATCH of the label's words).
- Review grouping: over pairs of labelled points of one report that both were extracted, the
  precision and recall of "the same review" (same extracted review name) against the labels'
  review: three audits of one year read as one review cost precision.
- Theme precision and recall (micro, over (point, theme) pairs) of qa.themes on the labelled
  quotes: on the bundled labels cross-validated leaving one report out (evals.fit_themes, which
  chose the method and its constants on them), and on Hartwell's, which nothing was chosen on.

    .venv/bin/python -m evals.learning_eval            # prints the figures, one line each
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from evals import fit_themes as fit
from ingest.load import load_document
from ingest.reviews import extract_reviews
from qa.themes import OTHER, TAXONOMY, ThemeAssigner, keyword_themes

LABELS = Path(__file__).with_name("learning_labels.jsonl")
FOLDERS = {"bundled": Path("data/reports"), "hartwell": Path("data/collections/hartwell")}
MATCH = 0.7
# What evals.theme_audit removed (docs/learning.md): keyword alternatives that matched Hartwell's
# text and no bundled page and are not field vocabulary, written while Hartwell's labels were seen.
DECONTAMINATION = ("24 keyword alternatives that matched Hartwell and no bundled text were removed (6676f7f); "
                   "with the method of then, Hartwell P/R went 0.891/0.742 -> 0.745/0.576")


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


def review_grouping(labels: list[dict], entries: dict[str, list[tuple[str, list[str]]]]) -> tuple[int, int, int]:
    """(tp, fp, fn) over pairs of labels of one report whose points were both extracted: a pair
    is positive when the labels name one review, predicted so when the extracted reviews covering
    the two points (``entries``: per report, (review name, its point texts)) have one name."""
    tp = fp = fn = 0
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for r in labels:
        name = next((n for n, pts in entries.get(r["doc"], []) if covered(r["quote"], pts)), None)
        if name is not None:
            by_doc.setdefault(r["doc"], []).append((r["review"], name))
    for pairs in by_doc.values():
        for i, (la, na) in enumerate(pairs):
            for lb, nb in pairs[i + 1:]:
                tp += la == lb and na == nb
                fp += la != lb and na == nb
                fn += la == lb and na != nb
    return tp, fp, fn


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {t.key for t in TAXONOMY} | {OTHER}
    bad = [r for r in labels if not set(r["themes"]) <= known]
    if bad:
        print(f"unknown theme in label: {bad[0]}")
        return 2
    extracted: dict[str, list[str]] = {}
    reviews: dict[str, list[tuple[str, list[str]]]] = {}
    for folder in FOLDERS.values():
        for path in sorted(folder.glob("*.pdf")):
            ld = load_document(path)
            entries = extract_reviews(ld.document, ld.text, ld.pages)
            extracted[path.name] = [p.text for e in entries for p in e.points if p.kind == "learning"]
            reviews[path.name] = [(e.name, [p.text for p in e.points]) for e in entries]
    by = {c: [r for r in labels if r["collection"] == c] for c in FOLDERS}
    for c in FOLDERS:
        hit, n = extraction_recall(by[c], extracted)
        print(f"{c}: extraction recall {hit}/{n} = {hit / n:.3f}")
    for c in FOLDERS:
        tp, fp, fn = review_grouping(by[c], reviews)
        p, r, _ = fit.prf(tp, fp, fn)
        print(f"{c}: review grouping (pairs of points of one report): precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    from index.dense import Embedder

    embedder = Embedder()
    ex = fit.embed_examples(embedder)
    data = fit.load_data(embedder, "bundled")
    tp, fp, fn = fit.cross_validate(data, ex, fit.methods(ex)[fit.CHOSEN], fit.bundled_pages())
    p, r, _ = fit.prf(tp, fp, fn)
    print(f"bundled: themes ({fit.CHOSEN}), leaving one report out: precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assigner = ThemeAssigner(embedder)
    for c in FOLDERS:
        quotes = [r["quote"] for r in by[c]]
        gold = [set(r["themes"]) for r in by[c]]
        for name, predicted in (("served", assigner.assign(quotes)), ("keywords only", [keyword_themes(q) or [OTHER] for q in quotes])):
            p, r, _ = fit.prf(*fit.scores(gold, predicted))
            where = "in-sample" if c == "bundled" else "reported, not chosen on"
            how = f" (threshold {assigner.threshold}, margin {assigner.margin})" if name == "served" else ""
            print(f"{c}: themes, {name}{how}, {where}: precision {p:.3f} recall {r:.3f}")
    print(f"decontamination: {DECONTAMINATION}")
    n_points = sum(len(v) for v in extracted.values())
    print(f"extracted learning points: {n_points} in {len(extracted)} reports; labelled: {len(labels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
