"""Cutting a list's items apart when the PDF's text lost their layout: items inline after a
full stop ("... relating this. - Improved confidence ..."), and items run together once their
bullets were lost ("... the risk of harm Non-engagement from the parents ..."), and where a line
of inline items ends and the next paragraph runs on. Spans are document offsets, so each item
still quotes exactly."""

from __future__ import annotations

import re

from ingest.sentences import sentence_spans

# Inline list items after a sentence's end.
_INLINE_ITEM = re.compile(r"(?<=[.!?])\s+[-•–]\s+(?=[A-Z])")
# "... harm Non-engagement from ...": the word before (group 1) and the capitalised word (group 2).
_RUN_ON = re.compile(r"\b([a-z]+) ([A-Z][a-z]+(?:-[a-z]+)?)(?= [a-z])")
_SMALL_WORDS = frozenset("a an the of or and to with by for in on at from as into than that this these those its their our "
                         "including particularly between across both such via per how what which who whom whose where "
                         "when why whether if".split())


def lower_case_words(text: str) -> set[str]:
    """The words a document writes in lower case somewhere (a capitalised one of them starts an item)."""
    return set(re.findall(r"(?<![\w-])[a-z][a-z-]+(?![\w-])", text))


def inline_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence span cut where an inline list item starts after a full stop."""
    cuts = [m.start() for m in _INLINE_ITEM.finditer(text, start, end)]
    bounds = [start] + cuts + [end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip(" -•–\n")]


def run_on_items(text: str, start: int, end: int, lower_words: set[str]) -> list[tuple[int, int]]:
    """A span cut where the next item runs on after it: a capitalised word after a lower-case one
    (not after a small word such as "the" or "how"), followed by a lower-case word, that the
    document also writes in lower case (so not a name: "told Health about")."""
    cuts = [m.start(2) for m in _RUN_ON.finditer(text, start, end)
            if m.group(2).lower() in lower_words and m.group(1) not in _SMALL_WORDS]
    bounds = [start] + cuts + [end]
    return list(zip(bounds, bounds[1:]))


# A paragraph run on after an inline list's last item lost its full stop ("... in most cases The
# consultation sought ..."): a capitalised determiner after a word.
_LOST_STOP = re.compile(r"(?<=[a-z]) (?=(?:The|This|These|Those) [A-Za-z])")


def inline_list_end(text: str, start: int, end: int) -> int:
    """Where a line of inline items ("- One - Two - Three") ends: after its last item's first
    sentence, or where a paragraph runs on after the item; the rest is the next section's prose."""
    spans = sentence_spans(text[start:end], start)
    bullets = [m.end() for m in re.finditer(r"(?:^|\s)[-•–]\s", text[start:end])]
    if not spans or not bullets:
        return end
    last = start + bullets[-1]
    item_end = next((e for s, e in spans if e > last), end)
    stop = _LOST_STOP.search(text, last, item_end)
    return stop.start() if stop else item_end
