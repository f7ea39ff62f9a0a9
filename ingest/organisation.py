"""Whose report a document is, read from its own words.

A report names its body many times: on the title page, in a running header on every page
("X Safeguarding Children Partnership - Annual Report 2021-22") and in its text. The body's
area is the run of place words before its title ("Safeguarding Children Partnership",
"Children's Safeguarding Partnership", "Safeguarding Partnership", "... Board", "LSCB", "SCP";
in title case or capitals), or after it ("Safeguarding Children Partnership for X"), so the
running header, which the cleaner strips later, is read here from the raw pages and outweighs
the neighbouring partnerships a report mentions once or twice.

Place words are told apart from ordinary words by the document itself: a word it only ever
capitalises ("Southmoor") can be a place; one it also writes in lower case ("Partnership", "The")
cannot. No place or body name is known in advance.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ingest.model import Organisation, area_key

# The body's titles after its area, in the word orders partnerships use; a board's for older
# reports; "X Safeguarding Partnership" for one that serves children and adults together.
_TITLES = (
    r"(?:Local\s+)?Safeguarding\s+Children(?:['’]s)?(?:\s+and\s+Young\s+People(?:['’]s)?)?\s+(?:Partnership|Board)",
    r"(?:Local\s+)?Children(?:['’]?s)?\s+Safeguarding\s+(?:Partnership|Board)",
    r"(?:Local\s+)?Safeguarding\s+Partnership",
)


def _capitals(pattern: str) -> str:
    """A title pattern as a title page prints it in capitals (the letters outside escapes)."""
    return re.sub(r"(?<!\\)[a-z]", lambda m: m.group(0).upper(), pattern)


_BODY = re.compile(r"\b(?:" + "|".join([*_TITLES, *map(_capitals, _TITLES)]) + r"|LSCB|LSCP|SCP|SCB)\b")
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
# Words of a body's own title, never a place, though a short text may never write them in lower case.
_TITLE_WORDS = frozenset(
    "adult adults children children's childrens safeguarding local young people multi-agency joint statutory "
    "annual yearly report".split()
)
# Small words left out of a body's initials ("Safeguarding Children Partnership for X": SCPX).
_SMALL = _JOINERS | {"for", "the"}
# "Safeguarding Children Partnership for X": the area after the title.
_AFTER = re.compile(r"\s+(for|of)\s+(?:the\s+)?", re.IGNORECASE)
# A short form defined after the name: "(NSCP)", "(the NSCP)", "(“NSCP”)".
_ACRONYM = re.compile(r"\s*\(\s*(?:the\s+)?[\"“'‘]?([A-Z][A-Za-z]{1,9})[\"”'’]?\s*\)")
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
    if not w or not w[0].isupper() or w.lower().replace("’", "'") in _MONTHS | _BODY_ENDS | _OPENERS | _TITLE_WORDS:
        return False
    return w.lower() not in lower


def _is_area_word(tok: str, lower: frozenset[str], words: list[str]) -> bool:
    """A place word, or a joiner or comma inside an area already begun."""
    if tok == "," or tok.lower() in _JOINERS:
        return bool(words)
    return _is_place_word(tok, lower) and len(words) < 2 * MAX_AREA_WORDS


def _joined(words: list[str]) -> str:
    """Area words in reading order as the area's name: "Eastmere, Westmere and Northby"."""
    return " ".join(_tidy(w) for w in words).replace(" ,", ",")


def _listed(words: list[str]) -> bool:
    """Whether commas in an area list its places before a last "and" ("X, Y and Z")."""
    if "," not in words:
        return True
    last = len(words) - 1 - words[::-1].index(",")
    return any(w.lower() in ("and", "&") for w in words[last:])


def area_before(text: str, end: int, lower: frozenset[str]) -> str:
    """The place words that end at ``end`` in ``text`` ("Northfield & Southmoor"), or ""."""
    tokens = _TOKEN.findall(text[max(0, end - 200):end])
    words: list[str] = []
    for tok in reversed(tokens):
        if not _is_area_word(tok, lower, words):
            break
        words.append(tok)
    while words and (words[-1] == "," or words[-1].lower() in _JOINERS):  # the area starts with a place word
        words.pop()
    words.reverse()
    if not _listed(words):  # "In Westmere, Eastmere ...": the area is what follows the comma
        words = words[len(words) - words[::-1].index(","):]
    if words:  # "Northfield's Safeguarding Children Partnership" is Northfield's
        words[-1] = re.sub(r"['’][sS]$", "", words[-1])
    return _joined(words)


def area_after(text: str, start: int, lower: frozenset[str]) -> tuple[str, str, int]:
    """The area after a body's title that starts at ``start`` ("... Partnership for Northfield"):
    (the joining word, the area, where it ends), or ("", "", start)."""
    m = _AFTER.match(text, start)
    if not m:
        return "", "", start
    words: list[tuple[str, int]] = []
    for tok in _TOKEN.finditer(text, m.end(), m.end() + 200):
        if not _is_area_word(tok.group(0), lower, [w for w, _ in words]):
            break
        words.append((tok.group(0), tok.end()))
    while words and (words[-1][0] == "," or words[-1][0].lower() in _JOINERS):
        words.pop()
    if not _listed([w for w, _ in words]):  # "for Northfield, Southmoor's ...": the area ends at the comma
        words = words[:[w for w, _ in words].index(",")]
    if not words:
        return "", "", start
    return m.group(1).lower(), _joined([w for w, _ in words]), words[-1][1]


def _tidy(word: str) -> str:
    """A word printed in capitals as the text writes it elsewhere: "SOUTHMOOR" -> "Southmoor"."""
    if word.lower() in _JOINERS:
        return word.lower()
    return word.capitalize() if word.isupper() and len(word) > 1 else word


def _initials(name: str) -> str:
    return "".join(w[0].upper() for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w.lower() not in _SMALL)


def _title_case(title: str) -> str:
    """A body's title printed in capitals as prose writes it: "CHILDREN'S SAFEGUARDING PARTNERSHIP"
    -> "Children's Safeguarding Partnership"."""
    if not title.isupper() or " " not in title:
        return title
    return " ".join(w.lower() if w.lower() in _JOINERS else w.capitalize() for w in title.split())


def read_bodies(text: str, lower: frozenset[str]) -> list[tuple[str, str, int]]:
    """Every (area, name, offset) where the text names a safeguarding body with its area."""
    out = []
    for m in _BODY.finditer(text):
        title = _title_case(" ".join(m.group(0).split()))
        area = area_before(text, m.start(), lower)
        if area:
            out.append((area, f"{area} {title}", m.end()))
            continue
        joiner, area, end = area_after(text, m.end(), lower)
        if area:
            out.append((area, f"{title} {joiner} {area}", end))
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
