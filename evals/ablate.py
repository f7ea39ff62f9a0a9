"""Ablations: does each hand rule of the full system pay on questions it was not tuned on?

``python -m evals.ablate [--index var/index] [--only NAME ...]`` asks the bundled train and
test questions (five bundled reports) and Hartwell's (indexed beside them, as
``reportqa eval --collection hartwell`` builds it) of the full system, once as it is and once
with each rule of ``ABLATIONS`` switched off, and prints R@400w, fact recall, citation
precision and abstention for each split with the change against the system as it is. A rule is
kept only where test and Hartwell show that it helps (docs/evaluation.md); train is shown for
reference only.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
from collections.abc import Iterator
from pathlib import Path

from evals.collections import load_collections
from evals.questions import load_questions
from evals.runner import EngineSystem, ask_all, score, summarise
from evals.suite import index_for

# name -> {"module:attribute": replacement}; a replacement "<noop-none>" returns None,
# "<noop-false>" returns False, "<identity>" returns its first argument, "<last>" its last.
ABLATIONS: dict[str, dict[str, object]] = {
    "figure-tests": {"qa.intent:wants_figure": "<noop-false>", "qa.intent:asks_quantity": "<noop-false>",
                     "qa.spans:asks_quantity": "<noop-false>"},
    "subject-tests": {"qa.engine:Engine._must_hold": "<noop-none>", "qa.engine:Engine._subject_test": "<noop-none>"},
    "query-expansion": {"qa.engine:expand": "<identity>"},
    "acronyms": {"qa.engine:with_acronyms": "<identity>"},
    "read-on": {"qa.single_answer:READ_ON_WORDS": 0, "qa.single_answer:FIGURE_READ_ON": 0,
                "qa.single_answer:READ_ON_ALL": 0},
    "second-year-rows": {"qa.trend_answer:SECOND_ROW_RATIO": 9.0},
    "row-consistency": {"qa.trend_answer:ROW_CONSISTENCY": 0.0, "qa.trend_answer:ROW_SIZE_CONSISTENCY": 0.0},
    "name-rows": {"qa.trend_answer:NAME_ROW_RATIO": 9.0},
    "two-sentences-to-three": {"qa.config:CONFIGS.full.max_sentences": 3},
    "table-cells": {"qa.single_answer:table_answer": "<last>"},
    # Not a rule switched off but the hand weights replaced: the fitted ranker (qa.ranker) in "full".
    "hand-weights": {"qa.config:CONFIGS.full.fitted": True},
    "years-as-evidence": {"qa.engine:period_mentions": "<empty>"},
    "question-normalising": {"qa.engine:correct": "<identity>"},
}
METRICS = ("evidence_recall_400w", "fact_recall", "citation_precision", "correct_abstention", "false_abstention")


def _replacement(value):
    if value == "<noop-none>":
        return lambda *a, **k: None
    if value == "<noop-false>":
        return lambda *a, **k: False
    if value == "<identity>":
        return lambda first, *a, **k: first
    if value == "<empty>":
        return lambda *a, **k: []
    if value == "<last>":
        return lambda *a: a[-1]
    return value


@contextlib.contextmanager
def switched_off(changes: dict[str, object]) -> Iterator[None]:
    """Apply ``changes`` for the block and put everything back after it."""
    undo = []
    try:
        for target, value in changes.items():
            module_name, path = target.split(":")
            obj = importlib.import_module(module_name)
            *parents, last = path.split(".")
            for p in parents:
                obj = obj[p] if isinstance(obj, dict) else getattr(obj, p)
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
                # A frozen config: swap the whole object in its dict.
                holder = importlib.import_module(module_name)
                for p in parents[:-1]:
                    holder = getattr(holder, p)
                key = parents[-1]
                old = holder[key]
                holder[key] = dataclasses.replace(old, **{last: value})
                undo.append(lambda h=holder, k=key, o=old: h.__setitem__(k, o))
                continue
            old = getattr(obj, last)
            setattr(obj, last, _replacement(value))
            undo.append(lambda o=obj, n=last, v=old: setattr(o, n, v))
        yield
    finally:
        for u in reversed(undo):
            u()


def main(argv: list[str] | None = None) -> None:
    from index.dense import Embedder
    from qa.engine import Engine

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=Path("var/index"))
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args(argv)
    embedder = Embedder()
    cols = load_collections()
    bundled, hartwell = cols["bundled"], cols["hartwell"]
    qs = load_questions(bundled.questions)
    split = bundled.splits([q.id for q in qs])
    groups = {
        "train": (index_for(bundled, args.index, embedder, False), [q for q in qs if split[q.id] == "train"]),
        "test": (index_for(bundled, args.index, embedder, False), [q for q in qs if split[q.id] == "test"]),
        "hartwell": (index_for(hartwell, args.index, embedder, False), load_questions(hartwell.questions)),
    }
    engines = {g: Engine(store, embedder) for g, (store, _) in groups.items()}

    def run() -> dict:
        out = {}
        for g, (_, questions) in groups.items():
            system = EngineSystem(engines[g], "full")
            out[g] = summarise(score(system, ask_all(system, questions, progress=False)))
        return out

    base = run()
    names = args.only or list(ABLATIONS)
    header = "| without | " + " | ".join(f"{g} {m.split('_')[0][:8]}" for g in groups for m in METRICS[:3]) + " | hartwell abst c/f |"
    print(header)
    print("|---|" + "---:|" * (3 * len(groups) + 1))

    def row(label: str, res: dict) -> str:
        cells = []
        for g in groups:
            for m in METRICS[:3]:
                v, b = res[g][m] or 0.0, base[g][m] or 0.0
                cells.append(f"{v:.3f}" if label == "(nothing)" else f"{v:.3f} ({v - b:+.3f})")
        h = res["hartwell"]
        return f"| {label} | " + " | ".join(cells) + f" | {h['correct_abstention']:.2f}/{h['false_abstention']:.2f} |"

    print(row("(nothing)", base), flush=True)
    for name in names:
        with switched_off(ABLATIONS[name]):
            for e in engines.values():  # caches keyed on the question may hold the old rules' work
                for attr in ("_cache",):
                    if hasattr(e, attr):
                        delattr(e, attr)
            print(row(name, run()), flush=True)


if __name__ == "__main__":
    main()
