"""An audit or a thematic, learning or national review is named by its own title when it has one."""

import pytest

from ingest.review_titles import has_own_name, review_title

LOWER = frozenset("repeat contacts neglect the these there of and violence exploitation missing home myth men".split())


@pytest.mark.parametrize("text,kind,title", [
    ("Repeat Contacts Spotlight Audit\nThe audit found that:", "multi-agency audit", "Repeat Contacts Spotlight Audit"),
    ("Received the findings from the multi-agency Serious Youth Violence and Child Exploitation audit.",
     "multi-agency audit", "Serious Youth Violence and Child Exploitation Audit"),
    ('The national review "The Myth of Invisible Men" was discussed.', "national review", "The Myth of Invisible Men"),
    # a sentence's first word is no title, nor a kind alone, nor a place alone
    ("These reviews identified the following areas:", "learning review", ""),
    ("The Spotlight Audit found that:", "multi-agency audit", ""),
    ("The Northfield Audit found that:", "multi-agency audit", ""),
    ("The audit found that:", "multi-agency audit", ""),
    # a pseudonymous kind is named by its pseudonym, never by a title
    ("The Repeat Contacts Rapid Review found:", "rapid review", ""),
])
def test_a_title_says_what_the_review_was_about(text, kind, title):
    assert review_title(text, kind, LOWER) == title


@pytest.mark.parametrize("name,own", [
    ("Child Q", True), ("Repeat Contacts Spotlight Audit", True), ("The Myth of Invisible Men", True),
    ("Multi-agency audit (2024-25)", False), ("Rapid review (2021-22)", False), ("Review", False),
])
def test_a_name_is_its_own_unless_it_is_the_kind_and_year(name, own):
    assert has_own_name(name) is own


def test_review_grouping_counts_pairs_of_points_merged_or_split_against_the_labels():
    from evals.learning_eval import review_grouping

    labels = [{"doc": "d", "review": "audit A", "quote": "alpha beta gamma"},
              {"doc": "d", "review": "audit A", "quote": "delta epsilon zeta"},
              {"doc": "d", "review": "audit B", "quote": "eta theta iota"},
              {"doc": "d", "review": "audit B", "quote": "not extracted at all"}]
    one = {"d": [("Multi-agency audit (2024-25)", ["alpha beta gamma", "delta epsilon zeta", "eta theta iota"])]}
    assert review_grouping(labels, one) == (1, 2, 0)  # A-A right, both A-B pairs merged
    titled = {"d": [("A Audit", ["alpha beta gamma", "delta epsilon zeta"]), ("B Audit", ["eta theta iota"])]}
    assert review_grouping(labels, titled) == (1, 0, 0)
