"""Name questions and organisation questions (qa.entities), and list questions (qa.answer)."""

import pytest

from qa.acronyms import alias_groups, with_aliases
from qa.intent import asks_two_things, is_list_question, parse_intent
from qa.entities import has_name, names_subject, proper_words, subject_of, wants_name

CORPUS = [
    "Report of the Independent Advisor, Kay Whyte-Bell. The advisor met the board.",
    "Officers to Contact Jane Moore, Director of Children and Family Services.",
    "Chairs and Deputy Chairs have been agreed. The deputy chairs rotate. Training was held.",
    "This report describes the training offer.",
    "Leicestershire County Council 84,307 Rutland County Council 53,034. The county council paid.",
]


@pytest.mark.parametrize("question,expected", [
    ("Who was the Independent Advisor to the partnership in 2021-22?", True),
    ("What is the name of the Independent Scrutineer?", True),
    ("Who is the named contact officer on the report?", True),
    ("Who started chairing the joint partnership instead of the independent advisor?", False),
    ("Who provided independent scrutiny in 2015/16 and 2024-25?", False),
    ("How many rapid reviews were there?", False),
    # The question may open with a lead-in clause.
    ("Under the 2023 arrangements, who are the lead partners for health?", True),
    ("In 2021-22, who chaired the board?", True),
    ("How many reviews were there, and who led them?", False),
])
def test_wants_name(question, expected):
    assert wants_name(question) is expected


def test_proper_words_are_never_lower_case():
    proper = proper_words(CORPUS)
    assert {"Kay", "Whyte-Bell", "Jane", "Moore", "Leicestershire", "Rutland"} <= proper
    # sentence openers and words also used in lower case are not names
    assert not {"Training", "Deputy", "Chairs", "Report", "County", "Council"} & proper


@pytest.mark.parametrize("text,expected", [
    ("Report of the Independent Advisor, Kay Whyte-Bell", True),
    ("Officers to Contact Jane Moore, Director of Children and Family Services", True),  # overlapping pairs
    ("Chairs and Deputy Chairs have been agreed until 2029-30.", False),
    ("The Independent Advisor leads the scrutiny.", False),
])
def test_has_name(text, expected):
    assert has_name(text, proper_words(CORPUS), exclude="Who was the Independent Advisor?") is expected


def test_a_name_in_the_question_is_not_the_answer():
    proper = proper_words(CORPUS)
    assert not has_name("Kay Whyte-Bell reported.", proper, exclude="What did Kay Whyte-Bell report?")


def test_how_much_did_an_organisation_pay_needs_that_organisation():
    subject = subject_of("How much did Leicester City Council contribute in 2024-25?")
    assert subject == ["leicest", "citi", "council"]
    assert not names_subject("Leicestershire County Council £66,258", subject)
    assert names_subject("Leicester City Council £70,000", subject)
    assert subject_of("How much did the partnership spend on training?") == []
    assert names_subject("anything", [])


def test_an_acronym_names_a_subject_when_its_expansion_alone_does():
    acronyms = {"LRLSCB": "Leicestershire and Rutland Local Safeguarding Children Board"}
    assert names_subject("The LRLSCB has met 4 times.", subject_of("How many times did the Leicestershire board meet?"), acronyms)
    county = subject_of("How much did Leicestershire County Council contribute?")
    # the acronym gives "Leicestershire", the text "County ... Councils": not the council named
    assert not names_subject("The LRLSCB worked with County Youth Councils; budget £326,030.", county, acronyms)


@pytest.mark.parametrize("question,expected", [
    ("What were the five business plan priorities set by the LRLSCB for 2015/16?", True),
    ("Which teams come under Leicestershire's Family Help umbrella in 2024-25?", True),
    ("What changes were made to the partnership arrangements after September 2019?", True),
    ("List the subgroups of the partnership.", True),
    ("How many people went on multi-agency courses in 2021-22?", False),
    ("How quickly did the safeguarding partners react when lockdown started?", False),
    ("What changed about the Independent Advisor's role in 2019-20?", False),
    ("Which resource had the lowest practitioner awareness?", False),
    ("How has children's mental health featured in the partnership's priorities?", False),
])
def test_is_list_question(question, expected):
    assert is_list_question(question) is expected


@pytest.mark.parametrize("question,expected", [
    ("How many contacts did schools make in 2015/16, and how much was that up on the year before?", True),
    ("What actions were agreed after the rapid review, and did it lead to a practice review?", True),
    ("How many early help assessments were there and how many referrals came from health?", True),
    ("How many children in Leicestershire and Rutland were on a plan?", False),
    ("How many practitioners attended the events in 2024-25?", False),
])
def test_asks_two_things(question, expected):
    assert asks_two_things(question) is expected


@pytest.mark.parametrize("question,kind", [
    ("What did the partnership say about neglect in its 2021-22 annual report?", "annual report"),
    ("According to the Cabinet paper, how much did the council contribute?", "cabinet paper"),
    ("What is in the yearly report about training?", "annual report"),
    ("What did the annual report say?", ""),  # a report named, not as the source of a claim
    ("How many courses ran in 2024-25?", ""),
])
def test_the_source_a_question_names(question, kind):
    assert parse_intent(question).source == kind


