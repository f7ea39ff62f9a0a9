"""What a figure covers, so that a trend compares like with like across years.

A figure's **scope** is what its own words say it counts, beyond the thing asked about:

- the **bodies** it is for: a partnership or board, named in full ("the Safeguarding Adults
  Board") or by a short form the reports define for one ("SAB"), reduced to a key without place
  words so "SCP", "XYSCP" and "X & Y Safeguarding Children Partnership" are one body;
- the **areas** it is for: place words the reports use ("in X", "across X and Y");
- whether it is **restricted** ("SCP only", "X share": one body's or area's part; "excluding X",
  whose X is left out, not counted);
- whether it is **joint**: a "joint", "pooled", "combined" or "shared" budget, fund, income,
  expenditure, contribution or total, a phrase "as a whole", or a phrase naming two bodies;
- its **kinds**: "%" for a share or rate, "" for an amount or count.

Bodies and areas are read only from **scope phrases**: runs of body names, place words and
joining words ("and", "&", ",") that follow a scope word ("for", "of", "across", "to", "in",
...) with an optional "the", or stand in parentheses ("Total Income (SCP and SAB)"). A body named
as the subject of a row ("X Integrated Care Board £53,417") is the thing counted, not its scope.

Two years' scopes **differ** when both name bodies and no phrase of one names the same bodies
as a phrase of the other, likewise for areas, when both hold figures and share no kind, when one
is restricted and the other states no scope, or when one is joint and the other is one body's
(restricted, or its every phrase names one body). A scope that says nothing compares with nothing: an unstated scope is not a different one.

Everything a rule needs (which short forms are bodies, which words are places) is read from the
indexed documents: no name is known in advance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from qa.acronyms import LONG_FORM, SMALL_WORDS, initials_match

# "Long Form Words (ACR)": a body's short form has no "&" ("A&E" is no body).
_DEFINITION = re.compile(LONG_FORM + r"\(([A-Z][A-Za-z]{1,7})\)")
# A body spelled out: capitalised words ending in Board or Partnership ("Safeguarding Adults Board").
# A capitalised word after it makes it part of another name ("... Partnership Development Fund").
_BODY_NAME = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:(?:and|&|of|for)\s+)?)+(?:Boards?|Partnerships?)\b(?!\s+[A-Z][a-z])")
_BODY_ENDS = ("board", "boards", "partnership", "partnerships")
# A scope phrase follows one of these (then optionally "the"), or opens a parenthesis.
_SCOPE_WORDS = frozenset({"for", "of", "across", "to", "within", "in", "throughout", "covering", "including",
                          "excluding", "between"})
_JOINERS = frozenset({"and", "&", ","})
_QUOTED_WORDS = frozenset({"including", "excluding"})
# Words right after a scope phrase that restrict it, or say it is whole ("as a whole" is read as "whole").
_RESTRICT = frozenset({"only", "alone", "share"})  # "(X share)": one area's part of a joint cost
_WHOLE = frozenset({"whole", "combined", "together", "jointly"})
_TAIL = _RESTRICT | _WHOLE
_JOINT = re.compile(r"\b(?:joint|pooled|combined|shared)\s+(?:budgets?|fund(?:s|ing)?|income|expenditure|"
                    r"contributions?|totals?)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|&|,|\(|\)")
MIN_BODY_WORDS = 2  # "The Partnership" alone names no body


@dataclass(frozen=True)
class Vocabulary:
    """What the indexed documents name: short form -> body key, and lower-case place words."""

    short_forms: Mapping[str, str]
    places: frozenset[str]


@dataclass(frozen=True)
class Scope:
    """A figure's scope (see the module docstring): the bodies and the areas of each scope phrase
    that names any (one set a phrase: "In X ... In Y" is two areas, "across X and Y" one);
    ``phrases`` are (start, end) offsets of its scope phrases in the text it was read from."""

    bodies: frozenset[frozenset[str]] = frozenset()
    areas: frozenset[frozenset[str]] = frozenset()
    restricted: bool = False
    kinds: frozenset[str] = frozenset()
    joint: bool = False
    phrases: tuple[tuple[int, int], ...] = field(default=())

    @property
    def stated(self) -> bool:
        """Whether the text says whose or where the figure is."""
        return bool(self.bodies or self.areas or self.joint)

    @property
    def together(self) -> bool:
        """Whether the figure is joint or a phrase names two bodies."""
        return self.joint or any(len(b) > 1 for b in self.bodies)

    @property
    def one_body(self) -> bool:
        """Whether the figure is one body's: restricted, or every phrase names one body."""
        return self.restricted or bool(self.bodies) and all(len(b) == 1 for b in self.bodies)


