"""One answer from one ranking: the quotes of a question that is not a change over time, and a
figure found in a table near the top passages answered as its cell. The engine (``qa.engine``)
holds the index and its caches; these functions read them."""

from __future__ import annotations

import dataclasses
import re

from qa import answer as compose
from qa import cells, spans
from qa.acronyms import alias_groups
from qa.config import QAConfig
from qa.intent import Intent
from qa.pagebreak import whole_sentences
from qa.rank import Ranked, idf_table, lexical_overlap, question_terms

TABLE_PASSAGES = 5  # tables overlapping this many top passages may answer a figure question
# Whether a cell answer keeps the sentence answer's quotes after it (measured: docs/evaluation.md).
KEEP_QUOTES_WITH_CELL = True
# Words an answer's first quote reads on to (qa.spans.read_on): a figure answer's, and any
# later quote's; chosen on the benchmark's even questions, checked on its odd ones.
READ_ON_WORDS, FIGURE_READ_ON, READ_ON_ALL = 90, 40, 60
LIST_QUOTES, LIST_MIN_RATIO = 5, 0.85
# A figure or subject test is a preference, not a veto: the best quote that only holds some
# figure (and whose passage names the subject) answers instead of the best one passing the
# tests when it is worth this many times more. On the train split 1.0 loses fact recall
# (0.875 -> 0.841) and 1.5 to 3 change nothing; 2 is the middle (docs/evaluation.md).
LOOSE_RATIO = 2.0
# A figure quote worth less than this share of the best sentence overall, which holds no figure,
# answers nothing. The lowest share among the train split's correct figure answers is 0.66;
# no train answer changes at 0.5 (docs/evaluation.md).
FIGURE_FLOOR = 0.5


def single(engine, ranked: list[Ranked], top_k: int, cfg: QAConfig, query: str, as_list: bool = False,
            need_figure: bool = False, must_hold=None, loose_hold=None, two: bool = False):
    aliases = alias_groups(query, engine.acronyms)  # "SCR" and "serious case review" are one name
    if not cfg.second_stage:
        # Without a second stage: the best sentence of each of the first top_k chunks.
        picks = [(r, r.sentences[0].sentence.start, r.sentences[0].sentence.end, r.score)
                 for r in ranked[:top_k] if r.sentences]
    else:
        if as_list:
            picks = compose.select_sentences(engine.store, ranked, max(top_k, LIST_QUOTES), min_ratio=LIST_MIN_RATIO, per_chunk=4,
                                             question=query, need_figure=need_figure, continue_lists=True,
                                             must_hold=must_hold, aliases=aliases)
            picks = spans.one_list(engine.store, picks)  # judged on the lists the picks quote
            if picks and not need_figure and must_hold is None:
                picks = spans.read_on(engine.store, picks, 0, READ_ON_WORDS)
        else:
            # A figure answer's first quote states the count asked for (it passed the figure
            # tests); a later one is another count (a newsletter's readers beside an event's
            # attendance), unless the question asks a second thing, whose answer may be in
            # the same passage (a table's staffing row and its total): ``two`` (``Intent.two_things``).
            n = 1 if need_figure and not two else min(cfg.max_sentences, top_k)
            picks = compose.select_sentences(engine.store, ranked, n, question=query, need_figure=need_figure,
                                             must_hold=must_hold, aliases=aliases, per_chunk=2 if two else 1)
            if loose_hold is not None and (need_figure or must_hold is not None):
                picks = _loosened(engine, ranked, picks, n, query, loose_hold, aliases)
            if picks and must_hold is None:
                picks = spans.read_on(engine.store, picks, 0, FIGURE_READ_ON if need_figure else READ_ON_WORDS)
                for i in range(len(picks) - 1, 0, -1):  # from the last, so indices stay valid
                    if picks[i][0].sentences:  # not a chunk read on into
                        picks = spans.read_on(engine.store, picks, i, READ_ON_ALL)
            if two and picks:
                picks = _with_review_action(engine, ranked, picks, query)
    if cfg.second_stage:
        picks = whole_sentences(engine.store, picks)  # a sentence a page break cuts is quoted whole
    text, cites = compose.render(engine.store, picks, labels=engine._claim_labels([p[0].row for p in picks]))
    strength = engine._strength(ranked, query, picks[0] if picks and cfg.second_stage else None, cfg)
    return text, cites, strength, engine._rows(ranked)


