"""A sentence that a page break cuts in two is quoted whole.

The cleaner keeps each page's paragraphs on their page, so a sentence that runs on to the next
page ("The partnership planned to" | "assess the impact of ...") becomes two answer sentences.
A quote that ends where its page ends, without a sentence's end, and whose text goes on in lower
case on the next page, takes the rest of its sentence along.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.store import IndexStore
from ingest.sentences import sentence_spans
from qa.rank import Ranked
from qa.spans import overlaps, read_into

_ENDS_SENTENCE = tuple('.!?:;"”’)')

Pick = tuple[Ranked, int, int, float]


def cut_by_page(store: IndexStore, doc_id: str, start: int, end: int) -> bool:
    """Whether the quote ``start:end`` ends at its page's end in the middle of a sentence."""
    pages = store.pages.get(doc_id, [])
    if not any(p.char_end == end for p in pages):
        return False
    quote = store.document_text(doc_id, start, end).rstrip()
    after = store.document_text(doc_id, end, min(end + 40, pages[-1].char_end)).lstrip()
    return bool(quote) and not quote.endswith(_ENDS_SENTENCE) and after[:1].islower()


def _rest(store: IndexStore, row: int, end: int) -> tuple[int, int, int] | None:
    """The rest of the sentence that goes on after ``end``: (row, start, end) in ``row`` or the
    next chunk of the same document, with nothing but the page break before it; or None. Read
    from the text, not the answer sentences, which leave out short fragments ("the service.")."""
    doc_id = store.chunks[row].doc_id
    for r in (row, row + 1):
        if r >= len(store.chunks) or store.chunks[r].doc_id != doc_id:
            return None
        chunk = store.chunks[r]
        if chunk.char_end <= end:
            continue
        lo = max(end, chunk.char_start)
        spans = sentence_spans(store.document_text(doc_id, lo, chunk.char_end), lo)
        if not spans or store.document_text(doc_id, end, spans[0][0]).strip():
            return None
        return (r, *spans[0])
    return None


def whole_sentences(store: IndexStore, picks: Sequence[Pick], across_chunks: bool = True) -> list[Pick]:
    """The picks with every quote cut by a page break read on to its sentence's end. Within its
    chunk the quote grows; in the next chunk the rest is a pick of its own right after it (which
    ``qa.answer.render`` joins to the quote: one citation), only with ``across_chunks``."""
    out = list(picks)
    i = 0
    while i < len(out):
        r, start, end, worth = out[i]
        doc_id = store.chunks[r.row].doc_id
        if cut_by_page(store, doc_id, start, end):
            rest = _rest(store, r.row, end)
            taken = [(p[0].row, p[1], p[2]) for j, p in enumerate(out) if j != i]
            if rest and not any(overlaps(rest, t) for t in taken):
                if rest[0] == r.row:
                    out[i] = (r, start, rest[2], worth)
                elif across_chunks:
                    out.insert(i + 1, (read_into(rest[0]), rest[1], rest[2], worth))
                    i += 1
        i += 1
    return out
