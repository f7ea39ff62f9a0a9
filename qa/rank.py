"""Second stage: score the sentences of the first-stage chunks and re-rank chunks by them.

No cross-encoder is packaged, so the signals are cheap and measurable: the cosine of the question
with each sentence (sentence vectors are computed at index time), idf-weighted overlap of question
terms with the sentence and with the section title, figures for "how many" questions, dates for
"when" questions, and the first-stage scores. ``reportqa eval`` compares the system with and
without this stage (configs "hybrid" and "full").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.keyword import tokenize
from index.store import IndexStore
from ingest.answer_units import Sentence
from qa.cache import cached_per_chunks, per_chunks
from qa.expand import expansions, term_groups
from qa.features import DATE, DIGIT, Context, features
from qa.intent import Intent
from qa.quantity import counted_spans
from qa.ranker import Ranker
from qa.retrieve import Hit

# A table row ("Training 33,673") is too short to carry the question's words; its table does.
SHORT_ROW_WORDS, W_ROW_CONTEXT = 12, 0.6

# Weights of the sentence score and of the chunk score; tuned on the benchmark (docs/evaluation.md).
W_SENT_DENSE, W_SENT_LEX, W_SECTION, W_CUE = 0.55, 0.45, 0.10, 0.10
W_BEST_SENT, W_CHUNK_DENSE, W_FIRST_STAGE = 0.6, 0.25, 0.15
# Words that frame a question rather than name its topic; a passage need not contain them.
FILLER = frozenset(tokenize(
    "figure figures number numbers data detail details information say said says tell show shows describe "
    "happen happened happening report reports reported mention mentioned main key list give explain "
    "like something anything everything kind type sort way ways please know "
    "went go goes going came come took take get got make made do did done"
))


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    score: float
    lexical: float
    dense: float
    features: tuple[float, ...] = ()


@dataclass(frozen=True)
class Ranked:
    """A chunk after the second stage, with its sentences best first."""

    hit: Hit
    score: float
    sentences: tuple[ScoredSentence, ...]

    @property
    def row(self) -> int:
        return self.hit.row


def figure_flags(store: IndexStore, row: int) -> list[bool]:
    """Whether each sentence of a chunk states a counted figure (``qa.quantity.counted_spans``);
    it does not depend on the question, so it is worked out once per chunk."""
    flags = per_chunks(store, "_figure_cache", dict)
    if row not in flags:
        flags[row] = [bool(counted_spans(s.text)) for s in sentences_of(store, row)]
    return flags[row]


def is_row(text: str) -> bool:
    """A table row flattened into text: a few words and a figure ("Training 33,673")."""
    return len(text.split()) <= SHORT_ROW_WORDS and bool(DIGIT.search(text))


def best_inside(ranked: Ranked, start: int, end: int) -> ScoredSentence | None:
    """The best-scoring sentence of a chunk lying inside the span ``start:end``, or None."""
    inside = [x for x in ranked.sentences if start <= x.sentence.start and x.sentence.end <= end]
    return max(inside, key=lambda x: x.score) if inside else None


@cached_per_chunks("_idf_cache")
def idf_table(store: IndexStore) -> dict[str, float]:
    """Inverse document frequency of every stem over the chunks."""
    df: dict[str, int] = {}
    for c in store.chunks:
        for t in set(tokenize(c.text)):
            df[t] = df.get(t, 0) + 1
    n = max(1, len(store.chunks))
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def weight_share(q_terms: dict[str, float], present: set[str]) -> float:
    """Share of the question's idf weight whose terms are in ``present`` (0 for no weight)."""
    total = sum(q_terms.values())
    return sum(w for t, w in q_terms.items() if t in present) / total if total else 0.0


def lexical_overlap(q_terms: dict[str, float], text: str) -> float:
    """Share of the question's idf weight whose terms occur in ``text`` (0..1)."""
    return min(1.0, weight_share(q_terms, set(tokenize(text))))


def question_terms(question: str, idf: dict[str, float]) -> dict[str, float]:
    """Question stems weighted by idf; expansion words (qa.expand) at half weight."""
    default = max(idf.values(), default=1.0)
    terms = {t: idf.get(t, default) for t in set(tokenize(question))}
    for t in tokenize(" ".join(expansions(question))):
        if t not in terms and t in idf:
            terms[t] = 0.5 * idf[t]
    return terms


def sentences_of(store: IndexStore, row: int) -> list[Sentence]:
    chunk = store.chunks[row]
    return [Sentence(row, s, e, chunk.text[s - chunk.char_start:e - chunk.char_start], k)
            for k, (s, e) in enumerate(store.sentence_spans[row])]


