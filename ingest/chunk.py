"""Blocks -> chunks that follow paragraphs and sentences and fit the embedder's window.

A chunk is contiguous document text, ``text == doc_text[char_start:char_end]``. It closes at a
paragraph end once it holds ``target_words``, before a heading once it holds ``min_words``, and
always before it would pass ``max_tokens`` word-pieces (all-MiniLM-L6-v2 reads only 256, so a
longer chunk's tail would be invisible to dense search). Sentences are never split, except a
single "sentence" longer than ``max_tokens`` (a table or list without full stops), which is cut
at word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.clean import is_table_line
from ingest.model import Block, Chunk, Page, chunk_id_for
from ingest.sentences import sentence_spans

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class ChunkSettings:
    """Chunking parameters; recorded in the index manifest."""

    target_words: int = 130
    min_words: int = 60
    max_tokens: int = 220

    def __post_init__(self) -> None:
        if not 0 < self.min_words <= self.target_words:
            raise ValueError("min_words must be > 0 and <= target_words")
        if self.max_tokens < 16:
            raise ValueError("max_tokens must be at least 16")


@dataclass
class _Unit:
    start: int
    end: int
    page: int
    heading: bool
    para_end: bool
    words: int = 0
    tokens: int = 0


def word_count(text: str) -> int:
    return len(text.split())


def _split_long(text: str, start: int, end: int, max_tokens: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Cut an over-long span at word boundaries into pieces of at most ``max_tokens``."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    pieces, i = [], 0
    while i < len(words):
        lo, hi = i + 1, len(words)
        while lo < hi:  # the longest run of words from i that fits
            mid = (lo + hi + 1) // 2
            if count([text[words[i][0]:words[mid - 1][1]]])[0] <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((words[i][0], words[lo - 1][1]))
        i = lo
    return pieces


def _units(text: str, blocks: Sequence[Block], settings: ChunkSettings, count: TokenCounter) -> list[_Unit]:
    units: list[_Unit] = []
    for i, b in enumerate(blocks):
        if b.heading:
            # A table's header or row set apart like a heading neither names a section nor
            # cuts the table into chunks; nor does a column header ("Sector Allegations 2023-24
            # Share of total") over a table's first row.
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            table = is_table_line(text[b.char_start:b.char_end]) or (
                nxt is not None and nxt.page == b.page and is_table_line(text[nxt.char_start:nxt.char_end]))
            units.append(_Unit(b.char_start, b.char_end, b.page, not table, True))
            continue
        spans = sentence_spans(text[b.char_start:b.char_end], b.char_start)
        for k, (s, e) in enumerate(spans):
            units.append(_Unit(s, e, b.page, False, k == len(spans) - 1))
    tokens = count([text[u.start:u.end] for u in units]) if units else []
    out: list[_Unit] = []
    for u, t in zip(units, tokens):
        if t > settings.max_tokens:
            pieces = _split_long(text, u.start, u.end, settings.max_tokens, count)
            for k, (s, e) in enumerate(pieces):
                piece = _Unit(s, e, u.page, u.heading, u.para_end and k == len(pieces) - 1)
                piece.tokens = count([text[s:e]])[0]
                piece.words = word_count(text[s:e])
                out.append(piece)
        else:
            u.tokens, u.words = t, word_count(text[u.start:u.end])
            out.append(u)
    return out


def chunk_document(
    doc_id: str,
    text: str,
    blocks: Sequence[Block],
    pages: Sequence[Page],
    count_tokens: TokenCounter,
    settings: ChunkSettings = ChunkSettings(),
    title: str = "",
    period: str = "",
) -> list[Chunk]:
    """Group a document's sentences into chunks; see the module docstring for the rules."""
    units = _units(text, blocks, settings, count_tokens)
    chunks: list[Chunk] = []
    group: list[_Unit] = []
    section = ""
    group_section = ""

    def close() -> None:
        nonlocal group
        if group and not all(u.heading for u in group):
            s, e = group[0].start, group[-1].end
            body = text[s:e]
            chunks.append(
                Chunk(chunk_id_for(doc_id, s, e, body), doc_id, group[0].page, group[-1].page,
                      s, e, group_section, body, period, title)
            )
            group = []

    def size(attr: str) -> int:
        return sum(getattr(u, attr) for u in group)

    for u in units:
        words = size("words")
        if u.heading and words >= settings.min_words:
            close()
        elif group and size("tokens") + u.tokens + 1 > settings.max_tokens:
            # Do not leave a heading dangling at the end of a chunk.
            n_tail = 0
            while n_tail < len(group) and group[-1 - n_tail].heading:
                n_tail += 1
            tail = group[len(group) - n_tail:]
            if tail and len(tail) < len(group):
                group = group[: -len(tail)]
                close()
                group = tail
            else:
                close()
        if u.heading:
            section = text[u.start:u.end]
        if not group or all(x.heading for x in group):
            group_section = section
        group.append(u)
        if not u.heading and u.para_end and size("words") >= settings.target_words:
            close()
    close()
    return chunks
