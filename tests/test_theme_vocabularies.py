"""The candidate theme vocabularies that evals.fit_themes compares with the served keywords."""

from __future__ import annotations

import re

import pytest

from evals.fit_themes import KEYS, fold_keywords, keywords_of
from evals.theme_audit import alternatives
from evals.theme_vocabularies import FIELD, FIELD_EXAMPLES, GENERIC, _without, vocabularies
from qa.theme_examples import EXAMPLES
from qa.themes import keyword_themes

# What evals.theme_audit removed as lifted from the test collection (docs/learning.md), as text.
REMOVED = ("explained away", "asked who", "no professional asked", "not shared", "did not go with", "brought together",
           "held by different agencies", "daily life", "child's own words", "mother's partner", "mother's new partner",
           "person causing harm", "malnutrition", "dental", "desensitised", "poverty", "pornography", "knife", "stabbed",
           "stabbing", "resolution", "not attending school", "approaching 18", "at 18", "moved to secondary")


def test_every_candidate_names_every_theme_and_compiles_whole():
    for name, vocabulary in vocabularies().items():
        assert set(vocabulary) == set(KEYS), name
        for key, pattern in vocabulary.items():
            assert "|".join(alternatives(pattern)) == pattern and re.compile(pattern), (name, key)


@pytest.mark.parametrize("key", KEYS)
def test_the_field_vocabulary_matches_whole_words_and_names_its_themes_examples(key):
    assert all(a.startswith(r"\b") or a.startswith(r"(?-i:\b") for a in alternatives(FIELD[key]))
    assert any(key in keywords_of(FIELD)(s) for s in EXAMPLES[key] + FIELD_EXAMPLES[key])
    assert len(FIELD_EXAMPLES[key]) == 3


def test_the_field_vocabulary_holds_nothing_the_audit_removed():
    kw = keywords_of(FIELD)
    assert {phrase: kw(phrase) for phrase in REMOVED if kw(phrase)} == {}


def test_whole_words_only():
    kw = keywords_of(FIELD)
    assert kw("The father was not assessed.") == ["fathers-male-carers"]
    assert kw("godfathers and scrutiny of thresholding") == []  # no word starts inside another
    assert kw("we send referrals") == [] and kw("children with SEND") == ["send-neurodiversity"]


def test_a_strict_candidate_drops_the_generic_words_and_only_those():
    strict = vocabularies()["field, strict"]
    for key, drop in GENERIC.items():
        assert not set(drop) & set(alternatives(strict[key]))
    assert strict["neglect"] == _without(FIELD["neglect"], (r"\bdrift\b",))
    with pytest.raises(ValueError, match=re.escape(r"not an alternative of the pattern: \bnope")):
        _without(FIELD["neglect"], (r"\bnope",))


def test_the_served_vocabulary_is_the_default_and_fold_keywords_take_a_candidate():
    assert keywords_of(None) is keyword_themes and vocabularies()["served"]
    pages = {"a.pdf": ["a baby slept"], "b.pdf": ["cuckooing"]}
    assert fold_keywords(pages, "b.pdf", FIELD)("cuckooing of a baby") == ["safe-sleep"]
    assert fold_keywords(pages, "a.pdf", FIELD)("cuckooing of a baby") == ["exploitation"]
