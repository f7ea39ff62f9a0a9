"""Which rows of the store each filter allows, computed once per chunk list and kept.

A document's chunks are consecutive rows (the store appends and drops whole documents), so a
document is a row range; periods and the learning tag are one array each. A filter is then a few
slices and vector operations, not a walk over every chunk on every question.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.tags import LEARNING


class RowIndex:
    """Row ranges of documents, each row's period and its learning tag, for one chunk list."""

    def __init__(self, chunks: list, documents: dict) -> None:
        self.chunks = chunks  # the list this was built from: the store makes a new one on change
        self.n = len(chunks)
        self.ranges: dict[str, tuple[int, int]] = {}
        start = 0
        for i in range(1, self.n + 1):
            if i == self.n or chunks[i].doc_id != chunks[start].doc_id:
                doc_id = chunks[start].doc_id
                if doc_id in self.ranges:
                    raise ValueError(f"the chunks of document {doc_id} are not consecutive rows")
                self.ranges[doc_id] = (start, i)
                start = i
        self.periods = sorted({d.period for d in documents.values() if d.period})
        self.sources = sorted(d.source for d in documents.values())
        self.by_source = {d.source: d.doc_id for d in documents.values()}
        self._period_code = codes = {p: k for k, p in enumerate(sorted({c.period for c in chunks}))}
        self.period_codes = np.fromiter((codes[c.period] for c in chunks), dtype=np.int32, count=self.n)
        self.learning = np.fromiter((LEARNING in c.tags for c in chunks), dtype=bool, count=self.n)

    def of_documents(self, doc_ids: Sequence[str]) -> np.ndarray:
        """Mask of the rows of these documents (one without chunks adds none)."""
        mask = np.zeros(self.n, dtype=bool)
        for d in doc_ids:
            start, end = self.ranges.get(d, (0, 0))
            mask[start:end] = True
        return mask

    def of_periods(self, periods: Sequence[str]) -> np.ndarray:
        """Mask of the rows whose chunk is of one of ``periods``."""
        codes = [self._period_code[p] for p in periods if p in self._period_code]
        return np.isin(self.period_codes, codes)


def row_index(store) -> RowIndex:
    """The store's RowIndex, rebuilt only when its chunk list has been replaced."""
    cached = getattr(store, "_row_index", None)
    if cached is None or cached.chunks is not store.chunks:
        cached = RowIndex(store.chunks, store.documents)
        store._row_index = cached
    return cached
