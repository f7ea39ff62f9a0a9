"""The data every later stage shares: pages, documents and chunks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field


# Words (or a year) that name a document rather than the body that wrote it.
_NAMES_DOCUMENT = re.compile(r"\b(?:(?:19|20)\d{2}|reports?|review|overview|plan|paper|statement|strategy|"
                             r"cabinet|committee|agenda|item|minutes|briefing|newsletter)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """One cleaned page; ``char_start``/``char_end`` locate it in the document text."""

    number: int
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Block:
    """A paragraph or heading inside the document text (document offsets)."""

    char_start: int
    char_end: int
    page: int
    heading: bool = False


@dataclass(frozen=True)
class Organisation:
    """Whose report a document is, as its own text says (ingest.organisation).

    ``name``: the partnership or board ("X Safeguarding Children Partnership"); ``short_forms``:
    the acronyms the text defines for it; ``area``: the place words before the body's title, which
    also tie a board's reports to the partnership that replaced it; ``councils``: the councils the
    text names whose place lies in that area. All empty when the text names no body.
    """

    name: str = ""
    short_forms: tuple[str, ...] = ()
    area: str = ""
    councils: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # documents.jsonl stores tuples as lists
        object.__setattr__(self, "short_forms", tuple(self.short_forms))
        object.__setattr__(self, "councils", tuple(self.councils))

    @property
    def key(self) -> str:
        """The area in one spelling ("X & Y" and "X and Y" are one), "" when unknown."""
        return area_key(self.area)


def area_key(area: str) -> str:
    """Lower case, "&" as "and", single spaces: how two spellings of one area compare."""
    return " ".join(area.replace("&", " and ").lower().split())


@dataclass(frozen=True)
class Document:
    """Metadata of one ingested file; ``organisation`` defaults so that older index rows load."""

    doc_id: str
    source: str
    title: str
    period: str
    kind: str
    sha256: str
    n_pages: int
    organisation: Organisation = field(default_factory=Organisation)

    def __post_init__(self) -> None:
        if isinstance(self.organisation, dict):  # a documents.jsonl row
            object.__setattr__(self, "organisation", Organisation(**self.organisation))

    @property
    def short_title(self) -> str:
        """The title without the organisation, e.g. "Annual Report 2021-22": of its " - "
        parts, the run that names a document (a year, or a word such as report, plan, paper,
        agenda), whether the organisation comes first or last; else the part after the first " - "."""
        parts = [p for p in self.title.split(" - ") if p.strip()]
        if len(parts) < 2:
            return self.title
        names = [bool(_NAMES_DOCUMENT.search(p)) for p in parts]
        if any(names):
            first = names.index(True)
            run = [parts[first]]
            for part, named in zip(parts[first + 1:], names[first + 1:]):
                if not named:
                    break
                run.append(part)
            return " - ".join(run)
        return " - ".join(parts[1:])

    def to_dict(self) -> dict:
        return asdict(self)


def pages_label(title: str, first: int, last: int) -> str:
    """"Annual Report 2021-22, p. 7", or "..., pp. 3-4" for a span over pages 3 to 4."""
    pages = f"p. {first}" if first == last else f"pp. {first}-{last}"
    return f"{title}, {pages}" if title else pages


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: contiguous document text with its pages, section and offsets."""

    chunk_id: str
    doc_id: str
    page_start: int
    page_end: int
    char_start: int
    char_end: int
    section: str
    text: str
    period: str = ""
    title: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """Citation label, e.g. "Annual Report 2021-22, p. 7" or "..., pp. 3-4"."""
        return pages_label(self.title, self.page_start, self.page_end)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["tags"] = list(self.tags)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(**{**d, "tags": tuple(d.get("tags", ()))})


def chunk_id_for(doc_id: str, char_start: int, char_end: int, text: str) -> str:
    """Content hash id (as haystack's Document ids): same text at the same place, same id."""
    h = hashlib.sha256(f"{doc_id}:{char_start}:{char_end}:{text}".encode("utf-8"))
    return h.hexdigest()[:20]
