"""Trend answers: which years no report covers, and differences only where they are like for like."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.keyword import tokenize
from index.store import IndexStore
from qa.periods import MONTHS, period_start
from qa import cells, scope
from qa.cache import cached_per_chunks
from qa.quantity import counted_spans, places_of
from qa.rank import best_inside
from qa.spans import INTRODUCES, cover_gain
from ingest.metadata import format_period

# A figure and the words after it: "1,286 people", "(1949) individuals", "£327,594".
_FIGURE = re.compile(r"(?<![\w/.-])(£)?\(?(\d{1,3}(?:,\d{3})+|\d+)\)?(?![\w/%]|[.,-]\d)\s*([A-Za-z-]+)?(?:\s+([A-Za-z-]+))?")
_MODIFIERS = {"training", "new", "multi-agency", "more", "different", "separate", "local", "national", "online",
              "further", "additional", "face-to-face", "virtual", "safeguarding", "funded"}
_NOT_UNITS = {"of", "and", "to", "in", "the", "a", "was", "were", "for", "with", "from", "on", "at", "by", "or",
              *MONTHS, "per", "percent"}


@dataclass(frozen=True)
class Figure:
    """A figure as written (``text``), its value, and the unit word that follows it."""

    text: str
    value: int
    unit: str
    word: str = ""


def figures(sentence: str) -> list[Figure]:
    """Counted figures in a sentence with their unit word; years, dates and percentages are left out."""
    out = []
    counted = counted_spans(sentence)
    for m in _FIGURE.finditer(sentence):
        pound, number, w1, w2 = m.group(1), m.group(2), (m.group(3) or "").lower(), (m.group(4) or "").lower()
        unit = "£" if pound else (w2 if w1 in _MODIFIERS and w2 else w1)
        if not unit or unit in _NOT_UNITS:
            continue
        if not any(s <= m.start(2) < e for s, e in counted):
            continue  # a year, date, label or footnote mark, as qa.quantity decides
        value = int(number.replace(",", ""))
        out.append(Figure(f"£{number}" if pound else number, value, unit.rstrip("s") if unit != "£" else unit, unit))
    return out


def differences(rows: Sequence[tuple[str, str]], comparable: Callable[[str, str], bool] | None = None) -> list[str]:
    """Differences between reports, only for a unit that one figure in each of two reports measures.

    ``rows`` are (period, quoted sentence) oldest first. Each line shows the arithmetic with the
    figures as the reports write them, e.g. "events: 98 (2021-22) − 46 (2015-16) = 52".
    Approximate wording ("around", "over") stays visible in the quoted rows above the lines.
    ``comparable(p1, p2)`` False leaves out two reports' pair (figures of different scopes,
    ``qa.scope.differ``: a joint budget minus one body's is no change).
    """
    by_unit: dict[str, list[tuple[str, Figure]]] = {}
    for period, sentence in rows:
        counts: dict[str, list[Figure]] = {}
        for f in figures(sentence):
            counts.setdefault(f.unit, []).append(f)
        for unit, fs in counts.items():
            if len(fs) == 1:  # two figures of one unit in a sentence: which one compares is unclear
                by_unit.setdefault(unit, []).append((period, fs[0]))
    lines = []
    for unit, seq in by_unit.items():
        for (p1, f1), (p2, f2) in zip(seq, seq[1:]):
            if comparable is not None and not comparable(p1, p2):
                continue
            diff = f2.value - f1.value
            lines.append(f"{f2.word or unit}: {f2.text} ({p2}) − {f1.text} ({p1}) = {diff:,}")
    return lines


def uncovered_years(periods: Sequence[str]) -> list[str]:
    """Reporting years between the first and last report that no report covers."""
    starts = sorted({period_start(p) for p in periods})
    if len(starts) < 2:
        return []
    return [format_period(y) for y in range(starts[0], starts[-1] + 1) if y not in starts]


def describe_gaps(gaps: Sequence[str]) -> str:
    """Consecutive uncovered years as ranges: "2016-17 to 2018-19, 2020-21 and 2022-23"."""
    runs: list[list[int]] = []
    for y in sorted(period_start(g) for g in gaps):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [format_period(r[0]) if len(r) == 1 else f"{format_period(r[0])} to {format_period(r[-1])}" for r in runs]
    return ", ".join(parts[:-1]) + (f" and {parts[-1]}" if len(parts) > 1 else parts[0]) if parts else ""


def _pick_vector(store: IndexStore, pick) -> np.ndarray | None:
    """The embedding of the best-scoring sentence inside a pick's span."""
    best = best_inside(pick[0], pick[1], pick[2])
    return None if best is None else store.sentence_vectors[pick[0].row][best.sentence.position]


