"""Second stage: score the sentences of the first-stage chunks and re-rank chunks by them.

No cross-encoder is packaged, so the signals are cheap and measurable: idf-weighted overlap of
question terms with the sentence (and with the section title), numbers for "how many" questions,
and the first-stage scores. ``reportqa eval`` compares the system with and without this stage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.keyword import tokenize
from index.store import IndexStore
from qa.expand import expansions
from qa.retrieve import Hit
from qa.sentences import Sentence, chunk_sentences

_QUANTITY = re.compile(r"\b(how many|how much|number of|numbers|figure|figures|total|percentage|per ?cent|"
                       r"budget|cost|spend|spent|expenditure|income|contribution|attend\w*|rate)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WHEN = re.compile(r"^\s*when\b|\b(what|which) (date|year|month)\b", re.IGNORECASE)
_DATE = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
                   r"(?:19|20)\d{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    score: float
    lexical: float


@dataclass(frozen=True)
class Ranked:
    """A chunk after the second stage, with its best sentences best first."""

    hit: Hit
    score: float
    sentences: tuple[ScoredSentence, ...]

    @property
    def row(self) -> int:
        return self.hit.row


def idf_table(store: IndexStore) -> dict[str, float]:
    """Inverse document frequency of every stem over the chunks (cached on the store)."""
    cached = getattr(store, "_idf_cache", None)
    if cached is not None and cached[0] == len(store.chunks):
        return cached[1]
    df: dict[str, int] = {}
    for c in store.chunks:
        for t in set(tokenize(c.text)):
            df[t] = df.get(t, 0) + 1
    n = max(1, len(store.chunks))
    idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    store._idf_cache = (len(store.chunks), idf)
    return idf


def lexical_overlap(q_terms: dict[str, float], text: str) -> float:
    """Share of the question's idf weight whose terms occur in ``text`` (0..1)."""
    total = sum(q_terms.values())
    if not total:
        return 0.0
    present = set(tokenize(text))
    return sum(w for t, w in q_terms.items() if t in present) / total


def question_terms(question: str, idf: dict[str, float]) -> dict[str, float]:
    """Question stems weighted by idf; expansion words (qa.expand) at half weight."""
    default = max(idf.values(), default=1.0)
    terms = {t: idf.get(t, default) for t in set(tokenize(question))}
    for t in tokenize(" ".join(expansions(question))):
        if t not in terms and t in idf:
            terms[t] = 0.5 * idf[t]
    return terms


def rerank(
    store: IndexStore, question: str, hits: Sequence[Hit], use_second_stage: bool = True,
) -> list[Ranked]:
    """Score each hit's sentences; with ``use_second_stage`` also re-order the hits by them."""
    idf = idf_table(store)
    q_terms = question_terms(question, idf)
    wants_number = bool(_QUANTITY.search(question))
    wants_date = bool(_WHEN.search(question))
    top_dense = max((h.dense for h in hits), default=0.0)
    out: list[Ranked] = []
    for rank, hit in enumerate(hits):
        chunk = store.chunks[hit.row]
        section_lex = lexical_overlap(q_terms, chunk.section)
        scored = []
        for s in chunk_sentences(hit.row, chunk):
            lex = lexical_overlap(q_terms, s.text)
            score = lex + 0.15 * section_lex
            if wants_number and _DIGIT.search(s.text):
                score += 0.15
            if wants_date and _DATE.search(s.text):
                score += 0.15
            scored.append(ScoredSentence(s, score, lex))
        scored.sort(key=lambda x: -x.score)
        best = scored[0].score if scored else 0.0
        first_stage = 1.0 / (1 + rank)
        if use_second_stage:
            score = 0.45 * best + 0.35 * hit.dense / max(top_dense, 1e-6) + 0.2 * first_stage
        else:
            score = hit.score
        out.append(Ranked(hit, score, tuple(scored)))
    if use_second_stage:
        out.sort(key=lambda r: -r.score)
    return out
