"""Document metadata read from the title and the text: reporting period and kind."""

from __future__ import annotations

import re
from collections import Counter

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_COVERS = re.compile(
    rf"(?:period|from)\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\s+(\d{{4}})"
    rf"\s+(?:to|until|-|–)\s+(?:the\s+)?(?:end\s+of\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\s+(\d{{4}})",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\b((?:19|20)\d{2})\s?[-/–]\s?((?:19|20)?\d{2})\b")


def format_period(start: int) -> str:
    """The house form of a reporting year: 2021 -> "2021-22"."""
    return f"{start}-{(start + 1) % 100:02d}"


def parse_range(match: re.Match) -> str | None:
    """A "2021/22", "2021-22" or "2021-2022" match as a period, if it is one year long."""
    start = int(match.group(1))
    end_txt = match.group(2)
    end = int(end_txt) if len(end_txt) == 4 else (start // 100) * 100 + int(end_txt)
    return format_period(start) if end == start + 1 else None


def detect_period(title: str, text: str) -> str:
    """Reporting period as "YYYY-YY".

    Read, in order of trust, from a "covers the period from 1 April 2021 to 31 March 2022"
    sentence, from a year range in the title, or from the commonest year range on the first pages.
    """
    head = text[:6000]
    m = _COVERS.search(head)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end == start + 1 or (end == start and start):
            return format_period(end - 1)
    for m in _RANGE.finditer(title):
        period = parse_range(m)
        if period:
            return period
    counts = Counter(p for p in (parse_range(m) for m in _RANGE.finditer(head)) if p)
    return counts.most_common(1)[0][0] if counts else ""


def detect_kind(title: str, text: str) -> str:
    """Document kind: "cabinet paper", "annual report" or "other"."""
    probe = f"{title}\n{text[:1500]}".lower()
    if "cabinet" in probe or "agenda item" in probe:
        return "cabinet paper"
    if re.search(r"(annual|yearly) report", probe):
        return "annual report"
    return "other"


def guess_title(meta_title: str, first_lines: list[str], stem: str) -> str:
    """PDF/HTML metadata title, else the first short line of text, else the file name."""
    if meta_title:
        return meta_title
    for line in first_lines:
        line = line.strip()
        if 3 <= len(line) <= 150:
            return line
    return stem
