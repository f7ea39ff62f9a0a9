"""Answer a figure question from a table cell: "Training, 2024-25: £70,341", citing the table.

A question asking for a figure names the thing counted (a row label: "foster care and
residential care") and often a year (a column: "2022/23"). ``match_cell`` scores every cell of
the tables (``ingest.tables``) that lie in the top passages: the row label must be covered by
the question's words, idf-weighted (``label_cover``), and the column must be the year asked
for; with no year asked, the column of the report's own year, else the last year column.
An infographic's labels are single words ("POLICE"), so its cells also need the question to
hold the rarest word of the heading that says what the figures count ("referrals").
"""

from __future__ import annotations

from dataclasses import dataclass

from index.keyword import tokenize
from ingest.infographics import find_infographics
from ingest.tables import Cell, Table, find_tables
from qa.cache import per_chunks
from qa.periods import MONTHS, named_periods
from qa.quantity import COUNT_ASKED, MONEY_ASKED, SHARE_ASKED, place_matches, places_of

# Question words that frame a figure question rather than name the row asked about.
_FRAME = frozenset(tokenize("how many much number amount figure figures were was did does do during "
                            "year years spend spent spending cost costs in on by of for what which the a at end"))
MIN_LABEL_COVER = 0.6
# A date qualifies a row ("Children in need at 31 March"); it does not name the thing counted.
_DATE_WORDS = frozenset(tokenize(" ".join(MONTHS) + " census end start year"))


@dataclass(frozen=True)
class CellMatch:
    """The rows of one table a question asks for, best first, each with the cells of the
    columns asked for; ``label_cover`` is the best row's (0-1)."""

    rows: tuple[tuple[Cell, ...], ...]
    table: Table
    label_cover: float

    @property
    def cell(self) -> Cell:
        """The answer's first cell."""
        return self.rows[0][0]

    def claim(self) -> str:
        """The answer's words: each row's label (after an infographic's heading), then each
        column and value, verbatim."""
        lead = f"{self.table.heading} " if self.table.heading else ""
        return ". ".join(f"{lead}{r[0].label}, " + "; ".join(f"{c.column}: {c.value}" for c in r) for r in self.rows)


def value_fits(question: str, cell: Cell) -> bool:
    """Whether the kind of figure asked for fits the cell: a share asks for a percentage, a
    count for a bare number, money for a sum (a £ in the value or its column)."""
    money = "£" in cell.value or "£" in cell.column
    share = cell.value.endswith("%")
    if SHARE_ASKED.search(question):
        return share
    if COUNT_ASKED.search(question):
        return not money and not share
    if MONEY_ASKED.search(question):
        return money
    return True


def column_period(column: str) -> str:
    """The reporting year a column names ("2022-23 (£)" -> "2022-23"), or ""."""
    return next(iter(named_periods(column)), "")


def label_cover(label: str, terms: set[str], idf: dict[str, float]) -> float:
    """Idf-weighted share of the row label's words that the question holds; 0 when the
    question lacks the label's rarest word, which names the thing counted ("need" in
    "Children in need")."""
    words = {w for w in tokenize(label) if not w.isdigit() and w not in _DATE_WORDS}
    if not words:
        return 0.0
    default = max(idf.values(), default=1.0)
    if max(words, key=lambda w: (idf.get(w, default), w)) not in terms:
        return 0.0
    total = sum(idf.get(w, default) for w in words)
    return sum(idf.get(w, default) for w in words & terms) / total if total else 0.0


def heading_asked(heading: str, terms: set[str], idf: dict[str, float]) -> bool:
    """Whether the question holds the rarest word of a heading (True for no heading)."""
    words = set(tokenize(heading)) - _FRAME
    if not words:
        return True
    default = max(idf.values(), default=1.0)
    return max(words, key=lambda w: (idf.get(w, default), w)) in terms


