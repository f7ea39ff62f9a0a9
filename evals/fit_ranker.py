"""Fit the sentence ranker (``qa.ranker``) on the bundled train split: ``reportqa fit``.

1. Each train question is asked of the engine with the hand weights, and every candidate
   sentence the second stage scores is kept with its features (``qa.features``).
2. A sentence is labelled an answer when it lies mostly inside a gold evidence quote of the
   question (or an alternative's), or the quote lies mostly inside it (``label``).
3. A logistic regression is fitted on the candidates; its regularisation ``C`` is chosen by
   five folds of train questions (mean top-1 hit of answerable questions), never on test.
4. The bar under which the engine declines is chosen on the same folds: each question is
   answered by a model fitted without its fold, and the bar maximises correct minus false
   abstentions (``choose_bar``).
Test and other collections are never read here.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evals import metrics
from evals.collections import load_collections
from evals.questions import Question, load_questions
from qa.features import FEATURES
from qa.ranker import VERSION, WEIGHTS_FILE, Ranker, save_ranker

logger = logging.getLogger(__name__)

FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
INSIDE, HOLDS = 0.5, 0.6  # sentence trigrams inside the quote / quote trigrams inside the sentence


@dataclass(frozen=True)
class Candidate:
    question_id: str
    features: tuple[float, ...]
    label: int


def label(sentence: str, doc: str, question: Question) -> int:
    """1 when the sentence (from document ``doc``) lies mostly inside a gold quote from that
    document (at least INSIDE of its word trigrams are the quote's) or holds most of one
    (HOLDS of the quote's trigrams are in it), else 0."""
    for ev in question.evidence:
        for d, quote in metrics.options(ev):
            if d != doc:
                continue
            if len(sentence.split()) >= 3 and metrics.support_fraction(quote, sentence) >= INSIDE:
                return 1
            if metrics.support_fraction(sentence, quote) >= HOLDS:
                return 1
    return 0


def fold_of(question_id: str) -> int:
    """A question's fold: a hash of its id, so folds never depend on the order of the file."""
    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % FOLDS


@contextlib.contextmanager
def recording(into: list) -> Iterator[None]:
    """While open, every second-stage ranking the engine makes is appended to ``into``, with its
    sentences' features: the rankings of one answer (``qa.engine``) and of each report's row of
    a trend (``qa.trend_answer``)."""
    import qa.engine as engine_module
    import qa.trend_answer as trend_module

    modules = (engine_module, trend_module)
    originals = [m.rerank for m in modules]

    def wrap(original):
        def wrapper(*args, **kwargs):
            ranked = original(*args, **{**kwargs, "keep_features": True})
            into.append(ranked)
            return ranked
        return wrapper

    for m, original in zip(modules, originals):
        m.rerank = wrap(original)
    try:
        yield
    finally:
        for m, original in zip(modules, originals):
            m.rerank = original


def candidates(engine, questions: Sequence[Question]) -> list[Candidate]:
    """Every sentence the hand-weighted second stage scores for each question, labelled."""
    out: list[Candidate] = []
    for q in questions:
        rankings: list = []
        with recording(rankings):
            engine.ask(q.question, config="full")
        seen = set()
        for ranked in rankings:
            for r in ranked:
                doc = engine.store.documents[engine.store.chunks[r.row].doc_id].source
                for s in r.sentences:
                    key = (r.row, s.sentence.start)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(Candidate(q.id, s.features, label(s.sentence.text, doc, q)))
    return out


class _Model:
    """A logistic regression fitted on standardised features, so that one C regularises every
    feature alike, with its weights turned back to act on the raw features."""

    def __init__(self, x: np.ndarray, y: np.ndarray, c: float) -> None:
        from sklearn.linear_model import LogisticRegression

        mean, std = x.mean(axis=0), x.std(axis=0)
        std[std == 0] = 1.0
        lr = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / std, y)
        self.coef_ = (lr.coef_[0] / std)[None, :]
        self.intercept_ = np.array([lr.intercept_[0] - float(np.sum(lr.coef_[0] * mean / std))])

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        return x @ self.coef_[0] + self.intercept_[0]


def _fit(rows: Sequence[Candidate], c: float) -> _Model:
    return _Model(np.array([r.features for r in rows]), np.array([r.label for r in rows]), c)


def top1_hit(model, rows: Sequence[Candidate]) -> float:
    """Mean over questions with an answer sentence of whether the top-scored one is an answer."""
    by_q: dict[str, list[Candidate]] = {}
    for r in rows:
        by_q.setdefault(r.question_id, []).append(r)
    hits = []
    for qrows in by_q.values():
        if not any(r.label for r in qrows):
            continue
        p = model.decision_function(np.array([r.features for r in qrows]))
        hits.append(qrows[int(np.argmax(p))].label)
    return float(np.mean(hits)) if hits else 0.0


def choose_c(rows: Sequence[Candidate]) -> tuple[float, dict[float, float]]:
    """The C of ``C_GRID`` with the best mean held-out top-1 hit over the folds."""
    results = {}
    for c in C_GRID:
        scores = []
        for k in range(FOLDS):
            train = [r for r in rows if fold_of(r.question_id) != k]
            held = [r for r in rows if fold_of(r.question_id) == k]
            scores.append(top1_hit(_fit(train, c), held))
        results[c] = float(np.mean(scores))
    return max(results, key=lambda c: (results[c], -abs(np.log10(c)))), results


def to_ranker(model, bar: float, trained_on: str) -> Ranker:
    return Ranker(dict(zip(FEATURES, map(float, model.coef_[0]))), float(model.intercept_[0]), bar, VERSION, trained_on)


def choose_bar(confidences: Sequence[tuple[float, bool]]) -> float:
    """The bar (a midpoint between two observed confidences, or 0) maximising the number of
    unanswerable questions declined minus answerable ones declined; ties go to the lower bar."""
    values = sorted({c for c, _ in confidences})
    bars = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:])]

    def gain(bar: float) -> int:
        return sum((1 if not answerable else -1) for c, answerable in confidences if c < bar)

    return max(bars, key=lambda b: (gain(b), -b))


