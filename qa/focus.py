"""The thing a question asks the value of, and whether the reports in scope name it at all.

"What is the average caseload of a social worker?" shares "social" and "worker" with many
passages; if no report says "caseload", none of them answers it, however well it scores. So a
question whose asked-for phrase holds a word that the reports in scope never use is declined
before retrieval, with that word named in the reply. The asked-for phrase is read from the
question's grammar only (a figure cue or "what is the", up to the first verb or preposition);
the words it is checked against come from the indexed documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from index.keyword import tokenize
from qa.cache import per_chunks
from qa.normalise import swaps
from qa.rank import FILLER

# A figure cue or "what is the", then the phrase naming what is asked for.
_ASK = re.compile(
    r"\b(?:how many|how much|numbers? of|(?:percentage|proportion|share|fraction|rate|total|amount|average|level)"
    r" of|(?:what|which) (?:is|was|were|are) the)\s+(?P<phrase>[^?,.;:()]+)", re.IGNORECASE)
# The phrase ends at a preposition, conjunction, auxiliary or past participle ("... made for").
_END = re.compile(
    r"\b(?:in|of|for|at|by|on|to|from|with|during|did|does|do|was|were|is|are|has|have|had|and|or|that|who|"
    r"which|when|where|between|across|under|over|compared|since|before|after|per|than)\b|\b\w+ed\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
# A reader's spelling may differ from the reports' in its ending ("program", "programme"): a
# word counts as used when a word of the reports begins with all but its last two letters
# (and at least this many).
MIN_PREFIX = 5
MAX_UNIONS = 64  # sets of documents whose words are kept joined (one per partnership and filter)


def asked_phrase(question: str) -> str:
    """The words naming what a question asks the value of: after "how many", "number of",
    "percentage of", "what was the" and the like, up to the first preposition, conjunction,
    auxiliary verb or past participle; "" when the question has no such cue.

    >>> asked_phrase("How many Prevent referrals were made for children in 2022-23?")
    'Prevent referrals'
    """
    m = _ASK.search(question)
    if not m:
        return ""
    phrase = m.group("phrase")
    end = _END.search(phrase)
    return (phrase[:end.start()] if end else phrase).strip()


def unused_words(phrase: str, words: frozenset[str], stems: frozenset[str]) -> list[str]:
    """The words of ``phrase`` that the reports never use: ``words`` are the reports' lower-case
    words, ``stems`` their stems (``index.keyword.tokenize``).

    A word is used when the reports write it, with or without a plural "s", or with two
    neighbouring letters swapped (a typing slip). A lower-case word is also used when its stem
    is one of ``stems`` or a report word shares its first letters (all but two, at least
    MIN_PREFIX). A capitalised word is a name ("Prevent", "CAMHS"), whose stem may be a common
    verb's ("prevented"): only its own forms count. Stop words and the
    words that frame a question (``qa.rank.FILLER``) are never reported.
    """
    unused = []
    for raw in _WORD.findall(phrase):
        word = _POSSESSIVE.sub("", raw)
        stem = tokenize(word)
        if not stem or stem[0] in FILLER or stem[0][:1].isdigit():
            continue
        low = word.lower()
        forms = {low, low + "s", low.removesuffix("s")} | swaps(low)
        if forms & words:
            continue
        if word[:1].isupper():
            unused.append(word)
            continue
        if stem[0] in stems:
            continue
        prefix = low[:max(MIN_PREFIX, len(low) - 2)]
        if len(low) < MIN_PREFIX or not any(w.startswith(prefix) for w in words):
            unused.append(word)
    return unused


def document_words(store, doc_ids: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The lower-case words and the stems of the documents ``doc_ids``, read from each
    document's text once and cached on the store; the union for a set of documents is cached
    too, since a partnership's questions ask of the same documents again and again."""
    per_doc, unions = per_chunks(store, "_focus_cache", lambda: ({}, {}))
    key = frozenset(doc_ids)
    if key not in unions:
        for doc_id in key - per_doc.keys():
            text = store.document_text(doc_id, 0, None)
            per_doc[doc_id] = (frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text)), frozenset(tokenize(text)))
        if len(unions) >= MAX_UNIONS:
            unions.clear()
        unions[key] = (frozenset().union(*(per_doc[d][0] for d in key)), frozenset().union(*(per_doc[d][1] for d in key)))
    return unions[key]


def unnamed(store, question: str, doc_ids: Sequence[str]) -> list[str]:
    """The words of the question's asked-for phrase that none of the documents ``doc_ids`` use."""
    phrase = asked_phrase(question)
    if not phrase or not doc_ids:
        return []
    return unused_words(phrase, *document_words(store, doc_ids))
