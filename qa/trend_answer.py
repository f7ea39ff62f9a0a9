"""A change over time: one best-supported row per report period, oldest first, each
partnership a series of its own, with the differences between the figures quoted. The engine (``qa.engine``) holds the index and its caches."""

from __future__ import annotations

from collections.abc import Sequence

from qa import answer as compose
from qa import cells
from qa.config import QAConfig
from qa.entities import asks_who, has_name
from qa.intent import parse_intent
from qa.pagebreak import whole_sentences
from qa.rank import Ranked, idf_table, question_terms, rerank
from qa.retrieve import allowed_rows, retrieve
from qa.single_answer import TABLE_PASSAGES
from qa.spans import overlaps
from qa.trend import (comparable, describe_gaps, differences, row_scores, scope_note, scope_vocabulary, second_rows,
                      uncovered_years, year_scopes)

# A year-by-year row's passage: its quote in context, not its whole chunk, so that four reports'
# rows can be read side by side (and within the benchmark's 400-word reading budget).
TREND_PASSAGE_WORDS = 100
# A year's row quotes a table row alone: the passage around it shows its table.
TREND_TABLE_WORDS = 0
# Year rows are chosen among a few alternatives per report for saying the same kind of thing
# (qa.trend.row_scores).
ROW_CONSISTENCY, ROW_ALTERNATIVES, ROW_ALTERNATIVE_RATIO = 0.3, 3, 0.8
# ... and, for figure questions, for stating figures of a like size (qa.trend.scale_closeness);
# any weight from 0.3 to 1 does as well on the even questions; the middle one is kept.
ROW_SIZE_CONSISTENCY = 0.5
# A second row for a report (qa.trend.second_rows): its score as a share of the first row's, the
# share of the question's weight it must add (as compose.COVER_GAIN), and how much less like the
# other reports' rows it may be; chosen on the even questions, checked on the odd ones.
SECOND_ROW_RATIO, SECOND_ROW_GAIN, SECOND_ROW_MARGIN = 0.95, compose.COVER_GAIN, 0.1
# A "who" trend's row names a person when a quote that does is worth this share of the best quote.
NAME_ROW_RATIO = compose.COVER_RATIO


def trend(engine, query: str, qvec, slots: Sequence[tuple[str, str, Sequence[str]]], cfg: QAConfig):
    """One best-supported sentence per report period, oldest first. ``slots`` are (period,
    partnership, sources): each partnership named ("" for none) is a series of its own,
    compared only within itself."""
    intent = parse_intent(query, tuple(p for p, _, _ in slots))
    need_figure = cfg.abstain and (intent.figure or intent.quantity)
    must_hold = engine._subject_test(query) if need_figure else None
    picks, prefixes, all_ranked, owners = [], [], [], []
    missing: dict[str, list[str]] = {}
    strengths = []
    series: dict[str, list] = {}
    for period, who, sources in slots:
        mask = allowed_rows(engine.store, [period], sources)
        hits = retrieve(engine.store, engine._keyword_query(query, cfg), qvec, mask, cfg.retrieval, cfg.candidates)
        ranked = rerank(engine.store, query, hits, cfg.second_stage, qvec, trend=True, ranker=engine._ranker(cfg),
                        intent=intent, proper=engine.proper)
        all_ranked.extend(ranked[:3])
        chosen = compose.select_sentences(engine.store, ranked, ROW_ALTERNATIVES, question=query,
                                          need_figure=need_figure, must_hold=must_hold,
                                          table_words=TREND_TABLE_WORDS, min_ratio=ROW_ALTERNATIVE_RATIO)
        if need_figure:  # measured in docs/evaluation.md ("Results at b60f2f4")
            chosen = with_cell_row(engine, ranked, query, chosen, ROW_ALTERNATIVES)
        named = named_rows(engine, ranked, query) if chosen and asks_who(query) else []
        # A name is the part of a "who" question other quotes miss, as compose.COVER_RATIO allows.
        if named and named[0][3] >= NAME_ROW_RATIO * max(p[3] for p in chosen):
            chosen = named
        series.setdefault(who, []).append((period, ranked, chosen))
    for who, per_period in series.items():
        scores = row_scores(engine.store, per_period, ROW_CONSISTENCY, ROW_SIZE_CONSISTENCY if need_figure else 0.0)
        per_period = second_rows(engine.store, per_period, scores, question_terms(query, idf_table(engine.store)),
                                 SECOND_ROW_RATIO, SECOND_ROW_GAIN, SECOND_ROW_MARGIN)
        for period, ranked, chosen in per_period:
            label = f"{period}, {who}" if who else period  # the year first: rows are read by it
            strength = engine._strength(ranked, query, chosen[0] if chosen else None, cfg)
            if not chosen or strength < engine._bar(cfg):
                missing.setdefault(who, []).append(period)
                continue
            strengths.append(strength)
            for k, pick in enumerate(chosen):
                picks.append(pick)
                owners.append(who)
                prefixes.append(f"- {label}: " if k == 0 else "  ")
    picks = whole_sentences(engine.store, picks, across_chunks=False)  # one row per pick stays
    text, cites = compose.render(engine.store, picks, prefixes, passage_words=TREND_PASSAGE_WORDS)
    if cites:
        for who in series:
            firsts = [(prefixes[i][2:9], p, cites[i].n) for i, p in enumerate(picks)
                      if prefixes[i].startswith("- ") and owners[i] == who]
            rows = [(period, " ".join(engine.store.document_text_span(p[0].row, p[1], p[2]).split())) for period, p, _ in firsts]
            scoped = year_scopes(engine.store, firsts, scope_vocabulary(engine.store)) \
                if intent.figure or intent.quantity else []
            diffs = differences(rows, comparable(scoped))
            if diffs:
                text += f"\nDifferences{', ' + who if who else ''}, from the figures quoted above: " + "; ".join(diffs) + "."
            text += scope_line(engine, scoped, cites, who)
        for who, years in missing.items():
            text += f"\nThe reports{' of ' + who if who else ''} do not say for {', '.join(years)}."
        for who in series:
            gaps = uncovered_years([p for p, w, _ in slots if w == who])
            if gaps:
                text += f"\nNo report{' of ' + who if who else ''} covers {describe_gaps(gaps)}."
    all_ranked.sort(key=lambda r: -r.score)
    return text, cites, max(strengths, default=0.0), engine._rows(all_ranked)

