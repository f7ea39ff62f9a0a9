"""Sentence spans inside a paragraph, by rule (no model): enough for report prose."""

from __future__ import annotations

import re

_ABBREV = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "st", "vs", "cf", "approx", "inc", "ltd", "co"}
# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and a capital,
# digit, opening quote or bullet.
_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z0-9“\"‘'(•])")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, shifted by ``offset``; whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        word = re.search(r"([A-Za-z.]+)[.!?]$", text[start:m.start() + 1])
        if word and word.group(1).lower().rstrip(".") in _ABBREV:
            continue
        end = m.start() + 1
        while end < len(text) and text[end] in "\"”’')]":
            end += 1
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s + offset, e + offset))
    return out
