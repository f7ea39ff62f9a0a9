"""The question, parsed once: what it asks for, about which years, in which words.

Every later stage reads the ``Intent`` rather than parsing the question's words again. The
parsers it calls are small and general: a figure (``how many``, ``how much``, ``number of`` and
amounts), a name (``who``), a date (``when``), a list (a plural after which/what, ``list``), a
second question joined to the first, the organisation whose figure is asked for, its time
words (``qa.periods.read_time``) and whether it follows on from the question before
(``qa.followup``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.entities import LEAD_IN, subject_of, wants_name
from qa.followup import is_followup, relation_of
from qa.periods import TimeAsk, named_periods, read_time
from qa.quantity import wants_figure

_QUANTITY = re.compile(r"\b(how many|how much|number of|numbers|figure|figures|total|percentage|per ?cent|"
                       r"budget\w*|cost\w*|spend\w*|spent|expenditure|income|fund\w*|money|contribut\w*|"
                       r"attend\w*|rate|proportion|share)\b", re.IGNORECASE)
_WHEN = re.compile(LEAD_IN + r"when\b|\b(what|which) (date|year|month)\b", re.IGNORECASE)
# A question naming the kind of document it asks about as its source: "in its annual report",
# "according to the Cabinet report".
_SOURCE_KIND = re.compile(r"\b(?:in|from|according to)\s+(?:its|the|their|our)\s+(?:[\w/-]+\s+){0,3}?"
                          r"(annual report|yearly report|cabinet (?:report|paper))\b", re.IGNORECASE)
_LIST_ASK = re.compile(r"\b(list|name the|name all|enumerate)\b", re.IGNORECASE)
_WH_START = re.compile(LEAD_IN + r"(?:which|what)\s+(?:(?:were|are|have been)\s+(?:the|their|its|our)\s+)?", re.IGNORECASE)
_PHRASE_END = frozenset("were are was is did do does has have had can could will would came come from in of for "
                        "with by to under that which on at during and or".split())


def is_list_question(question: str) -> bool:
    """Questions whose answer is several items: "which teams ...", "what were the priorities
    ...", "list ...". The head of the noun phrase after which/what must be plural; "how many
    courses" asks for a figure, not a list."""
    if _LIST_ASK.search(question):
        return True
    m = _WH_START.match(question)
    if not m:
        return False
    for word in question[m.end():].split()[:6]:
        word = word.lower().strip("\"“”?,.")
        if word in _PHRASE_END or word.endswith("ed"):
            return False  # the noun phrase has ended at a verb or preposition
        if word.endswith(("'s", "’s")):
            continue  # a possessive, not a plural
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            return True
    return False


# A second question joined to the first: "How many contacts ..., and how much was that up on the year before?"
_SECOND_ASK = re.compile(r"\band (?:how|what|which|who|whom|when|where|why|whether|did|does|do|was|were|is|are|"
                         r"has|have|had)\b", re.IGNORECASE)


def asks_two_things(question: str) -> bool:
    """Whether the question joins a second question to the first with "and how/what/did ..."."""
    return bool(_SECOND_ASK.search(question))



def asks_quantity(question: str) -> bool:
    """Whether the question is about an amount, a count or a rate (spending, attendance, ...)."""
    return bool(_QUANTITY.search(question))


def asks_date(question: str) -> bool:
    """Whether the question asks when something happened."""
    return bool(_WHEN.search(question))


def source_period(question: str) -> str:
    """The reporting year of the report the question names as its source ("in its 2021-22
    annual report": "2021-22"), or "": that report's period, not a year its text speaks of."""
    m = _SOURCE_KIND.search(question)
    found = named_periods(m.group(0)) if m else []
    return found[0] if found else ""


def source_kind(question: str) -> str:
    """The kind of document the question names as its source ("in its 2021-22 annual report":
    "annual report"; "cabinet paper"), or ""."""
    m = _SOURCE_KIND.search(question)
    if not m:
        return ""
    return "cabinet paper" if m.group(1).lower().startswith("cabinet") else "annual report"


@dataclass(frozen=True)
class Intent:
    """What a question asks for. ``subject`` is the stems of the organisation whose figure is asked for
    (``qa.entities.subject_of``); ``time`` its time words, not yet read against any reports;
    ``followup`` whether it leans on the question before, and ``relation`` "before"/"after" for
    "the year before"/"the year after"; ``source`` the kind of document it names as its source
    (``source_kind``) and ``source_period`` that document's reporting year (``source_period``);
    ``periods`` are the reporting years it is about (set by
    the engine once ``time`` is resolved against the indexed reports)."""

    question: str
    figure: bool  # a counted figure must be quoted (``qa.quantity.wants_figure``)
    quantity: bool  # about an amount, count or rate
    name: bool
    date: bool
    as_list: bool
    two_things: bool
    subject: tuple[str, ...]
    time: TimeAsk = TimeAsk()
    followup: bool = False
    relation: str = ""
    source: str = ""
    periods: tuple[str, ...] = ()
    source_period: str = ""


def parse_intent(question: str, periods: tuple[str, ...] = ()) -> Intent:
    """The intent of ``question``; every field but ``periods`` is read from the question's own words."""
    return Intent(question, wants_figure(question), asks_quantity(question), wants_name(question),
                  asks_date(question), is_list_question(question),
                  asks_two_things(question), tuple(subject_of(question) or ()), read_time(question),
                  is_followup(question), relation_of(question), source_kind(question), tuple(periods),
                  source_period(question))
