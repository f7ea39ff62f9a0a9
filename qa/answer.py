"""Compose a short answer from the reports' own sentences, each claim cited [n]."""

from __future__ import annotations

import bisect

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.keyword import tokenize
from index.store import IndexStore
from ingest.model import pages_label
from qa.acronyms import AliasGroup, with_aliases
from qa.quantity import about_the_counted, places_of
from qa.rank import Ranked, idf_table, question_terms
from qa.spans import TABLE_UNIT_WORDS, continue_list, cover_gain, extend_unit, overlaps, passage_window

# A sentence's worth adds this share of its chunk's second-stage score (tuned on the benchmark).
W_CHUNK_IN_WORTH = 0.5
# A later quote must be worth this share of the first.
MIN_RATIO = 0.95
# ... or this share, when it holds at least COVER_GAIN of the question's weight the quotes before
# it lack ("how many in Northfield and in Southmoor"); measured: recall up, precision down a little.
COVER_RATIO, COVER_GAIN = 0.7, 0.15
# Share of a people count's qualifying words its passage must hold (qa.quantity.about_the_counted).
QUALIFY_SHARE = 0.3


@dataclass
class Citation:
    """One numbered citation: a passage and the exact quote (document offsets) it supports."""

    n: int
    row: int
    quote_start: int
    quote_end: int
    score: float
    # The passage shown around the quote; the whole chunk unless narrowed (``passage_window``).
    passage: tuple[int, int] | None = None
    # The last chunk of a quote that runs on into the chunks after ``row`` (``qa.spans.read_on``).
    row_end: int | None = None
    # A table cell the quote answers with: label, column, value and its offsets (``qa.cells``).
    cell: dict | None = None


def page_of(store: IndexStore, doc_id: str, offset: int) -> int:
    """The page holding a document offset."""
    pages = store.pages.get(doc_id, [])
    starts = [p.char_start for p in pages]
    i = max(0, bisect.bisect_right(starts, offset) - 1)
    return pages[i].number if pages else 1


def citation_dict(store: IndexStore, c: Citation) -> dict:
    """The JSON form of a citation (the /api/ask contract plus offsets for highlighting). The
    passage and quote are document text, so they may run on past the chunk they were found in."""
    chunk = store.chunks[c.row]
    last = store.chunks[c.row if c.row_end is None else c.row_end]
    doc = store.documents[chunk.doc_id]
    p_start, p_end = c.passage or (chunk.char_start, last.char_end)
    text = store.document_text(doc.doc_id, p_start, p_end)
    first_page, last_page = page_of(store, doc.doc_id, p_start), page_of(store, doc.doc_id, max(p_start, p_end - 1))
    return {
        "n": c.n,
        "source": doc.source,
        "doc_id": doc.doc_id,
        "title": doc.title,
        "period": chunk.period,
        "page": page_of(store, doc.doc_id, c.quote_start),
        "page_start": first_page,
        "page_end": last_page,
        "section": chunk.section,
        "text": text,
        "quote": text[c.quote_start - p_start:c.quote_end - p_start],
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "char_start": p_start,
        "char_end": p_end,
        "chunk_id": chunk.chunk_id,
        "label": pages_label(chunk.title, first_page, last_page),
        "tags": list(chunk.tags),
        "score": round(float(c.score), 4),
        **({"cell": c.cell} if c.cell else {}),
    }


