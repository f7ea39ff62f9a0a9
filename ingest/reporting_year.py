"""A document's reporting year ("2022-23"), read from its title and first pages.

Reports write their year in many ways: "2022-23", "2022/2023", "2022 - 23", "2022 to 2023",
"April 2022 – March 2023", "1st April 2022 to 31st March 2023", "for the year ending 31 March
2023". The house form is an April to March year written "2022-23". A report that covers two
years ("Annual Report 2021-2023") gets the later one, so that it sorts after the yearly reports
before it and "the most recent report" finds it; its title keeps the whole span.
"""

from __future__ import annotations

import re
from collections import Counter

_DASHES = "-‐‑‒–—/"
# A year range; "to" needs a four-digit end, since "2019 to 20 children" is no range.
RANGE = re.compile(
    rf"\b((?:19|20)\d{{2}})(?:\s{{0,2}}[{_DASHES}]\s{{0,2}}((?:19|20)?\d{{2}})|\s+to\s+((?:19|20)\d{{2}}))\b"
)
_MONTH_NAMES = ("jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
                "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?")
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"


def _date(tag: str) -> str:
    """A date to the month: "1st April 2022", "April 2022", "Apr. 2022", "01/04/2022"."""
    month = "|".join(_MONTH_NAMES)
    return (rf"(?:(?:the\s+)?(?:{_ORDINAL}\s+)?(?P<m{tag}>{month})\.?\s+(?:{_ORDINAL},?\s+)?"
            rf"|\d{{1,2}}/(?P<n{tag}>0?[1-9]|1[0-2])/)(?P<y{tag}>(?:19|20)\d{{2}})\b")


_SPAN = re.compile(
    rf"\b{_date('1')}\s*(?:to|until|till|through|[-–—])\s*(?:the\s+)?(?:end\s+of\s+)?{_date('2')}", re.IGNORECASE,
)
_YEAR_END = re.compile(rf"\byear\s+(?:ending|ended|to)\s+{_date('2')}", re.IGNORECASE)
# Words that say a span is what the document covers: "covers the period from", "Reporting period:".
_COVERS = re.compile(r"\b(?:period|cover(?:s|ing|ed)?)\b[\s:]*(?:the\s+)?(?:period\s+)?(?:from\s+)?$", re.IGNORECASE)
# A range that names the report: "Annual Report 2022 to 2023", "Report - 2024-25", "2022-23 Annual Report".
_REPORT_BEFORE = re.compile(r"\breport\s*(?:for\s+(?:the\s+)?(?:year\s+)?)?[-–—:|]?\s*$", re.IGNORECASE)
_REPORT_AFTER = re.compile(r"^\s*(?:annual\s+|yearly\s+)?report\b", re.IGNORECASE)
# Words before a range that make it another year's: a comparison, a plan, the year ahead.
_OTHER_YEAR = re.compile(
    r"\b(?:compared?|comparison|previous|prior|last|than|since|before|(?:up|down|rise|rose|fall|fell|increased?|"
    r"decreased?)\s+from|plan|strategy|strategic|priorities|next|coming|ahead|will)\b", re.IGNORECASE,
)
HEAD_CHARS = 6000
_LOOKBACK = 40  # characters before a range read for its cue
_OTHER_LOOKBACK = 25


def format_period(start: int) -> str:
    """The house form of a reporting year: 2021 -> "2021-22"."""
    return f"{start}-{(start + 1) % 100:02d}"


def range_years(match: re.Match) -> tuple[int, int]:
    """The first and last calendar year of a year-range match: "2099-00" -> (2099, 2100)."""
    start = int(match.group(1))
    end_txt = next(g for g in match.groups()[1:] if g)
    if len(end_txt) == 4:
        return start, int(end_txt)
    end = start - start % 100 + int(end_txt)
    return start, end + 100 if end < start else end


def parse_range(match: re.Match) -> str | None:
    """A "2021/22", "2021-22", "2021-2022" or "2021 to 2022" match as a period, if it is one year long."""
    start, end = range_years(match)
    return format_period(start) if end == start + 1 else None


def _report_range(match: re.Match) -> str | None:
    """A range naming a report as its period: one year, or the later of two."""
    start, end = range_years(match)
    return format_period(end - 1) if end - start in (1, 2) else None


def _month_index(match: re.Match, tag: str) -> int:
    name = match.group(f"m{tag}")
    if name:
        month = next(i for i, p in enumerate(_MONTH_NAMES) if re.fullmatch(p, name, re.IGNORECASE))
    else:
        month = int(match.group(f"n{tag}")) - 1
    return int(match.group(f"y{tag}")) * 12 + month


