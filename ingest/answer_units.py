"""Candidate answer sentences of a chunk, with document offsets (embedded at index time)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import Chunk
from ingest.sentences import sentence_spans


@dataclass(frozen=True)
class Sentence:
    """A sentence of a chunk; ``start``/``end`` are document offsets."""

    row: int
    start: int
    end: int
    text: str
    position: int


def _title_like(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.5 * len(words)


def chunk_sentences(row: int, chunk: Chunk, min_words: int = 4) -> list[Sentence]:
    """Sentences of a chunk's lines; heading-like lines (few words, no full stop) are left out."""
    out: list[Sentence] = []
    offset = 0
    for line in chunk.text.split("\n"):
        for s, e in sentence_spans(line, chunk.char_start + offset):
            text = chunk.text[s - chunk.char_start:e - chunk.char_start]
            words = len(text.split())
            has_digit = any(ch.isdigit() for ch in text)
            whole_line = (s, e) == (chunk.char_start + offset, chunk.char_start + offset + len(line))
            if whole_line and words <= 12 and not text.rstrip().endswith((".", "!", "?", ":", '"', "”")) \
                    and (not has_digit or _title_like(text)):
                continue  # a heading line, not a claim
            if words >= min_words or (words >= 2 and has_digit):
                out.append(Sentence(row, s, e, text, len(out)))
        offset += len(line) + 1
    return out


def sentence_spans_of(chunk: Chunk) -> list[tuple[int, int]]:
    """Document spans of a chunk's candidate sentences (what the index embeds)."""
    return [(s.start, s.end) for s in chunk_sentences(0, chunk)]
