"""Pure metric functions for the benchmark: evidence support, retrieval, answers, abstention.

Citations are dicts (``source``, ``text``, ``quote``, ...) as returned by the system; gold
evidence items are ``evals.questions.Evidence`` objects or ``{"doc", "quote"}`` dicts. Every
metric that is undefined for a question (no gold evidence, no key facts, no citations)
returns ``None`` so that ``mean_ignoring_none`` skips it.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ranx import Qrels, Run, evaluate

_CHAR_MAP = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "*": None,  # markdown emphasis
        "\u00ad": None,  # soft hyphen
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")


def _get(item: Any, key: str, default: Any = None) -> Any:
    """``item[key]`` for mappings, ``item.key`` otherwise (citations and evidence alike)."""
    if isinstance(item, Mapping):
        return item.get(key, default)
    return getattr(item, key, default)


def normalise(text: str) -> str:
    """Canonical text for matching.

    NFKC (ligatures, non-breaking spaces), curly quotes and dashes to ASCII, markdown ``*`` and
    soft hyphens dropped, a word hyphenated at a line break rejoined by removing the newline
    (``"multi-\\nagency" -> "multi-agency"``), whitespace collapsed, lowercased, stripped.
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_CHAR_MAP)
    text = _HYPHEN_BREAK.sub("-", text)
    return _SPACE.sub(" ", text).strip().lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def word_ngrams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    """The set of word n-grams of ``text``; words are ``\\w+`` tokens of ``normalise(text)``."""
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def support_fraction(passage: str, quote: str) -> float:
    """Fraction of the quote's distinct word trigrams that also occur in the passage.

    ``|Q ∩ trigrams(passage)| / |Q|`` where Q is the set of word trigrams of the quote (word
    unigrams for quotes of fewer than 3 words); 0.0 for a quote with no words.
    """
    n = 3 if len(_words(quote)) >= 3 else 1
    grams = word_ngrams(quote, n)
    if not grams:
        return 0.0
    return len(grams & word_ngrams(passage, n)) / len(grams)


def supports(passage: str, quote: str, threshold: float = 0.6) -> bool:
    """Whether a passage supports a gold quote.

    Definition: let Q be the set of word trigrams of the quote (for quotes with fewer than 3
    words, the set of word unigrams), words being ``\\w+`` tokens after ``normalise``. The
    passage supports the quote when ``|Q ∩ trigrams(passage)| / |Q| >= threshold`` (default
    0.6), i.e. at least 60% of the quote's trigrams occur in the passage. This tolerates
    chunk boundaries cutting a quote and small PDF-extraction differences, while unrelated
    text from the same report shares almost no trigrams with the quote.
    """
    return support_fraction(passage, quote) >= threshold


def options(ev: Any) -> list[tuple[str, str]]:
    """``(doc, quote)`` of a gold evidence item, then of each of its alternatives (``also``):
    the same fact stated in several documents, any of which counts."""
    opts = [(_get(ev, "doc"), _get(ev, "quote", ""))]
    for alt in _get(ev, "also", ()) or ():
        opts.append((_get(alt, "doc"), _get(alt, "quote", "")))
    return opts


def _cited_text(citation: Any) -> str:
    return _get(citation, "text") or _get(citation, "quote") or ""


def _recall(texts_by_doc: Mapping[str, Sequence[str]], evidence: Sequence[Any]) -> float | None:
    """Fraction of evidence items supported by some text cited from the item's own doc (or
    from the doc of one of its alternatives, supporting that alternative's quote)."""
    if not evidence:
        return None
    hits = sum(
        any(supports(text, quote) for doc, quote in options(ev) for text in texts_by_doc.get(doc, ()))
        for ev in evidence
    )
    return hits / len(evidence)


def evidence_recall_at_k(citations: Sequence[Any], evidence: Sequence[Any], k: int = 5) -> float | None:
    """Evidence recall@k: fraction of gold evidence items supported (see ``supports``) by at
    least one of the first ``k`` citations whose ``source`` equals the item's ``doc``.

    The citation's ``text`` (the passage) is used, falling back to its ``quote``. ``None`` for
    a question without gold evidence.
    """
    by_doc: dict[str, list[str]] = {}
    for citation in list(citations)[:k]:
        by_doc.setdefault(_get(citation, "source"), []).append(_cited_text(citation))
    return _recall(by_doc, evidence)


