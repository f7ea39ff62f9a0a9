"""The learning library: every review of the indexed reports, one review with an entry per
report that describes it, and its points with themes, filtered for the Learning view and API."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

import numpy as np

from ingest.reviews import KIND_ORDER, ReviewEntry, pseudonyms, review_key
from qa.themes import LABELS, OTHER, ThemeAssigner

def point_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:12]


@dataclass
class Catalogue:
    """Points (dicts as the API returns them) and reviews, built once per index content."""

    points: list[dict]
    reviews: list[dict]
    # Each point's quote embedding (rows as ``points``; an action's row is zeros), kept from the
    # theme assignment so learning answers (qa.learning_answer) need not embed the points again.
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def select(self, theme=(), kind=(), partnership=(), period=(), q: str = "", ids=()) -> list[dict]:
        """The points passing every filter given (each a list of accepted values; ``q``: words
        that must all occur in the quote, review name or partnership)."""
        words = q.lower().split()
        out = []
        for p in self.points:
            if theme and not set(theme) & set(p["themes"]):
                continue
            if kind and p["review_kind"] not in kind or partnership and p["partnership"] not in partnership:
                continue
            if period and p["period"] not in period or ids and p["id"] not in ids:
                continue
            hay = f"{p['quote']} {p['review']} {p['partnership']}".lower()
            if words and not all(w in hay for w in words):
                continue
            out.append(p)
        return out


def grid(points: list[dict]) -> list[dict]:
    """Counts of learning points per partnership, theme and period (the Learning view's cells)."""
    counts: dict[tuple[str, str, str], int] = {}
    for p in points:
        if p["type"] != "learning":
            continue
        for t in p["themes"]:
            k = (p["partnership"], t, p["period"])
            counts[k] = counts.get(k, 0) + 1
    return [{"partnership": a, "theme": b, "theme_label": LABELS[b], "period": c, "count": n}
            for (a, b, c), n in sorted(counts.items())]


def build_catalogue(entries: list[ReviewEntry], documents: dict, partnership_of: dict[str, str], assigner: ThemeAssigner | None) -> Catalogue:
    """Merge entries into reviews (one per partnership and name) and give learning points themes.

    ``partnership_of`` maps doc_id to the partnership name the page filters by (else the
    entry's own); ``assigner`` None leaves only keyword themes (unit tests).
    """
    groups: dict[tuple[str, str], list[ReviewEntry]] = {}
    for e in entries:
        who = partnership_of.get(e.doc_id) or e.partnership
        groups.setdefault((who, review_key(e.name)), []).append(e)
    points, reviews = [], []
    for (who, _), es in sorted(groups.items()):
        es.sort(key=lambda e: (e.period, e.doc_id))
        kind = min((e.kind for e in es), key=KIND_ORDER.index)
        name = es[0].name
        reviews.append({"review": name, "kind": kind, "partnership": who,
                        "entries": [{"period": e.period, "doc_id": e.doc_id, "kind": e.kind, "page": e.page,
                                     "learning": sum(p.kind == "learning" for p in e.points),
                                     "actions": sum(p.kind == "action" for p in e.points)} for e in es]})
        for e in es:
            doc = documents.get(e.doc_id)
            for p in e.points:
                points.append({
                    "id": point_id(e.doc_id, p.start, p.end), "type": p.kind, "review": name, "review_kind": kind,
                    "entry_kind": e.kind, "partnership": who, "period": e.period, "doc_id": e.doc_id,
                    "source": doc.source if doc else "", "title": doc.short_title if doc else "",
                    "page": p.page, "quote": p.text, "quote_start": p.start, "quote_end": p.end, "themes": [],
                })
    learning = [p for p in points if p["type"] == "learning"]
    vectors = np.zeros((len(points), 0), dtype=np.float32)
    if assigner is not None:
        texts = [p["quote"] for p in learning]
        encoded = assigner.encode(texts)
        for p, themes in zip(learning, assigner.assign(texts, assigner.theme_similarities(encoded))):
            p["themes"] = themes
        vectors = np.zeros((len(points), assigner.theme_vectors.shape[1]), dtype=np.float32)
        vectors[[i for i, p in enumerate(points) if p["type"] == "learning"]] = encoded
    else:
        from qa.themes import keyword_themes
        for p in learning:
            p["themes"] = keyword_themes(p["quote"]) or [OTHER]
    # An action takes its review entry's themes, so a theme's cell also shows what was done.
    by_entry: dict[tuple[str, str], set[str]] = {}
    for p in learning:
        by_entry.setdefault((p["doc_id"], p["review"]), set()).update(p["themes"])
    order = list(LABELS)
    for p in points:
        if p["type"] == "action":
            p["themes"] = sorted(by_entry.get((p["doc_id"], p["review"]), {OTHER}), key=order.index)
    return Catalogue(points, reviews, vectors)


_lock = threading.Lock()


def engine_catalogue(engine) -> Catalogue:
    """The catalogue of an engine's index (qa.engine.Engine), built on first use and again when
    the index content changes; the Learning view, its API and learning answers share it."""
    from index.learning_file import build_learning  # the file's reader, not needed by unit tests

    store = engine.store
    key = store.manifest_hash()
    with _lock:
        cached = getattr(engine, "_learning_catalogue", None)
        if cached and cached[0] == key:
            return cached[1]
        per_doc = getattr(store, "learning", None) or {}
        if set(per_doc) != set(store.documents):  # added or removed since the last save
            per_doc = build_learning(store, {d: (store.documents[d].sha256, es) for d, es in per_doc.items() if d in store.documents})
        series = {doc_id: p.name for p in engine.partnerships for doc_id in p.doc_ids}
        assigner = getattr(engine, "_theme_assigner", None)
        if assigner is None or assigner.embedder is not engine.embedder:
            assigner = ThemeAssigner(engine.embedder)
            engine._theme_assigner = assigner
        cat = build_catalogue([e for es in per_doc.values() for e in es], store.documents, series, assigner)
        engine._learning_catalogue = (key, cat)
        return cat


def reports_about(cat: Catalogue, question: str) -> set[str]:
    """The documents writing about a review the question names by pseudonym ("the Family Z
    review"); empty when it names none, or none the catalogue knows."""
    names = {review_key(n) for n in pseudonyms(question)}
    return {e["doc_id"] for r in cat.reviews if review_key(r["review"]) in names for e in r["entries"]} if names else set()


def actions_about(cat: Catalogue, question: str, doc_ids: set[str]) -> list[dict]:
    """The action points (what was done after a review) of the reviews the question names by
    pseudonym, in the documents ``doc_ids``; empty when it names none."""
    names = {review_key(n) for n in pseudonyms(question)}
    return [p for p in cat.points if p["type"] == "action" and p["doc_id"] in doc_ids
            and review_key(p["review"]) in names] if names else []
