"""Choose how learning points get their themes, by cross-validation on the bundled labels only,
and the served method's constants (qa.themes.DEFAULT_THRESHOLD and MARGIN).

Every method is scored leaving one bundled report out: its constants (thresholds, margins, the
regularisation) are chosen on the other reports' labels, then it themes the left-out report's
points; (point, theme) pairs are pooled over the folds into micro precision and recall. The
method with the best cross-validated F1 is the one served. The keywords were written with the
bundled reports in view, so in each fold they are cut to what the training reports could have
taught (``fold_keywords``: the audit's rule, evals.theme_audit); with all of them in every fold
the keyword methods look better than they are. Hartwell's labels are never read here.

    .venv/bin/python -m evals.fit_themes                  # the table of methods, cross-validated, and the served constants
    .venv/bin/python -m evals.fit_themes --vocabularies   # the served keywords against the candidates of evals.theme_vocabularies
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evals.theme_audit import alternatives, page_texts_of
from qa.theme_examples import EXAMPLES
from qa.themes import DEFAULT_THRESHOLD, MARGIN, OTHER, TAXONOMY, keyword_themes, nearest_example

LABELS = Path(__file__).with_name("learning_labels.jsonl")
BUNDLED = Path("data/reports")
KEYS = [t.key for t in TAXONOMY]
THRESHOLDS = [round(x, 3) for x in np.arange(0.30, 0.71, 0.025)]
MARGINS = [0.0, 0.03, 0.06, 0.1]
PROBABILITIES = [round(x, 2) for x in np.arange(0.15, 0.96, 0.05)]
C_GRID = [0.25, 1.0, 4.0, 16.0]


@dataclass
class Data:
    """Labelled points: their quotes, reports, gold themes and embeddings (rows)."""

    quotes: list[str]
    docs: list[str]
    gold: list[set[str]]
    X: np.ndarray

    def take(self, idx: list[int]) -> "Data":
        return Data([self.quotes[i] for i in idx], [self.docs[i] for i in idx], [self.gold[i] for i in idx], self.X[idx])


def read_labels(collection: str, path: Path = LABELS) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["collection"] == collection]


def scores(gold: list[set[str]], predicted: list[list[str]]) -> tuple[int, int, int]:
    """(tp, fp, fn) over (point, theme) pairs; "other" is a theme like the rest."""
    tp = sum(len(g & set(p)) for g, p in zip(gold, predicted))
    fp = sum(len(set(p) - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - set(p)) for g, p in zip(gold, predicted))
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def f1_of(data: Data, predicted: list[list[str]]) -> tuple[float, float]:
    """F1, then precision: the order constants are chosen by."""
    p, _, f = prf(*scores(data.gold, predicted))
    return f, p


# --- the methods: each chooses its constants on ``train`` and returns a predictor ---------------

Predictor = Callable[[Data], list[list[str]]]


def keywords_only(train: Data, ex: dict) -> Predictor:
    kw = ex["kw"]
    return lambda d: [kw(q) or [OTHER] for q in d.quotes]


def _similarity_method(theme_sims, use_keywords, with_points: bool = False) -> Callable[[Data, dict], Predictor]:
    """Themes whose similarity (``theme_sims(ex)``: rows of points -> theme columns) reaches a
    threshold within a margin of the best; ``with_points``: the training points are examples too."""
    def method(train: Data, ex: dict) -> Predictor:
        kw = ex["kw"]
        if with_points:
            rows = [(i, KEYS.index(k)) for i, g in enumerate(train.gold) for k in g if k != OTHER]
            ex = dict(ex, examples=np.vstack([ex["examples"], train.X[[i for i, _ in rows]]]),
                      example_theme=np.concatenate([ex["example_theme"], [j for _, j in rows]]))
        sims_of = theme_sims(ex)

        def predict_with(d: Data, t: float, m: float) -> list[list[str]]:
            sims = sims_of(d.X)
            out = []
            for q, row in zip(d.quotes, sims):
                chosen = set(kw(q)) if use_keywords else set()
                best = float(row.max())
                if best >= t and not (chosen and use_keywords == "fallback"):
                    chosen |= {KEYS[i] for i, s in enumerate(row) if s >= t and s >= best - m}
                out.append([k for k in KEYS if k in chosen] or [OTHER])
            return out

        t, m = max(((t, m) for t in THRESHOLDS for m in MARGINS), key=lambda tm: f1_of(train, predict_with(train, *tm)))

        def predictor(d: Data) -> list[list[str]]:
            return predict_with(d, t, m)

        predictor.constants = (t, m)
        return predictor

    return method


def description_sims(ex: dict) -> Callable[[np.ndarray], np.ndarray]:
    return lambda X: X @ ex["descriptions"].T


def example_sims(ex: dict) -> Callable[[np.ndarray], np.ndarray]:
    """Each theme's similarity: its nearest example sentence's, as qa.themes.ThemeAssigner serves."""
    return lambda X: nearest_example(X @ ex["examples"].T, ex["example_theme"], len(KEYS))


def fit_logistic(X: np.ndarray, Y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regressions (weights rows, intercepts); a theme with no positive
    example gets a large negative intercept."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float64)
    b = np.full(Y.shape[1], -20.0)
    for j in range(Y.shape[1]):
        if 0 < Y[:, j].sum() < len(Y):
            lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(X, Y[:, j])
            W[j], b[j] = lr.coef_[0], lr.intercept_[0]
    return W, b


def training_set(train: Data, ex: dict) -> tuple[np.ndarray, np.ndarray]:
    """The points (multi-label rows) and every theme's example sentences as extra rows."""
    Y = np.array([[k in g for k in KEYS] for g in train.gold], dtype=int).reshape(len(train.gold), len(KEYS))
    Yx = np.eye(len(KEYS), dtype=int)[ex["example_theme"]]
    return np.vstack([train.X, ex["examples"]]), np.vstack([Y, Yx])


