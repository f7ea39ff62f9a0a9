"""QA logic as a spec: time expressions, follow-ups, fusion, expansion; then the engine on real reports."""

from __future__ import annotations

import pytest

from ingest.errors import QueryError
from qa.expand import expand, expansions
from qa.followup import followup_query, implied_periods
from qa.fusion import reciprocal_rank_fusion
from qa.intent import parse_intent
from qa.periods import TimeAsk, read_time, strip_time, time_scope

AVAILABLE = ["2015-16", "2019-20", "2021-22", "2024-25"]


@pytest.mark.parametrize("question,periods,trend", [
    ("How many people were trained in 2021-22?", ("2021-22",), False),
    ("What happened in 2021/22?", ("2021-22",), False),
    ("What happened in 2019-2020?", ("2019-20",), False),
    ("What has changed since 2019?", ("2019-20", "2021-22", "2024-25"), True),
    ("Compare audits between 2015/16 and 2024-25", AVAILABLE, True),
    ("What does the most recent report say about training?", ("2024-25",), False),
    ("What did the latest report say?", ("2024-25",), False),
    ("What did the oldest report say?", ("2015-16",), False),
    ("How did training attendance change?", (), True),
    ("What was the budget in 2022?", ("2021-22",), False),
    # A range from a calendar year starts with the report that starts in it; from January to
    # March of a year, with the report that ends then.
    ("How did referrals change between 2019 and 2024?", ("2019-20", "2021-22", "2024-25"), True),
    ("How did referrals change between March 2016 and March 2022?", ("2015-16", "2019-20", "2021-22"), True),
    # No report starts in the first year named: the one ending in it (January to March) is about it.
    ("How did audits change between the 2020 audit and the 2022 re-audit?", ("2019-20", "2021-22"), True),
    ("What has changed since 2016?", ("2015-16", "2019-20", "2021-22", "2024-25"), True),
    # Years listed after "between" are those years, not the span from the first to the last.
    ("How has spending changed between 2015/16, 2021/22 and 2024-25?", ("2015-16", "2021-22", "2024-25"), True),
    ("How did referrals change between 2015, 2019 and 2024?", ("2015-16", "2019-20", "2024-25"), True),
])
def test_time_words_resolved_against_the_reports(question, periods, trend):
    scope = time_scope(parse_intent(question).time, AVAILABLE)
    assert scope.periods == tuple(periods)
    assert scope.trend is trend


def test_periods_the_reports_do_not_cover_are_kept_apart():
    scope = time_scope(read_time("How many referrals were there in 2017-18?"), AVAILABLE)
    assert scope.periods == () and scope.mentioned == ("2017-18",)


@pytest.mark.parametrize("question,ask", [
    ("What happened in 2021/22 and 2023?", TimeAsk(ranges=("2021-22",), years=(2023,))),
    ("What has changed since 2019?", TimeAsk(bounds=(2019, None), trend=True, bare_lo=True)),
    ("What happened before 2020?", TimeAsk(bounds=(None, 2019))),
    ("Compare audits between 2015/16 and 2024-25", TimeAsk(bounds=(2015, 2024), trend=True)),
    ("What did the most recent report say?", TimeAsk(latest=True)),
    ("What did the oldest report say?", TimeAsk(earliest=True)),
])
def test_time_words_are_read_once_before_any_reports(question, ask):
    assert read_time(question) == ask


@pytest.mark.parametrize("question,followup,relation", [
    ("and the year before?", True, "before"),
    ("What about the following year?", True, "after"),
    ("and in 2019-20?", True, ""),
    ("How many people attended the training courses run by the partnership in 2021-22?", False, ""),
])
def test_the_intent_says_whether_a_question_follows_on(question, followup, relation):
    intent = parse_intent(question)
    assert (intent.followup, intent.relation) == (followup, relation)


def test_strip_time_leaves_the_topic():
    assert strip_time("How many participants attended training in 2019/20?") == "How many participants attended training ?"
    # "report" goes with its year, but not the start of another word
    assert strip_time("What did the panel publish during the 2019-20 reporting period?") == \
        "What did the panel publish during reporting period?"
    assert strip_time("How did it change between the 2015/16 and 2024-25 reports?") == "How did it change between ?"


