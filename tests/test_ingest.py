"""Ingest as a spec: cleaning, offsets, chunk invariants, metadata, on tiny inputs and the real reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.chunk import ChunkSettings, chunk_document
from ingest.clean import assemble, clean_pages, is_name_line, is_table_line, strip_headers_footers
from ingest.load import load_document
from ingest.metadata import detect_kind, detect_period
from ingest.sentences import sentence_spans
from ingest.textfile import html_to_text, markdown_to_text
from ingest.tokens import count_tokens
from tests.conftest import REPORTS

PERIODS = {
    "003_8030df4973684338.pdf": ("2015-16", "annual report"),
    "000_574df38d8b27e445.pdf": ("2019-20", "annual report"),
    "002_9b8a39fd266776b3.pdf": ("2021-22", "annual report"),
    "001_1b0103ba54d5cec5.pdf": ("2024-25", "annual report"),
    "004_5dd9cca65945c7e9.pdf": ("2021-22", "cabinet paper"),
}


def words(text: str) -> list[str]:
    return text.split()


@pytest.fixture(scope="module")
def loaded():
    return {p.name: load_document(p, count_tokens) for p in sorted(REPORTS.glob("*.pdf"))}


# ---- cleaning on tiny inputs ----------------------------------------------------------

def test_nfkc_turns_ligatures_into_letters():
    blocks = clean_pages(["The ﬁnal eﬀect of ﬂuent work."])[0]
    assert blocks[0].text == "The final effect of fluent work."


def test_hyphenated_line_breaks_are_rejoined_and_real_hyphens_kept():
    page = "We asked for the develop-\nment of the plan and more multi-\nagency work with the multi-agency team."
    text = clean_pages([page])[0][0].text
    assert "development" in text
    assert "multi-agency work" in text


@pytest.mark.parametrize("page, joined", [
    ("courses on Bruising in Non-\nMobile Babies were new.", "Bruising in Non-Mobile Babies"),  # capital: no broken word
    ("training resumed face-to-\nface this year.", "training resumed face-to-face this year"),  # a compound's second hyphen
    ("the plan for develop-\nment was agreed.", "the plan for development was agreed"),  # a word broken by the line end
])
def test_a_hyphen_at_a_line_end_joins_as_the_words_require(page, joined):
    assert joined in clean_pages([page])[0][0].text


def test_hard_wrapped_lines_become_one_paragraph_and_headings_stand_apart():
    page = ("Training\nThe partnership delivered many courses to staff across the whole\n"
            "area during the year and more are planned.\nFinance\nThe budget was set.")
    blocks = clean_pages([page])[0]
    assert [(b.text, b.heading) for b in blocks] == [
        ("Training", True),
        ("The partnership delivered many courses to staff across the whole area during the year and more are planned.", False),
        ("Finance", True),
        ("The budget was set.", False),
    ]


@pytest.mark.parametrize("line, heading", [
    ("5.3 Children less visible to services", True),   # sentence case, but numbered
    ("2.1.4 Funding and resources", True),
    ("1. Safeguarding babies and infants", False),      # a numbered list item
    ("5.3 million children were seen.", False),         # a sentence
])
def test_a_numbered_section_heading_stands_apart_in_sentence_case(line, heading):
    page = f"The hubs opened in July.\n{line}\nAt 31 March 2024, 468 children were home educated."
    signed = f"Chief Executive, Integrated Care Board of a Long Named Area\n{line}\nI was appointed in 2024."
    blocks = [(b.text, b.heading) for b in clean_pages([page])[0]]
    assert ((line, True) in blocks) is heading
    assert not any(t.startswith(line) and t != line for t, _ in blocks if heading)  # not glued on
    assert ((line, True) in [(b.text, b.heading) for b in clean_pages([signed])[0]]) is heading  # after a signature


def test_running_headers_and_page_footers_are_dropped():
    bodies = ["Audits were done in 2021.", "Training reached 120 staff.", "Finance is set out below."]
    pages = [["Board Report 2020-21", f"Page {i} of 3", body, f"Report | {i}"] for i, body in enumerate(bodies, 1)]
    assert strip_headers_footers(pages) == [[b] for b in bodies]


def test_bare_page_numbers_are_dropped_but_infographic_figures_kept():
    pages = [["Intro text here.", "2"], ["Training reached staff.", "3302", "3"], ["Audits done.", "92", "4"]]
    assert strip_headers_footers(pages) == [["Intro text here."], ["Training reached staff.", "3302"], ["Audits done.", "92"]]


def test_inline_format_tags_are_stripped_but_script_text_kept():
    blocks = clean_pages(["We held <b>55</b> audits and saw <script>x</script> in a form."])[0]
    assert blocks[0].text == "We held 55 audits and saw <script>x</script> in a form."


def test_year_range_broken_at_line_end_is_rejoined():
    blocks = clean_pages(["The annual report for 2024-\n25 shows progress across the partnership this year."])[0]
    assert "2024-25 shows" in blocks[0].text


def test_assemble_offsets_rebuild_every_page_and_block():
    text, pages, blocks = assemble(clean_pages(["Alpha one.\n\nBeta two.", "", "Gamma three."]))
    assert [p.number for p in pages] == [1, 2, 3]
    for p in pages:
        assert text[p.char_start:p.char_end] == p.text
    assert pages[1].text == ""
    assert [text[b.char_start:b.char_end] for b in blocks] == ["Alpha one.", "Beta two.", "Gamma three."]


def test_markdown_html_tables_become_readable_rows():
    md = "# Finance\n\n<table><tr><th>Partner</th><th>£</th></tr><tr><td>Police</td><td>44,599</td></tr></table>\n\nDone."
    text = markdown_to_text(md)
    assert "Partner | £" in text and "Police | 44,599" in text and "<td>" not in text


def test_html_to_text_keeps_headings_and_drops_scripts():
    text = html_to_text("<html><head><title>T</title><script>alert(1)</script></head><body><h2>Audits</h2><p>One audit.</p></body></html>")
    assert "# Audits" in text and "One audit." in text and "alert" not in text


@pytest.mark.parametrize("text,expected", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("Agencies, e.g. police, met. Then we left.", ["Agencies, e.g. police, met.", "Then we left."]),
    ("It rose to 1,286 people. Around 80% attended.", ["It rose to 1,286 people.", "Around 80% attended."]),
])
def test_sentence_spans(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_chunks_follow_sentences_and_respect_the_token_budget():
    sentences = [f"Sentence number {i} says something about safeguarding children here." for i in range(60)]
    text, pages, blocks = assemble(clean_pages([" ".join(sentences[:30]), " ".join(sentences[30:])]))
    settings = ChunkSettings(target_words=50, min_words=20, max_tokens=80)
    chunks = chunk_document("d", text, blocks, pages, count_tokens, settings)
    assert len(chunks) > 3
    for c in chunks:
        assert text[c.char_start:c.char_end] == c.text
        assert c.text.startswith("Sentence") and c.text.endswith(".")
        assert count_tokens([c.text])[0] <= 80


@pytest.mark.parametrize("line, table", [
    ("Measure 2022-23 2023-24", True),
    ("Total 242 100%", True),
    ("Training income 1,200", True),
    ("2023-24  2024-25", True),
    ("Annual Report 2019-20", False),
    ("Priority 3", False),
    ("5.3 Children less visible to services", False),
    ("Our priorities", False),
])
def test_a_table_line_is_told_from_a_heading(line, table):
    assert is_table_line(line) is table


@pytest.mark.parametrize("page, section, row", [
    # a table's header and rows set apart like headings
    ("Performance data\nThe figures below are at 31 March each year.\n"
     "Measure 2022-23 2023-24\nChildren looked after 451 469\nChildren in need 2,044 2,118",
     "Performance data", "Children looked after 451 469"),
    # a column header over the table's first row (the paragraph above wraps, so lines stay apart)
    ("Finance\nThe partners paid for the year in the shares they agreed when the partnership began in\n"
     "2019, as below.\nSector Allegations 2023-24 Share of total\nEducation 128 53%\nHealth 12 5%",
     "Finance", "Education 128 53%"),
])
def test_a_tables_header_or_rows_name_no_section_nor_cut_the_table(page, section, row):
    text, pages, blocks = assemble(clean_pages([page]))
    chunks = chunk_document("d", text, blocks, pages, count_tokens, ChunkSettings(50, 5, 200))
    assert [c.section for c in chunks] == [section]
    assert row in chunks[0].text


def test_a_list_longer_than_the_budget_is_cut_at_words():
    text, pages, blocks = assemble(clean_pages([" ".join(f"item{i}" for i in range(400))]))
    chunks = chunk_document("d", text, blocks, pages, count_tokens, ChunkSettings(50, 20, 60))
    assert " ".join(c.text for c in chunks) == text
    assert all(count_tokens([c.text])[0] <= 60 for c in chunks)


def test_chunk_settings_are_checked():
    with pytest.raises(ValueError, match="min_words must be"):
        ChunkSettings(target_words=10, min_words=20)


# ---- metadata -------------------------------------------------------------------------

@pytest.mark.parametrize("title,text,period", [
    ("", "This report covers the period from 1 April 2021 to 31 March 2022.", "2021-22"),
    ("", "covers the period from 29 September 2019 to the 31 March 2020.", "2019-20"),
    ("Annual Report 2015/16", "", "2015-16"),
    ("Cabinet paper", "ANNUAL REPORT 2021/22 ... Annual Report 2021/22", "2021-22"),
    ("Minutes", "nothing here", ""),
])
def test_detect_period(title, text, period):
    assert detect_period(title, text) == period


def test_detect_kind():
    assert detect_kind("Council - Cabinet 16 September 2022 - Agenda Item 11", "") == "cabinet paper"
    assert detect_kind("Partnership - Yearly Report 2024-25", "") == "annual report"


# ---- the bundled reports --------------------------------------------------------------

def test_period_and_kind_of_all_five_reports(loaded):
    assert {name: (d.document.period, d.document.kind) for name, d in loaded.items()} == PERIODS


def test_headers_and_footers_are_stripped_from_the_bundled_pdfs(loaded):
    for name, d in loaded.items():
        assert not re.search(r"Page \d+ of \d+", d.text), name
        header = d.document.title
        for p in d.pages:
            assert not p.text.startswith(header), (name, p.number)


def test_bundled_pages_rebuild_from_offsets_and_match_the_pdf(loaded):
    d = loaded["002_9b8a39fd266776b3.pdf"]
    assert d.document.n_pages == 13
    for p in d.pages:
        assert d.text[p.char_start:p.char_end] == p.text
    page7 = d.pages[6].text
    assert "1949" in page7 and "98" in page7


def test_bundled_chunk_invariants(loaded):
    for name, d in loaded.items():
        assert d.chunks, name
        ids = [c.chunk_id for c in d.chunks]
        assert len(ids) == len(set(ids))
        prev_end = 0
        for c in d.chunks:
            assert d.text[c.char_start:c.char_end] == c.text
            assert c.char_start >= prev_end
            prev_end = c.char_end
            # The pages recorded are the pages the text sits on.
            first = next(p for p in d.pages if p.char_start <= c.char_start <= p.char_end)
            last = next(p for p in d.pages if p.char_start <= c.char_end <= p.char_end)
            assert (c.page_start, c.page_end) == (first.number, last.number)
            assert count_tokens([c.text])[0] <= 220
            assert c.period == d.document.period
        sizes = [len(words(c.text)) for c in d.chunks]
        assert max(sizes) <= 250
        assert sum(sizes) / len(sizes) >= 100, name


def test_training_figures_sit_in_the_training_section(loaded):
    d = loaded["002_9b8a39fd266776b3.pdf"]
    chunk = next(c for c in d.chunks if "1949" in c.text)
    assert chunk.section == "Training"
    assert chunk.label == "Annual Report 2021-22, p. 7"
    assert "98" in chunk.text


def test_learning_sections_are_tagged(loaded):
    d = loaded["002_9b8a39fd266776b3.pdf"]
    tagged = [c for c in d.chunks if "learning" in c.tags]
    assert any(c.section == "Child Safeguarding Practice Reviews" for c in tagged)
    assert not any("learning" in c.tags for c in d.chunks if c.section == "Finance")


def test_text_files_are_ingested(tmp_path: Path):
    md = tmp_path / "notes.md"
    md.write_text("# Annual Report 2022/23\n\n## Training\n\nWe trained 321 staff in 2022/23.\n", encoding="utf-8")
    d = load_document(md, count_tokens)
    assert d.document.period == "2022-23"
    assert d.chunks[0].section in ("Annual Report 2022/23", "Training")
    assert "321" in d.chunks[0].text


def test_a_heading_printed_on_its_first_lines_line_is_split_off():
    page = "Procedures were updated.\nTraining The SCPs training function is shared with the city.\nIt went well."
    blocks = clean_pages([page])[0]
    assert ("Training", True) in [(b.text, b.heading) for b in blocks]
    assert any(b.text.startswith("The SCPs training function") for b in blocks)


@pytest.mark.parametrize("text,heading", [
    ("Child Safeguarding Practice reviews and Serious Case Reviews The partnership assesses incidents.",
     "Child Safeguarding Practice reviews and Serious Case Reviews "),
    ("- 1) Working with Resistance - 2) Professional Curiosity Overall training was delivered to 1949 people.",
     "- 1) Working with Resistance - 2) Professional Curiosity "),
    ("Response to COVID-19 At the end of March 2020 the partnership reacted.", "Response to COVID-19 "),
    ("Annual Report 2019-20 Foreword We are pleased to present this report.", "Annual Report 2019-20 Foreword "),
    # prose, not a heading
    ("The partnership met in June. The board agreed.", ""),
    ("In 2021 the Board met Leicestershire County Council The next day.", ""),
    ("Leicestershire Police and Rutland County Council have agreed that The Plan will run.", ""),
])
def test_a_heading_glued_to_its_first_sentence_is_found(text, heading):
    from ingest.answer_units import heading_end

    assert text[:heading_end(text)] == heading


def test_answer_sentences_leave_glued_headings_out_but_keep_a_tables_figures():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = ("Response to COVID-19 At the end of March 2020 the partnership reacted quickly.\n"
            "Before 6.4 6.2 After 8.5 8.4 It can be seen that scores rose.")
    chunk = Chunk("id", "doc", 1, 1, 0, len(text), "Training", text)
    sentences = [s.text for s in chunk_sentences(0, chunk)]
    assert sentences == ["At the end of March 2020 the partnership reacted quickly.",
                         "Before 6.4 6.2 After 8.5 8.4 It can be seen that scores rose."]


def test_a_table_row_on_its_own_line_is_a_sentence_not_a_heading():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = "Annual Report 2019-20\nCase Reviews 19,451\nTotal Expenditure (SCP and LSCB) 218,052\nPriority 2"
    chunk = Chunk("id", "doc", 1, 1, 0, len(text), "Finance", text)
    assert [s.text for s in chunk_sentences(0, chunk)] == ["Case Reviews 19,451", "Total Expenditure (SCP and LSCB) 218,052"]


def test_short_bulleted_items_are_sentences_not_headings():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = "Listed below are the modifiable factors identified:\n• Co sleeping\n• Domestic violence\nPriorities"
    chunk = Chunk("id", "doc", 1, 1, 0, len(text), "CDOP", text)
    assert [s.text for s in chunk_sentences(0, chunk)] == [
        "Listed below are the modifiable factors identified:", "• Co sleeping", "• Domestic violence"]


def test_a_flattened_infographic_is_quoted_in_runs_of_its_lines():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = ("1371\nEARLY HELP\nASSESSMENTS\nCHILDREN\nIN NEED\n\n3302\n"
            "Number of REFERRALS to Children's Social Care from: EDUCATION\n1071\nHEALTH\n1171\nHOUSING\n61\n"
            "POLICE 1841\nThe number of referrals evidences strong information sharing across partners.")
    chunk = Chunk("id", "doc", 1, 1, 100, 100 + len(text), "CHILDREN", text)
    sentences = chunk_sentences(0, chunk)
    assert [" ".join(s.text.split()) for s in sentences] == [
        "1371 EARLY HELP ASSESSMENTS CHILDREN IN NEED 3302",
        "Number of REFERRALS to Children's Social Care from: EDUCATION 1071 HEALTH 1171 HOUSING 61 POLICE 1841",
        "The number of referrals evidences strong information sharing across partners.",
    ]
    for s in sentences:  # offsets are the document's
        assert text[s.start - 100:s.end - 100] == s.text


def test_table_rows_are_not_taken_for_an_infographic():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = "Staffing 105,579\nIndependent Chairing 7,914\nSupport Services 12,370\nOperating Costs 6,700\n" \
           "Training 48,100\nCase Reviews 5,254\nTotal Expenditure 185,917"
    chunk = Chunk("id", "doc", 1, 1, 0, len(text), "Finance", text)
    assert [s.text for s in chunk_sentences(0, chunk)] == text.split("\n")


def test_short_lines_opening_a_chunk_are_the_items_of_the_list_the_chunk_before_introduces():
    from ingest.answer_units import chunk_sentences, follows_intro
    from ingest.model import Chunk

    before = Chunk("a", "doc", 1, 1, 0, 40, "", "Our priorities for 2025-27 will be:")
    text = "Child Sexual Abuse\nNeglect\nBelonging\nFor each of these areas we set out our rationale."
    chunk = Chunk("b", "doc", 1, 1, 41, 41 + len(text), "", text)
    assert follows_intro(before, chunk) and not follows_intro(None, chunk)
    assert not follows_intro(Chunk("c", "other", 1, 1, 0, 5, "", "Items:"), chunk)
    items = [s.text for s in chunk_sentences(0, chunk, follows_intro=True)]
    assert items == ["Child Sexual Abuse", "Neglect", "Belonging", "For each of these areas we set out our rationale."]
    assert [s.text for s in chunk_sentences(0, chunk)] == items[-1:]  # otherwise they read as headings
    one = "Buildings\nThe hub sits in the library."  # a single short line is a heading
    assert [s.text for s in chunk_sentences(0, Chunk("d", "doc", 1, 1, 0, len(one), "", one), follows_intro=True)] == [
        "The hub sits in the library."]


def test_a_glued_heading_naming_a_person_is_a_sentence_of_its_own():
    from ingest.answer_units import chunk_sentences
    from ingest.model import Chunk

    text = "Independent Scrutiny - Report of the Independent Advisor, Kay Whyte-Bell Scrutiny Activity During the last year the impact of Covid 19 remained."
    chunk = Chunk("id", "doc", 1, 1, 0, len(text), "", text)
    sentences = [s.text for s in chunk_sentences(0, chunk)]
    assert "During the last year the impact of Covid 19 remained." in sentences  # the heading is cut off
    assert any(s.startswith("Report of the Independent Advisor, Kay Whyte-Bell") for s in sentences)
    plain = "Response to COVID-19 At the end of March 2020 the partnership met weekly."
    assert [s.text for s in chunk_sentences(0, Chunk("id", "doc", 1, 1, 0, len(plain), "", plain))] == [
        "At the end of March 2020 the partnership met weekly."]


LOWER = {"chief", "nursing", "officer", "training", "learning", "and", "development", "head", "of", "safeguarding", "children"}


@pytest.mark.parametrize("line, name", [
    ("Fiona Hale, Chief Nursing Officer", True),  # a person's name, never written in lower case
    ("Head of Safeguarding Children, NHS Oakby", True),  # a place's name
    ("Training, Learning and Development", False),  # every word is also written in lower case
    ("Chief Nursing Officer", False),  # no comma
    ("Children, NHS", False),  # an acronym is not a name
])
def test_a_name_and_role_line_is_told_from_a_heading(line, name):
    assert is_name_line(line, LOWER) is name


def test_a_name_and_role_line_names_no_section():
    page = ("Our partners\nThe partners are listed below and meet monthly as a group.\n"
            "Fiona Hale, Chief Nursing Officer\nThe chief nursing officer leads for health.")
    blocks = clean_pages([page])[0]
    assert [b.text for b in blocks if b.heading] == ["Our partners"]