def predict_probabilities(quotes: list[str], P: np.ndarray, tau: float, use_keywords, kw=keyword_themes) -> list[list[str]]:
    """Themes at probability ``tau`` or more; ``use_keywords``: True adds the keyword themes,
    "fallback" takes the keyword themes when there are any and the model's only when not."""
    out = []
    for q, row in zip(quotes, P):
        words = set(kw(q)) if use_keywords else set()
        model = {KEYS[i] for i, p in enumerate(row) if p >= tau}
        chosen = words if words and use_keywords == "fallback" else words | model
        out.append([k for k in KEYS if k in chosen] or [OTHER])
    return out


def probabilities(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(X @ W.T + b, -40, 40)))


def choose_logistic(train: Data, ex: dict, use_keywords: bool) -> tuple[float, float]:
    """(C, tau) by leaving one of ``train``'s reports out at a time; with one report, in-sample."""
    reports = sorted(set(train.docs))
    pooled: dict[tuple[float, float], list[int]] = {(c, t): [0, 0, 0] for c in C_GRID for t in PROBABILITIES}
    folds = [(i, o) for o in reports for i in [[k for k, d in enumerate(train.docs) if d != o]]] if len(reports) > 1 else [(list(range(len(train.docs))), reports[0])]
    for inner, out in folds:
        held = train.take([k for k, d in enumerate(train.docs) if d == out])
        X, Y = training_set(train.take(inner), ex)
        for c in C_GRID:
            P = probabilities(held.X, *fit_logistic(X, Y, c))
            for t in PROBABILITIES:
                s = scores(held.gold, predict_probabilities(held.quotes, P, t, use_keywords, ex["kw"]))
                pooled[(c, t)] = [a + b for a, b in zip(pooled[(c, t)], s)]
    return max(pooled, key=lambda ct: (prf(*pooled[ct])[2], prf(*pooled[ct])[0]))


