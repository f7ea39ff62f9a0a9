"""Years are evidence, not a veto: a year no report covers is declined only when no passage names it."""

from __future__ import annotations

import pytest

from qa.periods import mention_pattern


@pytest.mark.parametrize("text, named", [
    ("contributes £112,633 in 2022/23", True), ("the 2022-23 budget", True), ("from 2022 to 2023", True),
    ("2022-2023 figures", True), ("in 2021-22 and 2023-24", False), ("20222-23", False), ("2022", False),
])
def test_every_written_form_of_a_year_is_found(text, named):
    assert bool(mention_pattern("2022-23").search(text)) is named


def test_a_later_year_stated_in_an_earlier_paper_is_answered_from_it(engine):
    resp = engine.ask("How much did the County Council contribute in 2022/23?")
    assert resp["answerable"], resp["answer"]
    assert "£112,633" in resp["answer"]
    assert any("2022/23" in c["quote"] for c in resp["citations"])


def test_next_years_priorities_come_from_the_report_that_lists_them(engine):
    resp = engine.ask("What were the priorities for 2016/17?")
    assert resp["answerable"], resp["answer"]
    assert all(c["period"] == "2015-16" for c in resp["citations"])


def test_a_year_no_passage_names_is_still_declined(engine):
    resp = engine.ask("How many children were on child protection plans in 2031-32?")
    assert not resp["answerable"] and "2031-32" in resp["answer"]


def test_a_figure_for_another_year_must_be_stated_beside_that_year(engine):
    # The 2024-25 report names 2023-24 a sentence before a figure about something else.
    resp = engine.ask("How many people attended multi-agency safeguarding training courses in 2023-24?")
    assert not resp["answerable"] and "2023-24" in resp["answer"]
