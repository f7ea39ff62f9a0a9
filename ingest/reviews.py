"""Reviews and their learning, read from a document's clean text by general cues.

A report describes a case review (rapid review, practice review, serious case review, learning
review, multi-agency audit, national review) in a section whose heading or first lines name it,
often by a pseudonym of a general shape ("Child Q", "Baby M", "Family Z", "Sibling Group R").
Its learning follows an introduction ending with a colon that speaks of learning ("What we
learnt:", "The Rapid Review discovered:", "identified the following key areas for further
work:"), and its actions follow another ("What we did:", "It was agreed to:", "In response ...").
An audit's findings may instead run in prose after "The audit found that ..." (the cues are in
ingest.review_cues). Each point is one sentence or list item, kept as document offsets so a quote highlights exactly.
No rule names a partnership, a place or a case: everything comes from these cues.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import asdict, dataclass, field

from ingest.clean import PAGE_SEPARATOR
from ingest.review_titles import review_title
from ingest.review_cues import (ACTION_INTRO, ACTION_START, APPLIED, FINDING, INTRO, LEARN_HEADING, PROCESS, PSEUDONYM, ends_run,
                                 is_action, is_found_intro, is_review_cue, unnamed_finding)
from ingest.list_items import inline_items, inline_list_end, lower_case_words, run_on_items
from ingest.model import Document, Page
from ingest.sentences import sentence_spans

logger = logging.getLogger(__name__)

# Most specific first: the first kind a text names is its kind.
KINDS: tuple[tuple[str, str], ...] = (
    ("serious case review", r"serious case reviews?|\bSCRs?\b"),
    ("national review", r"national (child safeguarding practice )?reviews?|\bnational panel'?s? (report|review)"),
    ("child safeguarding practice review", r"(child )?safeguarding practice reviews?(?! panel)|\bL?CSPRs?\b"),
    ("thematic review", r"thematic reviews?"),
    ("learning review", r"(local )?learning reviews?"),
    ("rapid review", r"rapid reviews?"),
    ("multi-agency audit", r"\baudits?\b"),
)
KIND_ORDER = [k for k, _ in KINDS] + ["review"]

_SENTENCE_END = ".!?:;\"”’)"
# Raised when the rules change, so that learning.jsonl rows read by older rules are read again.
EXTRACTOR_VERSION = 4  # 4: an audit or thematic, learning or national review is named by its title
CONTEXT_CHARS = 700  # how far above an introduction a review kind may be named
MAX_LINES = 14  # a list longer than this has run into the next section
MIN_WORDS = 2  # list items can be short ("Case supervision")


@dataclass(frozen=True)
class Point:
    """One learning point or action: a quote with its document offsets and page."""

    kind: str  # "learning" or "action"
    text: str
    start: int
    end: int
    page: int


@dataclass(frozen=True)
class ReviewEntry:
    """What one report says about one review: its points, and where the report describes it."""

    name: str
    kind: str
    doc_id: str
    period: str
    partnership: str
    page: int
    points: tuple[Point, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["points"] = [asdict(p) for p in self.points]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ReviewEntry":
        return cls(**{**d, "points": tuple(Point(**p) for p in d.get("points", ()))})


def review_key(name: str) -> str:
    """How two spellings of one review's name compare ("Child Q" and "child  q" are one)."""
    return " ".join(name.lower().split())


def kind_of(text: str) -> str:
    """The most specific review kind ``text`` names, "" when none."""
    for kind, pattern in KINDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return ""


def last_kind(text: str) -> str:
    """The review kind named by the last sentence of ``text`` that names one: the first it names
    (its subject: "six other learning reviews that had not met the criteria for an SCR")."""
    for s, e in reversed(sentence_spans(text)):
        sent = text[s:e]
        found = [(m.start(), kind) for kind, pattern in KINDS for m in [re.search(pattern, sent, re.IGNORECASE)] if m]
        if found:
            return min(found)[1]
    return ""


def pseudonyms(text: str) -> list[str]:
    """The review pseudonyms ``text`` names, in order, each once ("Child Q", "Baby M")."""
    out: list[str] = []
    for m in PSEUDONYM.finditer(text):
        name = f"{m.group(1).title() if m.group(1).islower() else m.group(1)} {m.group(2)}"
        if name not in out:
            out.append(name)
    return out