def evidence_recall_within_words(
    citations: Sequence[Any], evidence: Sequence[Any], budget: int = 400
) -> float | None:
    """Evidence recall within a word budget, fair across chunk sizes.

    Citations are read in rank order (an identical ``(source, text)`` pair is read once) and
    their texts (falling back to ``quote``) kept until ``budget`` whitespace-separated words
    have been read in total, the last passage cut at the remaining word count. For each doc,
    the kept texts from that doc are concatenated in rank order; an evidence item counts as
    recalled when that concatenation for its ``doc`` supports its quote (``supports``).
    ``None`` for a question without gold evidence.
    """
    remaining = budget
    seen: set[tuple[str, str]] = set()
    by_doc: dict[str, list[str]] = {}
    for citation in citations:
        if remaining <= 0:
            break
        source, text = _get(citation, "source"), _cited_text(citation)
        if (source, text) in seen:
            continue
        seen.add((source, text))
        words = text.split()[:remaining]
        remaining -= len(words)
        by_doc.setdefault(source, []).append(" ".join(words))
    return _recall({doc: [" ".join(parts)] for doc, parts in by_doc.items()}, evidence)


def document_recall(citations: Sequence[Any], evidence: Sequence[Any], k: int = 5) -> float | None:
    """Fraction of gold evidence items whose document (or an alternative's document) is the
    ``source`` of one of the first ``k`` citations: did the answer come from the right report,
    whatever passage it quoted. ``None`` for a question without gold evidence."""
    if not evidence:
        return None
    cited = {_get(c, "source") for c in list(citations)[:k]}
    return sum(any(doc in cited for doc, _ in options(ev)) for ev in evidence) / len(evidence)


def qrels_and_run(
    per_question: Mapping[str, Sequence[tuple[Any, str, str, float]]],
    evidence: Mapping[str, Sequence[Any]],
    pool: Mapping[str, Iterable[tuple[Any, str, str]]] | None = None,
) -> tuple[Qrels, Run]:
    """ranx ``Qrels`` and ``Run`` from ranked ``(passage_id, source, text, score)`` lists.

    Only questions with gold evidence are included. A passage is relevant (grade 1) to a
    question when it supports (``supports``) at least one of its gold quotes from the same
    doc. Judged passages are the retrieved ones plus, optionally, ``pool[qid]`` (e.g. every
    passage of the evidence docs, as ``(passage_id, source, text)``) so the ideal ranking
    knows all relevant passages. Each gold quote that no judged passage supports adds a
    synthetic never-retrieved relevant id, so every query has a relevant doc and a missed
    quote lowers nDCG. Run scores are derived from the list order (the given scores are not
    used, so ties cannot reorder it); a query with nothing retrieved gets one dummy
    non-relevant entry so that it is kept and scores 0.
    """
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    for qid, gold in evidence.items():
        if not gold:
            continue
        qid = str(qid)
        ranked = list(per_question.get(qid, ()))
        judged = [(pid, src, text) for pid, src, text, *_ in ranked]
        judged += list((pool or {}).get(qid, ()))
        relevant: dict[str, int] = {}
        for i, ev in enumerate(gold):
            found = [str(pid) for pid, src, text in judged
                     if any(src == doc and supports(text, quote) for doc, quote in options(ev))]
            relevant.update(dict.fromkeys(found or [f"__gold__{qid}__{i}"], 1))
        qrels[qid] = relevant
        entries: dict[str, float] = {}
        for pid, *_ in ranked:
            entries.setdefault(str(pid), float(len(ranked) - len(entries)))
        run[qid] = entries or {f"__none__{qid}": 0.0}
    return Qrels(qrels), Run(run)


def ranking_metrics(
    per_question: Mapping[str, Sequence[tuple[Any, str, str, float]]],
    evidence: Mapping[str, Sequence[Any]],
    k: int = 10,
    pool: Mapping[str, Iterable[tuple[Any, str, str]]] | None = None,
) -> dict[str, float | None]:
    """Mean MRR@k and nDCG@k (Järvelin & Kekäläinen 2002, binary gains) over the questions
    with gold evidence, computed by ``ranx.evaluate`` on ``qrels_and_run``; a question with
    no relevant passage retrieved counts 0. ``None`` values when no question has evidence.
    """
    names = [f"mrr@{k}", f"ndcg@{k}"]
    if not any(evidence.values()):
        return dict.fromkeys(names)
    qrels, run = qrels_and_run(per_question, evidence, pool)
    with warnings.catch_warnings():  # numba's harmless uint64 -> int64 cast warning
        warnings.simplefilter("ignore")
        scores = evaluate(qrels, run, names)
    return {name: float(scores[name]) for name in names}