_SCALE = re.compile(r"\s*(million|m\b|thousand|k\b)", re.IGNORECASE)


def amounts(text: str) -> list[tuple[str, float]]:
    """The counted figures of a text as (kind, value): kind "%" for a share, "" for a count or sum
    ("£1.23 million" is 1,230,000); years, dates and labels are left out (qa.quantity)."""
    out = []
    for s, e in counted_spans(text):
        token = text[s:e]
        share = "%" in token or "cent" in token.lower()
        digits = re.sub(r"[^\d.]", "", token.split("per")[0])
        try:
            value = float(digits)
        except ValueError:
            continue
        scale = _SCALE.match(text, e)
        if scale and not share:
            value *= 1e6 if scale.group(1).lower().startswith("m") else 1e3
        if value > 0:
            out.append(("%" if share else "", value))
    return out


def scale_closeness(a: Sequence[tuple[str, float]], b: Sequence[tuple[str, float]]) -> float | None:
    """How alike in size the closest figures of two rows are: 1 within a factor of two (a year's
    ups and downs), 0 for a factor of ten or more apart (another measure), in between by log size;
    None when the rows hold no figures of one kind to compare."""
    pairs = [abs(np.log10(x / y)) for kx, x in a for ky, y in b if kx == ky]
    if not pairs:
        return None
    return float(np.clip((1.0 - min(pairs)) / (1.0 - np.log10(2.0)), 0.0, 1.0))


def _pick_text(store: IndexStore, pick) -> str:
    return store.document_text_span(pick[0].row, pick[1], pick[2])


def row_scores(store: IndexStore, per_period: list, weight: float, figure_weight: float = 0.0) -> list[list[float]]:
    """Each report's alternatives (best first) scored by worth relative to the report's best plus
    ``weight`` times the mean cosine with the closest alternative of every other report: the rows
    of a trend should measure the same thing ("1,286 people at 46 events" beside "88 courses to
    over 1609 attendees"), not whatever sentence of a report happens to score highest.

    With ``figure_weight`` (a question about figures) an alternative also gains that weight times
    the mean closeness in size of its figures to the nearest alternative's of every other report:
    a year's total income of £242,435 compares with £326,030, not with a £1.23 million bid."""
    vectors = [[_pick_vector(store, p) for p in chosen] for _, _, chosen in per_period]
    sizes = [[amounts(_pick_text(store, p)) if figure_weight else [] for p in chosen] for _, _, chosen in per_period]
    out = []
    for i, (period, ranked, chosen) in enumerate(per_period):
        best_worth = max((p[3] for p in chosen), default=1.0) or 1.0
        if len(chosen) <= 1 or weight <= 0:
            out.append([p[3] / best_worth for p in chosen])
            continue
        scores = []
        for j, pick in enumerate(chosen):
            v = vectors[i][j]
            sims = []
            for k, others in enumerate(vectors):
                near = [float(v @ o) for o in others if o is not None] if k != i and v is not None else []
                if near:
                    sims.append(max(near))
            scores.append(pick[3] / best_worth + weight * (sum(sims) / len(sims) if sims else 0.0)
                          + figure_weight * _size_agreement(sizes, i, j))
        out.append(scores)
    return out


