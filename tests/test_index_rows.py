"""Filters as cached row ranges (index.rows): the same mask as asking every chunk, rebuilt on change."""

from __future__ import annotations

import numpy as np
import pytest

from index.rows import row_index
from index.store import IndexStore
from ingest.errors import QueryError
from ingest.tags import LEARNING
from qa.retrieve import allowed_rows


def by_chunk(store, periods=(), doc_ids=(), learning=False) -> np.ndarray:
    return np.array([(not periods or c.period in periods) and (not doc_ids or c.doc_id in doc_ids)
                     and (not learning or LEARNING in c.tags) for c in store.chunks], dtype=bool)


def test_each_filter_allows_exactly_the_chunks_that_pass_it(store):
    docs = sorted(store.documents.values(), key=lambda d: d.source)
    periods = sorted({d.period for d in docs})
    cases = [((), (), False), ((), (), True), (periods[:1], (), False), (periods[-2:], (), True),
             ((), (docs[0].source,), False), (periods[:1], (docs[0].source, docs[-1].source), False),
             ((), (docs[1].doc_id,), True)]
    for ps, sources, learning in cases:
        ids = {store.documents[s].doc_id if s in store.documents else store.document_by_source(s).doc_id for s in sources}
        assert np.array_equal(allowed_rows(store, list(ps), list(sources), learning), by_chunk(store, ps, ids, learning))
    assert allowed_rows(store).all() and len(allowed_rows(store)) == len(store.chunks)


def test_unknown_filter_values_are_refused(store):
    with pytest.raises(QueryError, match="unknown period '1999-00'; the index has: "):
        allowed_rows(store, ["1999-00"])
    with pytest.raises(QueryError, match="unknown source 'nope.pdf'; the index has: "):
        allowed_rows(store, None, ["nope.pdf"])


def test_the_row_ranges_follow_a_removal(index_copy):
    store = IndexStore.load(index_copy)
    first = row_index(store)
    assert row_index(store) is first  # kept while the chunks are the same list
    gone = sorted(store.documents.values(), key=lambda d: d.source)[0]
    kept = sorted(store.documents.values(), key=lambda d: d.source)[1]
    store.remove(gone.source)
    rows = row_index(store)
    assert rows is not first and gone.doc_id not in rows.ranges
    start, end = rows.ranges[kept.doc_id]
    assert {c.doc_id for c in store.chunks[start:end]} == {kept.doc_id}
    assert np.array_equal(allowed_rows(store, None, [kept.source]), by_chunk(store, (), {kept.doc_id}))
    assert gone.source not in rows.sources and gone.period not in rows.periods or any(
        d.period == gone.period for d in store.documents.values())


def test_best_scopes_keeps_those_holding_the_best_passages_best_first(store, embedder):
    from types import SimpleNamespace

    from qa.retrieve import best_scopes, retrieve

    docs = sorted(store.documents.values(), key=lambda d: d.source)
    scopes = [SimpleNamespace(doc_ids=(d.doc_id,)) for d in docs]
    query = "How many children were on child protection plans?"
    qvec = embedder.encode([query])[0]
    kept = best_scopes(store, query, qvec, scopes, keep=2)
    hits = retrieve(store, query, qvec, allowed_rows(store))
    owners = list(dict.fromkeys(store.chunks[h.row].doc_id for h in hits))[:2]
    assert [sc.doc_ids[0] for sc in kept] == owners  # the one holding the best passage first
    two = scopes[:2]
    assert sorted(map(id, best_scopes(store, query, qvec, two, keep=2))) == sorted(map(id, two))  # none left out
    assert best_scopes(store, query, qvec, two, keep=1) in ([two[0]], [two[1]])
    assert best_scopes(store, query, qvec, scopes[:1], keep=2) == scopes[:1]
    with pytest.raises(ValueError, match="keep must be at least 1, not 0"):
        best_scopes(store, query, qvec, scopes, keep=0)


def test_top_rows_is_the_head_of_a_stable_sort():
    from qa.retrieve import top_rows

    scores = np.array([0.5, 2.0, 0.0, 2.0, -np.inf, 1.0, 2.0, 0.5], dtype=np.float32)
    assert top_rows(scores, 2) == [1, 3]  # ties in position order
    assert top_rows(scores, 5) == [1, 3, 6, 5, 0]
    assert top_rows(scores, 20) == [1, 3, 6, 5, 0, 7, 2, 4]
    assert top_rows(scores, 20, positive=True) == [1, 3, 6, 5, 0, 7]
    assert top_rows(scores, 0) == [] and top_rows(np.zeros(0), 3) == []
    rng = np.random.default_rng(1)
    for _ in range(200):
        v = rng.integers(-2, 3, int(rng.integers(1, 60))).astype(np.float32)
        k = int(rng.integers(1, 70))
        assert top_rows(v, k) == np.argsort(-v, kind="stable")[:k].tolist()
        assert top_rows(v, k, positive=True) == [i for i in np.argsort(-v, kind="stable").tolist() if v[i] > 0][:k]