def select_sentences(
    store: IndexStore, ranked: Sequence[Ranked], max_sentences: int = 3, min_ratio: float | None = None,
    pool: int = 6, per_chunk: int = 1, question: str = "", need_figure: bool = False,
    continue_lists: bool = False, must_hold: Callable[[str], bool] | None = None,
    table_words: int | None = None, aliases: Sequence[AliasGroup] = (),
) -> list[tuple[Ranked, int, int, float]]:
    """The best sentences among the first ``pool`` chunks, at most ``per_chunk`` from each.

    A sentence's worth is its own score plus a share of its chunk's; sentences after the first
    must reach ``min_ratio`` of the best one, so weak filler is not cited, unless they reach
    COVER_RATIO and hold COVER_GAIN of the question's weight that the quotes before lack. Sentences picked from
    one chunk are returned in reading order. With ``need_figure`` only spans that state a figure
    are candidates, and every sentence of a chunk is considered. With ``continue_lists`` a
    list quoted to the end of its chunk takes its items from the next chunk (``continue_list``).
    A table row is quoted with its neighbouring rows, up to ``table_words`` words (default
    TABLE_UNIT_WORDS). ``must_hold`` is a further test every quoted span must pass (a person's
    name for "who was the chair?"), which also widens the candidates as ``need_figure`` does.
    ``aliases`` (``qa.acronyms.alias_groups``) count a name's acronym and long form as one word
    of the question's cover.
    """
    q_terms = question_terms(question, idf_table(store)) if question else {}
    min_ratio = MIN_RATIO if min_ratio is None else min_ratio
    cands = []
    strict = need_figure or must_hold is not None
    # A name can sit low in the ranking (a report's signature line), so every chunk is searched.
    for r in ranked[:len(ranked) if must_hold is not None else pool + 4 if need_figure else pool]:
        for s in (r.sentences if strict else r.sentences[:max(3, per_chunk)]):
            cands.append((s.score + W_CHUNK_IN_WORTH * r.score, r, s))
    cands.sort(key=lambda x: -x[0])
    picks: list[tuple[Ranked, int, int, float]] = []
    spans: list[tuple[int, int, int]] = []
    used_rows: dict[int, int] = {}
    best = None  # the worth of the first usable span
    covered: set[str] = set()
    counted: dict[int, bool] = {}

    def about(row: int) -> bool:  # the chunk is about the people counted; once per chunk
        if row not in counted:
            counted[row] = about_the_counted(store.chunks[row].text, question, QUALIFY_SHARE, places_of(store))
        return counted[row]

    for worth, r, s in cands:
        weak = best is not None and worth < min_ratio * best
        if (weak and worth < COVER_RATIO * best) or used_rows.get(r.row, 0) >= per_chunk:
            continue
        extended = extend_unit(store, r, s, question, need_figure, q_terms,
                                TABLE_UNIT_WORDS if table_words is None else table_words)
        if extended is None:
            continue
        start, end = extended
        span = (r.row, start, end)
        text = store.document_text_span(r.row, start, end)
        words = with_aliases(set(tokenize(text)), list(aliases))
        if weak and cover_gain(q_terms, covered, words) < COVER_GAIN:
            continue  # a weaker quote is kept only for a part of the question the others miss
        if must_hold is not None and not must_hold(text):
            continue
        if need_figure and QUALIFY_SHARE and not about(r.row):
            continue
        if any(overlaps(span, o) for o in spans):
            continue
        best = worth if best is None else best
        covered |= words
        picks.append((r, start, end, worth))
        spans.append(span)
        used_rows[r.row] = used_rows.get(r.row, 0) + 1
        if len(picks) >= max_sentences:
            break
    first_seen = {}
    for i, p in enumerate(picks):
        first_seen.setdefault(p[0].row, i)
    picks.sort(key=lambda p: (first_seen[p[0].row], p[1]))
    if not continue_lists:
        return picks
    out = []
    for p in picks:
        out.append(p)
        more = continue_list(store, p[0], p[1], p[2])
        if more and not any(overlaps((more[0].row, more[1], more[2]), o) for o in spans):
            out.append((more[0], more[1], more[2], p[3]))
            spans.append((more[0].row, more[1], more[2]))
    return out


def _runs_on(store: IndexStore, cite: Citation, row: int, start: int) -> bool:
    """Whether a quote starting at ``start`` in chunk ``row`` continues the citation's quote:
    the same or the next chunk of its document, with no sentence left out between them."""
    prev = cite.row if cite.row_end is None else cite.row_end
    if row not in (prev, prev + 1) or store.chunks[row].doc_id != store.chunks[prev].doc_id:
        return False
    if cite.passage is not None or start < cite.quote_end:
        return False
    return not any(cite.quote_end <= s and e <= start
                   for r in range(prev, row + 1) for s, e in store.sentence_spans[r])


def render(store: IndexStore, picks: Sequence[tuple[Ranked, int, int, float]], prefixes: Sequence[str] | None = None,
           passage_words: int | None = None, labels: Sequence[str] | None = None) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each quoted claim, and its citations in order; with
    ``passage_words`` each citation's passage is narrowed to its quote's context; ``labels``
    (one per pick: whose report and when) go before each claim as "label: "."""
    parts: list[str] = []
    cites: list[Citation] = []
    for i, (r, start, end, score) in enumerate(picks):
        if cites and not prefixes and _runs_on(store, cites[-1], r.row, start):
            # A quote that goes on where the last one ended (read on into the next chunk, a
            # list's next items) is the same passage: one citation, one [n].
            last = cites[-1]
            last.quote_end, last.row_end = end, (r.row if r.row != last.row else last.row_end)
            parts[-1] = parts[-1][:parts[-1].rindex(" [")]
            parts[-1] += f" {' '.join(store.document_text_span(r.row, start, end).split())} [{last.n}]"
            continue
        quote = " ".join(store.document_text_span(r.row, start, end).split())
        n = len(cites) + 1
        window = passage_window(store, r.row, start, end, passage_words) if passage_words else None
        cites.append(Citation(n, r.row, start, end, score, window))
        prefix = prefixes[i] if prefixes else ""
        label = f"{labels[i]}: " if labels and labels[i] else ""
        parts.append(f"{prefix}{label}{quote} [{n}]")
    sep = "\n" if prefixes else " "
    return sep.join(parts), cites