def logistic_method(use_keywords: bool) -> Callable[[Data, dict], Predictor]:
    def method(train: Data, ex: dict) -> Predictor:
        c, tau = choose_logistic(train, ex, use_keywords)
        W, b = fit_logistic(*training_set(train, ex), c)
        return lambda d: predict_probabilities(d.quotes, probabilities(d.X, W, b), tau, use_keywords, ex["kw"])
    return method


def methods(ex: dict) -> dict[str, Callable[[Data, dict], Predictor]]:
    return {
        "keywords only": keywords_only,
        "keywords + one description (threshold, margin)": _similarity_method(description_sims, True),
        "one description only": _similarity_method(description_sims, False),
        "keywords + example sentences (threshold, margin)": _similarity_method(example_sims, True),
        "example sentences only": _similarity_method(example_sims, False),
        "keywords, else example sentences": _similarity_method(example_sims, "fallback"),
        "keywords + example sentences and labelled points": _similarity_method(example_sims, True, with_points=True),
        "logistic regression on embeddings (points + examples)": logistic_method(False),
        "keywords + logistic regression": logistic_method(True),
        "keywords, else logistic regression": logistic_method("fallback"),
    }


def keywords_of(vocabulary: dict[str, str] | None = None) -> Callable[[str], list[str]]:
    """A keyword matcher for ``vocabulary`` (theme key -> regular expression); the served one by default."""
    if vocabulary is None:
        return keyword_themes
    compiled = [(k, re.compile(vocabulary[k], re.IGNORECASE)) for k in KEYS]
    return lambda text: [k for k, rx in compiled if rx.search(text)]


def fold_keywords(pages: dict[str, list[str]], out: str, vocabulary: dict[str, str] | None = None) -> Callable[[str], list[str]]:
    """The keywords as if written without report ``out``: an alternative that matches a page of
    ``out`` and no page of the other bundled reports is dropped (the audit's rule, per fold)."""
    vocabulary = vocabulary or {t.key: t.keywords for t in TAXONOMY}
    rest = [p for d, ps in pages.items() if d != out for p in ps]
    kept = []
    for key in KEYS:
        alts = [a for a in alternatives(vocabulary[key])
                if any(re.search(a, p, re.IGNORECASE) for p in rest) or not any(re.search(a, p, re.IGNORECASE) for p in pages[out])]
        kept.append((key, re.compile("|".join(alts), re.IGNORECASE) if alts else None))
    return lambda text: [k for k, rx in kept if rx is not None and rx.search(text)]


def cross_validate(data: Data, ex: dict, method: Callable[[Data, dict], Predictor], pages: dict[str, list[str]] | None = None,
                   vocabulary: dict[str, str] | None = None) -> tuple[int, int, int]:
    """Pooled (tp, fp, fn) leaving one report out at a time; with ``pages`` (report -> page
    texts) the keywords of each fold are those its training reports could have taught.
    ``vocabulary``: keywords other than the served ones (evals.theme_vocabularies)."""
    total = [0, 0, 0]
    for out in sorted(set(data.docs)):
        train = data.take([i for i, d in enumerate(data.docs) if d != out])
        test = data.take([i for i, d in enumerate(data.docs) if d == out])
        fold = dict(ex, kw=fold_keywords(pages, out, vocabulary) if pages else keywords_of(vocabulary))
        total = [a + b for a, b in zip(total, scores(test.gold, method(train, fold)(test)))]
    return tuple(total)