def test_an_acronym_and_its_long_form_are_one_name_of_the_cover():
    from index.keyword import tokenize

    table = {"SCR": "Serious Case Review", "SCRs": "Serious Case Reviews", "SAB": "Safeguarding Adults Board"}
    groups = alias_groups("How were serious case reviews embedded? SCRs SCR", table)
    assert groups == [(frozenset({"scr", "scrs"}), frozenset({"serious", "case", "review"}))]
    # the long form names the acronyms, and an acronym names the long form
    assert {"scr", "scrs"} <= with_aliases(set(tokenize("Lessons from serious case reviews")), groups)
    assert {"serious", "case", "review"} <= with_aliases(set(tokenize("Learning from SCRs")), groups)
    # a part of the long form is not the name
    assert "scr" not in with_aliases(set(tokenize("The case was reviewed")), groups)


def test_a_councils_own_contribution_names_the_council():
    assert subject_of("How did Rutland County Council's contribution change?") == ["rutland", "counti", "council"]
    assert subject_of("Which teams come under Leicestershire's Family Help umbrella?") == []
    assert subject_of("How has children's mental health featured?") == []


def test_year_rows_prefer_alternatives_that_say_the_same_kind_of_thing():
    import numpy as np

    from ingest.answer_units import Sentence
    from qa.trend import row_scores, second_rows
    from qa.rank import Ranked, ScoredSentence
    from qa.retrieve import Hit

    class Store:  # only what row_scores reads: one sentence vector per chunk row
        sentence_vectors = {0: np.array([[1.0, 0.0]]), 1: np.array([[0.0, 1.0]]), 2: np.array([[1.0, 0.0]])}

    def pick(row, worth):
        s = ScoredSentence(Sentence(row, 0, 10, "x", 0), worth, 0.0, 0.0)
        return (Ranked(Hit(row, 0, 0, 0), worth, (s,)), 0, 10, worth)

    per_period = [("2019-20", [], [pick(1, 1.0), pick(0, 0.9)]), ("2021-22", [], [pick(2, 1.0)])]
    # Alone, 2019-20 would quote row 1; row 0 says what 2021-22's row says, and wins by the weight.
    def rows(weight):  # one row per report: no second rows
        return second_rows(Store(), per_period, row_scores(Store(), per_period, weight), {}, 0, 0, 0)

    assert [c[0][0].row for _, _, c in rows(0.3)] == [0, 2]
    assert [c[0][0].row for _, _, c in rows(0.0)] == [1, 2]


def test_coverage_gain_by_hand():
    from qa.spans import cover_gain

    q_terms = {"leicestershir": 1.0, "rutland": 3.0}
    assert cover_gain(q_terms, {"leicestershir"}, {"leicestershir", "rutland"}) == 0.75
    assert cover_gain(q_terms, {"leicestershir", "rutland"}, {"rutland"}) == 0.0
    assert cover_gain({}, set(), {"x"}) == 0.0


def test_a_second_row_for_a_report_must_add_question_words_and_be_like_the_other_reports_rows():
    from ingest.answer_units import Sentence
    from index.keyword import tokenize
    from qa.trend import second_rows
    from qa.rank import Ranked, ScoredSentence
    from qa.retrieve import Hit

    texts = {0: "serious case reviews", 1: "practice reviews", 2: "serious case reviews again"}

    class Store:  # only what second_rows reads: a pick's text
        def document_text_span(self, row, start, end):
            return texts[row]

    def pick(row, worth):
        s = ScoredSentence(Sentence(row, 0, 10, texts[row], 0), worth, 0.0, 0.0)
        return (Ranked(Hit(row, 0, 0, 0), worth, (s,)), 0, 10, worth)

    q_terms = dict.fromkeys(tokenize("serious case practice reviews"), 1.0)
    per_period = [("2019-20", [], [pick(0, 1.0), pick(1, 0.98), pick(2, 0.99)])]
    rows = lambda scores, margin=0.1: [[p[0].row for p in c] for _, _, c in
                                       second_rows(Store(), per_period, scores, q_terms, 0.95, 0.15, margin)]
    # row 1 adds "practice"; row 2 repeats row 0's words
    assert rows([[1.3, 1.28, 1.29]]) == [[0, 1]]
    # row 1 scores well below row 0: one row
    assert rows([[1.3, 1.0, 1.29]]) == [[0]]
    # row 1 scores nearly as well but is less like the other reports' rows than row 0 (0.27 < 0.3)
    assert rows([[1.3, 1.25, 1.29]], margin=0.1) == [[0, 1]]
    assert rows([[1.3, 1.25, 1.29]], margin=0.0) == [[0]]


def test_who_questions_prefer_a_name_but_may_be_answered_by_a_role():
    from qa.entities import asks_who

    assert asks_who("Who provided independent scrutiny in 2019-20 and 2021-22?")
    assert asks_who("who chaired the board?")
    assert asks_who("In 2019-20, who provided independent scrutiny?")
    assert not asks_who("How many reviews were there, and who led them?")


def test_a_who_trend_names_each_years_person_and_keeps_a_role_where_no_name_fits(engine):
    resp = engine.ask("Who provided independent leadership or scrutiny of local safeguarding arrangements "
                      "in 2015/16, 2019-20, 2021-22 and 2024-25?")
    for name in ("Paul Burnett", "Simon Westwood", "Kay Whyte-Bell"):
        assert name in resp["answer"], resp["answer"]
    # 2024-25 names no scrutineer: its row is about the role, not a capitalised phrase such as
    # "Female Genital Mutilation" that merely looks like a name
    assert "Female Genital" not in resp["answer"]


def test_a_possessive_is_not_a_word_of_the_subject():
    assert subject_of("How many visits did Southmoor's Family Hubs receive?") == subject_of(
        "How many visits did Southmoor Family Hubs receive?")
    assert names_subject("Southmoor opened two Family Hubs.", subject_of("How many visits did Southmoor's Family Hubs receive?"))