def scope_line(engine, years, cites: list, who: str = "") -> str:
    """The "Not like for like" line of one series' year rows (``qa.trend.scope_note``), "" when
    their figures have one scope; a caption it quotes is appended to ``cites``."""
    line, new = scope_note(engine.store, years, len(cites) + 1, who)
    for n, row, start, end, row_n in new:
        # The caption's passage runs on through its row's passage: the scope and the figure it
        # scopes are read together.
        shown = cites[row_n - 1]
        chunk, last = engine.store.chunks[shown.row], engine.store.chunks[shown.row_end or shown.row]
        p_start, p_end = shown.passage or (chunk.char_start, last.char_end)
        cites.append(compose.Citation(n, row, start, end, shown.score, (min(start, p_start), max(end, p_end))))
    return f"\n{line}" if line else ""


def with_cell_row(engine, ranked: list[Ranked], query: str, chosen: list, n: int) -> list:
    """A report's alternatives with the table row whose label the question names first
    (``qa.cells.match_cell``, as a one-report figure answer is given): among a table's rows the
    sentence scores barely differ (each row leans on its table's words), its label does."""
    found = cells.cell_near(engine.store, [r.row for r in ranked[:TABLE_PASSAGES]], query, idf_table(engine.store))
    if found is None:
        return chosen
    match, near_row = found
    cell = match.cell
    row = cells.row_of_offset(engine.store, near_row, cell.row_start)
    item = next((r for r in ranked if r.row == row), None)
    if item is None or engine.store.chunks[row].char_end < cell.row_end:
        return chosen
    worth = max((p[3] for p in chosen), default=item.score)
    pick = (item, cell.row_start, cell.row_end, worth)
    rest = [p for p in chosen if not overlaps((row, cell.row_start, cell.row_end), (p[0].row, p[1], p[2]))]
    return [pick, *rest][:n]


def named_rows(engine, ranked: list[Ranked], question: str) -> list:
    """A "who ..." trend's alternatives for one report that name a person (qa.entities), or []
    when none does (the report may name only a role: "an Independent Scrutineer")."""
    proper = engine.proper
    return compose.select_sentences(engine.store, ranked, ROW_ALTERNATIVES, question=question,
                                    min_ratio=ROW_ALTERNATIVE_RATIO, table_words=TREND_TABLE_WORDS,
                                    must_hold=lambda text: has_name(text, proper, exclude=question))
