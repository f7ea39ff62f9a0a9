"""A figure or subject test prefers, it does not veto: the best quote overall answers first when
it is worth LOOSE_RATIO times the best quote passing the tests and passes the looser test."""

from types import SimpleNamespace

import pytest

from qa import single_answer


class Row(SimpleNamespace):
    pass


def _engine(texts):
    store = SimpleNamespace(document_text_span=lambda row, start, end: texts[row])
    return SimpleNamespace(store=store)


@pytest.fixture
def loose_pick(monkeypatch):
    def set_pick(pick):
        monkeypatch.setattr(single_answer.compose, "select_sentences", lambda *a, **k: [pick] if pick else [])
    return set_pick


def test_a_much_better_quote_passing_the_loose_test_answers_first(loose_pick):
    strict, best = (Row(row=1), 0, 10, 0.4), (Row(row=2), 0, 10, 1.2)
    loose_pick(best)
    out = single_answer._loosened(_engine({2: "x"}), [], [strict], 2, "q", lambda text, row: True, ())
    assert out == [best, strict]


@pytest.mark.parametrize("worth, passes, expected", [
    (0.79, True, "strict"),   # not worth LOOSE_RATIO times the strict pick
    (0.7, False, "strict"),   # fails the loose test
    (1.2, True, "loose"),
])
def test_the_strict_pick_stands_unless_both_conditions_hold(loose_pick, worth, passes, expected):
    strict, best = (Row(row=1), 0, 10, 0.4), (Row(row=2), 0, 10, worth)
    loose_pick(best)
    out = single_answer._loosened(_engine({2: "x"}), [], [strict], 1, "q", lambda text, row: passes, ())
    assert out == [strict if expected == "strict" else best]


def test_with_no_strict_pick_the_loose_one_answers_only_if_it_passes(loose_pick):
    best = (Row(row=2), 0, 10, 0.3)
    loose_pick(best)
    assert single_answer._loosened(_engine({2: "x"}), [], [], 1, "q", lambda t, r: True, ()) == [best]
    assert single_answer._loosened(_engine({2: "x"}), [], [], 1, "q", lambda t, r: False, ()) == []


@pytest.mark.parametrize("worth, expected", [
    (0.79, "strict"),  # the strict pick is worth more than FIGURE_FLOOR of the best sentence
    (0.81, "none"),    # it is worth less: the reports speak of the thing but give no figure of it
])
def test_a_figure_quote_far_below_the_best_sentence_without_a_figure_answers_nothing(loose_pick, worth, expected):
    strict, best = (Row(row=1), 0, 10, 0.4), (Row(row=2), 0, 10, worth)
    loose_pick(best)
    out = single_answer._loosened(_engine({2: "x"}), [], [strict], 1, "q", lambda text, row: False, ())
    assert out == ([strict] if expected == "strict" else [])
