"""The question-answering engine: filters, retrieval, second stage, composition, abstention."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

import numpy as np


from index.store import IndexStore
from ingest.errors import QueryError
from qa import answer as compose
from qa.acronyms import alias_groups, find_acronyms, with_acronyms
from qa.config import CONFIGS, QAConfig
from qa.expand import expand
from qa.entities import asks_who, has_name, names_subject, proper_words, subject_of, wants_name
from qa.followup import is_followup
from qa.learning import group_by_theme
from qa import organisations as orgs
from qa.pagebreak import whole_sentences
from qa.quantity import places_of
from qa.periods import mention_pattern, period_mentions, period_start, strip_time, strip_trend
from qa import cells, spans
from qa.normalise import correct, vocabulary_of
from qa.intent import parse_intent
from qa.rank import Ranked, best_inside, figure_flags, idf_table, missing_share, question_terms, rerank
from qa.ranker import WEIGHTS_FILE, Ranker, load_ranker
from qa.trend import describe_gaps, differences, row_scores, second_rows, uncovered_years
from qa.retrieve import allowed_rows, retrieve

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MODES = ("answer", "learning")
# A question naming the kind of document it asks about as its source: "in its annual report",
# "according to the Cabinet report".
_SOURCE_KIND = re.compile(r"\b(?:in|from|according to)\s+(?:its|the|their|our)\s+(?:[\w/-]+\s+){0,3}?"
                          r"(annual report|yearly report|cabinet (?:report|paper))\b", re.IGNORECASE)
TABLE_PASSAGES = 5  # tables overlapping this many top passages may answer a figure question
# A year-by-year row's passage: its quote in context, not its whole chunk, so that four reports'
# rows can be read side by side (and within the benchmark's 400-word reading budget).
TREND_PASSAGE_WORDS = 100
# Words an answer's first quote reads on to (qa.spans.read_on): a figure answer's, and any
# later quote's; chosen on the benchmark's even questions, checked on its odd ones.
READ_ON_WORDS, FIGURE_READ_ON, READ_ON_ALL = 90, 40, 60
LIST_QUOTES, LIST_MIN_RATIO = 5, 0.85
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


def check_question(question: str) -> str:
    """The question stripped, or a QueryError with the exact reason."""
    if not isinstance(question, str) or not question.strip():
        raise QueryError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(f"question is longer than {MAX_QUESTION_CHARS} characters ({len(question)})")
    return question.strip()


class Engine:
    """Holds the index and the embedder; ``ask`` answers one question as the API's JSON.

    ``abstain_threshold``: evidence strength below which the engine declines. Calibrated on the
    benchmark: between the weakest answerable question it answers (0.228) and the strongest
    unanswerable one that only the strength declines (0.14; the others fail a stricter test).
    """

    def __init__(self, store: IndexStore, embedder, abstain_threshold: float = 0.2,
                 ranker: Ranker | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.abstain_threshold = abstain_threshold
        # The fitted ranker saved beside the code (``reportqa fit``); without one, the hand weights.
        self.ranker = ranker if ranker is not None else (load_ranker() if WEIGHTS_FILE.is_file() else None)

    def _ranker(self, cfg: QAConfig) -> Ranker | None:
        return self.ranker if cfg.fitted and cfg.second_stage else None


    def _bar(self, cfg: QAConfig, learning: bool = False) -> float:
        """The evidence strength under which the engine declines: the fitted ranker's own bar, or
        the hand one; in learning mode every passage is review learning, so half suffices."""
        ranker = self._ranker(cfg)
        bar = ranker.abstain_below if ranker is not None else self.abstain_threshold
        return bar * (0.5 if learning else 1.0)

    @property
    def acronyms(self) -> dict[str, str]:
        """Acronyms the indexed reports define (recomputed when the chunks change)."""
        cached = getattr(self, "_acronyms", None)
        if cached is None or cached[0] is not self.store.chunks:
            cached = (self.store.chunks, find_acronyms(c.text for c in self.store.chunks))
            self._acronyms = cached
        return cached[1]

    @property
    def proper(self) -> frozenset[str]:
        """Words the indexed reports only ever capitalise (recomputed when the chunks change)."""
        cached = getattr(self, "_proper", None)
        if cached is None or cached[0] is not self.store.chunks:
            cached = (self.store.chunks, proper_words(c.text for c in self.store.chunks))
            self._proper = cached
        return cached[1]

    def warm(self) -> "Engine":
        """Build every cache a question would otherwise build on first use (acronyms, proper
        words, partnerships, idf, figure flags, document texts), so that an engine can be made
        ready before it is swapped in and no request in flight pays for it."""
        for name in ("acronyms", "proper", "partnerships"):
            getattr(self, name, None)
        idf_table(self.store)
        for row in range(len(self.store.chunks)):
            figure_flags(self.store, row)
        for doc_id in self.store.documents:
            self.store.document_text(doc_id, 0, 0)
            cells.tables_of(self.store, doc_id)
        vocabulary_of(self.store)
        places_of(self.store)
        return self

    def _must_hold(self, question: str):
        """The test a quoted span must pass for this question, or None (qa.entities)."""
        tests = []
        if wants_name(question):
            proper = self.proper
            tests.append(lambda text: has_name(text, proper, exclude=question))
        subject = self._subject_test(question)
        if subject:
            tests.append(subject)
        if not tests:
            return None
        return lambda text: all(t(text) for t in tests)

    def _subject_test(self, question: str):
        """A test that a quoted span names the organisation a figure question is about
        ("how much did Rutland County Council contribute"), or None (qa.entities)."""
        subject = subject_of(question)
        if not subject:
            return None
        acronyms = self.acronyms
        return lambda text: names_subject(text, subject, acronyms)

    def _sources_named(self, question: str) -> list[str]:
        """The documents of the kind a question names as its source ("in its 2021-22 annual
        report" is not the council's cabinet paper about that report), or [] for any."""
        m = _SOURCE_KIND.search(question)
        if not m:
            return []
        kind = "cabinet paper" if m.group(1).lower().startswith("cabinet") else "annual report"
        return sorted(d.source for d in self.store.documents.values() if d.kind == kind)

    @property
    def periods(self) -> list[str]:
        return sorted({d.period for d in self.store.documents.values() if d.period}, key=period_start)

    @property
    def partnerships(self) -> list[orgs.Partnership]:
        """The partnerships the indexed documents name (recomputed when the documents change)."""
        key = tuple(sorted(self.store.documents))
        cached = getattr(self, "_partnerships", None)
        if cached is None or cached[0] != key:
            cached = (key, orgs.partnerships(self.store.documents.values()))
            self._partnerships = cached
        return cached[1]

    def coverage(self, doc_ids: Sequence[str] | None = None) -> str:
        docs = [self.store.documents[d] for d in doc_ids] if doc_ids is not None else self.store.documents.values()
        ps = sorted({d.period for d in docs if d.period}, key=period_start)
        if not ps:
            return "The index holds no reports."
        listed = ", ".join(ps[:-1]) + (f" and {ps[-1]}" if len(ps) > 1 else ps[-1])
        return f"The reports cover {listed}."

    def _groups(self, question: str, history: Sequence[str], f_orgs: Sequence[str], cfg: QAConfig):
        """The partnerships to answer for, and whether they were named. A partnership the
        question names (or, when it names none, the question a follow-up leans on), or the filter
        gives, is the only one answered for; otherwise every partnership is, each on its own
        reports; with one or none indexed, the whole index is one group."""
        parts = self.partnerships
        chosen = orgs.from_filter(f_orgs, parts) if f_orgs else []
        if not chosen and cfg.time_aware:
            chosen = orgs.named_in(question, parts)
            if not chosen and history and is_followup(question):  # "and the year before?" keeps whose
                chosen = orgs.named_in(history[-1], parts)
        if not chosen and len(parts) < 2:
            return [orgs.whole_index(self.store.documents.values())], False
        return (chosen or orgs.every_group(parts, self.store.documents.values())), bool(chosen)

    def _claim_labels(self, rows: Sequence[int]) -> list[str]:
        """Each chunk's report year, and its partnership when the index holds several."""
        parts = self.partnerships
        out = []
        for row in rows:
            doc = self.store.documents[self.store.chunks[row].doc_id]
            out.append(orgs.claim_label(doc, orgs.partnership_of(doc.doc_id, parts), len(parts) > 1))
        return out

    def _citation(self, c) -> dict:
        d = compose.citation_dict(self.store, c)
        doc = self.store.documents[d["doc_id"]]
        part = orgs.partnership_of(doc.doc_id, self.partnerships)
        d["organisation"] = doc.organisation.name
        d["partnership"] = part.name if part else ""
        return d

    def embed(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    # ------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        top_k: int = 5,
        filters: dict | None = None,
        mode: str = "answer",
        history: Sequence[str] | None = None,
        config: QAConfig | str = "full",
    ) -> dict:
        """Answer one question; the dict is the /api/ask response contract."""
        t0 = time.perf_counter()
        cfg = CONFIGS[config] if isinstance(config, str) else config
        question = check_question(question)
        if cfg.time_aware:
            question = correct(question, vocabulary_of(self.store))  # "2022 to 2023", a mistyped word
        if not 1 <= int(top_k) <= 20:
            raise QueryError("top_k must be between 1 and 20")
        if mode not in MODES:
            raise QueryError(f"unknown mode '{mode}'; use one of: {', '.join(MODES)}")
        filters = dict(filters or {})
        unknown = set(filters) - {"period", "source", "organisation"}
        if unknown:
            raise QueryError(f"unknown filter '{sorted(unknown)[0]}'; use 'period', 'source' or 'organisation'")
        f_periods = list(filters.get("period") or [])
        f_sources = list(filters.get("source") or [])
        allowed_rows(self.store, f_periods, f_sources)  # validates the filter values
        if not f_sources and cfg.time_aware:
            f_sources = self._sources_named(question)
        history = list(history or [])
        groups, named = self._groups(question, history, list(filters.get("organisation") or []), cfg)
        learning = mode == "learning"
        doc_filter = [d.doc_id for d in self.store.documents.values() if d.source in f_sources or d.doc_id in f_sources]
        if cfg.time_aware:
            query, scopes = orgs.scopes(question, history, groups, self.store.documents, f_periods, doc_filter)
        else:
            query, scopes = question, orgs.scopes("", [], groups, self.store.documents, f_periods, doc_filter)[1]
        if cfg.second_stage:
            query = with_acronyms(query, self.acronyms)
        live = [sc for sc in scopes if sc.asked and sc.doc_ids]
        all_docs = [d for sc in scopes for d in sc.doc_ids]
        if not live:
            mentioned = sorted({m for sc in scopes for m in sc.mentioned}, key=period_start)
            # A reporting year no report covers may still be written about (next year's
            # priorities, a later budget): a quote naming it is evidence, not a reason to decline.
            written = [p for p in mentioned if mention_pattern(p).search(question)]
            rows = period_mentions(self.store, written, all_docs)
            result = self._answer_from(rows, question, query, named, groups, top_k, cfg) if rows else None
            if result is None or not self._quotes_name(result[1], written):
                why = f": they do not cover {', '.join(mentioned)}" if mentioned else ""
                return self._abstain(f"The reports do not say{why}. {self.coverage(all_docs)}", t0, 0.0)
            return self._respond(result, t0, time.perf_counter(), written, mode, cfg, all_docs)
        periods = sorted({p for sc in live for p in sc.periods}, key=period_start)
        t1 = time.perf_counter()
        if learning and cfg.time_aware:  # the catalogue of reviews' learning points answers (qa.learning_answer)
            from qa.learning_answer import answer_learning
            return self._respond(answer_learning(self, query, live, periods), t0, t1, periods, mode, cfg, all_docs)
        qvec = self.embed(query) if cfg.retrieval != "bm25" else None
        if cfg.time_aware and periods:
            query = strip_time(query)  # the periods are filters now; their digits would only add noise
        # Several named reports are answered report by report, as a change over time is.
        changing = [sc for sc in live if cfg.trend and (sc.trend or learning or len(sc.periods) > 1) and len(sc.periods) != 1]
        several = len(self.partnerships) > 1
        if changing:
            # A change needs two reports: a partnership with one in range is left out when others have more.
            series = [sc for sc in changing if learning or len(sc.periods or sc.available) > 1] or changing
            if several and not named:  # not every partnership of a national collection (qa.retrieve)
                from qa.retrieve import best_scopes
                series = best_scopes(self.store, self._keyword_query(query, cfg), qvec, series, method=cfg.retrieval, k=cfg.candidates)
            slots = [(p, sc.partnership.name if several and sc.partnership else "",
                      [self.store.documents[d].source for d in sc.doc_ids])
                     for sc in series for p in (sc.periods or sc.available)]
            result = self._trend(strip_trend(query), qvec, slots, learning, cfg)
        else:
            docs = [d for sc in live for d in sc.doc_ids if not sc.periods or self.store.documents[d].period in sc.periods]
            mask = allowed_rows(self.store, periods, [self.store.documents[d].source for d in docs], learning)
            # A named partnership is a filter now, not the subject whose figure is asked for.
            asked = orgs.strip_names(question, groups) if named else question
            result = self._answer_single(asked, query, qvec, mask, top_k, cfg, periods)
        return self._respond(result, t0, t1, periods, mode, cfg, all_docs)

    def _answer_from(self, rows: list[int], question: str, query: str, named: bool, groups, top_k: int, cfg: QAConfig):
        """The answer searched among the chunks ``rows`` only."""
        mask = np.zeros(len(self.store.chunks), dtype=bool)
        mask[rows] = True
        qvec = self.embed(query) if cfg.retrieval != "bm25" else None
        asked = orgs.strip_names(question, groups) if named else question
        return self._answer_single(asked, query, qvec, mask, top_k, cfg)

    def _quotes_name(self, cites, periods: Sequence[str]) -> bool:
        """Whether a quote names one of ``periods`` in any written form."""
        patterns = [mention_pattern(p) for p in periods]
        return any(p.search(self.store.document_text(self.store.chunks[c.row].doc_id, c.quote_start, c.quote_end))
                   for c in cites for p in patterns)

    def _answer_single(self, question: str, query: str, qvec, mask, top_k: int, cfg: QAConfig, periods=()):
        intent = parse_intent(question, tuple(periods))
        hits = retrieve(self.store, self._keyword_query(query, cfg), qvec, mask, cfg.retrieval, max(cfg.candidates, top_k))
        ranked = rerank(self.store, query, hits, cfg.second_stage, qvec, ranker=self._ranker(cfg), intent=intent,
                        proper=self.proper)
        strict = cfg.second_stage and cfg.abstain
        result = self._single(ranked, top_k, cfg, query, intent.as_list, strict and intent.figure,
                              self._must_hold(question) if strict else None)
        if strict and (intent.figure or intent.quantity):
            result = self._table_answer(question, ranked, result)
        return result

    def _table_answer(self, question: str, ranked: list[Ranked], result):
        """A figure found in a table of the top passages answers as its cell: "label, column:
        value", citing the row inside its table (``qa.cells``); otherwise ``result`` stands."""
        near = cells.tables_near(self.store, [r.row for r in ranked[:TABLE_PASSAGES]])
        match = cells.match_cell(question, [(t, period) for t, _, period in near.values()], idf_table(self.store),
                                 max_rows=2 if compose.asks_two_things(question) else 1)
        if match is None:
            return result
        _, near_row, _ = near[id(match.table)]
        c, quoted = match.cell, [r[0] for r in match.rows]
        start, end = min(q.row_start for q in quoted), max(q.row_end for q in quoted)
        row = cells.row_of_offset(self.store, near_row, start)
        cite = compose.Citation(1, row, start, end, match.label_cover, (match.table.header_start, match.table.end),
                                row_end=cells.row_of_offset(self.store, near_row, match.table.end - 1),
                                cell={"label": c.label, "column": c.column, "value": c.value,
                                      "value_start": c.value_start, "value_end": c.value_end})
        label = self._claim_labels([row])[0]
        return f"{label + ': ' if label else ''}{match.claim()} [1]", [cite], result[2], result[3]

    def _respond(self, result, t0: float, t1: float, periods: Sequence[str], mode: str, cfg: QAConfig,
                 doc_ids: Sequence[str] | None = None) -> dict:
        retrieve_ms = (time.perf_counter() - t1) * 1000
        text, cites, strength, ranked_rows = result
        learning = mode == "learning"
        if not cites or (cfg.abstain and strength < self._bar(cfg, learning)):
            scope_txt = f" for {', '.join(periods)}" if periods else ""
            resp = self._abstain(f"The reports do not say{scope_txt}. {self.coverage(doc_ids)}", t0, retrieve_ms)
            resp["retrieved"] = ranked_rows
            resp["confidence"] = round(strength, 4)
            return resp
        return {
            "answer": text,
            "answerable": True,
            "citations": [self._citation(c) for c in cites],
            "timings": {"retrieve_ms": round(retrieve_ms, 2), "total_ms": round((time.perf_counter() - t0) * 1000, 2)},
            "retrieved": ranked_rows,
            "confidence": round(strength, 4),
            "mode": mode,
            "periods": periods,
        }

    def _abstain(self, message: str, t0: float, retrieve_ms: float) -> dict:
        return {
            "answer": message,
            "answerable": False,
            "citations": [],
            "timings": {"retrieve_ms": round(retrieve_ms, 2), "total_ms": round((time.perf_counter() - t0) * 1000, 2)},
            "retrieved": [],
        }

    @staticmethod
    def _keyword_query(query: str, cfg: QAConfig) -> str:
        return expand(query) if cfg.second_stage else query

    def _strength(self, ranked: Sequence[Ranked], query: str = "", pick=None, cfg: QAConfig | None = None) -> float:
        """Evidence strength of the quoted sentence (the best one when no pick is given). With the
        fitted ranker, its probability of answering; otherwise similarity and word cover,
        discounted by the share of the question's words that none of the top passages holds."""
        if not ranked or not ranked[0].sentences:
            return 0.0
        best, s = ranked[0], ranked[0].sentences[0]
        if pick is not None:
            best, start, end = pick[0], pick[1], pick[2]
            s = best_inside(best, start, end) or best.sentences[0]
        if cfg is not None and self._ranker(cfg) is not None:
            return self.ranker.probability(s.features)
        base = 0.5 * max(s.dense, best.hit.dense) + 0.5 * s.lexical
        if not query:
            return base
        return base * (1.0 - 0.6 * missing_share(self.store, query, [r.row for r in ranked[:3]]))

    def _rows(self, ranked: Sequence[Ranked]) -> list[dict]:
        return [{"chunk_id": self.store.chunks[r.row].chunk_id, "row": r.row, "score": round(r.score, 4)} for r in ranked]

    def _single(self, ranked: list[Ranked], top_k: int, cfg: QAConfig, query: str, as_list: bool = False,
                need_figure: bool = False, must_hold=None):
        aliases = alias_groups(query, self.acronyms)  # "SCR" and "serious case review" are one name
        if not cfg.second_stage:
            # Without a second stage: the best sentence of each of the first top_k chunks.
            picks = [(r, r.sentences[0].sentence.start, r.sentences[0].sentence.end, r.score)
                     for r in ranked[:top_k] if r.sentences]
        else:
            if as_list:
                picks = compose.select_sentences(self.store, ranked, max(top_k, LIST_QUOTES), min_ratio=LIST_MIN_RATIO, per_chunk=4,
                                                 question=query, need_figure=need_figure, continue_lists=True,
                                                 must_hold=must_hold, aliases=aliases)
                picks = spans.one_list(self.store, picks)  # judged on the lists the picks quote
                if picks and not need_figure and must_hold is None:
                    picks = spans.read_on(self.store, picks, 0, READ_ON_WORDS)
            else:
                # A figure answer's first quote states the count asked for (it passed the figure
                # tests); a later one is another count (a newsletter's readers beside an event's
                # attendance), unless the question asks a second thing, whose answer may be in
                # the same passage (a table's staffing row and its total).
                two = compose.asks_two_things(query)
                n = 1 if need_figure and not two else min(cfg.max_sentences, top_k)
                picks = compose.select_sentences(self.store, ranked, n, question=query, need_figure=need_figure,
                                                 must_hold=must_hold, aliases=aliases, per_chunk=2 if two else 1)
                if picks and must_hold is None:
                    picks = spans.read_on(self.store, picks, 0, FIGURE_READ_ON if need_figure else READ_ON_WORDS)
                    for i in range(len(picks) - 1, 0, -1):  # from the last, so indices stay valid
                        if picks[i][0].sentences:  # not a chunk read on into
                            picks = spans.read_on(self.store, picks, i, READ_ON_ALL)
        if cfg.second_stage:
            picks = whole_sentences(self.store, picks)  # a sentence a page break cuts is quoted whole
        text, cites = compose.render(self.store, picks, labels=self._claim_labels([p[0].row for p in picks]))
        strength = self._strength(ranked, query, picks[0] if picks and cfg.second_stage else None, cfg)
        return text, cites, strength, self._rows(ranked)

    def _trend(self, query: str, qvec, slots: Sequence[tuple[str, str, Sequence[str]]], learning: bool, cfg: QAConfig):
        """One best-supported sentence per report period, oldest first. ``slots`` are (period,
        partnership, sources): each partnership named ("" for none) is a series of its own,
        compared only within itself."""
        intent = parse_intent(query, tuple(p for p, _, _ in slots))
        need_figure = cfg.abstain and not learning and (intent.figure or intent.quantity)
        must_hold = self._subject_test(query) if need_figure else None
        picks, prefixes, all_ranked, owners = [], [], [], []
        missing: dict[str, list[str]] = {}
        strengths = []
        series: dict[str, list] = {}
        for period, who, sources in slots:
            mask = allowed_rows(self.store, [period], sources, learning)
            hits = retrieve(self.store, self._keyword_query(query, cfg), qvec, mask, cfg.retrieval, cfg.candidates)
            ranked = rerank(self.store, query, hits, cfg.second_stage, qvec, trend=True, ranker=self._ranker(cfg),
                            intent=intent, proper=self.proper)
            all_ranked.extend(ranked[:3])
            alternatives = 1 if learning else ROW_ALTERNATIVES
            chosen = compose.select_sentences(self.store, ranked, 2 if learning else alternatives, question=query,
                                              need_figure=need_figure, must_hold=must_hold,
                                              table_words=TREND_TABLE_WORDS,
                                              min_ratio=None if learning else ROW_ALTERNATIVE_RATIO)
            named = self._named_rows(ranked, query) if not learning and chosen and asks_who(query) else []
            # A name is the part of a "who" question other quotes miss, as compose.COVER_RATIO allows.
            if named and named[0][3] >= NAME_ROW_RATIO * max(p[3] for p in chosen):
                chosen = named
            series.setdefault(who, []).append((period, ranked, chosen))
        for who, per_period in series.items():
            if not learning:
                scores = row_scores(self.store, per_period, ROW_CONSISTENCY, ROW_SIZE_CONSISTENCY if need_figure else 0.0)
                per_period = second_rows(self.store, per_period, scores, question_terms(query, idf_table(self.store)),
                                         SECOND_ROW_RATIO, SECOND_ROW_GAIN, SECOND_ROW_MARGIN)
            for period, ranked, chosen in per_period:
                label = f"{period}, {who}" if who else period  # the year first: rows are read by it
                strength = self._strength(ranked, query, chosen[0] if chosen else None, cfg)
                if not chosen or strength < self._bar(cfg, learning):
                    missing.setdefault(who, []).append(period)
                    continue
                strengths.append(strength)
                for k, pick in enumerate(chosen):
                    picks.append(pick)
                    owners.append(who)
                    prefixes.append(f"- {label}: " if k == 0 or learning else "  ")
        picks = whole_sentences(self.store, picks, across_chunks=False)  # one row per pick stays
        if learning and picks:
            text, cites = self._render_themes(picks, prefixes)
        else:
            text, cites = compose.render(self.store, picks, prefixes, passage_words=TREND_PASSAGE_WORDS)
        if cites:
            for who in series:
                rows = [(prefixes[i][2:9], " ".join(self.store.document_text_span(p[0].row, p[1], p[2]).split()))
                        for i, p in enumerate(picks) if prefixes[i].startswith("- ") and owners[i] == who]
                diffs = differences(rows) if not learning else []
                if diffs:
                    text += f"\nDifferences{', ' + who if who else ''}, from the figures quoted above: " + "; ".join(diffs) + "."
            for who, years in missing.items():
                text += f"\nThe reports{' of ' + who if who else ''} do not say for {', '.join(years)}."
            for who in series:
                gaps = uncovered_years([p for p, w, _ in slots if w == who])
                if gaps and not learning:
                    text += f"\nNo report{' of ' + who if who else ''} covers {describe_gaps(gaps)}."
        all_ranked.sort(key=lambda r: -r.score)
        return text, cites, max(strengths, default=0.0), self._rows(all_ranked)

    def _named_rows(self, ranked: list[Ranked], question: str) -> list:
        """A "who ..." trend's alternatives for one report that name a person (qa.entities), or []
        when none does (the report may name only a role: "an Independent Scrutineer")."""
        proper = self.proper
        return compose.select_sentences(self.store, ranked, ROW_ALTERNATIVES, question=question,
                                        min_ratio=ROW_ALTERNATIVE_RATIO, table_words=TREND_TABLE_WORDS,
                                        must_hold=lambda text: has_name(text, proper, exclude=question))

    def _render_themes(self, picks, prefixes):
        """Learning answers: sentences grouped under themes, years oldest first, each cited."""
        items = [(prefixes[i][2:-2], self.store.document_text_span(p[0].row, p[1], p[2])) for i, p in enumerate(picks)]
        lines: list[str] = []
        cites: list[compose.Citation] = []
        for theme, idx in group_by_theme(items):
            lines.append(f"{theme}:")
            for i in idx:
                r, start, end, score = picks[i]
                n = len(cites) + 1
                cites.append(compose.Citation(n, r.row, start, end, score))
                lines.append(f"- {items[i][0]}: {' '.join(items[i][1].split())} [{n}]")
        return "\n".join(lines), cites