def body_key(name: str, places: frozenset[str]) -> str:
    """A body's name without place words, joining words or a plural: "X & Y Safeguarding
    Children Partnerships" -> "safeguarding children partnership"; "" when fewer than
    ``MIN_BODY_WORDS`` words are left."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name.lower()) if w not in places and w not in SMALL_WORDS]
    if words and words[-1] in ("boards", "partnerships"):
        words[-1] = words[-1][:-1]
    return " ".join(words) if len(words) >= MIN_BODY_WORDS else ""


def vocabulary(texts: Iterable[str], places: Iterable[str],
               names: Iterable[tuple[str, Sequence[str]]] = ()) -> Vocabulary:
    """The bodies' short forms the texts define ("Safeguarding Adults Board (SAB)"), each with
    its body key and a plural ("SABs"); ``places``: place words (any case); ``names``: (name,
    short forms) of the bodies whose documents these are (``ingest.model.Organisation``), for
    short forms read from a title page or running header rather than defined in the text."""
    place_set = frozenset(p.lower() for p in places)
    short: dict[str, str] = {}
    for name, forms in names:
        key = body_key(name, place_set)
        for form in forms if key else ():
            short.setdefault(form, key)
            short.setdefault(form + "s", key)
    for text in texts:
        for m in _DEFINITION.finditer(text):
            plural = m.group(2).endswith("s") and m.group(2)[:-1].isupper()  # "SABs" defines "SAB"
            acronym = m.group(2)[:-1] if plural else m.group(2)
            tail = initials_match(m.group(1).split(), acronym)
            if not tail or tail[-1].lower() not in _BODY_ENDS or acronym in short:
                continue
            key = body_key(" ".join(tail), place_set)
            if key:
                short[acronym] = key
                short[acronym + "s"] = key
    return Vocabulary(short, place_set)


def _kinds(figures: Sequence[tuple[str, float]]) -> frozenset[str]:
    return frozenset(kind for kind, _ in figures)


def scope_of(text: str, vocab: Vocabulary, figures: Sequence[tuple[str, float]] = ()) -> Scope:
    """The scope ``text`` states for its figures (``figures``: (kind, value) as
    ``qa.trend.amounts`` reads them; they give the scope's kinds)."""
    names = [m for m in _BODY_NAME.finditer(text)]
    named = [(m.start(), m.end(), key) for m in names if (key := body_key(m.group(0), vocab.places))]
    # A parenthesis right after a body's name gives its short form ("... Board (ICB)"), not a scope.
    abbreviating = {m.end() for m in names}
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    bodies: set[frozenset[str]] = set()
    areas: set[frozenset[str]] = set()
    phrases: list[tuple[int, int]] = []
    restricted = False
    joint = [(m.start(), m.end()) for m in _JOINT.finditer(text)]
    whole = False
    i = 0
    while i < len(tokens):
        start = _phrase_start(tokens, i)
        if start is None or (tokens[i][2] == "(" and len(text[:tokens[i][0]].rstrip()) in abbreviating):
            i += 1
            continue
        j, found_bodies, found_areas = _read_phrase(text, tokens, start, named, vocab)
        if not (found_bodies or found_areas):
            i += 1
            continue
        end = tokens[j - 1][1]
        tail = _tail(tokens, j)
        if tail is not None:
            restricted = restricted or tokens[tail][2].lower() in _RESTRICT
            whole = whole or tokens[tail][2].lower() in _WHOLE
            end = tokens[tail][1]
        if tokens[i][2].lower() == "excluding":  # what is left out is not what is counted
            restricted = True
        else:
            bodies |= {frozenset(found_bodies)} if found_bodies else set()
            areas |= {frozenset(found_areas)} if found_areas else set()
        # "excluding"/"including" is quoted with its phrase: "SAB" alone would say the opposite.
        phrases.append((tokens[i if tokens[i][2].lower() in _QUOTED_WORDS else start][0], end))
        i = j
    return Scope(frozenset(bodies), frozenset(areas), restricted, _kinds(figures), joint=bool(joint) or whole,
                 phrases=tuple(sorted(phrases + joint)))


def _read_phrase(text: str, tokens: list[tuple[int, int, str]], start: int, named: list[tuple[int, int, str]],
                 vocab: Vocabulary) -> tuple[int, set[str], set[str]]:
    """The run of body names, short forms, place words and joiners from token ``start``: the
    token after it (joiners at its end left out), and the bodies and areas it names. A word the
    documents never name as a place counts as one when it is listed before one they do ("X, Y
    and Z" with Y and Z known): a neighbouring city in a joint figure."""
    j, bodies, areas = start, set(), set()
    pending: list[int] = []
    while j < len(tokens):
        s, _, word = tokens[j]
        body = next((n for n in named if n[0] <= s < n[1]), None)
        if body is not None:  # a spelled-out name: its place words are the phrase's areas
            bodies.add(body[2])
            areas.update(w.lower() for w in re.findall(r"[A-Za-z]+", text[s:body[1]]) if w.lower() in vocab.places)
            while j < len(tokens) and tokens[j][0] < body[1]:
                j += 1
            continue
        if word in vocab.short_forms:
            bodies.add(vocab.short_forms[word])
        elif word[0].isupper() and word.lower() in vocab.places:
            areas.add(word.lower())
            areas.update(tokens[k][2].lower() for k in pending)
            pending.clear()
        elif word[0].isupper() and not word.isupper() and j + 1 < len(tokens) and tokens[j + 1][2].lower() in _JOINERS:
            pending.append(j)
        elif word.lower() not in _JOINERS or j == start:
            break
        j += 1
    if pending:  # listed before no known place: not a place after all
        j = pending[0]
    while j > start and tokens[j - 1][2].lower() in _JOINERS:
        j -= 1
    return j, bodies, areas


def _phrase_start(tokens: list[tuple[int, int, str]], i: int) -> int | None:
    """The token a scope phrase starts at when token ``i`` is a scope word ("for", "(") followed
    by an optional "the"; None otherwise."""
    word = tokens[i][2]
    if word != "(" and word.lower() not in _SCOPE_WORDS:
        return None
    j = i + 1
    if j < len(tokens) and tokens[j][2].lower() == "the":
        j += 1
    return j if j < len(tokens) else None


def _tail(tokens: list[tuple[int, int, str]], j: int) -> int | None:
    """The index of a restricting or whole-making word right after a phrase ending before token
    ``j`` ("only", "as a whole"), or None."""
    if j < len(tokens) and tokens[j][2].lower() in _TAIL:
        return j
    if j + 2 < len(tokens) and [t[2].lower() for t in tokens[j:j + 3]] == ["as", "a", "whole"]:
        return j + 2
    return None


def differ(a: Scope, b: Scope) -> bool:
    """Whether two figures' scopes differ (see the module docstring)."""
    if a.bodies and b.bodies and not a.bodies & b.bodies:
        return True
    if a.areas and b.areas and not a.areas & b.areas:
        return True
    if a.kinds and b.kinds and not a.kinds & b.kinds:
        return True
    if (a.restricted and not b.stated) or (b.restricted and not a.stated):
        return True
    return (a.together and b.one_body) or (b.together and a.one_body)


def alike(scopes: Sequence[Scope]) -> bool:
    """Whether every pair of the scopes compares like with like."""
    return not any(differ(a, b) for k, a in enumerate(scopes) for b in scopes[k + 1:])