def pick_column(table: Table, asked: set[str], own_period: str) -> set[str]:
    """The columns a question means: those of the years asked; with none asked, the report's own
    year's, else the last year column."""
    by_period = {c: column_period(c) for c in table.columns}
    years = [c for c in table.columns if by_period[c]]
    if asked:
        chosen = [c for c in years if by_period[c] in asked]
    elif years:
        chosen = [c for c in years if by_period[c] == own_period] or [years[-1]]
    else:
        chosen = list(table.columns[:1])
    return set(chosen)


def match_cell(question: str, tables: list[tuple[Table, str]], idf: dict[str, float], max_rows: int = 1) -> CellMatch | None:
    """The table whose best row label the question covers most (at least ``MIN_LABEL_COVER``),
    with up to ``max_rows`` of its rows so covered, best first; None when no row qualifies."""
    terms = set(tokenize(question)) - _FRAME
    asked = set(named_periods(question))
    best: CellMatch | None = None
    for table, own in tables:
        if not heading_asked(table.heading, terms, idf):
            continue
        columns = pick_column(table, asked, own)
        if asked and not any(column_period(c) in asked for c in columns):
            continue
        found = []
        for label, cells in table.rows():
            cover = label_cover(label, terms, idf)
            chosen = tuple(c for c in cells if c.column in columns and value_fits(question, c))
            if cover >= MIN_LABEL_COVER and chosen:
                found.append((cover, chosen))
        found.sort(key=lambda f: -f[0])
        if found and (best is None or found[0][0] > best.label_cover):
            best = CellMatch(tuple(c for _, c in found[:max_rows]), table, found[0][0])
    return best


def tables_of(store, doc_id: str) -> list[Table]:
    """The tables and infographics of a document (cached on the store, per chunk list)."""
    tables = per_chunks(store, "_table_cache", dict)
    if doc_id not in tables:
        pages = store.pages.get(doc_id, [])
        text = store.document_text(doc_id, 0, pages[-1].char_end if pages else 0)
        document = store.documents.get(doc_id)
        # No run is read as both: a table's rows follow its header's period or column word, and
        # an infographic run may not follow a figure nor hold a label followed by two figures.
        found = find_tables(text) + find_infographics(text, document.period if document else "")
        tables[doc_id] = sorted(found, key=lambda t: t.header_start)
    return tables[doc_id]


def tables_near(store, rows: list[int], question: str = "") -> dict[int, tuple[int, str]]:
    """Tables that overlap any of the given chunks: ``id(table) -> (row, period)`` of the
    first such chunk (in the order given) and its report's period. An infographic is not
    taken from a chunk naming only other places than the question does: one report may hold
    an infographic per area, alike but for the figures, told apart only by the prose around."""
    out: dict[int, tuple[Table, int, str]] = {}
    places = places_of(store) if question else {}
    for row in rows:
        chunk = store.chunks[row]
        elsewhere = bool(question) and not place_matches(chunk.text, question, places=places)
        for t in tables_of(store, chunk.doc_id):
            if elsewhere and t.heading:
                continue
            if id(t) not in out and t.header_start < chunk.char_end and chunk.char_start < t.end:
                out[id(t)] = (t, row, store.documents[chunk.doc_id].period)
    return out


def cell_near(store, rows: list[int], question: str, idf: dict[str, float],
              max_rows: int = 1) -> tuple[CellMatch, int] | None:
    """The cells a question asks for (``match_cell``) in the tables overlapping the chunks
    ``rows``, with the chunk their table was found beside; None when no row qualifies."""
    near = tables_near(store, rows, question)
    match = match_cell(question, [(t, period) for t, _, period in near.values()], idf, max_rows=max_rows)
    return None if match is None else (match, near[id(match.table)][1])


def row_of_offset(store, near: int, offset: int) -> int:
    """The chunk of the same document as chunk ``near`` that holds a document offset (a
    document's chunks are contiguous rows); ``near`` itself when none does."""
    doc_id = store.chunks[near].doc_id
    for step in (-1, 1):
        i = near
        while 0 <= i < len(store.chunks) and store.chunks[i].doc_id == doc_id:
            c = store.chunks[i]
            if c.char_start <= offset < c.char_end:
                return i
            i += step
    return near
