"""Rephrasings are mechanical, deterministic and meaning-preserving; consistency is exact."""

from __future__ import annotations

import pytest

from evals.questions import Evidence
from evals.rephrase import ABSTAINED, consistent, first_support, period_forms, variants

NAMES = ("Northfield", "NSCP")


def kinds(vs):
    return {v.kind: v.text for v in vs}


def test_year_forms_name_removal_lower_typo_and_synonym():
    got = kinds(variants("How many children did the Northfield partnership see in 2021-22?", "x1", NAMES, "Northfield"))
    assert got["name-removed"] == "How many children did the partnership see in 2021-22?"
    assert got["year:slash"].endswith("in 2021/22?") and got["year:words"].endswith("in 2021 to 2022?")
    assert "year:dash" not in got  # the question's own form is not a variant
    assert got["lower"] == "how many children did the northfield partnership see in 2021-22?"
    assert got["synonym"].startswith("What number of children")
    typo = got["typo"]
    assert len(typo) == len("How many children did the Northfield partnership see in 2021-22?") and typo != got["lower"]


def test_a_bare_subject_becomes_the_partnership_and_a_missing_name_is_added():
    assert kinds(variants("How many reviews did NSCP hold?", "x", NAMES, "Northfield"))["name-removed"] == \
        "How many reviews did the partnership hold?"
    assert kinds(variants("How many reviews were held?", "x", NAMES, "Northfield"))["name-added"] == \
        "How many reviews were held in Northfield?"


def test_latest_period_gets_most_recent_and_last_year_forms_only_when_latest():
    latest = kinds(variants("What were the priorities in 2023-24?", "x", NAMES, "Northfield", latest="2023-24"))
    assert latest["year:most-recent"] == "What were the priorities in the most recent report?"
    assert latest["year:last-year"] == "What were the priorities last year?"
    older = kinds(variants("What were the priorities in 2022-23?", "x", NAMES, "Northfield", latest="2023-24"))
    assert "year:most-recent" not in older and "year:last-year" not in older


def test_variants_are_deterministic_distinct_and_never_the_question():
    q = "Which agencies attended the training in 2019/20?"
    a, b = variants(q, "q9", NAMES), variants(q, "q9", NAMES)
    assert a == b
    texts = [v.text for v in a]
    assert q not in texts and len(texts) == len(set(texts))
    assert period_forms(2019) == {"dash": "2019-20", "slash": "2019/20", "words": "2019 to 2020"}


def test_variants_refuse_an_empty_question():
    with pytest.raises(ValueError, match="the question is empty"):
        variants("  ", "x")


GOLD = (Evidence("a.pdf", "the partnership trained 1949 people in 98 events this year",
                 also=(Evidence("b.pdf", "in the year 1949 people were trained across 98 events"),)),
        Evidence("a.pdf", "the board met four times and attendance was good"))


def cite(source, text, answerable=True):
    return {"answerable": answerable, "citations": [{"source": source, "text": text}] if answerable else []}


@pytest.mark.parametrize("orig, var, same", [
    (cite("a.pdf", "the partnership trained 1949 people in 98 events this year"),
     cite("b.pdf", "in the year 1949 people were trained across 98 events"), True),  # an alternative counts
    (cite("a.pdf", "the partnership trained 1949 people in 98 events this year"),
     cite("a.pdf", "the board met four times and attendance was good"), False),
    (cite("a.pdf", "nothing relevant here at all"), cite("b.pdf", "also nothing relevant"), True),  # both miss
    (cite("a.pdf", "x", answerable=False), cite("a.pdf", "x", answerable=False), True),
    (cite("a.pdf", "x", answerable=False), cite("a.pdf", "nothing relevant"), False),
])
def test_consistency_table(orig, var, same):
    assert consistent(orig, var, GOLD) is same


def test_first_support_names_evidence_items_and_abstention():
    assert first_support(cite("a.pdf", "the board met four times and attendance was good"), GOLD) == frozenset({1})
    assert first_support(cite("b.pdf", "the board met four times and attendance was good"), GOLD) == frozenset()
    assert first_support({"answerable": True, "citations": []}, GOLD) == ABSTAINED
