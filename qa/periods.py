"""Time expressions in a question -> the reporting periods it asks about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.metadata import RANGE, format_period, parse_range
from ingest.reporting_year import dated_spans, period_of_month

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# RANGE reads a reporting year as reports write it: "2021-22", "2021/2022", "2021 - 22", "2021 to 2022".
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_EARLY_MONTH = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?)\b", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+?)(?:[?.,;]|$)", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|after|from)\s+((?:19|20)\d{2})", re.IGNORECASE)
_BEFORE = re.compile(r"\b(?:before|prior to|until)\s+((?:19|20)\d{2})", re.IGNORECASE)
_LATEST = re.compile(r"\b(last year|latest|most recent|newest|current|this year)\b", re.IGNORECASE)
_EARLIEST = re.compile(r"\b(earliest|oldest)\b", re.IGNORECASE)
_TREND = re.compile(
    r"\b(change[sd]?|changing|trend|over time|over the years|across (?:the )?(?:years|reports)|compare[sd]?|"
    r"comparison|differ|difference|increase[sd]?|decrease[sd]?|grow|grew|fall|fell|rise|rose|each year|"
    r"year[- ]on[- ]year|every year|all (?:the )?reports|evolv\w*|progress(?:ed)? over)\b",
    re.IGNORECASE,
)


def period_start(period: str) -> int:
    return int(period[:4])


@dataclass(frozen=True)
class TimeScope:
    """Which periods a question is about; ``mentioned`` holds periods named but not indexed."""

    periods: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    trend: bool = False


@dataclass(frozen=True)
class TimeAsk:
    """A question's time words, read once and before any reports: ``bounds`` are the first and
    last start years of "between X and Y", "since X" or "before X" (None: open; the whole
    field None: no such words); ``ranges`` the reporting years written out ("2021/22" ->
    "2021-22"); ``years`` the bare years; ``latest``/``earliest`` "the most recent"/"the
    oldest" report; ``trend`` asks for a change over time. ``bare_lo``: the first bound is a
    bare calendar year ("since 2021"), which two reporting years overlap (``time_scope``)."""

    bounds: tuple[int | None, int | None] | None = None
    ranges: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    latest: bool = False
    earliest: bool = False
    trend: bool = False
    bare_lo: bool = False


def named_periods(text: str) -> list[str]:
    """The reporting years ``text`` writes out, in house form ("2021/22", "2021-2022" -> "2021-22")."""
    return [p for m in RANGE.finditer(text) if (p := parse_range(m))]


# A span of dates shorter than this many months names the reporting years it overlaps; a longer
# one ("from April 2019 to March 2022") is a range of years, read as "between".
MAX_DATED_MONTHS = 15
_LEAD_IN = re.compile(r"\b(?:(?:in|during|for|from|over|between|the)\s+)+$", re.IGNORECASE)


def dated_periods(text: str) -> tuple[list[str], str]:
    """The reporting years that the spans of dates in ``text`` overlap ("April 2022 to March
    2023", "the year ending 31 March 2023" -> "2022-23"; "January 2022 to December 2022" ->
    "2021-22", "2022-23"), and ``text`` without those spans."""
    periods: list[str] = []
    rest = text
    for start, end, first, last in reversed(dated_spans(text)):
        if 0 <= last - first < MAX_DATED_MONTHS:
            lo, hi = period_start(period_of_month(first)), period_start(period_of_month(last))
            periods[:0] = [format_period(y) for y in range(lo, hi + 1)]
            lead = _LEAD_IN.search(rest[:start])
            rest = f"{rest[:lead.start() if lead else start]} {rest[end:]}"
    return list(dict.fromkeys(periods)), rest


def _periods_for_year(year: int) -> list[str]:
    # A bare year overlaps two April-March reporting years.
    return [format_period(year - 1), format_period(year)]


def _point(text: str) -> list[str]:
    m = RANGE.search(text)
    if m and parse_range(m):
        return [parse_range(m)]
    m = _YEAR.search(text)
    return _periods_for_year(int(m.group(1))) if m else []


def read_time(question: str) -> TimeAsk:
    """Read "in 2021-22", "since 2019", "between 2015/16 and 2024-25", "the most recent report",
    "April 2022 to March 2023"."""
    trend = bool(_TREND.search(question))
    dated, rest = dated_periods(question)
    if dated:
        return TimeAsk(None, tuple(dict.fromkeys([*dated, *named_periods(rest)])),
                       tuple(int(m.group(1)) for m in _YEAR.finditer(RANGE.sub(" ", rest))),
                       bool(_LATEST.search(question)), bool(_EARLIEST.search(question)), trend)
    m = _BETWEEN.search(question)
    if m and len(RANGE.findall(m.group(1)) or _YEAR.findall(m.group(1))) > 1:
        m = None  # "between 2019/20, 2021/22 and 2024-25" names those years, not the span they are in
    if m and _point(m.group(1)) and _point(m.group(2)):
        lo = min(period_start(p) for p in _point(m.group(1)))
        hi = max(period_start(p) for p in _point(m.group(2)))
        bare = len(_point(m.group(1))) == 2 and not _EARLY_MONTH.search(m.group(1))
        if bare:
            lo += 1  # "from 2019": the year that starts in 2019; "from March 2021": the one ending then
        return TimeAsk(bounds=(lo, hi), trend=True, bare_lo=bare)
    m = _SINCE.search(question)
    if m and not RANGE.search(question[m.start():m.end() + 3]):
        return TimeAsk(bounds=(int(m.group(1)), None), trend=True, bare_lo=True)
    m = _BEFORE.search(question)
    if m:
        return TimeAsk(bounds=(None, int(m.group(1)) - 1), trend=trend)
    return TimeAsk(None, tuple(named_periods(question)),
                   tuple(int(m.group(1)) for m in _YEAR.finditer(RANGE.sub(" ", question))),
                   bool(_LATEST.search(question)), bool(_EARLIEST.search(question)), trend)


def time_scope(ask: TimeAsk, available: Sequence[str]) -> TimeScope:
    """The periods of ``available`` that ``ask`` is about; a bare year is the one or two
    reporting years it overlaps, "the most recent" the last of ``available`` when nothing else
    is named."""
    avail = sorted(set(p for p in available if p), key=period_start)
    if ask.bounds is not None:
        lo, hi = ask.bounds
        if ask.bare_lo and lo is not None and not any(period_start(p) == lo for p in avail):
            lo -= 1  # no report starts in that year: the one ending in it (January to March) is about it too
        return TimeScope(tuple(p for p in avail if (lo is None or period_start(p) >= lo)
                               and (hi is None or period_start(p) <= hi)), (), ask.trend)
    wanted = [p for p in ask.ranges if p in avail]
    mentioned = [p for p in ask.ranges if p not in avail]
    for year in ask.years:
        cands = _periods_for_year(year)
        hits = [p for p in cands if p in avail]
        if hits:
            wanted.extend(hits)
        else:
            mentioned.append(cands[1])
    if not wanted and not mentioned and avail:
        if ask.latest:
            wanted = [avail[-1]]
        elif ask.earliest:
            wanted = [avail[0]]
    wanted = sorted(set(wanted), key=period_start)
    return TimeScope(tuple(wanted), tuple(sorted(set(mentioned))), ask.trend)


_TIME_WORDS = re.compile(
    r"\b(?:in|during|for|from|since|between|and|to|of|the)?\s*(?:(?:19|20)\d{2}"
    r"(?:\s{0,2}[-‐‑‒–—/]\s{0,2}(?:19|20)?\d{2}|\s+to\s+(?:19|20)\d{2})?)"
    r"(?:\s+reports?\b)?|\b(?:the\s+)?(?:most recent|latest|last year|this year|earliest|oldest)(?:\s+reports?)?\b",
    re.IGNORECASE,
)


def strip_time(question: str) -> str:
    """The question without its time expressions, once they have become period filters."""
    out = " ".join(_TIME_WORDS.sub(" ", dated_periods(question)[1]).split())
    return out or question


@lru_cache(maxsize=512)  # asked per sentence and period by the ranker's features
def mention_pattern(period: str) -> re.Pattern:
    """Any written form of a reporting year: 2022-23, 2022/23, 2022-2023, 2022 – 23, 2022 to 2023."""
    start = period_start(period)
    end = start + 1
    return re.compile(rf"\b{start}\s{{0,2}}[-‐‑‒–—/]\s{{0,2}}(?:{end}|{end % 100:02d})\b"
                      rf"|\b{start}\s+to\s+{end}\b")


def period_mentions(store, periods: list[str], doc_ids: list[str]) -> list[int]:
    """Rows of the chunks of ``doc_ids`` whose text names one of ``periods``."""
    if not periods:
        return []
    patterns = [mention_pattern(p) for p in periods]
    allowed = set(doc_ids)
    return [i for i, c in enumerate(store.chunks)
            if c.doc_id in allowed and any(p.search(c.text) for p in patterns)]


def strip_trend(question: str) -> str:
    """The question without its change/compare wording, which would match the wrong sentences."""
    out = " ".join(_TREND.sub(" ", question).split())
    return out or question