def missing_share(store: IndexStore, query: str, rows: Sequence[int]) -> float:
    """Share of the question's idf weight (framing words left out; a word counts as present
    when any of its expansions is) that none of the chunks ``rows`` contains."""
    idf = idf_table(store)
    groups = term_groups(query)
    default = max(idf.values(), default=1.0)
    terms = {t: idf.get(t, default) for t in groups if t not in FILLER}
    seen: set[str] = set()
    for row in rows:
        seen.update(tokenize(store.chunks[row].text))
    return weight_share(terms, {t for t in terms if not groups[t] & seen})


def _fitted_order(per_hit: list, ranker: Ranker) -> list:
    """The candidates' hand scores, sorted, handed out in the fitted ranker's order: the fitted
    model decides which sentence is best, second, ...; the composition's ratios
    (``qa.answer.MIN_RATIO`` and the like), which were set on the hand scores' scale, read the
    same values as before."""
    flat = [(i, j) for i, (_, _, scored) in enumerate(per_hit) for j in range(len(scored))]
    values = sorted((per_hit[i][2][j].score for i, j in flat), reverse=True)
    order = sorted(flat, key=lambda ij: -ranker.logit(per_hit[ij[0]][2][ij[1]].features))
    out = [(rank, hit, list(scored)) for rank, hit, scored in per_hit]
    for value, (i, j) in zip(values, order):
        old = out[i][2][j]
        out[i][2][j] = ScoredSentence(old.sentence, value, old.lexical, old.dense, old.features)
    return out


def rerank(
    store: IndexStore, question: str, hits: Sequence[Hit], use_second_stage: bool = True,
    qvec: np.ndarray | None = None, trend: bool = False, ranker: Ranker | None = None, *,
    intent: Intent, proper: frozenset[str] = frozenset(), keep_features: bool = False,
) -> list[Ranked]:
    """Score each hit's sentences; with ``use_second_stage`` also re-order the hits by them.

    Sentences are scored by the hand weights above (in a trend answer each row should carry the
    report's figure, so figures count double); with a fitted ``ranker`` the fitted model orders
    them instead (``_fitted_order``). Sentences keep their features (``qa.features``) when the
    ranker needs them or ``keep_features`` asks (fitting it, ``evals.fit_ranker``).
    """
    number_cue = 2 * W_CUE if trend else W_CUE
    idf = idf_table(store)
    q_terms = question_terms(question, idf)
    with_features = keep_features or ranker is not None
    wants_number, wants_date = intent.quantity, intent.date
    vectors, lexes = {}, {}
    for hit in hits:
        n = len(store.sentence_spans[hit.row])
        vectors[hit.row] = store.sentence_vectors[hit.row] @ qvec if qvec is not None and n else np.zeros(n)
        lexes[hit.row] = [lexical_overlap(q_terms, s.text) for s in sentences_of(store, hit.row)]
    ctx = Context(intent, proper, max((h.bm25 for h in hits), default=0.0),
                  max((float(v.max()) for v in vectors.values() if len(v)), default=0.0),
                  max((max(v) for v in lexes.values() if v), default=0.0),
                  missing_share(store, question, [h.row for h in hits[:3]])) if with_features else None
    per_hit = []
    for rank, hit in enumerate(hits):
        chunk = store.chunks[hit.row]
        section_lex = lexical_overlap(q_terms, chunk.section)
        sents = sentences_of(store, hit.row)
        cos = vectors[hit.row]
        scored = []
        chunk_lex = lexical_overlap(q_terms, chunk.text)
        figures = figure_flags(store, hit.row) if wants_number else ()
        for s, c, lex in zip(sents, cos, lexes[hit.row]):
            if is_row(s.text):
                lex = max(lex, W_ROW_CONTEXT * chunk_lex + (1 - W_ROW_CONTEXT) * lex)
            score = W_SENT_DENSE * float(c) + W_SENT_LEX * lex + W_SECTION * section_lex
            if wants_number and figures[s.position]:
                score += number_cue
            if wants_date and DATE.search(s.text):
                score += W_CUE
            x = features(ctx, s.text, sent_dense=float(c), sent_lex=lex, section_lex=section_lex,
                         chunk_lex=chunk_lex, chunk_dense=hit.dense, chunk_bm25=hit.bm25, rank=rank,
                         has_figure=bool(figures and figures[s.position]),
                         position=s.position) if with_features else ()
            scored.append(ScoredSentence(s, score, lex, float(c), tuple(x)))
        per_hit.append((rank, hit, scored))
    if ranker is not None:
        per_hit = _fitted_order(per_hit, ranker)
    out: list[Ranked] = []
    for rank, hit, scored in per_hit:
        scored.sort(key=lambda x: -x.score)
        best = scored[0].score if scored else 0.0
        if use_second_stage:
            score = W_BEST_SENT * best + W_CHUNK_DENSE * hit.dense + W_FIRST_STAGE / (1 + rank)
        else:
            score = hit.score
        out.append(Ranked(hit, score, tuple(scored)))
    if use_second_stage:
        out.sort(key=lambda r: -r.score)
    return out
