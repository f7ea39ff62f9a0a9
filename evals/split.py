"""The fixed train/test split of the bundled questions, and leave-one-report-out folds.

Rule (fixed on 2026-12-03, before any tuning against it): a question is in ``test`` when the
first 8 hex digits of ``sha256("reportqa-split-v1:" + id)``, read as an integer, are below
half of 16**8, and in ``train`` otherwise. The assignment of every question that existed
then is frozen in ``evals/split.json``; a test checks that the file and the rule agree, so a
question can never move between splits after its result has been seen. Questions of other
collections (e.g. Hartwell's) are test only: nothing is chosen on them.

Rules, constants and fitted weights are chosen on ``train`` only (docs/evaluation.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

TRAIN = "train"
TEST = "test"
SPLITS = (TRAIN, TEST)
SALT = "reportqa-split-v1:"
FROZEN = Path(__file__).resolve().parent / "split.json"


def split_of(question_id: str) -> str:
    """``test`` or ``train`` for a bundled question id, by the hash rule in the module docstring."""
    if not isinstance(question_id, str) or not question_id.strip():
        raise ValueError("a question id must be a non-empty string")
    digest = hashlib.sha256((SALT + question_id).encode("utf-8")).hexdigest()
    return TEST if int(digest[:8], 16) < 16**8 // 2 else TRAIN


def frozen_split(path: Path = FROZEN) -> dict[str, str]:
    """The committed id -> split map (the ids that existed when the split was fixed)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {qid: name for name in SPLITS for qid in data[name]}


def assign(ids: Iterable[str], frozen: dict[str, str] | None = None) -> dict[str, str]:
    """Split of each id: the frozen assignment where there is one, the hash rule otherwise."""
    frozen = frozen_split() if frozen is None else frozen
    return {qid: frozen.get(qid) or split_of(qid) for qid in ids}


def loro_folds(question_docs: dict[str, Sequence[str]], reports: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Leave-one-report-out folds: for each report, ``(choose_on, score_on)`` question ids.

    ``score_on`` holds the questions whose evidence cites the report; ``choose_on`` holds every
    question whose evidence cites none of it (a question without evidence, an unanswerable one,
    is in every ``choose_on``). So whatever is chosen on ``choose_on`` never saw the report whose
    questions it is scored on.
    """
    folds = {}
    for report in reports:
        score_on = [q for q, docs in question_docs.items() if report in docs]
        choose_on = [q for q, docs in question_docs.items() if report not in docs]
        folds[report] = (choose_on, score_on)
    return folds
