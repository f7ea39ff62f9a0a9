"""Candidate answer sentences of a chunk, with document offsets (embedded at index time)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Chunk
from ingest.sentences import sentence_spans


# The rules below decide what the index embeds as answer sentences. Bump this when they change:
# an index built under another version has its sentences redone on the next ingest.
UNITS_VERSION = 3


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


# Words that open a sentence of prose; a run of capitalised words before one is a heading that
# lost its line break: "Response to COVID-19 At the end of March 2020 the partnership ...".
_OPENERS = frozenset("""
The This These Those At In During Overall We Our Following Since As It Its There Each All Over When Within
From A An Between After Before By For Throughout Despite Although While Whilst Some Many Most
""".split())
_WORD = re.compile(r"\S+")
_SMALL = frozenset("and of to with the for in on at by a an or & from into".split())
# A figure that is not a year or a period ("6.4", "1,286"; not "2019-20").
_FIGURE = re.compile(r"(?<![\d-])(?!(?:19|20)\d\d(?:[-/]\d\d)?\b)\d[\d,.]*")
# A line ending in an amount is a table row: "Total Expenditure (SCP and LSCB) 218,052", "£7,605".
_ROW_END = re.compile(r"(£\s?\d[\d,.]*|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?%|(?<![\d-])\d{3}(?!\d))\s*$")
# A heading naming a person after its role: "Report of the Independent Advisor, Kay Whyte-Bell".
_NAMES_SOMEONE = re.compile(r",\s+[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
_BULLET = re.compile(r"^\s*[•▪●○◦*]\s")
_ITEM_MARK = re.compile(r"(^|\s)-?\s*\d\)")


def heading_end(text: str, max_words: int = 14) -> int:
    """Where the prose starts in a sentence that opens with a glued heading ("Child Safeguarding
    Practice reviews and Serious Case Reviews The partnership assesses ..."), or 0."""
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words[2:max_words + 1], start=2):
        if m.group(0) not in _OPENERS:
            continue
        prefix = text[:m.start()].rstrip()
        if prefix.endswith((".", ":", ";", ",")) or not _title_like(prefix):
            return 0
        alpha = [w for w in prefix.split() if w[:1].isalpha()]
        caps = sum(w[0].isupper() for w in alpha)
        # A heading's lower-case words are joining words, with one slip at most ("reviews").
        other = [w for w in alpha if w[0].islower() and w not in _SMALL]
        heading = len(alpha) >= 2 and caps >= 0.6 * len(alpha) and len(other) <= 1 and alpha[0] not in _OPENERS
        return m.start() if heading else 0
    return 0


_BARE_NUMBER = re.compile(r"^\s*£?\d[\d,.]*%?(\s+£?\d[\d,.]*%?)*\s*$")
# An infographic flattened by extraction: short label lines among bare numbers ("1371\nEARLY HELP\n
# ASSESSMENTS\n...\nEDUCATION\n1071\nHEALTH\n1171"). Its words are quoted in runs this long.
FIGURE_BLOCK_WORDS = 30