def _size_agreement(sizes: list[list[list[tuple[str, float]]]], i: int, j: int) -> float:
    """Mean over the other reports of the best ``scale_closeness`` of alternative j of report i
    to any of that report's alternatives (0 for a report with nothing to compare)."""
    if not sizes[i][j]:
        return 0.0
    near = []
    for k, others in enumerate(sizes):
        if k == i:
            continue
        close = [c for o in others if (c := scale_closeness(sizes[i][j], o)) is not None]
        near.append(max(close, default=0.0))
    return sum(near) / len(near) if near else 0.0


def second_rows(store: IndexStore, per_period: list, scores: list[list[float]], q_terms: dict[str, float],
                ratio: float, gain: float, margin: float) -> list:
    """Each report's best row by ``scores`` (``row_scores``) and, when another alternative scores
    ``ratio`` of it, holds ``gain`` of the question's weight that the row lacks
    (qa.spans.cover_gain; a year's SCRs beside its practice reviews, a council's budget report
    beside the partnership's) and is within ``margin`` as like the other reports' rows as the
    row is (so not another measure, as a bid beside incomes), that alternative too."""
    out = []
    for (period, ranked, chosen), sc in zip(per_period, scores):
        order = sorted(range(len(chosen)), key=lambda j: -sc[j])
        row = [chosen[j] for j in order[:1]]
        if row and ratio > 0:
            best_worth = max(p[3] for p in chosen) or 1.0
            likeness = [sc[j] - chosen[j][3] / best_worth for j in range(len(chosen))]  # score less worth
            have = set(tokenize(_pick_text(store, row[0])))
            for j in order[1:]:
                if sc[j] >= ratio * sc[order[0]] and likeness[j] >= likeness[order[0]] - margin \
                        and cover_gain(q_terms, have, set(tokenize(_pick_text(store, chosen[j])))) >= gain:
                    row.append(chosen[j])
                    break
        out.append((period, ranked, row))
    return out


# How far back a table row's caption ("Expenditure for the SCP is apportioned as follows:") is
# looked for; a finance table of ten rows run onto one line is about 400 characters.
CAPTION_CHARS = 1500
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z•])|\n\s*\n")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’)]?\s*$")
# A caption run on after a table's last row starts after its last sum or count ("... £203,092
# Expenditure for the SCP was apportioned as follows:"); a date's "1 April" is no row's value.
_ROW_VALUE_END = re.compile(r"(?:£\s?\d[\d,]*|\b\d{1,3}(?:,\d{3})+)\s+(?=[A-Z])")


@cached_per_chunks("_scope_cache")
def scope_vocabulary(store: IndexStore) -> scope.Vocabulary:
    """The bodies and places the indexed documents name, and each document's own body with its
    short forms (``qa.scope.vocabulary``)."""
    names = [(d.organisation.name, d.organisation.short_forms) for d in store.documents.values()
             if getattr(d, "organisation", None) is not None]
    return scope.vocabulary((c.text for c in store.chunks), places_of(store), names)


def caption_span(store: IndexStore, pick) -> tuple[int, int] | None:
    """The document span of the sentence introducing the table or list a pick is a row of
    ("... are set out below:"), or None: the nearest introduction within ``CAPTION_CHARS``
    before the pick with no sentence ending between them."""
    doc_id = store.chunks[pick[0].row].doc_id
    lo = max(0, pick[1] - CAPTION_CHARS)
    before = store.document_text(doc_id, lo, pick[1])
    intro = next(reversed(list(INTRODUCES.finditer(before))), None)
    if intro is None or _SENTENCE_END.search(before, intro.end()) or _ENDS_SENTENCE.search(before, intro.end()):
        return None
    ends = [m.end() for pattern in (_SENTENCE_END, _ROW_VALUE_END) for m in pattern.finditer(before, 0, intro.start())]
    newline = before.rfind("\n", 0, intro.start())
    start = max([*ends, newline + 1, 0])
    return lo + start, lo + intro.end()


