"""The question-answering engine: filters, retrieval, second stage, composition, abstention."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

import numpy as np

from index.store import IndexStore
from ingest.errors import QueryError
from qa import answer as compose
from qa import cells, focus, single_answer, trend_answer
from qa import organisations as orgs
from qa.acronyms import find_acronyms, with_acronyms
from qa.cache import per_chunks
from qa.config import CONFIGS, QAConfig
from qa.entities import has_name, names_subject, proper_words, subject_of
from qa.expand import expand
from qa.intent import Intent, parse_intent
from qa.learning_answer import answer_learning
from qa.normalise import correct, vocabulary_of
from qa.periods import mention_pattern, period_mentions, period_start, strip_time, strip_trend
from ingest.sentences import sentence_spans
from qa.quantity import counted_spans, has_figure, places_of
from qa.rank import Ranked, best_inside, figure_flags, idf_table, missing_share, rerank
from qa.ranker import WEIGHTS_FILE, Ranker, load_ranker
from qa.retrieve import allowed_rows, retrieve

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MODES = ("answer", "learning")


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
        return per_chunks(self.store, "_acronyms", lambda: find_acronyms(c.text for c in self.store.chunks), on=self)

    @property
    def proper(self) -> frozenset[str]:
        """Words the indexed reports only ever capitalise (recomputed when the chunks change)."""
        return per_chunks(self.store, "_proper", lambda: proper_words(c.text for c in self.store.chunks), on=self)

    def warm(self) -> "Engine":
        """Build every cache a question would otherwise build on first use (acronyms, proper
        words, partnerships, idf, figure flags, document texts, the learning catalogue), so that an engine can be made
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
        focus.document_words(self.store, list(self.store.documents))
        from qa.catalogue import engine_catalogue  # the reviews' learning points, embedded once

        engine_catalogue(self)
        return self

    def _must_hold(self, intent: Intent):
        """The test a quoted span must pass for this question, or None (qa.entities)."""
        tests = []
        if intent.name:
            proper = self.proper
            tests.append(lambda text: has_name(text, proper, exclude=intent.question))
        if intent.subject:
            acronyms = self.acronyms
            tests.append(lambda text: names_subject(text, intent.subject, acronyms))
        if not tests:
            return None
        return lambda text: all(t(text) for t in tests)

    def _loose_hold(self, intent: Intent):
        """The weaker test a quote must pass to answer before one passing ``_must_hold``: a
        counted figure for a figure question, a person's name for "who", and the subject named
        in the quote's passage (its section title or text) rather than in the quote itself."""
        proper, acronyms, places = self.proper, self.acronyms, places_of(self.store)

        def hold(text: str, row: int) -> bool:
            chunk = self.store.chunks[row]
            return ((not intent.figure or has_figure(text, intent.question, places, linked=False))
                    and (not intent.name or has_name(text, proper, exclude=intent.question))
                    and names_subject(f"{chunk.section} {chunk.text}", intent.subject, acronyms))
        return hold

    def _subject_test(self, question: str):
        """A test that a quoted span names the organisation a figure question is about
        ("how much did Southmoor County Council contribute"), or None (qa.entities)."""
        subject = subject_of(question)
        if not subject:
            return None
        acronyms = self.acronyms
        return lambda text: names_subject(text, subject, acronyms)

    def _sources_named(self, kind: str) -> list[str]:
        """The documents of the kind a question names as its source (``Intent.source``: "in its
        2021-22 annual report" is not the council's cabinet paper about that report), or [] for any."""
        return sorted(d.source for d in self.store.documents.values() if d.kind == kind) if kind else []

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

    def _groups(self, intent: Intent, previous: Intent | None, f_orgs: Sequence[str], cfg: QAConfig):
        """The partnerships to answer for, and whether they were named. A partnership the
        question names (or, when it names none, the question a follow-up leans on), or the filter
        gives, is the only one answered for; otherwise every partnership is, each on its own
        reports; with one or none indexed, the whole index is one group."""
        parts = self.partnerships
        chosen = orgs.from_filter(f_orgs, parts) if f_orgs else []
        if not chosen and cfg.time_aware:
            chosen = orgs.named_in(intent.question, parts)
            if not chosen and previous is not None and intent.followup:  # "and the year before?" keeps whose
                chosen = orgs.named_in(previous.question, parts)
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
        intent = parse_intent(question)  # the question's words are read here, once
        if not f_sources and cfg.time_aware:
            f_sources = self._sources_named(intent.source)
        previous = parse_intent(history[-1]) if history and intent.followup else None  # what a follow-up leans on
        groups, named = self._groups(intent, previous, list(filters.get("organisation") or []), cfg)
        learning = mode == "learning"
        doc_filter = [d.doc_id for d in self.store.documents.values() if d.source in f_sources or d.doc_id in f_sources]
        if cfg.time_aware:
            query, scopes = orgs.scopes(intent, previous, groups, self.store.documents, f_periods, doc_filter)
        else:
            query, scopes = question, orgs.scopes(parse_intent(""), None, groups, self.store.documents, f_periods, doc_filter)[1]
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
            result = self._answer_from(rows, intent, query, named, groups, top_k, cfg) if rows else None
            if result is None or not self._quotes_name(result[1], written, intent.figure):
                why = f": they do not cover {', '.join(mentioned)}" if mentioned else ""
                return self._abstain(f"The reports do not say{why}. {self.coverage(all_docs)}", t0, 0.0)
            return self._respond(result, t0, time.perf_counter(), written, mode, cfg, all_docs)
        periods = sorted({p for sc in live for p in sc.periods}, key=period_start)
        t1 = time.perf_counter()
        if learning and cfg.time_aware:  # the catalogue of reviews' learning points answers (qa.learning_answer)
            return self._respond(answer_learning(self, query, live, periods), t0, t1, periods, mode, cfg, all_docs)
        unused = focus.unnamed(self.store, question, [d for sc in live for d in sc.doc_ids]) if cfg.abstain and cfg.time_aware else []
        if unused:  # what is asked about is named in none of the reports (qa.focus)
            return self._abstain(f"The reports do not mention {', '.join(f'“{w}”' for w in unused)}. {self.coverage(all_docs)}", t0, 0.0)
        if named and (intent.figure or intent.quantity):
            # A figure is counted within the named partnership, never of its name: the name's
            # words would favour passages that repeat it (measured: docs/evaluation.md).
            query = orgs.strip_names(query, groups)
        if cfg.time_aware:  # a named review narrows the reports (docs/evaluation.md)
            from qa.catalogue import engine_catalogue, reports_about

            live = orgs.narrowed(live, reports_about(engine_catalogue(self), question), self.store.documents)
            periods = sorted({p for sc in live for p in sc.periods}, key=period_start)
        qvec = self.embed(query) if cfg.retrieval != "bm25" else None
        if cfg.time_aware and periods:
            query = strip_time(query)  # the periods are filters now; their digits would only add noise
        # Several named reports are answered report by report, as a change over time is.
        several = len(self.partnerships) > 1
        changing = [sc for sc in live if cfg.trend and (sc.trend or len(sc.periods) > 1) and len(sc.periods) != 1]
        if changing:
            # A change needs two reports: a partnership with one in range is left out when others
            # have more, unless it holds the best passage of them all (its report may give the
            # earlier years' figures itself: "down from the 10 in 2023-24").
            several_series = [sc for sc in changing if len(sc.periods or sc.available) > 1]
            series = several_series or changing
            if several and not named:  # the likeliest first, not every one of a national collection (qa.retrieve)
                from qa.retrieve import best_scopes
                single = [sc for sc in live if sc.trend and len(sc.periods) == 1 and sc not in changing] if several_series else []
                series = best_scopes(self.store, self._keyword_query(query, cfg), qvec, series + single,
                                     method=cfg.retrieval, k=cfg.candidates)
                series = [sc for i, sc in enumerate(series) if i == 0 or sc not in single]
            slots = [(p, sc.partnership.name if several and sc.partnership else "",
                      [self.store.documents[d].source for d in sc.doc_ids])
                     for sc in series for p in (sc.periods or sc.available)]
            result = trend_answer.trend(self, strip_trend(query), qvec, slots, cfg)
        else:
            docs = [d for sc in live for d in sc.doc_ids if not sc.periods or self.store.documents[d].period in sc.periods]
            mask = allowed_rows(self.store, periods, [self.store.documents[d].source for d in docs], learning)
            # A named partnership is a filter now, not the subject whose figure is asked for.
            asked = orgs.as_filter(intent, groups) if named else intent
            # Sentences are scored without the named partnership's name, which is in every one of
            # its reports' title lines and glossaries; passages are still found with it
            # (train precision 0.871 -> 0.879; docs/evaluation.md).
            rank_q = orgs.strip_names(query, groups) if named else None
            result = self._answer_single(asked, query, qvec, mask, top_k, cfg, periods, rank_q)
        return self._respond(result, t0, t1, periods, mode, cfg, all_docs)

    def _answer_from(self, rows: list[int], intent: Intent, query: str, named: bool, groups, top_k: int, cfg: QAConfig):
        """The answer searched among the chunks ``rows`` only."""
        mask = np.zeros(len(self.store.chunks), dtype=bool)
        mask[rows] = True
        qvec = self.embed(query) if cfg.retrieval != "bm25" else None
        asked = orgs.as_filter(intent, groups) if named else intent
        return self._answer_single(asked, query, qvec, mask, top_k, cfg)

    def _quotes_name(self, cites, periods: Sequence[str], figure: bool = False) -> bool:
        """Whether a quote names one of ``periods`` in any written form; for a figure question,
        in a sentence that states a figure (the year another report writes about is evidence
        only where its figure is given, not a sentence away)."""
        patterns = [mention_pattern(p) for p in periods]
        for c in cites:
            text = self.store.document_text(self.store.chunks[c.row].doc_id, c.quote_start, c.quote_end)
            units = [text[a:b] for a, b in sentence_spans(text)] if figure else [text]
            if any(p.search(u) and (not figure or counted_spans(p.sub(" ", u))) for u in units for p in patterns):
                return True
        return False

    def _answer_single(self, asked: Intent, query: str, qvec, mask, top_k: int, cfg: QAConfig, periods=(),
                       rank_q: str | None = None):
        """The answer among the chunks ``mask`` allows; ``rank_q`` (default ``query``) scores
        the sentences, ``query`` finds the passages."""
        intent = dataclasses.replace(asked, periods=tuple(periods))
        hits = retrieve(self.store, self._keyword_query(query, cfg), qvec, mask, cfg.retrieval, max(cfg.candidates, top_k))
        ranked = rerank(self.store, rank_q or query, hits, cfg.second_stage, qvec, ranker=self._ranker(cfg), intent=intent,
                        proper=self.proper)
        strict = cfg.second_stage and cfg.abstain
        result = single_answer.single(self, ranked, top_k, cfg, query, intent.as_list, strict and intent.figure,
                                      self._must_hold(intent) if strict else None,
                                      self._loose_hold(intent) if strict else None, intent.two_things)
        if strict and (intent.figure or intent.quantity):
            result = single_answer.table_answer(self, intent, ranked, result)
        return result

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

    def _strength(self, ranked: Sequence[Ranked], query: str, pick, cfg: QAConfig) -> float:
        """Evidence strength of the quoted sentence (the best one when no pick is given). With the
        fitted ranker, its probability of answering; otherwise similarity and word cover,
        discounted by the share of the question's words that none of the top passages holds."""
        if not ranked or not ranked[0].sentences:
            return 0.0
        best, s = ranked[0], ranked[0].sentences[0]
        if pick is not None:
            best = pick[0]
            s = best_inside(best, pick[1], pick[2]) or best.sentences[0]
        if self._ranker(cfg) is not None:
            return self.ranker.probability(s.features)
        base = 0.5 * max(s.dense, best.hit.dense) + 0.5 * s.lexical
        return base * (1.0 - 0.6 * missing_share(self.store, query, [r.row for r in ranked[:3]]))

    def _rows(self, ranked: Sequence[Ranked]) -> list[dict]:
        return [{"chunk_id": self.store.chunks[r.row].chunk_id, "row": r.row, "score": round(r.score, 4)} for r in ranked]
