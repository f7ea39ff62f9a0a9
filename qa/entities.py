"""Questions that ask for a person's name or for one organisation's figure, and whether a passage
gives it.

"Who was the Independent Advisor?" is answered by a name ("Kay Whyte-Bell"), not by a sentence
about advisors; when no passage names anyone the engine declines rather than quote a job title.
"How much did Northfield City Council contribute?" is not answered by Northfieldshire County
Council's row of the same table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from index.keyword import tokenize

# A question may open with a lead-in clause: "In 2021-22, who chaired ...", "Under the new
# arrangements, which ...".
LEAD_IN = r"^(?:[^,?]*,\s*)?\s*"
# "who is/was the <role>", "the name of the <role>", "who chairs/chaired/leads/led ...".
_WANTS_NAME = re.compile(
    LEAD_IN + r"who\s+(?:is|was|were|are)\s+(?:the|their|its|our)\b|\bname of the\b|\bnamed\b|"
    + LEAD_IN + r"who\s+(?:chairs|chaired|leads|led|wrote|signed)\b",
    re.IGNORECASE,
)
# Two capitalised words in a row, found overlapping ("Contact Jane Moore" holds "Jane Moore").
_PAIR = re.compile(r"\b(?=([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
# "How much did Northfield City Council contribute": the payer is a capitalised phrase after "did".
_SUBJECT = re.compile(r"\b(?i:how (?:much|many \w+)\s+(?:did|does|do|has|have|had)\s+(?:the\s+)?)"
                      r"((?:[A-Z][\w'’&-]*\s+){0,5}[A-Z][\w'’&-]*)")
# ... or a name of two or more capitalised words owning the figure: "Southmoor County Council's contribution".
_OWNER = re.compile(r"((?:[A-Z][\w&-]*\s+){1,4}[A-Z][\w&-]*)['’]s\s+(?i:(?:\w+\s+)?(?:contribution|share|"
                    r"funding|spend|spending|budget|income|expenditure))\b")
# Capitalised words of job titles, places and organisations, which two-word names are not made of
# ("Deputy Chairs", "Designated Officer", "Melton Borough", "Phoenix Cinema").
_NOT_NAME = frozenset("""
chair chairs deputy officer officers designated nurse doctor director manager head lead leads independent
advisor adviser scrutineer board boards borough council centre centres cinema hall company barracks stage
zone east west north south midlands city county district group groups team teams service services unit
partnership partnerships panel forum trust school schools college university hospital foundation
""".split())


def wants_name(question: str) -> bool:
    """Whether the question asks who holds a role, so the answer must name a person."""
    return bool(_WANTS_NAME.search(question))


def asks_who(question: str) -> bool:
    """Whether the question asks who did something ("Who provided independent scrutiny ...?"): a
    person may answer it, or an organisation or role, so a name is preferred, not required."""
    return bool(re.match(LEAD_IN + r"who\b", question, re.IGNORECASE))


def proper_words(texts: Iterable[str]) -> frozenset[str]:
    """Capitalised words that never occur in lower case in ``texts``: names of people, places
    and things ("Westwood", "Southmoor"), not sentence openers ("Training")."""
    lower, capital = set(), set()
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
            (capital if word[0].isupper() else lower).add(word)
    return frozenset(w for w in capital if w.lower() not in lower and not w.isupper())


def has_name(text: str, proper: frozenset[str], exclude: str = "") -> bool:
    """Whether ``text`` holds two adjacent proper words (a person's name), neither of them a word
    of ``exclude`` (the question: its own names are not the answer)."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z'’-]+", exclude)}
    for m in _PAIR.finditer(text):
        first, second = m.group(1), m.group(2)
        words = {first.lower(), second.lower()}
        if first in proper and second in proper and not words & asked and not words & _NOT_NAME:
            return True
    return False


def subject_of(question: str) -> list[str]:
    """The stems of the organisation a figure question is about, or []: "how much did X ...",
    or a name of two or more capitalised words owning the figure ("Southmoor County Council's
    contribution")."""
    m = _SUBJECT.search(question) or _OWNER.search(question)
    if not m:
        return []
    return tokenize(re.sub(r"['’]s\b", "", m.group(1)))  # "X's Family Hubs": the possessive is no word of it


def names_subject(text: str, subject: Sequence[str], acronyms: dict[str, str] | None = None) -> bool:
    """Whether ``text`` names every word of the subject (True when there is none), itself or
    by an acronym the reports define ("The NSLSCB has met" names Northfield and Southmoor)."""
    if not subject:
        return True
    have = set(tokenize(text))
    if all(s in have for s in subject):
        return True
    # An acronym names the subject when its expansion alone does.
    return any(word in (acronyms or {}) and all(s in set(tokenize(acronyms[word])) for s in subject)
               for word in re.findall(r"\b[A-Z][A-Za-z]*[A-Z]s?\b", text))
