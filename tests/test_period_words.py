"""A question's reporting years, however written: the forms reports use are the forms people ask in."""

from __future__ import annotations

import pytest

from qa.periods import dated_periods, mention_pattern, named_periods, read_time, strip_time, time_scope

FORMS = ["2022-23", "2022/23", "2022/2023", "2022-2023", "2022 - 23", "2022 – 2023", "2022—23", "2022 to 2023"]


@pytest.mark.parametrize("written", FORMS)
def test_every_written_form_names_one_reporting_year(written):
    question = f"How many referrals were there in {written}?"
    assert named_periods(question) == ["2022-23"]
    ask = read_time(question)
    assert (ask.ranges, ask.years, ask.bounds) == (("2022-23",), (), None)
    assert time_scope(ask, ["2021-22", "2022-23", "2023-24"]).periods == ("2022-23",)
    assert strip_time(question) == "How many referrals were there ?"
    assert mention_pattern("2022-23").search(f"Referrals in {written} rose.")


@pytest.mark.parametrize("text,periods", [
    ("2022 to 2024", []),  # two years: no one reporting year
    ("2022 to 23 children", []),  # "to" needs a four-digit year after it
    ("from 1999 to 2000", ["1999-00"]),
    ("2099-00", ["2099-00"]),  # a century's turn
    ("2022-03-31", []),  # a date, not a range
])
def test_what_is_not_one_reporting_year(text, periods):
    assert named_periods(text) == periods


def test_bare_years_and_between_are_read_as_before():
    assert read_time("What happened in 2022 and 2023?").years == (2022, 2023)
    assert read_time("How did referrals change between 2019 and 2023?").bounds == (2019, 2023)  # years starting then


def test_a_mention_of_another_year_is_not_this_one():
    assert not mention_pattern("2022-23").search("In 2021 to 2022 and 2023-24 referrals rose.")


@pytest.mark.parametrize("question,periods", [
    ("How many referrals were there from April 2022 to March 2023?", ("2022-23",)),
    ("How many referrals were there from 1st April 2022 to 31st March 2023?", ("2022-23",)),
    ("How many referrals were there in Apr 2022 - Mar 2023?", ("2022-23",)),
    ("How many referrals were there in the year ending 31 March 2023?", ("2022-23",)),
    ("How many referrals were there in the year to March 2023?", ("2022-23",)),
    # a calendar year overlaps two reporting years, as a bare year does
    ("How many referrals were there from January 2022 to December 2022?", ("2021-22", "2022-23")),
])
def test_a_span_of_dates_names_the_reporting_years_it_overlaps(question, periods):
    ask = read_time(question)
    assert (ask.ranges, ask.years, ask.bounds) == (periods, (), None)
    assert strip_time(question) == "How many referrals were there ?"


def test_a_span_of_dates_and_a_range_are_both_read():
    ask = read_time("How many referrals were there from April 2022 to March 2023 and in 2024-25?")
    assert (ask.ranges, ask.years) == (("2022-23", "2024-25"), ())


def test_a_span_longer_than_fifteen_months_is_a_range_of_years():
    assert dated_periods("from April 2019 to March 2022") == ([], "from April 2019 to March 2022")
    ask = read_time("How did referrals change from April 2019 to March 2022?")
    assert ask.bounds is not None and ask.ranges == ()
