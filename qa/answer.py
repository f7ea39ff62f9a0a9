"""Compose a short answer from the reports' own sentences, each claim cited [n]."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.store import IndexStore
from qa.quantity import has_figure
from index.keyword import tokenize
from qa.rank import SHORT_ROW_WORDS, Ranked, asks_quantity, ScoredSentence, idf_table, question_terms
from qa.retrieve import Hit

# A sentence opening like this leans on the one before or after it for its subject.
_ANAPHOR = re.compile(r"^\W*(?!this (?:year|period|quarter|month|time|report)\b)"
                      r"(this|these|that|those|it|they|their|its|of these|of which|of this|"
                      r"a further|in addition|additionally|further|also|both|such)\b", re.IGNORECASE)
MAX_UNIT_WORDS = 70
# A sentence's worth adds this share of its chunk's second-stage score (tuned on the benchmark).
W_CHUNK_IN_WORTH = 0.5
# Words of a quoted run of table rows (``_table_rows``).
TABLE_UNIT_WORDS = 40
# A later quote must be worth this share of the first.
MIN_RATIO = 0.95
# Words read on into the next chunk for a list whose items have no bullets.
UNMARKED_LIST_WORDS = 60


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
    p_start, p_end = c.passage or (chunk.char_start, chunk.char_end)
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
        "text": chunk.text[p_start - chunk.char_start:p_end - chunk.char_start],
        "quote": chunk.text[rel_s:rel_e],
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "char_start": p_start,
        "char_end": p_end,
        "chunk_id": chunk.chunk_id,
        "label": chunk.label,
        "tags": list(chunk.tags),
        "score": round(float(c.score), 4),
    }


def passage_window(store: IndexStore, row: int, start: int, end: int, max_words: int) -> tuple[int, int]:
    """The quote at ``start:end`` widened by whole sentences of its chunk, next one after, then
    one before, while the passage stays within ``max_words`` (the quote alone when it is
    longer). A year-by-year row shows its figure in context without the rest of the chunk."""
    chunk = store.chunks[row]
    spans = store.sentence_spans[row]

    def words(a: int, b: int) -> int:
        return len(chunk.text[a - chunk.char_start:b - chunk.char_start].split())

    after = [sp for sp in spans if sp[0] >= end]
    before = [sp for sp in spans if sp[1] <= start][::-1]
    grew = True
    while grew:
        grew = False
        for side in (after, before):
            if side:
                a, b = (start, side[0][1]) if side is after else (side[0][0], end)
                if words(a, b) <= max_words:
                    start, end = a, b
                    side.pop(0)
                    grew = True
    return start, end


def _extend_list(store: IndexStore, ranked: Ranked, s: ScoredSentence, max_extra: int = 4) -> tuple[int, int] | None:
    """A sentence introducing a list (ending ':') takes the following items of its chunk along."""
    start, end = s.sentence.start, s.sentence.end
    if not s.sentence.text.rstrip().endswith(":"):
        return start, end
    later = sorted((x.sentence for x in ranked.sentences if x.sentence.start >= end), key=lambda x: x.start)
    if not later and len(s.sentence.text.split()) <= 8:
        return None  # "What we did in 2024-25:" with nothing after it says nothing
    for nxt in later[:max_extra]:
        end = nxt.end
    return start, end


def _neighbours(ranked: Ranked, start: int, end: int):
    """The sentences of the chunk just before and just after the span (or None)."""
    ordered = sorted((x.sentence for x in ranked.sentences), key=lambda x: x.start)
    before = [x for x in ordered if x.end <= start]
    after = [x for x in ordered if x.start >= end]
    return (before[-1] if before else None), (after[0] if after else None)


def _extend_unit(store: IndexStore, ranked: Ranked, s: ScoredSentence, question: str,
                 need_figure: bool, q_terms: dict[str, float] | None = None,
                 table_words: int = 0) -> tuple[int, int] | None:
    """The quoted span for a chosen sentence: the sentence, a list it introduces, and the
    neighbour it leans on ("125 participants ..." after "This was run with DMU ...").

    With ``need_figure`` the span must state a figure (``qa.quantity.has_figure``); a sentence
    without one may take the next sentence's figure, otherwise it is not a candidate.
    """
    q_terms = q_terms or {}
    span = _extend_list(store, ranked, s)
    if span is None:
        return None
    start, end = span
    chunk = store.chunks[ranked.row]

    def text(a: int, b: int) -> str:
        return chunk.text[a - chunk.char_start:b - chunk.char_start]

    def words(a: int, b: int) -> int:
        return len(text(a, b).split())

    prev, nxt = _neighbours(ranked, start, end)
    if _ANAPHOR.match(s.sentence.text) and prev is not None and words(prev.start, end) <= MAX_UNIT_WORDS:
        start = prev.start
    if need_figure and not has_figure(text(start, end), question):
        if nxt is not None and has_figure(nxt.text, question) and has_figure(text(start, nxt.end), question) \
                and words(start, nxt.end) <= MAX_UNIT_WORDS:
            return start, nxt.end
        return None
    if table_words and _is_row(s.sentence.text) and (need_figure or asks_quantity(question)):
        return _table_rows(ranked, start, end, words, table_words)
    if nxt is not None and words(start, nxt.end) <= MAX_UNIT_WORDS and (
            _ANAPHOR.match(nxt.text) or _adds_cover(text(start, end), nxt.text, q_terms)):
        end = nxt.end
    return start, end


def _is_row(text: str) -> bool:
    """A table row flattened into text: a few words and a figure ("Training 33,673")."""
    return len(text.split()) <= SHORT_ROW_WORDS and bool(re.search(r"\d", text))


def _table_rows(ranked: Ranked, start: int, end: int, words, max_words: int) -> tuple[int, int]:
    """A table row quoted with the rows around it, following rows first (totals come last),
    within ``max_words``: a row alone lacks its table, and questions about tables often ask
    for two rows ("staffing, and the total expenditure")."""
    ordered = sorted((x.sentence for x in ranked.sentences), key=lambda x: x.start)
    after = [x for x in ordered if x.start >= end]
    before = [x for x in ordered if x.end <= start][::-1]
    for x in after:
        if not _is_row(x.text) or words(start, x.end) > max_words:
            break
        end = x.end
    for x in before:
        if not _is_row(x.text) or words(x.start, end) > max_words:
            break
        start = x.start
    return start, end


def _adds_cover(unit: str, nxt: str, q_terms: dict[str, float], share: float = 0.2) -> bool:
    """Whether the next sentence holds question words the unit lacks, worth at least ``share``
    of the question's idf weight ("... published one national review." + "'The Myth of
    Invisible Men' ... was published in September 2021.")."""
    total = sum(q_terms.values())
    if not total:
        return False
    have, extra = set(tokenize(unit)), set(tokenize(nxt))
    gain = sum(w for t, w in q_terms.items() if t in extra and t not in have)
    return gain >= share * total


