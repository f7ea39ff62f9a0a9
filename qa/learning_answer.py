"""Learning mode: an answer built from the catalogue of reviews' learning points (qa.catalogue),
not from ranked sentences.

The points a question asks for are those of the reports in scope (the period, source and
partnership filters and the time words, as every answer reads them), of the review kind it names
("rapid reviews", "serious case reviews", "audits") and the review it names ("Child Q"), and, when
the question has a topic beyond "what did the reviews teach", that topic: a point passes when it
has a theme the question's words name (qa.themes keywords), holds every topic word, or its
embedding is at least MIN_SIMILARITY like the question's. The answer groups them by theme, each
a cited quote naming its review, kind and year; at most POINTS_PER_THEME a theme and MAX_POINTS in
all, the rest counted and left to the Learning view.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.keyword import tokenize
from ingest.review_titles import has_own_name
from ingest.reviews import kind_of, pseudonyms, review_key
from qa.answer import Citation
from qa.cache import per_chunks
from qa.catalogue import engine_catalogue
from qa.periods import period_start, strip_time
from qa.themes import LABELS, OTHER, TAXONOMY, keyword_themes
from qa import organisations as orgs

# A short answer: a trainer reads a handful of points per theme, and the Learning view lists all.
POINTS_PER_THEME, MAX_POINTS = 3, 10
# A point that shares no theme and not every topic word with the question still answers it when
# its embedding is this like the question's; chosen on bundled questions (docs/learning.md).
MIN_SIMILARITY = 0.45
# A theme the question's embedding is this like counts as asked for, as a point's would
# (qa.themes.DEFAULT_THRESHOLD is the point's), when no keyword names one.
QUESTION_THEME_SIMILARITY = 0.5
# Words that say "learning from reviews" rather than what about: a question with nothing else
# asks for all the learning in scope.
_FRAME = frozenset(tokenize(
    "learn learning learnt learned lesson lessons review reviews reviewed audit audits rapid serious case "
    "practice safeguarding thematic national local multi agency child children partnership partnerships "
    "report reports annual year years taught teach teaches found find findings identified identify show showed "
    "shows highlighted theme themes point points key main what which tell told say said says give list "
    "summarise summary everything anything all any our their its come came out from about"
))


@dataclass
class Asked:
    """What a learning question asks for, read from its words."""

    kind: str  # a review kind, or "" for any
    names: tuple[str, ...]  # review names (keys), or () for any
    topic: tuple[str, ...]  # stemmed topic words, () for "all the learning"
    themes: frozenset[str]


def read_question(query: str, theme_sims: np.ndarray | None = None, titles: Sequence[str] = ()) -> Asked:
    """The kind, review, topic words and themes of a question (time words and partnership names
    already stripped). ``theme_sims``: the question's similarity with each TAXONOMY theme;
    ``titles``: the reviews' own titles ("Repeat Contacts Spotlight Audit"), which name a review
    as a pseudonym does."""
    kind = kind_of(query)
    named = [*pseudonyms(query), *(t for t in titles if review_key(t) in review_key(query))]
    names = tuple(review_key(n) for n in named)
    rest = query
    for n in named:
        rest = re.sub(re.escape(n).replace(r"\ ", r"\s+"), " ", rest, flags=re.IGNORECASE)
    topic = tuple(dict.fromkeys(t for t in tokenize(rest) if t not in _FRAME and not t.isdigit()))
    themes = set(keyword_themes(rest)) if topic else set()
    if topic and not themes and theme_sims is not None and len(theme_sims):
        themes = {TAXONOMY[i].key for i, s in enumerate(theme_sims) if s >= QUESTION_THEME_SIMILARITY}
    return Asked(kind, names, topic, frozenset(themes))


def score_points(points: Sequence[dict], vectors: np.ndarray, qvec: np.ndarray | None, asked: Asked) -> list[tuple[float, dict]]:
    """(score, point) for the points that answer ``asked``, best first; ``vectors`` rows align
    with ``points``. Without a topic every point answers, in the reports' own order."""
    out = []
    for i, p in enumerate(points):
        if asked.kind and asked.kind not in (p["review_kind"], p["entry_kind"]):
            continue
        if asked.names and review_key(p["review"]) not in asked.names:
            continue
        if not asked.topic:
            out.append((0.0, p))
            continue
        words = set(tokenize(f"{p['quote']} {p['review']}"))
        share = sum(t in words for t in asked.topic) / len(asked.topic)
        themed = bool(asked.themes & set(p["themes"]))
        sim = float(vectors[i] @ qvec) if qvec is not None and vectors.shape[1] else 0.0
        if themed or share == 1.0 or sim >= MIN_SIMILARITY:
            out.append((sim + 0.5 * themed + 0.5 * share, p))
    if asked.topic:
        out.sort(key=lambda sp: -sp[0])
    return out


def group_theme(p: dict, asked: frozenset[str]) -> str:
    """The theme a point is listed under: its first theme the question did not name (so that
    "babies" is split into fathers, mental health ...), else its first; "other" last."""
    named = [t for t in p["themes"] if t != OTHER]
    return next((t for t in named if t not in asked), named[0] if named else OTHER)


