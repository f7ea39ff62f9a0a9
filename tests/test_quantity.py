"""Figure questions: which passages state the figure asked for (qa.quantity)."""

import pytest

from qa.quantity import has_figure, place_matches, wants_figure


@pytest.mark.parametrize("question,expected", [
    ("How many rapid reviews were there?", True),
    ("How much did the partnership spend on training?", True),
    ("What percentage of schools responded?", True),
    ("How often did the board meet?", True),
    ("What were the priorities for 2022/23?", False),
    ("Who chaired the partnership?", False),
])
def test_wants_figure(question, expected):
    assert wants_figure(question) is expected


@pytest.mark.parametrize("text,question,expected", [
    # the counted thing beside the figure
    ("The Partnership carried out six rapid reviews following a notification.", "How many rapid reviews were there?", True),
    ("The Board published one Serious Case Review in 2019.", "How many rapid reviews were there?", False),
    ("Feedback was received from 167 practitioners.", "How many people gave feedback?", True),
    ("Training reached almost two thousand (1949) individuals.", "How many people attended training?", True),
    ("The 8 Community Safety Partnerships manage the Domestic Homicide Review process.",
     "How many domestic homicide reviews were carried out?", False),
    ("The Partnership carried out one Rapid Review in the period.", "How many domestic homicide reviews were there?", False),
    ("Of 1,000 senior leaders in schools, most attended.", "How many school leaders attended?", True),
    ("In 2023, reforms to Children's Social Care began.", "How many children were on plans?", False),
    # digits that are not counts
    ("The impact of COVID-19 was reviewed in March 2020.", "How many reviews were held?", False),
    ("At the start of 2020 practitioners were surveyed.", "How many practitioners gave feedback?", False),
    ("A single funding arrangement for 2020 onwards has been agreed.", "How much funding was agreed?", False),
    ("The report covers 1 April 2021 to 31 March 2022.", "How many plans were there?", False),
    ("Contact: Telephone: 0116 305 6340", "How many children were referred?", False),
    ("It follows Working Together 2018 and Section 47 of the Children Act.", "How many enquiries were made?", False),
    ("Pupils in Year 7 were asked about online safety.", "How many pupils were asked?", False),
    # a label is never written with a thousands separator
    ("During the year 1,284 practitioners attended training.", "How many practitioners attended training?", True),
    # money, shares and frequency
    ("Training 33,673 YPAG 1,798", "How much was spent on YPAG?", True),
    ("50% of Rutland's education sector returned their response.", "What percentage of schools responded?", True),
    ("Schools returned their response.", "What percentage of schools responded?", False),
    ("The LRLSCB has met 4 times during 2015/16.", "How many times did the LSCB meet?", True),
    # a draft's placeholder is no figure; "how many" is not answered by a share or a sum
    ("XX% of schools in Leicestershire returned the survey.", "What percentage of schools responded?", False),
    ("Checks were made for almost 20% of schools.", "What percentage of schools responded?", True),
    ("All schools were sent the survey.", "What percentage of schools responded?", False),
    ("50% of children were seen within a week.", "How many children were seen?", False),
    ("74% of families reported their needs were fully met.", "How many times did the board meet?", False),
    ("Number of REFERRALS to Children's Social Care from: EDUCATION 1071 HEALTH 1171",
     "How many referrals to Children's Social Care came from education?", True),
    ("The LRLSCB has met 4 times during 2015/16.", "How many times did the board meet?", True),
    ("Leicestershire is made up of 7 council areas.", "How much did Leicester City Council contribute?", False),
    ("Leicester City Council 84,307", "How much did Leicester City Council contribute?", True),
    ("Councils ran campaigns over the past 2 years.", "How has the council's contribution changed?", False),
    ("Training was delivered to almost two thousand (1949) individuals.", "How has spending on training changed?", False),
    ("Training 2500 Case Reviews", "How has spending on training changed?", True),
    ("100% of children educated at home were checked.", "How has the council's contribution changed?", False),
    ("The shares of funding are 45%, CCGs 30% and Police 25%.", "How was the funding shared?", True),
    ("The Safeguarding Babies priority has been in place since 2021-22.", "How long has it been a priority?", True),
    ("These have taken longer than the statutory six months.", "How long did the reviews take?", True),
    ("Safeguarding babies remains a priority of the partnership.", "How long has it been a priority?", False),
])
def test_has_figure(text, question, expected):
    assert has_figure(text, question) is expected


# Place words come from the indexed documents' organisations (qa.quantity.places_of), never from code.
PLACES = {"northfield": "northfield", "southmoor": "southmoor", "national": "national", "nationally": "national"}


