"""The growing BM25 index scores as bm25s does, and growing or shrinking it equals building anew."""

from __future__ import annotations

import numpy as np
import pytest

from index.keyword import EMPTY, KeywordIndex, TermCounts, tokenize

TEXTS = [
    "The partnership trained 1,949 people over 98 training events.",
    "Rapid reviews and child safeguarding practice reviews shared learning.",
    "",
    "Training attendance rose; training events moved online.",
    "The Independent Chair chaired the executive board.",
]
QUERIES = ["training events", "How many people attended training training?", "reviews learning", "the of", "zzz"]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s(query):
    import bm25s

    ref = bm25s.BM25()
    ref.index([tokenize(t) or [EMPTY] for t in TEXTS], show_progress=False)
    tokens = [t for t in tokenize(query) if t in ref.vocab_dict]
    expected = np.asarray(ref.get_scores(tokens)) if tokens else np.zeros(len(TEXTS))
    assert np.allclose(KeywordIndex(TEXTS).scores(query), expected, atol=1e-5)


def test_adding_and_keeping_rows_equals_building_from_scratch():
    grown = KeywordIndex(TEXTS[:2])
    grown.add(TermCounts.of_texts(TEXTS[2:]))
    for q in QUERIES:
        assert np.allclose(grown.scores(q), KeywordIndex(TEXTS).scores(q))
    grown.keep([0, 3, 4])
    for q in QUERIES:
        assert np.allclose(grown.scores(q), KeywordIndex([TEXTS[i] for i in (0, 3, 4)]).scores(q))


def test_term_counts_survive_a_round_trip(tmp_path):
    counts = TermCounts.of_texts(TEXTS)
    counts.save(tmp_path / "terms.npz")
    assert TermCounts.load(tmp_path / "terms.npz").rows == counts.rows
