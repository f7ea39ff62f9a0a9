"""BM25 keyword index (bm25s) with an English stemmer and stop words."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.errors import IndexLoadError

# bm25s logs every load and query at DEBUG/INFO; that is noise in a server log.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be been but by did do does for from had has have how i if in into is it its "
    "of on or our so than that the their them then there these they this to was we were what when "
    "which who whom why will with you your about after all any can could also more most other some "
    "such up out over only own same should very just not no nor many much".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, stemmed; "1,949" and "1949" both become "1949"."""
    words = [w.replace(",", "") for w in _TOKEN.findall(text.lower())]
    words = [w for w in words if w not in STOPWORDS]
    return _stemmer().stemWords(words)


class KeywordIndex:
    """BM25 over chunk texts; ``scores`` gives every chunk's score for a query."""

    def __init__(self, texts: list[str] | None = None, retriever=None) -> None:
        import bm25s

        if retriever is None:
            retriever = bm25s.BM25()
            corpus = [tokenize(t) or ["<empty>"] for t in texts or []]
            if corpus:
                retriever.index(corpus, show_progress=False)
        self.retriever = retriever
        self.n = len(texts) if texts is not None else int(getattr(retriever, "scores", {}).get("num_docs", 0))

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.retriever.vocab_dict] if self.n else []
        if not tokens:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        if self.n:
            self.retriever.save(str(folder), show_progress=False)
        else:
            folder.mkdir(parents=True, exist_ok=True)

    @classmethod
    def load(cls, folder: Path, n: int) -> "KeywordIndex":
        import bm25s

        if n == 0:
            return cls([])
        try:
            retriever = bm25s.BM25.load(str(folder), show_progress=False)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexLoadError(f"keyword index in {folder} is damaged ({exc})") from exc
        idx = cls(retriever=retriever)
        idx.n = n
        return idx
