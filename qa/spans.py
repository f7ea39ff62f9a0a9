"""The span a quote covers: a chosen sentence widened to what it needs to be read alone.

A sentence leaning on its neighbour takes it; a list introduction takes its items, also from the
next chunk; a table row takes the rows around it; an introduction reads on into what it
introduces. A citation's passage can be narrowed to its quote's context.
"""

from __future__ import annotations

import re

from index.keyword import tokenize
from index.store import IndexStore
from qa.quantity import has_figure, place_matches, places_of
from qa.intent import asks_quantity
from qa.rank import Ranked, ScoredSentence, is_row, weight_share
from qa.retrieve import Hit

# A sentence opening like this leans on the one before or after it for its subject.
_ANAPHOR = re.compile(r"^\W*(?!this (?:year|period|quarter|month|time|report)\b)"
                      r"(this|these|that|those|it|they|their|its|of these|of which|of this|"
                      r"a further|in addition|additionally|further|also|both|such)\b", re.IGNORECASE)
MAX_UNIT_WORDS = 70
# Words of a quoted run of table rows (``_table_rows``).
TABLE_UNIT_WORDS = 40
# Words read on into the next chunk for a list whose items have no bullets.
UNMARKED_LIST_WORDS = 60
# Words of a list quoted with its introduction, when its items are short and bulleted.
LIST_WORDS = 80
# Words read on past the budget when the reading reaches an introduction ("The audit found that:");
# chosen on the benchmark's even questions (60, 90, 120), checked on its odd ones.
INTRO_READ_WORDS = 90
# A year ends an introduction too ("... implemented across 2024-25:"); "10:30" is no introduction.
INTRODUCES = re.compile(r"[A-Za-z0-9)]:(?=\s|$)")


def passage_window(store: IndexStore, row: int, start: int, end: int, max_words: int) -> tuple[int, int]:
    """The quote at ``start:end`` widened by whole sentences, next one after, then one before,
    while the passage stays within ``max_words`` (the quote alone when it is longer). A
    year-by-year row shows its figure in context without the rest of the chunk; at a chunk's
    edge the context goes on into the neighbouring chunk of the same document (a table split
    between chunks)."""
    doc_id = store.chunks[row].doc_id
    spans = [sp for r in (row - 1, row, row + 1)
             if 0 <= r < len(store.chunks) and store.chunks[r].doc_id == doc_id for sp in store.sentence_spans[r]]

    def words(a: int, b: int) -> int:
        return len(store.document_text(doc_id, a, b).split())

    after = sorted(sp for sp in spans if sp[0] >= end)
    before = sorted((sp for sp in spans if sp[1] <= start), reverse=True)
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


def _extend_list(ranked: Ranked, s: ScoredSentence, max_extra: int = 4) -> tuple[int, int]:
    """A sentence introducing a list (ending ':') takes the following items of its chunk along:
    ``max_extra`` sentences, or as many short bulleted items as LIST_WORDS allows."""
    start, end = s.sentence.start, s.sentence.end
    if not s.sentence.text.rstrip().endswith(":"):
        return start, end
    later = sorted((x.sentence for x in ranked.sentences if x.sentence.start >= end), key=lambda x: x.start)
    words = len(s.sentence.text.split())
    for k, nxt in enumerate(later):
        words += len(nxt.text.split())
        if k >= max_extra and not (_ITEM.match(nxt.text) and words <= LIST_WORDS):
            break
        end = nxt.end
    return start, end


def _around(ranked: Ranked, start: int, end: int):
    """The chunk's sentences before the span (nearest first) and after it (nearest first)."""
    ordered = sorted((x.sentence for x in ranked.sentences), key=lambda x: x.start)
    return [x for x in ordered if x.end <= start][::-1], [x for x in ordered if x.start >= end]


def _neighbours(ranked: Ranked, start: int, end: int):
    """The sentences of the chunk just before and just after the span (or None)."""
    before, after = _around(ranked, start, end)
    return (before[0] if before else None), (after[0] if after else None)


