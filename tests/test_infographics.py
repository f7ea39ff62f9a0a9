"""Flattened infographics read as label-value cells, and figure questions answered by them."""

from __future__ import annotations

import pytest

from ingest.infographics import find_infographics
from qa.cells import heading_asked, match_cell

FLAT = ("Snapshot at end of year\n"
        "Number of VISITS to the service from: SCHOOLS\n120\nGP PRACTICES\n45\nYOUTH CLUBS\n\n7\nNEIGHBOURS 1,310\n"
        "2961\nCASE\nREVIEWS\n88\nHOME VISITS\n12\nPHONE CALLS\n40\n"
        "Visits rose on last year.")


def test_a_run_of_capitalised_labels_and_figures_becomes_cells_with_offsets():
    (table,) = find_infographics(FLAT, "2024-25")
    assert [(c.label, c.column, c.value) for c in table.cells] == [
        ("SCHOOLS", "2024-25", "120"), ("GP PRACTICES", "2024-25", "45"), ("YOUTH CLUBS", "2024-25", "7"),
        ("NEIGHBOURS", "2024-25", "1,310")]
    for c in table.cells:
        assert FLAT[c.value_start:c.value_end] == c.value
        assert " ".join(FLAT[c.row_start:c.row_end].split()) == f"{c.label} {c.value}"
    assert table.columns == ("2024-25",)
    assert table.heading == "Number of VISITS to the service from:"
    assert FLAT[table.header_start:table.header_end].strip() == table.heading
    assert FLAT[table.end - 5:table.end] == "1,310"


def test_the_heading_is_the_line_above_when_the_run_opens_a_line():
    (table,) = find_infographics("Referrals by source:\nSCHOOLS 7\nCLINICS 5\nSHOPS 6\n")
    assert table.heading == "Referrals by source:" and table.columns == ("",)


@pytest.mark.parametrize("text", [
    "2961\nCASE\nREVIEWS\n88\nHOME VISITS\n12\nPHONE CALLS\n40\n",  # a figure first: figures may precede labels
    "Counts: SCHOOLS 120 CLINICS 45\nprose follows",  # two pairs are not a run
    "CONTENTS INTRODUCTION 3 GOVERNANCE 5 LEARNING 12 TRAINING 20",  # page numbers rising
    "Schools 120 Clinics 45 Youth Clubs 7",  # not capitals
    "A 1 B 2 C 3 D 4",  # one-letter words
    "Seen by: SCHOOLS 12, CLINICS 40, SHOPS 9, and others",  # a list in prose, commas between
    "The SCP met 4 times; the LSCB 6 times; the SAB 9 times and the ICB 2 times.",  # prose between
])
def test_not_infographics(text):
    assert find_infographics(text) == []


IDF = {"visit": 2.0, "school": 1.5, "neighbour": 3.0, "servic": 0.5, "gp": 3.0, "practic": 1.0}


@pytest.mark.parametrize("question, claim", [
    ("How many visits came from neighbours?", "Number of VISITS to the service from: NEIGHBOURS, 2024-25: 1,310"),
    ("How many visits to the service came from GP practices in 2024-25?",
     "Number of VISITS to the service from: GP PRACTICES, 2024-25: 45"),
    ("How many neighbours were there?", None),  # the heading's rarest word ("visits") not asked
    ("How many visits came from neighbours in 2019-20?", None),  # another year
    ("What percentage of visits came from schools?", None),  # a share, but the cells are counts
])
def test_match_cell_needs_the_label_and_the_heading(question, claim):
    match = match_cell(question, [(t, "2024-25") for t in find_infographics(FLAT, "2024-25")], IDF)
    assert (match.claim() if match else None) == claim


def test_heading_asked():
    assert heading_asked("", {"x"}, IDF)
    assert heading_asked("Number of VISITS to the service from:", {"visit"}, IDF)
    assert not heading_asked("Number of VISITS to the service from:", {"servic"}, IDF)
    assert heading_asked("REFERRALS from:", {"referr"}, {"referr": 2.0}) and not heading_asked("REFS from:", {"re"}, {})


def test_the_bundled_infographics(store):
    doc_id = next(d.doc_id for d in store.documents.values() if d.source == "001_1b0103ba54d5cec5.pdf")
    pages = store.pages[doc_id]
    text = store.document_text(doc_id, 0, pages[-1].char_end)
    tables = find_infographics(text, "2024-25")
    assert [[(c.label, c.value) for c in t.cells] for t in tables] == [
        [("EDUCATION", "1071"), ("HEALTH", "1171"), ("HOUSING", "61"), ("POLICE", "1841")],
        [("EDUCATION", "81"), ("HEALTH", "42"), ("HOUSING", "3"), ("POLICE", "92")]]
    for other in store.documents.values():  # no other bundled report holds such a run
        if other.doc_id != doc_id:
            last = store.pages[other.doc_id][-1].char_end
            assert find_infographics(store.document_text(other.doc_id, 0, last), other.period) == []


def test_a_figure_question_is_answered_by_the_infographic_cell(engine, store):
    resp = engine.ask("How many referrals to children's social care came from the police?")
    cite = resp["citations"][0]  # the cell's; sentence quotes may follow it
    cell = cite["cell"]
    assert cite["source"] == "001_1b0103ba54d5cec5.pdf"
    assert (cell["label"], cell["column"]) == ("POLICE", "2024-25") and cell["value"] in ("1841", "92")
    assert store.document_text(cite["doc_id"], cell["value_start"], cell["value_end"]) == cell["value"]
    assert f"POLICE, 2024-25: {cell['value']} [1]" in resp["answer"]


def test_the_area_asked_about_picks_its_own_infographic(engine):
    # One report holds an infographic per area; the prose after the second names its area.
    resp = engine.ask("In Rutland, how many referrals to Children's Social Care came from education?")
    assert resp["citations"][0]["cell"]["value"] == "81" and resp["citations"][0]["quote"] == "EDUCATION\n81"


@pytest.mark.parametrize("text", [
    "Source 2023-24\nSCHOOLS 10\nCLINICS 4\nSHOPS 7\n",
    "Source 2022-23 2023-24 Change\nSCHOOLS 10 12 +2\nCLINICS 4 9 +5\nSHOPS 7 1 -6\n",
])
def test_a_table_in_capitals_is_read_as_a_table_only(text):
    from ingest.tables import find_tables

    assert len(find_tables(text)) == 1 and find_infographics(text, "2023-24") == []
