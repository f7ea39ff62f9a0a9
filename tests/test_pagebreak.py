"""A sentence that runs over a page break is quoted whole (on the bundled reports' real breaks)."""

from __future__ import annotations

import pytest

from qa import answer as compose
from qa.pagebreak import cut_by_page, whole_sentences
from qa.spans import read_into


def page_cuts(store, same_row: bool):
    """(row, start, end) of answer sentences a page break cuts, whose rest is in the same chunk
    (``same_row``) or in the next one."""
    out = []
    for row, spans in enumerate(store.sentence_spans):
        doc_id = store.chunks[row].doc_id
        for s, e in spans:
            if cut_by_page(store, doc_id, s, e) and any(x >= e for x, _ in spans) == same_row:
                out.append((row, s, e))
    return out


def test_the_bundled_reports_have_sentences_cut_by_a_page_break(store):
    assert len(page_cuts(store, True)) >= 5 and len(page_cuts(store, False)) >= 1


def test_a_cut_sentence_takes_its_rest_from_the_next_page(store):
    for row, s, e in page_cuts(store, True):
        (r, start, end, worth), = whole_sentences(store, [(read_into(row), s, e, 1.0)])
        assert (r.row, start, worth) == (row, s, 1.0) and end > e
        quote = store.document_text_span(row, start, end)
        page_break = store.document_text_span(row, e, end)
        assert page_break.startswith("\n\n") and page_break.strip()[:1].islower(), quote
        text, cites = compose.render(store, [(r, start, end, worth)])
        assert len(cites) == 1 and " ".join(page_break.split()) in text


def test_across_chunks_the_rest_is_a_pick_that_render_joins(store):
    row, s, e = page_cuts(store, False)[0]
    picks = whole_sentences(store, [(read_into(row), s, e, 1.0)])
    assert [p[0].row for p in picks] == [row, row + 1]
    text, cites = compose.render(store, picks)
    assert len(cites) == 1 and cites[0].row_end == row + 1 and text.endswith("[1]")
    assert whole_sentences(store, [(read_into(row), s, e, 1.0)], across_chunks=False) == [(picks[0])]


@pytest.mark.parametrize("which", ["not at a page end", "ends its sentence"])
def test_other_quotes_are_left_alone(store, which):
    for row, spans in enumerate(store.sentence_spans):
        doc_id = store.chunks[row].doc_id
        ends = {p.char_end for p in store.pages[doc_id]}
        for s, e in spans:
            text = store.document_text_span(row, s, e).rstrip()
            if (which == "not at a page end" and e not in ends) or (which == "ends its sentence" and e in ends and text.endswith(".")):
                pick = (read_into(row), s, e, 1.0)
                assert whole_sentences(store, [pick]) == [pick]
                return
    pytest.fail(f"no quote that is {which}")


def test_a_rest_another_pick_already_quotes_is_not_taken_twice(store):
    row, s, e = page_cuts(store, True)[0]
    rest = next((a, b) for a, b in store.sentence_spans[row] if a >= e)
    picks = [(read_into(row), s, e, 1.0), (read_into(row), rest[0], rest[1], 0.5)]
    assert whole_sentences(store, picks) == picks
