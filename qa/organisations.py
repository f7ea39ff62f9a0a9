"""Which partnerships the index holds, and which of them a question names.

Everything here comes from the indexed documents (ingest.organisation): a partnership is the set
of documents whose body works for one area, so a board's reports and those of the partnership
that replaced it form one series. A question names a partnership by its name, a short form the
reports define, its area or one of its area's places, or a council the reports place in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
import dataclasses
from dataclasses import dataclass

from ingest.errors import QueryError
from ingest.model import Document
from qa.followup import followup_query, implied_periods
from qa.intent import Intent, parse_intent
from qa.periods import TimeScope, period_start, time_scope

# Short forms this long are matched in any case ("nscp"); shorter ones only as written.
ANY_CASE_SHORT = 4


@dataclass(frozen=True)
class Partnership:
    """One area's series of documents; ``name`` is its newest document's body."""

    key: str
    name: str
    names: tuple[str, ...]
    short_forms: tuple[str, ...]
    area: str
    councils: tuple[str, ...]
    doc_ids: frozenset[str]

    @property
    def places(self) -> tuple[str, ...]:
        """The area and each place it joins ("X and Y": "X and Y", "X", "Y")."""
        parts = [p for p in re.split(r"\s+(?:and|&)\s+|,\s*", self.area) if p]
        return tuple(dict.fromkeys([self.area, *parts]))


def partnerships(documents: Iterable[Document]) -> list[Partnership]:
    """The partnerships of ``documents``, by name; documents naming no body belong to none."""
    groups: dict[str, list[Document]] = {}
    for d in documents:
        if d.organisation.key:
            groups.setdefault(d.organisation.key, []).append(d)
    out = []
    for key, docs in groups.items():
        docs.sort(key=lambda d: (d.period, d.kind == "annual report", d.source))
        orgs = [d.organisation for d in docs]
        out.append(Partnership(
            key=key,
            name=orgs[-1].name,
            names=tuple(dict.fromkeys(o.name for o in reversed(orgs))),
            short_forms=tuple(dict.fromkeys(s for o in reversed(orgs) for s in o.short_forms)),
            area=orgs[-1].area,
            councils=tuple(dict.fromkeys(c for o in reversed(orgs) for c in o.councils)),
            doc_ids=frozenset(d.doc_id for d in docs),
        ))
    return sorted(out, key=lambda p: p.name)


def _norm(text: str) -> str:
    return " " + " ".join(text.replace("&", " and ").lower().split()) + " "


def _says(text_norm: str, phrase: str) -> bool:
    return bool(phrase.strip()) and re.search(rf"(?<![\w-]){re.escape(_norm(phrase).strip())}(?![\w-])", text_norm) is not None


def _says_short(text: str, short: str) -> bool:
    flags = re.IGNORECASE if len(short) >= ANY_CASE_SHORT else 0
    return re.search(rf"(?<![\w-]){re.escape(short)}s?(?![\w-])", text, flags) is not None


def names(partnership: Partnership, text: str) -> bool:
    """Whether ``text`` names the partnership, its area, a place of its area, or one of its councils."""
    norm = _norm(text)
    phrases = (*partnership.names, *partnership.places, *partnership.councils)
    return any(_says(norm, p) for p in phrases) or any(_says_short(text, s) for s in partnership.short_forms)


def named_in(text: str, parts: Sequence[Partnership]) -> list[Partnership]:
    """The partnerships ``text`` names (by ``names``), in catalogue order."""
    return [p for p in parts if names(p, text)]


def from_filter(values: Sequence[str], parts: Sequence[Partnership]) -> list[Partnership]:
    """The partnerships a filter names: each value a partnership's name, one of its documents'
    body names or a short form (any case); an unknown value is a QueryError."""
    out: list[Partnership] = []
    for value in values:
        want = _norm(str(value)).strip()
        match = [p for p in parts
                 if want in {_norm(n).strip() for n in (*p.names, *p.short_forms, p.area)}]
        if not match:
            known = "; ".join(p.name for p in parts) or "none"
            raise QueryError(f"unknown organisation '{value}'; the index has: {known}")
        out.extend(m for m in match if m not in out)
    return out


def strip_names(question: str, named: Sequence[Partnership]) -> str:
    """The question without the names of the partnerships it names, once they are a filter:
    a name's words are in every passage of its reports and would only outweigh the topic.
    Places and councils stay: "Southmoor County Council's contribution" is a table row's label."""
    out = question
    for p in named:
        for phrase in sorted({*p.names, *(f"{a} safeguarding children {k}" for a in p.places
                                          for k in ("partnership", "board", "")), *(f"{a} partnership" for a in p.places)},
                             key=len, reverse=True):
            words = [re.escape(w) for w in phrase.replace("&", " & ").split()]
            pattern = r"\s+".join("(?:&|and)" if w in ("&", r"\&", "and") else w for w in words)
            out = re.sub(rf"(?<![\w-])(?:the\s+)?{pattern}(?:['’]s)?(?![\w-])", " ", out, flags=re.IGNORECASE)
        for s in p.short_forms:
            flags = re.IGNORECASE if len(s) >= ANY_CASE_SHORT else 0
            out = re.sub(rf"(?<![\w-])(?:the\s+)?{re.escape(s)}(?:['’]s)?(?![\w-])", " ", out, flags=flags)
    out = " ".join(out.split())
    return out if len(out.split()) >= 2 else question


