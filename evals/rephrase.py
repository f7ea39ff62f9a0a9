"""Mechanical rephrasings of a question, and whether the system's answer survives them.

``variants`` writes, for one question, the forms a practitioner might type instead:

- ``name-removed`` / ``name-added``: the partnership's area or short name taken out (when the
  question names it) or added ("... in <area>?") when it does not;
- ``year:<form>``: a one-year period written as ``2024-25``, ``2024/25`` and ``2024 to 2025``
  (each form other than the question's own); when that period is the collection's latest,
  ``year:most-recent`` ("in the most recent report") and ``year:last-year`` ("last year");
- ``lower``: the whole question in lower case;
- ``typo``: two adjacent inner letters of one content word swapped (the word picked by a hash
  of the question id, so the variant is the same on every run);
- ``synonym``: the first phrase of ``SYNONYMS`` that the question holds, replaced by a common
  synonym.

What a rephrasing needs to know about a partnership (its area and short names, its latest
period) is passed in, read from the collection's files and index, never written here.

``consistent`` says whether a variant's first citation supports the same gold evidence as
the original question's (see its docstring).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from evals.metrics import options, supports

# Generic English only: words any partnership's practitioner might swap.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("how many", "what number of"),
    ("attended", "went to"),
    ("increase", "rise"),
    ("decrease", "fall"),
    ("priorities", "main aims"),
    ("received", "got"),
    ("main", "key"),
    ("reported", "recorded"),
    ("children", "young people"),
    ("meetings", "sessions"),
    ("spent", "paid out"),
    ("learning", "lessons"),
    ("reviews", "case reviews"),
    ("what were", "which were"),
    ("what was", "which was"),
    ("who", "which person"),
)
STOP = frozenset("about after again their there these those which where while would could should what".split())
_PERIOD = re.compile(r"\b(20\d\d)\s*(?:-|/|–|\bto\b)\s*(20)?(\d\d)\b")
_WORD = re.compile(r"[A-Za-z]{6,}")


@dataclass(frozen=True)
class Variant:
    """One rephrasing: its kind (see the module docstring) and its text."""

    kind: str
    text: str


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?,.;:])", r"\1", text)
    text = re.sub(r"\b(the|in|of)\s+\1\b", r"\1", text, flags=re.IGNORECASE)
    return text[0].upper() + text[1:] if text and text[0].islower() else text


def period_forms(start: int) -> dict[str, str]:
    """The three ways a reporting year starting in ``start`` is written."""
    end = start + 1
    return {"dash": f"{start}-{end % 100:02d}", "slash": f"{start}/{end % 100:02d}", "words": f"{start} to {end}"}


def _name_variant(question: str, names: Sequence[str], area: str) -> Variant | None:
    for name in sorted(names, key=len, reverse=True):
        # "the <name> LSCB" and "in <name>" lose the name; a bare subject ("did <name> hold")
        # becomes "the partnership", so the question still parses.
        pattern = re.compile(rf"(\b(?:in|for|of|the)\s+)?\b{re.escape(name)}('s)?(?=\W|$)", re.IGNORECASE)
        m = pattern.search(question)
        if m:
            if m.group(1):
                keep = m.group(1) if m.group(1).strip().lower() == "the" else " "
                text = question[:m.start()] + keep + question[m.end():]
            else:
                text = question[:m.start()] + "the partnership" + (m.group(2) or "") + question[m.end():]
            return Variant("name-removed", _tidy(text))
    if not area:
        return None
    return Variant("name-added", _tidy(question.rstrip(" ?.") + f" in {area}?"))


def _year_variants(question: str, latest: str) -> list[Variant]:
    m = _PERIOD.search(question)
    if not m:
        return []
    start = int(m.group(1))
    end = int(m.group(3)) + (start // 100) * 100
    if end != start + 1:
        return []
    out = []
    own = m.group(0)
    for form, text in period_forms(start).items():
        if text != own:
            out.append(Variant(f"year:{form}", _tidy(question[:m.start()] + text + question[m.end():])))
    if latest and period_forms(start)["dash"] == latest:
        prep = re.compile(rf"\b(?:in|during|for|over)\s+(?:the\s+)?(?:year\s+)?{re.escape(own)}")
        if prep.search(question):
            out.append(Variant("year:most-recent", _tidy(prep.sub("in the most recent report", question, count=1))))
            out.append(Variant("year:last-year", _tidy(prep.sub("last year", question, count=1))))
    return out


def _typo(question: str, seed: str) -> Variant | None:
    words = [m for m in _WORD.finditer(question) if m.group(0).lower() not in STOP]
    if not words:
        return None
    pick = int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8], 16)
    m = words[pick % len(words)]
    word = m.group(0)
    i = 1 + pick // 7 % (len(word) - 3)  # never the first or last letter
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if swapped == word:
        return None
    return Variant("typo", question[:m.start()] + swapped + question[m.end():])


def _synonym(question: str) -> Variant | None:
    for phrase, other in SYNONYMS:
        pattern = re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE)
        if pattern.search(question):
            return Variant("synonym", _tidy(pattern.sub(other, question, count=1)))
    return None


def variants(question: str, qid: str, names: Sequence[str] = (), area: str = "", latest: str = "") -> list[Variant]:
    """Every rephrasing of ``question`` (see the module docstring), none equal to it and no text
    twice. ``names``: the partnership's area and short names; ``area``: the name to add;
    ``latest``: the collection's most recent period as "YYYY-YY"."""
    if not question.strip():
        raise ValueError("the question is empty")
    found = [_name_variant(question, names, area), *_year_variants(question, latest),
             Variant("lower", question.lower()), _typo(question, qid), _synonym(question)]
    out, seen = [], {question}
    for v in found:
        if v is not None and v.text not in seen:
            seen.add(v.text)
            out.append(v)
    return out


ABSTAINED = "abstained"


def first_support(response: dict, evidence: Sequence) -> frozenset[int] | str:
    """Which gold evidence items (by index) the response's FIRST citation supports: its passage
    (``text``, else ``quote``) from the item's doc supports the item's quote, or from an
    alternative's doc supports that alternative (``evals.metrics.supports``). ``"abstained"``
    when the response declared the question unanswerable or cited nothing."""
    cites = response.get("citations") or []
    if not response.get("answerable", True) or not cites:
        return ABSTAINED
    first = cites[0]
    text = first.get("text") or first.get("quote") or ""
    return frozenset(i for i, ev in enumerate(evidence)
                     if any(first.get("source") == doc and supports(text, quote) for doc, quote in options(ev)))


def consistent(original: dict, variant: dict, evidence: Sequence) -> bool:
    """A variant is consistent when its first citation supports exactly the same gold evidence
    items as the original question's first citation (``first_support``), abstaining counting as
    its own outcome: both abstain, or neither does and the supported sets are equal."""
    return first_support(original, evidence) == first_support(variant, evidence)
