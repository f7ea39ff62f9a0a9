"""The benchmark question set: it loads, is well formed, and its evidence quotes are real."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from evals.questions import (
    QUESTION_TYPES,
    Evidence,
    Question,
    check_key_facts,
    check_quotes,
    load_questions,
    normalise_for_match,
)

ROOT = Path(__file__).parents[1]
QUESTIONS = ROOT / "evals" / "questions.jsonl"
REPORTS = ROOT / "data" / "reports"
_PAGE_LINE = re.compile(r"^Page \d+ of \d+$")


@lru_cache(maxsize=1)
def _report_texts() -> dict[str, str]:
    """Text of every bundled PDF: per page, drop the title header line and "Page N of M"."""
    from pypdf import PdfReader

    texts: dict[str, str] = {}
    for pdf in sorted(REPORTS.glob("*.pdf")):
        pages = []
        for page in PdfReader(pdf).pages:
            lines = (page.extract_text() or "").split("\n")[1:]
            pages.append("\n".join(ln for ln in lines if not _PAGE_LINE.match(ln.strip())))
        texts[pdf.name] = "\n".join(pages)
    return texts


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(QUESTIONS)


# --------------------------------------------------------------------------------------------
# The real set
# --------------------------------------------------------------------------------------------


def test_real_set_loads_with_enough_questions(questions):
    assert len(questions) >= 100
    assert len({q.id for q in questions}) == len(questions)


def test_every_type_present_and_enough_unanswerable(questions):
    counts = Counter(q.type for q in questions)
    assert set(counts) == set(QUESTION_TYPES)
    assert counts["unanswerable"] >= 0.10 * len(questions)


def test_answerable_questions_are_grounded(questions):
    for q in questions:
        if q.answerable:
            assert q.evidence and q.key_facts, q.id
            for ev in q.evidence:
                assert 8 <= len(ev.quote.split()) <= 40, (q.id, ev.quote)
        else:
            assert not q.evidence and not q.key_facts, q.id


def test_key_facts_occur_in_evidence(questions):
    assert check_key_facts(questions) == []


def test_comparisons_mostly_span_reports(questions):
    comparisons = [q for q in questions if q.type == "comparison"]
    across = [q for q in comparisons if len(q.docs) >= 2]
    assert len(across) >= 15


def test_every_quote_is_in_its_report(questions):
    texts = _report_texts()
    assert {ev.doc for q in questions for ev in q.evidence} <= set(texts)
    assert check_quotes(questions, texts) == []


def test_check_quotes_reports_made_up_quote_and_unknown_doc():
    texts = _report_texts()
    doc = sorted(texts)[0]
    fake = Question(
        id="x1",
        question="?",
        type="factoid",
        answer="a",
        key_facts=("a",),
        evidence=(
            Evidence(doc, "The partnership trained 987654 unicorn wranglers on the moon in 2016."),
            Evidence("no_such_report.pdf", "Anything at all goes here for this test."),
        ),
    )
    problems = check_quotes([fake], texts)
    assert len(problems) == 2
    assert "quote not found" in problems[0] and doc in problems[0]
    assert "unknown doc" in problems[1]


# --------------------------------------------------------------------------------------------
# check_quotes on inline text
# --------------------------------------------------------------------------------------------


def test_check_quotes_matches_across_line_breaks_ligatures_and_quotes():
    doc_texts = {"r.pdf": "We ran multi-\nagency “Signs of Safety” training for 1,286 sta\ufb00 in\n2015/16."}
    ok = Question("q", "?", "factoid", "a", ("1,286",), (Evidence("r.pdf", 'multi-agency "Signs of Safety" training for 1,286 staff'),))
    assert check_quotes([ok], doc_texts) == []


# --------------------------------------------------------------------------------------------
# normalise_for_match
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Eﬀective  Practice", "effective practice"),
        ("‘Was not heard’ – “film”", "'was not heard' - \"film\""),
        ("multi-\nagency working", "multi-agency working"),
        ("multi-  \n  agency", "multi-agency"),
        ("***What we did:** text*", "what we did: text"),
        ("line one\n\n  line\ttwo ", "line one line two"),
        ("item\x00 next • bullet", "item next bullet"),
        ("ﬁve ﬂoors", "five floors"),
        ("Group -\nRegular", "group - regular"),
    ],
)
def test_normalise_for_match(raw, expected):
    assert normalise_for_match(raw) == expected


# --------------------------------------------------------------------------------------------
# Bad input files
# --------------------------------------------------------------------------------------------

_GOOD = {
    "id": "q1",
    "question": "How many?",
    "type": "factoid",
    "answer": "Four.",
    "key_facts": ["4"],
    "evidence": [{"doc": "a.pdf", "quote": "The board met 4 times during the year."}],
}
_UNANSWERABLE = {**_GOOD, "id": "q2", "type": "unanswerable", "key_facts": [], "evidence": []}


_DROP = object()


def _line(**changes: object) -> str:
    """A JSON line based on ``_GOOD``; a field set to ``_DROP`` is left out."""
    obj = {**_GOOD, **changes}
    return json.dumps({k: v for k, v in obj.items() if v is not _DROP})


@pytest.mark.parametrize(
    ("lines", "match"),
    [
        (["{not json"], r"bad\.jsonl:1: bad JSON"),
        (["[1, 2]"], r":1: each line must be a JSON object"),
        ([_line(question=_DROP)], r":1: missing field 'question'"),
        ([_line(evidence=_DROP)], r":1: missing field 'evidence'"),
        ([_line(key_facts="4")], r":1: field 'key_facts' must be a list"),
        ([_line(type="trivia")], r":1: unknown type 'trivia'"),
        ([_line(), "", _line()], r":3: duplicate id 'q1' \(first on line 1\)"),
        ([_line(question="   ")], r":1: empty question"),
        ([_line(id="")], r":1: empty id"),
        ([_line(evidence=[])], r":1: answerable question without evidence"),
        ([_line(key_facts=[])], r":1: answerable question without key_facts"),
        ([_line(evidence=[{"doc": "a.pdf"}])], r":1: evidence\[0\] field 'quote' missing"),
        ([_line(evidence=["a.pdf"])], r":1: evidence\[0\] must be an object"),
        ([json.dumps(_UNANSWERABLE), json.dumps({**_UNANSWERABLE, "id": "q3", "evidence": _GOOD["evidence"]})],
         r":2: unanswerable question has evidence"),
        ([json.dumps({**_UNANSWERABLE, "key_facts": ["4"]})], r":1: unanswerable question has key_facts"),
    ],
)
def test_bad_files_raise(tmp_path, lines, match):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        load_questions(path)


def test_good_file_round_trip(tmp_path):
    path = tmp_path / "good.jsonl"
    path.write_text(_line() + "\n\n" + json.dumps(_UNANSWERABLE) + "\n", encoding="utf-8")
    loaded = load_questions(path)
    assert [q.id for q in loaded] == ["q1", "q2"]
    assert loaded[0].evidence == (Evidence("a.pdf", "The board met 4 times during the year."),)
    assert loaded[0].key_facts == ("4",)
    assert loaded[0].answerable and not loaded[1].answerable
    assert loaded[0].docs == ("a.pdf",)
