"""Follow-up questions ("and the year before?") read with the previous question's intent as context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.periods import period_start, time_scope

if TYPE_CHECKING:
    from qa.intent import Intent

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


def relation_of(question: str) -> str:
    """"before" for "the year before", "after" for "the following year", else ""."""
    return "before" if _BEFORE.search(question) else "after" if _AFTER.search(question) else ""


def implied_periods(intent: Intent, previous: Intent | None, available: Sequence[str]) -> list[str]:
    """The period a follow-up's "the year before"/"the year after" means: the report before the
    first (after the last) one ``previous`` asked about, among ``available``; [] when there is
    none or the question is no follow-up."""
    if previous is None or not intent.followup or not intent.relation:
        return []
    avail = sorted(set(available), key=period_start)
    asked = time_scope(previous.time, avail).periods
    if not asked:
        return []
    j = avail.index(asked[0]) - 1 if intent.relation == "before" else avail.index(asked[-1]) + 1
    return [avail[j]] if 0 <= j < len(avail) else []


def followup_query(intent: Intent, previous: Intent | None, implied: bool) -> str:
    """The question to retrieve with: a follow-up joined to the previous question's topic (its
    years dropped, so the new ones or the ``implied`` period rule); otherwise the question."""
    if previous is None or not intent.followup:
        return intent.question
    prev_topic = re.sub(r"\b(in|during|for)?\s*(?:19|20)\d{2}(?:\s?[-/–]\s?\d{2,4})?", " ", previous.question)
    if implied:
        # "and the year before?" adds nothing but the period, which is now a filter.
        rest = _AFTER.sub(" ", _BEFORE.sub(" ", intent.question))
        rest = re.sub(r"^\s*(and|what about|how about|what of|also|then)\b|\b(the|in|for)\b|[?.!]", " ", rest,
                      flags=re.IGNORECASE)
        return " ".join(f"{prev_topic} {rest}".split())
    return " ".join(f"{prev_topic} {intent.question}".split())
