"""The question as the reports write it: one form of a reporting year, mistyped words corrected."""

from __future__ import annotations

from collections import Counter

import pytest

from qa.normalise import correct, correct_word, edits1, year_words

VOCAB = Counter({"priorities": 12, "partnership": 40, "reviews": 9, "northfield": 30, "educated": 3, "caseloads": 1})


@pytest.mark.parametrize("question, expected", [
    ("What were the priorities in 2023 to 2024?", "What were the priorities in 2023-24?"),
    ("What changed from 2019 to 2020?", "What changed from 2019 to 2020?"),  # a range stays a range
    ("between 2019 to 2020", "between 2019 to 2020"),
    ("in 2019 to 2021", "in 2019 to 2021"),  # not one reporting year
])
def test_year_words(question, expected):
    assert year_words(question) == expected


@pytest.mark.parametrize("word, expected", [
    ("prioirties", "priorities"), ("Nortfield", "Northfield"), ("reveiws", "reviews"),
    ("priorities", "priorities"),  # known
    ("CAMHS", "CAMHS"), ("waits", "waits"),  # unknown but nothing one edit away
    ("caseload", "caseload"),  # one edit from a word used only once: too rare to trust
    ("revs", "revs"),  # too short to correct
])
def test_correct_word(word, expected):
    assert correct_word(word, VOCAB) == expected


def test_correct_keeps_everything_but_the_mistyped_words():
    assert correct("How many reveiws did the partnrship hold in 2022 to 2023?", VOCAB) == \
        "How many reviews did the partnership hold in 2022-23?"


def test_edits1_holds_every_single_edit():
    e = edits1("ab")
    assert {"a", "b", "ba", "xab", "abx", "xb", "ax"} <= e and "ab" in e  # a swap of equal letters may give the word back
