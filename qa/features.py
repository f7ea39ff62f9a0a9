"""Features of a candidate sentence for the fitted ranker (``qa.ranker``).

Every feature means the same in any partnership's reports: scores against the question, what
the question asks for (``qa.intent``) against what the sentence holds, and where the sentence
sits. None names a word of a report. Each is a number in about 0..1; the definitions are in
``features``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from qa.entities import has_name
from qa.intent import Intent
from qa.periods import MONTHS, mention_pattern

FEATURES: tuple[str, ...] = (
    "sent_dense", "sent_lex", "section_lex", "chunk_lex", "chunk_dense", "chunk_bm25_rel",
    "first_stage_rank", "figure_asked_held", "figure_asked_missing", "date_asked_held",
    "name_asked_held", "list_asked_item", "year_asked_held", "has_digit", "length",
    "first_in_chunk", "question_missing", "dense_gap", "lex_gap",
)
DIGIT = re.compile(r"\d")
# A month or a year written in a sentence.
DATE = re.compile(rf"\b({'|'.join(MONTHS)}|(?:19|20)\d{{2}})\b", re.IGNORECASE)
# A list item: a bullet or a number mark opens it, or it is short and ends without a full stop.
_ITEM_OPEN = re.compile(r"^\s*(?:[•▪●○◦*–-]|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
ITEM_WORDS = 20


@dataclass(frozen=True)
class Context:
    """What is the same for every candidate of one question: its intent and the best scores."""

    intent: Intent
    proper: frozenset[str]
    max_bm25: float
    best_dense: float
    best_lex: float
    question_missing: float


def is_item(text: str) -> bool:
    """Whether a sentence reads as a list item (see ``_ITEM_OPEN`` and ``ITEM_WORDS``)."""
    t = text.strip()
    return bool(_ITEM_OPEN.match(t)) or (len(t.split()) <= ITEM_WORDS and not t.endswith((".", "?", "!")))


def features(
    ctx: Context, text: str, *, sent_dense: float, sent_lex: float, section_lex: float, chunk_lex: float,
    chunk_dense: float, chunk_bm25: float, rank: int, has_figure: bool, position: int,
) -> list[float]:
    """The feature vector of one sentence ``text``, in the order of ``FEATURES``.

    - ``sent_dense``: cosine of the question's and the sentence's embeddings.
    - ``sent_lex``, ``section_lex``, ``chunk_lex``: share of the question's idf weight whose
      stems occur in the sentence, its section title, its chunk (``qa.rank.lexical_overlap``).
    - ``chunk_dense``: cosine of the question with the sentence's chunk.
    - ``chunk_bm25_rel``: the chunk's BM25 score over the best BM25 score among the candidates.
    - ``first_stage_rank``: 1 / (1 + rank of the chunk in the first stage).
    - ``figure_asked_held`` / ``figure_asked_missing``: the question asks for an amount and the
      sentence states (does not state) a counted figure; 0 when no amount is asked for.
    - ``date_asked_held``: the question asks "when" and the sentence names a month or year.
    - ``name_asked_held``: the question asks for a person and the sentence names one
      (``qa.entities.has_name`` with the words the reports only capitalise).
    - ``list_asked_item``: the question asks for several things and the sentence is a list item.
    - ``year_asked_held``: the question is about a reporting year the sentence writes.
    - ``has_digit``: the sentence holds a digit.
    - ``length``: log(1 + words) / log(101), so 100 words is 1.
    - ``first_in_chunk``: the sentence opens its chunk.
    - ``question_missing``: share of the question's idf weight that none of the top passages
      holds (the same for every candidate of a question; it tells an answer from none).
    - ``dense_gap`` / ``lex_gap``: the best sentence cosine (word cover) among the candidates
      minus this one's.
    """
    it = ctx.intent
    words = len(text.split())
    return [
        float(sent_dense), float(sent_lex), float(section_lex), float(chunk_lex), float(chunk_dense),
        float(chunk_bm25 / ctx.max_bm25) if ctx.max_bm25 > 0 else 0.0,
        1.0 / (1 + rank),
        float(it.quantity and has_figure), float(it.quantity and not has_figure),
        float(it.date and bool(DATE.search(text))),
        float(it.name and has_name(text, ctx.proper, exclude=it.question)),
        float(it.as_list and is_item(text)),
        float(any(mention_pattern(p).search(text) for p in it.periods)),
        float(bool(DIGIT.search(text))),
        math.log1p(words) / math.log(101), float(position == 0),
        float(ctx.question_missing), float(ctx.best_dense - sent_dense), float(ctx.best_lex - sent_lex),
    ]