def extend_unit(store: IndexStore, ranked: Ranked, s: ScoredSentence, question: str,
                 need_figure: bool, q_terms: dict[str, float] | None = None,
                 table_words: int = 0) -> tuple[int, int] | None:
    """The quoted span for a chosen sentence: the sentence, a list it introduces, and the
    neighbour it leans on ("125 participants ..." after "This was run with DMU ...").

    With ``need_figure`` the span must state a figure (``qa.quantity.has_figure``); a sentence
    without one may take the next sentence's figure, otherwise it is not a candidate.
    """
    q_terms = q_terms or {}
    start, end = _extend_list(ranked, s)
    chunk = store.chunks[ranked.row]

    def text(a: int, b: int) -> str:
        return store.document_text_span(ranked.row, a, b)

    def words(a: int, b: int) -> int:
        return len(text(a, b).split())

    prev, nxt = _neighbours(ranked, start, end)
    if _ANAPHOR.match(s.sentence.text) and prev is not None and words(prev.start, end) <= MAX_UNIT_WORDS:
        start = prev.start
    places = places_of(store)
    if need_figure and not place_matches(chunk.text, question, places=places) \
            and not place_matches(text(start, end), question, True, places):
        return None  # a figure of a passage about another of the indexed areas
    if need_figure and not has_figure(text(start, end), question, places):
        if nxt is not None and has_figure(nxt.text, question, places) and has_figure(text(start, nxt.end), question, places) \
                and words(start, nxt.end) <= MAX_UNIT_WORDS:
            return start, nxt.end
        return None
    if table_words and is_row(s.sentence.text) and (need_figure or asks_quantity(question)):
        return _table_rows(ranked, start, end, words, table_words)
    if nxt is not None and words(start, nxt.end) <= MAX_UNIT_WORDS and (
            _ANAPHOR.match(nxt.text) or _adds_cover(text(start, end), nxt.text, q_terms)):
        end = nxt.end
    return start, end


def _table_rows(ranked: Ranked, start: int, end: int, words, max_words: int) -> tuple[int, int]:
    """A table row quoted with the rows around it, following rows first (totals come last),
    within ``max_words``: a row alone lacks its table, and questions about tables often ask
    for two rows ("staffing, and the total expenditure")."""
    before, after = _around(ranked, start, end)
    for x in after:
        if not is_row(x.text) or words(start, x.end) > max_words:
            break
        end = x.end
    for x in before:
        if not is_row(x.text) or words(x.start, end) > max_words:
            break
        start = x.start
    return start, end


def cover_gain(q_terms: dict[str, float], have: set[str], extra: set[str]) -> float:
    """Share of the question's idf weight whose stems ``extra`` holds and ``have`` lacks."""
    return weight_share(q_terms, extra - have)


def _adds_cover(unit: str, nxt: str, q_terms: dict[str, float], share: float = 0.2) -> bool:
    """Whether the next sentence holds question words the unit lacks, worth at least ``share``
    of the question's idf weight ("... published one national review." + "'The Myth of
    Invisible Men' ... was published in September 2021.")."""
    return cover_gain(q_terms, set(tokenize(unit)), set(tokenize(nxt))) >= share


def overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


# A list item's mark: a bullet, a dash, "1)", "(a)", "2.".
_MARK = r"(?:[•\-–*▪●○◦]|\(?[0-9a-z]{1,2}[).])\s"
_ITEM = re.compile(r"^\s*" + _MARK)


def read_into(row: int) -> Ranked:
    """A chunk a quote runs on into: not ranked, so without scores or scored sentences."""
    return Ranked(Hit(row, 0.0, 0.0, 0.0), 0.0, ())


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
    last = store.document_text_span(row, *spans[-1])
    quoted = store.document_text_span(row, start, end)
    # Items that lost their bullets ("... are:\nFive Locality Teams, which ...") are read on
    # for a few sentences, as far as the words allow.
    unmarked = ":" in quoted and not _ITEM.match(last)
    if not (_ITEM.match(last) or last.rstrip().endswith(":") or unmarked):
        return None
    items, words = [], 0
    for s, e in store.sentence_spans[row + 1][:max_items]:
        text = store.document_text_span(row + 1, s, e)
        words += len(text.split())
        if (not unmarked and not _ITEM.match(text)) or (unmarked and items and words > UNMARKED_LIST_WORDS):
            break
        items.append((s, e))
    if not items:
        return None
    return read_into(row + 1), items[0][0], items[-1][1]


