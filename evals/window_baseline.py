"""The ``bm25-window`` baseline: plain BM25 over fixed 160-word windows with 40 words of overlap.

This is what a user would build first with any BM25 library. Each document's clean text
(``ingest.load.load_document``, the same text the real system reads) is cut into windows of
``WINDOW_WORDS`` whitespace-separated words, each next window starting ``WINDOW_WORDS -
OVERLAP_WORDS`` words after the previous one (the last window ends at the text's end). Windows
are scored with BM25 (bm25s, the same stemmer and stop words as ``index.keyword``) and the top
five are cited. There is no reranking, no time or organisation handling, and it never abstains.
Its answer is the two sentences of the best window that share the most stemmed terms with the
question, in text order; each citation's quote is that window's best such sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evals.baseline import Window
from index.keyword import KeywordIndex, tokenize
from ingest.load import load_document
from ingest.sentences import sentence_spans

WINDOW_WORDS = 160
OVERLAP_WORDS = 40
TOP_K = 5
ANSWER_SENTENCES = 2
_WORD = re.compile(r"\S+")


def word_windows(text: str, size: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> list[tuple[int, int]]:
    """``(char_start, char_end)`` of windows of ``size`` words, consecutive windows sharing
    ``overlap`` words. Every word lies in some window; a text of at most ``size`` words is one
    window; no window is a suffix of the one before it."""
    if size < 1:
        raise ValueError("window size must be at least 1 word")
    if not 0 <= overlap < size:
        raise ValueError("overlap must be at least 0 and smaller than the window size")
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    spans = []
    step = size - overlap
    for first in range(0, len(words), step):
        last = min(first + size, len(words)) - 1
        spans.append((words[first][0], words[last][1]))
        if last == len(words) - 1:
            break
    return spans


def best_sentences(text: str, terms: set[str], n: int) -> list[tuple[int, int]]:
    """The ``n`` sentence spans of ``text`` sharing the most distinct stemmed terms with
    ``terms`` (ties: earlier first), returned in text order."""
    spans = sentence_spans(text) or [(0, len(text))]
    ranked = sorted(range(len(spans)), key=lambda i: (-len(terms & set(tokenize(text[spans[i][0]:spans[i][1]]))), i))
    return sorted(spans[i] for i in ranked[:n])


class WindowBM25:
    """The windows of a set of files and their BM25 index, in memory."""

    name = "bm25-window"

    def __init__(self, windows: list[Window]) -> None:
        self.windows = windows
        self.keyword = KeywordIndex([w.text for w in windows])

    @classmethod
    def build(cls, paths: Sequence[Path], size: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> "WindowBM25":
        windows = []
        for path in sorted(Path(p) for p in paths):
            loaded = load_document(path)
            doc = loaded.document
            for s, e in word_windows(loaded.text, size, overlap):
                # The naive baseline's Window; its n_tokens holds this window's word count.
                text = loaded.text[s:e]
                windows.append(Window(doc.doc_id, doc.source, doc.title, doc.period, s, e, len(text.split()), text))
        return cls(windows)

    def passage(self, row: int) -> tuple[str, str]:
        w = self.windows[row]
        return w.source, w.text

    def ask(self, question: str, top_k: int = TOP_K) -> dict:
        """Top ``top_k`` windows by BM25; never abstains."""
        if not self.windows:
            return {"answer": "", "answerable": True, "citations": [], "retrieved": []}
        scores = self.keyword.scores(question)
        k = min(top_k, len(scores))
        top = np.argsort(-scores, kind="stable")[:k]
        terms = set(tokenize(question))
        citations = []
        for n, row in enumerate(top, start=1):
            w = self.windows[int(row)]
            (s, e), = best_sentences(w.text, terms, 1)
            citations.append({
                "n": n, "source": w.source, "doc_id": w.doc_id, "title": w.title, "period": w.period,
                "text": w.text, "quote": w.text[s:e], "quote_start": w.char_start + s, "quote_end": w.char_start + e,
                "char_start": w.char_start, "char_end": w.char_end, "score": round(float(scores[row]), 4),
            })
        best = self.windows[int(top[0])].text
        answer = " ".join(" ".join(best[s:e].split()) for s, e in best_sentences(best, terms, ANSWER_SENTENCES))
        return {
            "answer": f"{answer} [1]",
            "answerable": True,
            "citations": citations,
            "retrieved": [{"row": int(r), "score": round(float(scores[r]), 4)} for r in top],
        }
