"""Tables read from clean text as label-column-value cells, and figure questions answered by a cell."""

from __future__ import annotations

import pytest

from ingest.tables import find_tables, header_columns
from qa.cells import column_period, label_cover, match_cell, value_fits
from qa.periods import named_periods

LINES = ("The table shows allegations by sector.\n"
         "Sector 2021-22 2022-23 Change\n"
         "Education 104 121 +17\n"
         "Foster care and residential care 37 33 -4\n"
         "Children aged 0 to 17 62,900 63,100 +200\n"
         "Total 205 230 +25\n"
         "Education accounted for more than half.")
RUN_ON = ("Expenditure was apportioned as follows:\n2023-24  2024-25\n"
          "Staffing £130,010 £147,121 Training £54,660 £70,341 Case Reviews £0 £2,250\nMore prose.")


def test_a_line_per_row_table_keeps_labels_columns_values_and_offsets():
    (table,) = find_tables(LINES)
    assert table.columns == ("2021-22", "2022-23", "Change")
    rows = dict((label, [c.value for c in cells]) for label, cells in table.rows())
    assert rows == {"Education": ["104", "121", "+17"], "Foster care and residential care": ["37", "33", "-4"],
                    "Children aged 0 to 17": ["62,900", "63,100", "+200"], "Total": ["205", "230", "+25"]}
    for c in table.cells:  # every cell rebuilds from its offsets
        assert LINES[c.value_start:c.value_end] == c.value
        assert LINES[c.row_start:c.row_end].startswith(c.label)
    assert LINES[table.header_start:table.header_end] == "Sector 2021-22 2022-23 Change"


def test_rows_run_together_on_one_line_are_split_by_the_column_count():
    (table,) = find_tables(RUN_ON)
    assert [(label, [c.value for c in cells]) for label, cells in table.rows()] == [
        ("Staffing", ["£130,010", "£147,121"]), ("Training", ["£54,660", "£70,341"]), ("Case Reviews", ["£0", "£2,250"])]
    assert all(RUN_ON[c.value_start:c.value_end] == c.value for c in table.cells)


@pytest.mark.parametrize("header, columns", [
    ("Contributor 2021-22 (£) 2022-23 (£)", ("2021-22 (£)", "2022-23 (£)")),
    ("Budget line Budget 2022-23 (£) Actual 2022-23 (£)", ("Budget 2022-23 (£)", "Actual 2022-23 (£)")),
    ("Measure 2022/23 2023/24", ("2022/23", "2023/24")),
    ("Sector Allegations 2023-24 Share of total", ()),  # two words after the year: not told apart
    ("The partnership met four times", ()),
])
def test_header_columns(header, columns):
    assert header_columns(header) == columns


@pytest.mark.parametrize("text", [
    "Reporting period: April 2022 to March 2023\nApproved in September 2023",  # dates, not cells
    "Measure 2022-23\nOnly one row 5\nThen prose follows here.",  # one row is not a table
    "No header here\nEducation 104 121\nHealth 11 14",
])
def test_not_tables(text):
    assert find_tables(text) == []


IDF = {"foster": 3.0, "care": 1.0, "residenti": 3.0, "educ": 2.0, "total": 0.5, "train": 1.0, "staf": 2.0}


def tables():
    return [(t, "2022-23") for t in find_tables(LINES)]


@pytest.mark.parametrize("question, claim", [
    ("How many allegations about foster carers and residential care staff did the LADO receive in 2022/23?",
     "Foster care and residential care, 2022-23: 33"),
    ("How many allegations about foster and residential care were there in 2021-22?",
     "Foster care and residential care, 2021-22: 37"),
    ("How many allegations involved education?", "Education, 2022-23: 121"),  # no year: the report's own
    ("What share of allegations involved education in 2022-23?", None),  # a share, but the cells are counts
    ("How many allegations involved health in 2022-23?", None),  # no such row
    ("How many allegations involved education in 2019-20?", None),  # no such column
])
def test_match_cell(question, claim):
    match = match_cell(question, tables(), IDF)
    assert (match.claim() if match else None) == claim


def test_money_questions_take_money_cells_and_name_every_column_asked():
    match = match_cell("How much was spent on training in 2024-25?", [(t, "2024-25") for t in find_tables(RUN_ON)], IDF)
    assert match.claim() == "Training, 2024-25: £70,341"
    assert RUN_ON[match.cell.value_start:match.cell.value_end] == "£70,341"


def test_small_parts():
    assert named_periods("spent in 2022/23 and 2023-2024, not 2021-23") == ["2022-23", "2023-24"]
    assert column_period("Actual 2022-23 (£)") == "2022-23" and column_period("Change") == ""
    assert label_cover("Foster care", {"foster", "care"}, IDF) == 1.0 and label_cover("", {"x"}, IDF) == 0.0
    (table,) = find_tables(LINES)
    count = table.cells[0]
    assert value_fits("How many?", count) and not value_fits("What percentage?", count) and not value_fits("How much was spent?", count)
