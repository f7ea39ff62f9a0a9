"""The review catalogue beside an index: ``learning.jsonl``, one row per review per report.

Built from each document's clean pages when the index is saved (ingest.reviews), so it is
there for any partnership's reports without a question being asked. An index without the file,
or with rows for documents that changed or rows read by an older version of the rules
(``EXTRACTOR_VERSION``), is completed from the pages on load.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from index.files import write_durably
from ingest.clean import PAGE_SEPARATOR
from ingest.reviews import EXTRACTOR_VERSION, ReviewEntry, extract_reviews

logger = logging.getLogger(__name__)

FILE_NAME = "learning.jsonl"
EMPTY = "no_reviews"  # the key of a document's row when it describes no review


def entries_of(store, doc_id: str) -> list[ReviewEntry]:
    """The reviews one indexed document describes, read from its pages."""
    doc = store.documents[doc_id]
    pages = store.pages.get(doc_id, [])
    return extract_reviews(doc, PAGE_SEPARATOR.join(p.text for p in pages), pages)


def build_learning(store, known: dict[str, tuple[str, list[ReviewEntry]]] | None = None) -> dict[str, list[ReviewEntry]]:
    """Entries per document; ``known`` (doc_id -> (sha256, entries)) is reused where the
    document is unchanged."""
    known = known or {}
    out = {}
    for doc_id, doc in store.documents.items():
        sha, entries = known.get(doc_id, ("", []))
        out[doc_id] = entries if sha and sha == doc.sha256 else entries_of(store, doc_id)
    return out


def save_learning(store, folder: Path) -> None:
    """Write the catalogue of every document in ``store`` to ``folder/learning.jsonl``."""
    store.learning = build_learning(store, getattr(store, "_learning_known", None))
    # Remembered, so the next save of a batch ingest reads only the documents added since.
    store._learning_known = {d: (store.documents[d].sha256, e) for d, e in store.learning.items()}
    rows = [json.dumps({"doc_id": d, "sha256": store.documents[d].sha256, "version": EXTRACTOR_VERSION, **e.to_dict()},
                       ensure_ascii=False)
            for d, entries in store.learning.items() for e in entries]
    # A document without reviews gets a row too, or every load would read its pages again
    # (0.17 s a report: 85 s for 500).
    rows += [json.dumps({"doc_id": d, "sha256": store.documents[d].sha256, "version": EXTRACTOR_VERSION, EMPTY: True,
                         "name": "", "kind": "", "points": []})
             for d, entries in store.learning.items() if not entries]
    write_durably(Path(folder) / FILE_NAME, ("\n".join(rows) + "\n" if rows else "").encode("utf-8"))


def load_learning(store, folder: Path) -> None:
    """Read ``folder/learning.jsonl`` into ``store.learning``; documents it lacks (or an index
    saved before the file existed) are read from their pages."""
    known: dict[str, tuple[str, list[ReviewEntry]]] = {}
    path = Path(folder) / FILE_NAME
    if path.is_file():
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    sha = row.pop("sha256")
                    if row.pop("version", None) != EXTRACTOR_VERSION:
                        continue  # read by older rules: read again from the pages
                    entries = known.setdefault(row["doc_id"], (sha, []))[1]
                    if not row.get(EMPTY):
                        entries.append(ReviewEntry.from_dict(row))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("%s is damaged (%s); reading the reviews from the pages again", path, exc)
            known = {}
    else:
        logger.info("no %s in %s; reading the reviews from the pages", FILE_NAME, folder)
    store._learning_known = known
    store.learning = build_learning(store, known)
