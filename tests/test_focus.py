"""What a question asks the value of, and declining when the reports never name it (qa.focus)."""

import pytest

from index.keyword import tokenize
from qa.focus import asked_phrase, unnamed, unused_words


@pytest.mark.parametrize("question, phrase", [
    ("How many Prevent referrals were made for children in 2022-23?", "Prevent referrals"),
    ("What was the social worker vacancy rate in children's services in 2023-24?", "social worker vacancy rate"),
    ("What is the average caseload of a social worker?", "average caseload"),
    ("What percentage of schools returned the annual return?", "schools"),
    ("How much did the council contribute in 2022/23?", ""),  # the phrase ends at once: no thing named
    ("Who chairs the partnership?", ""),  # no figure cue, no "what is the"
    ("What number of children attended?", "children"),
])
def test_asked_phrase(question, phrase):
    assert asked_phrase(question) == phrase


WORDS = frozenset("the partnership referrals were prevented children's social worker programme rate".split())
STEMS = frozenset(tokenize(" ".join(WORDS)))


@pytest.mark.parametrize("phrase, unused", [
    ("social worker vacancy rate", ["vacancy"]),
    ("Prevent referrals", ["Prevent"]),  # a name must be written itself, not a verb sharing its stem
    ("prevent referrals", []),  # a common word may take any ending the reports use
    ("program attendees", ["attendees"]),  # "program" begins "programme"
    ("Partnership's referrals", []),  # a possessive is not part of the word
    ("Partnerships' referrals", []),
    ("Referrals", []),  # a name written with or without its plural "s"
    ("Rfeerrals", []),  # two neighbouring letters swapped: a typing slip
    ("Pervent", ["Pervent"]),  # not one swap from a word the reports use
    ("rates", []),  # a short word with or without its plural "s"
    ("number figures", []),  # framing words are never reported
    ("", []),
])
def test_unused_words(phrase, unused):
    assert unused_words(phrase, WORDS, STEMS) == unused


def test_document_words_are_read_from_the_documents_asked_about(store):
    docs = sorted(store.documents)
    assert unnamed(store, "How many widget inspections were there?", docs) == ["widget"]
    assert unnamed(store, "How many courses did the training programme deliver?", docs) == []
    assert unnamed(store, "How many widget inspections were there?", []) == []


def test_engine_declines_naming_the_word_no_report_uses(engine):
    res = engine.ask("How many orthodontic referrals were made for children in 2024-25?")
    assert res["answerable"] is False and res["citations"] == []
    assert res["answer"].startswith("The reports do not mention “orthodontic”.")
    # The same question about a thing the reports do name is answered, with citations.
    res = engine.ask("How many courses did the multi-agency training programme deliver in 2024-25?")
    assert res["answerable"] is True and res["citations"]
