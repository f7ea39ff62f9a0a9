"""First stage: BM25, dense or hybrid (RRF) retrieval over the chunks a filter allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.rows import row_index
from index.store import IndexStore
from ingest.errors import QueryError
from qa.fusion import reciprocal_rank_fusion

METHODS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk: its row in the store, fused score and both component scores."""

    row: int
    score: float
    dense: float
    bm25: float


def allowed_rows(
    store: IndexStore,
    periods: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
    learning_only: bool = False,
) -> np.ndarray:
    """Boolean mask of chunks that pass the filters; unknown filter values are a QueryError.

    Built from the store's cached row ranges and arrays (index.rows), so a filter costs a few
    vector operations, not a walk over every chunk.
    """
    rows = row_index(store)
    for p in periods or ():
        if p not in rows.periods:
            raise QueryError(f"unknown period '{p}'; the index has: {', '.join(rows.periods) or 'none'}")
    doc_ids = []
    for s in sources or ():
        if s in rows.by_source:
            doc_ids.append(rows.by_source[s])
        elif s in store.documents:
            doc_ids.append(s)
        else:
            raise QueryError(f"unknown source '{s}'; the index has: {', '.join(rows.sources) or 'none'}")
    mask = rows.of_documents(doc_ids) if doc_ids else np.ones(rows.n, dtype=bool)
    if periods:
        mask &= rows.of_periods(periods)
    if learning_only:
        mask &= rows.learning
    return mask


def top_rows(scores: np.ndarray, k: int, positive: bool = False) -> list[int]:
    """Positions of the ``k`` highest scores (only those above 0 when ``positive``), best first,
    ties in position order: the head of a stable sort of them all, without sorting them all."""
    if k < 1:
        return []
    idx = np.flatnonzero(scores > 0) if positive else np.arange(len(scores))
    vals = scores[idx]
    if k < len(idx):
        kth = np.partition(vals, len(vals) - k)[len(vals) - k]  # the k-th highest
        above = np.flatnonzero(vals > kth)
        ties = np.flatnonzero(vals == kth)[: k - len(above)]
        pick = np.sort(np.concatenate([above, ties]))
        idx, vals = idx[pick], vals[pick]
    return idx[np.argsort(-vals, kind="stable")].tolist()


def retrieve(
    store: IndexStore,
    question: str,
    qvec: np.ndarray | None,
    mask: np.ndarray,
    method: str = "hybrid",
    k: int = 20,
    rrf_k: int = 60,
) -> list[Hit]:
    """The top ``k`` allowed chunks by ``method``."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    bm25 = store.keyword.scores(question)[rows] if method != "dense" else np.zeros(len(rows))
    dense = store.dense.scores(qvec, mask)[rows] if method != "bm25" and qvec is not None else np.zeros(len(rows))
    if method == "bm25":
        fused = [(i, float(bm25[i])) for i in top_rows(bm25, k, positive=True)]
    elif method == "dense":
        fused = [(i, float(dense[i])) for i in top_rows(dense, k)]
    else:
        lex, sem = top_rows(bm25, 4 * k, positive=True), top_rows(dense, 4 * k)
        fused = reciprocal_rank_fusion([lex, sem], k=rrf_k)[:k]
    return [Hit(int(rows[i]), s, float(dense[i]), float(bm25[i])) for i, s in fused]


# An unnamed question about change, over many partnerships, is answered for this many: those
# whose reports hold its best passages. Each kept one costs a retrieval and a second stage per
# report year, so answering for every partnership grew with the collection (4 such questions
# took 6-38 s each with 140 reports indexed); one or two partnerships are answered as before.
SERIES_KEPT = 3


def best_scopes(store: IndexStore, query: str, qvec: np.ndarray | None, scopes: Sequence, keep: int = SERIES_KEPT,
                method: str = "hybrid", k: int = 20) -> list:
    """The ``keep`` scopes (anything with ``doc_ids``) whose documents hold the best of one
    retrieval over them all, the one holding the best passage first; a scope with none of the
    passages follows in its given order, when fewer than ``keep`` hold one."""
    if keep < 1:
        raise ValueError(f"keep must be at least 1, not {keep}")
    if len(scopes) < 2:
        return list(scopes)
    owner: dict[str, int] = {}
    for i, sc in enumerate(scopes):
        for d in sc.doc_ids:
            owner.setdefault(d, i)
    hits = retrieve(store, query, qvec, row_index(store).of_documents(list(owner)), method, k)
    chosen: list[int] = []
    for h in hits:
        i = owner[store.chunks[h.row].doc_id]
        if i not in chosen:
            chosen.append(i)
        if len(chosen) == keep:
            break
    chosen += [i for i in range(len(scopes)) if i not in chosen][:max(0, min(keep, len(scopes)) - len(chosen))]
    return [scopes[i] for i in chosen]
