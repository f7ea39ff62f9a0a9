"""The question as the reports would write it: a reporting year in one form, a mistyped word
corrected against the words the indexed reports use.

- "2022 to 2023" (not after "from" or "between", which open a range of years) is the reporting
  year 2022-23, as "2022/23" and "2022-23" are.
- A word of five letters or more that no indexed passage uses in any form (its stem is unknown
  too), one edit (a letter deleted, inserted, replaced, or two neighbours swapped) away from
  words the passages do use, becomes the commonest of those words ("prioirties" ->
  "priorities"), keeping its first letter. Another form of a word the reports use ("compare" beside "compared"), names
  the reports do not use, and short words are left alone.
"""

from __future__ import annotations

import re
from collections import Counter

from index.keyword import tokenize
from qa.cache import cached_per_chunks

_YEAR_WORDS = re.compile(r"(?<!from )(?<!between )\b((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LENGTH = 5
MIN_COUNT = 2  # a correction must be a word the reports use at least this often


def year_words(question: str) -> str:
    """ "in 2022 to 2023" -> "in 2022-23" (consecutive years only)."""
    def repl(m: re.Match) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        return f"{a}-{b % 100:02d}" if b == a + 1 else m.group(0)
    return _YEAR_WORDS.sub(repl, question)


def swaps(word: str) -> set[str]:
    """``word`` with two neighbouring letters swapped, the commonest slip in typing ("Fsetival")."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}


def edits1(word: str) -> set[str]:
    """Every string one edit from ``word`` (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | swaps(word) | replaces | inserts


def _stem(word: str) -> str:
    stems = tokenize(word)
    return stems[0] if stems else word


def correct_word(word: str, vocabulary: Counter, stems: frozenset[str] = frozenset()) -> str:
    """``word`` itself unless it is unknown in every form (``stems``: the stems of the
    vocabulary), long enough, and one edit from known words."""
    low = word.lower()
    if len(low) < MIN_LENGTH or vocabulary.get(low) or not low.isalpha() or _stem(low) in stems:
        return word
    # A typist seldom gets the first letter wrong: "table" is not a mistyped "able".
    known = [(vocabulary[c], c) for c in edits1(low) if c[:1] == low[:1] and vocabulary.get(c, 0) >= MIN_COUNT]
    if not known:
        return word
    best = max(known)[1]
    return best.capitalize() if word[:1].isupper() else best


def correct(question: str, vocabulary: Counter) -> str:
    """The question with its year written one way and each unknown word corrected."""
    text = year_words(question)
    stems = stems_of(vocabulary)
    return _WORD.sub(lambda m: correct_word(m.group(0), vocabulary, stems), text)


_STEMS: dict[int, tuple[Counter, frozenset[str]]] = {}


def stems_of(vocabulary: Counter) -> frozenset[str]:
    """The stems of a vocabulary's words (kept for the last vocabulary seen)."""
    hit = _STEMS.get(id(vocabulary))
    if hit is None or hit[0] is not vocabulary:
        _STEMS.clear()
        hit = (vocabulary, frozenset(tokenize(" ".join(vocabulary))))
        _STEMS[id(vocabulary)] = hit
    return hit[1]


@cached_per_chunks("_vocab_cache")
def vocabulary_of(store) -> Counter:
    """How often each lower-case word occurs in the indexed passages."""
    counts: Counter = Counter()
    for c in store.chunks:
        counts.update(w.lower() for w in _WORD.findall(c.text))
    return counts
