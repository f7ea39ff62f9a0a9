"""Raw page text -> clean paragraphs and headings.

Steps, in order: Unicode NFKC (ligatures such as "ﬁ"), control characters, running headers and
footers (lines that repeat at the top or bottom of most pages, and "Page N of M"), then hard
wrapped lines are joined into paragraphs, re-joining words hyphenated across a line break.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ingest.model import Block, Page
from ingest.tables import is_figure_word

# Skia writes some bullet glyphs as U+0000; they are bullets, not noise.
_CONTROL = {0: "•", 0xAD: None}
_C0 = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAGE_OF = re.compile(r"^(page\s+)?\d{1,4}\s*(of|/)\s*\d{1,4}$|^page\s+\d{1,4}$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
# Inline formatting tags that leaked into extracted text ("<b>55</b>"); never <script>, which must
# stay visible as text.
_FORMAT_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|font|sup|sub|br)\b[^<>]{0,80}>", re.IGNORECASE)
_BULLET = re.compile(r"^([•●▪◦‣∙·*]|-\s|–\s|\d{1,2}[.)]\s|[a-z][.)]\s|\(?[ivx]{1,4}[.)]\s)")
_TERMINAL = tuple('.!?:;"”’)')
_WORD = re.compile(r"[A-Za-z]+")
_COMPOUND = re.compile(r"[A-Za-z]+-[A-Za-z]+")
# First parts that nearly always keep their hyphen ("multi-agency", "self-harm").
_PREFIXES = {"multi", "self", "co", "non", "cross", "inter", "pre", "post", "anti", "well", "sub", "semi",
             "ex", "e", "under", "over", "long", "short", "high", "low", "full", "part", "year", "face", "one",
             "two", "three", "four", "five", "seven", "peer", "extra", "pan", "re", "mid", "on", "off"}


@dataclass(frozen=True)
class TextBlock:
    """A paragraph or heading of one page, before offsets are assigned."""

    text: str
    heading: bool = False


# Markdown emphasis that leaked into the PDFs as literal asterisks ("***What we did:**").
_STARS = re.compile(r"\*{2,}|(?<![\w*])\*(?=\w)|(?<=[\w.)”\"])\*(?![\w*])")


# Between two pages of a document text (``assemble``); offsets depend on it.
PAGE_SEPARATOR = "\n\n"

def normalise_unicode(text: str) -> str:
    """NFKC, the control-character fixes PDF extraction needs, and stray emphasis asterisks."""
    text = unicodedata.normalize("NFKC", text.translate(_CONTROL))
    text = _STARS.sub("", _FORMAT_TAG.sub("", _C0.sub(" ", text)))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def strip_headers_footers(pages: list[list[str]], edge: int = 3) -> list[list[str]]:
    """Drop lines that repeat at the top or bottom of most pages, and page numbers.

    A line counts as running when, within ``edge`` lines of the top or bottom, the same text
    appears on at least 60% of pages (and on at least two), or the same text up to a number that
    is the page's own number ("Annual Report | 7"). A bare number is a page number only when it
    follows the page sequence (printed number minus page index is the usual offset); otherwise it
    is content, such as an infographic's "3302".
    """
    n = len(pages)
    exact: Counter[str] = Counter()
    numbered: Counter[str] = Counter()
    offsets: Counter[int] = Counter()
    for number, lines in enumerate(pages, start=1):
        body = [ln for ln in lines if ln.strip()]
        edges = body[:edge] + body[-edge:]
        exact.update({" ".join(ln.lower().split()) for ln in edges})
        numbered.update({_line_key(ln) for ln in edges if str(number) in re.findall(r"\d+", ln)})
        offsets.update({int(ln.strip()) - number for ln in edges if _BARE_NUMBER.match(ln.strip())})
    threshold = max(2, math.ceil(0.6 * n))
    page_offsets = {off for off, count in offsets.items() if count >= max(2, math.ceil(0.3 * n))}
    out = []
    for number, lines in enumerate(pages, start=1):
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(idx[:edge] + idx[-edge:])

        def running(ln: str) -> bool:
            bare = ln.strip()
            if _PAGE_OF.match(bare) or exact[" ".join(ln.lower().split())] >= threshold:
                return True
            if _BARE_NUMBER.match(bare):
                return int(bare) - number in page_offsets
            return numbered[_line_key(ln)] >= threshold and str(number) in re.findall(r"\d+", ln)

        out.append([ln for i, ln in enumerate(lines) if not (i in edges and running(ln))])
    return out


def _vocabulary(pages: list[list[str]]) -> tuple[set[str], set[str]]:
    """Words and hyphenated compounds seen anywhere in the document (lower case), and the words
    it writes in lower case somewhere (its common words, not its names)."""
    vocab: set[str] = set()
    lower: set[str] = set()
    for lines in pages:
        for ln in lines:
            words = _WORD.findall(ln)
            vocab.update(w.lower() for w in words)
            lower.update(w for w in words if w.islower())
            vocab.update(w.lower() for w in _COMPOUND.findall(ln))
    return vocab, lower


def _join(prev: str, line: str, vocab: set[str]) -> str:
    """Join a wrapped line to its paragraph, mending a hyphenated line break."""
    m = re.search(r"([A-Za-z]+)-$", prev)
    if m and (line[:1].isupper() or re.search(r"[A-Za-z]-[A-Za-z]+-$", prev)):
        # "Non-\nMobile", "face-to-\nface": a typesetter breaks a word only before a
        # lower-case part, and never after a compound's second hyphen.
        return prev + line
    if m and line[:1].islower():
        nxt = _WORD.match(line)
        first, second = m.group(1).lower(), (nxt.group(0) if nxt else "").lower()
        if f"{first}-{second}" in vocab or (first in _PREFIXES and first + second not in vocab):
            return prev + line  # "multi-\nagency": a real hyphen at the line end
        return prev[:-1] + line  # "deve-\nlopment": a word broken by the line end
    if re.search(r"\d-$", prev) and line[:1].isdigit():
        return prev + line  # "2024-\n25": a year range broken by the line end
    return prev + " " + line


# A numbered section heading: "5.3 Children less visible to services", "2.1.4 Funding".
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,2}\.?\s+[A-Z]")


def is_name_line(line: str, lower: set[str]) -> bool:
    """Whether a heading-like line is a "name, role" line of a signature or a table of members
    ("Jane Doe, Chief Nursing Officer", "Head of Safeguarding Children, NHS Oakby"): it
    holds a comma and a capitalised word that the document never writes in lower case (a
    person's or place's name; an acronym is not one). "Training, Learning and Development" is
    a heading: each of its words is also written in lower case."""
    return ", " in line and any(w[0].isupper() and not w.isupper() and w.lower() not in lower
                                for w in _WORD.findall(line))


def _is_heading(line: str, prev: str | None, nxt: str | None, width: int, lower: set[str] | None = None) -> bool:
    words = line.split()
    if line.endswith((".", ",", ";", ":", "-", "–")) or _BULLET.match(line):
        return False
    if lower is not None and is_name_line(line, lower):
        return False
    if _NUMBERED_HEADING.match(line) and len(words) <= 12 and nxt is not None:
        return True  # its number makes it one, in sentence case or after a signature line
    if not (1 <= len(words) <= 9) or len(line) > 0.7 * width or len(line) > 80:
        return False
    if not (line[0].isupper() or line[0].isdigit()) or line.startswith(("“", '"', "(")):
        return False
    if prev is not None and not prev.endswith(_TERMINAL) and len(prev) > 0.7 * width:
        return False  # the previous line wraps into this one
    if nxt is None:
        return False
    # Mostly capitalised words, as headings are ("Seeking Assurance", "Performance data").
    caps = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
    return caps >= max(1, len(words) // 2) and (nxt[:1].isupper() or nxt[:1] in "•“\"")


def is_table_line(line: str) -> bool:
    """Whether a heading-like line is a table's header or row rather than a section heading:
    two or more figures or years make half its words ("Measure 2022-23 2023-24", "Total 242
    100%"), it ends in two figures (a row's columns), it is a bare figure ("1371", an
    infographic's), or it ends in a sum or share ("Training income 1,200"). A numbered
    heading is a heading. Figures are the table reader's values (``ingest.tables``)."""
    words = line.split()
    if not words or _NUMBERED_HEADING.match(line):
        return False
    flags = [is_figure_word(w) for w in words]
    if len(words) >= 2 and all(flags[-2:]):
        return True  # a row's columns: "Children looked after 451 469"
    if all(flags) or (sum(flags) >= 2 and 2 * sum(flags) >= len(words)):
        return True
    return bool(re.match(r"^(?:£\d|\d{1,3}(?:,\d{3})+$|\d+(?:\.\d+)?%$)", words[-1]))


# A heading printed on the same line as its first sentence: "Training The SCPs training ...".
_INLINE_HEADING = re.compile(
    r"^((?:[A-Z][\w&'’-]*\s){1,5})(?=(?:The|In|We|This|During|Our|As|Following|All|There|Over|From|An|It)\s\S)"
)


def reflow_page(lines: list[str], vocab: set[str], markdown: bool, lower: set[str] | None = None) -> list[TextBlock]:
    """Join one page's wrapped lines into paragraphs, keeping headings and bullets apart."""
    stripped = [ln.strip() for ln in lines]
    nonblank = [s for s in stripped if s]
    width = max((len(s) for s in nonblank), default=80)
    blocks: list[TextBlock] = []
    cur = ""

    def flush() -> None:
        nonlocal cur
        if cur.strip():
            blocks.append(TextBlock(cur.strip()))
        cur = ""

    prev: str | None = None
    for i, s in enumerate(stripped):
        if not s:
            flush()
            prev = None
            continue
        nxt = next((t for t in stripped[i + 1:] if t), None)
        inline = _INLINE_HEADING.match(s) if not markdown and (prev is None or prev.endswith(_TERMINAL)) else None
        if inline and not _BULLET.match(s):
            flush()
            blocks.append(TextBlock(inline.group(1).strip(), heading=True))
            cur = s[inline.end():]
            prev = s
            continue
        if markdown and s.startswith("#"):
            flush()
            blocks.append(TextBlock(s.lstrip("#").strip(), heading=True))
        elif not markdown and _is_heading(s, prev, nxt, width, lower):
            flush()
            blocks.append(TextBlock(s, heading=True))
        elif _BULLET.match(s):
            flush()
            cur = s
        elif cur and prev is not None and prev.endswith(_TERMINAL) and len(prev) < 0.75 * width:
            flush()
            cur = s
        else:
            cur = _join(cur, s, vocab) if cur else s
        prev = s
    flush()
    return blocks


def clean_pages(raw_pages: list[str], markdown: bool = False) -> list[list[TextBlock]]:
    """Clean every page of a document; returns each page's blocks in reading order."""
    pages = [normalise_unicode(p).split("\n") for p in raw_pages]
    pages = strip_headers_footers(pages)
    vocab, lower = _vocabulary(pages)
    return [reflow_page(lines, vocab, markdown, lower) for lines in pages]


def assemble(pages_blocks: list[list[TextBlock]]) -> tuple[str, list[Page], list[Block]]:
    """Lay the blocks out as one document text; pages and blocks get their offsets in it.

    Blocks on a page are separated by one newline, pages by a blank line. A page with no
    text keeps its number with an empty span, so page numbers always match the file.
    """
    parts: list[str] = []
    pages: list[Page] = []
    blocks: list[Block] = []
    pos = 0
    for number, page_blocks in enumerate(pages_blocks, start=1):
        if parts:
            parts.append(PAGE_SEPARATOR)
            pos += len(PAGE_SEPARATOR)
        start = pos
        for j, b in enumerate(page_blocks):
            if j:
                parts.append("\n")
                pos += 1
            blocks.append(Block(pos, pos + len(b.text), number, b.heading))
            parts.append(b.text)
            pos += len(b.text)
        pages.append(Page(number, "", start, pos))
    text = "".join(parts)
    pages = [Page(p.number, text[p.char_start:p.char_end], p.char_start, p.char_end) for p in pages]
    return text, pages, blocks