def _loosened(engine, ranked: list[Ranked], picks: list, n: int, query: str, loose_hold, aliases) -> list:
    """``picks`` (which passed the figure and subject tests), unless the best quote overall
    passes only ``loose_hold`` (some figure, the subject named in its passage) and is worth
    LOOSE_RATIO times the first pick: it then answers first. The tests were written on one
    partnership's phrasing ("the number of children who are ... rose from 287") and a veto
    cannot be outweighed however well the sentence matches."""
    loose = compose.select_sentences(engine.store, ranked, 1, question=query, aliases=aliases)
    if not loose:
        return picks
    best = loose[0]
    if not loose_hold(engine.store.document_text_span(best[0].row, best[1], best[2]), best[0].row):
        # The best sentence speaks of what is asked but holds no figure of it, and the figure
        # quote is worth far less: the reports give no such figure ("long waits for
        # assessment" against a scrutineer's "three months").
        return [] if picks and picks[0][3] < FIGURE_FLOOR * best[3] else picks
    if picks and best[3] < LOOSE_RATIO * picks[0][3]:
        return picks
    rest = [p for p in picks if not spans.overlaps((p[0].row, p[1], p[2]), (best[0].row, best[1], best[2]))]
    return [best, *rest][:n]


def _with_review_action(engine, ranked: list[Ranked], picks: list, query: str) -> list:
    """``picks`` and, when the question names a review and asks a second thing, that review's
    action point (``qa.catalogue``: what was done after it) in a report the picks quote, the one
    sharing most of the question's words, unless a pick already quotes it. A learning point's
    sentence and what the partnership did about it are seldom one passage apart."""
    from ingest.reviews import pseudonyms
    from qa.catalogue import actions_about, engine_catalogue

    if not pseudonyms(query):
        return picks  # no review named: the catalogue need not be built
    store = engine.store
    actions = actions_about(engine_catalogue(engine), query, {store.chunks[p[0].row].doc_id for p in picks})
    if not actions:
        return picks
    terms = question_terms(query, idf_table(store))
    for a in sorted(actions, key=lambda a: -lexical_overlap(terms, a["quote"])):
        if any(store.chunks[p[0].row].doc_id == a["doc_id"] and p[1] < a["quote_end"] and a["quote_start"] < p[2]
               for p in picks):
            return picks  # already quoted
        holder = next((r for r in ranked if store.chunks[r.row].doc_id == a["doc_id"]
                       and store.chunks[r.row].char_start <= a["quote_start"] < store.chunks[r.row].char_end), None)
        if holder is not None:
            return [*picks, (holder, a["quote_start"], a["quote_end"], picks[-1][3])]
    return picks


def table_answer(engine, intent: Intent, ranked: list[Ranked], result):
    """A figure found in a table of the top passages answers as its cell: "label, column:
    value", citing the row inside its table (``qa.cells``), followed by ``result``'s quotes
    (renumbered): a cell answers one row, and the rest of what was asked ("and how many from
    health and police?") may be in the sentences; with no cell ``result`` stands."""
    found = cells.cell_near(engine.store, [r.row for r in ranked[:TABLE_PASSAGES]], intent.question,
                            idf_table(engine.store), max_rows=2 if intent.two_things else 1)
    if found is None:
        return result
    match, near_row = found
    c, quoted = match.cell, [r[0] for r in match.rows]
    start, end = min(q.row_start for q in quoted), max(q.row_end for q in quoted)
    row = cells.row_of_offset(engine.store, near_row, start)
    cite = compose.Citation(1, row, start, end, match.label_cover, (match.table.header_start, match.table.end),
                            row_end=cells.row_of_offset(engine.store, near_row, match.table.end - 1),
                            cell={"label": c.label, "column": c.column, "value": c.value,
                                  "value_start": c.value_start, "value_end": c.value_end})
    label = engine._claim_labels([row])[0]
    claim = f"{label + ': ' if label else ''}{match.claim()}"
    doc = engine.store.chunks[row].doc_id
    inside = [c for c in result[1] if engine.store.chunks[c.row].doc_id == doc
              and match.table.header_start <= c.quote_start and c.quote_end <= match.table.end]
    if result[1] and KEEP_QUOTES_WITH_CELL and len(inside) < len(result[1]):
        # The cell first, then the sentence answer's quotes, unless a quote is only the cell's own
        # table (shown with the cell marked already).
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + 1}]", result[0])
        rest = [dataclasses.replace(c, n=c.n + 1) for c in result[1]]
        return f"{claim} [1]\n{text}", [cite, *rest], result[2], result[3]
    return f"{claim} [1]", [cite], result[2], result[3]
