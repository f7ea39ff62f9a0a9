"""Flattened infographics read as label-value cells with their offsets.

A designed page of figures ("Number of referrals from: EDUCATION 1071 HEALTH 1171 POLICE 1841")
loses its boxes in the PDF's text layer: what is left is a run of short labels in capitals,
each followed by its figure, on one line or one word a line. ``find_infographics`` reads a run
of at least ``MIN_PAIRS`` such label-figure pairs into a ``Table`` of the same ``Cell``s as
``ingest.tables``: the column is the report's period (the figures are the year's), the header
is the text just above the run (what the figures count), kept as the table's ``heading``.

Only label-first runs are read. A run that follows a bare figure is left alone: its page may
put figures before labels ("2961 STRATEGY MEETINGS 1778 SECTION 47 ENQUIRIES"), and then
pairing each label with the figure after it would misplace every figure.
"""

from __future__ import annotations

import re

from ingest.tables import Cell, Table

MIN_PAIRS = 3
MAX_LABEL_WORDS = 6
# A page-number list ("INTRODUCTION 3 GOVERNANCE 5 LEARNING 12") rises in small steps; figures
# of an infographic rarely all rise and all stay under this.
PAGE_NUMBER_CEILING = 200

# A word in capitals ("POLICE", "CHILDREN'S", "(ICPCS)"); "&" joins words. One-letter words
# ("A", "I") are prose in capitals, not labels.
_CAP_WORD = r"(?:[A-Z][A-Z'’\-]*[A-Z]|\([A-Z]{2,}\)|&)"
_FIGURE = r"£?\d+(?:,\d{3})*(?:\.\d+)?%?"  # "12," ends a clause: not the figure "12,"
_PAIR = rf"({_CAP_WORD}(?:[ \t]*\n?[ \t]*{_CAP_WORD}){{0,{MAX_LABEL_WORDS - 1}}})\s+({_FIGURE})(?![\w.,%£])"
# Not inside a word or a figure; the run's pairs are separated by whitespace only.
_RUN = re.compile(rf"(?<![\w£%.,'’&()-])(?:{_PAIR}\s+){{{MIN_PAIRS - 1},}}{_PAIR}")
_ONE_PAIR = re.compile(_PAIR)
_FIGURE_BEFORE = re.compile(rf"{_FIGURE}\s*$")
_LETTER = re.compile(r"[A-Za-z]")


def _pairs(text: str, start: int, end: int) -> list[re.Match]:
    """The label-figure matches of the run ``text[start:end]``, in order."""
    out, pos = [], start
    while (m := _ONE_PAIR.search(text, pos, end)) is not None:
        out.append(m)
        pos = m.end()
    return out


def _plain(figure: str) -> float:
    return float(figure.strip("£%").replace(",", ""))


def _looks_like_page_numbers(figures: list[str]) -> bool:
    values = [_plain(f) for f in figures]
    return all(a < b for a, b in zip(values, values[1:])) and values[-1] < PAGE_NUMBER_CEILING and not any(
        "," in f or "%" in f or "£" in f for f in figures)


def _heading(text: str, run_start: int) -> tuple[int, int]:
    """The span of the text just above a run: the words before it on its line, else the line
    before it (empty when that holds no words)."""
    line_start = text.rfind("\n", 0, run_start) + 1
    if text[line_start:run_start].strip():
        return line_start, run_start
    prev_end = line_start - 1
    while prev_end > 0 and text[prev_end - 1] == "\n":
        prev_end -= 1
    prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
    if prev_end <= 0 or not _LETTER.search(text[prev_start:prev_end]):
        return run_start, run_start
    return prev_start, prev_end


def find_infographics(text: str, period: str = "") -> list[Table]:
    """Every label-first run of at least ``MIN_PAIRS`` capitalised labels each followed by a
    figure in ``text``, as a one-column table (column ``period``), in text order."""
    tables: list[Table] = []
    for run in _RUN.finditer(text):
        if _FIGURE_BEFORE.search(text, max(0, run.start() - 40), run.start()):
            continue  # figures may come before their labels here
        pairs = _pairs(text, run.start(), run.end())
        figures = [m.group(2) for m in pairs]
        if len(pairs) < MIN_PAIRS or _looks_like_page_numbers(figures):
            continue
        cells = tuple(Cell(" ".join(m.group(1).split()), period, m.group(2), m.start(1), m.end(2), m.start(2), m.end(2))
                      for m in pairs)
        hs, he = _heading(text, run.start())
        heading = " ".join(text[hs:he].split())
        tables.append(Table((period,), hs, he, run.end(), cells, heading=heading))
    return tables
