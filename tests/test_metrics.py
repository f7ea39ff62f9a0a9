"""Metric functions checked against hand-computed values on tiny inline inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals import metrics as m
from evals.questions import Evidence

DOC = "a.pdf"
OTHER = "b.pdf"
QUOTE = "the board met four times"  # 5 words -> 3 trigrams


def cit(text: str = "", source: str = DOC, quote: str = "") -> dict:
    return {"n": 1, "source": source, "text": text, "quote": quote}


def ev(quote: str = QUOTE, doc: str = DOC) -> dict:
    return {"doc": doc, "quote": quote}


# ---------------------------------------------------------------- normalise / n-grams


def test_normalise():
    raw = "\u201cMulti-\nagency\u201d  **work** \u2013 \ufb01ne\u2019s\n\tOK"
    assert m.normalise(raw) == '"multi-agency" work - fine\'s ok'


def test_word_ngrams():
    assert m.word_ngrams("The board met four times.") == {
        ("the", "board", "met"),
        ("board", "met", "four"),
        ("met", "four", "times"),
    }
    assert m.word_ngrams("a b", 3) == set()
    assert m.word_ngrams("A b a", 1) == {("a",), ("b",)}
    # line-break hyphenation rejoins into the same tokens as the unbroken text
    assert m.word_ngrams("multi-\nagency work") == m.word_ngrams("multi-agency work")


# ---------------------------------------------------------------- support


def test_support_fraction_two_of_three_trigrams():
    # trigrams: (the board met) (board met four) (met four times); passage has the first two
    passage = "In 2015 the board met four, then twice."
    assert m.support_fraction(passage, QUOTE) == pytest.approx(2 / 3)
    assert m.supports(passage, QUOTE)
    assert not m.supports(passage, QUOTE, threshold=0.7)


def test_support_threshold_boundary_and_none():
    assert m.support_fraction("the board met", QUOTE) == pytest.approx(1 / 3)
    assert not m.supports("the board met", QUOTE)
    assert m.supports("Minutes: THE Board met four times!", QUOTE)
    assert m.support_fraction("nothing relevant here at all", QUOTE) == 0.0


def test_support_short_quote_uses_unigrams():
    assert m.support_fraction("we saw 160 delegates", "160 delegates") == 1.0
    assert m.support_fraction("we saw 160 people", "160 delegates") == pytest.approx(0.5)
    assert m.support_fraction("anything", "") == 0.0


# ---------------------------------------------------------------- evidence recall


def test_evidence_recall_at_k():
    evidence = [ev(), ev("children missing education in rutland")]
    cits = [cit("noise text only"), cit("x the board met four times y")]
    assert m.evidence_recall_at_k(cits, evidence, k=5) == pytest.approx(0.5)
    assert m.evidence_recall_at_k(cits, evidence, k=1) == 0.0
    # same text cited from another document does not count
    assert m.evidence_recall_at_k([cit(QUOTE, source=OTHER)], evidence) == 0.0
    # falls back to the quote when the citation has no text
    assert m.evidence_recall_at_k([cit("", quote=QUOTE)], [ev()]) == 1.0
    assert m.evidence_recall_at_k(cits, []) is None


def test_evidence_recall_accepts_evidence_objects():
    assert m.evidence_recall_at_k([cit(QUOTE)], [Evidence(doc=DOC, quote=QUOTE)]) == 1.0


def test_evidence_recall_within_words_budget_cuts_supporting_passage():
    filler = " ".join(["filler"] * 8)  # 8 words
    cits = [cit(filler), cit("the board met four times")]  # supporting passage comes 2nd
    # 8 + 5 = 13 words fit: supported
    assert m.evidence_recall_within_words(cits, [ev()], budget=13) == 1.0
    # budget 10 keeps "the board" only: 0 of 3 trigrams
    assert m.evidence_recall_within_words(cits, [ev()], budget=10) == 0.0
    # budget 12 keeps "the board met four": 2 of 3 trigrams >= 0.6
    assert m.evidence_recall_within_words(cits, [ev()], budget=12) == 1.0
    # budget 8 is used up by the filler
    assert m.evidence_recall_within_words(cits, [ev()], budget=8) == 0.0
    assert m.evidence_recall_within_words(cits, [], budget=8) is None


def test_evidence_recall_within_words_concatenates_per_doc():
    # the quote is split over two passages of the same doc, with another doc in between
    cits = [cit("the board met"), cit("the board met four times", source=OTHER), cit("four times")]
    assert m.evidence_recall_within_words(cits, [ev()], budget=400) == 1.0
    # the other doc's passage alone would support it, but doc must match
    assert m.evidence_recall_within_words(cits[1:2], [ev()], budget=400) == 0.0
    # a passage cited twice is read (and counted against the budget) once
    dup = [cit("alpha beta"), cit("alpha beta"), cit("the board met four times")]
    assert m.evidence_recall_within_words(dup, [ev()], budget=7) == 1.0


# ---------------------------------------------------------------- ranking metrics

REL = "x the board met four times y"


def test_mrr_and_ndcg_first_relevant_at_rank_2():
    ranked = {"q1": [("p1", DOC, "unrelated words here", 0.9), ("p2", DOC, REL, 0.8)]}
    out = m.ranking_metrics(ranked, {"q1": [ev()]})
    assert out["mrr@10"] == pytest.approx(0.5)
    assert out["ndcg@10"] == pytest.approx(1 / math.log2(3))  # 0.6309


def test_ranking_uses_list_order_not_scores():
    ranked = {"q1": [("p1", DOC, "unrelated", 0.1), ("p2", DOC, REL, 0.9)]}
    assert m.ranking_metrics(ranked, {"q1": [ev()]})["mrr@10"] == pytest.approx(0.5)


def test_ranking_question_without_relevant_counts_zero():
    ranked = {
        "q1": [("p1", DOC, REL, 1.0)],  # relevant at rank 1
        "q2": [("p9", OTHER, REL, 1.0)],  # right text, wrong doc: not relevant
        "q3": [],  # nothing retrieved at all
        "q4": [("p1", DOC, REL, 1.0)],  # no evidence: excluded
    }
    evidence = {"q1": [ev()], "q2": [ev()], "q3": [ev()], "q4": []}
    out = m.ranking_metrics(ranked, evidence)
    assert out["mrr@10"] == pytest.approx(1 / 3)
    assert out["ndcg@10"] == pytest.approx(1 / 3)
    qrels, run = m.qrels_and_run(ranked, evidence)
    assert set(qrels.keys()) == set(run.keys()) == {"q1", "q2", "q3"}


def test_ranking_missed_second_quote_lowers_ndcg_not_mrr():
    ranked = {"q1": [("p1", DOC, REL, 1.0)]}
    out = m.ranking_metrics(ranked, {"q1": [ev(), ev("an entirely different gold quote here")]})
    assert out["mrr@10"] == pytest.approx(1.0)
    assert out["ndcg@10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_ranking_pool_adds_unretrieved_relevant_passages():
    ranked = {"q1": [("p1", DOC, REL, 1.0)]}
    pool = {"q1": [("p1", DOC, REL), ("p7", DOC, "the board met four times again")]}
    out = m.ranking_metrics(ranked, {"q1": [ev()]}, pool=pool)
    assert out["ndcg@10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_ranking_cutoff_and_no_evidence():
    ranked = {"q1": [(f"n{i}", DOC, "noise", 1.0) for i in range(10)] + [("p", DOC, REL, 0.0)]}
    out = m.ranking_metrics(ranked, {"q1": [ev()]})
    assert out == {"mrr@10": 0.0, "ndcg@10": 0.0}
    assert m.ranking_metrics(ranked, {"q1": []}) == {"mrr@10": None, "ndcg@10": None}


# ---------------------------------------------------------------- answers and citations


def test_fact_recall_thousands_separator():
    assert m.fact_recall("There were 1286 referrals.", ["1,286"]) == 1.0
    assert m.fact_recall("There were 1,286 referrals.", ["1286"]) == 1.0
    assert m.fact_recall("The board met 4 times; 75% attended.", ["4 times", "75%", "160"]) == pytest.approx(2 / 3)


def test_fact_recall_normalises_and_respects_number_edges():
    assert m.fact_recall("**Multi\u2013agency** Audits", ["multi-agency audits"]) == 1.0
    assert m.fact_recall("In 2014 there were 14.", ["4"]) == 0.0
    assert m.fact_recall("160 delegates", ["1600"]) == 0.0
    assert m.fact_recall("safeguarding partners agreed", ["safeguarding partner"]) == 1.0
    assert m.fact_recall("anything", []) is None


def test_citation_precision():
    evidence = [ev()]
    cits = [
        cit("x the board met four times y"),  # passage supports gold quote
        cit("unrelated passage", quote="The board met four times."),  # quote supports it
        cit("unrelated passage", quote="Around 1,286 contacts."),  # quote has a key fact
        cit("the board met four times", source=OTHER),  # wrong doc, no key fact
        cit("unrelated passage", quote="nothing useful"),
    ]
    assert m.citation_precision(cits, evidence, ["1286"]) == pytest.approx(3 / 5)
    assert m.citation_precision([], evidence, ["1286"]) is None
    assert m.citation_precision([cit(QUOTE)], [], []) == 0.0  # unanswerable question


# ---------------------------------------------------------------- abstention


def test_abstention_outcomes():
    assert m.abstention(False, False) == "correct_abstention"
    assert m.abstention(False, True) == "false_abstention"
    assert m.abstention(True, False) == "missed_abstention"
    assert m.abstention(True, True) == "answered"


def test_abstention_rates():
    pairs = [(False, False), (True, False), (False, False), (False, True), (True, True), (True, True), (True, True)]
    rates = m.abstention_rates(pairs)
    assert rates["correct_abstention"] == pytest.approx(2 / 3)
    assert rates["false_abstention"] == pytest.approx(1 / 4)
    assert m.abstention_rates([(True, True)]) == {"correct_abstention": None, "false_abstention": 0.0}


# ---------------------------------------------------------------- aggregation


def test_percentile_matches_numpy_linear():
    values = [10.0, 1.0, 4.0, 7.0]
    assert m.percentile(values, 50) == pytest.approx(5.5)
    assert m.percentile(values, 95) == pytest.approx(0.85 * 10 + 0.15 * 7)  # 9.55
    for q in (0, 25, 50, 90, 95, 100):
        assert m.percentile(values, q) == pytest.approx(np.percentile(values, q))
    assert m.percentile([3.0], 95) == 3.0
    assert m.percentile([], 50) is None


def test_mean_ignoring_none():
    assert m.mean_ignoring_none([1.0, None, 0.0, float("nan"), 0.5]) == pytest.approx(0.5)
    assert m.mean_ignoring_none([None, None]) is None
    assert m.mean_ignoring_none([]) is None
