"""``python -m evals.mixed``: the bundled questions asked with another partnership's reports
indexed beside the bundled ones.

A user may hold several partnerships' reports. The bundled questions' evidence is in the bundled
reports, so asked of an index that also holds another collection's reports they measure what a
second partnership costs, on questions whose split is known: rules for several partnerships may
be chosen on train here and checked on test, which the other collections' own questions (test
only) never allow. A question that names its partnership should be answered as when the bundled
reports are alone; an unnamed one should still cite its partnership's evidence (document
recall) and put it first (evidence recall within 400 words). An unnamed change over time is
answered for every partnership in range, each labelled, so citation precision falls by design:
it is shown, not aimed at.

    HF_HUB_OFFLINE=1 python -m evals.mixed --index var/index [--out evals/out/mixed.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from evals.collections import BUNDLED, Collection, load_collections
from evals.questions import Question, load_questions
from evals.runner import EngineSystem, Scored, ask_all, score, summarise
from evals.split import SPLITS

logger = logging.getLogger(__name__)

COLUMNS = ("evidence_recall_400w", "document_recall", "fact_recall", "citation_precision",
           "correct_abstention", "false_abstention")
ALONE = "alone"


def names_partnership(question: str, collection: Collection) -> bool:
    """Whether ``question`` names ``collection``'s partnership by any name ``collection.json``
    gives (whole words, any case)."""
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", question, re.IGNORECASE) for n in collection.names)


def changed(alone: Sequence[Scored], mixed: Sequence[Scored], column: str = "evidence_recall_400w") -> list[dict]:
    """The questions whose ``column`` differs between the two runs (same questions, same order)."""
    out = []
    for a, m in zip(alone, mixed):
        x, y = a.record.get(column), m.record.get(column)
        if x != y:
            out.append({"id": a.question.id, "question": a.question.question, "alone": x, "mixed": y})
    return out


def run(index_dir: Path, embedder, progress: bool = False) -> dict:
    """Summaries of the ``full`` configuration per split and for named and unnamed questions: the
    bundled index alone, and with each other collection's reports beside it (``evals.suite.index_for``)."""
    from evals.suite import index_for
    from qa.engine import Engine

    collections = load_collections()
    bundled = collections[BUNDLED]
    qs = load_questions(bundled.questions)
    split = bundled.splits([q.id for q in qs])

    def groups(scored: Sequence[Scored]) -> dict[str, dict]:
        out = {}
        for g in SPLITS:
            members = [s for s in scored if split[s.question.id] == g]
            out[g] = summarise(members)
            for label, keep in (("named", True), ("unnamed", False)):
                part = [s for s in members if names_partnership(s.question.question, bundled) is keep]
                out[f"{g} {label}"] = {"n": len(part), **summarise(part)} if part else {"n": 0}
        return out

    runs: dict[str, list[Scored]] = {}
    for name, collection in [(ALONE, bundled), *((n, c) for n, c in collections.items() if n != BUNDLED)]:
        store = index_for(collection, Path(index_dir), embedder, progress)
        system = EngineSystem(Engine(store, embedder), "full")
        runs[name] = score(system, ask_all(system, qs, progress))
    return {
        "questions": len(qs),
        "summary": {name: groups(scored) for name, scored in runs.items()},
        "changed": {name: changed(runs[ALONE], scored) for name, scored in runs.items() if name != ALONE},
    }


def table(result: dict) -> str:
    """The summaries as a markdown table: one row per index and group."""
    head = "| index | group | n | " + " | ".join(COLUMNS) + " |"
    lines = [head, "|" + "---|" * (3 + len(COLUMNS))]
    for name, by_group in result["summary"].items():
        for group, s in by_group.items():
            cells = [f"{s[c]:.3f}" if isinstance(s.get(c), float) else "–" for c in COLUMNS]
            n = s.get("n", s.get("questions", ""))
            lines.append(f"| {name} | {group} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from index.dense import Embedder

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=Path("var/index"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    result = run(args.index, Embedder())
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result))
    for name, rows in result["changed"].items():
        print(f"\nR@400w changed with {name}'s reports beside: " + (", ".join(
            f"{r['id']} {r['alone']:.2f}->{r['mixed']:.2f}" for r in rows if r["alone"] is not None and r["mixed"] is not None) or "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