def _overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


_LIST_ASK = re.compile(r"\b(list|name the|name all|enumerate)\b", re.IGNORECASE)
_WH_START = re.compile(r"^\s*(?:which|what)\s+(?:(?:were|are|have been)\s+(?:the|their|its|our)\s+)?", re.IGNORECASE)
_PHRASE_END = frozenset("were are was is did do does has have had can could will would came come from in of for "
                        "with by to under that which on at during and or".split())
_IRREGULAR_PLURALS = frozenset({"children", "people", "men", "women", "criteria", "data"})
_NOT_PLURAL = frozenset({"this", "its", "his", "was", "has", "does", "is", "across", "always", "status",
                         "process", "progress", "analysis", "basis", "focus", "crisis", "address"})


def is_list_question(question: str) -> bool:
    """Questions whose answer is several items: "which teams ...", "what were the priorities
    ...", "list ...". The head of the noun phrase after which/what must be plural; "how many
    courses" asks for a figure, not a list."""
    if _LIST_ASK.search(question):
        return True
    m = _WH_START.match(question)
    if not m:
        return False
    for word in question[m.end():].split()[:6]:
        word = word.lower().strip("\"“”?,.")
        if word in _PHRASE_END or word.endswith("ed"):
            return False  # the noun phrase has ended at a verb or preposition
        if word.endswith(("'s", "’s")):
            continue  # a possessive, not a plural
        if word in _IRREGULAR_PLURALS or (
                word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL and len(word) > 3):
            return True
    return False


