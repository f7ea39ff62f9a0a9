"""Follow-up questions ("and the year before?") read with the previous question as context."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.periods import parse_time, period_start

_FOLLOWUP = re.compile(
    r"^\s*(and|what about|how about|what of|also|same for|and in|and for|then)\b|"
    r"\b(the year before|previous year|year after|following year|the next year|that year|"
    r"before that|after that|it|that|those|they|them|this)\b",
    re.IGNORECASE,
)
_BEFORE = re.compile(r"\b(the year before|previous (?:year|report)|the report before|earlier report|before that)\b", re.IGNORECASE)
_AFTER = re.compile(r"\b(the year after|following (?:year|report)|next (?:year|report)|after that)\b", re.IGNORECASE)


def is_followup(question: str) -> bool:
    """Short questions that lean on what came before."""
    return len(question.split()) <= 8 and bool(_FOLLOWUP.search(question))


def resolve(question: str, history: Sequence[str], available: list[str]) -> tuple[str, list[str]]:
    """The question to retrieve with, and periods implied by "the year before"/"the year after".

    Returns (question, []) when the question stands on its own.
    """
    if not history or not is_followup(question):
        return question, []
    previous = history[-1]
    avail = sorted(set(available), key=period_start)
    prev_scope = parse_time(previous, avail)
    periods: list[str] = []
    if prev_scope.periods and (_BEFORE.search(question) or _AFTER.search(question)):
        anchor = prev_scope.periods[0] if _BEFORE.search(question) else prev_scope.periods[-1]
        i = avail.index(anchor)
        j = i - 1 if _BEFORE.search(question) else i + 1
        if 0 <= j < len(avail):
            periods = [avail[j]]
    # Drop the old question's time words so the new ones (or the resolved period) rule.
    prev_topic = re.sub(r"\b(in|during|for)?\s*(?:19|20)\d{2}(?:\s?[-/–]\s?\d{2,4})?", " ", previous)
    if periods:
        # "and the year before?" adds nothing but the period, which is now a filter.
        rest = _AFTER.sub(" ", _BEFORE.sub(" ", question))
        rest = re.sub(r"^\s*(and|what about|how about|what of|also|then)\b|\b(the|in|for)\b|[?.!]", " ", rest,
                      flags=re.IGNORECASE)
        return " ".join(f"{prev_topic} {rest}".split()), periods
    return " ".join(f"{prev_topic} {question}".split()), periods
