"""bm25-window: fixed 160-word windows with 40 words of overlap, plain BM25, never abstains."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.window_baseline import WindowBM25, best_sentences, word_windows

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("n_words, expected", [(0, []), (5, [5]), (160, [160]), (161, [160, 41]), (400, [160, 160, 160])])
def test_windows_are_160_words_stepping_120(n_words, expected):
    text = " ".join(f"w{i}" for i in range(n_words))
    spans = word_windows(text)
    assert [len(text[s:e].split()) for s, e in spans] == expected
    for (s1, _), (s2, _) in zip(spans, spans[1:]):
        assert len(text[s1:s2].split()) == 120
    if spans:
        assert spans[0][0] == 0 and spans[-1][1] == len(text)


@pytest.mark.parametrize("size, overlap, message", [(0, 0, "at least 1 word"), (10, 10, "smaller than"), (10, -1, "at least 0")])
def test_bad_window_settings(size, overlap, message):
    with pytest.raises(ValueError, match=message):
        word_windows("a b c", size, overlap)


def test_best_sentences_come_back_in_text_order():
    text = "Budgets rose. The board met four times. Training reached many people."
    spans = best_sentences(text, {"train", "board"}, 2)
    assert [text[s:e] for s, e in spans] == ["The board met four times.", "Training reached many people."]


def test_on_a_real_report_it_cites_five_windows_that_rebuild_from_offsets_and_never_abstains():
    from ingest.load import load_document

    pdf = ROOT / "data" / "collections" / "hartwell" / "hscp_2022-23.pdf"
    index = WindowBM25.build([pdf])
    text = load_document(pdf).text
    resp = index.ask("How much did the partnership spend on training?")
    assert resp["answerable"] and len(resp["citations"]) == 5
    for c in resp["citations"]:
        assert text[c["char_start"]:c["char_end"]] == c["text"]
        assert text[c["quote_start"]:c["quote_end"]] == c["quote"]
    scores = [c["score"] for c in resp["citations"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    top = " ".join(resp["citations"][0]["text"].split())
    assert resp["answer"].endswith(" [1]") and resp["answer"][:-4] and resp["answer"][:40] in top
