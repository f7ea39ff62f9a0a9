"""Sentence spans inside a paragraph, by rule (no model): enough for report prose."""

from __future__ import annotations

import re

_ABBREV = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "st", "vs", "cf", "approx", "inc", "ltd", "co"}
# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and a capital,
# digit, opening quote or bullet.
_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z0-9“\"‘'(•])")
# Softer boundaries inside text that lost its layout: an inline bullet (" - Next item") and a
# table row that ends in a figure ("Staffing 105,579 Training 48,100").
_SOFT = re.compile(r"(?<=[a-z)])\s+-\s+(?=[A-Z0-9])|(?<=\d[,.]\d{3})\s+(?=[A-Z][a-z])|(?<=\d%)\s+(?=[A-Z][a-z])")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, shifted by ``offset``; whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    cuts = sorted([(m, "end") for m in _END.finditer(text)] + [(m, "soft") for m in _SOFT.finditer(text)],
                  key=lambda x: x[0].start())
    for m, kind in cuts:
        if m.start() < start:
            continue
        if kind == "soft":
            spans.append((start, m.start()))
            start = m.end() - (1 if text[m.end() - 1:m.end()] == "-" else 0)
            continue
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