def test_place_matches_only_rejects_other_places():
    assert place_matches("Training reached 120 staff.", "How many staff in Southmoor?", places=PLACES)
    assert place_matches("In Northfield & Southmoor 120 staff", "How many staff in Southmoor?", places=PLACES)
    assert not place_matches("In Northfield 92,000 children", "How many children in Southmoor?", places=PLACES)
    assert not place_matches("Nationally 92,000 children", "How many children in Southmoor?", places=PLACES)
    assert place_matches("In Northfield 92,000 children", "How many children in Southmoor?")  # no places known


def test_a_figure_about_another_place_does_not_answer():
    q = "How many children in Southmoor were home educated?"
    assert not has_figure("As many as 92,000 children were taught from home nationally.", q, PLACES)
    assert has_figure("In Southmoor 412 children were taught from home.", q, PLACES)


def test_places_come_from_the_indexed_organisations():
    from types import SimpleNamespace

    from ingest.model import Organisation
    from qa.quantity import places_of

    doc = SimpleNamespace(organisation=Organisation("Northfield & Southmoor Safeguarding Children Partnership", ("NSSCP",),
                                                    "Northfield & Southmoor", ("Northfield County Council",)))
    store = SimpleNamespace(chunks=[], documents={"d": doc})
    assert places_of(store) == {"national": "national", "nationally": "national", "northfield": "northfield",
                                "southmoor": "southmoor"}


def test_a_count_of_people_must_come_from_a_passage_about_those_people():
    from qa.quantity import about_the_counted

    q = "How many children in Leicestershire were electively home educated in 2024-25?"
    assert not about_the_counted("There were 120,090 children under the age of 15 in Leicestershire.", q, 0.3)
    assert about_the_counted("In 2024-25, 1,417 children were electively home educated.", q, 0.3)
    # not a count of people: nothing to check
    assert about_the_counted("anything", "How many rapid reviews were there?", 0.3)


def test_the_number_of_a_thing_counts_it_however_long_the_clause():
    q = "How did the number of contacts to children's social care change?"
    # "the number of contacts ... to 1098": 1098 counts contacts, eleven words on
    assert has_figure("The number of contacts received in Rutland Children's Social Care has increased in 2024-25 to 1098.", q)
    # another figure or a sentence break in between: the later figure counts something else
    assert not has_figure("The number of contacts received by the newly formed front door team in the county, which employs 12 workers, rose to 1098.", q)
    assert not has_figure("The number of contacts received rose sharply. Over the year the teams in Rutland logged 1098 visits.", q)
    assert not has_figure("The number of referrals received in Rutland Children's Social Care has increased in 2024-25 to 1098.", q)


def test_how_many_times_wants_how_often_not_a_count_of_the_things_named():
    q = "How many times has the leaflet been read?"
    assert not has_figure("There are 3 leaflets for parents.", q)  # counts leaflets
    assert not has_figure("It was shared with 40 parents.", q)  # counts people
    assert not has_figure("Feedback on one of the leaflets was good.", q)
    assert has_figure("The leaflet has had over 900 views since it was published.", q)
    assert has_figure("The board met four times.", "How many times did the board meet?")


def test_a_place_is_also_what_the_passages_write_after_in_and_only_capitalised():
    from types import SimpleNamespace

    from qa.quantity import places_of

    chunks = [SimpleNamespace(text="Rates in Westmarch rose. Across Westmarch, 40 schools."),
              SimpleNamespace(text="In March and in March again; in Training we trust, as training goes.")]
    store = SimpleNamespace(chunks=chunks, documents={})
    assert places_of(store) == {"national": "national", "nationally": "national", "westmarch": "westmarch"}


def test_unlinked_any_figure_of_the_asked_kind_counts_wherever_the_counted_thing_is():
    question = "How many children were being home educated in Southmoor at the end of March 2021?"
    far = ("The number of children who are electively home educated in Southmoor rose from 287 at "
           "31 March 2020 to 412 at 31 March 2021.")
    assert not has_figure(far, question)  # "children" is too far from the figure to be linked
    assert has_figure(far, question, linked=False)
    # The kind asked for still holds: a sum of money is not a count, a year is not a figure.
    assert not has_figure("The council contributed £112,633 in 2022/23.", question, linked=False)
    assert not has_figure("The strategy ran from 2020 to 2023.", question, linked=False)


def test_a_count_right_before_its_noun_still_needs_the_kind_asked_for():
    question = "How many Prevent referrals were made for children in 2022-23?"
    assert not has_figure("4 referrals were made to children's social care.", question)
    assert has_figure("There were 12 Prevent referrals for children.", question)
    assert has_figure("The Prevent team received 12 referrals.", question)
