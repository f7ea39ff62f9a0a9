"""The train/test split is fixed, balanced enough, and leave-one-report-out never peeks."""

from __future__ import annotations

import pytest

from evals.collections import BUNDLED, load_collections, pick
from evals.questions import QUESTION_TYPES, load_questions
from evals.runner import DEFAULT_QUESTIONS
from evals.split import TEST, TRAIN, assign, frozen_split, loro_folds, split_of


def test_the_frozen_split_is_the_hash_rule_and_covers_every_bundled_question():
    frozen = frozen_split()
    ids = [q.id for q in load_questions(DEFAULT_QUESTIONS)]
    assert set(frozen) == set(ids), "a question was added or removed without updating evals/split.json"
    assert all(split_of(qid) == name for qid, name in frozen.items())


def test_both_splits_hold_every_question_type():
    qs = load_questions(DEFAULT_QUESTIONS)
    split = assign([q.id for q in qs])
    for name in (TRAIN, TEST):
        assert {q.type for q in qs if split[q.id] == name} == set(QUESTION_TYPES)
        assert sum(1 for v in split.values() if v == name) >= 40


def test_a_frozen_assignment_wins_over_the_rule():
    qid = "q001"
    other = TRAIN if split_of(qid) == TEST else TEST
    assert assign([qid, "new"], {qid: other}) == {qid: other, "new": split_of("new")}


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_split_of_refuses_an_empty_id(bad):
    with pytest.raises(ValueError, match="non-empty string"):
        split_of(bad)


def test_leave_one_report_out_never_chooses_on_the_report_it_scores():
    docs = {"a": ("r1",), "b": ("r2",), "c": ("r1", "r2"), "u": ()}
    folds = loro_folds(docs, ["r1", "r2"])
    assert folds["r1"] == (["b", "u"], ["a", "c"])
    assert folds["r2"] == (["a", "u"], ["b", "c"])
    for report, (choose_on, score_on) in folds.items():
        assert not any(report in docs[q] for q in choose_on)
        assert all(report in docs[q] for q in score_on)


def test_collections_bundled_first_other_partnerships_test_only():
    known = load_collections()
    assert list(known)[0] == BUNDLED and "hartwell" in known
    hartwell = known["hartwell"]
    assert len(hartwell.report_files()) == 3
    qs = load_questions(hartwell.questions)
    assert len(qs) == 60 and set(hartwell.splits([q.id for q in qs]).values()) == {TEST}
    assert {d for q in qs for d in q.docs} <= {p.name for p in hartwell.report_files()}
    assert [c.name for c in pick("all")] == list(known)
    with pytest.raises(ValueError, match="unknown collection 'nowhere'; use one of: bundled, "):
        pick("nowhere")
