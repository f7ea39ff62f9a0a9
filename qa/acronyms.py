"""Acronyms the reports define, so a question in long form finds a table row in short form.

The reports define an acronym once ("Young People's Advisory Group (YPAG)") and then use only the
short form, notably in finance tables ("YPAG 1,798"). A question that spells the name out, or
uses only the acronym, gets the other form added to its query.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.keyword import tokenize

# Up to eight capitalised words (with small joining words), before the "(ACRONYM)" they define.
LONG_FORM = r"((?:[A-Z][\w'’&-]*\s+(?:(?:of|and|for|the|in|on|to|&)\s+)*){1,8})"
_DEFINITION = re.compile(LONG_FORM + r"\(([A-Z][A-Za-z&]{1,7})\)")
SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "on", "to", "&"})
_WORDS = re.compile(r"\w+")


def initials_match(words: list[str], acronym: str) -> list[str] | None:
    """The shortest tail of ``words`` whose capitalised initials spell the acronym's capitals."""
    letters = [c for c in acronym if c.isupper()]
    for k in range(1, len(words) + 1):
        tail = words[-k:]
        if [w[0].upper() for w in tail if w.lower() not in SMALL_WORDS] == letters:
            return tail
    return None


def find_acronyms(texts: Iterable[str], max_share: float = 0.05) -> dict[str, str]:
    """Acronym -> long form, for every definition whose initials match ("LADO" needs four words),
    leaving out acronyms used in more than ``max_share`` of the texts: a common one ("SCP") would
    only dilute the query."""
    texts = list(texts)
    table: dict[str, str] = {}
    for text in texts:
        for m in _DEFINITION.finditer(text):
            words = m.group(1).split()
            tail = initials_match(words, m.group(2))
            if tail and m.group(2) not in table:
                table[m.group(2)] = " ".join(tail)
    limit = max(1, int(max_share * len(texts)))
    # An all-letter acronym is found as a whole word (\bLADO\b) exactly when it is one of the
    # text's runs of word characters: one pass over the texts, not one per acronym (with a few
    # hundred reports that was most of the server's start).
    plain = {short for short in table if short.isalpha()}
    uses: Counter = Counter()
    for t in texts:
        uses.update(plain.intersection(_WORDS.findall(t)))
    for short in set(table) - plain:  # "A&E": & is no word character
        uses[short] = sum(1 for t in texts if re.search(rf"\b{re.escape(short)}\b", t))
    return {short: long for short, long in table.items() if uses[short] <= limit}


def _contains(seq: list[str], sub: list[str]) -> bool:
    return bool(sub) and any(seq[i:i + len(sub)] == sub for i in range(len(seq) - len(sub) + 1))


def with_acronyms(question: str, table: dict[str, str]) -> str:
    """The question with the acronym of every long form it contains appended (the acronym is
    what a table row uses; the long form of an acronym rarely helps, measured on the benchmark).

    Long forms are compared as stem sequences, so "Young People's" matches "Young Peoples".
    """
    def stems(text: str) -> list[str]:
        return tokenize(re.sub(r"['’]s\b", "", text))

    q_stems = stems(question)
    extra = []
    for short, long in table.items():
        has_short = re.search(rf"\b{re.escape(short)}\b", question) is not None
        has_long = _contains(q_stems, stems(long))
        if has_long and not has_short:
            extra.append(short)
    return f"{question} {' '.join(extra)}" if extra else question


# One name a question uses in both forms: the stems of its acronyms ("scr", "scrs") and of its long form.
AliasGroup = tuple[frozenset[str], frozenset[str]]


def alias_groups(question: str, table: dict[str, str]) -> list[AliasGroup]:
    """For each acronym the question holds (as asked or appended by ``with_acronyms``), its
    stems and its long form's stems; acronyms with one long form ("SCR", "SCRs") share a group."""
    groups: dict[tuple[str, ...], set[str]] = {}
    for short, long in table.items():
        if re.search(rf"\b{re.escape(short)}\b", question):
            groups.setdefault(tuple(tokenize(long)), set()).update(tokenize(short))
    return [(frozenset(shorts), frozenset(long)) for long, shorts in groups.items() if shorts and long]


def with_aliases(words: set[str], groups: list[AliasGroup]) -> set[str]:
    """``words`` (stems) with both forms of every name they hold in either form: a quote saying
    "serious case reviews" names the SCRs a question asks about, and one saying "SCR" names the
    serious case reviews; so a later quote does not seem to add to the question's cover by
    naming again, in its other form, what the first quote already named."""
    out = set(words)
    for shorts, long in groups:
        if words & shorts or long <= words:
            out |= shorts | long
    return out
