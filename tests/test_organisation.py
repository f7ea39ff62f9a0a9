"""Whose report it is: read from each document's own words, named in questions, and answered per
partnership. The place and body names in the tiny inputs are invented."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from ingest.errors import QueryError
from ingest.model import Document, Organisation
from ingest.organisation import area_before, detect_organisation, lower_case_words
from ingest.pdf import extract_pdf_pages
from qa import organisations as orgs
from qa.intent import parse_intent
from tests.conftest import HARTWELL, REPORTS

HEADER = "Eastmere & Westmere Safeguarding Children Partnership - Annual Report 2022-23"
BODY = ("We are pleased to present the report of the Eastmere and Westmere Safeguarding Children Partnership "
        "(EWSCP). The partnership worked with the Northby Safeguarding Children Partnership on training. "
        "Eastmere County Council and Westmere County Council fund the partnership with Northby City Council.")


def pages(*texts: str) -> list[str]:
    """Raw pages, each with the running header a PDF prints on every page."""
    return [f"{HEADER}\nPage {i} of {len(texts)}\n{t}" for i, t in enumerate(texts, start=1)]


# ---- reading a document's organisation -------------------------------------------------------

def test_the_running_header_outweighs_a_neighbour_named_in_the_text():
    org = detect_organisation(HEADER, pages(BODY, "More text about the partnership.", "The end of the report."))
    assert org.area == "Eastmere & Westmere"
    assert org.key == "eastmere and westmere"
    assert org.name in ("Eastmere & Westmere Safeguarding Children Partnership",
                        "Eastmere and Westmere Safeguarding Children Partnership")
    assert org.short_forms == ("EWSCP",)
    assert org.councils == ("Eastmere County Council", "Westmere County Council")  # not Northby's


@pytest.mark.parametrize("text,expected", [
    ("", Organisation()),
    ("The partnership met four times; safeguarding children partnership arrangements changed.", Organisation()),
    ("Published by the Safeguarding Children Partnership.", Organisation()),  # no area before it
    ("Published by the Eastmere Safeguarding Children Partnership (SCP).",  # SCP is not its initials
     Organisation("Eastmere Safeguarding Children Partnership", (), "Eastmere", ())),
    ("Published by the Eastmere Safeguarding Children Partnership (ESCP).",
     Organisation("Eastmere Safeguarding Children Partnership", ("ESCP",), "Eastmere", ())),
    ("CABINET – 16 SEPTEMBER 2022 EASTMERE AND WESTMERE SAFEGUARDING CHILDREN PARTNERSHIP ANNUAL REPORT",
     Organisation("Eastmere and Westmere Safeguarding Children Partnership", (), "Eastmere and Westmere", ())),
    ("The former Eastmere Local Safeguarding Children Board (ELSCB) met.",
     Organisation("Eastmere Local Safeguarding Children Board", ("ELSCB",), "Eastmere", ())),
    ("The Eastmere LSCB and SAB overview.", Organisation("Eastmere LSCB", (), "Eastmere", ())),
])
def test_organisation_table(text, expected):
    assert detect_organisation("", [text]) == expected


def test_a_word_the_document_also_writes_in_lower_case_is_no_place():
    lower = lower_case_words("the partnership and the board")
    assert area_before("Annual Partnership Eastmere ", len("Annual Partnership Eastmere "), lower) == "Eastmere"
    # ... but a web address's lower-case pieces do not count against a place
    text = "See www.eastmere.gov.uk/news. The Eastmere Safeguarding Children Partnership"
    assert detect_organisation("", [text]).area == "Eastmere"


def test_councils_are_those_in_the_area_and_the_typed_name_wins():
    text = ("Eastmere Safeguarding Children Partnership. Eastmere Council and Eastmere City Council and "
            "Northby Borough Council and the Children in Care Council.")
    assert detect_organisation("", [text]).councils == ("Eastmere City Council",)


def test_documents_rows_without_an_organisation_still_load_and_stay_frozen():
    row = dict(doc_id="d", source="d.pdf", title="t", period="2022-23", kind="annual report", sha256="x", n_pages=1)
    assert Document(**row).organisation == Organisation()
    doc = Document(**row, organisation={"name": "N", "short_forms": ["S"], "area": "A", "councils": ["C"]})
    assert doc.organisation == Organisation("N", ("S",), "A", ("C",))
    assert Document(**{**doc.to_dict()}) == doc  # a documents.jsonl round trip
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.organisation = Organisation()  # type: ignore[misc]


# ---- the partnerships of an index and the questions that name them ---------------------------

def doc(doc_id: str, period: str, name: str, area: str, short=(), councils=(), kind="annual report") -> Document:
    return Document(doc_id, f"{doc_id}.pdf", f"{name} - Annual Report {period}", period, kind, "x", 1,
                    Organisation(name, tuple(short), area, tuple(councils)))


DOCS = [
    doc("e1", "2015-16", "Eastmere and Westmere Local Safeguarding Children Board", "Eastmere and Westmere", ["EWLSCB"]),
    doc("e2", "2021-22", "Eastmere & Westmere Safeguarding Children Partnership", "Eastmere & Westmere", ["EWSCP"],
        ["Eastmere County Council", "Westmere County Council"]),
    doc("e3", "2024-25", "Eastmere & Westmere Safeguarding Children Partnership", "Eastmere & Westmere"),
    doc("n1", "2022-23", "Northby Safeguarding Children Partnership", "Northby", ["NSCP"], ["Northby City Council"]),
    doc("n2", "2023-24", "Northby Safeguarding Children Partnership", "Northby", ["NSCP"]),
    Document("x", "x.txt", "Notes", "2023-24", "other", "x", 1),
]
PARTS = orgs.partnerships(DOCS)
EW, NB = PARTS


def test_a_board_and_the_partnership_that_replaced_it_are_one_series():
    assert [p.name for p in PARTS] == ["Eastmere & Westmere Safeguarding Children Partnership",
                                      "Northby Safeguarding Children Partnership"]
    assert EW.doc_ids == {"e1", "e2", "e3"} and NB.doc_ids == {"n1", "n2"}  # "x" names no body
    assert EW.short_forms == ("EWSCP", "EWLSCB") and EW.places == ("Eastmere & Westmere", "Eastmere", "Westmere")


@pytest.mark.parametrize("question,named", [
    ("How many rapid reviews did the Northby Safeguarding Children Partnership hold?", ["Northby"]),
    ("What did the NSCP spend on training?", ["Northby"]),
    ("what did the nscp spend on training?", ["Northby"]),  # four letters or more: any case
    ("How many children in Westmere were home educated?", ["Eastmere"]),
    ("How much did Westmere County Council contribute?", ["Eastmere"]),
    ("What did Northby City Council's children's services find?", ["Northby"]),
    ("Compare eastmere and northby", ["Eastmere", "Northby"]),
    ("What did the Eastmere and Westmere LSCB find?", ["Eastmere"]),
    ("How many rapid reviews were held?", []),
    ("What happened in Northbyshire and West Eastmereton?", []),  # whole words only
])
def test_which_partnerships_a_question_names(question, named):
    assert [p.name.split()[0] for p in orgs.named_in(question, PARTS)] == named


@pytest.mark.parametrize("values,expected", [
    (["Northby Safeguarding Children Partnership"], ["n"]),
    (["nscp"], ["n"]),
    (["Eastmere and Westmere Local Safeguarding Children Board"], ["e"]),  # a board's name: its series
    (["EWSCP", "NSCP"], ["e", "n"]),
])
def test_organisation_filter_values(values, expected):
    assert [p.name[0].lower() for p in orgs.from_filter(values, PARTS)] == expected


def test_an_unknown_organisation_filter_is_refused_with_the_known_ones():
    with pytest.raises(QueryError) as err:
        orgs.from_filter(["Southby"], PARTS)
    assert str(err.value) == ("unknown organisation 'Southby'; the index has: "
                              "Eastmere & Westmere Safeguarding Children Partnership; Northby Safeguarding Children Partnership")


@pytest.mark.parametrize("question,stripped", [
    ("How many courses did the Eastmere and Westmere Safeguarding Children Partnership run?", "How many courses did run?"),
    ("How many courses did the Eastmere & Westmere safeguarding children training programme run?",
     "How many courses did training programme run?"),
    ("What did the EWSCP's audit find?", "What did audit find?"),
    ("How much did Westmere County Council contribute?", "How much did Westmere County Council contribute?"),
    ("Eastmere & Westmere Safeguarding Children Partnership?", "Eastmere & Westmere Safeguarding Children Partnership?"),
])
def test_a_named_partnership_is_taken_out_of_the_question_but_places_and_councils_stay(question, stripped):
    assert orgs.strip_names(question, [EW]) == stripped


def test_a_named_partnership_is_a_filter_not_the_subject_of_the_intent():
    intent = parse_intent("How much did the Eastmere and Westmere Safeguarding Children Partnership spend in 2023-24?")
    assert intent.subject  # read from the words alone, the partnership is whose spending is asked
    asked = orgs.as_filter(intent, [EW])
    assert (asked.question, asked.subject, asked.figure) == ("How much did spend in 2023-24?", (), True)
    assert (asked.time, asked.followup, asked.source) == (intent.time, intent.followup, intent.source)
    plain = parse_intent("How much did Westmere County Council contribute?")
    assert orgs.as_filter(plain, [EW]) is plain  # a council is no partnership's name: it stays the subject


def test_most_recent_last_year_and_the_year_before_are_each_partnerships_own():
    docs = {d.doc_id: d for d in DOCS}
    _, scopes = orgs.scopes(parse_intent("What did the most recent report say?"), None, PARTS, docs, [], [])
    assert [(s.partnership.name.split()[0], s.periods) for s in scopes] == [("Eastmere", ("2024-25",)), ("Northby", ("2023-24",))]
    _, scopes = orgs.scopes(parse_intent("and the year before?"), parse_intent("What did last year's report say about training?"), PARTS, docs, [], [])
    assert [s.periods for s in scopes] == [("2021-22",), ("2022-23",)]
    _, scopes = orgs.scopes(parse_intent("What happened in 2022-23?"), None, PARTS, docs, [], [])
    assert [(s.periods, s.mentioned, s.asked) for s in scopes] == [((), ("2022-23",), False), (("2022-23",), (), True)]
    _, scopes = orgs.scopes(parse_intent("How did training change?"), None, [NB], docs, ["2023-24"], [])
    assert scopes[0].periods == ("2023-24",) and scopes[0].trend and scopes[0].doc_ids == ("n1", "n2")


def test_claim_labels_say_when_and_with_several_partnerships_whose():
    cabinet = dataclasses.replace(DOCS[1], kind="cabinet paper")
    assert orgs.claim_label(DOCS[3], NB, False) == "2022-23"
    assert orgs.claim_label(cabinet, EW, False) == "2021-22 cabinet paper"
    assert orgs.claim_label(DOCS[3], NB, True) == "2022-23, Northby Safeguarding Children Partnership"
    assert orgs.claim_label(DOCS[5], None, True) == "2023-24, Notes"


# ---- the real reports -----------------------------------------------------------------------

LR = "Leicestershire and Rutland"
REAL = {  # file: (area key, name, short forms it defines)
    "000_574df38d8b27e445.pdf": (LR, "Leicestershire & Rutland Safeguarding Children Partnership", ()),
    "001_1b0103ba54d5cec5.pdf": (LR, "Leicestershire & Rutland Safeguarding Children Partnership", ("LRSCP",)),
    "002_9b8a39fd266776b3.pdf": (LR, "Leicestershire & Rutland Safeguarding Children Partnership", ()),
    "003_8030df4973684338.pdf": (LR, "Leicestershire and Rutland Local Safeguarding Children Board", ("LRLSCB",)),
    "004_5dd9cca65945c7e9.pdf": (LR, "Leicestershire and Rutland Safeguarding Children Partnership", ("LRSCP",)),
    "hscp_2020-21.pdf": ("Hartwell", "Hartwell Safeguarding Children Partnership", ("HSCP",)),
    "hscp_2022-23.pdf": ("Hartwell", "Hartwell Safeguarding Children Partnership", ("HSCP",)),
    "hscp_2023-24.pdf": ("Hartwell", "Hartwell Safeguarding Children Partnership", ()),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_report_gets_its_organisation(name):
    path = REPORTS / name if (REPORTS / name).exists() else HARTWELL / name
    raw, title = extract_pdf_pages(path)
    org = detect_organisation(title, raw)
    key, body, short = REAL[name]
    assert (org.key, org.name, org.short_forms) == (key.lower(), body, short)
    assert org.councils and all(c.endswith(("County Council", "City Council")) for c in org.councils)


def sources_of(resp: dict) -> set[str]:
    return {c["source"] for c in resp["citations"]}


LR_DOCS = {n for n in REAL if not n.startswith("hscp")}
HSCP_DOCS = {n for n in REAL if n.startswith("hscp")}
# "2023-24, Whose: " or "- 2023-24, Whose: " before each claim, at a line's start or after the last claim's [n]
LABEL = re.compile(r"(?:^|\] )(?:- )?(?P<when>\d{4}-\d{2})(?: [a-z ]+)?, (?P<who>[^:\n\]]+?): ", re.MULTILINE)


def test_the_two_partnership_index_knows_both(two_partnership_engine):
    parts = two_partnership_engine.partnerships
    assert [(p.name, len(p.doc_ids)) for p in parts] == [("Hartwell Safeguarding Children Partnership", 3),
                                                         ("Leicestershire & Rutland Safeguarding Children Partnership", 5)]


@pytest.mark.parametrize("question,expected", [
    ("How many rapid reviews did the Hartwell Safeguarding Children Partnership hold in 2023-24?", HSCP_DOCS),
    ("How many rapid reviews did the HSCP hold?", HSCP_DOCS),
    ("What are the priorities of the Leicestershire & Rutland Safeguarding Children Partnership?", LR_DOCS),
    ("How much did Rutland County Council contribute?", LR_DOCS),
    ("How many courses did the Leicestershire & Rutland safeguarding children multi-agency training programme "
     "deliver in 2024-25, and to how many attendees?", LR_DOCS),
])
def test_a_question_naming_a_partnership_is_answered_from_its_reports(two_partnership_engine, question, expected):
    resp = two_partnership_engine.ask(question)
    assert resp["answerable"], resp["answer"]
    assert sources_of(resp) <= expected
    assert all(c["partnership"] == next(iter({c["partnership"] for c in resp["citations"]})) for c in resp["citations"])


def test_naming_the_bundled_partnership_no_longer_makes_it_a_figures_subject(two_partnership_engine):
    resp = two_partnership_engine.ask("How many courses did the Leicestershire & Rutland safeguarding children "
                                      "multi-agency training programme deliver in 2024-25, and to how many attendees?")
    assert "88 courses" in resp["answer"] and "1609" in resp["answer"]


@pytest.mark.parametrize("named,source", [
    ("the Hartwell partnership's", "hscp_2023-24.pdf"),
    ("the Leicestershire & Rutland partnership's", "001_1b0103ba54d5cec5.pdf"),
])
def test_the_most_recent_report_is_the_named_partnerships(two_partnership_engine, named, source):
    resp = two_partnership_engine.ask(f"What does {named} most recent report say about multi-agency training?")
    assert resp["answerable"] and sources_of(resp) == {source}, resp["answer"]


def test_unnamed_most_recent_is_each_partnerships_latest_and_every_claim_says_whose(two_partnership_engine):
    resp = two_partnership_engine.ask("What does the most recent report say about multi-agency training?")
    assert resp["answerable"] and sources_of(resp) <= {"hscp_2023-24.pdf", "001_1b0103ba54d5cec5.pdf"}
    labels = [(m.group("who"), m.group("when")) for m in LABEL.finditer(resp["answer"])]
    assert len(labels) == len(resp["citations"]), resp["answer"]
    for (who, when), c in zip(labels, resp["citations"]):
        assert (who, when) == (c["partnership"], c["period"])


def test_a_trend_is_a_series_per_partnership_never_mixed(two_partnership_engine):
    resp = two_partnership_engine.ask("How has the number of people attending multi-agency training changed over the years?")
    assert resp["answerable"], resp["answer"]
    rows = [(m.group("who"), m.group("when")) for m in LABEL.finditer(resp["answer"])]
    assert {who for who, _ in rows} == {"Hartwell Safeguarding Children Partnership",
                                        "Leicestershire & Rutland Safeguarding Children Partnership"}
    whos = [who for who, _ in rows]
    assert whos == sorted(whos, key=whos.index)  # each partnership's rows together
    for who in set(whos):
        years = [when for w, when in rows if w == who]
        assert years == sorted(years)
    for line in resp["answer"].splitlines():
        if line.startswith("Differences"):
            named = [w for w in set(whos) if w in line]
            assert len(named) == 1, line  # a difference is within one partnership


def test_a_partnership_with_one_report_in_range_answers_when_it_holds_the_best_passage(two_partnership_engine):
    # 2022-23 to 2024-25: one partnership has two reports in range, the other only 2024-25, whose
    # text gives the earlier years' counts itself. It is not left out for having one report.
    resp = two_partnership_engine.ask("How did the number of notifications/referrals for potential Local Child "
                                      "Safeguarding Practice Reviews change between 2022-23 and 2024-25?")
    rows = [(m.group("who"), m.group("when")) for m in LABEL.finditer(resp["answer"])]
    assert ("Leicestershire & Rutland Safeguarding Children Partnership", "2024-25") in rows, resp["answer"]
    assert "down from the 10 in 2023-24" in resp["answer"]


def test_a_report_named_by_its_year_is_that_report_in_every_partnership(two_partnership_engine):
    # Only one partnership has a 2021-22 report; the other's 2022-23 report speaks of 2022/23 too,
    # but "its 2021-22 annual report" is the report asked, not a year the text speaks of.
    resp = two_partnership_engine.ask("What forward priorities did the partnership set for 2022/23 in its 2021-22 annual report?")
    assert {c["period"] for c in resp["citations"]} == {"2021-22"}, resp["answer"]


@pytest.mark.parametrize("question,period", [
    ("What forward priorities did the partnership set for 2022/23 in its 2021-22 annual report?", "2021-22"),
    ("According to the 2019/20 yearly report, how many audits were done?", "2019-20"),
    ("What does the annual report say about 2021-22?", ""),  # the year is the topic, not the report's
    ("What were the priorities in 2021-22?", ""),
])
def test_the_source_period_is_the_year_written_in_the_source_phrase(question, period):
    from qa.intent import parse_intent

    assert parse_intent(question).source_period == period


def test_the_organisation_filter_and_its_errors(two_partnership_engine):
    resp = two_partnership_engine.ask("How many rapid reviews were held?", filters={"organisation": ["hscp"]})
    assert resp["answerable"] and sources_of(resp) <= HSCP_DOCS
    with pytest.raises(QueryError, match=r"^unknown organisation 'Nowhere'; the index has: Hartwell"):
        two_partnership_engine.ask("How many rapid reviews were held?", filters={"organisation": ["Nowhere"]})
    with pytest.raises(QueryError, match=r"^unknown filter 'council'; use 'period', 'source' or 'organisation'$"):
        two_partnership_engine.ask("How many rapid reviews were held?", filters={"council": ["x"]})


def test_a_period_the_named_partnership_lacks_is_declined_with_its_own_coverage(two_partnership_engine):
    resp = two_partnership_engine.ask("How many rapid reviews did the Hartwell partnership hold in 2012-13?")
    assert not resp["answerable"]
    assert resp["answer"] == ("The reports do not say: they do not cover 2012-13. "
                              "The reports cover 2020-21, 2022-23 and 2023-24.")


def test_one_partnership_indexed_labels_claims_with_their_year_only(engine):
    resp = engine.ask("How many individuals attended training in 2021-22?")
    assert resp["answerable"] and resp["answer"].startswith("2021-22")
    assert all(c["partnership"] == "Leicestershire & Rutland Safeguarding Children Partnership" for c in resp["citations"])
    assert resp["answer"].split(":")[0] in ("2021-22", "2021-22 cabinet paper")  # no partnership: only one


# ---- the API and the command line ------------------------------------------------------------

@pytest.fixture(scope="module")
def client(two_partnership_engine, two_partnership_dir):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(index_dir=two_partnership_dir), engine=two_partnership_engine)) as c:
        yield c


def test_api_documents_say_whose_they_are(client):
    docs = {d["source"]: d for d in client.get("/api/documents").json()}
    assert set(docs) == set(REAL)
    for name, (_, body, short) in REAL.items():
        assert docs[name]["organisation"]["name"] == body and tuple(docs[name]["organisation"]["short_forms"]) == short
    assert docs["003_8030df4973684338.pdf"]["partnership"] == "Leicestershire & Rutland Safeguarding Children Partnership"
    assert docs["hscp_2022-23.pdf"]["organisation"]["councils"] == ["Hartwell City Council"]


def test_api_ask_filters_on_organisation_and_cites_it(client):
    r = client.post("/api/ask", json={"question": "How many rapid reviews were held?",
                                      "filters": {"organisation": ["Hartwell Safeguarding Children Partnership"]}})
    assert r.status_code == 200, r.text
    cites = r.json()["citations"]
    assert cites and {(c["organisation"], c["partnership"]) for c in cites} == {
        ("Hartwell Safeguarding Children Partnership", "Hartwell Safeguarding Children Partnership")}
    r = client.post("/api/ask", json={"question": "How many rapid reviews were held?", "filters": {"organisation": ["Nowhere"]}})
    assert r.status_code == 422
    assert r.json()["detail"] == ("unknown organisation 'Nowhere'; the index has: Hartwell Safeguarding Children "
                                  "Partnership; Leicestershire & Rutland Safeguarding Children Partnership")


def test_cli_ask_organisation(two_partnership_dir):
    from typer.testing import CliRunner

    from api.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["ask", "How many rapid reviews were held?", "--index", str(two_partnership_dir),
                             "--organisation", "HSCP", "--json"])
    assert ok.exit_code == 0, ok.output
    assert {c["source"] for c in json.loads(ok.stdout)["citations"]} <= HSCP_DOCS
    bad = runner.invoke(app, ["ask", "How many rapid reviews were held?", "--index", str(two_partnership_dir),
                              "--organisation", "Nowhere"])
    assert bad.exit_code == 1
    assert bad.stderr.strip().splitlines()[-1].startswith("error: unknown organisation 'Nowhere'; the index has: Hartwell")


def test_a_follow_up_keeps_the_partnership_unless_it_names_another(two_partnership_engine):
    first = "How many rapid reviews did the Hartwell partnership hold in 2023-24?"
    resp = two_partnership_engine.ask("and the year before?", history=[first])
    assert resp["answerable"] and sources_of(resp) == {"hscp_2022-23.pdf"}, resp["answer"]
    resp = two_partnership_engine.ask("and what about Leicestershire & Rutland's most recent report?", history=[first])
    assert resp["answerable"] and sources_of(resp) <= LR_DOCS, resp["answer"]


def test_documents_naming_no_body_are_still_searched_when_no_partnership_is_named():
    groups = orgs.every_group(PARTS, DOCS)
    assert [g.name for g in groups] == [*(p.name for p in PARTS), ""] and groups[-1].doc_ids == {"x"}
    assert orgs.every_group(PARTS, DOCS[:5]) == PARTS


def test_a_named_partnerships_name_does_not_pick_the_passages_a_figure_is_counted_in(two_partnership_engine):
    # The name is a filter: with its words in the query, "24 reviews of Hartwell deaths" outranked rapid reviews.
    resp = two_partnership_engine.ask("How many rapid reviews did the Hartwell partnership hold in 2020-21, 2022-23 and 2023-24?")
    assert resp["answerable"] and "deaths" not in resp["answer"], resp["answer"]


def test_a_figure_trend_quotes_the_table_row_its_label_names(two_partnership_engine):
    # Rows of one table lean on the same table words; the label tells them apart.
    resp = two_partnership_engine.ask("How many children were looked after by Hartwell City Council at 31 March 2023?")
    assert "Children looked after 451 469" in resp["answer"], resp["answer"]


def test_a_named_partnerships_name_does_not_pick_its_glossary_line(two_partnership_engine):
    # Every report of a partnership spells its name out in title lines and glossaries.
    resp = two_partnership_engine.ask("Who is the independent scrutineer for the Hartwell Safeguarding Children Partnership?")
    assert resp["answerable"] and "Fairbrother" in resp["answer"], resp["answer"]


def test_a_named_review_is_answered_from_the_reports_about_it(two_partnership_engine):
    # "what changed" after a named review asks what followed it, not a change over every year.
    resp = two_partnership_engine.ask("What did the Family Z review say about missed health appointments, and what changed?")
    assert resp["answerable"] and sources_of(resp) == {"hscp_2022-23.pdf"}, resp["answer"]
    assert not resp["answer"].startswith("- "), resp["answer"]  # one report: no year-by-year rows


def test_narrowed_scopes_keep_a_named_reviews_reports_only():
    docs = {"a": doc("a", "2020-21", "X Partnership", "X"), "b": doc("b", "2022-23", "X Partnership", "X"),
            "c": doc("c", "2023-24", "X Partnership", "X")}
    scope = orgs.Scope(None, ("a", "b", "c"), ("2020-21", "2022-23", "2023-24"), (), (), True)
    one = orgs.narrowed([scope], {"b"}, docs)[0]
    assert one.doc_ids == ("b",) and one.periods == ("2022-23",) and not one.trend
    two = orgs.narrowed([scope], {"a", "c"}, docs)[0]
    assert two.doc_ids == ("a", "c") and two.available == ("2020-21", "2023-24") and two.trend
    assert orgs.narrowed([scope], set(), docs) == [scope]
    assert orgs.narrowed([scope], {"zzz"}, docs) == [scope]
