"""The benchmark question set: data model, loader/validator and evidence-quote checks.

The questions live in ``evals/questions.jsonl``, one JSON object per line with the fields
``id``, ``question``, ``type``, ``answer``, ``key_facts`` and ``evidence`` (a list of
``{"doc": <pdf file name>, "quote": <text copied from one page of that report>}``).

``load_questions`` parses and validates the file; ``check_quotes`` confirms that every evidence
quote really occurs in the text of the report it names; ``check_key_facts`` confirms that every
key fact of an answerable question occurs in at least one of its evidence quotes. Matching is
done on text passed through ``normalise_for_match`` so that ligatures, curly quotes, line
breaks and words hyphenated across a line break do not cause false alarms.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

QUESTION_TYPES: tuple[str, ...] = (
    "factoid",
    "list",
    "comparison",
    "learning",
    "table",
    "unanswerable",
    "paraphrase",
)
"""Allowed values of ``Question.type``."""

UNANSWERABLE = "unanswerable"

_REQUIRED_FIELDS: tuple[tuple[str, type], ...] = (
    ("id", str),
    ("question", str),
    ("type", str),
    ("answer", str),
    ("key_facts", list),
    ("evidence", list),
)


@dataclass(frozen=True)
class Evidence:
    """One supporting passage: ``quote`` is copied from a single page of report ``doc``.

    ``also`` lists the same fact as stated in other documents (e.g. a cabinet paper repeating
    the annual report's figure), each an ``Evidence`` without alternatives of its own: a right
    answer from any of them counts.
    """

    doc: str
    quote: str
    also: tuple["Evidence", ...] = ()

    @property
    def options(self) -> tuple["Evidence", ...]:
        """This quote first, then its alternatives."""
        return (Evidence(self.doc, self.quote), *self.also)


@dataclass(frozen=True)
class Question:
    """One benchmark question with its reference answer, key facts and evidence."""

    id: str
    question: str
    type: str
    answer: str
    key_facts: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def answerable(self) -> bool:
        """True unless the question is of type ``unanswerable``."""
        return self.type != UNANSWERABLE

    @property
    def docs(self) -> tuple[str, ...]:
        """The distinct report file names the evidence cites (alternatives included), in
        first-seen order."""
        return tuple(dict.fromkeys(opt.doc for ev in self.evidence for opt in ev.options))


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def _fail(path: Path, line_no: int, problem: str) -> ValueError:
    return ValueError(f"{path}:{line_no}: {problem}")


def _parse_evidence(raw: list[object], path: Path, line_no: int) -> tuple[Evidence, ...]:
    items: list[Evidence] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise _fail(path, line_no, f"evidence[{i}] must be an object with 'doc' and 'quote'")
        for key in ("doc", "quote"):
            value = entry.get(key)
            if not isinstance(value, str):
                raise _fail(path, line_no, f"evidence[{i}] field '{key}' missing or not a string")
            if not value.strip():
                raise _fail(path, line_no, f"evidence[{i}] field '{key}' is empty")
        also = entry.get("also", [])
        if not isinstance(also, list):
            raise _fail(path, line_no, f"evidence[{i}] field 'also' must be a list")
        alternatives = []
        for j, alt in enumerate(also):
            if not isinstance(alt, dict) or not all(isinstance(alt.get(k), str) and alt[k].strip() for k in ("doc", "quote")):
                raise _fail(path, line_no, f"evidence[{i}].also[{j}] must be an object with non-empty 'doc' and 'quote'")
            alternatives.append(Evidence(doc=alt["doc"], quote=alt["quote"]))
        items.append(Evidence(doc=entry["doc"], quote=entry["quote"], also=tuple(alternatives)))
    return tuple(items)


def _parse_line(obj: object, path: Path, line_no: int) -> Question:
    if not isinstance(obj, dict):
        raise _fail(path, line_no, "each line must be a JSON object")
    for name, kind in _REQUIRED_FIELDS:
        if name not in obj:
            raise _fail(path, line_no, f"missing field '{name}'")
        if not isinstance(obj[name], kind):
            raise _fail(path, line_no, f"field '{name}' must be a {kind.__name__}")
    qid = obj["id"].strip()
    if not qid:
        raise _fail(path, line_no, "empty id")
    if not obj["question"].strip():
        raise _fail(path, line_no, f"empty question (id {qid})")
    qtype = obj["type"]
    if qtype not in QUESTION_TYPES:
        raise _fail(path, line_no, f"unknown type {qtype!r} (id {qid}); expected one of {QUESTION_TYPES}")
    facts = obj["key_facts"]
    if not all(isinstance(f, str) and f.strip() for f in facts):
        raise _fail(path, line_no, f"key_facts must be non-empty strings (id {qid})")
    evidence = _parse_evidence(obj["evidence"], path, line_no)
    if qtype == UNANSWERABLE:
        if evidence:
            raise _fail(path, line_no, f"unanswerable question has evidence (id {qid})")
        if facts:
            raise _fail(path, line_no, f"unanswerable question has key_facts (id {qid})")
    else:
        if not evidence:
            raise _fail(path, line_no, f"answerable question without evidence (id {qid})")
        if not facts:
            raise _fail(path, line_no, f"answerable question without key_facts (id {qid})")
        if not obj["answer"].strip():
            raise _fail(path, line_no, f"answerable question with empty answer (id {qid})")
    return Question(
        id=qid,
        question=obj["question"].strip(),
        type=qtype,
        answer=obj["answer"].strip(),
        key_facts=tuple(facts),
        evidence=evidence,
    )


def load_questions(path: str | Path) -> list[Question]:
    """Read and validate a questions JSONL file.

    Blank lines are skipped. Raises ``ValueError`` naming the file and line number for bad
    JSON, a missing or wrongly typed field, an unknown type, a duplicate id, an empty
    question, an answerable question without evidence or key facts, or an unanswerable
    question that carries evidence or key facts.
    """
    path = Path(path)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _fail(path, line_no, f"bad JSON: {exc.msg}") from exc
            question = _parse_line(obj, path, line_no)
            if question.id in seen:
                raise _fail(path, line_no, f"duplicate id {question.id!r} (first on line {seen[question.id]})")
            seen[question.id] = line_no
            questions.append(question)
    return questions


# --------------------------------------------------------------------------------------------
# Matching quotes against report text
# --------------------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "*": None,  # markdown emphasis that leaked into the PDFs
        "\u00ad": None,  # soft hyphen
        "\u0000": " ",  # some PDFs write bullet glyphs as NUL
        "\u2022": " ",  # bullet
        "\u00a0": " ",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*")
_SPACE = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """Canonical form used to compare quotes with report text.

    NFKC (so "ﬁ" becomes "fi"), curly quotes and dashes to ASCII, literal ``*`` removed,
    bullet glyphs (NUL, "•") treated as spaces, a word hyphenated at a line break rejoined
    keeping the hyphen ("multi-\\nagency" -> "multi-agency"), all whitespace collapsed to
    single spaces, lowercase, stripped.
    """
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    text = _HYPHEN_BREAK.sub("-", text)
    return _SPACE.sub(" ", text).strip().lower()


def check_quotes(questions: Iterable[Question], doc_texts: Mapping[str, str]) -> list[str]:
    """Problems with evidence quotes; an empty list means every quote was found.

    ``doc_texts`` maps a report file name (as used in ``Evidence.doc``) to its full text.
    A problem is reported for an evidence entry that names an unknown document or whose
    quote does not occur in that document once both are normalised.
    """
    normalised = {name: normalise_for_match(text) for name, text in doc_texts.items()}
    problems: list[str] = []
    for question in questions:
        for i, item in enumerate(question.evidence):
            for j, ev in enumerate(item.options):
                where = f"evidence[{i}]" + (f".also[{j - 1}]" if j else "")
                haystack = normalised.get(ev.doc)
                if haystack is None:
                    problems.append(f"{question.id} {where}: unknown doc {ev.doc!r}")
                    continue
                if normalise_for_match(ev.quote) not in haystack:
                    problems.append(f"{question.id} {where}: quote not found in {ev.doc}: {ev.quote[:80]!r}")
    return problems


def check_key_facts(questions: Iterable[Question]) -> list[str]:
    """Problems where a key fact of an answerable question is absent from all its quotes."""
    problems: list[str] = []
    for question in questions:
        quotes = " ".join(normalise_for_match(ev.quote) for ev in question.evidence)
        for fact in question.key_facts:
            if normalise_for_match(fact) not in quotes:
                problems.append(f"{question.id}: key fact {fact!r} not in any evidence quote")
    return problems