def pick_scope(store: IndexStore, pick, vocab: scope.Vocabulary) -> tuple[scope.Scope, int, tuple[int, int] | None]:
    """A year row's scope, the document offset its phrases are relative to, and the caption's
    span when the scope is read from a caption: the row's own words when they state one, else
    its table's or list's caption's. Its kinds are always the row's own figures'."""
    text = _pick_text(store, pick)
    found = scope.scope_of(text, vocab, amounts(text))
    if found.stated:
        return found, pick[1], None
    span = caption_span(store, pick)
    if span is None:
        return found, pick[1], None
    doc_id = store.chunks[pick[0].row].doc_id
    read = scope.scope_of(store.document_text(doc_id, *span), vocab, amounts(text))
    return (read, span[0], span) if read.stated else (found, pick[1], None)


def _kind_words(kinds: frozenset[str]) -> str:
    return "a share" if kinds == {"%"} else "an amount" if "%" not in kinds else "shares and amounts"


@dataclass(frozen=True)
class YearScope:
    """A year row's scope (``pick_scope``): its period, citation number and pick, the offset its
    scope phrases are relative to, and the caption's span when read from one."""

    period: str
    n: int
    pick: tuple
    scope: scope.Scope
    base: int
    caption: tuple[int, int] | None


def year_scopes(store: IndexStore, rows: Sequence[tuple[str, tuple, int]], vocab: scope.Vocabulary) -> list[YearScope]:
    """The scope of each of a series' year rows, given as (period, pick, citation number)."""
    return [YearScope(period, n, pick, *pick_scope(store, pick, vocab)) for period, pick, n in rows]


def comparable(years: Sequence[YearScope]) -> Callable[[str, str], bool]:
    """Whether two periods' rows compare like with like (True for a period not among ``years``)."""
    by_period = {y.period: y.scope for y in years}
    return lambda a, b: a not in by_period or b not in by_period or not scope.differ(by_period[a], by_period[b])


def scope_note(store: IndexStore, years: Sequence[YearScope], next_n: int,
               who: str = "") -> tuple[str, list[tuple[int, int, int, int, int]]]:
    """One line saying how a series' year rows differ in scope ("Not like for like: 2019-20
    counts 'SCP and SAB' [1], 2024-25 'SCP' [4]."), or "" when they compare like with like
    (``qa.scope.alike``). ``years`` are oldest first. A scope read from a table's caption is
    cited anew: the new citations are (number, row, start, end, the number of the year row's
    citation), numbered from ``next_n``; ``row`` holds ``start``. Each year's words are quoted
    verbatim from the text cited; ``who`` names the series' partnership when several are."""
    if next_n < 1:
        raise ValueError(f"next_n must be at least 1, got {next_n}")
    scopes = [y.scope for y in years]
    if len(scopes) < 2 or scope.alike(scopes):
        return "", []
    kinds_differ = any(a.kinds and b.kinds and not a.kinds & b.kinds for k, a in enumerate(scopes) for b in scopes[k + 1:])
    parts: list[str] = []
    new: list[tuple[int, int, int, int, int]] = []
    for y in years:
        words, cite = [], y.n
        if kinds_differ and y.scope.kinds:
            words.append(_kind_words(y.scope.kinds) + (" for" if y.scope.phrases else ""))
        if y.scope.phrases:
            s, e = y.scope.phrases[0]
            doc_id = store.chunks[y.pick[0].row].doc_id
            words.append("'" + " ".join(store.document_text(doc_id, y.base + s, y.base + e).split()) + "'")
            if y.caption is not None:
                cite = next_n + len(new)
                new.append((cite, cells.row_of_offset(store, y.pick[0].row, y.caption[0]), *y.caption, y.n))
        parts.append(f"{y.period}{' counts' if not parts else ''} {' '.join(words) or 'does not say'} [{cite}]")
    return f"Not like for like{', ' + who if who else ''}: " + ", ".join(parts) + ".", new
