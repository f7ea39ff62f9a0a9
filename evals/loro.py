"""Leave-one-report-out figures for the parameters the system chooses.

Today's one chosen parameter is the abstention bar (``Settings.abstain_threshold``): the
system says "the reports do not say" (or drops a year's row of a trend) when its best
candidate's strength is below it. Each question is asked of an engine at every bar of
``GRID``, since the bar acts inside trends as well as at the end.

A bar is chosen by ``choose``: the grid value with the highest mean ``utility`` over the
questions given (ties: nearest the bar in use, then the lower). For each bundled report R,
a bar is chosen on the train questions whose evidence does not cite R and scored on every
answerable question that cites R (``evals.split.loro_folds``); a question citing several
reports is scored once in each of their folds. Unanswerable test questions, and every
question of another partnership, are scored with the bar chosen on all the bundled train
questions. So no figure here was chosen on the report whose questions it scores.
"""

from __future__ import annotations

from collections.abc import Sequence

from tqdm import tqdm

from evals import metrics
from evals.questions import Question
from evals.split import TEST, TRAIN, loro_folds

GRID: tuple[float, ...] = (0.1, 0.15, 0.2, 0.25, 0.3)
IN_USE = 0.2  # Settings.abstain_threshold's default; the figures "in use" are at it


def utility(question: Question, response: dict) -> float:
    """Answerable: evidence recall within 400 words if answered, 0 if not. Unanswerable: 1 if
    the system abstained, 0 if it answered."""
    answered = bool(response.get("answerable"))
    if not question.answerable:
        return 0.0 if answered else 1.0
    if not answered:
        return 0.0
    return metrics.evidence_recall_within_words(response.get("citations", []), question.evidence, 400) or 0.0


def choose(questions: Sequence[Question], responses: dict[float, dict[str, dict]]) -> dict:
    """The grid bar with the best mean utility over ``questions`` (ties: nearest the bar in
    use, then the lower); ``responses[bar][question id]``."""
    if not questions:
        return {"threshold": IN_USE, "utility": None, "n": 0}
    best = max(GRID, key=lambda t: (sum(utility(q, responses[t][q.id]) for q in questions), -abs(t - IN_USE), -t))
    mean = sum(utility(q, responses[best][q.id]) for q in questions) / len(questions)
    return {"threshold": best, "utility": round(mean, 4), "n": len(questions)}


def figures(items: Sequence[tuple[Question, dict]]) -> dict:
    """R@400w, fact recall and abstention rates of ``(question, response)`` items."""
    r400, facts, pairs = [], [], []
    for q, resp in items:
        answered = bool(resp.get("answerable"))
        pairs.append((answered, q.answerable))
        if q.answerable:
            r400.append(metrics.evidence_recall_within_words(resp.get("citations", []), q.evidence, 400))
            facts.append(metrics.fact_recall(resp.get("answer", ""), q.key_facts))
    rates = metrics.abstention_rates(pairs)
    return {"n": len(items), "evidence_recall_400w": metrics.mean_ignoring_none(r400),
            "fact_recall": metrics.mean_ignoring_none(facts), **rates}


def loro_report(engine_at, questions: Sequence[Question], split: dict[str, str], train_choice: dict | None,
                progress: bool = False) -> dict:
    """Leave-one-report-out and train-chosen figures of the abstention bar; ``engine_at(bar)``
    gives an engine answering at that bar. ``train_choice`` (chosen on the bundled train
    questions) is computed here when the questions have a train split, and must be given
    otherwise."""
    responses = {}
    for t in GRID:
        engine = engine_at(t)
        responses[t] = {q.id: engine.ask(q.question)
                        for q in tqdm(questions, desc=f"Abstention bar {t}", disable=not progress)}
    train = [q for q in questions if split[q.id] == TRAIN]
    if train:
        train_choice = choose(train, responses)
    if train_choice is None:
        raise ValueError("questions without a train split need a bar chosen on the bundled train questions")
    bar = train_choice["threshold"]
    folds_out, loro_items, fixed_items = {}, [], []
    if train:
        reports = sorted({d for q in questions for d in q.docs})
        by_id = {q.id: q for q in questions}
        for report, (choose_ids, score_ids) in loro_folds({q.id: q.docs for q in questions}, reports).items():
            chosen = choose([q for q in train if q.id in set(choose_ids)], responses)
            folds_out[report] = {**chosen, "scored": len(score_ids)}
            loro_items += [(by_id[qid], responses[chosen["threshold"]][qid]) for qid in score_ids]
            fixed_items += [(by_id[qid], responses[IN_USE][qid]) for qid in score_ids]
    else:
        loro_items = [(q, responses[bar][q.id]) for q in questions if q.answerable]
        fixed_items = [(q, responses[IN_USE][q.id]) for q in questions if q.answerable]
    unans = [q for q in questions if not q.answerable and split[q.id] == TEST]
    loro_items += [(q, responses[bar][q.id]) for q in unans]
    fixed_items += [(q, responses[IN_USE][q.id]) for q in unans]
    return {"in_use": IN_USE, "grid": list(GRID), "train_choice": train_choice, "folds": folds_out,
            "chosen_out_of_report": figures(loro_items), "in_use_figures": figures(fixed_items)}
