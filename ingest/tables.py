"""Tables in clean document text, read as label-column-value cells with their offsets.

PDF text loses a table's grid but keeps its reading order, so a table comes out as a header
line naming the columns followed by one line per row: a label, then one value per column
("Foster care and residential care 37 33 -4"). Some reports run every row of a small table
onto one line after the header ("Staffing £130,010 £147,121 Training £54,660 £70,341").
``find_tables`` finds both shapes: a header line whose last tokens are the column names (years
such as "2022-23" or "2022/23", or words), then rows holding exactly that many values. Every
cell keeps the document offsets of its row and value, so a citation highlights exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VALUE = r"(?:(?:[£$+\-−]\s?)?\d[\d,]*(?:\.\d+)?%?|n/a)"
_VALUES_AT_END = re.compile(rf"(?:\s+{_VALUE})+\s*$")
_ONE_VALUE = re.compile(_VALUE)
_PERIOD = re.compile(r"^(?:19|20)\d\d(?:[-/–](?:\d\d|(?:19|20)\d\d))?$")
_UNIT = re.compile(r"^\((?:£|%|\$|£000|£k|number)\)$")
_LETTER = re.compile(r"[A-Za-z]")
_FIGURE_IN_LABEL = re.compile(r"[£$]\s?\d|\d,\d{3}|\d%")  # a label holding a figure is rows run together
MIN_ROWS = 2
MAX_LABEL_WORDS = 12


def is_figure_word(word: str) -> bool:
    """Whether one word is a table value ("£130,010", "53%", "+17") or a column's period
    ("2023-24", "2022/23")."""
    return bool(_ONE_VALUE.fullmatch(word) or _PERIOD.match(word))


@dataclass(frozen=True)
class Cell:
    """One value of a table row: ``text[value_start:value_end] == value``."""

    label: str
    column: str
    value: str
    row_start: int
    row_end: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class Table:
    """A header (``header_start``..``header_end``) and its rows' cells; ``end`` is the end of
    the last row. ``heading`` names what an infographic's figures count (``ingest.infographics``);
    a table's header names its columns instead, and its heading is empty."""

    columns: tuple[str, ...]
    header_start: int
    header_end: int
    end: int
    cells: tuple[Cell, ...]
    heading: str = ""

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """Each row's label and its cells, in order."""
        out: dict[tuple[int, str], list[Cell]] = {}
        for c in self.cells:
            out.setdefault((c.row_start, c.label), []).append(c)
        return [(label, cells) for (_, label), cells in out.items()]


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def header_columns(line: str) -> tuple[str, ...]:
    """The column names at the end of a header line: its period tokens (a unit such as "(£)"
    joined to the period before it), plus one word after the last period ("Change"); empty when
    the line names no period."""
    tokens = line.split()
    cols: list[str] = []
    for i, tok in enumerate(tokens):
        if _PERIOD.match(tok):
            cols.append(tok)
        elif _UNIT.match(tok) and cols and tokens[i - 1] == cols[-1].split()[0]:
            cols[-1] = f"{cols[-1]} {tok}"
    if not cols:
        return ()
    if len(set(cols)) < len(cols):
        # "Budget 2022-23 (£) Actual 2022-23 (£)": the word before each period tells them apart.
        named, c = [], 0
        for i, tok in enumerate(tokens):
            if _PERIOD.match(tok) and c < len(cols):
                named.append(f"{tokens[i - 1]} {cols[c]}" if i and _LETTER.search(tokens[i - 1]) else cols[c])
                c += 1
        cols = named
    last = max(i for i, t in enumerate(tokens) if _PERIOD.match(t) or _UNIT.match(t))
    tail = tokens[last + 1:]
    if len(tail) == 1 and not _ONE_VALUE.fullmatch(tail[0]):
        cols.append(tail[0])
    elif tail:
        return ()
    return tuple(cols)


def _row(text: str, start: int, end: int, k: int) -> list[Cell] | None:
    """The cells of a line holding a label and exactly ``k`` values, else None."""
    line = text[start:end]
    m = _VALUES_AT_END.search(line)
    if not m:
        return None
    # The last k values are the row's; a number before them belongs to the label ("aged 0 to 17").
    values = list(_ONE_VALUE.finditer(line, m.start()))[-k:]
    label = line[:values[0].start()].strip() if len(values) == k else ""
    if not _LETTER.search(label) or _FIGURE_IN_LABEL.search(label) or len(label.split()) > MAX_LABEL_WORDS or all(_PERIOD.match(v.group(0)) for v in values):
        return None
    return [Cell(label, "", v.group(0), start, end, start + v.start(), start + v.end()) for v in values]


def _run_on_rows(text: str, start: int, end: int, k: int) -> list[list[Cell]]:
    """Rows run together on one line: label, k values, label, k values, ..."""
    line = text[start:end]
    pattern = re.compile(rf"([A-Za-z][^£$\d\n]*?)((?:\s+{_VALUE}){{{k}}})(?=\s+[A-Za-z]|\s*$)")
    rows, pos = [], 0
    for m in pattern.finditer(line):
        if line[pos:m.start()].strip():
            return []
        label = m.group(1).strip()
        vals = list(_ONE_VALUE.finditer(line, m.start(2), m.end(2)))
        rows.append([Cell(label, "", v.group(0), start + m.start(), start + m.end(), start + v.start(), start + v.end())
                     for v in vals])
        pos = m.end()
    return rows if pos >= len(line.rstrip()) and len(rows) >= MIN_ROWS else []


def find_tables(text: str) -> list[Table]:
    """Every table in ``text`` (see the module docstring), in text order."""
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        hs, he = lines[i]
        columns = header_columns(text[hs:he])
        if not columns:
            i += 1
            continue
        k = len(columns)
        rows: list[list[Cell]] = []
        j = i + 1
        while j < len(lines):
            cells = _row(text, *lines[j], k)
            if cells is None:
                break
            rows.append(cells)
            j += 1
        if not rows and j < len(lines):
            rows = _run_on_rows(text, *lines[j], k)
            j += 1 if rows else 0
        if any(all(_PERIOD.match(c.value) for c in row) for row in rows):
            rows = []  # "April 2022 to March 2023": dates in prose, not a table
        if len(rows) >= MIN_ROWS:
            cells = tuple(Cell(c.label, columns[n], c.value, c.row_start, c.row_end, c.value_start, c.value_end)
                          for row in rows for n, c in enumerate(row))
            tables.append(Table(columns, hs, he, rows[-1][0].row_end, cells))
            i = j
        else:
            i += 1
    return tables
