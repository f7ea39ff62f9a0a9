"""Document metadata read from the title and the text: reporting period, kind and title.

The period is read by ingest.reporting_year; its helpers are re-exported here for the readers of
questions (qa.periods, qa.trend).
"""

from __future__ import annotations

import re

from ingest.reporting_year import RANGE, detect_period, format_period, parse_range, range_years

__all__ = ["RANGE", "detect_kind", "detect_period", "format_period", "guess_title", "parse_range", "range_years"]

# A council's cabinet or committee paper: its own heading words.
_COMMITTEE_TITLE = re.compile(
    r"\b(?:cabinet|agenda\s+item|committee|scrutiny\s+(?:panel|board|commission)|report\s+to\b|"
    r"health\s+and\s+well-?being\s+board)",
    re.IGNORECASE,
)
# What a paper prints at its top: "Agenda Item 11", "Report to the ... Committee", "CABINET – 16 SEPTEMBER".
_COMMITTEE_HEAD = re.compile(
    r"\bagenda\s+item\b|\breport\s+to\s+(?:the\s+)?(?:cabinet|[\w'’ -]{0,60}?(?:committee|board|panel))\b|"
    r"^\s*cabinet\b|\bdate\s+of\s+(?:the\s+)?meeting\b|\bmeeting\s+date\b|"
    r"\breport\s+of\s+the\s+(?:executive\s+|strategic\s+|corporate\s+)?director\b",
    re.IGNORECASE | re.MULTILINE,
)
# Anywhere on a first page: the words a cabinet or committee paper uses of itself.
_COMMITTEE_PAGE = re.compile(
    r"\bcabinet\b|\bagenda\s+item\b|\b(?:overview\s+and\s+)?scrutiny\s+committee\b|"
    r"\breport\s+of\s+the\s+(?:executive\s+|strategic\s+|corporate\s+)?director\b",
    re.IGNORECASE,
)
# The yearly report on the arrangements, by the names partnerships give it.
_YEARLY = re.compile(
    r"\b(?:annual|yearly)\s+(?:safeguarding\s+)?report\b|\bsafeguarding\s+arrangements\s+report\b|"
    r"\b(?:partnership|board)\s+report\s*(?:for\s+)?[-–—:]?\s*(?:19|20)\d{2}",
    re.IGNORECASE,
)
# Titles of other documents a partnership publishes.
_OTHER_TITLE = re.compile(
    r"\b(?:plan|strategy|arrangements|review|minutes|newsletter|briefing|terms\s+of\s+reference|policy|"
    r"procedures?|protocol|guidance|leaflet|audit|agenda|framework|toolkit)\b",
    re.IGNORECASE,
)
FIRST_PAGE_CHARS = 1500
TOP_CHARS = 400


def detect_kind(title: str, text: str) -> str:
    """Document kind: "cabinet paper", "annual report" or "other".

    In order of trust: a council cabinet or committee paper's words in the title or the heading
    at the top of the first page ("Agenda Item 7", "Report to Cabinet"); the title naming the
    yearly report ("Annual Report", "Yearly Report", "Annual Safeguarding Report", "Safeguarding
    Arrangements Report", "... Partnership Report 2022-23"); the title naming another document
    ("Business Plan", "Multi-Agency Safeguarding Arrangements", "Practice Review"); then the
    first page, whichever it names first: a paper's words ("cabinet", "scrutiny committee") or
    the yearly report (a report's title comes before its foreword's mention of the cabinet).
    """
    first = text[:FIRST_PAGE_CHARS]
    if _COMMITTEE_TITLE.search(title) or _COMMITTEE_HEAD.search(text[:TOP_CHARS]):
        return "cabinet paper"
    if _YEARLY.search(title):
        return "annual report"
    if _OTHER_TITLE.search(title):
        return "other"
    paper, report = _COMMITTEE_PAGE.search(first), _YEARLY.search(first)
    if paper and (not report or paper.start() < report.start()):
        return "cabinet paper"
    return "annual report" if report else "other"


# What an editor or converter leaves as a document's title when nobody gave it one.
_PLACEHOLDER = re.compile(
    r"(?:untitled|document\s*\d*|presentation\d*|powerpoint\s+presentation|slide\s*\d*|title|"
    r"microsoft\s+word\s*-?\s*document\d*|new\s+document)",
    re.IGNORECASE,
)
_EDITOR_PREFIX = re.compile(r"^\s*microsoft\s+(?:word|powerpoint|publisher)\s+-\s+", re.IGNORECASE)
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pptx?|pub|pdf|indd|odt|rtf)\s*$", re.IGNORECASE)
# A web page's title ends with its site: "... annual report 2022 to 2023 - X Borough Council", "... - GOV.UK".
_SITE_SUFFIX = re.compile(r"\s+[-–|]\s+(?:[\w'’&. ]{0,60}\bCouncil|GOV\.UK|[\w.-]+\.(?:gov|org|nhs)\.uk)\s*$",
                          re.IGNORECASE)


def clean_meta_title(meta_title: str) -> str:
    """A metadata title without an editor's "Microsoft Word - ", a file suffix, a web page's site
    ("... - X Council", "... - GOV.UK") and a file name's underscores; "" when it is a
    placeholder ("Untitled", "Document1", "PowerPoint Presentation")."""
    title = _SITE_SUFFIX.sub("", _FILE_SUFFIX.sub("", _EDITOR_PREFIX.sub("", meta_title))).strip()
    if "_" in title and " " not in title:  # a file name: "NSCP_Annual_Report_2022-23"
        title = title.replace("_", " ")
    return "" if _PLACEHOLDER.fullmatch(title) else title


def guess_title(meta_title: str, first_lines: list[str], stem: str) -> str:
    """PDF/HTML metadata title (unless a placeholder), else the first short line of text, else
    the file name."""
    title = clean_meta_title(meta_title)
    if title:
        return title
    for line in first_lines:
        line = line.strip()
        if 3 <= len(line) <= 150:
            return line
    return stem