def read_on(store: IndexStore, picks: list[tuple[Ranked, int, int, float]], index: int, max_words: int,
            ) -> list[tuple[Ranked, int, int, float]]:
    """The picks with pick ``index`` read on into the sentences after it, while it stays within
    ``max_words``: the sentence that best matches a question often only introduces the answer
    ("The aim of this spotlight audit was ..." before its findings). At the end of its chunk the
    reading goes on into the next chunk of the same document, as a pick of its own (``render``
    joins it to the quote it continues: one citation). Never runs into another pick. A quote that holds an introduction, or that a next sentence leans on,
    reads further ("_intro_limit", "_leaning_words")."""
    r, start, end, worth = picks[index]
    taken = [(p[0].row, p[1], p[2]) for p in picks]
    row, used = r.row, len(store.document_text_span(r.row, start, end).split())
    out = list(picks)
    first_row = True
    limit = max(max_words, used + _leaning_words(store, r.row, end), _intro_limit(store, r.row, start, end))
    while used < limit and row < len(store.chunks):
        if not first_row and store.chunks[row].doc_id != store.chunks[r.row].doc_id:
            break
        a = b = None
        for s, e in store.sentence_spans[row]:
            if s < (end if first_row else 0) or any(overlaps((row, s, e), t) for t in taken):
                if a is not None:
                    break
                continue
            sentence = store.document_text_span(row, s, e)
            n = len(sentence.split())
            if used + n > limit:
                break
            a = s if a is None else a
            b, used = e, used + n
            if INTRODUCES.search(sentence):
                limit = max(limit, used + INTRO_READ_WORDS)  # never stop on "The audit found that:"
        if first_row:
            if b is not None:
                out[index] = (r, start, b, worth)
            spans = store.sentence_spans[row]
            if not spans or (b or end) < spans[-1][1]:
                break  # the chunk goes on past what was read
        elif b is not None:
            at = index + 1
            while at < len(out) and out[at][0].row == row and out[at][2] <= a:
                at += 1  # after a list's items already quoted from this chunk, in reading order
            out.insert(at, (read_into(row), a, b, worth))
            break
        else:
            break
        row += 1
        first_row = False
    return out


def _intro_limit(store: IndexStore, row: int, start: int, end: int) -> int:
    """The reading budget of a quote that holds an introduction ("Learning from these Rapid
    Reviews has been implemented across 2024-25:" and its first items): the quote and
    INTRO_READ_WORDS past it, as when the reading reaches one; the list goes on after the quote. 0
    for a quote without one."""
    quote = store.document_text_span(row, start, end)
    return len(quote.split()) + INTRO_READ_WORDS if INTRODUCES.search(quote) else 0


def _leaning_words(store: IndexStore, row: int, end: int) -> int:
    """Words of the sentence after ``end`` (in its chunk or the next chunk of the document) when
    it leans on the quote ("... an increase of 80 to 90 points." + "This is based upon a return
    rate of 42%"): it is part of the quote whatever the reading budget; else 0."""
    for r in (row, row + 1):
        if r >= len(store.chunks) or store.chunks[r].doc_id != store.chunks[row].doc_id:
            return 0
        for s, e in store.sentence_spans[r]:
            if s >= end:
                text = store.document_text_span(r, s, e)
                n = len(text.split())
                return n if _ANAPHOR.match(text) and n <= MAX_UNIT_WORDS else 0
    return 0


_LIST_BODY = re.compile(r":\s*(?:" + _MARK + r".*?){2,}", re.DOTALL)


def one_list(store: IndexStore, picks: list[tuple[Ranked, int, int, float]]) -> list[tuple[Ranked, int, int, float]]:
    """When the best passage quotes a whole list ("... the following: • A • B • C"), that list
    is the answer: quotes from other passages would be padding. Keeps the picks of the first
    passage and of the chunk its list runs on into."""
    if not picks:
        return picks
    row = picks[0][0].row
    own = [p for p in picks if p[0].row == row]
    if not any(_LIST_BODY.search(store.document_text_span(row, p[1], p[2])) for p in own) \
            and not _items_run_on(store, own, picks):
        return picks
    return [p for p in picks if p[0].row in (row, row + 1)]


def _items_run_on(store: IndexStore, own: list, picks: list) -> bool:
    """Whether a quote ending "... will be:" goes on with two or more items read into the next
    chunk (items without bullets: "Child Sexual Abuse", "Neglect", ...)."""
    if not own or not store.document_text_span(own[-1][0].row, own[-1][1], own[-1][2]).rstrip().endswith(":"):
        return False
    row = own[-1][0].row
    return any(p[0].row == row + 1 and not p[0].sentences and
               sum(p[1] <= s and e <= p[2] for s, e in store.sentence_spans[row + 1]) >= 2 for p in picks)