def as_filter(intent: Intent, named: Sequence[Partnership]) -> Intent:
    """The intent of the question as asked of the partnerships ``named``: their names are a
    filter now (``strip_names``), so neither the organisation whose figure is asked for nor
    words a quote must hold. The time words, follow-up and source stay as read."""
    asked = strip_names(intent.question, named)
    if asked == intent.question:
        return intent
    return dataclasses.replace(parse_intent(asked), time=intent.time, followup=intent.followup,
                               relation=intent.relation, source=intent.source, periods=intent.periods)


def whole_index(documents: Iterable[Document]) -> Partnership:
    """Every document as one group, for an index where partnerships do not matter."""
    return Partnership("", "", (), (), "", (), frozenset(d.doc_id for d in documents))


def every_group(parts: Sequence[Partnership], documents: Iterable[Document]) -> list[Partnership]:
    """Every partnership, and the documents that name no body as a group of their own: a
    question naming no partnership is answered from them too."""
    claimed = {d for p in parts for d in p.doc_ids}
    rest = frozenset(d.doc_id for d in documents if d.doc_id not in claimed)
    return [*parts, Partnership("", "", (), (), "", (), rest)] if rest else list(parts)


def partnership_of(doc_id: str, parts: Sequence[Partnership]) -> Partnership | None:
    return next((p for p in parts if doc_id in p.doc_ids), None)


def claim_label(doc: Document, partnership: Partnership | None, with_partnership: bool) -> str:
    """When and whose report, before a quoted claim: "2021-22", "2021-22 cabinet paper",
    "2023-24, X Safeguarding Children Partnership" (the year first, as a trend's rows are)."""
    when = doc.period or doc.short_title
    if doc.kind not in ("annual report", "other"):
        when = f"{when} {doc.kind}"
    if with_partnership:
        who = partnership.name if partnership else doc.organisation.name or doc.short_title
        return f"{when}, {who}"
    return when


@dataclass(frozen=True)
class Scope:
    """What one partnership's reports are asked about: the documents allowed, the periods asked
    for (() for all of them), periods asked for that it has no report for, and whether the
    question asks for a change over time. ``partnership`` is None for documents naming no body."""

    partnership: Partnership | None
    doc_ids: tuple[str, ...]
    available: tuple[str, ...]
    periods: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    trend: bool = False

    @property
    def asked(self) -> bool:
        """Whether this partnership has reports for what the question asks."""
        return bool(self.periods) or not self.mentioned


def scopes(intent: Intent, previous: Intent | None, groups: Sequence[Partnership],
           documents: dict[str, Document], periods: Sequence[str], doc_ids: Sequence[str]) -> tuple[str, list[Scope]]:
    """The question to retrieve with, and each partnership's scope: "the most recent report",
    "last year" and "the year before" are each partnership's own, read against its own reports.
    ``previous`` is the intent of the question before (None: none); ``periods`` and ``doc_ids``
    are the request's filters (empty: none)."""
    query = intent.question
    out = []
    for p in groups:
        docs = [d for d in documents.values() if d.doc_id in p.doc_ids and (not doc_ids or d.doc_id in doc_ids)]
        available = tuple(sorted({d.period for d in docs if d.period}, key=period_start))
        implied = implied_periods(intent, previous, available)
        query = followup_query(intent, previous, bool(implied))
        if implied:
            time = TimeScope(tuple(implied), (), False)
        elif intent.source_period:  # "in its 2021-22 annual report": that report, whatever years it speaks of
            has = intent.source_period in available
            time = TimeScope((intent.source_period,) if has else (), () if has else (intent.source_period,), False)
        else:
            time = time_scope(intent.time, available)
        wanted = tuple(x for x in periods if x in available) if periods else time.periods
        missing = tuple(x for x in periods if x not in available) if periods else time.mentioned
        out.append(Scope(p, tuple(d.doc_id for d in docs), available, wanted, missing, time.trend))
    return query, out


def narrowed(scopes: Sequence[Scope], doc_ids: set[str], documents: dict[str, Document]) -> list[Scope]:
    """The scopes cut to ``doc_ids`` (a named review's reports), as a named partnership cuts
    them: one report left is asked on its own, not as a change over time. Unchanged when
    ``doc_ids`` is empty or leaves no scope a document."""
    if not doc_ids:
        return list(scopes)
    out = []
    for sc in scopes:
        keep = tuple(d for d in sc.doc_ids if d in doc_ids)
        if keep:
            periods = tuple(sorted({documents[d].period for d in keep}, key=period_start))
            asked = tuple(p for p in sc.periods if p in periods)
            out.append(dataclasses.replace(sc, doc_ids=keep, available=periods,
                                           periods=periods if len(periods) == 1 else asked,
                                           trend=sc.trend and len(periods) > 1))
    return out or list(scopes)