def _figure_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [i, j) of flattened infographics: runs of short lines without a full stop,
    at least six with text, three of them bare numbers (a table's rows end in their amounts,
    and are left to be sentences of their own)."""
    blocks, i = [], 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j].split()) <= 10 and not lines[j].rstrip().endswith((".", "!", "?")):
            j += 1
        filled = [ln for ln in lines[i:j] if ln.strip()]
        if len(filled) >= 6 and sum(bool(_BARE_NUMBER.match(ln)) for ln in filled) >= 3:
            blocks.append((i, j))
        i = max(j, i + 1)
    return blocks


def _block_runs(lines: list[str], offsets: list[int], i: int, j: int) -> list[tuple[int, int]]:
    """A flattened infographic as runs of whole lines of up to FIGURE_BLOCK_WORDS words, a new
    run starting at a label that introduces figures ("... from: EDUCATION"), each run holding a
    number and a word."""
    runs: list[tuple[int, int]] = []
    run: list[int] = []  # the run's line numbers

    def close() -> None:
        if run:
            words = " ".join(lines[k] for k in run)
            if any(c.isdigit() for c in words) and any(c.isalpha() for c in words):
                first, last = lines[run[0]], lines[run[-1]]
                runs.append((offsets[run[0]] + len(first) - len(first.lstrip()), offsets[run[-1]] + len(last.rstrip())))
            run.clear()

    for k in range(i, j):
        if not lines[k].strip():
            continue
        if run and (sum(len(lines[x].split()) for x in run) + len(lines[k].split()) > FIGURE_BLOCK_WORDS
                    or ":" in lines[k]):
            close()
        run.append(k)
    close()
    return runs


def chunk_sentences(row: int, chunk: Chunk, min_words: int = 4, follows_intro: bool = False) -> list[Sentence]:
    """Sentences of a chunk's lines; heading-like lines (few words, no full stop) are left out,
    bulleted list items kept however short, a flattened infographic quoted in runs of lines.
    With ``follows_intro`` (the chunk before ends "... will be:") two or more short lines
    opening the chunk are that list's items, not headings."""
    out: list[Sentence] = []
    leading: list[Sentence] = []
    lines = chunk.text.split("\n")
    offsets = [chunk.char_start]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    in_block: dict[int, tuple[int, int]] = {}
    for i, j in _figure_blocks(lines):
        for k in range(i, j):
            in_block[k] = (i, j)
    for k, line in enumerate(lines):
        if k in in_block:
            i, j = in_block[k]
            if k == i:
                for s, e in _block_runs(lines, offsets, i, j):
                    out.append(Sentence(row, s, e, chunk.text[s - chunk.char_start:e - chunk.char_start], len(out)))
            continue
        spans = []
        for s, e in sentence_spans(line, offsets[k]):
            cut = heading_end(chunk.text[s - chunk.char_start:e - chunk.char_start])
            head = chunk.text[s - chunk.char_start:s - chunk.char_start + cut]
            # A table's figures before the prose stay with it: the prose reads them out.
            if cut and len(_FIGURE.findall(_ITEM_MARK.sub(" ", head))) < 2:
                if _NAMES_SOMEONE.search(head):
                    # "Report of the Independent Advisor, Kay Whyte-Bell": who wrote the section
                    spans.append((s, s + len(head.rstrip())))
                s += cut
            spans.append((s, e))
        for s, e in spans:
            text = chunk.text[s - chunk.char_start:e - chunk.char_start]
            words = len(text.split())
            has_digit = any(ch.isdigit() for ch in text)
            whole_line = (s, e) == (offsets[k], offsets[k] + len(line))
            if _BULLET.match(text) and words >= 2:
                out.append(Sentence(row, s, e, text, len(out)))  # a list item: "• Co sleeping"
                continue
            if whole_line and words <= 12 and not text.rstrip().endswith((".", "!", "?", ":", '"', "”")) \
                    and (not has_digit or _title_like(text)) and not _ROW_END.search(text):
                if follows_intro and not out and words <= 8:
                    leading.append(Sentence(row, s, e, text, len(leading)))  # "Neglect", an item
                continue  # a heading line, not a claim; "Total Expenditure 218,052" is a table row
            if words >= min_words or (words >= 2 and has_digit):
                out.append(Sentence(row, s, e, text, len(out)))
    if len(leading) >= 2:  # one short line is the next section's heading, not a list
        out = leading + [Sentence(x.row, x.start, x.end, x.text, len(leading) + i) for i, x in enumerate(out)]
    return out


def sentence_spans_of(chunk: Chunk, follows_intro: bool = False) -> list[tuple[int, int]]:
    """Document spans of a chunk's candidate sentences (what the index embeds)."""
    return [(s.start, s.end) for s in chunk_sentences(0, chunk, follows_intro=follows_intro)]


def follows_intro(previous: Chunk | None, chunk: Chunk) -> bool:
    """Whether ``chunk`` opens with the items of a list its document's previous chunk introduces."""
    return previous is not None and previous.doc_id == chunk.doc_id and previous.text.rstrip().endswith(":")
