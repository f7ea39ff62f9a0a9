"""Compose a short answer from the reports' own sentences, each claim cited [n]."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from index.store import IndexStore
from qa.rank import Ranked, ScoredSentence


@dataclass
class Citation:
    """One numbered citation: a passage and the exact quote (document offsets) it supports."""

    n: int
    row: int
    quote_start: int
    quote_end: int
    score: float


def page_of(store: IndexStore, doc_id: str, offset: int) -> int:
    """The page holding a document offset."""
    pages = store.pages.get(doc_id, [])
    starts = [p.char_start for p in pages]
    i = max(0, bisect.bisect_right(starts, offset) - 1)
    return pages[i].number if pages else 1


def citation_dict(store: IndexStore, c: Citation) -> dict:
    """The JSON form of a citation (the /api/ask contract plus offsets for highlighting)."""
    chunk = store.chunks[c.row]
    doc = store.documents[chunk.doc_id]
    rel_s, rel_e = c.quote_start - chunk.char_start, c.quote_end - chunk.char_start
    return {
        "n": c.n,
        "source": doc.source,
        "doc_id": doc.doc_id,
        "title": doc.title,
        "period": chunk.period,
        "page": page_of(store, doc.doc_id, c.quote_start),
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "section": chunk.section,
        "text": chunk.text,
        "quote": chunk.text[rel_s:rel_e],
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "char_start": chunk.char_start,
        "char_end": chunk.char_end,
        "chunk_id": chunk.chunk_id,
        "label": chunk.label,
        "tags": list(chunk.tags),
        "score": round(float(c.score), 4),
    }


def _extend_list(store: IndexStore, ranked: Ranked, s: ScoredSentence, max_extra: int = 4) -> tuple[int, int]:
    """A sentence introducing a list (ending ':') takes the following items of its chunk along."""
    start, end = s.sentence.start, s.sentence.end
    if not s.sentence.text.rstrip().endswith(":"):
        return start, end
    later = sorted((x.sentence for x in ranked.sentences if x.sentence.start >= end), key=lambda x: x.start)
    for nxt in later[:max_extra]:
        end = nxt.end
    return start, end


def _overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def select_sentences(
    store: IndexStore, ranked: Sequence[Ranked], max_sentences: int = 3, min_ratio: float = 0.8,
    pool: int = 6,
) -> list[tuple[Ranked, int, int, float]]:
    """The best sentences among the first ``pool`` chunks, at most one per chunk.

    A sentence's worth is its own score plus a share of its chunk's; sentences after the first
    must reach ``min_ratio`` of the best one, so weak filler is not cited.
    """
    cands = []
    for r in ranked[:pool]:
        for s in r.sentences[:3]:
            cands.append((s.score + 0.5 * r.score, r, s))
    cands.sort(key=lambda x: -x[0])
    picks: list[tuple[Ranked, int, int, float]] = []
    spans: list[tuple[int, int, int]] = []
    used_rows: set[int] = set()
    best = cands[0][0] if cands else 0.0
    for worth, r, s in cands:
        if worth < min_ratio * best or r.row in used_rows:
            continue
        start, end = _extend_list(store, r, s)
        span = (r.row, start, end)
        if any(_overlaps(span, o) for o in spans):
            continue
        picks.append((r, start, end, worth))
        spans.append(span)
        used_rows.add(r.row)
        if len(picks) >= max_sentences:
            break
    return picks


def render(store: IndexStore, picks: Sequence[tuple[Ranked, int, int, float]], prefixes: Sequence[str] | None = None,
           ) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each quoted claim, and its citations in order."""
    parts: list[str] = []
    cites: list[Citation] = []
    for i, (r, start, end, score) in enumerate(picks):
        chunk = store.chunks[r.row]
        quote = chunk.text[start - chunk.char_start:end - chunk.char_start]
        quote = " ".join(quote.split())
        n = len(cites) + 1
        cites.append(Citation(n, r.row, start, end, score))
        prefix = prefixes[i] if prefixes else ""
        parts.append(f"{prefix}{quote} [{n}]")
    sep = "\n" if prefixes else " "
    return sep.join(parts), cites
