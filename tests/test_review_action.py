"""A question naming a review and asking a second thing also quotes what was done after it
(qa.single_answer._with_review_action, from the learning catalogue's action points)."""

from qa.catalogue import engine_catalogue


def _actions(engine, review: str) -> set[str]:
    return {p["quote"] for p in engine_catalogue(engine).points if p["type"] == "action" and p["review"] == review}


def test_a_named_review_asked_two_things_quotes_its_action(two_partnership_engine):
    actions = _actions(two_partnership_engine, "Child J")
    assert actions  # the catalogue found what was done after the review
    res = two_partnership_engine.ask(
        "What did the Child J review find about harmful sexual behaviour, and what did the partnership do?")
    quotes = [c["quote"] for c in res["citations"]]
    assert res["answerable"] and quotes[0] not in actions
    assert any(q in actions for q in quotes[1:])
    assert len(quotes) == len(set(quotes))  # no quote twice


def test_one_thing_asked_adds_no_action(two_partnership_engine):
    actions = _actions(two_partnership_engine, "Child J")
    res = two_partnership_engine.ask("What did the Child J review find about harmful sexual behaviour?")
    assert res["answerable"] and not any(c["quote"] in actions for c in res["citations"])