def select_sentences(
    store: IndexStore, ranked: Sequence[Ranked], max_sentences: int = 3, min_ratio: float | None = None,
    pool: int = 6, per_chunk: int = 1, question: str = "", need_figure: bool = False,
    continue_lists: bool = False, must_hold: Callable[[str], bool] | None = None,
    table_words: int | None = None,
) -> list[tuple[Ranked, int, int, float]]:
    """The best sentences among the first ``pool`` chunks, at most ``per_chunk`` from each.

    A sentence's worth is its own score plus a share of its chunk's; sentences after the first
    must reach ``min_ratio`` of the best one, so weak filler is not cited. Sentences picked from
    one chunk are returned in reading order. With ``need_figure`` only spans that state a figure
    are candidates, and every sentence of a chunk is considered. With ``continue_lists`` a
    list quoted to the end of its chunk takes its items from the next chunk (``continue_list``).
    A table row is quoted with its neighbouring rows, up to ``table_words`` words (default
    TABLE_UNIT_WORDS). ``must_hold`` is a further test every quoted span must pass (a person's
    name for "who was the chair?"), which also widens the candidates as ``need_figure`` does.
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
    for worth, r, s in cands:
        if (best is not None and worth < min_ratio * best) or used_rows.get(r.row, 0) >= per_chunk:
            continue
        extended = _extend_unit(store, r, s, question, need_figure, q_terms,
                                TABLE_UNIT_WORDS if table_words is None else table_words)
        if extended is None:
            continue
        start, end = extended
        span = (r.row, start, end)
        if must_hold is not None and not must_hold(store.document_text_span(r.row, start, end)):
            continue
        if any(_overlaps(span, o) for o in spans):
            continue
        best = worth if best is None else best
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
        if more and not any(_overlaps((more[0].row, more[1], more[2]), o) for o in spans):
            out.append((more[0], more[1], more[2], p[3]))
            spans.append((more[0].row, more[1], more[2]))
    return out


_ITEM = re.compile(r"^\s*(?:[•\-–*▪●○◦]|\(?[0-9a-z]{1,2}[).])\s")


def continue_list(store: IndexStore, ranked: Ranked, start: int, end: int, max_items: int = 6,
                  ) -> tuple[Ranked, int, int] | None:
    """A list quoted to the end of its chunk often goes on in the next chunk of the same
    document ("... were as follows: • A • B" | "• C • D"). The span of the next chunk's leading
    items, or None when the quoted span does not end its chunk inside a list."""
    row = ranked.row
    spans = store.sentence_spans[row]
    if not spans or end < spans[-1][1] or row + 1 >= len(store.chunks):
        return None
    chunk, nxt = store.chunks[row], store.chunks[row + 1]
    if nxt.doc_id != chunk.doc_id:
        return None
    last = chunk.text[spans[-1][0] - chunk.char_start:spans[-1][1] - chunk.char_start]
    quoted = chunk.text[start - chunk.char_start:end - chunk.char_start]
    # Items that lost their bullets ("... are:\nFive Locality Teams, which ...") are read on
    # for a few sentences, as far as the words allow.
    unmarked = ":" in quoted and not _ITEM.match(last)
    if not (_ITEM.match(last) or last.rstrip().endswith(":") or unmarked):
        return None
    items, words = [], 0
    for s, e in store.sentence_spans[row + 1][:max_items]:
        text = nxt.text[s - nxt.char_start:e - nxt.char_start]
        words += len(text.split())
        if (not unmarked and not _ITEM.match(text)) or (unmarked and items and words > UNMARKED_LIST_WORDS):
            break
        items.append((s, e))
    if not items:
        return None
    return Ranked(Hit(row + 1, 0.0, 0.0, 0.0), 0.0, ()), items[0][0], items[-1][1]


def read_on(store: IndexStore, picks: list[tuple[Ranked, int, int, float]], index: int, max_words: int,
            ) -> list[tuple[Ranked, int, int, float]]:
    """The picks with pick ``index`` read on into the sentences after it, while it stays within
    ``max_words``: the sentence that best matches a question often only introduces the answer
    ("The aim of this spotlight audit was ..." before its findings). At the end of its chunk the
    reading goes on into the next chunk of the same document, as a citation of its own. Never
    runs into another pick."""
    r, start, end, worth = picks[index]
    taken = [(p[0].row, p[1], p[2]) for p in picks]
    row, used = r.row, len(store.document_text_span(r.row, start, end).split())
    out = list(picks)
    first_row = True
    while used < max_words and row < len(store.chunks):
        if not first_row and store.chunks[row].doc_id != store.chunks[r.row].doc_id:
            break
        a = b = None
        for s, e in store.sentence_spans[row]:
            if s < (end if first_row else 0) or any(_overlaps((row, s, e), t) for t in taken):
                if a is not None:
                    break
                continue
            n = len(store.document_text_span(row, s, e).split())
            if used + n > max_words:
                break
            a = s if a is None else a
            b, used = e, used + n
        if first_row:
            if b is not None:
                out[index] = (r, start, b, worth)
            spans = store.sentence_spans[row]
            if not spans or (b or end) < spans[-1][1]:
                break  # the chunk goes on past what was read
        elif b is not None:
            out.insert(index + 1, (Ranked(Hit(row, 0.0, 0.0, 0.0), 0.0, ()), a, b, worth))
            break
        else:
            break
        row += 1
        first_row = False
    return out


_LIST_BODY = re.compile(r":\s*(?:(?:[•\-–*▪●]|\(?[0-9a-z]{1,2}[).])\s.*?){2,}", re.DOTALL)


def one_list(store: IndexStore, picks: list[tuple[Ranked, int, int, float]]) -> list[tuple[Ranked, int, int, float]]:
    """When the best passage quotes a whole list ("... the following: • A • B • C"), that list
    is the answer: quotes from other passages would be padding. Keeps the picks of the first
    passage and of the chunk its list runs on into."""
    if not picks:
        return picks
    row = picks[0][0].row
    own = [p for p in picks if p[0].row == row]
    if not any(_LIST_BODY.search(store.document_text_span(row, p[1], p[2])) for p in own):
        return picks
    return [p for p in picks if p[0].row in (row, row + 1)]


def render(store: IndexStore, picks: Sequence[tuple[Ranked, int, int, float]], prefixes: Sequence[str] | None = None,
           passage_words: int | None = None) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each quoted claim, and its citations in order; with
    ``passage_words`` each citation's passage is narrowed to its quote's context."""
    parts: list[str] = []
    cites: list[Citation] = []
    for i, (r, start, end, score) in enumerate(picks):
        chunk = store.chunks[r.row]
        quote = chunk.text[start - chunk.char_start:end - chunk.char_start]
        quote = " ".join(quote.split())
        n = len(cites) + 1
        window = passage_window(store, r.row, start, end, passage_words) if passage_words else None
        cites.append(Citation(n, r.row, start, end, score, window))
        prefix = prefixes[i] if prefixes else ""
        parts.append(f"{prefix}{quote} [{n}]")
    sep = "\n" if prefixes else " "
    return sep.join(parts), cites