@pytest.mark.parametrize("history,question,expected_periods", [
    (["How many people attended training in 2021-22?"], "and the year before?", ["2019-20"]),
    (["How many people attended training in 2019-20?"], "and the following year?", ["2021-22"]),
    (["How many people attended training in 2015-16?"], "and the year before?", []),
])
def test_follow_ups_use_the_previous_question(history, question, expected_periods):
    intent, previous = parse_intent(question), parse_intent(history[-1])
    periods = implied_periods(intent, previous, AVAILABLE)
    query = followup_query(intent, previous, bool(periods))
    assert "training" in query and "2021" not in query
    assert periods == expected_periods


def test_a_question_that_stands_alone_is_left_alone():
    intent, previous = parse_intent("What were the priorities in 2024-25?"), parse_intent("Anything")
    assert implied_periods(intent, previous, AVAILABLE) == []
    assert followup_query(intent, previous, False) == "What were the priorities in 2024-25?"


def test_reciprocal_rank_fusion_by_hand():
    # a: 1/(60+1) + 1/(60+2); b: 1/(60+2) + 1/(60+1); c: 1/(60+3)
    fused = dict(reciprocal_rank_fusion([[1, 2, 3], [2, 1]], k=60))
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[3] == pytest.approx(1 / 63)
    assert reciprocal_rank_fusion([[5], [7, 5]], k=1)[0] == (5, pytest.approx(1 / 2 + 1 / 3))
    with pytest.raises(ValueError, match="k must be positive"):
        reciprocal_rank_fusion([[1]], k=0)


def test_expansion_adds_report_words():
    assert "expenditure" in expansions("How much did they spend?")
    assert expand("no synonyms here") == "no synonyms here"
    # irregular verbs, which the stemmer keeps apart, both ways
    assert "met" in expansions("How often did the board meet?")
    assert "meet" in expansions("When the board met")
    assert "care" in expansions("How many children looked after?")  # the reports' "children in care"


# ---- the engine on the bundled reports ---------------------------------------------------

def test_training_trend_gives_every_report_oldest_first_with_its_figure(engine):
    resp = engine.ask("How did training attendance change?")
    assert resp["answerable"]
    lines = [ln for ln in resp["answer"].split("\n") if ln.startswith("- ")]
    periods = [ln[2:9] for ln in lines]
    assert periods == sorted(periods) and {"2015-16", "2019-20", "2021-22"} <= set(periods)
    quotes = {c["period"]: c["quote"] for c in resp["citations"]}
    assert "1,286" in quotes["2015-16"] and "46" in quotes["2015-16"]
    assert "1,200" in quotes["2019-20"] and "44" in quotes["2019-20"]
    assert "1949" in quotes["2021-22"] and "98" in quotes["2021-22"]
    for c in resp["citations"]:
        assert f"[{c['n']}]" in resp["answer"]


def test_a_year_in_the_question_filters_the_citations(engine):
    resp = engine.ask("What were the training figures in 2024-25?")
    assert resp["citations"] and {c["period"] for c in resp["citations"]} == {"2024-25"}


def test_follow_up_through_the_engine(engine):
    resp = engine.ask("and the year before?", history=["How many individuals attended training in 2021-22?"])
    assert resp["citations"] and {c["period"] for c in resp["citations"]} == {"2019-20"}


def test_learning_mode_cites_only_review_learning(engine, store):
    from qa.catalogue import engine_catalogue

    resp = engine.ask("What themes came out of the reviews?", mode="learning")
    assert resp["answerable"] and resp["citations"]
    learning = {(p["doc_id"], p["quote_start"], p["quote_end"]) for p in engine_catalogue(engine).points if p["type"] == "learning"}
    for c in resp["citations"]:  # each a learning point of the catalogue of reviews (qa.learning_answer)
        assert (c["doc_id"], c["quote_start"], c["quote_end"]) in learning


@pytest.mark.parametrize("question, reply", [
    ("What did the 2017-18 report say about neglect?", "The reports do not say: they do not cover 2017-18."),
    ("What is the capital of France?", "The reports do not mention “capital”."),  # qa.focus
    ("How many goals did Leicester City score last season?", "The reports do not mention “goals”."),
])
def test_abstains_when_the_reports_do_not_say(engine, question, reply):
    resp = engine.ask(question)
    assert resp["answerable"] is False and resp["citations"] == []
    assert resp["answer"].startswith(reply)
    assert "The reports cover 2015-16, 2019-20, 2021-22 and 2024-25." in resp["answer"]