def fit(engine, questions: Sequence[Question], progress: bool = False) -> tuple[Ranker, dict]:
    """The ranker fitted on ``questions`` (the train split) and a summary of how it was chosen."""
    rows = candidates(engine, questions)
    c, by_c = choose_c(rows)
    confidences = []
    for k in range(FOLDS):
        model = _fit([r for r in rows if fold_of(r.question_id) != k], c)
        engine.ranker = to_ranker(model, 0.0, "fold")
        for q in questions:
            if fold_of(q.id) == k:
                resp = engine.ask(q.question, config="fitted")
                if resp.get("confidence") is not None:
                    confidences.append((float(resp["confidence"]), q.answerable))
    bar = choose_bar(confidences)
    trained_on = f"bundled train split, {len(questions)} questions, {len(rows)} candidate sentences"
    ranker = to_ranker(_fit(rows, c), bar, trained_on)
    engine.ranker = ranker
    summary = {"candidates": len(rows), "positives": sum(r.label for r in rows), "C": c,
               "held_out_top1_by_C": by_c, "bar": bar, "questions": len(questions)}
    return ranker, summary


def main(index: Path = Path("var/index"), out: Path = WEIGHTS_FILE) -> dict:
    from evals.suite import index_for
    from index.dense import Embedder
    from qa.engine import Engine

    embedder = Embedder()
    bundled = load_collections()["bundled"]
    qs = load_questions(bundled.questions)
    split = bundled.splits([q.id for q in qs])
    train = [q for q in qs if split[q.id] == "train"]
    store = index_for(bundled, index, embedder, False)
    engine = Engine(store, embedder, ranker=Ranker(dict.fromkeys(FEATURES, 0.0), 0.0, 0.0))
    ranker, summary = fit(engine, train)
    save_ranker(ranker, out)
    summary["weights"] = ranker.weights
    return summary


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=1))