def _year_of(index: int) -> str:
    """The April to March year a month (years * 12 + month from 0) falls in."""
    year, month = divmod(index, 12)
    return format_period(year if month >= 3 else year - 1)


def _span_period(match: re.Match, covers: bool) -> str | None:
    """A span of dates as a period: about a year, its middle's year; a stated two-year
    coverage, its later year; a short span only when it is stated as what the report covers
    (a first report after the old board ended runs from the autumn)."""
    first, last = _month_index(match, "1"), _month_index(match, "2")
    months = last - first + 1
    if (1 if covers else 6) <= months <= 15:
        return _year_of((first + last) // 2)
    if covers and 21 <= months <= 27:
        return _year_of(last)
    return None


def _covers(text: str, start: int) -> bool:
    return bool(_COVERS.search(text[max(0, start - _LOOKBACK):start]))


def _other_year(text: str, start: int) -> bool:
    return bool(_OTHER_YEAR.search(text[max(0, start - _OTHER_LOOKBACK):start]))


def _stated(text: str) -> str | None:
    """The first span of dates stated as what the text covers ("covering the period ...")."""
    for m in _SPAN.finditer(text):
        if _covers(text, m.start()) and (period := _span_period(m, covers=True)):
            return period
    return None


def _beside_report(text: str, m: re.Match) -> int | None:
    """Where the phrase naming the report around range ``m`` starts, or None if it has none."""
    lo = max(0, m.start() - _LOOKBACK)
    before = _REPORT_BEFORE.search(text[lo:m.start()])
    if before:
        return lo + before.start()
    return m.start() if _REPORT_AFTER.match(text, m.end()) else None


def _named(text: str) -> str | None:
    """The first statement of the report's own year: a range beside the word "report", a span
    of dates about a year long, or "the year ending 31 March 2023", none after a comparison."""
    found: list[tuple[int, str]] = []
    for m in RANGE.finditer(text):
        at = _beside_report(text, m)
        if at is not None and not _other_year(text, at) and (period := _report_range(m)):
            found.append((at, period))
            break
    for m in _SPAN.finditer(text):
        if not _other_year(text, m.start()) and (period := _span_period(m, covers=False)):
            found.append((m.start(), period))
            break
    for m in _YEAR_END.finditer(text):
        if not _other_year(text, m.start()):
            found.append((m.start(), _year_of(_month_index(m, "2") - 6)))
            break
    return min(found)[1] if found else None


def dated_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Each span of dates ("April 2022 to March 2023") and "year ending 31 March 2023" in
    ``text``, in order: (where it starts, where it ends, its first and last month, each as
    years * 12 + month from 0)."""
    out = [(m.start(), m.end(), _month_index(m, "1"), _month_index(m, "2")) for m in _SPAN.finditer(text)]
    out += [(m.start(), m.end(), _month_index(m, "2") - 11, _month_index(m, "2")) for m in _YEAR_END.finditer(text)]
    return sorted(out)


def period_of_month(index: int) -> str:
    """The April to March year a month (years * 12 + month from 0) falls in."""
    return _year_of(index)


def _title_range(title: str) -> str | None:
    """The title's first one-year range, or a two-year one beside the word "report"."""
    for m in RANGE.finditer(title):
        if period := parse_range(m):
            return period
    for m in RANGE.finditer(title):
        if _beside_report(title, m) is not None and (period := _report_range(m)):
            return period
    return None


def _commonest(text: str) -> str | None:
    """The one-year range the text names most often, leaving out comparisons and plans;
    between equals, the first named."""
    counts = Counter(p for m in RANGE.finditer(text) if not _other_year(text, m.start()) and (p := parse_range(m)))
    return counts.most_common(1)[0][0] if counts else None


def detect_period(title: str, text: str) -> str:
    """Reporting period as "YYYY-YY", or "" when the document does not say.

    Read, in order of trust: (1) a span of dates stated as what the document covers ("covers
    the period from 1 April 2022 to 31 March 2023", "Reporting period: April 2022 to March
    2023"), in the title or on the first pages; (2) a year range in the title ("Annual Report
    2022 to 2023"); (3) the first statement of the year on the first pages: a range beside the
    word "report", a year-long span of dates, or "the year ending 31 March 2023"; (4) the
    one-year range the first pages name most often, leaving out those after words of
    comparison ("compared with 2021-22") or of plans and the year ahead ("Business Plan
    2023-24", "priorities for 2023-24").
    """
    head = f"{title}\n{text[:HEAD_CHARS]}"
    return _stated(head) or _title_range(title) or _named(head) or _commonest(head) or ""
