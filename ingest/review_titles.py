"""The title of a review that has no pseudonym: "the multi-agency Repeat Contacts Spotlight Audit".

A report names an audit or a thematic, learning or national review by a title in capitals just
before the noun ("Serious Youth Violence and Child Exploitation audit") or in quotes after it
(a national review's "Title In Quotes"). A title is kept only when it is in title case (two
capitalised words at least) and says what the review was about: one of its words is a word the
document also writes in lower case (repeat, contacts, neglect), so a place or a body's name alone
is no title, and neither is a kind alone ("Spotlight Audit", "Multi-Agency Audit").
"""

from __future__ import annotations

import re

# The kinds whose reviews are named by a title rather than a pseudonym, and the noun that ends it.
TITLED = {"multi-agency audit": "audit", "thematic review": "review", "learning review": "review",
          "national review": "review"}
# Words that name a review's kind or form, never its subject.
_FORM = frozenset("audit audits review reviews spotlight thematic themed multi-agency multi agency joint case file "
                  "dip sample learning national local rapid serious practice safeguarding child children "
                  "partnership partnerships board annual".split())
_JOIN = r"(?:and|of|on|in|for|with|to|under|a|an|the|&)"
_CAP = r"(?:[A-Z][\w'’-]*|\d+)"
_BEFORE = re.compile(rf"({_CAP}(?:\s+(?:{_CAP}|{_JOIN}))*?)\s+(audits?|reviews?)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[“\"‘']([A-Z][^”\"’'\n]{4,80})[”\"’']")


# The name a review without pseudonym or title gets: its kind, and the year of the report.
_KIND_NAME = re.compile(r"[A-Z][a-z -]+(?: \(\d{4}-\d{2}\))?")


def has_own_name(name: str) -> bool:
    """Whether a review's name is its own (a pseudonym or a title), not its kind and year."""
    return not _KIND_NAME.fullmatch(name)


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _trim(words: list[str]) -> list[str]:
    while words and not _is_cap(words[0]):
        words = words[1:]
    while words and not _is_cap(words[-1]):
        words = words[:-1]
    return words


def _about_something(words: list[str], lower: frozenset[str]) -> bool:
    """Title case (two capitalised words at least: one alone opens a sentence, "These reviews")
    and a word of subject, written in lower case elsewhere in the document."""
    content = [w.strip("'’") for w in words if w.lower() not in _FORM and _is_cap(w)]
    return sum(_is_cap(w) for w in words) >= 2 and any(w.lower() in lower for w in content)


def review_title(text: str, kind: str, lower: frozenset[str]) -> str:
    """The title ``text`` gives a review of ``kind`` ("Repeat Contacts Spotlight Audit"), or ""
    (``lower``: the words the document writes in lower case)."""
    noun = TITLED.get(kind)
    if noun is None:
        return ""
    if kind == "national review":
        for m in _QUOTED.finditer(text):
            words = m.group(1).split()
            if _about_something(words, lower):
                return " ".join(words)
    for m in _BEFORE.finditer(text):
        if not m.group(2).lower().startswith(noun):
            continue
        # The run's own case: a lower-case word other than a joiner breaks it (IGNORECASE above).
        words = _trim(m.group(1).split())
        run: list[str] = []
        for w in reversed(words):
            if _is_cap(w) or re.fullmatch(_JOIN, w):
                run.insert(0, w)
            else:
                break
        run = _trim(run)
        if run and run[0].lower() in {"the", "a", "an", "this", "our", "its"}:
            run = _trim(run[1:])
        if run and _about_something(run, lower):
            return f"{' '.join(run)} {noun.capitalize()}"
    return ""