@pytest.mark.parametrize("kwargs,message", [
    ({"question": ""}, "question is empty"),
    ({"question": "x" * 10_000}, "question is longer than 2000 characters"),
    ({"question": "q", "top_k": 50}, "top_k must be between 1 and 20"),
    ({"question": "q", "mode": "poem"}, "unknown mode 'poem'"),
    ({"question": "q", "filters": {"year": "2021"}}, "unknown filter 'year'"),
    ({"question": "q", "filters": {"period": ["1999-00"]}}, "unknown period '1999-00'"),
])
def test_engine_checks_its_parameters(engine, kwargs, message):
    with pytest.raises(QueryError, match=message):
        engine.ask(**kwargs)


def test_differences_only_for_like_units_with_the_arithmetic():
    from qa.trend import describe_gaps, differences, figures, uncovered_years

    rows = [
        ("2015-16", "In 2015/16 1,286 people participated in the 46 events in the programme."),
        ("2019-20", "In total 44 courses were delivered with around 1,200 participants."),
        ("2021-22", "Training reached almost two thousand (1949) individuals over 98 training events."),
        ("2024-25", "The programme delivered 88 courses to over 1609 attendees."),
    ]
    assert [(f.text, f.unit) for f in figures(rows[2][1])] == [("1949", "individual"), ("98", "event")]
    assert differences(rows) == ["events: 98 (2021-22) − 46 (2015-16) = 52", "courses: 88 (2024-25) − 44 (2019-20) = 44"]
    assert differences([("2019-20", "10 audits and 12 audits"), ("2021-22", "14 audits")]) == []
    assert uncovered_years(["2015-16", "2019-20", "2021-22"]) == ["2016-17", "2017-18", "2018-19", "2020-21"]
    assert describe_gaps(["2016-17", "2017-18", "2018-19", "2020-21"]) == "2016-17 to 2018-19 and 2020-21"
    assert describe_gaps(["2020-21"]) == "2020-21"
    assert describe_gaps([]) == ""
    assert figures("£327,594 in 2021 and 31 March 2020") == [figures("£327,594")[0]]


def test_figures_of_a_like_size_compare_and_a_factor_of_ten_does_not():
    from qa.trend import amounts, scale_closeness

    assert amounts("a partnership bid of £1.23 million over the next two years") == [("", 1_230_000.0)]
    assert amounts("31% of the total budget of £327,126 in 2021/22") == [("%", 31.0), ("", 327_126.0)]
    budget, income, bid = amounts("a budget of £326,030"), amounts("Total Income 242,435"), amounts("£1.23 million")
    assert scale_closeness(budget, income) == 1.0  # within a factor of two: a year's ups and downs
    assert scale_closeness(amounts("1949 individuals"), amounts("Training 48,100")) == 0.0
    assert 0.0 < scale_closeness(bid, income) < 0.5
    assert scale_closeness(amounts("45% of the budget"), income) is None  # a share is not a sum


def test_a_years_row_states_a_figure_the_size_of_the_other_years(engine):
    # The 2015-16 report's £1.23 million bid scores higher for "partner funding" than its budget
    # of £326,030, but the other reports' rows are total incomes of £200,000 to £330,000.
    resp = engine.ask("How has total partner funding for the partnership changed between 2015/16, 2019/20, "
                      "2021/22 and 2024-25?")
    assert "£326,030" in resp["answer"] and "£1.23 million" not in resp["answer"]
    resp = engine.ask("How has spending on training changed between 2019/20, 2021/22 and 2024-25?")
    assert "48,100" in resp["answer"] and "1949" not in resp["answer"]


def test_a_report_gets_a_second_row_for_what_its_first_row_does_not_say(engine):
    # The 2021-22 reports give the council's 2021/22 contribution in a table and its 2022/23 one
    # in the cabinet report: both are quoted under 2021-22.
    resp = engine.ask("How has Leicestershire County Council's financial contribution changed across the reports?")
    assert "102,496" in resp["answer"] and "£112,633" in resp["answer"]
    assert resp["answer"].count("\n- ") + 1 == 3  # still one bullet per report


@pytest.mark.parametrize("question,date,as_list", [
    ("When was the festival held?", True, False),
    ("In 2021-22, when was the festival held?", True, False),
    ("What were the partnership's priorities?", False, True),
    ("In 2022-23, what were the partnership's priorities?", False, True),
    ("How many courses ran, and when?", False, False),  # a lead-in ends at its comma; this is no lead-in
])
def test_a_lead_in_clause_does_not_hide_what_is_asked(question, date, as_list):
    intent = parse_intent(question)
    assert (intent.date, intent.as_list) == (date, as_list)