def is_heading(line: str) -> bool:
    """A short line that does not end as a sentence: a heading in text that lost its layout."""
    s = line.strip()
    return 0 < len(s) <= 100 and not s.endswith((".", ":", ";", ",")) and (s[0].isupper() or s[0].isdigit()) and len(s.split()) <= 14


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        s = raw.strip()
        if s:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(s), s))
        pos += len(raw) + 1
    return out


class _Reader:
    """Walks one document's lines, collecting review entries; holds the page lookup."""

    def __init__(self, doc: Document, text: str, pages: list[Page], partnership: str) -> None:
        self.doc, self.text, self.partnership = doc, text, partnership
        self.lines = _lines(text)
        self.page_starts = [p.char_start for p in pages]
        self.page_numbers = [p.number for p in pages]
        self.taken: list[tuple[int, int]] = []
        self.lower_words = lower_case_words(text)

    def page_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.page_starts, offset) - 1
        return self.page_numbers[max(i, 0)] if self.page_numbers else 1

    def points_in(self, start: int, end: int, kind: str | None) -> list[Point]:
        """Sentences (and inline list items) of text[start:end] as points; ``kind`` None: each
        sentence is an action or a learning point by its own words."""
        out = []
        spans = (part for span in sentence_spans(self.text[start:end], start) for part in inline_items(self.text, *span))
        for s, e in (piece for span in spans for piece in run_on_items(self.text, *span, self.lower_words)):
            sent = self.text[s:e].strip(" -•–")
            s += len(self.text[s:e]) - len(self.text[s:e].lstrip(" -•–"))
            e = s + len(sent)
            if len(sent.split()) < MIN_WORDS or sent.endswith(":"):  # an introduction, not a point
                continue
            if kind != "action" and PROCESS.search(sent):  # what became of the review, not its learning
                continue
            out.append(Point(kind or ("action" if is_action(sent) else "learning"), sent, s, e, self.page_at(s)))
        return out

    def context(self, line_index: int, cue_start: int) -> tuple[str, str]:
        """The nearest heading-like line above (within a few lines) and the text from it to the cue."""
        head_i = line_index
        for j in range(line_index, max(-1, line_index - 8), -1):
            if is_heading(self.lines[j].text) and self.lines[j].start < cue_start:
                head_i = j
                break
        else:
            head_i = max(0, line_index - 2)
        head = self.lines[head_i].text
        return head, self.text[self.lines[head_i].start:cue_start]

    def entry(self, names: list[str], kind: str, start: int, points: list[Point], context: str = "") -> list[ReviewEntry]:
        if not points:
            return []
        if not names:  # a title in ``context`` (the text that introduces it), else its kind and year
            title = review_title(context, kind, self.lower_words)
            label = (kind or "review").capitalize()
            names = [title or (f"{label} ({self.doc.period})" if self.doc.period else label)]
        return [ReviewEntry(n, kind or "review", self.doc.doc_id, self.doc.period, self.partnership,
                            self.page_at(start), tuple(points)) for n in names]

    def from_intro(self, i: int, cue_start: int, cue_end: int, cue_text: str) -> list[ReviewEntry]:
        """The learning after an introduction at line ``i``, then its actions; the lines are
        read until a heading, another introduction, or MAX_LINES."""
        head, before = self.context(i, cue_start)
        above = self.named_above(i, cue_start)
        names = pseudonyms(cue_text) or pseudonyms(head) or pseudonyms(above)
        # The kind the cue names, else the one the line naming the review names, else the
        # nearest sentence above that names one, else the section heading's.
        named_line = head if pseudonyms(head) else above
        kind = kind_of(cue_text) or kind_of(named_line) or last_kind(before[-CONTEXT_CHARS:]) or kind_of(head)
        logger.debug("cue %r -> %s %s", cue_text, names, kind)
        if not names and not kind:
            return []  # learning, but not a review's (a year's lessons, a survey's findings)
        points: list[Point] = []
        # "Learning from these reviews has been implemented:": what follows is what was done.
        mode: str | None = "action" if APPLIED.search(cue_text) else "learning"
        segments = [(cue_end, self.lines[i].end)]
        bulleted = False  # the list's items keep their bullets: a line without one ends it
        for line in self.lines[i + 1:i + 1 + MAX_LINES]:
            if is_heading(line.text) or LEARN_HEADING.match(line.text) or (
                    not ACTION_INTRO.search(line.text) and any(is_review_cue(m.group(1)) for m in INTRO.finditer(line.text))):
                break
            # A list item is a line of a sentence or two (or inline " - " items); prose after the
            # first line means the list has ended. An action introduction may lead a paragraph.
            spans = sentence_spans(line.text, line.start)
            prose = len(spans) > 2 and line.text.count(" - ") < 2 and not ACTION_INTRO.search(line.text)
            if prose and line.text[:1] in "-•–" and len(segments) > 1:
                segments.append(spans[0])  # a last item that runs into the next section's prose
                break
            if prose and len(segments) > 1:
                if is_found_intro(cue_text):  # "The audit found that:" items, then a paragraph of findings
                    run = self.run_of_findings(spans)
                    if run:  # and the actions that follow them in the paragraph
                        after = spans[len(run)] if len(run) < len(spans) else None
                        segments.append((run[0][0], line.end if after and is_action(self.text[after[0]:after[1]]) else run[-1][1]))
                break
            if bulleted and line.text[:1] not in "-•–" and not ACTION_INTRO.search(line.text):
                if len(line.text.split()) < 5:
                    continue  # the tail of an item cut by a page break
                break  # the bulleted list has ended
            bulleted = bulleted or (len(segments) == 1 and line.text[:1] in "-•–" and cue_end >= self.lines[i].end - 1)
            segments.append((line.start, line.end if line.text.count(" - ") < 2 else inline_list_end(self.text, line.start, line.end)))
        for s, e in segments:
            act = ACTION_INTRO.search(self.text, s, e)
            if mode == "learning" and act:
                points += self._learning(s, act.start())
                mode = "action"
                points += self.points_in(act.end(), e, "action")
                continue
            if mode == "learning" and ACTION_START.match(self.text[s:e]):
                mode = "action"
            new = self.points_in(s, e, "action") if mode == "action" else self._learning(s, e)
            if any(p.kind == "action" for p in new):
                mode = "action"  # what follows an action describes its effect, not the learning
                new = [p if p.kind == "action" or p.start < next(q.start for q in new if q.kind == "action") else Point("action", p.text, p.start, p.end, p.page) for p in new]
            points += new
        end = segments[-1][1]
        self.taken.append((cue_start, end))
        return self.entry(names, kind, cue_start, points, f"{head}\n{before[-CONTEXT_CHARS:]}\n{cue_text}")

    def named_above(self, i: int, cue_start: int) -> str:
        """The pseudonym that starts the cue's line or one of the lines just above it ("Child Q had
        a history of ..."): the review a section describes before its learning."""
        for line in self.lines[max(0, i - 3):i + 1][::-1]:
            m = PSEUDONYM.match(line.text)
            if m and line.start < cue_start:
                return line.text
        return ""

    def _learning(self, s: int, e: int) -> list[Point]:
        return self.points_in(s, e, None)

    def findings(self) -> list[ReviewEntry]:
        """Sentences outside the lists that say what a review found: one that names the review by
        its pseudonym, or a run of them that an unnamed review's finding opens ("The audit found
        that ...") and the sentences after it in its paragraph go on until an action."""
        out = []
        for i, line in enumerate(self.lines):
            spans = sentence_spans(line.text, line.start)
            if spans:
                spans[-1] = (spans[-1][0], self.across_page(i, spans[-1][1]))
            k = 0
            while k < len(spans):
                s, e = spans[k]
                k += 1
                if self.is_taken(s):
                    continue
                sent = self.text[s:e]
                names = pseudonyms(sent)
                if names and FINDING.search(sent):
                    out += self.entry(names, kind_of(sent), s, [Point("learning", sent, s, e, self.page_at(s))])
                    continue
                before = self.sentences_before(i, s)
                kind = last_kind(sent) or last_kind(before)  # the subject: the first kind the sentence names
                if not kind or not unnamed_finding(sent, before):
                    continue
                run = [(s, e)] + self.run_of_findings(spans[k:])
                k += len(run) - 1
                points = [Point("learning", self.text[a:b], a, b, self.page_at(a)) for a, b in run]
                if k < len(spans) and is_action(self.text[spans[k][0]:spans[k][1]]):  # what was done about them
                    a, b = spans[k]
                    points.append(Point("action", self.text[a:b], a, b, self.page_at(a)))
                out += self.entry(names, kind, s, points, f"{before}\n{sent}")
        return out

    def run_of_findings(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The leading sentences of ``spans`` that go on reporting findings (until an action,
        the partnership's own work, an introduction or a quote of feedback)."""
        run = []
        for s, e in spans:
            if self.is_taken(s) or ends_run(self.text[s:e]):
                break
            run.append((s, e))
        return run

    def is_taken(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.taken)

    def sentences_before(self, i: int, start: int, n: int = 2) -> str:
        """The last ``n`` sentences before ``start`` on line ``i`` and the line above it (not a heading)."""
        first = i - 1 if i > 0 and not is_heading(self.lines[i - 1].text) else i
        spans = sentence_spans(self.text[self.lines[first].start:start], self.lines[first].start)
        return " ".join(self.text[a:b] for a, b in spans[-n:])

    def after_finding(self, line: _Line, cue_start: int) -> bool:
        """Whether a sentence before an introduction on its line reports a review's finding ("The
        audit found that ... There were a number of areas for improvement:")."""
        spans = sentence_spans(self.text[line.start:cue_start], line.start)
        return any(FINDING.search(self.text[a:b]) or unnamed_finding(self.text[a:b], "") for a, b in spans)

    def across_page(self, i: int, end: int) -> int:
        """The end of a sentence that a page break cuts after line ``i`` ("showed a gap in
        applying the" + "bruising protocol."): the next page's first sentence when it goes on in
        lower case; else ``end``."""
        if i + 1 >= len(self.lines) or self.text[end - 1] in _SENTENCE_END:
            return end
        nxt = self.lines[i + 1]
        if PAGE_SEPARATOR not in self.text[end:nxt.start] or not nxt.text[:1].islower():
            return end
        return sentence_spans(nxt.text, nxt.start)[0][1]

    def read(self) -> list[ReviewEntry]:
        entries: list[ReviewEntry] = []
        for i, line in enumerate(self.lines):
            if self.is_taken(line.start):
                continue
            head = LEARN_HEADING.match(line.text)
            if head:
                cue_end = line.start + head.end()
                entries += self.from_intro(i, line.start, cue_end, head.group(1))
                continue
            for m in INTRO.finditer(line.text):
                if ACTION_INTRO.fullmatch(m.group(0).strip()) or not (
                        is_review_cue(m.group(1)) or self.after_finding(line, line.start + m.start(1))):
                    continue
                entries += self.from_intro(i, line.start + m.start(1), line.start + m.end(), m.group(1))
                break
        return _merge_same(entries + self.findings())


def _merge_same(entries: list[ReviewEntry]) -> list[ReviewEntry]:
    """One entry per review in one report: points of several passages joined in text order."""
    by: dict[str, ReviewEntry] = {}
    for e in entries:
        k = review_key(e.name)
        if k in by:
            old = by[k]
            seen = {(p.start, p.end) for p in old.points}
            pts = sorted(old.points + tuple(p for p in e.points if (p.start, p.end) not in seen), key=lambda p: p.start)
            kind = min((old.kind, e.kind), key=KIND_ORDER.index)
            by[k] = ReviewEntry(old.name, kind, old.doc_id, old.period, old.partnership, min(old.page, e.page), tuple(pts))
        else:
            by[k] = e
    return list(by.values())


def mentions(text: str) -> dict[str, str]:
    """Each pseudonym the text names beside a review kind, with the most specific such kind
    ("Two Child Safeguarding Practice Reviews were commissioned: Child S and Child J")."""
    out: dict[str, str] = {}
    for s, e in sentence_spans(text):
        sent = text[s:e]
        kind = kind_of(sent)
        if not kind or kind == "multi-agency audit":
            continue
        for name in pseudonyms(sent):
            if name not in out or KIND_ORDER.index(kind) < KIND_ORDER.index(out[name]):
                out[name] = kind
    return out


def extract_reviews(doc: Document, text: str, pages: list[Page], partnership: str = "") -> list[ReviewEntry]:
    """The reviews one document describes, each with its learning and actions as cited quotes.

    ``text`` is the document's clean text (pages joined as ingest.clean.assemble lays them out)
    and ``partnership`` whose report it is (the document's organisation, else its title).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    who = partnership or doc.organisation.name or doc.title
    entries = _Reader(doc, text, pages, who).read()
    known = mentions(text)
    return [e if e.kind != "review" or e.name not in known else ReviewEntry(e.name, known[e.name], e.doc_id, e.period, e.partnership, e.page, e.points)
            for e in entries]