def embed_examples(embedder, examples: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The descriptions' and example sentences' embeddings; ``examples``: other than qa.theme_examples'."""
    examples = examples or EXAMPLES
    sentences = [(i, s) for i, k in enumerate(KEYS) for s in examples[k]]
    return {
        "descriptions": np.asarray(embedder.encode([f"{t.label}: {t.description}" for t in TAXONOMY]), dtype=np.float32),
        "examples": np.asarray(embedder.encode([s for _, s in sentences]), dtype=np.float32),
        "example_theme": np.array([i for i, _ in sentences]),
    }


def load_data(embedder, collection: str = "bundled") -> Data:
    rows = read_labels(collection)
    X = np.asarray(embedder.encode([r["quote"] for r in rows]), dtype=np.float32)
    return Data([r["quote"] for r in rows], [r["doc"] for r in rows], [set(r["themes"]) for r in rows], X)


CHOSEN = "keywords + example sentences (threshold, margin)"


def served_constants(data: Data, ex: dict, vocabulary: dict[str, str] | None = None) -> tuple[float, float]:
    """The served method's (threshold, margin), chosen on all bundled labels with all keywords."""
    return methods(ex)[CHOSEN](data, dict(ex, kw=keywords_of(vocabulary))).constants


def bundled_pages() -> dict[str, list[str]]:
    return {p.name: page_texts_of(p) for p in sorted(BUNDLED.glob("*.pdf"))}


def vocabulary_table(embedder, data: Data, ex: dict, pages: dict[str, list[str]]) -> None:
    """Each candidate vocabulary (evals.theme_vocabularies), with the served example sentences and
    with the field's added: keywords only and the served method, cross-validated as above."""
    from evals.theme_vocabularies import FIELD_EXAMPLES, vocabularies

    examples = {"served examples": ex, "+ field examples": embed_examples(embedder, {k: EXAMPLES[k] + FIELD_EXAMPLES[k] for k in KEYS})}
    for vname, vocabulary in vocabularies().items():
        rows = [("keywords only", ex, keywords_only)] + [(f"{CHOSEN}, {e}", x, methods(x)[CHOSEN]) for e, x in examples.items()]
        for name, x, method in rows:
            tp, fp, fn = cross_validate(data, x, method, pages, vocabulary)
            p, r, f = prf(tp, fp, fn)
            naive = prf(*cross_validate(data, x, method, None, vocabulary))
            print(f"vocabulary {vname:30} {name:70} precision {p:.3f} recall {r:.3f} F1 {f:.3f} (tp {tp}, fp {fp}, fn {fn}); "
                  f"all keywords in every fold: P {naive[0]:.3f} R {naive[1]:.3f} F1 {naive[2]:.3f}")
        t, m = served_constants(data, ex, vocabulary)
        print(f"vocabulary {vname:30} served constants on all bundled labels: threshold {t}, margin {m}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vocabularies", action="store_true", help="compare the candidate keyword vocabularies (evals.theme_vocabularies) instead")
    args = ap.parse_args(argv)
    from index.dense import Embedder

    embedder = Embedder()
    ex = embed_examples(embedder)
    data = load_data(embedder)
    pages = bundled_pages()
    print(f"bundled labels: {len(data.quotes)} points in {len(set(data.docs))} reports; cross-validated leaving one report out")
    if args.vocabularies:
        vocabulary_table(embedder, data, ex, pages)
        return 0
    for name, method in methods(ex).items():
        naive = prf(*cross_validate(data, ex, method))
        tp, fp, fn = cross_validate(data, ex, method, pages)
        p, r, f = prf(tp, fp, fn)
        print(f"{name:56} precision {p:.3f} recall {r:.3f} F1 {f:.3f} (tp {tp}, fp {fp}, fn {fn}); "
              f"all keywords in every fold: P {naive[0]:.3f} R {naive[1]:.3f}{'  <- served' if name == CHOSEN else ''}")
    t, m = served_constants(data, ex)
    print(f"served: {CHOSEN}; on all bundled labels threshold {t}, margin {m} "
          f"(qa.themes has {DEFAULT_THRESHOLD}, {MARGIN}{'' if (t, m) == (DEFAULT_THRESHOLD, MARGIN) else ': UPDATE THEM'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
