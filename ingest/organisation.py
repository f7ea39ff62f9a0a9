"""Whose report a document is, read from its own words.

A report names its body many times: on the title page, in a running header on every page
("X Safeguarding Children Partnership - Annual Report 2021-22") and in its text. The body's
area is the run of place words before "Safeguarding Children Partnership" (or "... Board",
"LSCB", "SCP"), so the running header, which the cleaner strips later, is read here from the
raw pages and outweighs the neighbouring partnerships a report mentions once or twice.

Place words are told apart from ordinary words by the document itself: a word it only ever
capitalises ("Southmoor") can be a place; one it also writes in lower case ("Partnership", "The")
cannot. No place or body name is known in advance.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ingest.model import Organisation, area_key

# The body's title after its area; title case or capitals, as headers and title pages print it.
_BODY = re.compile(
    r"\b(?:(?:Local\s+)?Safeguarding\s+Children(?:['’]s)?\s+(?:Partnership|Board)|"
    r"(?:LOCAL\s+)?SAFEGUARDING\s+CHILDREN(?:['’]S)?\s+(?:PARTNERSHIP|BOARD)|LSCB|LSCP|SCP|SCB)\b"
)
_COUNCIL = re.compile(r"\b(?:(?:County|City|Borough|District|Metropolitan\s+Borough)\s+)?Council\b")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*|&|\S")
# Words that join the parts of a place name ("X and Y", "X upon Y").
_JOINERS = frozenset({"and", "&", "upon", "of"})
# Capitalised everywhere yet never a place (a date's month before a header's area).
_MONTHS = frozenset("january february march april may june july august september october november december".split())
# Words that end a body's name, so a place before them belongs to that body, not the next one
# ("X County Council and Y County Council").
_BODY_ENDS = frozenset({"council", "councils", "partnership", "board", "lscb", "lscp", "scp", "scb"})
# Capitalised at a sentence's start, never a place; a long report also writes them in lower case,
# but a title page alone may not.
_OPENERS = frozenset("the this that these those our their its a an in on at for by from to with as we it".split())
_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
MAX_AREA_WORDS = 6
_LOWER_WORD = re.compile(r"[a-z][a-z'’]*(?:-[a-z][a-z'’]*)*")


def lower_case_words(text: str) -> frozenset[str]:
    """Words the text writes in lower case somewhere: these are not place words. Only whole
    words count, not the pieces of a web address ("www.example.gov.uk/example-news")."""
    out = set()
    for token in text.split():
        word = token.strip(".,;:!?()[]\"'“”‘’")
        if _LOWER_WORD.fullmatch(word):
            out.add(word)
    return frozenset(out)


def _is_place_word(word: str, lower: frozenset[str]) -> bool:
    w = word.strip(".’'")
    if not w or not w[0].isupper() or w.lower() in _MONTHS | _BODY_ENDS | _OPENERS:
        return False
    return w.lower() not in lower


def area_before(text: str, end: int, lower: frozenset[str]) -> str:
    """The place words that end at ``end`` in ``text`` ("Northfield & Southmoor"), or ""."""
    tokens = _TOKEN.findall(text[max(0, end - 200):end])
    words: list[str] = []
    for tok in reversed(tokens):
        if tok.lower() in _JOINERS and words:
            words.append(tok)
        elif _is_place_word(tok, lower) and len(words) < 2 * MAX_AREA_WORDS:
            words.append(tok)
        else:
            break
    while words and words[-1].lower() in _JOINERS:  # the area starts with a place word
        words.pop()
    words.reverse()
    return " ".join(_tidy(w) for w in words)


def _tidy(word: str) -> str:
    """A word printed in capitals as the text writes it elsewhere: "SOUTHMOOR" -> "Southmoor"."""
    if word.lower() in _JOINERS:
        return word.lower()
    return word.capitalize() if word.isupper() and len(word) > 1 else word


def _initials(name: str) -> str:
    return "".join(w[0].upper() for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w.lower() not in _JOINERS)


def read_bodies(text: str, lower: frozenset[str]) -> list[tuple[str, str, int]]:
    """Every (area, name, offset) where the text names a safeguarding body with its area."""
    out = []
    for m in _BODY.finditer(text):
        area = area_before(text, m.start(), lower)
        if not area:
            continue
        title = " ".join(m.group(0).split())
        title = title.title() if title.isupper() and " " in title else title
        out.append((area, f"{area} {title}", m.end()))
    return out


def read_councils(text: str, lower: frozenset[str], area: str) -> tuple[str, ...]:
    """Councils the text names whose place is part of ``area``, first named first."""
    parts = [p for p in re.split(r"\s+(?:and|&|,)\s+|,\s*", area) if p]
    found: dict[str, str] = {}
    for m in _COUNCIL.finditer(text):
        place = area_before(text, m.start(), lower)
        if not place or area_key(place) not in {area_key(p) for p in parts} | {area_key(area)}:
            continue
        name = f"{place} {' '.join(m.group(0).split())}"
        key = area_key(place)
        # "X City Council" says more than "X Council"
        if key not in found or len(name) > len(found[key]):
            found[key] = name
    return tuple(found.values())


def detect_organisation(title: str, raw_pages: Sequence[str]) -> Organisation:
    """The body a document belongs to, read from its title and its raw (uncleaned) pages.

    The area named most often wins; running headers, repeated on every page, count each time.
    The name is the area's longest spelled-out title the text uses, its short forms the
    acronyms the text defines right after it whose letters are its initials.
    """
    text = "\n".join([title, *raw_pages])
    flat = " ".join(text.split())
    lower = lower_case_words(flat)
    bodies = read_bodies(flat, lower)
    if not bodies:
        return Organisation()
    votes = Counter(area_key(area) for area, _, _ in bodies)
    key = votes.most_common(1)[0][0]
    mine = [(area, name, end) for area, name, end in bodies if area_key(area) == key]
    names = Counter(name for _, name, _ in mine)
    # "X Safeguarding Children Board" rather than "X LSCB", when the text spells it out
    spelled = [n for n in names if not n.split()[-1].isupper()]
    name = max(spelled or names, key=lambda n: (names[n], len(n)))
    area = Counter(a for a, _, _ in mine).most_common(1)[0][0]
    short: list[str] = []
    for _, body, end in mine:
        m = _ACRONYM.match(flat, end)
        if m and "".join(c for c in m.group(1) if c.isupper()) == _initials(body) and m.group(1) not in short:
            short.append(m.group(1))
    return Organisation(name=name, short_forms=tuple(short), area=area, councils=read_councils(flat, lower, area))