def choose(scored: Sequence[tuple[float, dict]], asked: Asked) -> tuple[list[tuple[str, list[dict]]], int]:
    """Themes with their points, at most POINTS_PER_THEME each and MAX_POINTS in all (themes with
    the best point first; "other" last), each theme's points oldest report first; and how many
    points (not counting repeats) were left out."""
    groups: dict[str, list[dict]] = {}
    seen: set[tuple[str, int, int]] = set()
    for _, p in scored:
        key = (p["doc_id"], p["quote_start"], p["quote_end"])
        if key in seen:  # one passage told of two reviews ("the reviews of Child J and Child S")
            continue
        seen.add(key)
        groups.setdefault(group_theme(p, asked.themes), []).append(p)
    if asked.topic:
        order = list(groups)  # by best point, as ``scored`` is
    else:
        order = sorted(groups, key=lambda t: -len(groups[t]))
    order.sort(key=lambda t: t == OTHER)
    out, shown = [], 0
    for t in order:
        room = min(POINTS_PER_THEME, MAX_POINTS - shown)
        if room <= 0:
            break
        kept = groups[t][:room]
        shown += len(kept)
        out.append((t, sorted(kept, key=lambda p: (period_start(p["period"]), p["doc_id"], p["quote_start"]))))
    return out, len(seen) - shown


def review_label(p: dict, names: dict[tuple[str, int, int], list[str]]) -> str:
    """"Baby L (rapid review), 2023-24", "Repeat Contacts Spotlight Audit (multi-agency audit),
    2024-25"; an unnamed review: "Rapid review, 2024-25"."""
    told = names.get((p["doc_id"], p["quote_start"], p["quote_end"]), [p["review"]])
    # The kind this report gives (a rapid review before its practice review), unless it names none.
    kind = p["entry_kind"] if p["entry_kind"] not in ("", "review") else p["review_kind"] or "review"
    if pseudonyms(told[0]) or has_own_name(told[0]):
        return f"{' and '.join(told)} ({kind}), {p['period']}"
    return f"{kind.capitalize()}, {p['period']}"


class _Rows:
    """Finds the chunk row holding a document offset (a citation is anchored on a chunk)."""

    def __init__(self, store) -> None:
        self.by_doc: dict[str, tuple[list[int], list[int]]] = {}
        for row, c in enumerate(store.chunks):
            starts, rows = self.by_doc.setdefault(c.doc_id, ([], []))
            starts.append(c.char_start)
            rows.append(row)

    def at(self, doc_id: str, offset: int) -> int | None:
        starts, rows = self.by_doc.get(doc_id, ([], []))
        i = bisect.bisect_right(starts, offset) - 1
        return rows[i] if i >= 0 else None


def titles(cat) -> list[str]:
    """The catalogue's reviews named by a title of their own, not a pseudonym or their kind."""
    return [r["review"] for r in cat.reviews if has_own_name(r["review"]) and not pseudonyms(r["review"])]


def answer_learning(engine, query: str, scopes: Sequence, periods: Sequence[str]):
    """The learning answer for the reports in ``scopes`` (qa.organisations.Scope, those asked
    about): (text, citations, strength, retrieved rows), as the engine's other answers are;
    no citations when no point answers, which the engine turns into "The reports do not say"."""
    store = engine.store
    docs = {d for sc in scopes for d in sc.doc_ids if not sc.periods or store.documents[d].period in sc.periods}
    named = [sc.partnership for sc in scopes if sc.partnership]
    text = " ".join(strip_time(orgs.strip_names(query, named)).split())
    cat = engine_catalogue(engine)
    keep = [i for i, p in enumerate(cat.points) if p["type"] == "learning" and p["doc_id"] in docs]
    if not keep:
        return "", [], 0.0, []
    points = [cat.points[i] for i in keep]
    vectors = cat.vectors[keep] if cat.vectors.shape[1] else cat.vectors
    assigner = getattr(engine, "_theme_assigner", None)
    qvec = theme_sims = None
    if assigner is not None:
        qvec = assigner.encode([text])[0]
        theme_sims = qvec @ assigner.theme_vectors.T
    asked = read_question(text, theme_sims, titles(cat))
    scored = score_points(points, vectors, qvec, asked)
    if not scored:
        return "", [], 0.0, []
    groups, left = choose(scored, asked)
    names: dict[tuple[str, int, int], list[str]] = {}
    for _, p in scored:
        told = names.setdefault((p["doc_id"], p["quote_start"], p["quote_end"]), [])
        if p["review"] not in told:
            told.append(p["review"])
    several = len(engine.partnerships) > 1
    # A partnership's short form (as its documents define it) when it has one: its name would fill each line.
    short = {p.name: p.short_forms[0] if p.short_forms else p.name for p in engine.partnerships}
    rows = per_chunks(store, "_learning_rows", lambda: _Rows(store), on=engine)
    shown = [p for _, ps in groups for p in ps]
    reviews = {(p["partnership"], p["review"]) for p in shown}
    when = f" ({', '.join(periods)})" if periods else ""
    lines = [f"Learning from {len(reviews)} review{'s' if len(reviews) != 1 else ''}{when}, by theme:"]
    cites: list[Citation] = []
    best = {id(p): s for s, p in scored}
    for theme, ps in groups:
        lines.append(f"{LABELS[theme]}:")
        for p in ps:
            row = rows.at(p["doc_id"], p["quote_start"])
            if row is None:
                continue
            last = rows.at(p["doc_id"], max(p["quote_start"], p["quote_end"] - 1))
            n = len(cites) + 1
            score = round(best[id(p)], 4) if asked.topic else 1.0  # without a topic every point answers
            cites.append(Citation(n, row, p["quote_start"], p["quote_end"], score, row_end=last if last != row else None))
            who = f", {short.get(p['partnership'], p['partnership'])}" if several and p["partnership"] else ""
            lines.append(f"- {review_label(p, names)}{who}: {' '.join(p['quote'].split())} [{n}]")
    if left:
        lines.append(f"{left} more point{'s' if left != 1 else ''} in the Learning view (the Learning button), or ask about one theme.")
    strength = 1.0  # every point shown is a review's learning that passed the question's filters
    retrieved = [{"chunk_id": store.chunks[c.row].chunk_id, "row": c.row, "score": c.score} for c in cites]
    return "\n".join(lines), cites, strength, retrieved
