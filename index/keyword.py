"""BM25 keyword index with an English stemmer and stop words, that grows and shrinks in place.

The scores are those of bm25s's default (Lucene BM25, k1 1.5, b 0.75), but the index keeps raw
term counts per chunk rather than precomputed scores, so that adding a document costs only its
own tokens: document frequencies and the average length are read at query time, which is cheap.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.errors import IndexLoadError

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be been but by did do does for from had has have how i if in into is it its "
    "of on or our so than that the their them then there these they this to was we were what when "
    "which who whom why will with you your about after all any can could also more most other some "
    "such up out over only own same should very just not no nor many much".split()
)
K1, B = 1.5, 0.75
EMPTY = "<empty>"  # the token of a chunk with no words, so every chunk has a length


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, stemmed; "1,949" and "1949" both become "1949"."""
    words = [w.replace(",", "") for w in _TOKEN.findall(text.lower())]
    words = [w for w in words if w not in STOPWORDS]
    return _stemmer().stemWords(words)


class TermCounts:
    """The tokens of some chunks as (term, count) rows; what a segment stores on disk."""

    def __init__(self, rows: list[dict[str, int]]) -> None:
        self.rows = rows

    @classmethod
    def of_texts(cls, texts: list[str]) -> "TermCounts":
        return cls([dict(Counter(tokenize(t) or [EMPTY])) for t in texts])

    def save(self, path: Path) -> None:
        terms = sorted({t for row in self.rows for t in row})
        ids = {t: i for i, t in enumerate(terms)}
        indptr = np.cumsum([0] + [len(r) for r in self.rows]).astype(np.int64)
        indices = np.fromiter((ids[t] for r in self.rows for t in r), dtype=np.int32, count=int(indptr[-1]))
        counts = np.fromiter((c for r in self.rows for c in r.values()), dtype=np.int32, count=int(indptr[-1]))
        with open(path, "wb") as f:
            np.savez(f, terms=np.asarray(terms, dtype=str), indptr=indptr, indices=indices, counts=counts)

    @classmethod
    def load(cls, path: Path) -> "TermCounts":
        try:
            with np.load(path) as z:
                terms, indptr, indices, counts = z["terms"].tolist(), z["indptr"], z["indices"], z["counts"]
        except (OSError, ValueError, KeyError) as exc:
            raise IndexLoadError(f"keyword counts in {path} are damaged ({exc})") from exc
        idx, cnt = indices.tolist(), counts.tolist()
        rows = [
            {terms[idx[j]]: cnt[j] for j in range(int(indptr[i]), int(indptr[i + 1]))}
            for i in range(len(indptr) - 1)
        ]
        return cls(rows)


class KeywordIndex:
    """BM25 over chunk texts; ``scores`` gives every chunk's score for a query.

    Postings are kept per term (row ids and counts, appended to), so ``add`` is linear in the
    new chunks only; ``keep`` drops rows and renumbers the rest.
    """

    def __init__(self, texts: list[str] | None = None) -> None:
        self.lengths: list[int] = []
        self._postings: dict[str, tuple[list[int], list[int]]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._total = 0
        self._norm: np.ndarray | None = None
        if texts:
            self.add(TermCounts.of_texts(texts))

    @property
    def n(self) -> int:
        return len(self.lengths)

    def add(self, counts: TermCounts) -> None:
        """Append chunks (as their term counts) after the existing rows."""
        base = len(self.lengths)
        for k, row in enumerate(counts.rows):
            for term, c in row.items():
                post = self._postings.get(term)
                if post is None:
                    post = self._postings[term] = ([], [])
                post[0].append(base + k)
                post[1].append(c)
                self._arrays.pop(term, None)
            length = sum(row.values())
            self.lengths.append(length)
            self._total += length
        self._norm = None

    def keep(self, rows: list[int]) -> None:
        """Keep only these rows (in this order, ascending), renumbered from 0."""
        new_id = np.full(len(self.lengths), -1, dtype=np.int64)
        new_id[np.asarray(rows, dtype=np.int64)] = np.arange(len(rows))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for term, (ids, cs) in self._postings.items():
            mapped = new_id[np.asarray(ids, dtype=np.int64)]
            live = mapped >= 0
            if live.any():
                postings[term] = (mapped[live].tolist(), np.asarray(cs)[live].tolist())
        self._postings = postings
        self._arrays = {}
        self._norm = None
        self.lengths = [self.lengths[i] for i in rows]
        self._total = sum(self.lengths)

    def _posting(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        arr = self._arrays.get(term)
        if arr is None:
            ids, cs = self._postings[term]
            arr = self._arrays[term] = (np.asarray(ids, dtype=np.int64), np.asarray(cs, dtype=np.float32))
        return arr

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        tokens = [t for t in tokenize(query) if t in self._postings] if self.n else []
        if not tokens:
            return out
        if self._norm is None:
            lengths = np.asarray(self.lengths, dtype=np.float32)
            self._norm = K1 * ((1 - B) + B * lengths / (self._total / self.n))
        norm = self._norm
        for term in tokens:
            ids, tf = self._posting(term)
            idf = np.log(1 + (self.n - len(ids) + 0.5) / (len(ids) + 0.5))
            out[ids] += (idf * tf / (norm[ids] + tf)).astype(np.float32)
        return out
