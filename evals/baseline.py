"""The naive baseline: fixed 1024-word-piece windows, dense top-5, as LlamaIndex's defaults would give.

Each document's clean text (``ingest.load.load_document``) is cut into windows of at most
``WINDOW_TOKENS`` word-pieces of the embedder's own tokenizer, with no overlap and no regard for
paragraphs, sentences or headings; a cut only ever falls between two words, so a window never
splits a word. The windows tile the text exactly: the first starts at offset 0, each next one
starts where the previous one ends, the last ends at the end of the text. Each window is embedded
whole by the same Embedder as the real system (which, like any all-MiniLM-L6-v2 pipeline, reads
only its first 256 word-pieces) and a question retrieves the five most similar windows.

LlamaIndex would then synthesise an answer with an LLM; there is none here, so the baseline's
answer is the first two sentences of its best window, its citations are the five windows (each
quote being the window's first 200 characters), and it never abstains.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.load import file_sha256, load_document
from ingest.sentences import sentence_spans
from ingest.tokens import model_path

logger = logging.getLogger(__name__)

WINDOW_TOKENS = 1024
TOP_K = 5
QUOTE_CHARS = 200
ANSWER_SENTENCES = 2
_CACHE_VERSION = 1
_MEMORY: dict[str, "BaselineIndex"] = {}


@dataclass(frozen=True)
class Window:
    """One fixed window of a document's clean text (``text == doc_text[char_start:char_end]``)."""

    doc_id: str
    source: str
    title: str
    period: str
    char_start: int
    char_end: int
    n_tokens: int
    text: str

    @property
    def window_id(self) -> str:
        return f"{self.doc_id}:{self.char_start}-{self.char_end}"


@lru_cache(maxsize=1)
def _tokenizer():
    """The embedder's tokenizer (the files shipped with the bundled model)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_path())


def window_spans(text: str, size: int = WINDOW_TOKENS, tokenizer=None) -> list[tuple[int, int, int]]:
    """``(char_start, char_end, n_tokens)`` of consecutive windows of at most ``size`` word-pieces.

    Windows cover ``text`` with no gap and no overlap. A cut is moved back to the start of the
    word it would split, unless that word alone is longer than ``size`` word-pieces.
    """
    if size < 1:
        raise ValueError("window size must be at least 1 word-piece")
    if not text:
        return []
    tok = tokenizer or _tokenizer()
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets = enc["offset_mapping"]
    words = enc.word_ids()
    n = len(offsets)
    if n == 0:
        return [(0, len(text), 0)]
    spans: list[tuple[int, int, int]] = []
    i = 0
    while i < n:
        cut = min(i + size, n)
        if cut < n:
            back = cut
            while back > i and words[back] is not None and words[back] == words[back - 1]:
                back -= 1
            cut = back if back > i else cut
        start = 0 if i == 0 else offsets[i][0]
        end = len(text) if cut >= n else offsets[cut][0]
        spans.append((start, end, cut - i))
        i = cut
    return spans


def _cache_key(paths: Sequence[Path], model_sha256: str, size: int) -> str:
    facts = {
        "version": _CACHE_VERSION, "model": model_sha256, "size": size,
        "documents": sorted((p.name, file_sha256(p)) for p in paths),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:16]


class BaselineIndex:
    """Windows of every document and their vectors, held in memory."""

    name = "naive"

    def __init__(self, windows: list[Window], vectors: np.ndarray, embedder) -> None:
        if len(windows) != len(vectors):
            raise ValueError(f"{len(windows)} windows but {len(vectors)} vectors")
        self.windows = windows
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.embedder = embedder

    @classmethod
    def build(
        cls, paths: Sequence[Path], embedder, cache_dir: Path | None = None,
        size: int = WINDOW_TOKENS, progress: bool = False,
    ) -> "BaselineIndex":
        """Window and embed ``paths``; reuse vectors cached in memory or under ``cache_dir``."""
        paths = sorted(Path(p) for p in paths)
        key = _cache_key(paths, embedder.sha256, size)
        if key in _MEMORY:
            return cls(_MEMORY[key].windows, _MEMORY[key].vectors, embedder)
        cached = Path(cache_dir) / f"baseline-{key}.npz" if cache_dir else None
        if cached is not None and cached.is_file():
            try:
                with np.load(cached, allow_pickle=False) as data:
                    rows = json.loads(str(data["windows"]))
                    vectors = data["vectors"]
                index = cls([Window(**r) for r in rows], vectors, embedder)
                _MEMORY[key] = index
                logger.info("baseline windows and vectors read from %s", cached)
                return index
            except (OSError, ValueError, KeyError, TypeError) as exc:
                logger.warning("ignored unreadable baseline cache %s (%s)", cached, exc)
        windows: list[Window] = []
        for path in paths:
            loaded = load_document(path)
            doc = loaded.document
            for s, e, n in window_spans(loaded.text, size):
                windows.append(Window(doc.doc_id, doc.source, doc.title, doc.period, s, e, n, loaded.text[s:e]))
        vectors = embedder.encode([w.text for w in windows], progress=progress)
        index = cls(windows, vectors, embedder)
        _MEMORY[key] = index
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(cached.stem + ".part.npz")
            np.savez(tmp, vectors=index.vectors, windows=np.array(json.dumps([asdict(w) for w in windows])))
            tmp.replace(cached)
        return index

    def passage(self, row: int) -> tuple[str, str]:
        """``(source, text)`` of window ``row``."""
        w = self.windows[row]
        return w.source, w.text

    def _citation(self, n: int, row: int, score: float) -> dict:
        w = self.windows[row]
        body = w.text.strip()
        lead = len(w.text) - len(w.text.lstrip())
        quote = body[:QUOTE_CHARS]
        return {
            "n": n, "source": w.source, "doc_id": w.doc_id, "title": w.title, "period": w.period,
            "text": w.text, "quote": quote,
            "quote_start": w.char_start + lead, "quote_end": w.char_start + lead + len(quote),
            "char_start": w.char_start, "char_end": w.char_end,
            "chunk_id": w.window_id, "score": round(float(score), 4),
        }

    def ask(self, question: str, top_k: int = TOP_K) -> dict:
        """Dense top-``top_k`` windows; the answer is the best window's first two sentences."""
        if not self.windows:
            return {"answer": "", "answerable": True, "citations": [], "retrieved": []}
        q = self.embedder.encode([question])[0]
        scores = self.vectors @ q
        k = min(top_k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        best = self.windows[int(top[0])].text
        sentences = [" ".join(best[s:e].split()) for s, e in sentence_spans(best)[:ANSWER_SENTENCES]]
        return {
            "answer": " ".join(sentences) + " [1]",
            "answerable": True,
            "citations": [self._citation(i + 1, int(r), scores[r]) for i, r in enumerate(top)],
            "retrieved": [
                {"chunk_id": self.windows[int(r)].window_id, "row": int(r), "score": round(float(scores[r]), 4)}
                for r in top
            ],
        }