def _fact_form(text: str) -> str:
    return _DIGIT_COMMA.sub("", normalise(text))


def contains_fact(text: str, fact: str) -> bool:
    """Whether ``fact`` occurs in ``text`` after ``normalise`` and removing commas between
    digits on both sides ("1,286" == "1286"). A fact starting (ending) with a digit must not
    be preceded (followed) by a digit, so "4" is not found in "14" or "2014"."""
    needle = _fact_form(fact)
    if not needle:
        return False
    pattern = re.escape(needle)
    if needle[0].isdigit():
        pattern = r"(?<!\d)" + pattern
    if needle[-1].isdigit():
        pattern += r"(?!\d)"
    return re.search(pattern, _fact_form(text)) is not None


def fact_recall(answer: str, key_facts: Sequence[str]) -> float | None:
    """Fraction of key facts found in the answer (``contains_fact``); ``None`` without facts."""
    if not key_facts:
        return None
    return sum(contains_fact(answer, fact) for fact in key_facts) / len(key_facts)


def citation_relevant(citation: Any, evidence: Sequence[Any], key_facts: Sequence[str]) -> bool:
    """A citation is relevant when its passage (``text``) or ``quote`` supports some gold quote
    of the same doc (``supports``), or its ``quote`` contains a key fact (``contains_fact``)."""
    source = _get(citation, "source")
    texts = [t for t in (_get(citation, "text"), _get(citation, "quote")) if t]
    for ev in evidence:
        if any(doc == source and supports(t, quote) for doc, quote in options(ev) for t in texts):
            return True
    quote = _get(citation, "quote") or ""
    return any(contains_fact(quote, fact) for fact in key_facts)


def citation_precision(
    citations: Sequence[Any], evidence: Sequence[Any], key_facts: Sequence[str]
) -> float | None:
    """Fraction of citations that are relevant (``citation_relevant``); ``None`` without
    citations."""
    if not citations:
        return None
    return sum(citation_relevant(c, evidence, key_facts) for c in citations) / len(citations)


CORRECT_ABSTENTION = "correct_abstention"
FALSE_ABSTENTION = "false_abstention"
MISSED_ABSTENTION = "missed_abstention"
ANSWERED = "answered"


def abstained(answerable_pred: bool) -> bool:
    """The system abstained when it declared the question not answerable."""
    return not answerable_pred


def abstention(answerable_pred: bool, gold_answerable: bool) -> str:
    """Outcome of one question: ``correct_abstention`` (abstained, gold unanswerable),
    ``false_abstention`` (abstained, gold answerable), ``missed_abstention`` (answered,
    gold unanswerable) or ``answered`` (answered, gold answerable)."""
    if abstained(answerable_pred):
        return FALSE_ABSTENTION if gold_answerable else CORRECT_ABSTENTION
    return ANSWERED if gold_answerable else MISSED_ABSTENTION


def abstention_rates(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """From ``(answerable_pred, gold_answerable)`` pairs: ``correct_abstention`` = fraction of
    gold-unanswerable questions where the system abstained, ``false_abstention`` = fraction
    of gold-answerable questions where it abstained (``None`` when there are none)."""
    unanswerable = answerable = correct = false = 0
    for pred, gold in pairs:
        if gold:
            answerable += 1
            false += abstained(pred)
        else:
            unanswerable += 1
            correct += abstained(pred)
    return {
        CORRECT_ABSTENTION: correct / unanswerable if unanswerable else None,
        FALSE_ABSTENTION: false / answerable if answerable else None,
    }


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks, as
    ``numpy.percentile``'s default: position ``(n - 1) * q / 100`` in the sorted values.
    ``None`` for no values."""
    data = sorted(float(v) for v in values)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def mean_ignoring_none(values: Iterable[float | None]) -> float | None:
    """Arithmetic mean of the values that are neither ``None`` nor NaN; ``None`` if none are."""
    kept = [float(v) for v in values if v is not None and not math.isnan(v)]
    return sum(kept) / len(kept) if kept else None
